/**
 * Per-user (per client id) service-protection limits of BC online (BCDOCS
 * `dev-itpro/administration/operational-limits-online.md`): a sliding window of requests (6,000 per 5 min),
 * 5 requests processed concurrently, up to 95 more queued; beyond that 429. Whether BC sends `Retry-After`
 * is UNCONFIRMED; the emulator sends it so clients can honour it.
 */
import { BC_ERROR_CODES, BcEmulatorError } from './errors.js';

/** Limits of the emulated environment. */
export interface BusinessCentralLimits {
  /** Requests allowed per user in the sliding window. Default 6000. */
  requestsPerWindow?: number;
  /** Sliding window length in ms. Default 300000 (5 min). */
  windowMs?: number;
  /** Requests processed at the same time per user. Default 5. */
  maxConcurrent?: number;
  /** Requests waiting per user beyond `maxConcurrent`. Default 95. */
  maxQueued?: number;
  /** Largest page a collection returns (server-driven paging). Default 20000. */
  maxPageSize?: number;
  /** Operations allowed in one `$batch`. Default 100. */
  maxBatchOperations?: number;
  /** Webhook subscriptions per environment. Default 200. */
  maxSubscriptions?: number;
  /**
   * Count every operation of a `$batch` toward `requestsPerWindow` (a batch of 100 is 100 requests). Default
   * `true`. UNCONFIRMED whether BC does; the strict choice makes clients that ignore it fail here first.
   */
  countBatchOperations?: boolean;
  /**
   * Longest query string (after `?`, percent-encoded) answered normally; longer ones get IIS's
   * `404.15 Query String Too Long` (`requestFiltering/requestLimits/@maxQueryString`, default 2048). Default 2048.
   * UNCONFIRMED: the public record does not say which front end and limits BC online has.
   */
  maxQueryStringLength?: number;
  /**
   * Longest request target (path and query, percent-encoded) answered normally; longer ones get
   * `414 URI Too Long`. Default 16384 (http.sys's default `MaxFieldLength`). UNCONFIRMED, like the query limit.
   */
  maxUrlLength?: number;
  /** ASP.NET OData's `MaxNodeCount` for `$filter` (see `FilterRules`). Default 100. */
  maxFilterNodes?: number;
}

/** Resolved limits. */
export type ResolvedLimits = Required<BusinessCentralLimits>;

interface UserState {
  hits: number[];
  active: number;
  queue: (() => void)[];
}

/** Tracks request windows and concurrency per user. */
export class LimitTracker {
  private readonly users = new Map<string, UserState>();
  /** Highest number of requests processed at once (all users). */
  maxConcurrencySeen = 0;
  private active = 0;

  constructor(
    private readonly limits: ResolvedLimits,
    private readonly now: () => number,
  ) {}

  private user(id: string): UserState {
    let state = this.users.get(id);
    if (!state) this.users.set(id, (state = { hits: [], active: 0, queue: [] }));
    return state;
  }

  /**
   * Counts `extra` more requests of `userId` in the window (the inner operations of a `$batch`); throws a 429
   * {@link BcEmulatorError} without counting any when they do not fit.
   */
  charge(userId: string, extra: number): void {
    if (extra <= 0) return;
    const state = this.user(userId);
    const now = this.now();
    const windowStart = now - this.limits.windowMs;
    while (state.hits.length > 0 && (state.hits[0] as number) <= windowStart) state.hits.shift();
    if (state.hits.length + extra > this.limits.requestsPerWindow) {
      const retryAfter = Math.max(1, Math.ceil(((state.hits[0] as number) + this.limits.windowMs - now) / 1000));
      throw tooMany(state.hits.length + extra, this.limits.requestsPerWindow, retryAfter);
    }
    for (let i = 0; i < extra; i++) state.hits.push(now);
  }

  /**
   * Admits a request of `userId`: counts it in the window and takes a concurrency slot, waiting in the queue
   * if needed. Throws a 429 {@link BcEmulatorError} when the window or the queue is full. Returns `release`.
   */
  async acquire(userId: string): Promise<() => void> {
    const state = this.user(userId);
    const now = this.now();
    const windowStart = now - this.limits.windowMs;
    while (state.hits.length > 0 && (state.hits[0] as number) <= windowStart) state.hits.shift();
    if (state.hits.length >= this.limits.requestsPerWindow) {
      const retryAfter = Math.max(1, Math.ceil(((state.hits[0] as number) + this.limits.windowMs - now) / 1000));
      throw tooMany(state.hits.length + 1, this.limits.requestsPerWindow, retryAfter);
    }
    if (state.active >= this.limits.maxConcurrent) {
      if (state.queue.length >= this.limits.maxQueued) {
        const total = state.active + state.queue.length + 1;
        throw tooMany(total, this.limits.maxConcurrent + this.limits.maxQueued, 1);
      }
      state.hits.push(now);
      await new Promise<void>((resolve) => state.queue.push(resolve));
    } else {
      state.hits.push(now);
    }
    state.active++;
    this.active++;
    this.maxConcurrencySeen = Math.max(this.maxConcurrencySeen, this.active);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      state.active--;
      this.active--;
      const next = state.queue.shift();
      if (next) next();
    };
  }
}

function tooMany(actual: number, maximum: number, retryAfterSeconds: number): BcEmulatorError {
  return new BcEmulatorError(429, BC_ERROR_CODES.tooManyRequests, `Too many requests reached. Actual (${actual}). Maximum (${maximum})`, {
    'retry-after': String(retryAfterSeconds),
  });
}
