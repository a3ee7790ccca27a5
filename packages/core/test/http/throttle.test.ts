import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { HttpResponse, http } from 'msw';
import {
  type RateLimitDenial,
  type RateLimitPermit,
  createAdaptiveThrottle,
  createHttpClient,
  isAbortError,
  isInvalidInputError,
  isRateLimitError,
} from '@ml-connector/core';
import { BASE, useMswServer } from './helpers.js';

beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }));
afterEach(() => vi.useRealTimers());

/** Narrows an acquire result to a permit, failing the test on a denial. */
const permit = (p: RateLimitPermit | RateLimitDenial): RateLimitPermit => {
  if ('denied' in p) expect.unreachable(`expected a permit, got a denial for ${p.retryAfterMs} ms`);
  return p;
};
const ok = { result: 'success' } as const;

describe('createAdaptiveThrottle', () => {
  it('never lets more than the concurrency limit run at once', async () => {
    const t = createAdaptiveThrottle({ initialConcurrency: 2, maxConcurrency: 2 });
    const permits = (await Promise.all([t.acquire('k'), t.acquire('k')])).map(permit);
    let third = false;
    const pending = t.acquire('k').then((p) => ((third = true), permit(p)));
    await vi.advanceTimersByTimeAsync(0);
    expect(third).toBe(false);
    expect(t.state('k')).toMatchObject({ inFlight: 2, queued: 1 });
    permits[0]?.release(ok);
    (await pending).release(ok);
    expect(third).toBe(true);
  });
  it('halves concurrency on 429, pauses for Retry-After, then recovers one step per window of successes', async () => {
    const t = createAdaptiveThrottle({ initialConcurrency: 8, maxConcurrency: 8 });
    permit(await t.acquire('k')).release({ result: 'throttled', retryAfterMs: 2000 });
    expect(t.state('k')).toMatchObject({ concurrency: 4, pausedUntil: Date.now() + 2000 });
    let granted = false;
    const next = t.acquire('k').then((p) => ((granted = true), permit(p)));
    await vi.advanceTimersByTimeAsync(1999);
    expect(granted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    (await next).release(ok);
    expect(granted).toBe(true);
    for (let i = 0; i < 3; i++) permit(await t.acquire('k')).release(ok);
    expect(t.state('k')?.concurrency).toBe(5);
    for (let i = 0; i < 3; i++) permit(await t.acquire('k')).release({ result: 'throttled' });
    expect(t.state('k')?.concurrency).toBe(1); // floor at minConcurrency
  });
  it('decreases once per congestion event: a burst of simultaneous 429s halves the limit once', async () => {
    const t = createAdaptiveThrottle({ initialConcurrency: 16, maxConcurrency: 16 });
    const burst = (await Promise.all(Array.from({ length: 5 }, () => t.acquire('k')))).map(permit);
    for (const p of burst) p.release({ result: 'throttled', retryAfterMs: 100 });
    expect(t.state('k')?.concurrency).toBe(8);
    await vi.advanceTimersByTimeAsync(100);
    // A 429 to an attempt sent after the cut is a new event.
    permit(await t.acquire('k')).release({ result: 'throttled' });
    expect(t.state('k')?.concurrency).toBe(4);
  });
  it('timeouts, resets and 5xx neither lower nor raise the limit', async () => {
    const t = createAdaptiveThrottle({ initialConcurrency: 4, maxConcurrency: 10 });
    for (let i = 0; i < 40; i++) permit(await t.acquire('k')).release({ result: 'failure' });
    expect(t.state('k')?.concurrency).toBe(4);
  });
  it('keeps separate budgets per key', async () => {
    const t = createAdaptiveThrottle({ initialConcurrency: 1, maxConcurrency: 1 });
    await t.acquire('host-a|id');
    void t.acquire('host-a|id');
    void t.acquire('host-b|id');
    await vi.advanceTimersByTimeAsync(0);
    expect(t.state('host-a|id')).toMatchObject({ inFlight: 1, queued: 1 });
    expect(t.state('host-b|id')).toMatchObject({ inFlight: 1, queued: 0 });
  });
  it('evicts idle keys so memory stays bounded', async () => {
    const t = createAdaptiveThrottle({ idleKeyTtlMs: 60_000 });
    for (let i = 0; i < 100; i++) permit(await t.acquire(`tenant-${i}|id`)).release(ok);
    const busy = permit(await t.acquire('busy|id'));
    expect(t.state('tenant-0|id')).toBeDefined();
    await vi.advanceTimersByTimeAsync(60_000);
    permit(await t.acquire('fresh|id')).release(ok);
    expect(t.state('tenant-0|id')).toBeUndefined();
    expect(t.state('tenant-99|id')).toBeUndefined();
    expect(t.state('busy|id')).toMatchObject({ inFlight: 1 }); // a key in use is never evicted
    busy.release(ok);
  });
  it('spaces attempts by the rate ceiling and lowers it on 429', async () => {
    const t = createAdaptiveThrottle({ initialConcurrency: 10, maxConcurrency: 10, maxRequestsPerSecond: 2 });
    const grantedAt: number[] = [];
    const start = Date.now();
    const all = Array.from({ length: 5 }, () => t.acquire('k').then((p) => (grantedAt.push(Date.now() - start), permit(p).release(ok))));
    await vi.advanceTimersByTimeAsync(3000);
    await Promise.all(all);
    expect(grantedAt).toEqual([0, 500, 1000, 1500, 2000]);
    permit(await t.acquire('k')).release({ result: 'throttled' });
    expect(t.state('k')?.requestsPerSecond).toBe(1);
  });
  it('keeps to a sliding window: never more than its quota in any window, and catches up after a pause', async () => {
    const t = createAdaptiveThrottle({ initialConcurrency: 10, maxConcurrency: 10, window: { requests: 3, ms: 1000 } });
    const grantedAt: number[] = [];
    const start = Date.now();
    const take = (n: number) => Array.from({ length: n }, () => t.acquire('k').then((p) => (grantedAt.push(Date.now() - start), permit(p).release(ok))));
    const first = take(5);
    await vi.advanceTimersByTimeAsync(1000);
    await Promise.all(first);
    expect(grantedAt).toEqual([0, 0, 0, 1000, 1000]);
    // After a pause the whole quota is there again at once (a token bucket would have capped it at one second's worth).
    await vi.advanceTimersByTimeAsync(5000);
    await Promise.all(take(3));
    expect(grantedAt.slice(5)).toEqual([6000, 6000, 6000]);
    expect(() => createAdaptiveThrottle({ window: { requests: 0, ms: 1000 } })).toThrow(/throttle.window/);
  });
  it('never grants more than the window allows, whatever the arrival pattern (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 5 }), async (gaps, quota) => {
        const t = createAdaptiveThrottle({ initialConcurrency: 50, maxConcurrency: 50, window: { requests: quota, ms: 1000 } });
        const grantedAt: number[] = [];
        const pending: Promise<void>[] = [];
        for (const gap of gaps) {
          await vi.advanceTimersByTimeAsync(gap);
          pending.push(t.acquire('k').then((p) => (grantedAt.push(Date.now()), permit(p).release(ok))));
        }
        await vi.advanceTimersByTimeAsync(1000 * (gaps.length / quota + 2));
        await Promise.all(pending);
        expect(grantedAt).toHaveLength(gaps.length);
        for (const at of grantedAt) expect(grantedAt.filter((other) => other >= at && other < at + 1000).length).toBeLessThanOrEqual(quota);
      }),
      { numRuns: 40 },
    );
  });
  it('removes aborted waiters from the queue', async () => {
    const t = createAdaptiveThrottle({ initialConcurrency: 1, maxConcurrency: 1 });
    const held = permit(await t.acquire('k'));
    const controller = new AbortController();
    const waiting = t.acquire('k', { signal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toSatisfy(isAbortError);
    expect(t.state('k')?.queued).toBe(0);
    held.release(ok);
  });
  it('denies at once, instead of waiting, when the pause is longer than the caller accepts', async () => {
    const t = createAdaptiveThrottle({ initialConcurrency: 1, maxConcurrency: 1 });
    const held = permit(await t.acquire('k'));
    const queued = t.acquire('k', { maxPauseMs: 60_000 });
    const patient = t.acquire('k', { maxPauseMs: 7_200_000 });
    held.release({ result: 'throttled', retryAfterMs: 3_600_000 });
    // The queued waiter learns of the hour-long pause as it starts, not an hour later.
    await expect(queued).resolves.toEqual({ denied: true, retryAfterMs: 3_600_000 });
    await expect(t.acquire('k', { maxPauseMs: 1000 })).resolves.toEqual({ denied: true, retryAfterMs: 3_600_000 });
    expect(t.state('k')?.queued).toBe(1);
    await vi.advanceTimersByTimeAsync(3_600_000);
    permit(await patient).release(ok);
  });
  it('clamps its timers: a pause beyond 2^31-1 ms never sets an overflowing timeout', async () => {
    const spy = vi.spyOn(globalThis, 'setTimeout');
    const t = createAdaptiveThrottle({ initialConcurrency: 1, maxConcurrency: 1 });
    permit(await t.acquire('k')).release({ result: 'throttled', retryAfterMs: 30 * 86_400_000 });
    const controller = new AbortController();
    const waiting = t.acquire('k', { signal: controller.signal });
    await vi.advanceTimersByTimeAsync(0);
    const delays = spy.mock.calls.map((call) => call[1] ?? 0);
    expect(delays.length).toBeGreaterThan(0);
    expect(Math.max(...delays)).toBeLessThanOrEqual(2 ** 31 - 1);
    controller.abort();
    await expect(waiting).rejects.toSatisfy(isAbortError);
  });
  it('rejects inconsistent settings with a typed error', () => {
    expect(() => createAdaptiveThrottle({ initialConcurrency: 10, maxConcurrency: 5 })).toThrow(/minConcurrency <= initialConcurrency/);
    expect(() => createAdaptiveThrottle({ backoffFactor: 1 })).toThrow(expect.toSatisfy(isInvalidInputError));
    expect(() => createAdaptiveThrottle({ idleKeyTtlMs: 3e9 })).toThrow(/2\^31-1/);
  });
});

