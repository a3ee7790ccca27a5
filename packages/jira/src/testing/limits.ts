/**
 * Burst rate limiting as Jira Cloud answers it: per (site, method, route) per second, 429 with `Retry-After`,
 * `X-RateLimit-Limit`, `X-RateLimit-Remaining`, `X-RateLimit-Reset` (ISO time), `X-RateLimit-NearLimit` and
 * `RateLimit-Reason: jira-burst-based` (developer.atlassian.com/cloud/jira/platform/rate-limiting/). The numbers are
 * not published (UNCONFIRMED), so they are options.
 */

/** Limits of the sandbox. */
export interface JiraSandboxLimits {
  /** Requests per second per (site, method, route). Default 100. */
  burstPerSecond?: number;
  /** Writes per second to one issue (`jira-per-issue-on-write`). Default 20. */
  perIssueWritesPerSecond?: number;
  /** Largest `maxResults` of a search returning fields. Default 100 (ids only: 5000). UNCONFIRMED. */
  maxSearchResults?: number;
  /** Dynamic webhooks per app. Default 100 (UNCONFIRMED). */
  maxWebhooks?: number;
}

/** @internal */
export class BurstLimiter {
  private readonly windows = new Map<string, { second: number; count: number }>();
  constructor(
    private readonly now: () => number,
    private readonly perSecond: number,
  ) {}

  /** Counts a request; returns headers for it and whether it is over the limit. */
  hit(key: string, reason: string): { limited: boolean; headers: Record<string, string> } {
    const now = this.now();
    const second = Math.floor(now / 1000);
    const w = this.windows.get(key);
    const window = w && w.second === second ? w : { second, count: 0 };
    window.count++;
    this.windows.set(key, window);
    const remaining = Math.max(0, this.perSecond - window.count);
    const reset = new Date((second + 1) * 1000).toISOString();
    const headers: Record<string, string> = {
      'x-ratelimit-limit': String(this.perSecond),
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-reset': reset,
      'x-ratelimit-nearlimit': String(remaining < this.perSecond * 0.2),
    };
    if (window.count <= this.perSecond) return { limited: false, headers };
    const retryAfter = Math.max(1, Math.ceil(((second + 1) * 1000 - now) / 1000));
    return { limited: true, headers: { ...headers, 'retry-after': String(retryAfter), 'ratelimit-reason': reason } };
  }
}
