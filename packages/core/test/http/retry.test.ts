import { HttpResponse, http } from 'msw';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type RetryEvent,
  type RetryOptions,
  createHttpClient,
  createRetryBudget,
  isAbortError,
  isOutcomeUnknownError,
  isRateLimitError,
  isServerError,
} from '@ml-connector/core';
import { BASE, captureLogger, useMswServer } from './helpers.js';

const server = useMswServer();
const url = (p: string) => new URL(p, BASE).href;

/** Responds with each of `responses` in turn (the last one repeats); counts calls. */
function sequence(method: 'get' | 'post' | 'patch', path: string, responses: Array<() => Response>) {
  const calls = { count: 0 };
  server.use(
    http[method](url(path), () => {
      const make = responses[Math.min(calls.count, responses.length - 1)] as () => Response;
      calls.count++;
      return make();
    }),
  );
  return calls;
}
const status = (code: number, headers: Record<string, string> = {}, body: unknown = { error: { code: `E${code}`, message: `status ${code}` } }) =>
  () => HttpResponse.json(body as object, { status: code, headers });
const ok = () => HttpResponse.json({ ok: true });

type Options = Parameters<typeof createHttpClient>[0];
function client(extra: Partial<Omit<Options, 'retry'>> & { retry?: Partial<RetryOptions> } = {}) {
  const events: RetryEvent[] = [];
  const c = createHttpClient({
    baseUrl: BASE,
    allowLoopback: true,
    throttle: false,
    onRetry: (e) => events.push(e),
    ...extra,
    retry: { random: () => 1, ...extra.retry },
  });
  return { c, events };
}

beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }));
afterEach(() => vi.useRealTimers());

/** Runs `promise` to completion while advancing fake time from timer to timer. */
async function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  let done = false;
  const outcome: { value?: T; error?: unknown } = {};
  promise.then(
    (v) => {
      outcome.value = v;
      done = true;
    },
    (e) => {
      outcome.error = e;
      done = true;
    },
  );
  for (let i = 0; i < 200 && !done; i++) {
    // Let in-flight (real) I/O finish before jumping the fake clock, or attempt timeouts would fire early.
    for (let k = 0; k < 20 && !done; k++) await new Promise((r) => setImmediate(r));
    if (!done) await vi.advanceTimersToNextTimerAsync();
  }
  return outcome;
}

