// Child process of benchmarks/bc-invoices.mjs (here so it resolves the examples' dependencies): Business Central and JAGGAER emulators on loopback, BC limits scaled
// down (600 requests per 10 s, 5 concurrent, 20 ms service time), JAGGAER seeded with argv[2] invoices and without
// limits (the budget measured is Business Central's). Prints one JSON line with the client options, then serves
// until SIGTERM.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulators } from '@ml-connector/emulators';

const invoices = Number(process.argv[2] ?? 10_000);
const stateDir = mkdtempSync(join(tmpdir(), 'bench-bc-invoices-emulators-'));
const emulators = await startEmulators({
  systems: ['businessCentral', 'jaggaer'],
  ports: { businessCentral: 0, jaggaer: 0 },
  stateDir,
  reset: true,
  saveDebounceMs: 24 * 3_600_000, // no snapshots while measuring
  sandboxes: {
    businessCentral: {
      size: { vendors: 25, invoices: 0, purchaseOrders: 20 },
      limits: { requestsPerWindow: 600, windowMs: 10_000, maxConcurrent: 5 },
      faults: { latencyMs: 20 },
    },
    jaggaer: {
      size: { suppliers: 25, invoices, purchaseOrders: 20 },
      limits: { requestsPerWindow: 1_000_000_000, maxConcurrent: 1000 },
    },
  },
});
process.stdout.write(`${JSON.stringify({ ...emulators.clients, companyId: emulators.sandboxes.businessCentral?.companyId })}\n`);
process.on('SIGTERM', () => {
  // State is not needed after the run: drop it instead of saving 100k invoices.
  const { user, system } = process.cpuUsage();
  process.stderr.write(`emulators process CPU: ${((user + system) / 1e6).toFixed(1)} s\n`);
  process.exit(0);
});
process.on('exit', () => rmSync(stateDir, { recursive: true, force: true }));
