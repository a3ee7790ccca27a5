// The measuring harness shared by the flow benchmarks (benchmarks/bc-invoices.mjs, benchmarks/fo-invoices.mjs) and
// their child processes here: emulators in one process, the flow in another, one JSON line of figures each way.
// Here (not in benchmarks/) so the children resolve the examples' dependencies.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(new URL('./', import.meta.url));

// ------------------------------------------------------------------------------------------------ parent side

/** The first line of `child`'s stdout that holds a JSON object, parsed. */
export async function firstJsonLine(child) {
  const lines = createInterface({ input: child.stdout });
  for await (const line of lines) if (line.trim().startsWith('{')) return JSON.parse(line);
  throw new Error('child ended without a JSON line');
}

/**
 * Starts `examples/bench/<emulators>` with `emulatorArgs`, then `examples/bench/<flow>` with the client options the
 * emulators printed, and returns the flow's figures. The emulators are stopped afterwards.
 */
export async function measureInChildren({ emulators, flow, emulatorArgs = [], flowArgs = [] }) {
  const server = spawn(process.execPath, [`${HERE}${emulators}`, ...emulatorArgs.map(String)], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const clients = await firstJsonLine(server);
    const child = spawn(process.execPath, [`${HERE}${flow}`, JSON.stringify(clients), ...flowArgs.map(String)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const figures = await firstJsonLine(child);
    await once(child, 'exit');
    return figures;
  } finally {
    server.kill('SIGTERM');
  }
}

/** The table row both flow benchmarks print: counts, throughput as a ratio to the target's request budget, CPU, RSS. */
export function throughputRow(figures, { invoices, budgetPerSecond, target }) {
  const { read, created, review } = figures.summary.counts;
  const targetRequests = figures.requests[target] ?? 0;
  return {
    'JAGGAER invoices': invoices,
    'approved read': read,
    created,
    review,
    seconds: figures.seconds.toFixed(1),
    'created/s': (created / figures.seconds).toFixed(1),
    [`ratio (created/s ÷ ${budgetPerSecond} req/s)`]: (created / figures.seconds / budgetPerSecond).toFixed(2),
    [`${target} requests/invoice`]: (targetRequests / Math.max(created, 1)).toFixed(3),
    [`${target} budget used`]: (targetRequests / figures.seconds / budgetPerSecond).toFixed(2),
    [`${target} 429s`]: figures.throttled[target] ?? 0,
    'JAGGAER requests': figures.requests.jaggaer ?? 0,
    'flow CPU s': figures.cpuSeconds.toFixed(1),
    'peak RSS MB': figures.peakRssMb.toFixed(0),
  };
}

// ------------------------------------------------------------------------------------------------ emulators side

/**
 * Starts `@ml-connector/emulators` on ephemeral loopback ports with fresh state (no snapshots while measuring),
 * prints one JSON line of client options (plus `extra(emulators)`), and serves until SIGTERM; the state directory is
 * dropped on exit (a 100,000-invoice snapshot is not needed after the run).
 */
export async function serveBenchEmulators({ systems, sandboxes, extra = () => ({}) }) {
  const { startEmulators } = await import('@ml-connector/emulators');
  const stateDir = mkdtempSync(join(tmpdir(), `bench-emulators-`));
  process.on('exit', () => rmSync(stateDir, { recursive: true, force: true }));
  const emulators = await startEmulators({
    systems,
    ports: Object.fromEntries(systems.map((system) => [system, 0])),
    stateDir,
    reset: true,
    saveDebounceMs: 24 * 3_600_000,
    sandboxes,
  });
  process.on('SIGTERM', () => {
    const { user, system } = process.cpuUsage();
    process.stderr.write(`emulators process: CPU ${((user + system) / 1e6).toFixed(1)} s, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB\n`);
    process.exit(0);
  });
  process.stdout.write(`${JSON.stringify({ ...emulators.clients, ...extra(emulators) })}\n`);
  return emulators;
}

// ------------------------------------------------------------------------------------------------ flow side

/**
 * Request counters per system: `fetchFor(system)` is a fetch that counts every request of that system, its 429s,
 * and (with `BENCH_ROUTES=1`) its requests by method and path shape (ids and keys replaced by `{}`).
 */
export function createRequestCounters() {
  const requests = {};
  const throttled = {};
  const routes = {};
  const byRoute = process.env.BENCH_ROUTES === '1';
  const shape = (method, url) => {
    const { pathname } = new URL(url);
    const path = pathname.replace(/\([^)]*\)/g, '({})').replace(/\/[0-9a-f-]{36}(?=\/|$)/gi, '/{}').replace(/\/\d+(?=\/|$)/g, '/{}');
    return `${method} ${path.replace(/^.*\/api\/v2\.0\/companies\(\{\}\)/, '…').replace(/^.*\/data\//, '…/data/')}`;
  };
  return {
    requests,
    throttled,
    routes,
    fetchFor(system) {
      requests[system] = 0;
      throttled[system] = 0;
      return (input, init) => {
        requests[system]++;
        if (byRoute) {
          const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
          const key = `${system} ${shape(init?.method ?? (typeof input === 'object' && 'method' in input ? input.method : 'GET'), url)}`;
          routes[key] = (routes[key] ?? 0) + 1;
        }
        return fetch(input, init).then((response) => {
          if (response.status === 429) throttled[system]++;
          return response;
        });
      };
    },
  };
}

/**
 * Runs `flow` once with a fresh SQLite store in a temporary directory and an engine of `concurrency`, then prints
 * one JSON line of figures: the run summary, wall seconds, this process's CPU seconds and peak RSS, and the counters.
 * `createFlow(store)` builds the flow on that store.
 */
export async function measureFlowRun({ createFlow, counters, concurrency = 5 }) {
  const { createSyncEngine, openSqliteSyncStore } = await import('@ml-connector/core/sync');
  const dir = mkdtempSync(join(tmpdir(), 'bench-flow-'));
  const store = await openSqliteSyncStore({ path: join(dir, 'state.sqlite') });
  try {
    const flow = await createFlow(store);
    const engine = createSyncEngine({ store, concurrency });
    const started = performance.now();
    // Progress on stderr every 15 s (records settled, RSS, heap): shows whether memory grows with the backlog
    // even when a long run is stopped before it ends.
    let records = 0;
    const progress = setInterval(() => {
      const { rss, heapUsed } = process.memoryUsage();
      process.stderr.write(`flow: ${records} records after ${((performance.now() - started) / 1000).toFixed(0)} s, RSS ${(rss / 2 ** 20).toFixed(0)} MB, heap ${(heapUsed / 2 ** 20).toFixed(0)} MB\n`);
    }, 15_000);
    progress.unref();
    const summary = await engine.run(flow, { onEvent: (event) => event.type === 'record' && records++ });
    clearInterval(progress);
    const seconds = (performance.now() - started) / 1000;
    const { user, system } = process.cpuUsage();
    const figures = {
      summary,
      seconds,
      cpuSeconds: (user + system) / 1e6,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      requests: counters.requests,
      throttled: counters.throttled,
      ...(Object.keys(counters.routes).length > 0 ? { routes: counters.routes } : {}),
    };
    process.stdout.write(`${JSON.stringify(figures)}\n`);
    return figures;
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
