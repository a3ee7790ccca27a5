// pnpm bench: N workers (separate processes) share one Business Central budget through the Redis rate limiter.
// Business Central's limits are scaled down (600 requests per 10 s sliding window, 5 processed at once and up to 95
// queued, 20 ms service time) in an emulator of its own process; each worker sends vendor reads as fast as its permits
// allow. Prints the requests per second reached against the budget, the 429s, the Redis scripts per request and how
// long a permit is held, for 1 worker and for 4. Figures only, no asserts.
// Needs REDIS_URL, or redis-server on PATH (a private one is started on a loopback port and stopped after).
// Usage: node packages/redis/bench/scale-out.mjs [seconds=15]
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { commandCalls, privateRedis, startEmulatorProcess } from './support.mjs';

const self = fileURLToPath(import.meta.url);
const WINDOW_MS = 10_000;
// BENCH_BC_PER_WINDOW scales the budget further on a busy machine (the figure is the ratio, not the rate).
const PER_WINDOW = Number(process.env.BENCH_BC_PER_WINDOW ?? 600);
const BUDGET = PER_WINDOW / (WINDOW_MS / 1000); // 60 requests a second by default
// The bucket stays under the sliding window with room for timing jitter: in any 10 s at most burst + rate × 10
// requests leave the workers, 3% below the budget, so a request delayed on its way cannot tip a window over. A burst
// of a third of a second's budget keeps the tokens that come while a waiting worker is woken late (a busy machine).
const BURST = Math.max(1, Math.round(BUDGET / 3));
// BC processes 5 requests per user at once and queues up to 95 more: 10 permits keep 5 busy while 5 are on their way.
const PERMITS = Number(process.env.BENCH_BC_PERMITS ?? 10);
const LIMITER = { requestsPerSecond: (PER_WINDOW * 0.97 - BURST) / (WINDOW_MS / 1000), burst: BURST, initialConcurrency: PERMITS, maxConcurrency: PERMITS };
const LOOPS = 8; // requests each worker keeps going at once

async function worker() {
  const { bc, name } = (await once(process, 'message'))[0];
  const { Redis } = await import('ioredis');
  const { createRedisRateLimiter } = await import('@ml-connector/redis');
  const { createBusinessCentralClient } = await import('@ml-connector/business-central');
  const { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } = await import('@ml-connector/business-central/testing');
  const redis = new Redis(process.env.REDIS_URL);
  const limiter = createRedisRateLimiter({ redis, prefix: `bench:${name}`, ...LIMITER });
  // How long each permit is held (acquire granted → release): the concurrency a request really costs.
  let held = 0;
  let heldMs = 0;
  const timed = {
    async acquire(key, options) {
      const permit = await limiter.acquire(key, options);
      if ('denied' in permit) return permit;
      const at = performance.now();
      return { release: (outcome) => { held++; heldMs += performance.now() - at; permit.release(outcome); } };
    },
  };
  const client = createBusinessCentralClient({
    tenantId: bc.tenantId, environment: bc.environment, credentials: { clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET },
    apiHost: bc.url, authorityHost: bc.url, allowLoopback: true, throttle: timed, retry: { maxRetries: 0 },
  });
  const company = client.company(bc.companyId);
  await company.vendors.list({ top: 1 }).toArray({ limit: 1 }); // token and connection, before the measured window
  process.send({ ready: true });
  const { startAt, seconds } = (await once(process, 'message'))[0];
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
  const until = startAt + seconds * 1000;
  held = 0;
  heldMs = 0;
  const cpuBefore = process.cpuUsage();
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
  await Promise.all(Array.from({ length: LOOPS }, loop));
  const cpu = process.cpuUsage(cpuBefore);
  process.send({ ok, failed, held, heldMs, cpuMs: (cpu.user + cpu.system) / 1000 });
  redis.disconnect();
  process.disconnect();
}

async function measure(workers, seconds) {
  const bc = await startEmulatorProcess([{ requestsPerWindow: PER_WINDOW, windowMs: WINDOW_MS }]);
  const redis = new (await import('ioredis')).Redis(process.env.REDIS_URL);
  try {
    const name = `run-${workers}-${Date.now()}`;
    const children = Array.from({ length: workers }, () => fork(self, ['worker'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
    for (const child of children) child.send({ bc: bc.tenants[0], name });
    // Every worker has imported, signed in and sent a first request before the window opens, at the same moment for all.
    await Promise.all(children.map((child) => once(child, 'message')));
    const scriptsBefore = await commandCalls(redis, 'evalsha');
    const [emulatorBefore] = await bc.stats();
    const startAt = Date.now() + 300;
    for (const child of children) child.send({ startAt, seconds });
    const results = await Promise.all(children.map(async (child) => (await once(child, 'message'))[0]));
    const scripts = (await commandCalls(redis, 'evalsha')) - scriptsBefore;
    const [stats] = await bc.stats();
    const sum = (field) => results.reduce((total, r) => total + r[field], 0);
    return {
      workers, seconds, ok: sum('ok'), failed: sum('failed'), throttled: stats.throttled, scripts, held: sum('held'), heldMs: sum('heldMs'),
      workerCpuMs: sum('cpuMs'), emulatorCpuMs: stats.cpuMs - emulatorBefore.cpuMs,
    };
  } finally {
    redis.disconnect();
    await bc.stop();
  }
}

if (process.argv[2] === 'worker') await worker();
else {
  const seconds = Number(process.argv[2] ?? 15);
  const redis = await privateRedis();
  if (!redis) {
    console.log('scale-out bench skipped: set REDIS_URL or put redis-server on PATH');
    process.exit(0);
  }
  try {
    const rows = [];
    for (const workers of [1, 4]) {
      const r = await measure(workers, seconds);
      rows.push({
        workers: r.workers,
        seconds: r.seconds,
        'requests ok': r.ok,
        'requests/s': (r.ok / r.seconds).toFixed(1),
        [`of budget (${BUDGET}/s)`]: (r.ok / r.seconds / BUDGET).toFixed(2),
        '429s': r.throttled,
        failed: r.failed,
        'Redis scripts/request': (r.scripts / Math.max(1, r.held)).toFixed(1),
        'permit held (ms)': (r.heldMs / Math.max(1, r.held)).toFixed(1),
        'CPU ms/request workers, emulator': `${(r.workerCpuMs / Math.max(1, r.held)).toFixed(1)}, ${(r.emulatorCpuMs / Math.max(1, r.held)).toFixed(1)}`,
        'cores used': ((r.workerCpuMs + r.emulatorCpuMs) / r.seconds / 1000).toFixed(2),
      });
    }
    console.log(`scale-out: BC budget ${PER_WINDOW} requests / ${WINDOW_MS / 1000} s sliding window (5 processed at once, 95 queued), 20 ms service time; ` +
      `Redis limiter ${LIMITER.requestsPerSecond.toFixed(1)}/s, burst ${LIMITER.burst}, ${PERMITS} permits shared; ${LOOPS} requests at once per worker; load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    console.table(rows);
  } finally {
    redis.stop();
  }
}
