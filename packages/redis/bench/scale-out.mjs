// pnpm bench: N workers (separate processes) share one Business Central budget through the Redis rate limiter.
// Business Central's limits are scaled down (600 requests per 10 s sliding window, 5 concurrent, 20 ms service time)
// in an emulator of its own process; each worker sends vendor reads as fast as its permits allow. Prints the
// requests per second reached against the budget, and the 429s, for 1 worker and for 4. Figures only, no asserts.
// Needs REDIS_URL, or redis-server on PATH (a private one is started on a loopback port and stopped after).
// Usage: node packages/redis/bench/scale-out.mjs [seconds=15]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);
const WINDOW_MS = 10_000;
// BENCH_BC_PER_WINDOW scales the budget further on a busy machine (the figure is the ratio, not the rate).
const PER_WINDOW = Number(process.env.BENCH_BC_PER_WINDOW ?? 600);
const BUDGET = PER_WINDOW / (WINDOW_MS / 1000); // 60 requests a second by default
// The bucket stays under the sliding window: in any 10 s at most burst + rate × 10 requests go out.
const BURST = Math.max(1, Math.round(BUDGET / 6));
const LIMITER = { requestsPerSecond: (PER_WINDOW - BURST) / (WINDOW_MS / 1000), burst: BURST, initialConcurrency: 5, maxConcurrency: 5 };

async function firstJson(child) {
  for await (const line of createInterface({ input: child.stdout })) if (line.trim().startsWith('{')) return JSON.parse(line);
  throw new Error('child ended without a JSON line');
}

async function emulator() {
  const { createBusinessCentralSandbox } = await import('@ml-connector/business-central/testing');
  const sandbox = createBusinessCentralSandbox({
    limits: { requestsPerWindow: PER_WINDOW, windowMs: WINDOW_MS, maxConcurrent: 5, maxQueued: 95 },
    faults: { latencyMs: 20 },
  });
  const server = await sandbox.listen();
  console.log(JSON.stringify({ url: server.url, tenantId: sandbox.tenantId, environment: sandbox.environment, companyId: sandbox.companyId }));
  process.on('message', (message) => {
    if (message === 'stats') process.send({ stats: sandbox.stats });
  });
  process.on('SIGTERM', () => server.close().finally(() => process.exit(0)));
}

async function worker(bc, seconds, name, startAt) {
  const { Redis } = await import('ioredis');
  const { createRedisRateLimiter } = await import('@ml-connector/redis');
  const { createBusinessCentralClient } = await import('@ml-connector/business-central');
  const { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } = await import('@ml-connector/business-central/testing');
  const redis = new Redis(process.env.REDIS_URL);
  const limiter = createRedisRateLimiter({ redis, prefix: `bench:${name}`, ...LIMITER });
  const client = createBusinessCentralClient({
    tenantId: bc.tenantId, environment: bc.environment, credentials: { clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET },
    apiHost: bc.url, authorityHost: bc.url, allowLoopback: true, throttle: limiter, retry: { maxRetries: 0 },
  });
  const company = client.company(bc.companyId);
  await company.vendors.list({ top: 1 }).toArray({ limit: 1 }); // token and connection, before the measured window
  if (Date.now() > startAt) console.error(`worker ${name} was not ready at the start; raise the start delay`);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
  const until = startAt + seconds * 1000;
  let ok = 0;
  let failed = 0;
  const loop = async () => {
    while (Date.now() < until) {
      try {
        await company.vendors.list({ top: 1 }).toArray({ limit: 1 });
        if (Date.now() <= until) ok++;
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, loop));
  console.log(JSON.stringify({ ok, failed }));
  redis.disconnect();
}

async function privateRedis() {
  const dir = mkdtempSync(join(tmpdir(), 'mlc-bench-redis-'));
  const port = 6390 + Math.floor(Math.random() * 50);
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  await new Promise((resolve) => setTimeout(resolve, 300));
  return { url: `redis://127.0.0.1:${port}`, stop: () => { child.kill('SIGTERM'); rmSync(dir, { recursive: true, force: true }); } };
}

async function measure(workers, seconds) {
  const bcProcess = spawn(process.execPath, [self, 'emulator'], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  try {
    const bc = await firstJson(bcProcess);
    // The first token and the one-time login are not part of the figure: warm the token cache in each worker's first request.
    // Every worker starts its measured window at the same moment, after its imports, token and first request.
    const startAt = Date.now() + 20_000;
    const children = Array.from({ length: workers }, () =>
      spawn(process.execPath, [self, 'worker', JSON.stringify(bc), String(seconds), `run-${workers}-${startAt}`, String(startAt)], { stdio: ['ignore', 'pipe', 'inherit'] }));
    const results = await Promise.all(children.map(firstJson));
    const elapsed = seconds;
    bcProcess.send('stats');
    const [{ stats }] = await once(bcProcess, 'message');
    const ok = results.reduce((sum, r) => sum + r.ok, 0);
    return { workers, seconds: elapsed, ok, failed: results.reduce((sum, r) => sum + r.failed, 0), throttled: stats.throttled };
  } finally {
    bcProcess.kill('SIGTERM');
  }
}

const [mode, arg1, arg2, arg3, arg4] = process.argv.slice(2);
if (mode === 'emulator') await emulator();
else if (mode === 'worker') await worker(JSON.parse(arg1), Number(arg2), arg3, Number(arg4));
else {
  const seconds = Number(mode ?? 15);
  let redis;
  if (!process.env.REDIS_URL) {
    redis = await privateRedis().catch(() => undefined);
    if (!redis) {
      console.log('scale-out bench skipped: set REDIS_URL or put redis-server on PATH');
      process.exit(0);
    }
    process.env.REDIS_URL = redis.url;
  }
  try {
    const rows = [];
    for (const workers of [1, 4]) {
      const r = await measure(workers, seconds);
      rows.push({
        workers: r.workers,
        seconds: r.seconds.toFixed(1),
        'requests ok': r.ok,
        'requests/s': (r.ok / r.seconds).toFixed(1),
        [`of budget (${BUDGET}/s)`]: (r.ok / r.seconds / BUDGET).toFixed(2),
        '429s': r.throttled,
        'failed': r.failed,
      });
    }
    console.log(`scale-out: BC budget ${PER_WINDOW} requests / ${WINDOW_MS / 1000} s sliding window, 5 concurrent, 20 ms service time; Redis limiter ${LIMITER.requestsPerSecond.toFixed(1)}/s, burst ${LIMITER.burst}, 5 permits shared`);
    console.table(rows);
  } finally {
    redis?.stop();
  }
}
