import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteSyncStore } from '@ml-connector/core/sync';
import { FO_SANDBOX_CLIENT_ID, FO_SANDBOX_CLIENT_SECRET, createFinanceOperationsSandbox } from '@ml-connector/d365-fo/testing';
import { SANDBOX_CLIENT_ID as JAGGAER_CLIENT_ID, SANDBOX_CLIENT_SECRET as JAGGAER_CLIENT_SECRET, createJaggaerSandbox } from '@ml-connector/jaggaer-j1p/testing';
import { FO_INVOICES_FLOW } from '../src/fo-invoices/flow.ts';
import { ensureExamplesBuilt, killWhen, lastSummary, startExample } from './example-process.ts';

/**
 * `pnpm example:fo-invoices` as a user runs it, in a child process, against F&O and JAGGAER emulators served on
 * loopback by this test process (configured through `FO_*` / `JAGGAER_*` as real tenants would be), killed with
 * SIGKILL while header + line changesets are in flight, then started again.
 */
describe('pnpm example:fo-invoices killed mid-run', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'fo-invoices-kill-'));
  const jaggaer = createJaggaerSandbox({ seed: 23, size: { suppliers: 25, invoices: 300, purchaseOrders: 20 }, limits: { requestsPerWindow: 1e9, maxConcurrent: 100 } });
  const fo = createFinanceOperationsSandbox({
    limits: { requestsPerWindow: 1e9, executionMsPerWindow: 1e12, maxConcurrent: 1000 },
    // A little service time so the kill lands while changesets are in flight.
    faults: { latencyMs: 3 },
  });
  let servers: { close(): Promise<void> }[] = [];
  let env: NodeJS.ProcessEnv = {};

  beforeAll(async () => {
    // The child imports the packages from their dist, as `pnpm example:*` does.
    ensureExamplesBuilt();
    const foServer = await fo.listen();
    const jaggaerServer = await jaggaer.listen();
    servers = [foServer, jaggaerServer];
    env = {
      PATH: process.env['PATH'],
      FO_ENVIRONMENT_URL: fo.environmentUrl(foServer.url),
      FO_AUTHORITY_HOST: fo.authorityHost(foServer.url),
      FO_TENANT_ID: fo.tenantId,
      FO_CLIENT_ID: FO_SANDBOX_CLIENT_ID,
      FO_CLIENT_SECRET: FO_SANDBOX_CLIENT_SECRET,
      FO_DEFAULT_LEGAL_ENTITY: 'usmf',
      JAGGAER_HOST: jaggaerServer.url,
      JAGGAER_CLIENT_ID,
      JAGGAER_CLIENT_SECRET,
      JAGGAER_INVOICES_SINCE: '2024-12-01T00:00:00Z',
      ML_CONNECTOR_STATE_DIR: stateDir,
    };
  }, 600_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
    rmSync(stateDir, { recursive: true, force: true });
  });

  const start = () => startExample('fo-invoices', stateDir, env);

  /** Pending F&O headers per natural key (legal entity / vendor / invoice number). */
  const copiesByKey = () => {
    const keys = new Map<string, number>();
    for (const row of fo.rows('VendorInvoiceHeaders')) {
      const key = `${String(row['dataAreaId'])}/${String(row['VendorAccount'])}/${String(row['InvoiceNumber'])}`;
      keys.set(key, (keys.get(key) ?? 0) + 1);
    }
    return keys;
  };

  it('finishes the work after SIGKILL with no invoice lost or doubled (headers complete with their lines), and a further run creates 0', async () => {
    const first = start();
    await killWhen(first, () => fo.store.tables.VendorInvoiceHeaders.size >= 30);
    const firstResult = await first.exit;
    expect(firstResult.code).toBeNull(); // killed by signal
    const atKill = fo.store.tables.VendorInvoiceHeaders.size;

    const second = await start().exit;
    expect(second.code, second.stderr).toBe(0);
    for (const output of [firstResult.stdout, firstResult.stderr, second.stdout, second.stderr]) {
      expect(output).not.toContain(FO_SANDBOX_CLIENT_SECRET);
      expect(output).not.toContain(JAGGAER_CLIENT_SECRET);
    }
    const summary = lastSummary<{ created: number; status: string }>(second.stdout);
    expect(summary.status).toBe('completed');

    // 0 duplicates: every natural key once; every header has its lines (changesets are atomic, kill or not).
    const keys = copiesByKey();
    expect([...keys.values()].every((count) => count === 1)).toBe(true);
    const lines = fo.rows('VendorInvoiceLines');
    for (const header of fo.rows('VendorInvoiceHeaders')) {
      expect(lines.some((line) => line['HeaderReference'] === header['HeaderReference']), String(header['HeaderReference'])).toBe(true);
    }
    // Nothing lost: every approved invoice is written once (ledger confirmed) or waits in review for a data reason.
    const store = await openSqliteSyncStore({ path: join(stateDir, 'examples.sqlite') });
    try {
      const confirmed = await store.listLedger({ flow: FO_INVOICES_FLOW, states: ['confirmed'], limit: 100_000 });
      const open = await store.listReview({ flow: FO_INVOICES_FLOW, state: ['open', 'retrying'] });
      expect(confirmed).toHaveLength(keys.size);
      expect(new Set(confirmed.map((entry) => entry.targetId)).size).toBe(confirmed.length);
      const approved = jaggaer.invoices().filter((invoice) => invoice.workflowStatus === 'Approved');
      expect(confirmed.length + open.length).toBe(approved.length);
      expect(open.every((item) => item.state === 'open')).toBe(true);
      // Invoices the killed run had sent were found by vendor + invoice number and adopted, not twinned.
      expect(summary.created).toBeGreaterThanOrEqual(keys.size - atKill);
    } finally {
      await store.close();
    }

    const third = await start().exit;
    expect(third.code, third.stderr).toBe(0);
    expect(lastSummary<{ created: number }>(third.stdout).created).toBe(0);
  }, 120_000);
});
