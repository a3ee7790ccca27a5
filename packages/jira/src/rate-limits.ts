/**
 * Jira Cloud rate limits, as data, and the reader for the rate-limit headers Jira sends (see api-facts.md §6
 * "Rate limits": developer.atlassian.com/cloud/jira/platform/rate-limiting/).
 */
import { type PipelinePolicy, parseRetryAfter } from '@ml-connector/core';

/** Published limits the client relies on. Numeric request quotas are not published per tenant (UNCONFIRMED). */
export const JIRA_LIMITS = Object.freeze({
  /** Issues per `POST /rest/api/3/issue/bulk` call (JIRASPEC: "Creates upto 50 issues"). */
  maxBulkCreate: 50,
  /** Lifetime of a dynamic webhook; refresh before it ends (JIRASPEC `PUT /rest/api/3/webhook/refresh`). */
  webhookLifetimeMs: 30 * 24 * 60 * 60_000,
  /** Largest `maxResults` of the enhanced JQL search when only ids/keys are requested (JIRASPEC). */
  maxSearchResultsIdsOnly: 5000,
  /** Issue ids allowed in `reconcileIssues` of the enhanced JQL search (JIRASPEC). */
  maxReconcileIssues: 50,
});

/**
 * Default client-side throttle: a conservative 5 requests in flight and 10 per second per (site, identity).
 * Atlassian does not publish the burst quotas (UNCONFIRMED); the adaptive throttle halves on every 429 anyway.
 */
export const JIRA_THROTTLE_DEFAULTS = Object.freeze({
  /** Requests in flight at the start. */
  initialConcurrency: 5,
  /** Most requests in flight. */
  maxConcurrency: 5,
  /** Fewest requests in flight after repeated 429s. */
  minConcurrency: 1,
  /** Request starts per second. */
  maxRequestsPerSecond: 10,
});

/** What Jira said about rate limiting in one response. Every field is absent when the header was. */
export interface JiraRateLimitInfo {
  /** HTTP status of the response the headers came from. */
  status: number;
  /** `X-RateLimit-Limit`: the request quota of the current window. */
  limit?: number;
  /** `X-RateLimit-Remaining`: requests left in the current window. */
  remaining?: number;
  /** `X-RateLimit-Reset`: ISO-8601 time when the window resets. */
  resetAt?: string;
  /** `X-RateLimit-NearLimit`: true when less than 20% of the quota is left. */
  nearLimit?: boolean;
  /** `RateLimit-Reason`, e.g. `jira-burst-based`, `jira-per-issue-on-write`, `jira-quota-tenant-based`. */
  reason?: string;
  /** `Retry-After` converted to milliseconds. */
  retryAfterMs?: number;
  /** When the response was seen (epoch ms). */
  observedAt: number;
}

const intHeader = (headers: Headers, name: string): number | undefined => {
  const raw = headers.get(name);
  if (raw === null || !/^\s*\d+\s*$/.test(raw)) return undefined;
  return Number(raw);
};

/** Reads Jira's rate-limit headers; `undefined` when the response carried none of them. */
export function readRateLimitHeaders(headers: Headers, status: number, now: number): JiraRateLimitInfo | undefined {
  const info: JiraRateLimitInfo = { status, observedAt: now };
  const limit = intHeader(headers, 'x-ratelimit-limit');
  const remaining = intHeader(headers, 'x-ratelimit-remaining');
  const reset = headers.get('x-ratelimit-reset');
  const near = headers.get('x-ratelimit-nearlimit');
  const reason = headers.get('ratelimit-reason');
  const retryAfterMs = headers.has('retry-after') ? parseRetryAfter(headers, now) : undefined;
  if (limit !== undefined) info.limit = limit;
  if (remaining !== undefined) info.remaining = remaining;
  if (reset) info.resetAt = reset;
  if (near !== null) info.nearLimit = near.trim().toLowerCase() === 'true';
  if (reason) info.reason = reason;
  if (retryAfterMs !== undefined) info.retryAfterMs = retryAfterMs;
  return Object.keys(info).length > 2 ? info : undefined;
}

/** Latest rate-limit state seen by a client, plus counters. */
export interface JiraRateLimitState {
  /** Headers of the most recent response that carried any. */
  readonly last: JiraRateLimitInfo | undefined;
  /** 429 responses seen (including ones the transport retried). */
  readonly throttled: number;
  /** 503 responses seen. */
  readonly unavailable: number;
}

/** @internal Records rate-limit headers of every attempt; keeps the final failure's headers by request id. */
export interface RateLimitRecorder {
  readonly state: JiraRateLimitState;
  readonly policy: PipelinePolicy;
  /** The rate-limit headers of the last attempt of a request, taken once. */
  take(requestId: string): JiraRateLimitInfo | undefined;
}

/** @internal */
export const RATE_LIMIT_POLICY_NAME = 'jira-rate-limit-headers';

/** @internal Creates the recorder; its policy sits innermost, so it sees every attempt. */
export function createRateLimitRecorder(now: () => number): RateLimitRecorder {
  let last: JiraRateLimitInfo | undefined;
  let throttled = 0;
  let unavailable = 0;
  const byRequest = new Map<string, JiraRateLimitInfo>();
  return {
    state: {
      get last() {
        return last;
      },
      get throttled() {
        return throttled;
      },
      get unavailable() {
        return unavailable;
      },
    },
    policy: {
      name: RATE_LIMIT_POLICY_NAME,
      async sendRequest(request, next) {
        const response = await next(request);
        if (response.status === 429) throttled++;
        if (response.status === 503) unavailable++;
        const info = readRateLimitHeaders(response.headers, response.status, now());
        if (info) last = info;
        if (response.status === 429 || response.status === 503) {
          if (info) byRequest.set(request.requestId, info);
          if (byRequest.size > 1000) byRequest.delete(byRequest.keys().next().value as string);
        } else byRequest.delete(request.requestId);
        return response;
      },
    },
    take(requestId) {
      const info = byRequest.get(requestId);
      byRequest.delete(requestId);
      return info;
    },
  };
}
