import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  AuthenticationError,
  MISSING_EXPIRES_IN_LIFETIME_MS,
  NetworkError,
  RateLimitError,
  ResponseValidationError,
  ServerError,
  createClientCredentialsProvider,
  createTokenCache,
  isAbortError,
  isInvalidInputError,
} from '@ml-connector/core';
import { deferred, fakeTokenEndpoint, tokenJson } from './token-endpoint-fake.js';

const TOKEN_URL = 'https://login.example.test/tenant-1/oauth2/v2.0/token';
const SCOPE = 'https://api.example.test/.default';
const base = { tokenUrl: TOKEN_URL, clientId: 'client-1', clientSecret: 'secret-1', scope: SCOPE };

describe('createClientCredentialsProvider over HTTP (msw)', () => {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  it('POSTs a form-encoded client_credentials grant and returns the token with expiry from expires_in', async () => {
    let seen: { contentType: string | null; form: URLSearchParams } | undefined;
    server.use(
      http.post(TOKEN_URL, async ({ request }) => {
        seen = { contentType: request.headers.get('content-type'), form: new URLSearchParams(await request.text()) };
        return HttpResponse.json({ access_token: 'at-1', token_type: 'Bearer', expires_in: 4_321 });
      }),
    );
    const before = Date.now();
    const provider = createClientCredentialsProvider({ ...base, extraParams: { resource: 'https://api.example.test' } });
    const token = await provider.getToken();

    expect(seen?.contentType).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(seen!.form)).toEqual({
      grant_type: 'client_credentials',
      client_id: 'client-1',
      client_secret: 'secret-1',
      scope: SCOPE,
      resource: 'https://api.example.test',
    });
    expect(token.token).toBe('at-1');
    expect(token.tokenType).toBe('Bearer');
    expect(token.expiresAt).toBeGreaterThanOrEqual(before + 4_321_000);
    expect(token.expiresAt).toBeLessThanOrEqual(Date.now() + 4_321_000);
    expect(provider.identity).toBe(`${TOKEN_URL}|client-1|${SCOPE}`);
  });

  it('sends the secret as a Basic header when clientAuthentication is basic (Oracle)', async () => {
    let seen: { authorization: string | null; form: URLSearchParams } | undefined;
    server.use(
      http.post(TOKEN_URL, async ({ request }) => {
        seen = { authorization: request.headers.get('authorization'), form: new URLSearchParams(await request.text()) };
        return HttpResponse.json({ access_token: 'at-1', expires_in: 3600 });
      }),
    );
    const provider = createClientCredentialsProvider({ ...base, clientSecret: 'p@ss word', clientAuthentication: 'basic' });
    await provider.getToken();
    expect(seen?.authorization).toBe(`Basic ${Buffer.from('client-1:p%40ss+word').toString('base64')}`);
    expect(seen?.form.has('client_secret')).toBe(false);
    expect(seen?.form.has('client_id')).toBe(false);
  });

  it('maps invalid_client to AuthenticationError with vendorCode and description', async () => {
    server.use(
      http.post(TOKEN_URL, () =>
        HttpResponse.json(
          { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' },
          { status: 401, headers: { 'x-ms-request-id': 'req-42' } },
        ),
      ),
    );
    const error = await createClientCredentialsProvider(base).getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    const auth = error as AuthenticationError;
    expect(auth.vendorCode).toBe('invalid_client');
    expect(auth.status).toBe(401);
    expect(auth.requestId).toBe('req-42');
    expect(auth.url).toBe(TOKEN_URL);
    expect(auth.message).toContain('AADSTS7000215: Invalid client secret provided.');
  });

  it.each([
    [400, 'invalid_grant'],
    [400, 'unauthorized_client'],
    [400, 'invalid_scope'],
    [403, 'invalid_grant'],
  ])('maps %i %s to AuthenticationError', async (status, code) => {
    server.use(http.post(TOKEN_URL, () => HttpResponse.json({ error: code }, { status })));
    const error = await createClientCredentialsProvider(base).getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).vendorCode).toBe(code);
  });

  it('retries 5xx twice with backoff, then throws ServerError recording the retries', async () => {
    let calls = 0;
    server.use(
      http.post(TOKEN_URL, () => {
        calls++;
        return HttpResponse.json({ error: 'temporarily_unavailable' }, { status: 503 });
      }),
    );
    const sleeps: number[] = [];
    // The pipeline's full-jitter backoff: random() * 250 · 2^(attempt-1).
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const provider = createClientCredentialsProvider({ ...base, sleep: async (ms) => void sleeps.push(ms) });
    const error = await provider.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect(calls).toBe(3);
    expect(sleeps).toEqual([125, 250]);
    expect((error as ServerError).retries.map((r) => r.status)).toEqual([503, 503]);
  });
});

