import type { PipelinePolicy } from '../types.js';

/** Name of the request-id policy. */
export const requestIdPolicyName = 'requestId';

/**
 * Sends the call's client request id in `headerName` (unless the caller set one), so vendor support and
 * our logs can correlate one call across retries. Microsoft APIs use `x-ms-client-request-id`.
 */
export function requestIdPolicy(headerName = 'x-request-id'): PipelinePolicy {
  return {
    name: requestIdPolicyName,
    sendRequest(request, next) {
      if (request.headers.has(headerName)) return next(request);
      const headers = new Headers(request.headers);
      headers.set(headerName, request.requestId);
      return next({ ...request, headers });
    },
  };
}
