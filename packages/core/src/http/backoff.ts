/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): a random
 * wait in [0, min(maxDelayMs, baseDelayMs · 2^(attempt-1))). One implementation for the pipeline's retry
 * policy and the token endpoint, so both spread retries the same way.
 *
 * @param attempt - 1-based number of the attempt that failed.
 * @param random - Random source in [0, 1).
 */
export function fullJitterBackoff(attempt: number, baseDelayMs: number, maxDelayMs: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)));
}
