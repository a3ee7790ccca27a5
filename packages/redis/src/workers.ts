import { createHash, randomUUID } from 'node:crypto';
import { InvalidInputError, type Logger, silentLogger } from '@ml-connector/core';
import { type ProcessSummary, type SyncEngine, type SyncEvent, type SyncFlow, type SyncStore, contentHash } from '@ml-connector/core/sync';
import { type Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';

/** What a flow job carries: one source record, as the source read it. */
export interface FlowJobData {
  /** The source record (JSON), handed to `engine.process`. */
  readonly record: unknown;
}

/** Options shared by the producer and the workers of one flow. */
export interface FlowQueueOptions<S, P> {
  /** The flow; its name names the queue (`mlc-flow-<name>` unless `queueName` is given). */
  readonly flow: SyncFlow<S, P>;
  /**
   * A Redis connection for BullMQ (ioredis, created with `maxRetriesPerRequest: null`). Workers need one of their own
   * (BullMQ blocks on it); the queue may share.
   */
  readonly connection: Redis;
  /** Queue name. Default `mlc-flow-<flow name>` (colons are not allowed). */
  readonly queueName?: string;
  /** BullMQ key prefix. Default `bull`. */
  readonly prefix?: string;
  /**
   * The tenant whose records this queue carries: each tenant of a flow gets a queue of its own
   * (`mlc-flow-<name>-t-<tenant>`), so one tenant's backlog, throttling or failures never hold up another's jobs.
   * See {@link startTenantFlowWorkers}.
   */
  readonly tenant?: string;
}

/** Options of {@link startFlowWorker}. */
export interface FlowWorkerOptions<S, P> extends FlowQueueOptions<S, P> {
  /** This worker's engine: its store is the shared one (PostgreSQL), its `owner` this worker's id. */
  readonly engine: SyncEngine;
  /** Jobs this worker runs at once. Default 4. */
  readonly concurrency?: number;
  /** BullMQ job lock: a worker that stops renewing it (died) loses the job to another worker after this. Default 30,000 ms. */
  readonly lockDurationMs?: number;
  /** How often workers look for jobs of dead workers. Default 15,000 ms. */
  readonly stalledIntervalMs?: number;
  /** Receives the engine's progress events of every record this worker processes (must not throw). */
  readonly onEvent?: (event: SyncEvent) => void;
  /** Receives connection errors and failed review hand-overs (redacted fields only). Default: silent. */
  readonly logger?: Logger;
  /**
   * How long the tenant behind this queue is paused by its vendor (Retry-After), in ms; 0 or less when it is not.
   * Before each job: while paused longer than `minPauseMs`, the job goes back to the queue without using an attempt
   * and the whole queue (every worker) rests for the pause (BullMQ's queue rate limit), instead of the job holding a
   * slot while it waits. With {@link createRedisRateLimiter}: `() => limiter.pausedMs(key)` (key: the client's `host|identity`).
   */
  readonly pausedMs?: () => number | Promise<number>;
  /** Shortest pause that sends jobs back to the queue (shorter ones are waited out in the job). Default 1,000 ms. */
  readonly minPauseMs?: number;
}

/** A running worker. */
export interface FlowWorker {
  /** The BullMQ worker, for events and metrics. */
  readonly worker: Worker<FlowJobData, ProcessSummary>;
  /** Graceful shutdown: takes no new job, lets running jobs finish, then closes. */
  close(): Promise<void>;
}

/** Options of {@link produceFlow}. */
export interface ProduceOptions<S, P> extends FlowQueueOptions<S, P> {
  /** The shared store: the producer reads and saves the stream's checkpoint there, and re-enqueues `retrying` review items. */
  readonly store: SyncStore;
  /** Attempts of one job before it goes to the review queue. Default 8. */
  readonly attempts?: number;
  /** First retry delay of a job, doubled each attempt. Default 1,000 ms. */
  readonly backoffMs?: number;
  /** How often the producer looks at the jobs of the page it waits on. Default 200 ms. */
  readonly pollMs?: number;
  /** Longest wait for one page's jobs to finish. Default 1 hour. */
  readonly pageTimeoutMs?: number;
  /** Stops after the current page. */
  readonly signal?: AbortSignal;
  /** Receives warnings while Redis is away (redacted fields only). Default: silent. */
  readonly logger?: Logger;
  /** Clock in epoch ms. Default `Date.now`. */
  readonly now?: () => number;
}

/** What one producer pass did. */
export interface ProduceSummary {
  /** Source pages read. */
  readonly pages: number;
  /** Jobs enqueued (a record re-read at the same version is the same job). */
  readonly enqueued: number;
  /** Jobs enqueued again because Redis had lost them (a restart without persistence). */
  readonly reenqueued: number;
  /** Jobs that ended failed (their records are in the review queue). */
  readonly failed: number;
}

const DAY_S = 24 * 3600;

/** The queue name of a flow, or of one tenant of a flow (`<queue>-t-<tenant>`). */
export function flowQueueName(flow: SyncFlow<unknown, unknown>, queueName?: string, tenant?: string): string {
  if (tenant !== undefined && (typeof tenant !== 'string' || !/^[\w.@-]{1,128}$/.test(tenant))) {
    throw new InvalidInputError(`tenant must be 1 to 128 letters, digits or . _ @ -, got ${JSON.stringify(tenant)}`, { field: 'tenant' });
  }
  const base = queueName ?? `mlc-flow-${flow.name}`;
  const name = tenant === undefined ? base : `${base}-t-${tenant}`;
  if (name.includes(':')) throw new InvalidInputError(`queue name ${name} cannot contain ':' (BullMQ); pass queueName`, { field: 'queueName' });
  return name;
}

/**
 * The job id of a record: its source id and a short hash of its version, so a re-read record is one job and a new
 * version is a new job (the ledger decides what a new version writes). BullMQ ids cannot contain ':' or be integers.
 */
export function flowJobId(sourceId: string, version: string, attempt = 0): string {
  const hash = createHash('sha256').update(version).digest('base64url').slice(0, 12);
  return `r-${encodeURIComponent(sourceId)}.${hash}${attempt ? `.retry${attempt}` : ''}`;
}

function versionOf(flow: SyncFlow<unknown, unknown>, record: unknown): { id: string; version: string } {
  const identity = flow.source.identify(record);
  return { id: identity.id, version: identity.version ?? contentHash(record) };
}

/**
 * Starts a BullMQ worker for a flow: each job is one source record, processed through the engine's per-record path
 * (`engine.process`), so the ledger, audit and review queue are the same as in one process and the ledger still guards
 * against double posting. A record another worker holds (a dead worker's lease not yet expired) fails the attempt and
 * is retried with back-off; when attempts run out the record goes to the engine's review queue as `retrying`, never lost.
 */
export function startFlowWorker<S, P>(options: FlowWorkerOptions<S, P>): FlowWorker {
  const flow = options.flow as SyncFlow<unknown, unknown>;
  const name = flowQueueName(flow, options.queueName, options.tenant);
  const { engine } = options;
  const logger = options.logger ?? silentLogger;
  if (!engine || typeof engine.process !== 'function') throw new InvalidInputError('startFlowWorker needs an engine (createSyncEngine)', { field: 'engine' });
  const minPauseMs = options.minPauseMs ?? 1000;
  let pauses: Queue | undefined;
  const worker = new Worker<FlowJobData, ProcessSummary>(
    name,
    async (job: Job<FlowJobData, ProcessSummary>) => {
      const paused = options.pausedMs ? await options.pausedMs() : 0;
      if (paused > minPauseMs) {
        // The tenant is paused by its vendor: every worker leaves this queue alone for the pause, the job keeps its attempts.
        pauses ??= new Queue(name, { connection: options.connection, prefix: options.prefix });
        await pauses.rateLimit(Math.ceil(paused));
        throw Worker.RateLimitError();
      }
      const summary = await engine.process(flow, [job.data.record], options.onEvent ? { onEvent: options.onEvent } : {});
      if (summary.unsettled.length > 0 || summary.status === 'failed') {
        // Leased elsewhere or the run stopped: BullMQ retries it with back-off.
        throw new Error(`record ${summary.unsettled.join(', ') || job.id} not settled (${summary.error ?? 'held by another worker'}); retried`);
      }
      return summary;
    },
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency ?? 4,
      lockDuration: options.lockDurationMs ?? 30_000,
      stalledInterval: options.stalledIntervalMs ?? 15_000,
      maxStalledCount: 1_000,
      autorun: true,
    },
  );
  worker.on('failed', (job, error) => {
    if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
    void sendJobToReview(engine.store, flow, job, error).catch((cause: unknown) =>
      logger.error({ err: cause, jobId: job.id }, 'a failed job could not be put in the review queue; the producer will enqueue it again'),
    );
  });
  worker.on('error', (error) => logger.warn({ err: error }, 'flow worker connection error; reconnecting'));
  return {
    worker,
    close: async () => {
      await worker.close();
      await pauses?.close();
    },
  };
}

