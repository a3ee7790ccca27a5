import { AbortError, InvalidInputError } from '../errors/index.js';
import { checkDuration, setClampedTimeout } from './timers.js';

/** How an attempt that held a permit ended, so the limiter can adapt. */
export interface PermitOutcome {
  /**
   * `success`: the server answered without throttling or a 5xx (may raise the limit); `throttled`: 429,
   * or 503 with Retry-After (lowers the limit, once per congestion event); `failure`: timeout, reset or
   * 5xx (changes nothing: only the server's throttling says the limit is wrong).
   */
  result: 'success' | 'throttled' | 'failure';
  /** Server-requested wait, in ms: the limiter pauses the key for that long. */
  retryAfterMs?: number;
}

/** Permission to send one attempt. Release it exactly once when the attempt ends. */
export interface RateLimitPermit {
  /** Returns the slot and reports the outcome. */
  release(outcome: PermitOutcome): void;
}

/** Answer of {@link RateLimiter.acquire} when the key is paused for longer than the caller accepts to wait. */
export interface RateLimitDenial {
  /** Always true: no permit was granted. */
  readonly denied: true;
  /** How long the pause still lasts, in ms. */
  readonly retryAfterMs: number;
}

/** Options of one {@link RateLimiter.acquire}. */
export interface AcquireOptions {
  /** Rejects the wait with `AbortError` when aborted. */
  signal?: AbortSignal;
  /**
   * Longest server-requested pause the caller accepts to wait through, in ms. When the key is (or becomes)
   * paused for longer, `acquire` resolves with a {@link RateLimitDenial} at once instead of waiting.
   * Default: no limit.
   */
  maxPauseMs?: number;
}

/**
 * Shared client-side rate budget, keyed by (host, identity). The in-memory {@link createAdaptiveThrottle}
 * serves one process; a distributed implementation (e.g. Redis for BullMQ workers) implements the same contract.
 */
