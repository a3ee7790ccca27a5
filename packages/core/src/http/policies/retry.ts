import {
  AbortError,
  type HttpError,
  InvalidInputError,
  RateLimitError,
  isAbortError,
  isNetworkError,
  parseVendorError,
} from '../../errors/index.js';
import type { Logger } from '../../logging/index.js';
import { redactUrl, secretHeaderValues } from '../../errors/index.js';
import { fullJitterBackoff } from '../backoff.js';
import { parseRetryAfter } from '../retry-after.js';
import type { RetryBudget } from '../retry-budget.js';
import { sleep } from '../sleep.js';
import { checkDuration } from '../timers.js';
import type { PipelinePolicy, PipelineRequest, PipelineResponse } from '../types.js';

/** Name of the retry policy, for `pipeline.removePolicy(retryPolicyName)`. */
export const retryPolicyName = 'retry';

/**
 * Why the transport (or a token provider) retried a request. Recorded on responses and errors, passed to
 * `onRetry` and logged. `unauthorized-token-refreshed` is the auth policy's one retry after a 401.
 */
export type RetryReason =
  | 'unauthorized-token-refreshed'
  | 'rate-limited'
  | 'service-unavailable'
  | 'server-error'
  | 'request-timeout'
  | 'connection-failed'
  | 'connection-reset'
  | 'timeout'
  | 'body-truncated';

/** What `onRetry` hooks receive. Contains no secrets. */
export interface RetryEvent {
  /** Request method. */
  method: string;
  /** Redacted URL. */
  url: string;
  /** Client request id. */
  requestId: string;
  /** The attempt that failed (1-based). */
  attempt: number;
  /** Why it is retried. */
  reason: RetryReason;
  /** Wait before the next attempt, in ms. */
  delayMs: number;
  /** Status of the failed attempt, if a response arrived. */
  status?: number;
  /** Error code of the failed attempt, if it threw. */
  errorCode?: string;
}

/** Retry settings. Every field has a default; see each for it. */
export interface RetryOptions {
  /** Retries after the first attempt. Default 4. */
  maxRetries: number;
  /** First backoff step in ms; doubles each retry (full jitter). Default 500. */
  baseDelayMs: number;
  /** Upper bound of one backoff step in ms. Default 30,000. */
  maxDelayMs: number;
  /**
   * Longest server-requested wait (`Retry-After`) the client sleeps through. Beyond it a {@link RateLimitError}
   * carrying `retryAfterMs` is thrown at once so the caller can reschedule. Default 60,000.
   */
  maxRetryAfterMs: number;
  /**
   * Decides whether a 503 to a non-idempotent request was certainly not processed, making a retry safe.
   * Default: the 503 carries a Retry-After header (the server queued or refused it, as BC does after 8 minutes queued).
   */
  isUnprocessed503: (response: PipelineResponse) => boolean;
  /** Random source in [0, 1) for jitter; injectable for tests. Default `Math.random`. */
  random: () => number;
  /** Clock for HTTP-date Retry-After values. Default `Date.now`. */
  now: () => number;
}

/** Defaults of {@link RetryOptions}. */
export const DEFAULT_RETRY_OPTIONS: Readonly<RetryOptions> = Object.freeze({
  maxRetries: 4,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
  isUnprocessed503: (response: PipelineResponse) => response.headers.has('retry-after') || response.headers.has('retry-after-ms'),
  random: Math.random,
  now: Date.now,
});

/** Dependencies of the retry policy besides its options. */
export interface RetryPolicyDeps {
  /** Shared retry quota; `undefined` disables it. */
  budget?: RetryBudget;
  /** Logger for retry decisions (warn level). */
  logger: Logger;
  /** Called before each wait. */
  onRetry?: (event: RetryEvent) => void;
}

type Decision =
  | { retry: false; error?: unknown }
  | { retry: true; reason: RetryReason; delayMs: number; budget?: 'error' | 'timeout' };

const NETWORK_REASONS: Record<string, RetryReason> = {
  CONNECTION_FAILED: 'connection-failed',
  TIMEOUT: 'timeout',
  BODY_TRUNCATED: 'body-truncated',
};

/**
 * Retries failed attempts, one explainable decision at a time:
 * - 429, and 503 with Retry-After, wait as the server asks (capped by `maxRetryAfterMs`, beyond which a
 *   {@link RateLimitError} is thrown). Safe for writes: the server did not process them.
 * - 408, 5xx and network failures on idempotent requests back off exponentially with full jitter and
 *   spend from the retry budget.
 * - Writes whose outcome is unknown are never retried: the transport raises `OutcomeUnknownError` for them.
 */
