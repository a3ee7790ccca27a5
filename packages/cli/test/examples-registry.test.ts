import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConnectorEnvironment, loadFlowRegistry, type ReconciliationReport } from '@ml-connector/cli';
import { createSyncEngine, openSqliteSyncStore } from '@ml-connector/core/sync';
import { startEmulators, type RunningEmulators } from '@ml-connector/emulators';
import { cli, tempWorkdir } from './helpers.js';

// The examples' registry: the real bc-invoices flow, replayed by the CLI against the emulators.
const registry = fileURLToPath(new URL('../../../examples/src/flows.ts', import.meta.url));
let work: Awaited<ReturnType<typeof tempWorkdir>>;
let emulators: RunningEmulators;

beforeAll(async () => {
  work = await tempWorkdir();
  emulators = await startEmulators({
    systems: ['businessCentral', 'jaggaer', 'nav', 'd365fo', 'oracleFusion', 'jira'],
    ports: { businessCentral: 0, jaggaer: 0, nav: 0, d365fo: 0, oracleFusion: 0, jira: 0 },
    stateDir: join(work.stateDir, 'emulators'),
    reset: true,
    sandboxes: { jaggaer: { size: { invoices: 60 } } },
  });
  const env = loadConnectorEnvironment({}, work.cwd);
  const flows = await loadFlowRegistry(registry, work.cwd);
  const store = await openSqliteSyncStore({ path: env.statePath });
  const built = await flows['bc-invoices']!({ env, store });
  const flow = 'flow' in built ? built.flow : built;
  await createSyncEngine({ store }).run(flow);
  if ('close' in built) await built.close?.();
  await store.close();
}, 60_000);

afterAll(async () => {
  await emulators?.close();
  await work?.cleanup();
});

describe('the examples flow registry with the CLI', () => {
  it('lists every example flow, and each entry builds the flow of its name', async () => {
    const flows = await loadFlowRegistry(registry, work.cwd);
    expect(Object.keys(flows).sort()).toEqual([
      'bc-invoices', 'bc-master-data.accounts', 'bc-master-data.dimension-values', 'bc-master-data.vendors', 'bc-payment-status',
      'fo-invoices', 'fo-jira', 'fo-jira-return', 'fo-master-data-accounts', 'fo-master-data-dimension-values', 'fo-master-data-purchase-orders',
      'fo-master-data-vendors', 'jaggaer-account-values-to-oracle', 'jaggaer-department-values-to-oracle', 'jaggaer-po-acknowledgements-to-oracle',
      'jaggaer-receipts-to-oracle', 'jaggaer-suppliers-to-oracle', 'nav-purchasing.invoices', 'nav-purchasing.orders', 'nav-vendors.to-jaggaer',
      'nav-vendors.to-nav', 'oracle-account-values-to-jaggaer', 'oracle-department-values-to-jaggaer', 'oracle-invoices-to-jaggaer',
      'oracle-purchase-orders-to-jaggaer', 'oracle-suppliers-to-jaggaer',
    ]);
    const env = loadConnectorEnvironment({}, work.cwd);
    const store = await openSqliteSyncStore({ path: env.statePath });
    try {
      for (const [name, factory] of Object.entries(flows)) {
        const built = await factory({ env, store });
        const flow = 'flow' in built ? built.flow : built;
        expect(flow.name).toBe(name);
        if ('close' in built) await built.close?.();
      }
    } finally {
      await store.close();
    }
  }, 120_000);

  it('review list shows what bc-invoices could not write; replay of a reason that is not fixed sends it back to review', async () => {
    const items = JSON.parse((await cli(['review', 'list', '--json'], { cwd: work.cwd })).stdout) as Array<{ reason: string; flow: string }>;
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.flow === 'bc-invoices')).toBe(true);
    const reason = items[0]!.reason;
    const count = items.filter((i) => i.reason === reason).length;
    const { code, stdout, stderr } = await cli(['replay', reason, '--flows', registry, '--yes'], { cwd: work.cwd });
    expect(stderr).toBe('');
    expect(stdout).toContain(`${count} back to review`);
    expect(code).toBe(1);
  });

  it('reconcile pairs the written invoices through the ledger', async () => {
    const runs = JSON.parse((await cli(['runs', '--json'], { cwd: work.cwd })).stdout) as Array<{ counts: { created: number } }>;
    const created = runs.reduce((sum, r) => sum + r.counts.created, 0);
    expect(created).toBeGreaterThan(0);
    // Every invoice date the seed can produce.
    const report = JSON.parse((await cli(['reconcile', '--period', '2000-01-01..2099-12-31', '--json'], { cwd: work.cwd })).stdout) as ReconciliationReport;
    expect(report.matched).toBe(created);
    // The Business Central sandbox also seeds invoices entered in BC directly: those are on one side only.
    expect(report.targetOnly.length).toBe(report.target.records - created);
    expect(report.sourceOnly.length).toBe(report.source.records - created);
  });
});
