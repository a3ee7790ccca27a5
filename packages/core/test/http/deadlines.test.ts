import { HttpResponse, http } from 'msw';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createHttpClient,
  isAbortError,
  isInvalidInputError,
  isNetworkError,
  isOutcomeUnknownError,
} from '@ml-connector/core';
import { BASE, useMswServer } from './helpers.js';

const server = useMswServer();
const url = (p: string) => new URL(p, BASE).href;

beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }));
afterEach(() => vi.useRealTimers());

/** Settles `promise` while moving fake time forward timer by timer, letting real I/O run in between. */
async function settle<T>(promise: Promise<T>, maxTimers = 50): Promise<{ value?: T; error?: unknown; done: boolean; elapsedMs: number }> {
  const start = Date.now();
  const outcome: { value?: T; error?: unknown; done: boolean; elapsedMs: number } = { done: false, elapsedMs: 0 };
  promise.then(
    (v) => Object.assign(outcome, { value: v, done: true, elapsedMs: Date.now() - start }),
    (e: unknown) => Object.assign(outcome, { error: e, done: true, elapsedMs: Date.now() - start }),
  );
  for (let i = 0; i < maxTimers && !outcome.done; i++) {
    for (let k = 0; k < 20 && !outcome.done; k++) await new Promise((r) => setImmediate(r));
    if (!outcome.done) await vi.advanceTimersToNextTimerAsync();
  }
  return outcome;
}

describe('aborts', () => {
  it('a write aborted by the caller after it was sent is OutcomeUnknownError with the AbortError as cause', async () => {
    let received = 0;
    server.use(http.post(url('slow'), () => (received++, new Promise<Response>(() => undefined))));
    const c = createHttpClient({ baseUrl: BASE, allowLoopback: true, throttle: false });
    const controller = new AbortController();
    const pending = c.post('slow', { json: { n: 1 }, signal: controller.signal });
    for (let k = 0; k < 2000 && received === 0; k++) await new Promise((r) => setImmediate(r));
    expect(received).toBe(1);
    controller.abort();
    const error = await pending.catch((e: unknown) => e);
    expect(isOutcomeUnknownError(error)).toBe(true);
    expect((error as Error).message).toMatch(/aborted after the request was sent/);
    expect((error as { cause?: unknown }).cause).toMatchObject({ name: 'AbortError', code: 'ABORTED' });
  });
  it('an abort before anything was sent stays AbortError, for writes and reads alike', async () => {
    server.use(http.all(url('slow'), () => new Promise<Response>(() => undefined)));
    const c = createHttpClient({ baseUrl: BASE, allowLoopback: true, throttle: false });
    await expect(c.post('slow', { json: {}, signal: AbortSignal.abort() })).rejects.toSatisfy(isAbortError);
    const controller = new AbortController();
    const read = c.get('slow', { signal: controller.signal });
    await new Promise((r) => setImmediate(r));
    controller.abort();
    await expect(read).rejects.toSatisfy(isAbortError);
  });
});

describe('programming errors are not network errors', () => {
  it('rejects timeouts and delays beyond 2^31-1 ms with InvalidInputError instead of a retried RangeError', async () => {
    let calls = 0;
    server.use(http.all(url('x'), () => (calls++, HttpResponse.json({}))));
    expect(() => createHttpClient({ baseUrl: BASE, allowLoopback: true, timeoutMs: 3e9 })).toThrow(expect.toSatisfy(isInvalidInputError));
    expect(() => createHttpClient({ baseUrl: BASE, allowLoopback: true, retry: { maxDelayMs: 3e9 } })).toThrow(/retry\.maxDelayMs/);
    expect(() => createHttpClient({ baseUrl: BASE, allowLoopback: true, retry: { maxRetryAfterMs: Infinity } })).toThrow(/retry\.maxRetryAfterMs/);
    const c = createHttpClient({ baseUrl: BASE, allowLoopback: true, throttle: false });
    const get = await c.get('x', { timeoutMs: 3e9 }).catch((e: unknown) => e);
    expect(isInvalidInputError(get)).toBe(true);
    expect(get).toMatchObject({ field: 'timeoutMs' });
    const post = await c.post('x', { json: {}, timeoutMs: 3e9 }).catch((e: unknown) => e);
    expect(isInvalidInputError(post)).toBe(true);
    await expect(c.get('x', { retry: { maxRetryAfterMs: -1 } })).rejects.toSatisfy(isInvalidInputError);
    expect(calls).toBe(0);
  });
  it('a bug inside fetch surfaces unchanged: not retried, not a NetworkError, not a false unknown outcome', async () => {
    let calls = 0;
    const bug = new RangeError('Invalid array length');
    const fetch = (async () => {
      calls++;
      throw bug;
    }) as typeof globalThis.fetch;
    const c = createHttpClient({ baseUrl: BASE, allowLoopback: true, throttle: false, fetch, retry: { random: () => 0 } });
    await expect(c.get('x')).rejects.toBe(bug);
    expect(calls).toBe(1);
    await expect(c.post('x', { json: {} })).rejects.toBe(bug);
    expect(calls).toBe(2);
  });
  it('a real network failure from fetch is still classified (undici TypeError with a socket code)', async () => {
    let calls = 0;
    const fetch = (async () => {
      calls++;
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
    }) as typeof globalThis.fetch;
    const c = createHttpClient({ baseUrl: BASE, allowLoopback: true, throttle: false, fetch, retry: { maxRetries: 1, random: () => 0 } });
    const r = await settle(c.get('x'));
    expect(r.error).toMatchObject({ code: 'CONNECTION_RESET' });
    expect(calls).toBe(2);
  });
});
