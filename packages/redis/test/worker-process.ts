// A flow worker in a process of its own, for the tests that kill one with SIGKILL. Bundled from source by
// `workerProcessScript()` (worker-fixture.ts) and started with node. The target is a table in PostgreSQL, so every
// process writes to the same "system" and a document written twice would show as two rows.
// Environment: REDIS_URL, DATABASE_URL, MLC_SCHEMA, MLC_QUEUE, MLC_WORKER (id), MLC_HANG_ON (a document number whose
// write hangs after the row is stored, as a process dying mid-call would leave it).
import { createSyncEngine, type SyncFlow, type TargetDocument } from '@ml-connector/core/sync';
import { openPostgresSyncStore } from '@ml-connector/postgres';
import { startFlowWorker } from '@ml-connector/redis';
import { Redis } from 'ioredis';
import pg from 'pg';

interface Invoice {
  readonly id: string;
  readonly version: number;
  readonly vendor: string;
  readonly number: string;
  readonly amount: number;
}
interface Doc {
  readonly vendor: string;
  readonly number: string;
  readonly amount: number;
  readonly [field: string]: unknown;
}

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};
const schema = env('MLC_SCHEMA');
const table = `"${schema}".target_docs`;
const worker = env('MLC_WORKER');
const hangOn = process.env['MLC_HANG_ON'];
const db = new pg.Pool({ connectionString: env('DATABASE_URL'), max: 4 });

const view = (row: { id: number; vendor: string; number: string; amount: string }): TargetDocument => ({
  id: String(row.id), version: '1', locked: false, snapshot: { vendor: row.vendor, number: row.number, amount: Number(row.amount) },
});

const flow: SyncFlow<Invoice, Doc> = {
  name: 'bc-invoices',
  mappingVersion: 'v1',
  source: {
    system: 'jaggaer', stream: 'approved-invoices', query: { status: 'approved' },
    async *read() {},
    identify: (record) => ({ id: record.id, version: String(record.version), businessIds: [record.number, record.vendor] }),
  },
  map: (record) => ({ vendor: record.vendor, number: record.number, amount: record.amount }),
  target: {
    system: 'business-central',
    naturalKey: (payload) => `${payload.vendor}/${payload.number}`,
    async find(payload) {
      const { rows } = await db.query(`SELECT * FROM ${table} WHERE vendor = $1 AND number = $2 ORDER BY id LIMIT 1`, [payload.vendor, payload.number]);
      return rows[0] && view(rows[0]);
    },
    async get(id) {
      const { rows } = await db.query(`SELECT * FROM ${table} WHERE id = $1`, [Number(id)]);
      return rows[0] && view(rows[0]);
    },
    async create(payload) {
      const { rows } = await db.query(`INSERT INTO ${table} (vendor, number, amount, worker) VALUES ($1, $2, $3, $4) RETURNING *`, [payload.vendor, payload.number, payload.amount, worker]);
      if (payload.number === hangOn) {
        process.stdout.write(`hung ${payload.number}\n`);
        await new Promise(() => {}); // the call never answers: this process is about to be killed
      }
      return { document: view(rows[0]), requestId: `req-${rows[0].id}` };
    },
    async update(current) {
      return { document: current };
    },
  },
};

const store = await openPostgresSyncStore({ connectionString: env('DATABASE_URL'), schema, maxConnections: 4 });
const engine = createSyncEngine({ store, owner: `process-${worker}`, leaseMs: 1500, concurrency: 1 });
const connection = new Redis(env('REDIS_URL'), { maxRetriesPerRequest: null });
connection.on('error', () => undefined);
const running = startFlowWorker({ flow, engine, connection, queueName: env('MLC_QUEUE'), concurrency: 4, lockDurationMs: 1000, stalledIntervalMs: 500 });
await running.worker.waitUntilReady();
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void (async () => {
    await running.close();
    await store.close();
    await db.end();
    connection.disconnect();
    process.exit(0);
  })();
});
