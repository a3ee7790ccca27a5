import { InvalidInputError } from '../errors/index.js';

/** Longest delay `setTimeout` honours (2^31-1 ms, about 24.8 days); longer values fire at once with a warning. */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/**
 * Checks a duration option: a finite number of milliseconds between `min` and {@link MAX_TIMER_DELAY_MS}.
 * Returns it, or throws InvalidInputError naming `field`.
 */
export function checkDuration(value: number, field: string, min = 0): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > MAX_TIMER_DELAY_MS) {
    throw new InvalidInputError(
      `${field} must be a number of milliseconds from ${min} to ${MAX_TIMER_DELAY_MS} (2^31-1, the longest timer Node.js can set), got ${String(value)}`,
      { field },
    );
  }
  return value;
}

/** `setTimeout` with the delay clamped to what timers support; callers re-check the clock when it fires. */
export function setClampedTimeout(callback: () => void, ms: number): ReturnType<typeof setTimeout> {
  return setTimeout(callback, Math.max(0, Math.min(MAX_TIMER_DELAY_MS, ms)));
}
