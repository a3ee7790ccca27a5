// Child process of benchmarks/fo-invoices.mjs: runs the fo-invoices flow once over everything the emulators hold,
// with a SQLite store in a temporary directory, and prints one JSON line of figures (its own peak RSS included).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSyncEngine, openSqliteSyncStore } from '@ml-connector/core/sync';
import { createFinanceOperationsClient } from '@ml-connector/d365-fo';
import { createJaggaerClient } from '@ml-connector/jaggaer-j1p';
import { createFoInvoicesFlow } from '../src/fo-invoices/flow.ts';
import { loadFoInvoiceMappings } from '../src/fo-invoices/mappings.ts';

const clients = JSON.parse(process.argv[2]);
const counts = { foRequests: 0, fo429: 0, jaggaerRequests: 0 };
const counting = (key, status429) => (input, init) => {
  counts[key]++;
  return fetch(input, init).then((response) => {
    if (status429 && response.status === 429) counts.fo429++;
    return response;
  });
};
const financeOperations = createFinanceOperationsClient({
  ...clients.d365fo,
  // The scaled budget: 200 requests per 10 s, 5 at a time.
  throttle: { maxRequestsPerSecond: 20, maxConcurrency: 5, initialConcurrency: 5 },
  fetch: counting('foRequests', true),
});
const jaggaer = createJaggaerClient({ ...clients.jaggaer, throttle: false, fetch: counting('jaggaerRequests', false) });
const dir = mkdtempSync(join(tmpdir(), 'bench-fo-invoices-'));
const store = await openSqliteSyncStore({ path: join(dir, 'state.sqlite') });
try {
  const flow = createFoInvoicesFlow({ jaggaer, financeOperations, store, mappings: await loadFoInvoiceMappings(), pageSize: 100, listPageSize: 500, since: '2024-12-01T00:00:00Z' });
  const engine = createSyncEngine({ store, concurrency: 5 });
  const started = performance.now();
  const summary = await engine.run(flow);
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    `${JSON.stringify({ summary, seconds, cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6, ...counts, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
  );
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
