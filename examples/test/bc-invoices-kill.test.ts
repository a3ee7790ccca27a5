import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SANDBOX_CLIENT_ID as BC_CLIENT_ID,
  SANDBOX_CLIENT_SECRET as BC_CLIENT_SECRET,
  createBusinessCentralSandbox,
} from '@ml-connector/business-central/testing';
import { openSqliteSyncStore } from '@ml-connector/core/sync';
import { SANDBOX_CLIENT_ID as JAGGAER_CLIENT_ID, SANDBOX_CLIENT_SECRET as JAGGAER_CLIENT_SECRET, createJaggaerSandbox } from '@ml-connector/jaggaer-j1p/testing';
import { invoiceNaturalKey } from '../src/bc-invoices/target.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const main = join(root, 'examples/src/bc-invoices/main.ts');

/**
 * The example as a user runs it, in a child process, against emulators served on loopback by this test process
 * (configured through the environment as a real tenant would be), killed with SIGKILL mid-run and started again.
 */
describe('pnpm example:bc-invoices killed mid-run', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'bc-invoices-kill-'));
  const jaggaer = createJaggaerSandbox({ seed: 21, size: { suppliers: 25, invoices: 300, purchaseOrders: 20 }, limits: { requestsPerWindow: 1e9, maxConcurrent: 100 } });
  const bc = createBusinessCentralSandbox({
    size: { vendors: 25, invoices: 0, purchaseOrders: 20 },
    limits: { requestsPerWindow: 1e9 },
    // A little service time so the kill lands while writes are in flight.
    faults: { latencyMs: 3 },
  });
  let servers: { close(): Promise<void> }[] = [];
  let env: NodeJS.ProcessEnv = {};

  beforeAll(async () => {
    // The child imports the packages from their dist, as `pnpm example:*` does.
    const built = spawnSync(process.execPath, [join(root, 'examples/scripts/ensure-built.mjs')], { cwd: root, encoding: 'utf8' });
    expect(built.status, built.stderr).toBe(0);
    const bcServer = await bc.listen();
    const jaggaerServer = await jaggaer.listen();
    servers = [bcServer, jaggaerServer];
    env = {
      PATH: process.env['PATH'],
      BC_TENANT_ID: bc.tenantId,
      BC_ENVIRONMENT: bc.environment,
      BC_COMPANY_ID: bc.companyId,
      BC_CLIENT_ID,
      BC_CLIENT_SECRET,
      BC_API_HOST: bcServer.url,
      BC_AUTHORITY_HOST: bcServer.url,
      BC_MAX_REQUESTS_PER_SECOND: '2000',
      JAGGAER_HOST: jaggaerServer.url,
      JAGGAER_CLIENT_ID,
      JAGGAER_CLIENT_SECRET,
      JAGGAER_INVOICES_SINCE: '2024-12-01T00:00:00Z',
      ML_CONNECTOR_STATE_DIR: stateDir,
    };
  }, 600_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
    bc.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  const start = () => spawn(process.execPath, [main, '--json'], { cwd: stateDir, env, stdio: ['ignore', 'pipe', 'pipe'] });

  const finish = (child: ReturnType<typeof start>) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (chunk) => (stdout += String(chunk)));
      child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
      child.on('exit', (code) => resolve({ code, stdout, stderr }));
    });

  it('finishes the work after SIGKILL with no invoice lost or doubled, and a further run creates 0', async () => {
    const first = start();
    const killed = finish(first);
    // Kill once some drafts are in BC, i.e. mid-run with writes in flight.
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (bc.db.purchaseInvoices.size >= 40) {
          clearInterval(timer);
          first.kill('SIGKILL');
          resolve();
        }
      }, 2);
      first.on('exit', () => {
        clearInterval(timer);
        reject(new Error('the example ended before it could be killed'));
      });
    });
    const firstResult = await killed;
    expect(firstResult.code).toBeNull(); // killed by signal
    const atKill = bc.db.purchaseInvoices.size;

    const second = await finish(start());
    expect(second.code, second.stderr).toBe(0);
    for (const output of [firstResult.stdout, firstResult.stderr, second.stdout, second.stderr]) {
      expect(output).not.toContain(BC_CLIENT_SECRET);
      expect(output).not.toContain(JAGGAER_CLIENT_SECRET);
    }
    const summary = JSON.parse(second.stdout.trim().split('\n').at(-1)!) as { created: number; status: string };
    expect(summary.status).toBe('completed');

    // Every approved invoice the mappings allow is in BC exactly once; nothing else is.
    const keys = new Map<string, number>();
    for (const row of bc.db.purchaseInvoices.all()) {
      const key = invoiceNaturalKey({ vendorNumber: String(row['vendorNumber']), vendorInvoiceNumber: String(row['vendorInvoiceNumber']) });
      keys.set(key, (keys.get(key) ?? 0) + 1);
    }
    expect([...keys.values()].every((count) => count === 1)).toBe(true);
    const store = await openSqliteSyncStore({ path: join(stateDir, 'examples.sqlite') });
    try {
      const confirmed = await store.listLedger({ flow: 'bc-invoices', states: ['confirmed'], limit: 100_000 });
      const open = await store.listReview({ flow: 'bc-invoices', state: ['open', 'retrying'] });
      expect(confirmed).toHaveLength(bc.db.purchaseInvoices.size);
      expect(new Set(confirmed.map((entry) => entry.targetId)).size).toBe(confirmed.length);
      const approved = jaggaer.invoices().filter((invoice) => invoice.workflowStatus === 'Approved');
      expect(confirmed.length + open.length).toBe(approved.length);
      expect(open.every((item) => item.state === 'open')).toBe(true);
      // Drafts the killed run had sent were found by vendor + vendorInvoiceNumber and adopted (counted as created
      // by the restart, written once): at least the rest were created by the restart.
      expect(summary.created).toBeGreaterThanOrEqual(bc.db.purchaseInvoices.size - atKill);
    } finally {
      await store.close();
    }

    const third = await finish(start());
    expect(third.code, third.stderr).toBe(0);
    expect((JSON.parse(third.stdout.trim().split('\n').at(-1)!) as { created: number }).created).toBe(0);
  }, 120_000);
});