export interface RateLimiter {
  /**
   * Waits for a slot for `key`. Resolves with a permit, or with a `RateLimitDenial` when the key is
   * paused longer than `maxPauseMs`; rejects with `AbortError` when `signal` aborts.
   */
  acquire(key: string, options?: AcquireOptions): Promise<RateLimitPermit | RateLimitDenial>;
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
  /**
   * A server's sliding-window quota per key: at most `requests` attempts granted in any `ms` milliseconds. Unlike
   * the token bucket it lets a client that paused catch up to the quota, and never lets it go over (a bucket refilled
   * during a pause bursts past a sliding window). Pick `ms` a little above the server's window so that the server,
   * which counts an attempt when it arrives, never sees more. Not changed by throttled answers. Default: none.
   */
  window?: { requests: number; ms: number };
  /** Multiplier applied to concurrency and rate on a throttled response. Default 0.5. */
  backoffFactor?: number;
  /** A key unused (nothing in flight, queued or paused) for this long is forgotten, bounding memory. Default 10 minutes. */
  idleKeyTtlMs?: number;
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
  resolve: (permit: RateLimitPermit | RateLimitDenial) => void;
  reject: (error: unknown) => void;
  signal: AbortSignal | undefined;
  maxPauseMs: number;
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
  /** Permits granted so far; a permit remembers its number. */
  granted: number;
  /** Permits numbered below this were granted before the last decrease: their 429s belong to that event. */
  cutAt: number;
  lastUsed: number;
  /** Grant times of the last `window.requests` attempts (ring buffer), when a window is set. */
  sent: number[];
  sentAt: number;
  queue: Waiter[];
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * Creates an adaptive client-side throttle: per key, a concurrency limit and an optional rate. A throttled
 * response (429, or 503 with Retry-After) multiplies both by `backoffFactor` once per congestion event
 * (throttled answers to attempts sent before the last cut belong to the same event, as in TCP and AWS
 * adaptive retry) and pauses the key for the server's Retry-After; each window of successes adds one step
 * back (AIMD). Timeouts, resets and 5xx change nothing. A caller is never kept waiting on a pause longer
 * than its `maxPauseMs`: it gets a denial to turn into a RateLimitError. Idle keys are evicted. Share one
 * instance between clients that use the same identity against the same host.
 */
export function createAdaptiveThrottle(options: AdaptiveThrottleOptions = {}): AdaptiveThrottle {
  const minC = options.minConcurrency ?? 1;
  const maxC = options.maxConcurrency ?? 16;
  const initC = options.initialConcurrency ?? Math.min(4, maxC);
  const maxRate = options.maxRequestsPerSecond;
  const factor = options.backoffFactor ?? 0.5;
  const window = options.window;
  if (window !== undefined && !(Number.isInteger(window.requests) && window.requests >= 1 && window.ms > 0)) {
    throw new InvalidInputError(`throttle.window needs requests >= 1 (an integer) and ms > 0, got ${JSON.stringify(window)}`, { field: 'throttle.window' });
  }
  const now = options.now ?? Date.now;
  const idleTtl = checkDuration(options.idleKeyTtlMs ?? 10 * 60_000, 'throttle.idleKeyTtlMs', 1);
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
  let sweptAt = now();

  /** Forgets keys nobody used for `idleTtl`; runs at most twice per TTL so acquire stays O(1) amortised. */
  const sweep = (t: number) => {
    if (t - sweptAt < idleTtl / 2) return;
    sweptAt = t;
    for (const [key, s] of keys) {
      if (s.inFlight === 0 && s.queue.length === 0 && !s.timer && s.pausedUntil <= t && t - s.lastUsed >= Math.max(idleTtl, window?.ms ?? 0)) keys.delete(key);
    }
  };

  const stateOf = (key: string, t: number): KeyState => {
    let s = keys.get(key);
    if (!s) {
      s = {
        limit: initC,
        inFlight: 0,
        successes: 0,
        rate: maxRate,
        tokens: 1,
        refilledAt: t,
        pausedUntil: 0,
        granted: 0,
        cutAt: 0,
        lastUsed: t,
        sent: [],
        sentAt: 0,
        queue: [],
        timer: undefined,
      };
      keys.set(key, s);
    }
    s.lastUsed = t;
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
    if (window && s.sent.length >= window.requests) {
      const oldest = s.sent[s.sentAt] as number;
      if (t - oldest < window.ms) return Math.max(1, Math.ceil(oldest + window.ms - t));
    }
    if (s.rate === undefined) return 0;
    refill(s);
    return s.tokens >= 1 ? 0 : Math.ceil(((1 - s.tokens) / s.rate) * 1000);
  };

  const grant = (key: string, s: KeyState): RateLimitPermit => {
    s.inFlight++;
    if (s.rate !== undefined) s.tokens -= 1;
    if (window) {
      if (s.sent.length < window.requests) s.sent.push(now());
      else {
        s.sent[s.sentAt] = now();
        s.sentAt = (s.sentAt + 1) % window.requests;
      }
    }
    const number = s.granted++;
    let released = false;
    return {
      release(outcome) {
        if (released) return;
        released = true;
        s.inFlight--;
        s.lastUsed = now();
        if (outcome.result === 'throttled') {
          s.successes = 0;
          if (number >= s.cutAt) {
            s.limit = Math.max(minC, s.limit * factor);
            if (s.rate !== undefined) s.rate = Math.max(0.1, s.rate * factor);
            s.cutAt = s.granted;
          }
          if (outcome.retryAfterMs) s.pausedUntil = Math.max(s.pausedUntil, now() + outcome.retryAfterMs);
        } else if (outcome.result === 'success' && ++s.successes >= Math.floor(s.limit)) {
          s.successes = 0;
          s.limit = Math.min(maxC, s.limit + 1);
          if (s.rate !== undefined && maxRate !== undefined) s.rate = Math.min(maxRate, s.rate + maxRate / 20);
        }
        pump(key, s);
      },
    };
  };

  const dequeue = (s: KeyState, waiter: Waiter) => {
    const i = s.queue.indexOf(waiter);
    if (i !== -1) s.queue.splice(i, 1);
    waiter.signal?.removeEventListener('abort', waiter.onAbort);
  };

  const pump = (key: string, s: KeyState) => {
    const paused = s.pausedUntil - now();
    if (paused > 0) {
      // Nobody waits on a pause longer than they accept: they get a denial now, not an hour later.
      for (const waiter of [...s.queue]) {
        if (paused > waiter.maxPauseMs) {
          dequeue(s, waiter);
          waiter.resolve({ denied: true, retryAfterMs: paused });
        }
      }
    }
    while (s.queue.length > 0) {
      const wait = waitTime(s);
      if (wait === Infinity) return;
      if (wait > 0) {
        if (!s.timer) {
          s.timer = setClampedTimeout(() => {
            s.timer = undefined;
            pump(key, s);
          }, wait);
        }
        return;
      }
      const waiter = s.queue[0] as Waiter;
      dequeue(s, waiter);
      waiter.resolve(grant(key, s));
    }
  };

  return {
    acquire(key, { signal, maxPauseMs = Infinity } = {}) {
      if (signal?.aborted) return Promise.reject(new AbortError(undefined, { cause: signal.reason }));
      const t = now();
      sweep(t);
      const s = stateOf(key, t);
      if (s.pausedUntil - t > maxPauseMs) return Promise.resolve({ denied: true, retryAfterMs: s.pausedUntil - t });
      if (s.queue.length === 0 && waitTime(s) === 0) return Promise.resolve(grant(key, s));
      return new Promise<RateLimitPermit | RateLimitDenial>((resolve, reject) => {
        const waiter: Waiter = {
          resolve,
          reject,
          signal,
          maxPauseMs,
          onAbort: () => {
            dequeue(s, waiter);
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