describe('token endpoint retries use the same Retry-After parser and backoff as the pipeline', () => {
  it.each([
    ['retry-after-ms (Microsoft, milliseconds)', { 'retry-after-ms': '700' }, 700],
    ['a fractional Retry-After, outside the grammar: jittered backoff instead', { 'retry-after': '1.5' }, 125],
    ['a negative Retry-After: jittered backoff instead', { 'retry-after': '-5' }, 125],
    ['an asctime date, read as GMT', { 'retry-after': 'Thu Jan  1 00:00:02 1970' }, 2000],
  ])('%s', async (_, headers, expected) => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const { fetch } = fakeTokenEndpoint((_req, call) =>
      call === 1 ? tokenJson({ error: 'temporarily_unavailable' }, 503, headers) : tokenJson({ access_token: 'at', expires_in: 3600 }),
    );
    const sleeps: number[] = [];
    const provider = createClientCredentialsProvider({ ...base, fetch, now: () => 0, sleep: async (ms) => void sleeps.push(ms) });
    await provider.getToken();
    expect(sleeps).toEqual([expected]);
  });
});

describe('createClientCredentialsProvider caching and refresh', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('serves the cached token and refreshes in the background inside the refresh window', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const { fetch, requests } = fakeTokenEndpoint((_, call) => tokenJson({ access_token: `at-${call}`, expires_in: 3600 }));
    const provider = createClientCredentialsProvider({ ...base, fetch });

    expect((await provider.getToken()).token).toBe('at-1');
    vi.setSystemTime(1_000_000 + 3_600_000 - 120_000 - 1);
    expect((await provider.getToken()).token).toBe('at-1');
    expect(requests).toHaveLength(1);
    vi.setSystemTime(1_000_000 + 3_600_000 - 120_000);
    expect((await provider.getToken()).token).toBe('at-1'); // served at once; the refresh runs behind it
    await vi.advanceTimersByTimeAsync(0);
    expect(requests).toHaveLength(2);
    expect((await provider.getToken()).token).toBe('at-2');
    expect(requests).toHaveLength(2);
  });

  it('a hung token endpoint stalls no call while the cached token is valid; callers block only near expiry', async () => {
    vi.useFakeTimers({ now: 0 });
    const hang = deferred<void>();
    const { fetch, requests } = fakeTokenEndpoint(async (_, call) => {
      if (call > 1) await hang.promise;
      return tokenJson({ access_token: `at-${call}`, expires_in: 3600 });
    });
    const provider = createClientCredentialsProvider({ ...base, fetch, timeoutMs: 3_600_000 });
    await provider.getToken();
    vi.setSystemTime(3_600_000 - 100_000); // inside the 2-minute window, 100 s before expiry
    const served = await Promise.all(Array.from({ length: 20 }, () => provider.getToken()));
    expect(served.map((t) => t.token)).toEqual(Array(20).fill('at-1'));
    await vi.advanceTimersByTimeAsync(0);
    expect(requests).toHaveLength(2); // one background refresh, still hanging
    vi.setSystemTime(3_600_000 - 29_000); // inside the last 30 s: now callers wait for the refresh
    let settled = false;
    const blocked = provider.getToken().then((t) => ((settled = true), t));
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(false);
    hang.resolve();
    expect((await blocked).token).toBe('at-2');
    expect(requests).toHaveLength(2);
  });

  it('honours a custom refreshWindowMs and an injected clock', async () => {
    let now = 0;
    const { fetch, requests } = fakeTokenEndpoint((_, call) => tokenJson({ access_token: `at-${call}`, expires_in: 600 }));
    const provider = createClientCredentialsProvider({ ...base, fetch, now: () => now, refreshWindowMs: 10_000 });
    await provider.getToken();
    now = 589_999;
    expect((await provider.getToken()).token).toBe('at-1');
    expect(requests).toHaveLength(1);
    now = 590_000;
    await provider.getToken();
    await new Promise((r) => setImmediate(r));
    expect(requests).toHaveLength(2);
    expect((await provider.getToken()).token).toBe('at-2');
  });

  it('caps the refresh window at half of a short token lifetime', async () => {
    let now = 0;
    const { fetch } = fakeTokenEndpoint((_, call) => tokenJson({ access_token: `at-${call}`, expires_in: 60 }));
    const provider = createClientCredentialsProvider({ ...base, fetch, now: () => now });
    await provider.getToken();
    now = 29_999;
    expect((await provider.getToken()).token).toBe('at-1');
    now = 30_000;
    await provider.getToken();
    await new Promise((r) => setImmediate(r));
    expect((await provider.getToken()).token).toBe('at-2');
  });

  it('sends exactly one token request for 1,000 concurrent callers at expiry', async () => {
    vi.useFakeTimers({ now: 0 });
    const release = deferred<void>();
    const { fetch, requests } = fakeTokenEndpoint(async (_, call) => {
      if (call > 1) await release.promise;
      return tokenJson({ access_token: `at-${call}`, expires_in: 3600 });
    });
    const provider = createClientCredentialsProvider({ ...base, fetch });
    await provider.getToken();
    vi.setSystemTime(3_600_000);

    const waiting = Array.from({ length: 1_000 }, () => provider.getToken());
    await vi.advanceTimersByTimeAsync(0);
    release.resolve();
    const tokens = await Promise.all(waiting);

    expect(requests).toHaveLength(2);
    expect(new Set(tokens.map((t) => t.token))).toEqual(new Set(['at-2']));
  });

  it("lets a caller's AbortSignal cancel only that caller's wait", async () => {
    const release = deferred<void>();
    const { fetch, requests } = fakeTokenEndpoint(async () => {
      await release.promise;
      return tokenJson({ access_token: 'at-1', expires_in: 3600 });
    });
    const provider = createClientCredentialsProvider({ ...base, fetch });
    const controller = new AbortController();
    const aborted = provider.getToken({ signal: controller.signal });
    const patient = provider.getToken();
    controller.abort();
    await expect(aborted).rejects.toSatisfy(isAbortError);
    release.resolve();
    expect((await patient).token).toBe('at-1');
    expect(requests).toHaveLength(1);
  });

  it('rejects at once, without a request, when the signal is already aborted', async () => {
    const { fetch, requests } = fakeTokenEndpoint(() => tokenJson({ access_token: 'at', expires_in: 3600 }));
    const provider = createClientCredentialsProvider({ ...base, fetch });
    await expect(provider.getToken({ signal: AbortSignal.abort() })).rejects.toSatisfy(isAbortError);
    expect(requests).toHaveLength(0);
  });

  it('forceRefresh fetches a new token; invalidate(token) drops the cache only while it holds that token', async () => {
    const { fetch, requests } = fakeTokenEndpoint((_, call) => tokenJson({ access_token: `at-${call}`, expires_in: 3600 }));
    const provider = createClientCredentialsProvider({ ...base, fetch });
    const first = await provider.getToken();
    const second = await provider.getToken({ forceRefresh: true });
    expect(second.token).toBe('at-2');

    provider.invalidate(first.token);
    expect((await provider.getToken()).token).toBe('at-2');
    expect(requests).toHaveLength(2);

    provider.invalidate(second.token);
    expect((await provider.getToken()).token).toBe('at-3');
    provider.invalidate();
    expect((await provider.getToken()).token).toBe('at-4');
  });

  it('shares tokens and in-flight refreshes through a shared cache, keyed by tokenUrl, clientId and scope', async () => {
    const { fetch, requests } = fakeTokenEndpoint((_, call) => tokenJson({ access_token: `at-${call}`, expires_in: 3600 }));
    const cache = createTokenCache();
    const a = createClientCredentialsProvider({ ...base, fetch, cache });
    const b = createClientCredentialsProvider({ ...base, fetch, cache });
    const other = createClientCredentialsProvider({ ...base, scope: 'https://other.example.test/.default', fetch, cache });
    const [ta, tb] = await Promise.all([a.getToken(), b.getToken()]);
    expect(ta.token).toBe(tb.token);
    expect(requests).toHaveLength(1);
    expect((await other.getToken()).token).not.toBe(ta.token);
    expect(requests).toHaveLength(2);
  });

  it('keeps serving a still-valid token when a refresh in the window fails transiently, but not after expiry', async () => {
    let now = 0;
    const { fetch } = fakeTokenEndpoint((_, call) =>
      call === 1 ? tokenJson({ access_token: 'at-1', expires_in: 3600 }) : tokenJson({ error: 'x' }, 500),
    );
    const provider = createClientCredentialsProvider({ ...base, fetch, now: () => now, maxRetries: 0 });
    await provider.getToken();
    now = 3_599_000;
    expect((await provider.getToken()).token).toBe('at-1');
    now = 3_600_000;
    await expect(provider.getToken()).rejects.toBeInstanceOf(ServerError);
  });

  it('does not hide refused credentials behind a cached token', async () => {
    let now = 0;
    const { fetch } = fakeTokenEndpoint((_, call) =>
      call === 1 ? tokenJson({ access_token: 'at-1', expires_in: 3600 }) : tokenJson({ error: 'invalid_client' }, 401),
    );
    const provider = createClientCredentialsProvider({ ...base, fetch, now: () => now });
    await provider.getToken();
    now = 3_599_000;
    await expect(provider.getToken()).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('reads a function clientSecret on every token request', async () => {
    const { fetch, requests } = fakeTokenEndpoint(() => tokenJson({ access_token: 'at', expires_in: 3600 }));
    let version = 0;
    const provider = createClientCredentialsProvider({ ...base, clientSecret: async () => `secret-v${++version}`, fetch });
    await provider.getToken();
    await provider.getToken({ forceRefresh: true });
    expect(requests.map((r) => r.form.get('client_secret'))).toEqual(['secret-v1', 'secret-v2']);
  });
});

