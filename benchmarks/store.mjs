// pnpm bench: prints the SQLite sync store's commit rate for a typical per-record change (one ledger write with
// compare-and-set plus two audit events carrying business ids), each change its own transaction, on a file in the
// temp directory (WAL, synchronous=NORMAL), with and without a lease claim before it. The memory store is printed
// for comparison. CPU time is the steadier figure on a shared machine.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemorySyncStore, openSqliteSyncStore } from '@ml-connector/core/sync';

const RECORDS = Number(process.env.BENCH_STORE_RECORDS ?? 3000);
const ROUNDS = Number(process.env.BENCH_STORE_ROUNDS ?? 3);

const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

function change(round, i) {
  const key = { flow: 'bc-invoices', sourceSystem: 'jaggaer', sourceId: `${round}-${String(i).padStart(6, '0')}` };
  const businessIds = [`INV-${round}-${i}`, `PO-${i % 500}`, `V${i % 200}`];
  const event = { ...key, runId: `run-${round}`, at: '2026-11-30T12:00:00.000Z', businessIds };
  return {
    key,
    change: {
      ledger: [{
        entry: { ...key, sourceVersion: 'v1', targetSystem: 'business-central', state: 'confirmed', targetId: `bc-${i}`, naturalKey: `V${i % 200}|INV-${i}`, businessIds, attempts: 1 },
        expectedRevision: 0,
        releaseLease: true,
      }],
      audit: [
        { ...event, step: 'mapped', payload: { vendorNumber: `V${i % 200}`, lines: [{ amount: 10.5, accountNumber: '6110' }] } },
        { ...event, step: 'written', targetId: `bc-${i}`, requestId: `req-${i}` },
      ],
    },
  };
}

async function rate(store, round, claim) {
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  for (let i = 0; i < RECORDS; i++) {
    const { key, change: c } = change(round, i);
    if (claim) await store.claim(key, 'bench', 60_000, Date.now());
    await store.commit(c, '2026-11-30T12:00:00.000Z');
  }
  const used = process.cpuUsage(cpu);
  return { wall: RECORDS / (Number(process.hrtime.bigint() - started) / 1e9), cpu: RECORDS / ((used.user + used.system) / 1e6) };
}

const dir = mkdtempSync(join(tmpdir(), 'mlc-store-bench-'));
try {
  const sqlite = await openSqliteSyncStore({ path: join(dir, 'sync.db') });
  const memory = createMemorySyncStore();
  const figures = { 'sqlite commit': [], 'sqlite claim+commit': [], 'memory commit': [] };
  await rate(sqlite, -1, true); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    figures['sqlite commit'].push(await rate(sqlite, round * 2, false));
    figures['sqlite claim+commit'].push(await rate(sqlite, round * 2 + 1, true));
    figures['memory commit'].push(await rate(memory, round, false));
  }
  await sqlite.close();
  console.log(`sync store: per-record change = ledger write (CAS) + 2 audit events, ${RECORDS} records x ${ROUNDS} rounds, median`);
  const fmt = (values, field) => Math.round(median(values.map((v) => v[field]))).toLocaleString('en').padStart(7);
  for (const [name, values] of Object.entries(figures)) {
    console.log(`  ${name.padEnd(20)} ${fmt(values, 'wall')} records/s wall, ${fmt(values, 'cpu')} records/s per CPU second`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
