// Shared by the scale-out benches: a private Redis, Redis command counts, and Business Central emulators (one sandbox
// per tenant, each with its own limits and faults) in a process of their own, so workers and emulator do not share an
// event loop. Run as `node support.mjs emulator` it is that process.
import { fork, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);

/** REDIS_URL, or a private redis-server on a loopback port (sets REDIS_URL); undefined when neither is available. */
export async function privateRedis() {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, stop() {} };
  const dir = mkdtempSync(join(tmpdir(), 'mlc-bench-redis-'));
  const port = 6390 + Math.floor(Math.random() * 50);
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--maxclients', '2000'], { stdio: 'ignore' });
  const failed = await Promise.race([once(child, 'error').then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 400))]);
  if (failed) return undefined;
  process.env.REDIS_URL = `redis://127.0.0.1:${port}`;
  return { url: process.env.REDIS_URL, stop: () => { child.kill('SIGTERM'); rmSync(dir, { recursive: true, force: true }); } };
}

/** Calls of one Redis command so far (`INFO commandstats`). */
export async function commandCalls(redis, command) {
  const info = await redis.info('commandstats');
  const match = new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(info);
  return match ? Number(match[1]) : 0;
}

/**
 * Starts an emulator process with one Business Central sandbox per entry of `tenants` (`{ requestsPerWindow, windowMs,
 * faults }`), each a tenant of its own (tenant id, port, limits). Resolves `{ tenants: [{ url, tenantId, environment,
 * companyId }], stats(), stop() }`.
 */
export async function startEmulatorProcess(tenants) {
  const child = fork(self, ['emulator'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  child.send({ tenants });
  const [{ started }] = await once(child, 'message');
  return {
    tenants: started,
    async stats() {
      child.send('stats');
      const [{ stats }] = await once(child, 'message');
      return stats;
    },
    async stop() {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

async function emulator() {
  const [{ tenants }] = await once(process, 'message');
  const { createBusinessCentralSandbox } = await import('@ml-connector/business-central/testing');
  const sandboxes = [];
  const started = [];
  for (const tenant of tenants) {
    const sandbox = createBusinessCentralSandbox({
      tenantId: randomUUID(),
      limits: { requestsPerWindow: tenant.requestsPerWindow, windowMs: tenant.windowMs, maxConcurrent: 5, maxQueued: 95 },
      faults: { latencyMs: 20, ...tenant.faults },
    });
    const server = await sandbox.listen();
    sandboxes.push({ sandbox, server });
    started.push({ url: server.url, tenantId: sandbox.tenantId, environment: sandbox.environment, companyId: sandbox.companyId });
  }
  process.send({ started });
  process.on('message', (message) => {
    if (message !== 'stats') return;
    const cpu = process.cpuUsage();
    // The process's CPU time goes with the first tenant's figures.
    process.send({ stats: sandboxes.map(({ sandbox }, i) => ({ ...sandbox.stats, cpuMs: i === 0 ? (cpu.user + cpu.system) / 1000 : 0 })) });
  });
  process.on('SIGTERM', () => Promise.all(sandboxes.map(({ server }) => server.close())).finally(() => process.exit(0)));
}

if (process.argv[1] === self && process.argv[2] === 'emulator') await emulator();
