import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SANDBOX_CLIENT_ID as BC_CLIENT_ID,
  SANDBOX_CLIENT_SECRET as BC_CLIENT_SECRET,
  createBusinessCentralSandbox,
} from '@ml-connector/business-central/testing';
import { openSqliteSyncStore } from '@ml-connector/core/sync';
import { SANDBOX_CLIENT_ID as JAGGAER_CLIENT_ID, SANDBOX_CLIENT_SECRET as JAGGAER_CLIENT_SECRET, createJaggaerSandbox } from '@ml-connector/jaggaer-j1p/testing';
import { invoiceNaturalKey } from '../src/bc-invoices/target.ts';
import { ensureExamplesBuilt, killWhen, lastSummary, startExample } from './example-process.ts';

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
    ensureExamplesBuilt();
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

  const start = () => startExample('bc-invoices', stateDir, env);

  it('finishes the work after SIGKILL with no invoice lost or doubled, and a further run creates 0', async () => {
    const first = start();
    // Kill once some drafts are in BC, i.e. mid-run with writes in flight.
    await killWhen(first, () => bc.db.purchaseInvoices.size >= 40);
    const firstResult = await first.exit;
    expect(firstResult.code).toBeNull(); // killed by signal
    const atKill = bc.db.purchaseInvoices.size;

    const second = await start().exit;
    expect(second.code, second.stderr).toBe(0);
    for (const output of [firstResult.stdout, firstResult.stderr, second.stdout, second.stderr]) {
      expect(output).not.toContain(BC_CLIENT_SECRET);
      expect(output).not.toContain(JAGGAER_CLIENT_SECRET);
    }
    const summary = lastSummary<{ created: number; status: string }>(second.stdout);
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

    const third = await start().exit;
    expect(third.code, third.stderr).toBe(0);
    expect(lastSummary<{ created: number }>(third.stdout).created).toBe(0);
  }, 120_000);
});
