/**
 * The three service protection limits of F&O online (FODOCS `data-entities/service-protection-api-limits.md`),
 * per user per web server in a 5-minute sliding window: 6,000 requests, 1,200 s combined execution time and 52
 * concurrent requests, each answered 429 with `Retry-After` (seconds) and its own message. The messages are
 * paraphrased from that page (exact F&O wording UNCONFIRMED). The emulator models one web server.
 */
import { FoEmulatorError } from './errors.js';

/** Limits of the emulated environment. */
export interface FinanceOperationsLimits {
  /** Requests per user in the window. Default 6000. */
  requestsPerWindow?: number;
  /** Combined execution time per user in the window, in ms. Default 1,200,000 (1,200 s). */
  executionMsPerWindow?: number;
  /** Concurrent requests per user. Default 52. */
  maxConcurrent?: number;
  /** Sliding window length in ms. Default 300,000. */
  windowMs?: number;
  /** Largest server-driven page. Default 10,000. */
  maxPageSize?: number;
  /**
   * Execution time charged per request in ms, on top of the measured time (the emulator is much faster than
   * F&O, so without a charge the execution limit would never be reached). Default 50.
   */
  executionCostMs?: number | ((request: Request) => number);
}

/** Resolved limits. */
export type ResolvedLimits = Required<Omit<FinanceOperationsLimits, 'executionCostMs'>> & { executionCostMs: (request: Request) => number };

/** Which limit answered 429. */
export type ThrottleReason = 'requests' | 'execution-time' | 'concurrency';

interface UserState {
  hits: number[];
  executions: { at: number; ms: number }[];
  active: number;
}

/** Tracks the three limits per user. */
export class LimitTracker {
  private readonly users = new Map<string, UserState>();
  /** 429s by reason. */
  readonly throttled: Record<ThrottleReason, number> = { requests: 0, 'execution-time': 0, concurrency: 0 };
  /** Highest concurrency seen for one user. */
  maxConcurrencySeen = 0;

  constructor(
    private readonly limits: ResolvedLimits,
    private readonly now: () => number,
  ) {}

  private state(user: string): UserState {
    let s = this.users.get(user);
    if (!s) this.users.set(user, (s = { hits: [], executions: [], active: 0 }));
    return s;
  }

  /** Admits a request of `user` or throws the 429 of the first limit exceeded; returns `release`. */
  admit(user: string, request: Request): () => void {
    const s = this.state(user);
    const now = this.now();
    const start = now - this.limits.windowMs;
    while (s.hits.length > 0 && (s.hits[0] as number) <= start) s.hits.shift();
    while (s.executions.length > 0 && (s.executions[0] as { at: number }).at <= start) s.executions.shift();
    const windowSeconds = Math.round(this.limits.windowMs / 1000);
    if (s.hits.length >= this.limits.requestsPerWindow) {
      this.throttled.requests++;
      throw tooMany(`Number of requests exceeded the limit of ${this.limits.requestsPerWindow} over time window of ${windowSeconds} seconds.`, (s.hits[0] as number) + this.limits.windowMs - now);
    }
    const executed = s.executions.reduce((sum, e) => sum + e.ms, 0);
    if (executed >= this.limits.executionMsPerWindow) {
      this.throttled['execution-time']++;
      let freed = 0;
      let until = now;
      for (const e of s.executions) {
        freed += e.ms;
        until = e.at + this.limits.windowMs;
        if (executed - freed < this.limits.executionMsPerWindow) break;
      }
      throw tooMany(
        `Combined execution time of incoming requests exceeded limit of ${Math.round(this.limits.executionMsPerWindow / 1000)} seconds over time window of ${windowSeconds} seconds. ` +
          'Decrease number of concurrent requests or reduce the duration of requests and try again later.',
        until - now,
      );
    }
    if (s.active >= this.limits.maxConcurrent) {
      this.throttled.concurrency++;
      throw tooMany(`Number of concurrent requests exceeded the limit of ${this.limits.maxConcurrent}.`, 1000);
    }
    s.hits.push(now);
    s.active++;
    this.maxConcurrencySeen = Math.max(this.maxConcurrencySeen, s.active);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      s.active--;
      const end = this.now();
      s.executions.push({ at: end, ms: end - now + this.limits.executionCostMs(request) });
    };
  }
}

function tooMany(message: string, retryAfterMs: number): FoEmulatorError {
  return new FoEmulatorError(429, message, { 'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) });
}
