import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isInvalidInputError } from '@ml-connector/core';
import { type RedisRateLimiter, createRedisRateLimiter } from '@ml-connector/redis';
import { requireService } from './services.js';

const url = process.env.REDIS_URL;
requireService('REDIS_URL');

/** Thrown by the controlled sleep: the caller would have to wait, so this attempt gets nothing. */
class WouldWait extends Error {
  constructor(readonly ms: number) {
    super(`would wait ${ms} ms`);
  }
}

describe.skipIf(!url)('Redis rate limiter (one budget shared by every worker)', () => {
  const connections: Redis[] = [];
  let clock = 1_000_000;
  let prefix = '';
  let tests = 0;
  const now = () => clock;
  const neverWait = async (ms: number) => {
    throw new WouldWait(ms);
  };
  /** N workers, each with its own connection and limiter instance: they share nothing but Redis. */
  const workers = (n: number, options: Partial<Parameters<typeof createRedisRateLimiter>[0]> = {}): RedisRateLimiter[] =>
    Array.from({ length: n }, () => {
      const redis = new Redis(url!);
      connections.push(redis);
      return createRedisRateLimiter({ redis, prefix, requestsPerSecond: 10, initialConcurrency: 100, maxConcurrency: 100, now, sleep: neverWait, ...options });
    });
  const tryAcquire = async (limiter: RedisRateLimiter, key = 'tenant-a', maxPauseMs?: number) => {
    try {
      return await limiter.acquire(key, { maxPauseMs });
    } catch (error) {
      if (error instanceof WouldWait) return undefined;
      throw error;
    }
  };

  beforeAll(() => {
    prefix = `test-rl-${process.pid}-${Date.now()}`;
  });
  afterAll(async () => {
    await Promise.all(connections.map((c) => c.quit()));
  });
  const fresh = () => {
    prefix = `test-rl-${process.pid}-${Date.now()}-${++tests}`;
    clock = 1_000_000;
  };

  it('keeps 4 workers together under the per-second budget, second after second', async () => {
    fresh();
    const limiters = workers(4);
    let granted = 0;
    const perSecond: number[] = [];
    for (let second = 0; second < 10; second++) {
      let thisSecond = 0;
      // Each worker tries 8 times every 100 ms: 320 attempts a second against a budget of 10.
      for (let tick = 0; tick < 10; tick++) {
        const results = await Promise.all(limiters.flatMap((limiter) => Array.from({ length: 8 }, () => tryAcquire(limiter))));
        for (const permit of results) {
          if (permit && !('denied' in permit)) {
            thisSecond++;
            permit.release({ result: 'success' });
          }
        }
        clock += 100;
      }
      perSecond.push(thisSecond);
      granted += thisSecond;
    }
    expect(Math.max(...perSecond)).toBeLessThanOrEqual(10);
    // The whole budget is used: 10 a second, and the first second starts with one token.
    expect(granted).toBeGreaterThanOrEqual(90);
    expect(granted).toBeLessThanOrEqual(100);
  });

  it('limits requests in flight across workers, and gives a dead worker’s permits back after their lease', async () => {
    fresh();
    const [a, b] = workers(2, { requestsPerSecond: 1000, initialConcurrency: 3, maxConcurrency: 3, permitLeaseMs: 5000 });
    const held = [];
    for (const limiter of [a!, a!, b!]) {
      held.push(await tryAcquire(limiter));
      clock += 5; // the bucket (1,000/s) refills between them: only the concurrency limit is in play
    }
    expect(held.every((p) => p && !('denied' in p))).toBe(true);
    clock += 10;
    expect(await tryAcquire(b!)).toBeUndefined();
    expect(await a!.state('tenant-a')).toMatchObject({ inFlight: 3, concurrency: 3 });
    // Worker a dies holding two permits: nothing is released, but the leases run out.
    clock += 5000;
    const after = await tryAcquire(b!);
    expect(after && !('denied' in after)).toBe(true);
    expect(await b!.state('tenant-a')).toMatchObject({ inFlight: 1 });
  });

  it('lowers the budget of every worker after a 429, pauses them for Retry-After, and recovers with successes', async () => {
    fresh();
    const [a, b] = workers(2, { requestsPerSecond: 10, initialConcurrency: 4, maxConcurrency: 4 });
    const permit = await tryAcquire(a!);
    expect(permit && !('denied' in permit)).toBe(true);
    (permit as { release: (o: object) => void }).release({ result: 'throttled', retryAfterMs: 2000 });
    await new Promise((resolve) => setTimeout(resolve, 20)); // the release is fire-and-forget
    expect(await b!.acquire('tenant-a', { maxPauseMs: 1000 })).toEqual({ denied: true, retryAfterMs: 2000 });
    expect(await b!.state('tenant-a')).toMatchObject({ requestsPerSecond: 5, concurrency: 2 });
    // Another tenant's budget is its own.
    expect(await tryAcquire(b!, 'tenant-b')).toBeDefined();
    clock += 2000;
    // Eight attempts at once from worker b: the concurrency a's 429 cut to 2 holds for b too.
    const burst = await Promise.all(Array.from({ length: 8 }, () => tryAcquire(b!)));
    const got = burst.filter((p) => p && !('denied' in p)) as { release: (o: object) => void }[];
    expect(got).toHaveLength(2);
    for (const p of got) p.release({ result: 'success' });
    for (let tick = 0; tick < 20; tick++) {
      clock += 100;
      for (const p of await Promise.all([tryAcquire(a!), tryAcquire(b!)])) if (p && !('denied' in p)) p.release({ result: 'success' });
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    const recovered = (await a!.state('tenant-a'))!.requestsPerSecond;
    expect(recovered).toBeGreaterThan(5);
    expect(recovered).toBeLessThanOrEqual(10);
  });

  it('sends one acquire per key at a time from a process, serves its waiters in order, and wakes the next on a local release', async () => {
    fresh();
    const redis = new Redis(url!);
    connections.push(redis);
    const sleeps: { ms: number; signal?: AbortSignal; resolve: () => void }[] = [];
    // A controlled sleep: it ends when the test says so, or when its signal aborts (a local release).
    const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((resolve, reject) => {
      sleeps.push({ ms, signal, resolve });
      signal?.addEventListener('abort', () => reject(new Error('woken')), { once: true });
    });
    const limiter = createRedisRateLimiter({ redis, prefix, requestsPerSecond: 1000, initialConcurrency: 1, maxConcurrency: 1, now, sleep });
    const scripts = redis as unknown as { mlcAcquire: (...args: unknown[]) => Promise<unknown> };
    const original = scripts.mlcAcquire.bind(redis);
    let inFlight = 0;
    let most = 0;
    let sent = 0;
    scripts.mlcAcquire = async (...args) => {
      sent++;
      most = Math.max(most, ++inFlight);
      try {
        return await original(...args);
      } finally {
        inFlight--;
      }
    };
    const first = await limiter.acquire('tenant-a');
    const order: number[] = [];
    const aborted = new AbortController();
    const waiting = Array.from({ length: 6 }, (_, i) =>
      limiter.acquire('tenant-a', i === 5 ? { signal: aborted.signal } : {}).then((permit) => {
        order.push(i);
        clock += 5;
        (permit as { release: (o: object) => void }).release({ result: 'success' });
      }));
    const last = waiting.pop()!;
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Six waiters, one script: only the head asked Redis, and it sleeps one poll step.
    expect(sent).toBe(2);
    expect(sleeps).toHaveLength(1);
    aborted.abort();
    await expect(last).rejects.toMatchObject({ name: 'AbortError' });
    clock += 5;
    (first as { release: (o: object) => void }).release({ result: 'success' }); // wakes the head before its poll step ends
    await Promise.all(waiting);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(1);
    expect(sleeps.every((s) => s.signal?.aborted)).toBe(true);
  });

  it('refuses bad options with InvalidInputError', () => {
    const redis = new Redis(url!, { lazyConnect: true });
    connections.push(redis);
    for (const options of [{ redis, requestsPerSecond: 0 }, { redis, requestsPerSecond: 1, backoffFactor: 2 }, { redis, requestsPerSecond: 1, minConcurrency: 5, initialConcurrency: 2 }]) {
      expect(isInvalidInputError((() => { try { createRedisRateLimiter(options); } catch (e) { return e; } })())).toBe(true);
    }
  });
});
