import type { AdaptiveThrottleOptions } from '@ml-connector/core';

/**
 * Service protection limits of F&O online (FODOCS `data-entities/service-protection-api-limits.md`): per user
 * (the Entra app's mapped F&O user) **per web server**, in a 5-minute sliding window. Exceeding one answers 429
 * with `Retry-After` in seconds. Not configurable by customers; not applied on-premises or on dev boxes.
 */
export const FINANCE_OPERATIONS_LIMITS = Object.freeze({
  /** Requests per user per web server in the window. */
  requestsPerWindow: 6000,
  /** Combined execution time per user per web server in the window, in seconds. */
  executionSecondsPerWindow: 1200,
  /** Concurrent requests per user per web server. */
  maxConcurrent: 52,
  /** Window length in ms (sliding). */
  windowMs: 300_000,
  /** Largest server-driven page (FODOCS `data-entities/odata.md`). */
  maxPageSize: 10_000,
});

/**
 * Default client-side throttle: at most 16 requests in flight and 18 per second per identity, so a client alone
 * stays under 6,000 per 5 minutes (18 × 300 = 5,400) with headroom for other callers of the same user, and well
 * under 52 concurrent. A 429 slows the adaptive throttle down and core's retry honours `Retry-After`.
 */
export const FINANCE_OPERATIONS_THROTTLE_DEFAULTS: Readonly<AdaptiveThrottleOptions> = Object.freeze({
  initialConcurrency: 8,
  maxConcurrency: 16,
  maxRequestsPerSecond: 18,
});
