import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  NetworkError,
  RefreshTokenPersistError,
  ServerError,
  createCredentialVault,
  createRefreshTokenProvider,
  vaultRefreshTokenStore,
  type RefreshLock,
  type RefreshTokenStore,
} from '@ml-connector/core';
import { fakeTokenEndpoint, tokenJson } from './token-endpoint-fake.js';

const TOKEN_URL = 'https://auth.example.test/oauth/token';
const base = { tokenUrl: TOKEN_URL, clientId: 'client-3lo', clientSecret: 'secret-3lo' };

/** A store that logs reads and writes into `events`. */
function memoryStore(initial: string | undefined, events: string[] = []) {
  let value = initial;
  const store: RefreshTokenStore & { value: () => string | undefined } = {
    read: async () => {
      events.push(`read:${value}`);
      return value;
    },
    write: async (token) => {
      events.push(`write:${token}`);
      value = token;
    },
    value: () => value,
  };
  return store;
}

/** A process-wide mutex standing in for a cross-process lock. */
function mutex(events: string[] = []): RefreshLock {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>) => {
    const run = tail.then(async () => {
      events.push('lock');
      try {
        return await fn();
      } finally {
        events.push('unlock');
      }
    });
    tail = run.catch(() => undefined);
    return run;
  };
}

/** A rotating-token server: each refresh token works once and is replaced by its successor. */
function rotatingServer(first = 'rt-1') {
  let valid = first;
  let counter = Number(first.split('-')[1]);
  return fakeTokenEndpoint(({ form }) => {
    if (form.get('refresh_token') !== valid) return tokenJson({ error: 'invalid_grant', error_description: 'Unknown or invalid refresh token.' }, 403);
    valid = `rt-${++counter}`;
    return tokenJson({ access_token: `at-${counter}`, refresh_token: valid, expires_in: 3600, token_type: 'Bearer' });
  });
}

describe('createRefreshTokenProvider over HTTP (msw)', () => {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  it('posts the refresh_token grant and persists the rotated token', async () => {
    let form: URLSearchParams | undefined;
    server.use(
      http.post(TOKEN_URL, async ({ request }) => {
        form = new URLSearchParams(await request.text());
        return HttpResponse.json({ access_token: 'at-2', refresh_token: 'rt-2', expires_in: 3600 });
      }),
    );
    const store = memoryStore('rt-1');
    const provider = createRefreshTokenProvider({ ...base, store, scope: 'read:jira-work offline_access' });
    expect((await provider.getToken()).token).toBe('at-2');
    expect(Object.fromEntries(form!)).toEqual({
      grant_type: 'refresh_token',
      client_id: 'client-3lo',
      client_secret: 'secret-3lo',
      refresh_token: 'rt-1',
      scope: 'read:jira-work offline_access',
    });
    expect(store.value()).toBe('rt-2');
  });
});

