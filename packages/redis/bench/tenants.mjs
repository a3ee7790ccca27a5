// pnpm bench: many tenants on 4 workers. 32 tenants, each its own Business Central (tenant id, identity, budget:
// scaled down to 60 requests per 30 s sliding window, 5 processed at once, 20 ms service time) plus one tenant its
// vendor throttles hard (429 with Retry-After on 90% of requests) and one failing on every request (500). Each tenant has
// its own BullMQ queue (startTenantFlowWorkers); 4 worker processes serve all 34 tenants, each job one record through
// engine.process whose write is one BC request under the tenant's own budget in the Redis limiter. Prints each healthy
// tenant's share of its budget (min / median / max), the 429s the budgets let through, and what the bad tenants did.
// Figures only, no asserts. Needs REDIS_URL, or redis-server on PATH.
// Usage: node packages/redis/bench/tenants.mjs [seconds=20] [tenants=32]
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { privateRedis, startEmulatorProcess } from './support.mjs';

const self = fileURLToPath(import.meta.url);
const WINDOW_MS = 30_000;
const PER_WINDOW = Number(process.env.BENCH_TENANT_PER_WINDOW ?? 60);
const BUDGET = PER_WINDOW / (WINDOW_MS / 1000); // per tenant, requests a second
// A burst of one second's worth: a worker woken late (a busy machine) finds the tokens that came meanwhile instead of
// losing them to a full bucket. The rate leaves the burst and 3% of the window free, so no 30 s window can exceed the budget.
const BURST = Math.max(1, Math.round(BUDGET));
const LIMITER = { requestsPerSecond: (PER_WINDOW * 0.97 - BURST) / (WINDOW_MS / 1000), burst: BURST, initialConcurrency: 5, maxConcurrency: 5 };
const WORKERS = 4;
const SLOTS = 2; // jobs of one tenant each worker runs at once

