// pnpm bench: fo-invoices throughput against the F&O emulator in its own process, with F&O's service protection
// limits scaled from 5 minutes to 10 s (200 requests, 40 s execution time per window, 52 concurrent; 20 ms latency),
// as a ratio to the request budget. Figures only, no asserts. Usage: node benchmarks/fo-invoices.mjs [invoices]
// (default 1000 JAGGAER invoices).
import { measureInChildren, throughputRow } from '../examples/bench/harness.mjs';

const invoices = Number(process.argv[2] ?? 1_000);
const figures = await measureInChildren({ emulators: 'fo-invoices-emulators.mjs', flow: 'fo-invoices-flow.mjs', emulatorArgs: [invoices] });
console.log('fo-invoices flow, emulators in their own process, F&O budget 200 requests / 10 s (limits ÷30), 52 concurrent, 20 ms latency');
console.table([throughputRow(figures, { invoices, budgetPerSecond: 200 / 10, target: 'financeOperations' })]);
