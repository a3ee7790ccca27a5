import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteSyncStore } from '../../src/sync/index.js';

const dir = mkdtempSync(join(tmpdir(), 'mlc-sync-concurrency-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Each worker thread has its own SQLite connection and runs truly in parallel with the others, as separate
// processes would. They start together and race for the same records.
const WORKER = `
import { parentPort, workerData } from 'node:worker_threads';
const { openSqliteSyncStore } = await import(workerData.bundle);
const store = await openSqliteSyncStore({ path: workerData.path });
const gate = new Int32Array(workerData.gate);
Atomics.add(gate, 0, 1);
while (Atomics.load(gate, 0) < workerData.workers) Atomics.wait(gate, 0, Atomics.load(gate, 0), 5);
const claims = [];
const commits = [];
for (let i = 0; i < workerData.records; i++) {
  const key = { flow: 'f', sourceSystem: 's', sourceId: String(i).padStart(4, '0') };
  try {
    claims.push((await store.claim(key, workerData.owner, 60000, 0)).claimed);
  } catch (error) {
    claims.push('error: ' + error.message);
  }
  const entry = { ...key, sourceVersion: 'v', targetSystem: 't', state: 'pending', businessIds: [], attempts: 0 };
  const event = { ...key, runId: workerData.owner, step: 'received', at: 't', businessIds: [] };
  try {
    await store.commit({ ledger: [{ entry, expectedRevision: 0 }], audit: [event] }, 't');
    commits.push('ok');
  } catch (error) {
    commits.push(error.code === 'STORE_CONFLICT' ? 'conflict' : 'error: ' + error.message);
  }
}
await store.close();
parentPort.postMessage({ claims, commits });
`;

describe('SQLite store shared by parallel connections', () => {
  it('grants each record to exactly one of them and applies exactly one compare-and-set, without busy errors', async () => {
    const bundle = join(dir, 'sync.mjs');
    await build({
      entryPoints: [fileURLToPath(new URL('../../src/sync/store/sqlite.ts', import.meta.url))],
      bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'silent',
    });
    const script = join(dir, 'worker.mjs');
    writeFileSync(script, WORKER);
    const path = join(dir, 'shared.db');
    // Create the schema first, so the workers race for records, not for the migration.
    await (await openSqliteSyncStore({ path })).close();

    const workers = 3;
    const records = 150;
    const gate = new SharedArrayBuffer(4);
    const results = await Promise.all(
      Array.from({ length: workers }, (_, w) =>
        new Promise<{ claims: Array<boolean | string>; commits: string[] }>((resolve, reject) => {
          const worker = new Worker(script, {
            workerData: { bundle: `file://${bundle}`, path, gate, workers, records, owner: `worker-${w}` },
          });
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
      ),
    );

    const errors = results.flatMap((r) => [...r.claims, ...r.commits]).filter((v) => typeof v === 'string' && v.startsWith('error'));
    expect(errors).toEqual([]);
    for (let i = 0; i < records; i++) {
      expect(results.filter((r) => r.claims[i] === true)).toHaveLength(1);
      expect(results.filter((r) => r.commits[i] === 'ok')).toHaveLength(1);
    }
    const store = await openSqliteSyncStore({ path });
    try {
      expect(await store.queryAudit({ limit: records * workers })).toHaveLength(records);
      expect((await store.listLedger({ flow: 'f' })).every((e) => e.revision === 1)).toBe(true);
    } finally {
      await store.close();
    }
  });
});