async function worker() {
  const [{ bc, run, kinds }] = await once(process, 'message');
  const { Redis } = await import('ioredis');
  const { createMemorySyncStore, createSyncEngine } = await import('@ml-connector/core/sync');
  const { createRedisRateLimiter, startTenantFlowWorkers } = await import('@ml-connector/redis');
  const { createBusinessCentralClient } = await import('@ml-connector/business-central');
  const { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } = await import('@ml-connector/business-central/testing');
  const connection = new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: null });
  const limiter = createRedisRateLimiter({ redis: new Redis(process.env.REDIS_URL), prefix: `${run}:rl`, ...LIMITER });
  let window = { from: Infinity, until: -Infinity };
  const counts = bc.map(() => ({ ok: 0, failed: 0, errors: {} }));
  const tenants = bc.map((tenant, i) => {
    // The client's budget key (its host and identity), remembered for the pause check.
    let key = '';
    const throttle = { acquire: (k, options) => limiter.acquire((key = k), options) };
    const client = createBusinessCentralClient({
      tenantId: tenant.tenantId, environment: tenant.environment, credentials: { clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET },
      apiHost: tenant.url, authorityHost: tenant.url, allowLoopback: true, throttle, retry: { maxRetries: 0 },
    });
    const company = client.company(tenant.companyId);
    const read = async () => {
      await company.vendors.list({ top: 1 }).toArray({ limit: 1 });
    };
    const target = {
      system: 'business-central',
      naturalKey: (payload) => payload.id,
      find: async () => undefined,
      get: async () => undefined,
      async create(payload) {
        try {
          await read();
        } catch (error) {
          if (Date.now() >= window.from && Date.now() <= window.until) {
            counts[i].failed++;
            const name = error?.code ?? error?.name ?? 'Error';
            counts[i].errors[name] = (counts[i].errors[name] ?? 0) + 1;
          }
          throw error;
        }
        if (Date.now() >= window.from && Date.now() <= window.until) counts[i].ok++;
        return { document: { id: payload.id } };
      },
      update: async (current) => ({ document: current }),
    };
    const source = { system: 'bench', stream: 'jobs', query: {}, async *read() {}, identify: (record) => ({ id: record.id, version: '1' }) };
    const flow = { name: 'bench', source, target, map: (record) => record };
    // State apart per tenant, as partners keep it (here in memory: each job runs once, on one worker).
    const engine = createSyncEngine({ store: createMemorySyncStore(), owner: `${process.pid}`, concurrency: 1 });
    return { tenant: `${kinds[i]}-${i}`, flow, engine, read, key: () => key };
  });
  // Token and connection of every tenant before the measured window.
  await Promise.all(tenants.map((t) => t.read().catch(() => undefined)));
  const workers = startTenantFlowWorkers({
    connection, queueName: run, concurrencyPerTenant: SLOTS,
    tenants: tenants.map(({ tenant, flow, engine, key }) => ({
      tenant, flow, engine, pausedMs: () => limiter.pausedMs(key()),
    })),
  });
  await Promise.all([...workers.workers.values()].map((w) => w.worker.waitUntilReady()));
  process.send({ ready: true });
  const [{ startAt, seconds }] = await once(process, 'message');
  window = { from: startAt, until: startAt + seconds * 1000 };
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
  const cpuBefore = process.cpuUsage();
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, window.until - Date.now() + 50)));
  const cpu = process.cpuUsage(cpuBefore);
  process.send({ counts, cpuMs: (cpu.user + cpu.system) / 1000 });
  await workers.close();
  connection.disconnect();
  process.exit(0);
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function main() {
  const seconds = Number(process.argv[2] ?? 20);
  const healthy = Number(process.argv[3] ?? 32);
  const redisServer = await privateRedis();
  if (!redisServer) {
    console.log('tenants bench skipped: set REDIS_URL or put redis-server on PATH');
    return;
  }
  const kinds = [...Array.from({ length: healthy }, () => 'tenant'), 'throttled', 'failing'];
  const bc = await startEmulatorProcess(kinds.map((kind) => ({
    requestsPerWindow: PER_WINDOW, windowMs: WINDOW_MS,
    faults: kind === 'throttled' ? { statusRates: { 429: 0.9 }, retryAfterSeconds: 2, seed: 7 } : kind === 'failing' ? { statusRates: { 500: 1 }, seed: 7 } : {},
  })));
  const { Redis } = await import('ioredis');
  const { Queue } = await import('bullmq');
  const redis = new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: null });
  const run = `bench-tenants-${Date.now()}`;
  const children = Array.from({ length: WORKERS }, () => fork(self, ['worker'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  try {
    for (const child of children) child.send({ bc: bc.tenants, run, kinds });
    await Promise.all(children.map((child) => once(child, 'message')));
    const before = await bc.stats();
    // Enough jobs that no tenant's queue runs dry before the window closes; the bad tenants' backlogs go in first.
    // The window opens once every tenant's jobs are queued and flowing, so no tenant is measured while it waits its turn.
    const jobs = Math.ceil(BUDGET * (seconds + 15) * 1.5);
    for (const i of [healthy, healthy + 1, ...Array.from({ length: healthy }, (_, n) => n)]) {
      const queue = new Queue(`${run}-t-${kinds[i]}-${i}`, { connection: redis });
      await queue.addBulk(Array.from({ length: jobs }, (_, n) => ({ name: 'record', data: { record: { id: `r${n}` } }, opts: { jobId: `r${n}`, removeOnComplete: true, removeOnFail: true } })));
      await queue.close();
    }
    const startAt = Date.now() + 2000;
    for (const child of children) child.send({ startAt, seconds });
    const replies = await Promise.all(children.map(async (child) => (await once(child, 'message'))[0]));
    const results = replies.map((reply) => reply.counts);
    const cpuMs = replies.reduce((sum, reply) => sum + reply.cpuMs, 0);
    const after = await bc.stats();
    const errorsOf = (i) => {
      const merged = {};
      for (const counts of results) for (const [name, n] of Object.entries(counts[i].errors)) merged[name] = (merged[name] ?? 0) + n;
      return Object.entries(merged).map(([name, n]) => `${name} ${n}`).join(', ');
    };
    const per = kinds.map((kind, i) => ({
      kind,
      errors: errorsOf(i),
      ok: results.reduce((sum, counts) => sum + counts[i].ok, 0),
      failed: results.reduce((sum, counts) => sum + counts[i].failed, 0),
      limit429: after[i].throttled - before[i].throttled,
    }));
    const good = per.slice(0, healthy);
    const ratios = good.map((t) => t.ok / (BUDGET * seconds));
    console.log(`tenants: ${healthy} tenants + 1 throttled hard (429 on 90%, Retry-After 2 s) + 1 failing (500), ${WORKERS} worker processes, ${SLOTS} slots per tenant each; ` +
      `BC budget per tenant ${PER_WINDOW} / ${WINDOW_MS / 1000} s (${BUDGET}/s), limiter ${LIMITER.requestsPerSecond.toFixed(2)}/s burst ${BURST}; ${seconds} s; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    console.table([
      {
        tenants: `${healthy} healthy`,
        'share of own budget min': Math.min(...ratios).toFixed(2),
        median: median(ratios).toFixed(2),
        max: Math.max(...ratios).toFixed(2),
        'tenants ≥ 0.9': `${ratios.filter((r) => r >= 0.9).length} / ${healthy}`,
        'requests ok': good.reduce((sum, t) => sum + t.ok, 0),
        '429s (budget)': good.reduce((sum, t) => sum + t.limit429, 0),
        failed: good.reduce((sum, t) => sum + t.failed, 0),
      },
      ...per.slice(healthy).map((t) => ({ tenants: t.kind, 'requests ok': t.ok, '429s (budget)': t.limit429, failed: `${t.failed}${t.errors ? ` (${t.errors})` : ''}` })),
    ]);
    console.log(`share per tenant: ${ratios.map((r) => r.toFixed(2)).join(' ')}`);
    const healthyErrors = good.map((_, i) => errorsOf(i)).filter(Boolean);
    if (healthyErrors.length > 0) console.log(`healthy tenants' failed requests: ${healthyErrors.join('; ')}`);
    const calls = per.reduce((sum, t) => sum + t.ok + t.failed, 0);
    console.log(`worker CPU: ${(cpuMs / Math.max(1, calls)).toFixed(1)} ms per job (BullMQ, engine, limiter, BC client), ${(cpuMs / seconds / 1000).toFixed(2)} cores over the window`);
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    for (let i = 0; i < kinds.length; i++) {
      const queue = new Queue(`${run}-t-${kinds[i]}-${i}`, { connection: redis });
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    }
    redis.disconnect();
    await bc.stop();
    redisServer.stop();
  }
}

if (process.argv[2] === 'worker') await worker();
else await main();
