// Child process of benchmarks/fo-invoices.mjs: F&O and JAGGAER emulators on loopback, F&O's service protection
// limits scaled from 5 minutes to 10 s (÷30: 200 requests, 40 s execution time per window, 52 concurrent; 20 ms
// latency), JAGGAER seeded with argv[2] invoices and without limits (the budget measured is F&O's). Prints one JSON
// line with the client options, then serves until SIGTERM.
import { serveBenchEmulators } from './harness.mjs';

const invoices = Number(process.argv[2] ?? 1_000);
await serveBenchEmulators({
  systems: ['d365fo', 'jaggaer'],
  sandboxes: {
    d365fo: {
      limits: { requestsPerWindow: 200, executionMsPerWindow: 40_000, maxConcurrent: 52, windowMs: 10_000 },
      faults: { latencyMs: 20 },
    },
    jaggaer: {
      size: { suppliers: 25, invoices, purchaseOrders: 20 },
      limits: { requestsPerWindow: 1_000_000_000, maxConcurrent: 1000 },
    },
  },
});
