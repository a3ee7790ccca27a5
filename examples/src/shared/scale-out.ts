import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dirname } from 'node:path';
import { InvalidInputError, type Logger } from '@ml-connector/core';
import { type RunCounts, type RunSummary, type SyncEvent, type SyncFlow, type SyncStore, createSyncEngine, openSqliteSyncStore } from '@ml-connector/core/sync';
import { openPostgresSyncStore } from '@ml-connector/postgres';
import { type FlowWorker, type RedisRateLimiter, createRedisRateLimiter, produceFlow, startFlowWorker } from '@ml-connector/redis';
import { Redis } from 'ioredis';

/** The example's state: PostgreSQL when DATABASE_URL is set (required with --workers), else the SQLite file. */
export async function openExampleStore(statePath: string, workers: number | undefined): Promise<SyncStore> {
  const databaseUrl = process.env['DATABASE_URL']?.trim();
  if (databaseUrl) return openPostgresSyncStore({ connectionString: databaseUrl });
  if (workers !== undefined) {
    throw new InvalidInputError('--workers and --worker need DATABASE_URL (postgres://…) for the shared state, and REDIS_URL for the queue: see docker-compose.yml', { field: 'DATABASE_URL' });
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
  /**
   * Run the workers as separate processes: each is this example started again with `argv` (script and flags,
   * `--worker --json` among them), which serves the queues until this process sends SIGTERM after the producer is done.
   * Absent: the workers run in this process.
   */
  readonly processes?: { readonly argv: readonly string[] };
}

const emptyCounts = (): RunCounts => ({ read: 0, created: 0, updated: 0, skipped: 0, review: 0, failed: 0 });

function redisUrlFor(flag: string): string {
  const redisUrl = process.env['REDIS_URL']?.trim();
  if (!redisUrl) throw new InvalidInputError(`${flag} needs REDIS_URL (redis://…) for the queue: see docker-compose.yml`, { field: 'REDIS_URL' });
  return redisUrl;
}

/** BullMQ workers of some flows in this process, each with its own Redis connection and engine; counts their records. */
function startWorkers(flows: readonly SyncFlow<unknown, unknown>[], options: Omit<WorkerRunOptions, 'processes' | 'signal'>, redisUrl: string) {
  const counts = emptyCounts();
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
  const workers: FlowWorker[] = [];
  for (let i = 0; i < options.workers; i++) {
    const engine = createSyncEngine({ store: options.store, logger: options.logger, owner: `${options.owner}:w${i}`, concurrency: 1, ...options.engine });
    for (const flow of flows) workers.push(startFlowWorker({ flow, connection: connect(), logger: options.logger, onEvent, engine }));
  }
  return {
    counts,
    connect,
    async close() {
      await Promise.all(workers.map((worker) => worker.close()));
      await Promise.all(connections.map((redis) => redis.quit().catch(() => undefined)));
    },
  };
}

/** What a worker process reports on its last stdout line (`--json`): its counts and the requests it sent. */
type WorkerReport = Partial<RunCounts> & { readonly requestsUsed?: number };

/** A run on workers: a run's summary plus the requests that worker processes sent (0 when they run in this process). */
export type WorkerRunSummary = RunSummary & {
  /** Requests the worker processes reported; the producer's own are counted by its connections. */
  readonly workerRequests: number;
};

/** A worker process started by {@link runOnWorkers}: resolves its summary line (`--json`) when it exits. */
function startWorkerProcess(argv: readonly string[], logger: Logger): { child: ReturnType<typeof spawn>; summary: Promise<WorkerReport | undefined> } {
  const child = spawn(process.execPath, [...process.execArgv, ...argv], { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
  let last: WorkerReport | undefined;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      last = JSON.parse(line) as WorkerReport;
    } catch {
      // Not the summary line.
    }
  });
  const summary = once(child, 'exit').then(([code, signal]) => {
    if (code !== 0 && signal !== 'SIGTERM') logger.warn({ pid: child.pid, code, signal }, 'a worker process ended early; the other workers take its jobs');
    return last;
  });
  return { child, summary };
}

