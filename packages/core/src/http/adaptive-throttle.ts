import { AbortError, InvalidInputError } from '../errors/index.js';

/** How an attempt that held a permit ended, so the limiter can adapt. */
export interface PermitOutcome {
  /** The server throttled the attempt (429, or 503 with Retry-After). */
  throttled: boolean;
  /** Server-requested wait, in ms: the limiter pauses the key for that long. */
  retryAfterMs?: number;
}

/** Permission to send one attempt. Release it exactly once when the attempt ends. */
export interface RateLimitPermit {
  /** Returns the slot and reports the outcome. */
  release(outcome: PermitOutcome): void;
}

/**
 * Shared client-side rate budget, keyed by (host, identity). The in-memory {@link createAdaptiveThrottle}
 * serves one process; a distributed implementation (e.g. Redis for BullMQ workers) implements the same contract.
 */
export interface RateLimiter {
  /** Waits for a slot for `key`, or rejects with `AbortError` when `signal` aborts. */
  acquire(key: string, signal?: AbortSignal): Promise<RateLimitPermit>;
}

/** Settings of {@link createAdaptiveThrottle}. */
export interface AdaptiveThrottleOptions {
  /** Concurrent attempts allowed per key at start. Default 4. */
  initialConcurrency?: number;
  /** Ceiling the concurrency recovers to. Default 16. */
  maxConcurrency?: number;
  /** Floor the concurrency backs off to. Default 1. */
  minConcurrency?: number;
  /** Ceiling on attempts per second per key (token bucket). Default: no rate limit, only concurrency. */
  maxRequestsPerSecond?: number;
  /** Multiplier applied to concurrency and rate on a throttled response. Default 0.5. */
  backoffFactor?: number;
  /** Clock in ms. Default `Date.now`. */
  now?: () => number;
}

/** Observable state of one key, for tests, logs and dashboards. */
export interface ThrottleState {
  /** Current concurrency limit (may be fractional internally; this is the floor in force). */
  concurrency: number;
  /** Attempts currently holding a permit. */
  inFlight: number;
  /** Attempts waiting for a permit. */
  queued: number;
  /** Current rate ceiling, or `undefined` when unlimited. */
  requestsPerSecond: number | undefined;
  /** Epoch ms until which the key is paused by a Retry-After, or 0. */
  pausedUntil: number;
}

/** An in-memory {@link RateLimiter} that adapts to the server (AIMD), plus state inspection. */
export interface AdaptiveThrottle extends RateLimiter {
  /** State of one key, or `undefined` if it was never used. */
  state(key: string): ThrottleState | undefined;
}

