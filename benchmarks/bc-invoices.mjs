// pnpm bench: bc-invoices throughput against the emulators in their own process, with Business Central's limits
// scaled down (600 requests per 10 s, 5 concurrent, 20 ms service time), and the flow process's peak RSS for two
// backlog sizes. Figures only, no asserts. Usage: node benchmarks/bc-invoices.mjs [small] [large]
// (default 10000 and 100000 JAGGAER invoices; at 60 requests/s the large run takes about half an hour).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('../examples/bench/', import.meta.url));
const sizes = [Number(process.argv[2] ?? 10_000), Number(process.argv[3] ?? 100_000)];
const BUDGET_PER_SECOND = 600 / 10;

async function firstLine(child) {
  const lines = createInterface({ input: child.stdout });
  for await (const line of lines) if (line.trim().startsWith('{')) return JSON.parse(line);
  throw new Error('child ended without a JSON line');
}

async function measure(invoices) {
  const emulators = spawn(process.execPath, [`${here}bc-invoices-emulators.mjs`, String(invoices)], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const clients = await firstLine(emulators);
    const flow = spawn(process.execPath, [`${here}bc-invoices-flow.mjs`, JSON.stringify(clients)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const figures = await firstLine(flow);
    await once(flow, 'exit');
    return figures;
  } finally {
    emulators.kill('SIGTERM');
  }
}

const rows = [];
for (const invoices of sizes) {
  const f = await measure(invoices);
  const { read, created, review } = f.summary.counts;
  rows.push({
    'JAGGAER invoices': invoices,
    'approved read': read,
    created,
    review,
    seconds: f.seconds.toFixed(1),
    'created/s': (created / f.seconds).toFixed(1),
    'ratio (created/s ÷ 60 req/s)': (created / f.seconds / BUDGET_PER_SECOND).toFixed(2),
    'BC requests/invoice': (f.bcRequests / Math.max(created, 1)).toFixed(3),
    'BC 429s': f.bc429,
    'JAGGAER requests': f.jaggaerRequests,
    'flow CPU s': f.cpuSeconds.toFixed(1),
    'peak RSS MB': f.peakRssMb.toFixed(0),
  });
  console.error(`bc-invoices ${invoices}: done`);
}
console.log('bc-invoices flow, emulators in their own process, BC budget 600 requests / 10 s, 5 concurrent, 20 ms service time');
console.table(rows);
if (rows.length === 2) console.log(`peak RSS ${rows[1]['JAGGAER invoices']} vs ${rows[0]['JAGGAER invoices']} invoices: ${(Number(rows[1]['peak RSS MB']) / Number(rows[0]['peak RSS MB'])).toFixed(2)}x (target ≤ 1.5x)`);
