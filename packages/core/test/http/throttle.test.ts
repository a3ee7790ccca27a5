import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HttpResponse, http } from 'msw';
import { createAdaptiveThrottle, createHttpClient, isAbortError, isInvalidInputError } from '@ml-connector/core';
import { BASE, useMswServer } from './helpers.js';

beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }));
afterEach(() => vi.useRealTimers());

describe('createAdaptiveThrottle', () => {
  it('never lets more than the concurrency limit run at once', async () => {
    const t = createAdaptiveThrottle({ initialConcurrency: 2, maxConcurrency: 2 });
    const permits = await Promise.all([t.acquire('k'), t.acquire('k')]);
    let third = false;
    const pending = t.acquire('k').then((p) => ((third = true), p));
    await vi.advanceTimersByTimeAsync(0);
    expect(third).toBe(false);
    expect(t.state('k')).toMatchObject({ inFlight: 2, queued: 1 });
    permits[0]?.release({ throttled: false });
    (await pending).release({ throttled: false });
    expect(third).toBe(true);
  });
  it('halves concurrency on 429, pauses for Retry-After, then recovers one step per window of successes', async () => {
    const t = createAdaptiveThrottle({ initialConcurrency: 8, maxConcurrency: 8 });
    (await t.acquire('k')).release({ throttled: true, retryAfterMs: 2000 });
    expect(t.state('k')).toMatchObject({ concurrency: 4, pausedUntil: Date.now() + 2000 });
    let granted = false;
    const next = t.acquire('k').then((p) => ((granted = true), p));
    await vi.advanceTimersByTimeAsync(1999);
    expect(granted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    (await next).release({ throttled: false });
    expect(granted).toBe(true);
    for (let i = 0; i < 3; i++) (await t.acquire('k')).release({ throttled: false });
    expect(t.state('k')?.concurrency).toBe(5);
    (await t.acquire('k')).release({ throttled: true });
    (await t.acquire('k')).release({ throttled: true });
    (await t.acquire('k')).release({ throttled: true });
    expect(t.state('k')?.concurrency).toBe(1); // floor at minConcurrency
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
  it('spaces attempts by the rate ceiling and lowers it on 429', async () => {
    const t = createAdaptiveThrottle({ initialConcurrency: 10, maxConcurrency: 10, maxRequestsPerSecond: 2 });
    const grantedAt: number[] = [];
    const start = Date.now();
    const all = Array.from({ length: 5 }, () => t.acquire('k').then((p) => (grantedAt.push(Date.now() - start), p.release({ throttled: false }))));
    await vi.advanceTimersByTimeAsync(3000);
    await Promise.all(all);
    expect(grantedAt).toEqual([0, 500, 1000, 1500, 2000]);
    (await t.acquire('k')).release({ throttled: true });
    expect(t.state('k')?.requestsPerSecond).toBe(1);
  });
  it('removes aborted waiters from the queue', async () => {
    const t = createAdaptiveThrottle({ initialConcurrency: 1, maxConcurrency: 1 });
    const held = await t.acquire('k');
    const controller = new AbortController();
    const waiting = t.acquire('k', controller.signal);
    controller.abort();
    await expect(waiting).rejects.toSatisfy(isAbortError);
    expect(t.state('k')?.queued).toBe(0);
    held.release({ throttled: false });
  });
  it('rejects inconsistent settings with a typed error', () => {
    expect(() => createAdaptiveThrottle({ initialConcurrency: 10, maxConcurrency: 5 })).toThrow(/minConcurrency <= initialConcurrency/);
    try {
      createAdaptiveThrottle({ backoffFactor: 1 });
    } catch (e) {
      expect(isInvalidInputError(e)).toBe(true);
    }
  });
});

describe('throttle policy in the client', () => {
  const server = useMswServer();
  it('limits in-flight requests per host and identity, and backs off after a 429', async () => {
    let inFlight = 0;
    let peak = 0;
    let first = true;
    server.use(
      http.get(new URL('items', BASE).href, async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
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
    const calls = Promise.all(Array.from({ length: 12 }, () => c.get('items')));
    for (let i = 0; i < 100; i++) {
      for (let k = 0; k < 5; k++) await new Promise((r) => setImmediate(r));
      await vi.advanceTimersToNextTimerAsync();
    }
    await calls;
    expect(peak).toBe(3);
    expect(throttle.state('127.0.0.1:7999|basic:svc')?.concurrency).toBeLessThanOrEqual(3);
    expect(throttle.state('127.0.0.1:7999|basic:svc')?.pausedUntil).toBeGreaterThan(0);
  });
});