interface Waiter {
  resolve: (permit: RateLimitPermit) => void;
  reject: (error: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

interface KeyState {
  limit: number;
  inFlight: number;
  successes: number;
  rate: number | undefined;
  tokens: number;
  refilledAt: number;
  pausedUntil: number;
  queue: Waiter[];
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * Creates an adaptive client-side throttle: per key, a concurrency limit and an optional rate that halve on
 * each throttled response, pause for the server's Retry-After, and recover additively (one step per window
 * of successes), so a busy client settles just under a vendor's service-protection limits instead of
 * bouncing off them. Share one instance between clients that use the same identity against the same host.
 */
export function createAdaptiveThrottle(options: AdaptiveThrottleOptions = {}): AdaptiveThrottle {
  const minC = options.minConcurrency ?? 1;
  const maxC = options.maxConcurrency ?? 16;
  const initC = options.initialConcurrency ?? Math.min(4, maxC);
  const maxRate = options.maxRequestsPerSecond;
  const factor = options.backoffFactor ?? 0.5;
  const now = options.now ?? Date.now;
  if (!(minC >= 1 && initC >= minC && maxC >= initC)) {
    throw new InvalidInputError(
      `Throttle concurrency must satisfy 1 <= minConcurrency <= initialConcurrency <= maxConcurrency; got ${minC}, ${initC}, ${maxC}`,
      { field: 'throttle' },
    );
  }
  if (maxRate !== undefined && !(maxRate > 0)) {
    throw new InvalidInputError(`maxRequestsPerSecond must be positive, got ${maxRate}`, { field: 'throttle.maxRequestsPerSecond' });
  }
  if (!(factor > 0 && factor < 1)) {
    throw new InvalidInputError(`backoffFactor must be between 0 and 1 (exclusive), got ${factor}`, { field: 'throttle.backoffFactor' });
  }
  const keys = new Map<string, KeyState>();

  const stateOf = (key: string): KeyState => {
    let s = keys.get(key);
    if (!s) {
      s = { limit: initC, inFlight: 0, successes: 0, rate: maxRate, tokens: 1, refilledAt: now(), pausedUntil: 0, queue: [], timer: undefined };
      keys.set(key, s);
    }
    return s;
  };

  const refill = (s: KeyState) => {
    if (s.rate === undefined) return;
    const t = now();
    // Burst capacity of one second's worth keeps bursts within the vendor's per-second view.
    s.tokens = Math.min(Math.max(1, s.rate), s.tokens + ((t - s.refilledAt) / 1000) * s.rate);
    s.refilledAt = t;
  };

  /** ms until a permit can be granted, 0 if now. */
  const waitTime = (s: KeyState): number => {
    const t = now();
    if (s.pausedUntil > t) return s.pausedUntil - t;
    if (s.inFlight >= Math.floor(s.limit)) return Infinity; // a release will pump
    if (s.rate === undefined) return 0;
    refill(s);
    return s.tokens >= 1 ? 0 : Math.ceil(((1 - s.tokens) / s.rate) * 1000);
  };

  const grant = (key: string, s: KeyState): RateLimitPermit => {
    s.inFlight++;
    if (s.rate !== undefined) s.tokens -= 1;
    let released = false;
    return {
      release(outcome) {
        if (released) return;
        released = true;
        s.inFlight--;
        if (outcome.throttled) {
          s.limit = Math.max(minC, s.limit * factor);
          s.successes = 0;
          if (s.rate !== undefined) s.rate = Math.max(0.1, s.rate * factor);
          if (outcome.retryAfterMs) s.pausedUntil = Math.max(s.pausedUntil, now() + outcome.retryAfterMs);
        } else if (++s.successes >= Math.floor(s.limit)) {
          s.successes = 0;
          s.limit = Math.min(maxC, s.limit + 1);
          if (s.rate !== undefined && maxRate !== undefined) s.rate = Math.min(maxRate, s.rate + maxRate / 20);
        }
        pump(key, s);
      },
    };
  };

  const pump = (key: string, s: KeyState) => {
    while (s.queue.length > 0) {
      const wait = waitTime(s);
      if (wait === Infinity) return;
      if (wait > 0) {
        if (!s.timer) {
          s.timer = setTimeout(() => {
            s.timer = undefined;
            pump(key, s);
          }, wait);
        }
        return;
      }
      const waiter = s.queue.shift() as Waiter;
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.resolve(grant(key, s));
    }
  };

  return {
    acquire(key, signal) {
      if (signal?.aborted) return Promise.reject(new AbortError(undefined, { cause: signal.reason }));
      const s = stateOf(key);
      if (s.queue.length === 0 && waitTime(s) === 0) return Promise.resolve(grant(key, s));
      return new Promise<RateLimitPermit>((resolve, reject) => {
        const waiter: Waiter = {
          resolve,
          reject,
          signal,
          onAbort: () => {
            const i = s.queue.indexOf(waiter);
            if (i !== -1) s.queue.splice(i, 1);
            reject(new AbortError(undefined, { cause: signal?.reason }));
          },
        };
        signal?.addEventListener('abort', waiter.onAbort, { once: true });
        s.queue.push(waiter);
        pump(key, s);
      });
    },
    state(key) {
      const s = keys.get(key);
      if (!s) return undefined;
      return {
        concurrency: Math.floor(s.limit),
        inFlight: s.inFlight,
        queued: s.queue.length,
        requestsPerSecond: s.rate,
        pausedUntil: s.pausedUntil,
      };
    },
  };
}
