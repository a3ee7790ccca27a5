// pnpm bench: fo-invoices throughput against the F&O emulator in its own process, with F&O's service protection
// limits scaled from 5 minutes to 10 s (200 requests, 40 s execution time per window, 52 concurrent; 20 ms latency),
// as a ratio to the request budget. Figures only, no asserts. Usage: node benchmarks/fo-invoices.mjs [invoices]
// (default 1000 JAGGAER invoices).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('../examples/bench/', import.meta.url));
const invoices = Number(process.argv[2] ?? 1_000);
const BUDGET_PER_SECOND = 200 / 10;

async function firstLine(child) {
  const lines = createInterface({ input: child.stdout });
  for await (const line of lines) if (line.trim().startsWith('{')) return JSON.parse(line);
  throw new Error('child ended without a JSON line');
}

const emulators = spawn(process.execPath, [`${here}fo-invoices-emulators.mjs`, String(invoices)], { stdio: ['ignore', 'pipe', 'inherit'] });
let f;
try {
  const clients = await firstLine(emulators);
  const flow = spawn(process.execPath, [`${here}fo-invoices-flow.mjs`, JSON.stringify(clients)], { stdio: ['ignore', 'pipe', 'inherit'] });
  f = await firstLine(flow);
  await once(flow, 'exit');
} finally {
  emulators.kill('SIGTERM');
}
const { read, created, review } = f.summary.counts;
console.log('fo-invoices flow, emulators in their own process, F&O budget 200 requests / 10 s (limits ÷30), 52 concurrent, 20 ms latency');
console.table([
  {
    'JAGGAER invoices': invoices,
    'approved read': read,
    created,
    review,
    seconds: f.seconds.toFixed(1),
    'created/s': (created / f.seconds).toFixed(1),
    'ratio (created/s ÷ 20 req/s)': (created / f.seconds / BUDGET_PER_SECOND).toFixed(2),
    'F&O requests/invoice': (f.foRequests / Math.max(created, 1)).toFixed(3),
    'F&O 429s': f.fo429,
    'JAGGAER requests': f.jaggaerRequests,
    'flow CPU s': f.cpuSeconds.toFixed(1),
    'peak RSS MB': f.peakRssMb.toFixed(0),
  },
]);