/** Lets real msw I/O run between fake-timer jumps until `done()` or 100 timers have fired. */
async function drive(done: () => boolean) {
  for (let i = 0; i < 300 && !done(); i++) {
    for (let k = 0; k < 5; k++) await new Promise((r) => setImmediate(r));
    if (!done()) await vi.advanceTimersToNextTimerAsync();
  }
}

describe('throttle policy in the client', () => {
  const server = useMswServer();
  it('limits in-flight requests per host and identity, and after a 429 pauses the key and lowers its limit', async () => {
    let inFlight = 0;
    let peak = 0;
    let first = true;
    const starts: Array<{ at: number; inFlight: number }> = [];
    server.use(
      http.get(new URL('items', BASE).href, async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        starts.push({ at: Date.now(), inFlight });
        await new Promise((r) => setTimeout(r, 100));
        inFlight--;
        if (first) {
          first = false;
          return HttpResponse.json({}, { status: 429, headers: { 'retry-after': '1' } });
        }
        return HttpResponse.json({ ok: true });
      }),
    );
    const throttle = createAdaptiveThrottle({ initialConcurrency: 3, maxConcurrency: 3 });
    const c = createHttpClient({ baseUrl: BASE, allowLoopback: true, throttle, auth: { username: 'svc', password: 'x' } });
    const t0 = Date.now();
    let settled = 0;
    const calls = Array.from({ length: 12 }, () => c.get('items').finally(() => settled++));
    await drive(() => settled === 12);
    await Promise.all(calls);
    expect(peak).toBe(3);
    // The first wave of 3 started at once; nothing started during the 1 s pause after the 429 at 100 ms.
    expect(starts.slice(0, 3).map((s) => s.at - t0)).toEqual([0, 0, 0]);
    expect(starts.slice(3).every((s) => s.at - t0 >= 1100)).toBe(true);
    // Right after the pause the limit was 1 (3 halved, floored): the first resumed attempt ran alone.
    expect(starts[3]?.inFlight).toBe(1);
  });
  it('a long Retry-After fails later calls fast with RateLimitError instead of pausing them for the hour', async () => {
    server.use(http.get(new URL('busy', BASE).href, () => HttpResponse.json({}, { status: 429, headers: { 'retry-after': '3600' } })));
    const throttle = createAdaptiveThrottle();
    const c = createHttpClient({ baseUrl: BASE, allowLoopback: true, throttle });
    let firstError: unknown;
    const first = c.get('busy').catch((e: unknown) => (firstError = e));
    await drive(() => firstError !== undefined);
    await first;
    expect(isRateLimitError(firstError)).toBe(true);
    // No timer is advanced from here: a call that waited on the pause would never settle.
    let later: unknown;
    void c.get('busy', { retry: false, timeoutMs: 1000 }).catch((e: unknown) => (later = e));
    for (let k = 0; k < 5 && later === undefined; k++) await new Promise((r) => setImmediate(r));
    expect(isRateLimitError(later)).toBe(true);
    expect((later as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(3_500_000);
    expect((later as Error).message).toMatch(/maxRetryAfterMs/);
    // A call that accepts long waits queues behind the pause instead.
    let patient: unknown;
    void c.get('busy', { retry: { maxRetryAfterMs: 7_200_000, maxRetries: 0 } }).then(
      (v) => (patient = v),
      (e: unknown) => (patient = e),
    );
    for (let k = 0; k < 5; k++) await new Promise((r) => setImmediate(r));
    expect(patient).toBeUndefined();
  });
});