export function retryPolicy(options: Partial<RetryOptions>, deps: RetryPolicyDeps): PipelinePolicy {
  const o = resolveRetryOptions(options);
  const backoff = (attempt: number) => fullJitterBackoff(attempt, o.baseDelayMs, o.maxDelayMs, o.random);

  /** Per-call overrides win over the client's settings. */
  const limits = (request: PipelineRequest) => {
    const call = request.context.retry;
    if (call === false) return { maxRetries: 0, maxRetryAfterMs: o.maxRetryAfterMs };
    return { maxRetries: call?.maxRetries ?? o.maxRetries, maxRetryAfterMs: call?.maxRetryAfterMs ?? o.maxRetryAfterMs };
  };

  const decideResponse = (request: PipelineRequest, response: PipelineResponse): Decision => {
    const { status } = response;
    const attempt = request.context.attempt;
    const { maxRetries, maxRetryAfterMs } = limits(request);
    const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(response.headers, o.now()) : undefined;
    const serverAskedToWait =
      status === 429 || (status === 503 && retryAfterMs !== undefined && (request.idempotent || o.isUnprocessed503(response)));
    if (serverAskedToWait) {
      if (retryAfterMs !== undefined && retryAfterMs > maxRetryAfterMs) {
        return { retry: false, error: rateLimitError(request, response, retryAfterMs, maxRetryAfterMs) };
      }
      if (attempt > maxRetries) return { retry: false };
      const reason = status === 429 ? 'rate-limited' : 'service-unavailable';
      // A server-requested wait is not a failure storm: it spends no budget. Without a header we back off.
      return retryAfterMs === undefined
        ? { retry: true, reason, delayMs: backoff(attempt) }
        : { retry: true, reason, delayMs: retryAfterMs };
    }
    if (!request.idempotent || attempt > maxRetries) return { retry: false };
    if (status === 408) return { retry: true, reason: 'request-timeout', delayMs: backoff(attempt), budget: 'timeout' };
    if (status === 500 || status === 502 || status === 503 || status === 504) {
      return { retry: true, reason: 'server-error', delayMs: backoff(attempt), budget: 'error' };
    }
    return { retry: false };
  };

  const decideError = (request: PipelineRequest, error: unknown): Decision => {
    if (!isNetworkError(error) || request.context.attempt > limits(request).maxRetries) return { retry: false, error };
    // The transport only raises NetworkError for writes when nothing was sent; unknown outcomes are OutcomeUnknownError.
    const reason = NETWORK_REASONS[error.code] ?? 'connection-reset';
    return { retry: true, reason, delayMs: backoff(request.context.attempt), budget: reason === 'timeout' ? 'timeout' : 'error' };
  };

  return {
    name: retryPolicyName,
    async sendRequest(request, next) {
      // AWS standard retry quota: a success gives back the cost of the retry that led to it.
      let lastSpent: 'error' | 'timeout' | undefined;
      for (;;) {
        let response: PipelineResponse | undefined;
        let failure: { error: unknown } | undefined;
        let decision: Decision;
        try {
          response = await next(request);
          decision = decideResponse(request, response);
        } catch (error) {
          if (isAbortError(error)) throw error;
          failure = { error };
          decision = decideError(request, error);
        }
        if (decision.retry && decision.budget && deps.budget) {
          if (deps.budget.trySpend(decision.budget)) {
            lastSpent = decision.budget;
          } else {
            deps.logger.warn(
              { requestId: request.requestId, method: request.method, url: redactUrl(request.url), attempt: request.context.attempt },
              'retry budget exhausted; not retrying',
            );
            decision = { retry: false, ...failure };
          }
        }
        if (!decision.retry) {
          if ('error' in decision && decision.error !== undefined) throw decision.error;
          if (response && response.status < 400) deps.budget?.refund(lastSpent);
          return response as PipelineResponse;
        }
        const event: RetryEvent = {
          method: request.method,
          url: redactUrl(request.url),
          requestId: request.requestId,
          attempt: request.context.attempt,
          reason: decision.reason,
          delayMs: decision.delayMs,
          ...(response ? { status: response.status } : {}),
        };
        request.context.retries.push({
          attempt: event.attempt,
          reason: event.reason,
          delayMs: event.delayMs,
          ...(response ? { status: response.status } : {}),
        });
        deps.logger.warn({ ...event }, `retrying ${request.method} after ${event.reason}`);
        deps.onRetry?.(event);
        try {
          await sleep(decision.delayMs, request.signal);
        } catch (error) {
          throw error instanceof AbortError ? error : new AbortError(undefined, { cause: error });
        }
        request.context.attempt++;
      }
    },
  };
}

/** Merges `options` over the defaults and validates them; every delay must fit a timer. */
export function resolveRetryOptions(options: Partial<RetryOptions>): RetryOptions {
  const o: RetryOptions = { ...DEFAULT_RETRY_OPTIONS, ...options };
  if (!(Number.isInteger(o.maxRetries) && o.maxRetries >= 0)) {
    throw new InvalidInputError(`retry.maxRetries must be a whole number of at least 0, got ${String(o.maxRetries)}`, { field: 'retry.maxRetries' });
  }
  checkDuration(o.baseDelayMs, 'retry.baseDelayMs');
  checkDuration(o.maxDelayMs, 'retry.maxDelayMs');
  checkDuration(o.maxRetryAfterMs, 'retry.maxRetryAfterMs');
  return o;
}

/** The longest server-requested wait this call accepts: its own override, else the client's setting. */
export function callMaxRetryAfterMs(request: PipelineRequest, clientMaxRetryAfterMs: number): number {
  const call = request.context.retry;
  return (call === false ? undefined : call?.maxRetryAfterMs) ?? clientMaxRetryAfterMs;
}

/** Builds the RateLimitError for a wait longer than the call accepts, from a response or a paused throttle. */
export function rateLimitError(request: PipelineRequest, response: PipelineResponse | undefined, retryAfterMs: number, cap: number): HttpError {
  const vendor = parseVendorError(response?.body);
  const who = response ? 'Server asked to wait' : 'The server throttled this host and identity; the pause ends in';
  return new RateLimitError(
    `${who} ${Math.ceil(retryAfterMs / 1000)} s, longer than maxRetryAfterMs (${cap} ms); retry later`,
    {
      status: response?.status,
      method: request.method,
      url: request.url,
      requestId: request.requestId,
      retryAfterMs,
      vendorCode: vendor.code,
      vendorMessage: vendor.message,
      data: response?.body,
      retries: request.context.retries,
      secrets: secretHeaderValues(request.headers),
    },
  );
}