describe('retry policy: server-requested waits', () => {
  it('waits exactly the Retry-After seconds on 429, then succeeds', async () => {
    const calls = sequence('get', 'vendors', [status(429, { 'retry-after': '3' }), ok]);
    const { c, events } = client();
    const pending = c.request({ path: 'vendors' });
    await vi.advanceTimersByTimeAsync(2999);
    expect(calls.count).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    const r = await settle(pending);
    expect(r.value?.data).toEqual({ ok: true });
    expect(calls.count).toBe(2);
    expect(events).toEqual([expect.objectContaining({ reason: 'rate-limited', delayMs: 3000, status: 429, attempt: 1 })]);
    expect(r.value?.retries).toEqual([{ attempt: 1, reason: 'rate-limited', delayMs: 3000, status: 429 }]);
  });
  it('honours an HTTP-date Retry-After and retry-after-ms', async () => {
    sequence('get', 'a', [() => HttpResponse.json({}, { status: 503, headers: { 'retry-after': new Date(Math.ceil(Date.now() / 1000) * 1000 + 5000).toUTCString() } }), ok]);
    const { c, events } = client();
    await settle(c.get('a'));
    sequence('get', 'b', [status(429, { 'retry-after-ms': '250', 'retry-after': '9' }), ok]);
    await settle(c.get('b'));
    // HTTP-dates have whole seconds: the wait is the distance to that second, not a backoff guess.
    expect(events[0]?.delayMs).toBeGreaterThan(4000);
    expect(events[0]?.delayMs).toBeLessThanOrEqual(6000);
    expect(events[0]?.reason).toBe('service-unavailable');
    expect(events[1]?.delayMs).toBe(250);
  });
  it('throws RateLimitError with retryAfterMs at once when the wait exceeds maxRetryAfterMs', async () => {
    const calls = sequence('get', 'vendors', [status(429, { 'retry-after': '600' })]);
    const { c, events } = client({ retry: { maxRetryAfterMs: 60_000 } });
    const r = await settle(c.get('vendors'));
    expect(events).toEqual([]);
    expect(isRateLimitError(r.error)).toBe(true);
    expect(r.error).toMatchObject({ retryAfterMs: 600_000, status: 429, code: 'RATE_LIMITED' });
    expect(calls.count).toBe(1);
  });
  it('gives up after maxRetries with a RateLimitError carrying the retry history', async () => {
    const calls = sequence('get', 'vendors', [status(429, { 'retry-after': '1' })]);
    const { c } = client({ retry: { maxRetries: 2 } });
    const r = await settle(c.get('vendors'));
    expect(calls.count).toBe(3);
    expect(isRateLimitError(r.error)).toBe(true);
    expect((r.error as { retries: unknown[] }).retries).toHaveLength(2);
    expect((r.error as { retryAfterMs: number }).retryAfterMs).toBe(1000);
  });
  it('applies per-call retry overrides over the client settings', async () => {
    const calls = sequence('get', 'once', [status(503)]);
    const { c } = client({ retry: { maxRetries: 4 } });
    await settle(c.request({ path: 'once', retry: false }));
    expect(calls.count).toBe(1);
    const calls2 = sequence('get', 'twice', [status(503)]);
    await settle(c.request({ path: 'twice', retry: { maxRetries: 1 } }));
    expect(calls2.count).toBe(2);
    sequence('get', 'patient', [status(429, { 'retry-after': '120' }), ok]);
    const r = await settle(c.request({ path: 'patient', retry: { maxRetryAfterMs: 300_000 } }));
    expect(r.value?.status).toBe(200);
  });
  it('backs off exponentially when a 429 carries no Retry-After', async () => {
    sequence('get', 'x', [status(429, {}), status(429, {}), ok]);
    const { c, events } = client();
    await settle(c.get('x'));
    expect(events.map((e) => e.delayMs)).toEqual([500, 1000]);
  });
});

