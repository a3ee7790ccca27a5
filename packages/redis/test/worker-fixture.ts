import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { createSyncEngine, type SyncFlow, type SyncStore } from '@ml-connector/core/sync';
import { openPostgresSyncStore } from '@ml-connector/postgres';
import { type FlowWorker, startFlowWorker } from '@ml-connector/redis';
import { Redis } from 'ioredis';
import pg from 'pg';
import { FakeSource, FakeTarget, type Invoice, type InvoiceDoc, invoice, invoiceFlow } from '../../core/test/sync/engine-fakes.js';

let schemas = 0;
const run = `w${process.pid}_${Date.now().toString(36)}`;

/** A cluster on one machine: N workers, each with its own Redis connection, PostgreSQL pool and engine. */
export async function startCluster(options: { redisUrl: string; databaseUrl: string; records: number; workers: number; pageSize?: number; leaseMs?: number }) {
  const schema = `${run}_${++schemas}`;
  const queueName = `t-${schema}`;
  const source = new FakeSource(Array.from({ length: options.records }, (_, i) => invoice(String(i + 1).padStart(5, '0'))));
  source.pageSize = options.pageSize ?? 100;
  const target = new FakeTarget();
  const creates = new Map<string, number>();
  const callers = new Map<string, number>();
  const closeables: (() => Promise<unknown>)[] = [];
  const connections: Redis[] = [];
  const connect = () => {
    const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
    redis.on('error', () => undefined);
    connections.push(redis);
    return redis;
  };
  /** The flow as worker `index` sees it: the same source and target, with every create counted. */
  const flowFor = (index: number): SyncFlow<Invoice, InvoiceDoc> => {
    const base = invoiceFlow(source, target);
    return {
      ...base,
      target: Object.assign(Object.create(target) as FakeTarget, {
        create: (payload: InvoiceDoc) => {
          creates.set(payload.number, (creates.get(payload.number) ?? 0) + 1);
          callers.set(payload.number, index);
          return target.create(payload);
        },
      }),
    };
  };
  const stores: SyncStore[] = [];
  const workers: FlowWorker[] = [];
  for (let i = 0; i < options.workers; i++) {
    const store = await openPostgresSyncStore({ connectionString: options.databaseUrl, schema, maxConnections: 4 });
    stores.push(store);
    const engine = createSyncEngine({ store, owner: `worker-${i}`, leaseMs: options.leaseMs ?? 2000, concurrency: 1 });
    workers.push(startFlowWorker({ flow: flowFor(i), engine, connection: connect(), queueName, concurrency: 4, lockDurationMs: 1000, stalledIntervalMs: 500 }));
  }
  const producerStore = await openPostgresSyncStore({ connectionString: options.databaseUrl, schema, maxConnections: 2 });
  stores.push(producerStore);
  closeables.push(async () => {
    await Promise.all(workers.map((w) => w.close().catch(() => undefined)));
    await Promise.all(stores.map((s) => s.close().catch(() => undefined)));
    for (const c of connections) c.disconnect();
    const admin = new pg.Client({ connectionString: options.databaseUrl });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });
  return {
    source, target, creates, callers, workers, connections, queueName, flow: flowFor(-1), store: producerStore,
    producerConnection: connect(),
    async close() {
      for (const close of closeables) await close();
    },
  };
}

/** Every audit event of a flow, paged. */
export async function allAudit(store: SyncStore, flow: string) {
  const events = [];
  let afterSeq = 0;
  for (;;) {
    const page = await store.queryAudit({ flow, afterSeq, limit: 1000 });
    events.push(...page);
    if (page.length < 1000) return events;
    afterSeq = page.at(-1)!.seq;
  }
}

/** A private redis-server on `port`, killable and restartable (no persistence: a restart loses every job). */
export function privateRedis(binary: string, port: number, dir: string) {
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
    const probe = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: null, lazyConnect: true });
    probe.on('error', () => undefined);
    for (let i = 0; i < 100; i++) {
      try {
        await probe.connect();
        if ((await probe.ping()) === 'PONG') break;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    probe.disconnect();
  };
  return {
    start,
    kill: () => new Promise<void>((resolve) => {
      if (!child || child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    }),
  };
}

const here = dirname(fileURLToPath(import.meta.url));
let bundled: Promise<string> | undefined;

/** worker-process.ts bundled from source (workspace packages inlined; bullmq, ioredis and pg from this package). */
export function workerProcessScript(): Promise<string> {
  bundled ??= (async () => {
    const outfile = join(here, '..', 'node_modules', '.cache', 'mlc-test', `worker-process-${process.pid}.mjs`);
    await build({
      entryPoints: [join(here, 'worker-process.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node22', outfile,
      tsconfig: join(here, '..', '..', '..', 'tsconfig.test.json'), external: ['bullmq', 'ioredis', 'pg', 'pg-native'], logLevel: 'error',
    });
    return outfile;
  })();
  return bundled;
}

/** A worker process (worker-process.ts): its stdout lines, and a promise per awaited line. */
export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly id: string;
  /** Resolves when the process printed a line matching `pattern`. */
  line(pattern: RegExp): Promise<string>;
  /** Resolves when the process exited. */
  readonly exited: Promise<void>;
}

/** Starts worker processes on one queue and schema; resolves when every one is ready. */
export async function startWorkerProcesses(options: { count: number; redisUrl: string; databaseUrl: string; schema: string; queueName: string; hangOn?: string }): Promise<WorkerProcess[]> {
  const script = await workerProcessScript();
  const processes = Array.from({ length: options.count }, (_, i): WorkerProcess => {
    const id = String(i);
    const child = spawn(process.execPath, [script], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...process.env, REDIS_URL: options.redisUrl, DATABASE_URL: options.databaseUrl, MLC_SCHEMA: options.schema, MLC_QUEUE: options.queueName, MLC_WORKER: id,
        ...(options.hangOn ? { MLC_HANG_ON: options.hangOn } : {}),
      },
    });
    const seen: string[] = [];
    const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
    createInterface({ input: child.stdout! }).on('line', (text) => {
      seen.push(text);
      for (const waiter of waiters.filter((w) => w.pattern.test(text))) waiter.resolve(text);
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    return {
      child, id, exited,
      line: (pattern) => {
        const found = seen.find((text) => pattern.test(text));
        return found !== undefined ? Promise.resolve(found) : new Promise((resolve) => waiters.push({ pattern, resolve }));
      },
    };
  });
  await Promise.all(processes.map((p) => Promise.race([p.line(/^ready$/), p.exited.then(() => { throw new Error(`worker process ${p.id} exited before it was ready`); })])));
  return processes;
}