describe('createRefreshTokenProvider rotation', () => {
  it('reads inside the lock and writes the successor before the access token is returned', async () => {
    const events: string[] = [];
    const { fetch } = rotatingServer();
    const store = memoryStore('rt-1', events);
    const provider = createRefreshTokenProvider({ ...base, store, fetch, lock: mutex(events) });
    const token = await provider.getToken();
    events.push(`got:${token.token}`);
    expect(events).toEqual(['lock', 'read:rt-1', 'write:rt-2', 'unlock', 'got:at-2']);
  });

  it('keeps one refresh in flight for concurrent callers', async () => {
    const { fetch, requests } = rotatingServer();
    const events: string[] = [];
    const provider = createRefreshTokenProvider({ ...base, store: memoryStore('rt-1', events), fetch });
    const tokens = await Promise.all(Array.from({ length: 50 }, () => provider.getToken()));
    expect(new Set(tokens.map((t) => t.token)).size).toBe(1);
    expect(requests).toHaveLength(1);
    expect(events.filter((e) => e.startsWith('write'))).toHaveLength(1);
  });

  it('never spends the same refresh token twice across two processes sharing store and lock', async () => {
    const { fetch, requests } = rotatingServer();
    const store = memoryStore('rt-1');
    const lock = mutex();
    // Separate providers with separate caches, as two processes would have.
    const a = createRefreshTokenProvider({ ...base, store, lock, fetch });
    const b = createRefreshTokenProvider({ ...base, store, lock, fetch });
    const [ta, tb] = await Promise.all([a.getToken(), b.getToken()]);
    expect([ta.token, tb.token].sort()).toEqual(['at-2', 'at-3']);
    expect(requests.map((r) => r.form.get('refresh_token'))).toEqual(['rt-1', 'rt-2']);
    expect(store.value()).toBe('rt-3');
  });

  it('throws RefreshTokenPersistError and does not cache the token when the store cannot write', async () => {
    const { fetch } = rotatingServer();
    const store: RefreshTokenStore = {
      read: async () => 'rt-1',
      write: async () => {
        throw new Error('disk full');
      },
    };
    const provider = createRefreshTokenProvider({ ...base, store, fetch });
    const error = await provider.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RefreshTokenPersistError);
    expect((error as RefreshTokenPersistError).code).toBe('REFRESH_TOKEN_NOT_SAVED');
    // Nothing was cached: the next call goes to the server again.
    await expect(provider.getToken()).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('does not write when the server does not rotate the refresh token', async () => {
    const events: string[] = [];
    const { fetch } = fakeTokenEndpoint(() => tokenJson({ access_token: 'at', expires_in: 3600 }));
    await createRefreshTokenProvider({ ...base, store: memoryStore('rt-1', events), fetch }).getToken();
    expect(events).toEqual(['read:rt-1']);
  });

  it('retries once with the re-read token when invalid_grant follows a rotation by another process', async () => {
    const { fetch, requests } = rotatingServer('rt-5');
    const events: string[] = [];
    let reads = 0;
    const store: RefreshTokenStore = {
      // The first read returns a token another process already spent; the second sees its successor.
      read: async () => (++reads === 1 ? 'rt-4' : 'rt-5'),
      write: async (token) => void events.push(`write:${token}`),
    };
    const provider = createRefreshTokenProvider({ ...base, store, fetch });
    expect((await provider.getToken()).token).toBe('at-6');
    expect(requests.map((r) => r.form.get('refresh_token'))).toEqual(['rt-4', 'rt-5']);
    expect(events).toEqual(['write:rt-6']);
  });

  it('says re-authorisation is needed when invalid_grant persists and the stored token did not change', async () => {
    const { fetch, requests } = rotatingServer('rt-9');
    const provider = createRefreshTokenProvider({ ...base, store: memoryStore('rt-1'), fetch });
    const error = await provider.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    const auth = error as AuthenticationError;
    expect(auth.message).toMatch(/re-authorisation is needed/);
    expect(auth.vendorCode).toBe('invalid_grant');
    expect(auth.status).toBe(403);
    expect(auth.details).toEqual({ reauthorizationRequired: true });
    expect(requests).toHaveLength(1);
  });

  it('says re-authorisation is needed when no refresh token is stored, without calling the server', async () => {
    const { fetch, requests } = rotatingServer();
    const error = await createRefreshTokenProvider({ ...base, store: memoryStore(undefined), fetch })
      .getToken()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toMatch(/re-authorisation is needed/);
    expect(requests).toHaveLength(0);
  });

  it('does not resend after a network error (the server may already have rotated the token)', async () => {
    const { fetch, requests } = fakeTokenEndpoint(() => {
      throw new TypeError('socket hang up');
    });
    const provider = createRefreshTokenProvider({ ...base, store: memoryStore('rt-1'), fetch, sleep: async () => {} });
    await expect(provider.getToken()).rejects.toBeInstanceOf(NetworkError);
    expect(requests).toHaveLength(1);
  });

  it('retries a 5xx answer, which rotated nothing', async () => {
    const { fetch, requests } = fakeTokenEndpoint(() => tokenJson({ error: 'server_error' }, 502));
    const provider = createRefreshTokenProvider({ ...base, store: memoryStore('rt-1'), fetch, sleep: async () => {} });
    await expect(provider.getToken()).rejects.toBeInstanceOf(ServerError);
    expect(requests).toHaveLength(3);
  });

  it('keeps users apart in a shared cache through principal', () => {
    const store = memoryStore('rt-1');
    const alice = createRefreshTokenProvider({ ...base, store, principal: 'alice' });
    const bob = createRefreshTokenProvider({ ...base, store, principal: 'bob' });
    expect(alice.identity).toBe(`${TOKEN_URL}|client-3lo||alice`);
    expect(alice.identity).not.toBe(bob.identity);
  });

  it('stores rotated refresh tokens encrypted in a credential vault', async () => {
    const vault = createCredentialVault({ key: new Uint8Array(32).fill(7) });
    await vault.put('jira/refresh-token', 'rt-1');
    const { fetch } = rotatingServer();
    const provider = createRefreshTokenProvider({ ...base, store: vaultRefreshTokenStore(vault, 'jira/refresh-token'), fetch });
    await provider.getToken();
    expect(await vault.get('jira/refresh-token')).toBe('rt-2');
  });
});