describe('token responses', () => {
  const respondWith = (body: unknown) => fakeTokenEndpoint(() => tokenJson(body)).fetch;

  it('assumes a short documented lifetime when expires_in is missing', async () => {
    const warn = vi.fn();
    const logger = { debug: vi.fn(), info: vi.fn(), warn, error: vi.fn() };
    const provider = createClientCredentialsProvider({ ...base, fetch: respondWith({ access_token: 'at' }), now: () => 0, logger });
    expect((await provider.getToken()).expiresAt).toBe(MISSING_EXPIRES_IN_LIFETIME_MS);
    expect(MISSING_EXPIRES_IN_LIFETIME_MS).toBe(300_000);
    expect(warn).toHaveBeenCalled();
  });

  it('accepts expires_in sent as a numeric string', async () => {
    const provider = createClientCredentialsProvider({ ...base, fetch: respondWith({ access_token: 'at', expires_in: '3599' }), now: () => 0 });
    expect((await provider.getToken()).expiresAt).toBe(3_599_000);
  });

  it.each([[-5], [0], ['soon'], ['3600s'], [{}]])('rejects expires_in %j as ResponseValidationError', async (expiresIn) => {
    const provider = createClientCredentialsProvider({ ...base, fetch: respondWith({ access_token: 'at', expires_in: expiresIn }) });
    await expect(provider.getToken()).rejects.toBeInstanceOf(ResponseValidationError);
  });

  it.each([[{ expires_in: 3600 }], [{ access_token: '' }], ['not json']])('rejects a response without an access token: %j', async (body) => {
    const fetch = fakeTokenEndpoint(() => new Response(typeof body === 'string' ? body : JSON.stringify(body))).fetch;
    await expect(createClientCredentialsProvider({ ...base, fetch }).getToken()).rejects.toBeInstanceOf(ResponseValidationError);
  });
});