/** One tenant of {@link startTenantFlowWorkers}: its flow (clients with the tenant's identity) and engine (its store). */
export interface TenantFlow<S, P> {
  /** The tenant's id (letters, digits, `.`, `_`, `@`, `-`): it names the tenant's queue. */
  readonly tenant: string;
  /** The tenant's flow: its clients carry the tenant's identity, so its rate budget is its own. */
  readonly flow: SyncFlow<S, P>;
  /** The tenant's engine: its store keeps the tenant's ledger and checkpoints apart (a schema per tenant). */
  readonly engine: SyncEngine;
  /** See {@link FlowWorkerOptions.pausedMs}. */
  readonly pausedMs?: () => number | Promise<number>;
}

/** Options of {@link startTenantFlowWorkers}. */
export interface TenantFlowWorkersOptions {
  /** The tenants this process serves (every process may serve all of them, or a share). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tenants' flows may have different record types
  readonly tenants: readonly TenantFlow<any, any>[];
  /** A Redis connection (ioredis, `maxRetriesPerRequest: null`); each tenant's worker adds a blocking one of its own. */
  readonly connection: Redis;
  /** Jobs of one tenant this process runs at once. Default 2. */
  readonly concurrencyPerTenant?: number;
  /** Base of the queue names (the tenant is appended). Default `mlc-flow-<flow name>`. */
  readonly queueName?: string;
  /** BullMQ key prefix. Default `bull`. */
  readonly prefix?: string;
  /** See {@link FlowWorkerOptions.lockDurationMs}. */
  readonly lockDurationMs?: number;
  /** See {@link FlowWorkerOptions.stalledIntervalMs}. */
  readonly stalledIntervalMs?: number;
  /** See {@link FlowWorkerOptions.minPauseMs}. */
  readonly minPauseMs?: number;
  /** Receives the engine's events of every tenant (must not throw). */
  readonly onEvent?: (tenant: string, event: SyncEvent) => void;
  /** Receives connection errors and failed review hand-overs (redacted fields only). Default: silent. */
  readonly logger?: Logger;
}

