import { type Credential, isTokenProvider } from '../../auth/index.js';
import { basicAuthorization } from '../../auth/index.js';
import type { PipelinePolicy, PipelineRequest } from '../types.js';

/** Name of the auth policy. */
export const authPolicyName = 'auth';

const withAuthorization = (request: PipelineRequest, value: string): PipelineRequest => {
  const headers = new Headers(request.headers);
  headers.set('authorization', value);
  return { ...request, headers };
};

/**
 * Signs each attempt (innermost, so every retry carries a current token). With a token provider, a 401
 * invalidates exactly the token that was refused and the attempt is repeated once with the provider's
 * current token: when many calls get a 401 after one revocation, the first invalidation starts one refresh
 * and every other call shares it (or finds its result in the cache). A second 401 is returned as is.
 */
export function authPolicy(credential: Credential): PipelinePolicy {
  if (!isTokenProvider(credential)) {
    const header = basicAuthorization(credential);
    return { name: authPolicyName, sendRequest: (request, next) => next(withAuthorization(request, header)) };
  }
  return {
    name: authPolicyName,
    async sendRequest(request, next) {
      const token = await credential.getToken({ signal: request.signal });
      const response = await next(withAuthorization(request, `${token.tokenType ?? 'Bearer'} ${token.token}`));
      if (response.status !== 401) return response;
      credential.invalidate(token.token);
      const fresh = await credential.getToken({ signal: request.signal });
      request.context.retries.push({ attempt: request.context.attempt, reason: 'unauthorized-token-refreshed', delayMs: 0, status: 401 });
      return next(withAuthorization(request, `${fresh.tokenType ?? 'Bearer'} ${fresh.token}`));
    },
  };
}
