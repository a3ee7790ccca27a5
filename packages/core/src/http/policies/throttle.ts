import { parseRetryAfter } from '../retry-after.js';
import type { PermitOutcome, RateLimiter } from '../adaptive-throttle.js';
import type { PipelinePolicy, PipelineRequest, PipelineResponse } from '../types.js';
import { rateLimitError } from './retry.js';

/** Name of the throttle policy. */
export const throttlePolicyName = 'throttle';

/** Maps a response to the limiter's feedback: only the server's throttling lowers the limit. */
function outcomeOf(response: PipelineResponse): PermitOutcome {
  const { status, headers } = response;
  const throttled = status === 429 || (status === 503 && (headers.has('retry-after') || headers.has('retry-after-ms')));
  if (throttled) {
    const retryAfterMs = parseRetryAfter(headers);
    return retryAfterMs === undefined ? { result: 'throttled' } : { result: 'throttled', retryAfterMs };
  }
  return { result: status >= 500 ? 'failure' : 'success' };
}

/**
 * Makes every attempt hold a permit from `limiter` under the key `keyOf(request)` (normally host plus
 * identity), and reports each outcome back so the limiter adapts. A call never waits on a server-requested
 * pause longer than `maxPauseMs(request)` (its `maxRetryAfterMs`): it fails at once with a `RateLimitError`
 * carrying `retryAfterMs`.
 */
export function throttlePolicy(
  limiter: RateLimiter,
  keyOf: (request: PipelineRequest) => string,
  maxPauseMs: (request: PipelineRequest) => number = () => Infinity,
): PipelinePolicy {
  return {
    name: throttlePolicyName,
    async sendRequest(request, next) {
      const cap = maxPauseMs(request);
      const permit = await limiter.acquire(keyOf(request), request.signal ? { signal: request.signal, maxPauseMs: cap } : { maxPauseMs: cap });
      if ('denied' in permit) throw rateLimitError(request, undefined, permit.retryAfterMs, cap);
      try {
        const response = await next(request);
        permit.release(outcomeOf(response));
        return response;
      } catch (error) {
        // Network failures, aborts and programming errors never raise the limit.
        permit.release({ result: 'failure' });
        throw error;
      }
    },
  };
}