/** The running workers of {@link startTenantFlowWorkers}. */
export interface TenantFlowWorkers {
  /** The worker of each tenant, by tenant id. */
  readonly workers: ReadonlyMap<string, FlowWorker>;
  /** Graceful shutdown of every tenant's worker. */
  close(): Promise<void>;
}

/**
 * Fair scheduling across tenants with open-source BullMQ: one queue per tenant (`mlc-flow-<flow>-t-<tenant>`) and, in
 * this process, one worker per tenant with `concurrencyPerTenant` slots of its own. A tenant's jobs only ever take its
 * own slots, so a tenant with a huge backlog, throttled hard by its vendor or failing on every record cannot hold up
 * another tenant's jobs; give each tenant its own rate limit key (its identity) so budgets stay apart too. Producers
 * pass the same `tenant` to {@link produceFlow}. Run it in every worker process; for hundreds of tenants, give each
 * process a share of them.
 */
export function startTenantFlowWorkers(options: TenantFlowWorkersOptions): TenantFlowWorkers {
  const seen = new Set<string>();
  for (const entry of options.tenants ?? []) {
    if (seen.has(entry.tenant)) throw new InvalidInputError(`tenant ${entry.tenant} is listed twice`, { field: 'tenants' });
    seen.add(entry.tenant);
  }
  if (seen.size === 0) throw new InvalidInputError('startTenantFlowWorkers needs at least one tenant', { field: 'tenants' });
  const concurrency = options.concurrencyPerTenant ?? 2;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new InvalidInputError(`concurrencyPerTenant must be a positive integer, got ${concurrency}`, { field: 'concurrencyPerTenant' });
  const workers = new Map<string, FlowWorker>();
  try {
    for (const { tenant, flow, engine, pausedMs } of options.tenants) {
      workers.set(tenant, startFlowWorker({
        flow, engine, tenant, connection: options.connection, concurrency,
        ...(options.queueName !== undefined ? { queueName: options.queueName } : {}),
        ...(options.prefix !== undefined ? { prefix: options.prefix } : {}),
        ...(options.lockDurationMs !== undefined ? { lockDurationMs: options.lockDurationMs } : {}),
        ...(options.stalledIntervalMs !== undefined ? { stalledIntervalMs: options.stalledIntervalMs } : {}),
        ...(options.minPauseMs !== undefined ? { minPauseMs: options.minPauseMs } : {}),
        ...(options.logger ? { logger: options.logger } : {}),
        ...(pausedMs ? { pausedMs } : {}),
        ...(options.onEvent ? { onEvent: (event: SyncEvent) => options.onEvent!(tenant, event) } : {}),
      }));
    }
  } catch (error) {
    void Promise.all([...workers.values()].map((w) => w.close()));
    throw error;
  }
  return {
    workers,
    close: async () => void (await Promise.all([...workers.values()].map((w) => w.close()))),
  };
}

