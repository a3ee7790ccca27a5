// Child process of benchmarks/bc-invoices.mjs: Business Central and JAGGAER emulators on loopback, JAGGAER seeded
// with argv[2] invoices and without limits (the budget measured is Business Central's). argv[3] is the profile:
// `budget` (default) scales BC's limits down to 600 requests per 10 s, 5 concurrent, 20 ms service time; `fast`
// lifts them (for the memory measurement, where only the flow's peak RSS matters). Prints one JSON line with the
// client options, then serves until SIGTERM.
import { serveBenchEmulators } from './harness.mjs';

const invoices = Number(process.argv[2] ?? 10_000);
const fast = process.argv[3] === 'fast';
await serveBenchEmulators({
  systems: ['businessCentral', 'jaggaer'],
  sandboxes: {
    businessCentral: {
      size: { vendors: 25, invoices: 0, purchaseOrders: 20 },
      ...(fast
        ? { limits: { requestsPerWindow: 1_000_000_000, maxConcurrent: 100, maxQueued: 1000 } }
        : { limits: { requestsPerWindow: 600, windowMs: 10_000, maxConcurrent: 5 }, faults: { latencyMs: 20 } }),
    },
    jaggaer: {
      size: { suppliers: 25, invoices, purchaseOrders: 20 },
      limits: { requestsPerWindow: 1_000_000_000, maxConcurrent: 1000 },
    },
  },
  extra: (emulators) => ({ companyId: emulators.sandboxes.businessCentral?.companyId }),
});
