import { InvalidInputError } from '../errors/index.js';
import { sleep } from './sleep.js';
import { checkDuration } from './timers.js';

/** How {@link pollUntil} paces and bounds its checks. */
export interface PollOptions {
  /** Wait before the second check, in ms. */
  intervalMs: number;
  /** Each wait is the previous one times this factor (default 1: a fixed interval). */
  backoffFactor?: number;
  /** Upper bound of one wait, in ms (default: no bound beyond the timer limit). */
  maxIntervalMs?: number;
  /** Give up after this many checks (default: unbounded, so set `timeoutMs` or this). */
  maxAttempts?: number;
  /** Give up when the next wait would end more than this many ms after the first check. */
  timeoutMs?: number;
  /** Stops waiting at once with `AbortError`. */
  signal?: AbortSignal;
  /** Clock, for tests (default `Date.now`). */
  now?: () => number;
}

/** The outcome of {@link pollUntil}: the value the check produced, or why polling gave up. */
export type PollResult<T> =
  | { done: true; value: T; attempts: number }
  | { done: false; reason: 'attempts' | 'timeout'; attempts: number; elapsedMs: number };

/**
 * Calls `check` until it returns something other than `undefined`, waiting between checks (fake timers
 * control the waits; an abort ends them at once). Returns the value, or says why it gave up, so each caller
 * throws the error that fits its domain (a job still running, a record not readable yet).
 *
 * @throws InvalidInputError for malformed options; AbortError when `signal` aborts; whatever `check` throws.
 */
export async function pollUntil<T>(check: (attempt: number) => Promise<T | undefined>, options: PollOptions): Promise<PollResult<T>> {
  const { backoffFactor = 1, maxAttempts = Infinity, signal, now = Date.now } = options;
  let interval = checkDuration(options.intervalMs, 'intervalMs');
  const maxInterval = options.maxIntervalMs === undefined ? Infinity : checkDuration(options.maxIntervalMs, 'maxIntervalMs');
  const timeoutMs = options.timeoutMs === undefined ? Infinity : checkDuration(options.timeoutMs, 'timeoutMs');
  if (typeof backoffFactor !== 'number' || !(backoffFactor >= 1) || !Number.isFinite(backoffFactor)) {
    throw new InvalidInputError(`backoffFactor must be a finite number ≥ 1, got ${String(backoffFactor)}`, { field: 'backoffFactor' });
  }
  if (maxAttempts !== Infinity && !(Number.isInteger(maxAttempts) && maxAttempts >= 1)) {
    throw new InvalidInputError(`maxAttempts must be a whole number ≥ 1, got ${String(maxAttempts)}`, { field: 'maxAttempts' });
  }
  const started = now();
  for (let attempt = 1; ; attempt++) {
    const value = await check(attempt);
    if (value !== undefined) return { done: true, value, attempts: attempt };
    if (attempt >= maxAttempts) return { done: false, reason: 'attempts', attempts: attempt, elapsedMs: now() - started };
    const wait = Math.min(interval, maxInterval);
    if (now() + wait - started > timeoutMs) return { done: false, reason: 'timeout', attempts: attempt, elapsedMs: now() - started };
    await sleep(wait, signal);
    interval = Math.min(interval * backoffFactor, maxInterval, 2 ** 31 - 1);
  }
}
