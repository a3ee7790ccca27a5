// pnpm bench: prints the sync engine's own cost per record, end to end (read, map, preflight, ledger, audit, write)
// with an in-process target that answers at once, on the memory store and on a SQLite file (WAL). The figure is the
// engine's ceiling: real flows are bound by the target's request budget. CPU time is the steadier figure on a
// shared machine.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemorySyncStore, createSyncEngine, openSqliteSyncStore } from '@ml-connector/core/sync';

const RECORDS = Number(process.env.BENCH_ENGINE_RECORDS ?? 2000);
const PAGE = 100;

function flow(records) {
  const docs = new Map();
  return {
    name: 'bench-invoices',
    source: {
      system: 'jaggaer',
      stream: 'approved',
      query: { status: 'approved' },
      async *read(cursor) {
        for (let at = cursor ? Number(cursor) : 0; at < records; at += PAGE) {
          const page = [];
          for (let i = at; i < Math.min(at + PAGE, records); i++) page.push({ id: `inv-${i}`, version: '1', vendor: `V${i % 200}`, number: `INV-${i}`, amount: i });
          yield { records: page, cursor: String(at + page.length) };
        }
      },
      identify: (r) => ({ id: r.id, version: r.version, businessIds: [r.number, r.vendor] }),
    },
    map: (r) => ({ vendorNumber: r.vendor, vendorInvoiceNumber: r.number, amount: r.amount }),
    target: {
      system: 'business-central',
      naturalKey: (p) => `${p.vendorNumber}|${p.vendorInvoiceNumber}`,
      references: (p) => [{ kind: 'vendor', key: p.vendorNumber, field: 'vendorNumber' }],
      resolvers: { vendor: async (keys) => new Map(keys.map((key) => [key, { exists: true, usable: true }])) },
      find: async (p) => docs.get(`${p.vendorNumber}|${p.vendorInvoiceNumber}`),
      get: async (id) => [...docs.values()].find((d) => d.id === id),
      create: async (p) => {
        const document = { id: `bc-${docs.size}`, version: '1', locked: false };
        docs.set(`${p.vendorNumber}|${p.vendorInvoiceNumber}`, document);
        return { document, requestId: `req-${document.id}` };
      },
      update: async (current) => ({ document: current }),
    },
  };
}

async function measure(label, store) {
  const engine = createSyncEngine({ store, concurrency: 4 });
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const summary = await engine.run(flow(RECORDS));
  const wallS = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  const cpuS = (used.user + used.system) / 1e6;
  if (summary.counts.created !== RECORDS) throw new Error(`${label}: created ${summary.counts.created} of ${RECORDS}`);
  await store.deleteCheckpoint('bench-invoices/jaggaer/approved'); // a full re-read: every record is a duplicate
  const rerun = await engine.run(flow(RECORDS));
  console.log(
    `${label.padEnd(8)} ${RECORDS} records: ${Math.round(RECORDS / wallS)} records/s wall, ${Math.round(RECORDS / cpuS)} per CPU second` +
      ` (second run: ${rerun.counts.created} created, ${rerun.counts.skipped} skipped)`,
  );
  await store.close();
}

const dir = mkdtempSync(join(tmpdir(), 'mlc-bench-engine-'));
try {
  await measure('memory', createMemorySyncStore());
  await measure('SQLite', await openSqliteSyncStore({ path: join(dir, 'sync.db') }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
