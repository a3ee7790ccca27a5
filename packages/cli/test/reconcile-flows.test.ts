import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConnectorEnvironment, loadFlowRegistry, type ReconciliationReport } from '@ml-connector/cli';
import { createSyncEngine, openSqliteSyncStore, type RunSummary } from '@ml-connector/core/sync';
import { createFinanceOperationsClient } from '@ml-connector/d365-fo';
import { startEmulators, type RunningEmulators } from '@ml-connector/emulators';
import { cli, tempWorkdir } from './helpers.js';

// The examples' own flows run against the emulators; reconcile then compares what they wrote.
const registry = fileURLToPath(new URL('../../../examples/src/flows.ts', import.meta.url));
const ALL = '2000-01-01..2099-12-31';
let work: Awaited<ReturnType<typeof tempWorkdir>>;
let emulators: RunningEmulators;
const created = new Map<string, number>();

async function run(names: string[]): Promise<void> {
  const env = loadConnectorEnvironment({}, work.cwd);
  const flows = await loadFlowRegistry(registry, work.cwd);
  const store = await openSqliteSyncStore({ path: env.statePath });
  try {
    for (const name of names) {
      const built = await flows[name]!({ env, store });
      const flow = 'flow' in built ? built.flow : built;
      const summary: RunSummary = await createSyncEngine({ store }).run(flow);
      created.set(name, summary.counts.created);
      if ('close' in built) await built.close?.();
    }
  } finally {
    await store.close();
  }
}

const reconcile = async (flow: string) => {
  const { stdout, stderr } = await cli(['reconcile', '--flow', flow, '--period', ALL, '--json'], { cwd: work.cwd });
  expect(stderr).toBe('');
  return JSON.parse(stdout) as ReconciliationReport;
};

beforeAll(async () => {
  work = await tempWorkdir();
  emulators = await startEmulators({
    systems: ['jaggaer', 'nav', 'd365fo', 'oracleFusion'],
    ports: { jaggaer: 0, nav: 0, d365fo: 0, oracleFusion: 0 },
    stateDir: join(work.stateDir, 'emulators'),
    reset: true,
    sandboxes: { jaggaer: { size: { invoices: 40 } } },
  });
  await run(['fo-invoices', 'nav-purchasing.orders', 'nav-purchasing.invoices', 'oracle-suppliers-to-jaggaer', 'oracle-invoices-to-jaggaer']);
}, 240_000);

afterAll(async () => {
  await emulators?.close();
  await work?.cleanup();
});

describe('reconcile of the other invoice flows, after the real flows ran', () => {
  it('fo-invoices: every invoice the flow created pairs with its pending F&O invoice; amounts and dates agree', async () => {
    expect(created.get('fo-invoices')).toBeGreaterThan(0);
    const report = await reconcile('fo-invoices');
    expect(report).toMatchObject({ flow: 'fo-invoices', kind: 'invoices', source: { system: 'jaggaer' }, target: { system: 'finance-operations' } });
    expect(report.matched).toBe(created.get('fo-invoices'));
    // What the flow could not write (review) is on the JAGGAER side only.
    expect(report.sourceOnly.length).toBe(report.source.records - report.matched);
    expect(report.differences.filter((d) => d.field !== 'total')).toEqual([]);
  });

  it('fo-invoices: a date changed in F&O after the sync is a field difference', async () => {
    const fo = createFinanceOperationsClient(emulators.clients.d365fo!);
    const usmf = fo.legalEntity('usmf');
    const [header] = await usmf.vendorInvoices.headers.list().toArray({ limit: 1 });
    await usmf.vendorInvoices.update(header!, { InvoiceDate: '2001-02-03T12:00:00Z' } as never, { etag: '*' });
    const report = await reconcile('fo-invoices');
    expect(report.differences).toContainEqual(expect.objectContaining({ targetId: `usmf/${header!.HeaderReference}`, field: 'invoiceDate', target: '2001-02-03' }));
    expect(report.balanced).toBe(false);
  });

  it('nav-purchasing: invoices pair with NAV purchase invoices; NAV vendors and JAGGAER suppliers are compared', async () => {
    expect(created.get('nav-purchasing.invoices')).toBeGreaterThan(0);
    const report = await reconcile('nav-purchasing');
    expect(report).toMatchObject({ flow: 'nav-purchasing.invoices', target: { system: 'nav' } });
    expect(report.matched).toBeGreaterThanOrEqual(created.get('nav-purchasing.invoices')!);
    expect(report.differences.filter((d) => d.field === 'vendorInvoiceNumber')).toEqual([]);
    expect(Array.isArray(report.vendorsOnlyInTarget)).toBe(true);
  });

  it('oracle-to-jaggaer: Oracle invoices pair with the JAGGAER invoices imported from them', async () => {
    expect(created.get('oracle-invoices-to-jaggaer')).toBeGreaterThan(0);
    const report = await reconcile('oracle-to-jaggaer');
    expect(report).toMatchObject({ flow: 'oracle-invoices-to-jaggaer', source: { system: 'oracle-fusion' }, target: { system: 'jaggaer' } });
    expect(report.matched).toBeGreaterThanOrEqual(created.get('oracle-invoices-to-jaggaer')!);
    expect(report.differences.filter((d) => d.field === 'vendorInvoiceNumber')).toEqual([]);
  });

  it('nav-vendors: vendors on each side, without a period, as a table', async () => {
    const { stdout } = await cli(['reconcile', '--flow', 'nav-vendors', '--period', ALL], { cwd: work.cwd });
    expect(stdout).toContain('Reconciliation of nav-vendors.to-nav, all vendors');
    expect(stdout).toMatch(/vendors\s*│\s*\d+\s*│\s*\d+/);
  });
});
