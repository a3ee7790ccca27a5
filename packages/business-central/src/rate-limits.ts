/**
 * Business Central service-protection limits, as data. Numbers come from BCDOCS
 * `dev-itpro/administration/operational-limits-online.md` and `api-reference/v2.0/dynamics-current-limits.md`
 * (see api-facts.md §2 "Limits"). The client derives its default throttle from these values.
 */

/** Published per-user and per-environment limits of Business Central online. */
export const BUSINESS_CENTRAL_LIMITS = Object.freeze({
  /** Requests one user may have processed at the same time; further requests are queued by BC. */
  maxConcurrentRequests: 5,
  /** Requests a user may have queued behind the processed ones before BC answers 429. */
  maxQueuedRequests: 95,
  /** Requests allowed per user in one sliding window of `rateWindowMs`. */
  maxRequestsPerWindow: 6_000,
  /** Length of the sliding rate window in ms (5 minutes). */
  rateWindowMs: 5 * 60_000,
  /** Operations allowed in one `$batch` request. */
  maxBatchOperations: 100,
  /** Largest page the server returns (and largest `Prefer: odata.maxpagesize` it honours). */
  maxPageSize: 20_000,
  /** A request queued longer than this is answered 503. */
  maxQueueWaitMs: 8 * 60_000,
  /** An operation running longer than this is answered 408. */
  operationTimeoutMs: 8 * 60_000,
  /** Webhook subscriptions allowed per environment. */
  maxWebhookSubscriptions: 200,
  /** Lifetime of a webhook subscription (renew before it ends). */
  webhookSubscriptionLifetimeMs: 3 * 24 * 60 * 60_000,
});

/**
 * Default client-side throttle settings (options of core's `createAdaptiveThrottle`): at most 5 requests in
 * flight per (host, identity); BC's own sliding window (6,000 per 5 minutes, counted from a second later so that
 * requests still travelling cannot push the server's count over); and at most 25 per second, a quarter above the
 * window's average so that a client that paused (between pages, on a slow source) catches up without bursting.
 * The throttle halves concurrency and rate on a 429 and recovers additively.
 */
export const BUSINESS_CENTRAL_THROTTLE_DEFAULTS = Object.freeze({
  initialConcurrency: BUSINESS_CENTRAL_LIMITS.maxConcurrentRequests,
  maxConcurrency: BUSINESS_CENTRAL_LIMITS.maxConcurrentRequests,
  minConcurrency: 1,
  maxRequestsPerSecond: (1.25 * BUSINESS_CENTRAL_LIMITS.maxRequestsPerWindow) / (BUSINESS_CENTRAL_LIMITS.rateWindowMs / 1000),
  window: Object.freeze({ requests: BUSINESS_CENTRAL_LIMITS.maxRequestsPerWindow, ms: BUSINESS_CENTRAL_LIMITS.rateWindowMs + 1_000 }),
});