describe('retry policy: failures', () => {
  it('retries 5xx on GET with full-jitter exponential backoff', async () => {
    sequence('get', 'x', [status(500), status(502), status(504), ok]);
    const randoms = [0.5, 0.25, 1];
    const { c, events } = client({ retry: { random: () => randoms.shift() ?? 1 } });
    const r = await settle(c.get('x'));
    expect(r.value).toEqual({ ok: true });
    expect(events.map((e) => [e.reason, e.delayMs])).toEqual([
      ['server-error', 250],
      ['server-error', 250],
      ['server-error', 2000],
    ]);
  });
  it('caps each backoff step at maxDelayMs', async () => {
    sequence('get', 'x', [status(500), status(500), status(500), ok]);
    const { c, events } = client({ retry: { baseDelayMs: 1000, maxDelayMs: 1500 } });
    await settle(c.get('x'));
    expect(events.map((e) => e.delayMs)).toEqual([1000, 1500, 1500]);
  });
  it('stops retrying when the retry budget is spent, and refunds on success', async () => {
    const budget = createRetryBudget({ capacity: 10, retryCost: 5, successRefund: 1 });
    const calls = sequence('get', 'x', [status(500)]);
    const { c } = client({ retryBudget: budget });
    const r = await settle(c.get('x'));
    expect(isServerError(r.error)).toBe(true);
    expect(calls.count).toBe(3); // 1 + 2 retries affordable
    expect(budget.available).toBe(0);
    sequence('get', 'y', [ok]);
    await settle(c.get('y'));
    expect(budget.available).toBe(1);
  });
  it('never retries a POST after a 500 or a 503 without Retry-After', async () => {
    const calls = sequence('post', 'invoices', [status(500)]);
    const { c } = client();
    expect(isServerError((await settle(c.post('invoices', { json: { a: 1 } }))).error)).toBe(true);
    expect(calls.count).toBe(1);
    const calls503 = sequence('post', 'orders', [status(503)]);
    await settle(c.post('orders', { json: {} }));
    expect(calls503.count).toBe(1);
  });
  it('retries a POST on 429 and on a 503 that carries Retry-After (not processed)', async () => {
    const calls = sequence('post', 'invoices', [status(429, { 'retry-after': '1' }), status(503, { 'retry-after': '2' }), ok]);
    const { c, events } = client();
    const r = await settle(c.post('invoices', { json: { a: 1 } }));
    expect(r.value).toEqual({ ok: true });
    expect(calls.count).toBe(3);
    expect(events.map((e) => e.reason)).toEqual(['rate-limited', 'service-unavailable']);
  });
  it('turns 408, 502 and 504 on a write into OutcomeUnknownError without retrying', async () => {
    for (const code of [408, 502, 504]) {
      const calls = sequence('post', `w${code}`, [status(code)]);
      const { c } = client();
      const r = await settle(c.post(`w${code}`, { json: {} }));
      expect(isOutcomeUnknownError(r.error), `status ${code}`).toBe(true);
      expect(calls.count).toBe(1);
    }
  });
  it('treats a write marked idempotent like a GET', async () => {
    const calls = sequence('patch', 'v', [status(502), ok]);
    const { c } = client();
    const r = await settle(c.request({ method: 'PATCH', path: 'v', json: {}, idempotent: true }));
    expect(r.value?.status).toBe(200);
    expect(calls.count).toBe(2);
  });
  it('a network failure before any response: GET retries, POST raises OutcomeUnknownError', async () => {
    const getCalls = sequence('get', 'net', [() => HttpResponse.error(), ok]);
    const { c, events } = client();
    expect((await settle(c.get('net'))).value).toEqual({ ok: true });
    expect(getCalls.count).toBe(2);
    expect(events[0]?.reason).toBe('connection-reset');
    const postCalls = sequence('post', 'net', [() => HttpResponse.error(), ok]);
    const r = await settle(c.post('net', { json: {} }));
    expect(isOutcomeUnknownError(r.error)).toBe(true);
    expect((r.error as Error).message).toMatch(/natural key/);
    expect(postCalls.count).toBe(1);
  });
  it('times out each attempt: GET retries, POST raises OutcomeUnknownError', async () => {
    let n = 0;
    server.use(
      http.all(url('slow'), async () => {
        n++;
        if (n === 1 || n === 3) await new Promise((r) => setTimeout(r, 60_000));
        return HttpResponse.json({ ok: true });
      }),
    );
    const { c, events } = client({ timeoutMs: 1000 });
    const r = await settle(c.get('slow'));
    expect(r.value).toEqual({ ok: true });
    expect(events[0]?.reason).toBe('timeout');
    const w = await settle(c.post('slow', { json: {} }));
    expect(isOutcomeUnknownError(w.error)).toBe(true);
    expect((w.error as Error).message).toMatch(/No response within 1000 ms/);
  });
  it('aborts during a retry wait with AbortError at once, without another attempt', async () => {
    const calls = sequence('get', 'x', [status(429, { 'retry-after': '30' })]);
    const { c, events } = client();
    const controller = new AbortController();
    let outcome: unknown;
    void c.get('x', { signal: controller.signal }).then(
      (v) => (outcome = v),
      (e: unknown) => (outcome = e),
    );
    for (let k = 0; k < 2000 && events.length === 0; k++) await new Promise((r) => setImmediate(r));
    expect(events).toHaveLength(1); // now sleeping the 30 s Retry-After
    await vi.advanceTimersByTimeAsync(1000);
    const timersBefore = vi.getTimerCount();
    controller.abort();
    // Prompt: settled within a few microtask turns, with no timer fired and the 29 s left unslept.
    for (let k = 0; k < 5 && outcome === undefined; k++) await Promise.resolve();
    expect(isAbortError(outcome)).toBe(true);
    expect(vi.getTimerCount()).toBe(timersBefore - 1); // the retry timer was cleared
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls.count).toBe(1);
  });
  it('logs each retry decision with its reason at warn level', async () => {
    sequence('get', 'x', [status(503), ok]);
    const logger = captureLogger();
    const { c } = client({ logger });
    await settle(c.get('x'));
    const warn = logger.lines.find((l) => l.level === 'warn');
    expect(warn?.fields).toMatchObject({ reason: 'server-error', status: 503, attempt: 1 });
  });
});
