import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { InvalidInputError, type Logger } from '@ml-connector/core';
import { type RunCounts, type RunSummary, type SyncEvent, type SyncFlow, type SyncStore, createSyncEngine, openSqliteSyncStore } from '@ml-connector/core/sync';
import { openPostgresSyncStore } from '@ml-connector/postgres';
import { type RedisRateLimiter, createRedisRateLimiter, produceFlow, startFlowWorker } from '@ml-connector/redis';
import { Redis } from 'ioredis';

/** The example's state: PostgreSQL when DATABASE_URL is set (required with --workers), else the SQLite file. */
export async function openExampleStore(statePath: string, workers: number | undefined): Promise<SyncStore> {
  const databaseUrl = process.env['DATABASE_URL']?.trim();
  if (databaseUrl) return openPostgresSyncStore({ connectionString: databaseUrl });
  if (workers !== undefined) {
    throw new InvalidInputError('--workers needs DATABASE_URL (postgres://…) for the shared state, and REDIS_URL for the queue: see docker-compose.yml', { field: 'DATABASE_URL' });
  }
  mkdirSync(dirname(statePath), { recursive: true });
  return openSqliteSyncStore({ path: statePath });
}

/** Options of {@link runOnWorkers}. */
export interface WorkerRunOptions {
  readonly workers: number;
  readonly store: SyncStore;
  /** Stable owner prefix; worker i owns leases as `<owner>:w<i>`. */
  readonly owner: string;
  readonly engine?: Record<string, unknown>;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly onEvent: (event: SyncEvent) => void;
}

/**
 * Runs one flow on `workers` BullMQ workers (this process; more machines run `startFlowWorker` too) and one producer
 * reading the source through the checkpoint. Resolves a summary shaped like a run's, for the shared summary table.
 */
export async function runOnWorkers(flow: SyncFlow<unknown, unknown>, options: WorkerRunOptions): Promise<RunSummary> {
  const redisUrl = process.env['REDIS_URL']?.trim();
  if (!redisUrl) throw new InvalidInputError('--workers needs REDIS_URL (redis://…) for the queue: see docker-compose.yml', { field: 'REDIS_URL' });
  const startedAt = Date.now();
  const counts: RunCounts = { read: 0, created: 0, updated: 0, skipped: 0, review: 0, failed: 0 };
  const connections: Redis[] = [];
  const connect = () => {
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
    redis.on('error', (error) => options.logger.warn({ err: error }, 'Redis connection error; reconnecting'));
    connections.push(redis);
    return redis;
  };
  const onEvent = (event: SyncEvent) => {
    if (event.type === 'record' && event.outcome !== 'dry-run') {
      counts.read++;
      counts[event.outcome]++;
    }
    // Each job is a run of its own: only record and warning events make sense in one progress display.
    if (event.type === 'record' || event.type === 'warning') options.onEvent(event);
  };
  const workers = Array.from({ length: options.workers }, (_, i) =>
    startFlowWorker({
      flow, connection: connect(), logger: options.logger, onEvent,
      engine: createSyncEngine({ store: options.store, logger: options.logger, owner: `${options.owner}:w${i}`, concurrency: 1, ...options.engine }),
    }));
  try {
    await produceFlow({ flow, store: options.store, connection: connect(), signal: options.signal, logger: options.logger });
  } finally {
    await Promise.all(workers.map((worker) => worker.close()));
    await Promise.all(connections.map((redis) => redis.quit().catch(() => undefined)));
  }
  return {
    runId: `workers-${randomUUID()}`, flow: flow.name, status: options.signal.aborted ? 'aborted' : 'completed', counts,
    durationMs: Date.now() - startedAt, dryRun: false,
  };
}

/**
 * The Business Central budget in Redis that every worker shares (BC_MAX_REQUESTS_PER_SECOND, default 20 = 6,000 per
 * 5 minutes; 5 concurrent requests per user, BC's own limit), so N workers together stay under it.
 */
export function sharedBusinessCentralThrottle(requestsPerSecond: number | undefined): { limiter: RedisRateLimiter; close: () => Promise<void> } {
  const redisUrl = process.env['REDIS_URL']?.trim();
  if (!redisUrl) throw new InvalidInputError('--workers needs REDIS_URL (redis://…) for the queue: see docker-compose.yml', { field: 'REDIS_URL' });
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  redis.on('error', () => undefined);
  const limiter = createRedisRateLimiter({ redis, requestsPerSecond: requestsPerSecond ?? 20, initialConcurrency: 5, maxConcurrency: 5 });
  return { limiter, close: async () => void (await redis.quit().catch(() => undefined)) };
}
