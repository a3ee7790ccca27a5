import { parseRetryAfter } from '../retry-after.js';
import type { RateLimiter } from '../adaptive-throttle.js';
import type { PipelinePolicy, PipelineRequest } from '../types.js';

/** Name of the throttle policy. */
export const throttlePolicyName = 'throttle';

/**
 * Makes every attempt hold a permit from `limiter` under the key `keyOf(request)` (normally host plus
 * identity), and reports throttled responses back so the limiter adapts.
 */
export function throttlePolicy(limiter: RateLimiter, keyOf: (request: PipelineRequest) => string): PipelinePolicy {
  return {
    name: throttlePolicyName,
    async sendRequest(request, next) {
      const permit = await limiter.acquire(keyOf(request), request.signal);
      try {
        const response = await next(request);
        const throttled = response.status === 429 || (response.status === 503 && response.headers.has('retry-after'));
        const retryAfterMs = throttled ? parseRetryAfter(response.headers) : undefined;
        permit.release(retryAfterMs === undefined ? { throttled } : { throttled, retryAfterMs });
        return response;
      } catch (error) {
        permit.release({ throttled: false });
        throw error;
      }
    },
  };
}