/** A job out of attempts: its record goes to the review queue as `retrying`, so the next producer pass takes it again. */
async function sendJobToReview(store: SyncStore, flow: SyncFlow<unknown, unknown>, job: Job<FlowJobData>, error: Error): Promise<void> {
  const record = job.data.record;
  const identity = flow.source.identify(record);
  const key = { flow: flow.name, sourceSystem: flow.source.system, sourceId: identity.id };
  const existing = await store.getReview(key);
  const at = new Date().toISOString();
  const detail = `worker job ${job.id} failed ${job.attemptsMade} times: ${error.message}`.slice(0, 500);
  await store.commit(
    {
      review: [{
        ...key, state: 'retrying', reason: 'worker-failed', detail, businessIds: identity.businessIds ?? [], sourceRecord: record,
        attempts: (existing?.attempts ?? 0) + 1,
      }],
      audit: [{ ...key, runId: `job-${job.id}`, step: 'failed', at, businessIds: identity.businessIds ?? [], code: 'worker-failed', detail }],
    },
    at,
  );
}

/** The queue of a flow, for producers, dashboards and tests. Close it when done. */
export function openFlowQueue<S, P>(options: FlowQueueOptions<S, P>): Queue<FlowJobData> {
  return new Queue<FlowJobData>(flowQueueName(options.flow as SyncFlow<unknown, unknown>, options.queueName, options.tenant), {
    connection: options.connection,
    prefix: options.prefix,
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One producer pass of a flow: takes the `retrying` review items first, then reads the source page by page from the
 * stream's checkpoint (the engine's own), enqueues one job per record and saves the checkpoint only when every job of
 * the page has finished. A job Redis lost (a restart without persistence) is enqueued again: the ledger makes a second
 * delivery harmless. Run one producer per flow (take a store lease, or use {@link scheduleFlow}).
 */
export async function produceFlow<S, P>(options: ProduceOptions<S, P>): Promise<ProduceSummary> {
  const flow = options.flow as SyncFlow<unknown, unknown>;
  const { store } = options;
  const now = options.now ?? Date.now;
  const pollMs = options.pollMs ?? 200;
  const pageTimeoutMs = options.pageTimeoutMs ?? 3_600_000;
  const jobOptions = {
    attempts: options.attempts ?? 8,
    backoff: { type: 'exponential', delay: options.backoffMs ?? 1000 },
    // Finished jobs stay a day, so a page can be checked and a re-read at the same version stays one job.
    removeOnComplete: { age: DAY_S },
    removeOnFail: { age: 7 * DAY_S },
  };
  const queue = openFlowQueue(options);
  const counts = { pages: 0, enqueued: 0, reenqueued: 0, failed: 0 };
  const logger = options.logger ?? silentLogger;

  /** Enqueues records and waits until each job completed or failed, re-adding jobs Redis no longer has. */
  const settle = async (records: readonly { record: unknown; jobId: string }[]) => {
    const add = () => queue.addBulk(records.map(({ record, jobId }) => ({ name: 'record', data: { record }, opts: { ...jobOptions, jobId } })));
    await add();
    counts.enqueued += records.length;
    let open = new Map(records.map((r) => [r.jobId, r]));
    const deadline = now() + pageTimeoutMs;
    while (open.size > 0) {
      await sleep(pollMs);
      const next = new Map<string, { record: unknown; jobId: string }>();
      const lost: { record: unknown; jobId: string }[] = [];
      for (const [jobId, entry] of open) {
        let state: string;
        try {
          state = await queue.getJobState(jobId);
        } catch (error) {
          // Redis is away (restarting): keep waiting; ioredis reconnects.
          logger.warn({ err: error }, 'producer cannot reach Redis; waiting');
          next.set(jobId, entry);
          continue;
        }
        if (state === 'completed') continue;
        if (state === 'failed') {
          counts.failed++;
          continue;
        }
        if (state === 'unknown') lost.push(entry);
        next.set(jobId, entry);
      }
      if (lost.length > 0) {
        await queue.addBulk(lost.map(({ record, jobId }) => ({ name: 'record', data: { record }, opts: { ...jobOptions, jobId } }))).then(
          () => void (counts.reenqueued += lost.length),
          (error: unknown) => logger.warn({ err: error }, 'producer could not re-enqueue lost jobs; retrying'),
        );
      }
      open = next;
      if (open.size > 0 && now() > deadline) throw new Error(`${open.size} jobs of a page of flow ${flow.name} did not finish within ${pageTimeoutMs} ms`);
    }
  };

  try {
    const retrying = await store.listReview({ flow: flow.name, state: 'retrying', limit: 10_000 });
    const retried = retrying.filter((item) => item.sourceSystem === flow.source.system && item.sourceRecord !== undefined);
    if (retried.length > 0) {
      await settle(retried.map((item) => {
        const { id, version } = versionOf(flow, item.sourceRecord);
        return { record: item.sourceRecord, jobId: flowJobId(id, version, item.attempts + 1) };
      }));
    }
    const stream = `${flow.name}/${flow.source.system}/${flow.source.stream}`;
    const queryHash = contentHash(flow.source.query);
    const saved = await store.getCheckpoint(stream);
    const cursor = saved?.queryHash === queryHash ? saved.value : undefined;
    const controller = new AbortController();
    const onAbort = () => controller.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for await (const page of flow.source.read(cursor, { signal: controller.signal, logger })) {
        counts.pages++;
        await settle(page.records.map((record) => {
          const { id, version } = versionOf(flow, record);
          return { record, jobId: flowJobId(id, version) };
        }));
        const at = new Date(now()).toISOString();
        await store.commit({ checkpoint: { stream, queryHash, value: page.cursor } }, at);
        if (options.signal?.aborted) break;
      }
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  } finally {
    await queue.close();
  }
  return counts;
}

/** Options of {@link scheduleFlow}. */
export interface ScheduleFlowOptions<S, P> extends ProduceOptions<S, P> {
  /** Time between two producer passes (a BullMQ job scheduler, so it survives restarts and runs once per interval). */
  readonly everyMs: number;
  /** Id of this scheduler process (for the store lease). Default: a random UUID. */
  readonly owner?: string;
}

/** A running schedule. */
export interface FlowSchedule {
  /** Stops taking schedule ticks and waits for a running pass to finish. The job scheduler stays in Redis. */
  close(): Promise<void>;
  /** Removes the job scheduler from Redis (the flow is no longer scheduled anywhere). */
  remove(): Promise<void>;
}

/**
 * Schedules producer passes of a flow with a BullMQ job scheduler (repeatable job): every `everyMs` one tick job, taken
 * by one of the processes that called this; the pass holds the store lease `produce:<flow>` so two never read the same
 * stream at once. Start it in every worker process: whichever is alive takes the tick.
 */
export function scheduleFlow<S, P>(options: ScheduleFlowOptions<S, P>): FlowSchedule {
  const flow = options.flow as SyncFlow<unknown, unknown>;
  if (!Number.isInteger(options.everyMs) || options.everyMs <= 0) throw new InvalidInputError('everyMs must be a positive integer', { field: 'everyMs' });
  const name = `${flowQueueName(flow, options.queueName, options.tenant)}-schedule`;
  const owner = options.owner ?? randomUUID();
  const queue = new Queue(name, { connection: options.connection, prefix: options.prefix });
  const ready = queue.upsertJobScheduler(flow.name, { every: options.everyMs }, { name: 'produce', data: {} });
  const leaseName = `produce:${flow.name}${options.tenant === undefined ? '' : `:${options.tenant}`}`;
  const worker = new Worker(
    name,
    async () => {
      const now = options.now ?? Date.now;
      const ttl = Math.max(options.everyMs * 4, 60_000);
      if (!(await options.store.acquireLease(leaseName, owner, ttl, now()))) return { skipped: true };
      try {
        return await produceFlow(options);
      } finally {
        await options.store.releaseLease(leaseName, owner);
      }
    },
    { connection: options.connection.duplicate(), prefix: options.prefix, concurrency: 1 },
  );
  return {
    async close() {
      await ready.catch(() => undefined);
      await worker.close();
      await queue.close();
    },
    async remove() {
      await ready;
      await queue.removeJobScheduler(flow.name);
    },
  };
}
