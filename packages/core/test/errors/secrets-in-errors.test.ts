import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import { HttpResponse, http } from 'msw';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type HttpError, createHttpClient, isAuthenticationError, isNetworkError, isValidationError } from '@ml-connector/core';
import { BASE, sequenceTokenProvider, useMswServer } from '../http/helpers.js';

const server = useMswServer();
const url = (p: string) => new URL(p, BASE).href;
const TOKEN = 'opaque-Token-value-0042';
const BASIC_PASSWORD = 'Pa55-word-secret';

/** Everything a log line or bug report may contain: the error, its JSON, inspect (with causes) and pino's `err` serializer. */
function renderings(error: unknown): string[] {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  pino({ level: 'debug' }, sink).error({ err: error }, 'call failed');
  const e = error as Error & { cause?: unknown };
  return [
    String(e),
    e.message,
    e.stack ?? '',
    JSON.stringify(e),
    inspect(e, { depth: 20 }),
    inspect(e.cause, { depth: 20, showHidden: true }),
    JSON.stringify(pino.stdSerializers.err(e)),
    ...lines,
  ];
}

function expectNoneContain(texts: string[], secrets: string[]) {
  for (const text of texts) for (const secret of secrets) expect(text, `leaked ${secret}`).not.toContain(secret);
}

describe('causes are sanitised (ky and undici errors hold the request URL and headers)', () => {
  afterEach(() => void vi.useRealTimers());

  it('a timed-out call keeps name, code and redacted message of the cause, never its request', async () => {
    vi.useFakeTimers();
    // Hangs until the transport's attempt deadline aborts it; the abort reason becomes the cause.
    const hanging = ((_input: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)))) as typeof fetch;
    const client = createHttpClient({
      baseUrl: BASE,
      allowLoopback: true,
      retry: false,
      throttle: false,
      timeoutMs: 1000,
      fetch: hanging,
      auth: sequenceTokenProvider([TOKEN]),
    });
    const pending = client.get('slow', { query: { sig: 'SAS-SIGNATURE-7781', company: 'CRONUS' } }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1001);
    const error = await pending;
    expect(isNetworkError(error)).toBe(true);
    const cause = (error as { cause?: Error & { code?: unknown } }).cause;
    expect(cause).toBeInstanceOf(Error);
    expect(cause?.name).toBe('TimeoutError');
    expect(Object.keys(cause ?? {})).not.toContain('request');
    const texts = renderings(error);
    expect(texts.join('\n')).toContain('TimeoutError');
    expectNoneContain(texts, [TOKEN, 'SAS-SIGNATURE-7781']);
  });

  it('a connection failure keeps the cause chain codes for diagnosis', async () => {
    const failing = (async () => {
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error(`connect ECONNREFUSED http://u:${BASIC_PASSWORD}@127.0.0.1:1/?access_token=${TOKEN}`), {
          code: 'ECONNREFUSED',
          headers: { authorization: `Bearer ${TOKEN}` },
        }),
      });
    }) as typeof fetch;
    const client = createHttpClient({ baseUrl: BASE, allowLoopback: true, retry: false, throttle: false, fetch: failing });
    const error = await client.get('x').catch((e: unknown) => e);
    const codes: unknown[] = [];
    for (let e = (error as { cause?: unknown }).cause; e; e = (e as { cause?: unknown }).cause) codes.push((e as { code?: unknown }).code);
    expect(codes).toContain('ECONNREFUSED');
    expectNoneContain(renderings(error), [TOKEN, BASIC_PASSWORD]);
  });
});

describe('credentials echoed by the server are scrubbed from every field', () => {
  const bearerClient = () =>
    createHttpClient({ baseUrl: BASE, allowLoopback: true, retry: false, throttle: false, auth: sequenceTokenProvider([TOKEN]) });

  it.each([
    ['JSON error message', (auth: string) => HttpResponse.json({ error: { code: 'BadRequest', message: `Header was ${auth}` } }, { status: 400 })],
    ['unmodelled body field', (auth: string) => HttpResponse.json({ message: 'bad', received: { value: auth.slice(7) } }, { status: 400 })],
    ['plain text body', (auth: string) => new HttpResponse(`rejected token ${auth.slice(7)}`, { status: 400, headers: { 'content-type': 'text/plain' } })],
    ['form-encoded echo', (auth: string) => HttpResponse.json({ message: `got ${encodeURIComponent(auth)}` }, { status: 400 })],
  ])('bearer token in a %s', async (_label, respond) => {
    server.use(http.get(url('echo'), ({ request }) => respond(request.headers.get('authorization') ?? '')));
    const error = (await bearerClient()
      .get('echo')
      .catch((e: unknown) => e)) as HttpError;
    expect(isValidationError(error)).toBe(true);
    const fields = [error.message, error.vendorMessage ?? '', JSON.stringify(error.data), JSON.stringify(error.details ?? {})];
    expectNoneContain([...fields, ...renderings(error)], [TOKEN]);
    expect(JSON.stringify(error)).toContain('[REDACTED]');
  });

  it('the Basic password, decoded or not, on a 401', async () => {
    const encoded = Buffer.from(`svc:${BASIC_PASSWORD}`).toString('base64');
    server.use(
      http.get(url('basic'), ({ request }) =>
        HttpResponse.json(
          { error: { code: 'Unauthorized', message: `user svc / ${BASIC_PASSWORD} refused (${request.headers.get('authorization')})` }, raw: encoded },
          { status: 401 },
        ),
      ),
    );
    const client = createHttpClient({ baseUrl: BASE, allowLoopback: true, retry: false, throttle: false, auth: { username: 'svc', password: BASIC_PASSWORD } });
    const error = (await client.get('basic').catch((e: unknown) => e)) as HttpError;
    expect(isAuthenticationError(error)).toBe(true);
    expect(error.vendorMessage).toBe('user svc / [REDACTED] refused ([REDACTED])');
    expectNoneContain([error.vendorMessage ?? '', JSON.stringify(error.data), ...renderings(error)], [BASIC_PASSWORD, encoded]);
  });

  it('a subscription key sent as a header', async () => {
    server.use(http.get(url('apim'), ({ request }) => HttpResponse.json({ message: `key ${request.headers.get('ocp-apim-subscription-key')} unknown` }, { status: 403 })));
    const client = createHttpClient({ baseUrl: BASE, allowLoopback: true, retry: false, throttle: false, headers: { 'Ocp-Apim-Subscription-Key': 'apim-key-123456789' } });
    const error = await client.get('apim').catch((e: unknown) => e);
    expectNoneContain(renderings(error), ['apim-key-123456789']);
  });
});
