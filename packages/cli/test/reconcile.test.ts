import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBusinessCentralClient } from '@ml-connector/business-central';
import { reconcileInvoices, renderReconciliationCsv, renderReconciliationHtml, type ReconciliationReport } from '@ml-connector/cli';
import { openSqliteSyncStore, type SyncStore } from '@ml-connector/core/sync';
import { startEmulators, type RunningEmulators } from '@ml-connector/emulators';
import { createJaggaerClient, type Invoice } from '@ml-connector/jaggaer-j1p';
import { cli, tempWorkdir } from './helpers.js';

let work: Awaited<ReturnType<typeof tempWorkdir>>;
let emulators: RunningEmulators;
let period: string;
let inPeriod: Invoice[];
let statePath: string;

beforeAll(async () => {
  work = await tempWorkdir();
  emulators = await startEmulators({
    systems: ['businessCentral', 'jaggaer'],
    ports: { businessCentral: 0, jaggaer: 0 },
    stateDir: join(work.stateDir, 'emulators'),
    reset: true,
    sandboxes: { jaggaer: { size: { invoices: 80 } } },
  });
  const jaggaer = createJaggaerClient(emulators.clients.jaggaer!);
  const invoices = (await jaggaer.invoices.list().toArray({ limit: 1000 })).filter((i) => i.invoiceDate && i.supplierInvoiceNumber && i.workflowStatus === 'Approved');
  // The month with the most invoices, so the period has several.
  const months = new Map<string, Invoice[]>();
  for (const invoice of invoices) months.set(invoice.invoiceDate!.slice(0, 7), [...(months.get(invoice.invoiceDate!.slice(0, 7)) ?? []), invoice]);
  [period, inPeriod] = [...months.entries()].sort((a, b) => b[1].length - a[1].length)[0]!;
  expect(inPeriod.length).toBeGreaterThanOrEqual(3);

  // Business Central holds every invoice of the period but the last; the first has a wrong date; one BC invoice has
  // no JAGGAER counterpart. The ledger pairs all but the second, which is found by its supplier invoice number.
  const bc = createBusinessCentralClient(emulators.clients.businessCentral!);
  const company = bc.company(emulators.sandboxes.businessCentral!.companyId);
  const vendor = (await company.vendors.list().toArray({ limit: 1 }))[0]!;
  statePath = join(work.stateDir, 'examples.sqlite');
  const store: SyncStore = await openSqliteSyncStore({ path: statePath });
  const now = new Date().toISOString();
  for (const [index, invoice] of inPeriod.slice(0, -1).entries()) {
    const date = index === 0 ? `${period}-28` === invoice.invoiceDate!.slice(0, 10) ? `${period}-27` : `${period}-28` : invoice.invoiceDate!.slice(0, 10);
    const created = await company.purchaseInvoices.create({ vendorNumber: vendor.number, vendorInvoiceNumber: invoice.supplierInvoiceNumber!, invoiceDate: date });
    if (index === 1) continue;
    await store.commit(
      { ledger: [{ entry: { flow: 'bc-invoices', sourceSystem: 'jaggaer', sourceId: invoice.invoiceId, sourceVersion: '1', targetSystem: 'business-central', state: 'confirmed', targetId: created.id, businessIds: [], attempts: 1 } }] },
      now,
    );
  }
  await company.purchaseInvoices.create({ vendorNumber: vendor.number, vendorInvoiceNumber: 'BC-ONLY-1', invoiceDate: `${period}-15` });
  await store.close();
});

afterAll(async () => {
  await emulators?.close();
  await work?.cleanup();
});

describe('ml-connector reconcile', () => {
  it('reports counts, invoices on one side only and field differences, as table, CSV and HTML files', async () => {
    const { code, stdout, stderr } = await cli(['reconcile', '--period', period, '--csv', 'r.csv', '--html', 'r.html'], { cwd: work.cwd });
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(stdout).toContain(`Reconciliation of bc-invoices, ${period}-01 to ${period}-`);
    expect(stdout).toMatch(new RegExp(`invoices\\s*│\\s*${inPeriod.length}\\s*│\\s*${inPeriod.length}`));
    expect(stdout).toContain('Not balanced.');
    const report = JSON.parse((await cli(['reconcile', '--period', period, '--json'], { cwd: work.cwd })).stdout) as ReconciliationReport;
    expect(report.matched).toBe(inPeriod.length - 1);
    expect(report.sourceOnly).toEqual([expect.stringMatching(new RegExp(`^${inPeriod.at(-1)!.invoiceId} `))]);
    expect(report.targetOnly).toEqual([expect.stringMatching(/\(BC-ONLY-1\)$/)]);
    expect(report.differences.filter((d) => d.field === 'invoiceDate').map((d) => d.sourceId)).toEqual([inPeriod[0]!.invoiceId]);
    expect(report.balanced).toBe(false);
    const csv = await readFile(join(work.cwd, 'r.csv'), 'utf8');
    expect(csv.split('\r\n')[0]).toBe('kind,key,field,jaggaer,business_central');
    expect(csv).toContain(`count,${report.period.from}..${report.period.to},invoices,${inPeriod.length},${inPeriod.length}`);
    expect(csv).toContain('invoice-only-in-business-central');
    const html = await readFile(join(work.cwd, 'r.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link|src=|href=/i);
    expect(html).toContain('not balanced');
  });

  it('refuses a malformed period and names the flows it knows', async () => {
    const flow = await cli(['reconcile', '--period', period, '--flow', 'no-such-flow'], { cwd: work.cwd });
    expect(flow.code).toBe(2);
    expect(flow.stderr).toMatch(/reconcile knows bc-invoices, fo-invoices, .*nav-vendors/);
    const { code, stderr } = await cli(['reconcile', '--period', '2026-13-01'], { cwd: work.cwd });
    expect(code).toBe(2);
    expect(stderr).toContain('--period must be YYYY-MM or YYYY-MM-DD..YYYY-MM-DD');
  });

  it('escapes values in HTML and neutralises spreadsheet formulas in CSV', async () => {
    const store = await openSqliteSyncStore({ path: statePath });
    try {
      const report = await reconcileInvoices({ connections: { mode: 'emulators', businessCentral: emulators.clients.businessCentral!, businessCentralCompanyId: emulators.sandboxes.businessCentral!.companyId, jaggaer: emulators.clients.jaggaer! }, store, period });
      const hostile: ReconciliationReport = { ...report, differences: [{ sourceId: '<img src=x onerror=alert(1)>', targetId: 't', field: 'f', source: '=HYPERLINK("http://x")', target: 'a,"b"' }] };
      expect(renderReconciliationHtml(hostile)).not.toContain('<img');
      const csv = renderReconciliationCsv(hostile);
      expect(csv).toContain(`"'=HYPERLINK(""http://x"")"`);
      expect(csv).toContain('"a,""b"""');
    } finally {
      await store.close();
    }
  });
});
