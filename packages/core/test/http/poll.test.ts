import { afterEach, describe, expect, it, vi } from 'vitest';
import { isAbortError, isInvalidInputError, pollUntil } from '@ml-connector/core';

afterEach(() => void vi.useRealTimers());

describe('pollUntil', () => {
  it('checks until a value appears, waiting with backoff bounded by maxIntervalMs', async () => {
    vi.useFakeTimers();
    const checkedAt: number[] = [];
    const start = Date.now();
    const result = pollUntil(
      async (attempt) => {
        checkedAt.push(Date.now() - start);
        return attempt === 5 ? 'ready' : undefined;
      },
      { intervalMs: 100, backoffFactor: 2, maxIntervalMs: 300 },
    );
    await vi.runAllTimersAsync();
    await expect(result).resolves.toEqual({ done: true, value: 'ready', attempts: 5 });
    expect(checkedAt).toEqual([0, 100, 300, 600, 900]);
  });

  it('gives up after maxAttempts or before a wait that would pass timeoutMs, and says which', async () => {
    vi.useFakeTimers();
    const never = async () => undefined;
    const byAttempts = pollUntil(never, { intervalMs: 10, maxAttempts: 3 });
    await vi.runAllTimersAsync();
    await expect(byAttempts).resolves.toMatchObject({ done: false, reason: 'attempts', attempts: 3, elapsedMs: 20 });
    const byTime = pollUntil(never, { intervalMs: 400, timeoutMs: 1000 });
    await vi.runAllTimersAsync();
    await expect(byTime).resolves.toMatchObject({ done: false, reason: 'timeout', attempts: 3, elapsedMs: 800 });
  });

  it('stops waiting at once on abort and refuses malformed options', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    let checks = 0;
    const result = pollUntil(async () => void checks++, { intervalMs: 60_000, signal: controller.signal }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10);
    controller.abort();
    expect(isAbortError(await result)).toBe(true);
    expect(checks).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
    for (const bad of [{ intervalMs: 3e9 }, { intervalMs: 10, backoffFactor: 0.5 }, { intervalMs: 10, maxAttempts: 0 }]) {
      await expect(pollUntil(async () => 1, bad).catch((e: unknown) => e)).resolves.toSatisfy(isInvalidInputError);
    }
  });
});
