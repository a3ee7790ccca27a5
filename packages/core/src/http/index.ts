export type {
  HttpMethod,
  ResponseType,
  ReplayableBody,
  PipelineRequest,
  RequestContext,
  CallRetryOptions,
  PipelineResponse,
  SendRequest,
  PipelinePolicy,
} from './types.js';
export { type Pipeline, type ReadonlyPipeline, type AddPolicyOptions, createPipeline } from './pipeline.js';
export { parseRetryAfter } from './retry-after.js';
export { type RetryBudget, type RetryBudgetOptions, createRetryBudget } from './retry-budget.js';
export {
  type RateLimiter,
  type RateLimitPermit,
  type PermitOutcome,
  type RateLimitDenial,
  type AcquireOptions,
  type AdaptiveThrottle,
  type AdaptiveThrottleOptions,
  type ThrottleState,
  createAdaptiveThrottle,
} from './adaptive-throttle.js';
export {
  type RetryOptions,
  type RetryReason,
  type RetryEvent,
  type RetryPolicyDeps,
  DEFAULT_RETRY_OPTIONS,
  retryPolicy,
  retryPolicyName,
} from './policies/retry.js';
export { throttlePolicy, throttlePolicyName } from './policies/throttle.js';
export { authPolicy, authPolicyName } from './policies/auth.js';
export { requestIdPolicy, requestIdPolicyName } from './policies/request-id.js';
export { logPolicy, logPolicyName } from './policies/log.js';
export { createKyTransport } from './transport.js';
export { sleep } from './sleep.js';
export {
  type HttpClient,
  type HttpClientOptions,
  type HttpResponse,
  type RequestOptions,
  type QueryInput,
  createHttpClient,
} from './client.js';
