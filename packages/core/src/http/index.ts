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
export { type PollOptions, type PollResult, pollUntil } from './poll.js';
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
  retryPolicyName,
} from './policies/retry.js';
// Policy names only: the factories are wired by createHttpClient; custom steps go in with addPolicy.
export { throttlePolicyName } from './policies/throttle.js';
export { authPolicyName } from './policies/auth.js';
export { requestIdPolicyName } from './policies/request-id.js';
export { logPolicyName } from './policies/log.js';
export {
  type HttpClient,
  type HttpClientOptions,
  type HttpResponse,
  type RequestOptions,
  type QueryInput,
  createHttpClient,
} from './client.js';
export {
  type ConnectorTransportOptions,
  type ConnectorTransportDefaults,
  type ConnectorHttpClientOptions,
  connectorHttpClientOptions,
} from './connector-options.js';