describe('token request failures', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits for Retry-After on 429 and then succeeds', async () => {
    const sleeps: number[] = [];
    const { fetch } = fakeTokenEndpoint((_, call) =>
      call === 1 ? tokenJson({ error: 'slow_down' }, 429, { 'retry-after': '2' }) : tokenJson({ access_token: 'at', expires_in: 3600 }),
    );
    const provider = createClientCredentialsProvider({ ...base, fetch, sleep: async (ms) => void sleeps.push(ms) });
    expect((await provider.getToken()).token).toBe('at');
    expect(sleeps).toEqual([2000]);
  });

  it('does not wait for a long Retry-After: throws RateLimitError carrying it', async () => {
    const { fetch, requests } = fakeTokenEndpoint(() => tokenJson({ error: 'slow_down' }, 429, { 'retry-after': '120' }));
    const error = await createClientCredentialsProvider({ ...base, fetch }).getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(120_000);
    expect(requests).toHaveLength(1);
  });

  it('retries network errors and then throws NetworkError', async () => {
    const { fetch, requests } = fakeTokenEndpoint(() => {
      throw new TypeError('fetch failed');
    });
    const provider = createClientCredentialsProvider({ ...base, fetch, sleep: async () => {} });
    const error = await provider.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).code).toBe('NETWORK_ERROR');
    expect(requests).toHaveLength(3);
  });

  it('times a hung token request out with a NetworkError coded TIMEOUT (fake timers)', async () => {
    vi.useFakeTimers();
    const fetch = vi.fn(
      (_: unknown, init?: RequestInit) =>
        new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))),
    ) as unknown as typeof globalThis.fetch;
    const provider = createClientCredentialsProvider({ ...base, fetch, timeoutMs: 5_000, maxRetries: 0 });
    const result = provider.getToken().catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(5_000);
    const error = await result;
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).code).toBe('TIMEOUT');
  });
});

