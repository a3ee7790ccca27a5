/**
 * `@ml-connector/redis`: scale-out on Redis for the ml-connector sync engine: one rate budget per tenant shared by
 * every worker, a cross-process refresh-token lock, and BullMQ workers that process a flow's records.
 *
 * @packageDocumentation
 */
export { createRedisRateLimiter, type RedisRateLimiter, type RedisRateLimiterOptions, type RedisRateLimitState } from './rate-limiter.js';
export { createRedisRefreshLock, type RedisRefreshLockOptions, RefreshLockTimeoutError } from './refresh-lock.js';
export {
  type FlowJobData, type FlowQueueOptions, type FlowWorkerOptions, type FlowWorker, type ProduceOptions, type ProduceSummary,
  type ScheduleFlowOptions, type FlowSchedule, type TenantFlow, type TenantFlowWorkersOptions, type TenantFlowWorkers,
  flowQueueName, flowJobId, startFlowWorker, startTenantFlowWorkers, openFlowQueue, produceFlow, scheduleFlow,
} from './workers.js';