/**
 * Runs one flow on `workers` BullMQ workers and one producer reading the source through the checkpoint. The workers run
 * in this process, or with `processes` as that many processes of their own (more machines can run `--worker` too).
 * Resolves a summary shaped like a run's, for the shared summary table, with the requests worker processes sent.
 */
export async function runOnWorkers(flow: SyncFlow<unknown, unknown>, options: WorkerRunOptions): Promise<WorkerRunSummary> {
  const redisUrl = redisUrlFor('--workers');
  const startedAt = Date.now();
  let counts: RunCounts;
  let workerRequests = 0;
  if (options.processes) {
    const { argv } = options.processes;
    const children = Array.from({ length: options.workers }, () => startWorkerProcess(argv, options.logger));
    const producer = new Redis(redisUrl, { maxRetriesPerRequest: null });
    producer.on('error', (error) => options.logger.warn({ err: error }, 'Redis connection error; reconnecting'));
    try {
      await produceFlow({ flow, store: options.store, connection: producer, signal: options.signal, logger: options.logger });
    } finally {
      // Every job of every page has finished: the workers stop gracefully.
      for (const { child } of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await producer.quit().catch(() => undefined);
    }
    counts = emptyCounts();
    for (const reported of await Promise.all(children.map((c) => c.summary))) {
      for (const field of Object.keys(counts) as (keyof RunCounts)[]) counts[field] += Number(reported?.[field] ?? 0);
      workerRequests += Number(reported?.requestsUsed ?? 0);
    }
  } else {
    const workers = startWorkers([flow], options, redisUrl);
    try {
      await produceFlow({ flow, store: options.store, connection: workers.connect(), signal: options.signal, logger: options.logger });
    } finally {
      await workers.close();
    }
    counts = workers.counts;
  }
  return {
    runId: `workers-${randomUUID()}`, flow: flow.name, status: options.signal.aborted ? 'aborted' : 'completed', counts,
    durationMs: Date.now() - startedAt, dryRun: false, workerRequests,
  };
}

/**
 * `--worker`: serves the queues of these flows with `workers` BullMQ workers in this process until `signal` aborts
 * (SIGINT or SIGTERM), then finishes running jobs and resolves what it processed. No producer: another process
 * (`--workers n`) or a schedule reads the sources. Start it on as many machines as needed.
 */
export async function serveFlows(flows: readonly SyncFlow<unknown, unknown>[], options: Omit<WorkerRunOptions, 'processes'>): Promise<RunSummary> {
  const redisUrl = redisUrlFor('--worker');
  const startedAt = Date.now();
  const workers = startWorkers(flows, options, redisUrl);
  try {
    if (!options.signal.aborted) await once(options.signal, 'abort');
  } finally {
    await workers.close();
  }
  return {
    runId: `worker-${randomUUID()}`, flow: flows.map((flow) => flow.name).join(', '), status: 'completed', counts: workers.counts,
    durationMs: Date.now() - startedAt, dryRun: false,
  };
}

/**
 * The Business Central budget in Redis that every worker shares (BC_MAX_REQUESTS_PER_SECOND, default 20 = 6,000 per
 * 5 minutes; 5 to 10 requests in flight per user: BC processes 5 at once and queues the rest), so N workers together
 * stay under it.
 */
export function sharedBusinessCentralThrottle(requestsPerSecond: number | undefined): { limiter: RedisRateLimiter; close: () => Promise<void> } {
  const redis = new Redis(redisUrlFor('--workers'), { maxRetriesPerRequest: null });
  redis.on('error', () => undefined);
  // BC processes 5 requests per user at once and queues up to 95: up to 10 in flight keep 5 busy while the others
  // travel, and a 429 halves it for every worker.
  const limiter = createRedisRateLimiter({ redis, requestsPerSecond: requestsPerSecond ?? 20, initialConcurrency: 5, maxConcurrency: 10 });
  return { limiter, close: async () => void (await redis.quit().catch(() => undefined)) };
}