describe('createClientCredentialsProvider options', () => {
  const invalid = (options: unknown) => {
    try {
      createClientCredentialsProvider(options as Parameters<typeof createClientCredentialsProvider>[0]);
    } catch (error) {
      expect(isInvalidInputError(error)).toBe(true);
      return (error as { field?: string }).field;
    }
    throw new Error('expected InvalidInputError');
  };

  it('rejects bad options with the field to fix', () => {
    expect(invalid({ ...base, clientId: '' })).toBe('clientId');
    expect(invalid({ ...base, tokenUrl: 'http://login.example.test/token' })).toBe('tokenUrl');
    expect(invalid({ ...base, tokenUrl: 'https://user:pw@login.example.test/token' })).toBe('tokenUrl');
    expect(invalid({ ...base, clientSecret: '' })).toBe('clientSecret');
    expect(invalid({ ...base, extraParams: { client_secret: 'x' } })).toBe('extraParams.client_secret');
    expect(invalid({ ...base, timeoutMs: -1 })).toBe('timeoutMs');
    expect(invalid({ ...base, clientAssertion: { privateKey: 'x', algorithm: 'RS256' } })).toBe('clientSecret');
  });

  it('accepts an http token URL on loopback for local identity servers', () => {
    expect(() => createClientCredentialsProvider({ ...base, tokenUrl: 'http://localhost:8080/realms/x/token' })).not.toThrow();
  });
});
