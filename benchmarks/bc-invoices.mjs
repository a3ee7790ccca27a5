// pnpm bench: the bc-invoices flow against the emulators in their own process. Figures only, no asserts.
// 1. Throughput with Business Central's limits scaled down (600 requests per 10 s, 5 concurrent, 20 ms service
//    time) and the client throttle set to that budget: created invoices per second as a ratio to the 60 requests/s
//    budget (target ≥ 0.9), requests per invoice, share of the budget used, 429s.
// 2. Peak RSS of the flow process for two backlog sizes (target ≤ 1.5x for 10x the invoices), with the limits lifted
//    (`fast` profile: memory does not depend on the budget, and 100,000 invoices at 60 requests/s take half an hour).
// Usage: node benchmarks/bc-invoices.mjs [throughput invoices] [memory small] [memory large]
// (defaults 10000, 10000, 100000; 0 skips a run). BENCH_ROUTES=1 adds the requests by route to the output.
import { measureInChildren, throughputRow } from '../examples/bench/harness.mjs';

const [throughputSize, smallSize, largeSize] = [2, 3, 4].map((i, n) => Number(process.argv[i] ?? [10_000, 10_000, 100_000][n]));
const BUDGET_PER_SECOND = 600 / 10;
const run = (invoices, profile) =>
  measureInChildren({ emulators: 'bc-invoices-emulators.mjs', flow: 'bc-invoices-flow.mjs', emulatorArgs: [invoices, profile], flowArgs: [profile] });

if (throughputSize > 0) {
  const figures = await run(throughputSize, 'budget');
  console.log('bc-invoices throughput: emulators in their own process, BC budget 600 requests / 10 s, 5 concurrent, 20 ms service time');
  console.table([throughputRow(figures, { invoices: throughputSize, budgetPerSecond: BUDGET_PER_SECOND, target: 'businessCentral' })]);
  if (figures.routes) console.table(Object.entries(figures.routes).sort((a, b) => b[1] - a[1]).map(([route, count]) => ({ route, count })));
}

const memory = [];
for (const invoices of [smallSize, largeSize].filter((n) => n > 0)) {
  const figures = await run(invoices, 'fast');
  const { read, created, review } = figures.summary.counts;
  memory.push({ 'JAGGAER invoices': invoices, 'approved read': read, created, review, seconds: figures.seconds.toFixed(1), 'flow CPU s': figures.cpuSeconds.toFixed(1), 'peak RSS MB': figures.peakRssMb.toFixed(0) });
  console.error(`bc-invoices memory run ${invoices}: ${JSON.stringify(memory.at(-1))}`);
}
if (memory.length > 0) {
  console.log('bc-invoices flow peak RSS: limits lifted (fast profile), SQLite store');
  console.table(memory);
}
if (memory.length === 2) {
  const [small, large] = memory;
  console.log(`peak RSS ${large['JAGGAER invoices']} vs ${small['JAGGAER invoices']} invoices: ${(Number(large['peak RSS MB']) / Number(small['peak RSS MB'])).toFixed(2)}x (target ≤ 1.5x)`);
}
