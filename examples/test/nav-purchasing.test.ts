import { cpSync, mkdtempSync, appendFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NAV_SANDBOX_ACCESS_KEY, NAV_SANDBOX_USER, createNavSandbox } from '@ml-connector/nav/testing';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, createJaggaerSandbox } from '@ml-connector/jaggaer-j1p/testing';
import { createNavPurchasingFlows } from '../src/nav-purchasing/flow.ts';
import { NAV_PURCHASING_MAPPINGS_DIR, loadNavPurchasingMappings } from '../src/nav-purchasing/mappings.ts';
import { navPurchasingExample } from '../src/nav-purchasing/main.ts';
import { runExample } from '../src/shared/index.ts';
import { createNavWorld } from './nav-world.ts';

type Row = Record<string, unknown>;
const headers = (rows: Row[], type: 'Order' | 'Invoice') => rows.filter((row) => row['Document_Type'] === type);

function countBy(rows: Row[], field: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const row of rows) out.set(String(row[field]), (out.get(String(row[field])) ?? 0) + 1);
  return out;
}

const EXPECTED_REASONS = new Set(['missing-mapping', 'no-po-reference', 'blocked-account', 'unknown-purchaseOrder']);

describe('nav-purchasing: JAGGAER purchase orders and invoices → Dynamics NAV', () => {
  it('writes every matched order and invoice exactly once through 429s, 503s and connection resets; the rest goes to review; a second run writes nothing', async () => {
    const world = createNavWorld({
      invoices: 45,
      navFaults: { seed: 3, statusRates: { 429: 0.04, 503: 0.03 }, resetBeforeRate: 0.02, resetAfterRate: 0.03 },
      jaggaerFaults: { seed: 5, statusRates: { 429: 0.03, 503: 0.02 } },
    });
    const mappings = await loadNavPurchasingMappings();
    const flows = createNavPurchasingFlows({ jaggaer: world.jaggaer, nav: world.nav, mappings, listPageSize: 40 });
    await world.runUntilSettled(flows);
    expect(world.navSandbox.stats.faultsInjected).toBeGreaterThan(5);
    // Resets after NAV processed a write: the engine looked those documents up by natural key before writing again.
    const lookups = [
      ...(await world.engine.audit({ flow: 'nav-purchasing.orders', limit: 100_000 })),
      ...(await world.engine.audit({ flow: 'nav-purchasing.invoices', limit: 100_000 })),
    ].filter((event) => event.step === 'looked-up');
    expect(lookups.length).toBeGreaterThan(0);

    // Purchase orders: one NAV order per JAGGAER PO (V00025 is left out of supplier-vendor.csv: review).
    const navHeaders = world.navSandbox.table('PurchaseHeader');
    const orders = countBy(headers(navHeaders, 'Order'), 'Vendor_Order_No');
    const jaggaerOrders = world.jaggaerSandbox.purchaseOrders();
    for (const po of jaggaerOrders) {
      if (po.supplierNumber === 'V00025') expect(orders.get(po.poNumber)).toBeUndefined();
      else expect(orders.get(po.poNumber), po.poNumber).toBe(1);
    }
    const orderLines = world.navSandbox.table('PurchaseLine').filter((line) => line['Document_Type'] === 'Order');
    const po = jaggaerOrders.find((order) => order.supplierNumber !== 'V00025')!;
    const navOrder = headers(navHeaders, 'Order').find((row) => row['Vendor_Order_No'] === po.poNumber)!;
    expect(orderLines.filter((line) => line['Document_No'] === navOrder['No'])).toHaveLength(po.lines.length);

    // Invoices: exactly once each, or in review for a seeded data problem; journal lines for each, none posted.
    const invoices = countBy(headers(navHeaders, 'Invoice'), 'Vendor_Invoice_No');
    const approved = world.jaggaerSandbox.invoices().filter((invoice) => invoice.workflowStatus === 'Approved');
    const reviews = await world.engine.reviews({ flow: 'nav-purchasing.invoices', state: ['open', 'retrying'] });
    const inReview = new Map(reviews.map((item) => [item.sourceId, item.reason]));
    let written = 0;
    for (const invoice of approved) {
      const count = invoices.get(invoice.supplierInvoiceNumber) ?? 0;
      if (inReview.has(String(invoice.invoiceId))) {
        expect(count, invoice.invoiceNumber).toBe(0);
        expect(EXPECTED_REASONS, inReview.get(String(invoice.invoiceId))).toContain(inReview.get(String(invoice.invoiceId)));
      } else {
        expect(count, invoice.invoiceNumber).toBe(1);
        written++;
        expect(invoice.lines.some((line) => line.poNumber)).toBe(true);
      }
    }
    expect(written).toBeGreaterThan(3);
    const reasons = new Set(reviews.map((item) => item.reason));
    expect(reasons).toContain('no-po-reference');
    expect(reasons).toContain('missing-mapping');
    const journal = world.navSandbox.table('GenJournalLine').filter((line) => line['Journal_Batch_Name'] === 'MLCONNECT');
    const invoiceLines = world.navSandbox.table('PurchaseLine').filter((line) => line['Document_Type'] === 'Invoice');
    expect(journal).toHaveLength(invoiceLines.length);
    expect(new Set(journal.map((line) => line['Bal_Account_Type']))).toEqual(new Set(['Vendor']));
    // Shortcut dimension 1 is the cost center: every line carries the mapped department.
    expect(invoiceLines.every((line) => ['ADM', 'PROD', 'SALES', 'IT'].includes(String(line['Shortcut_Dimension_1_Code'])))).toBe(true);

    // Second run: nothing written anywhere.
    const mark = world.requests.nav.length;
    const again = await world.runUntilSettled(flows);
    expect(again.reduce((sum, s) => sum + s.counts.created + s.counts.updated, 0)).toBe(0);
    expect(world.navWritesSince(mark)).toEqual([]);
  }, 60_000);

  it('sends an invoice whose PO is not in NAV to review and goes on; after the fix a replay writes it once, a second replay nothing', async () => {
    const world = createNavWorld({ invoices: 40 });
    const mappings = await loadNavPurchasingMappings();
    const [, invoicesFlow] = createNavPurchasingFlows({ jaggaer: world.jaggaer, nav: world.nav, mappings, nonPoInvoices: 'allow' });
    // Invoices before orders: every PO-matched invoice finds no NAV order.
    const first = await world.engine.run(invoicesFlow!);
    expect(first.counts.created).toBeGreaterThan(5); // the non-PO invoices went through meanwhile
    const unmatched = await world.engine.reviews({ flow: invoicesFlow!.name, state: 'open' });
    const poReviews = unmatched.filter((item) => item.reason === 'unknown-purchaseOrder');
    expect(poReviews.length).toBeGreaterThan(2);
    expect(poReviews[0]?.detail).toMatch(/purchaseOrder 'V\d{5}\/PO-\d{5}' does not exist/);

    // The fix: the orders flow creates the NAV orders (and V00025 gets a mapping).
    const dir = mkdtempSync(join(tmpdir(), 'nav-mappings-'));
    try {
      cpSync(NAV_PURCHASING_MAPPINGS_DIR, dir, { recursive: true });
      appendFileSync(join(dir, 'supplier-vendor.csv'), 'V00025,V00025\n');
      const fixed = await loadNavPurchasingMappings(dir);
      const [fixedOrders, fixedInvoices] = createNavPurchasingFlows({ jaggaer: world.jaggaer, nav: world.nav, mappings: fixed, nonPoInvoices: 'allow' });
      await world.engine.run(fixedOrders!);
      const replay = await world.engine.replay(fixedInvoices!, { reason: 'unknown-purchaseOrder' });
      expect(replay.counts.created).toBe(poReviews.length);
      const byReference = countBy(headers(world.navSandbox.table('PurchaseHeader'), 'Invoice'), 'Vendor_Invoice_No');
      for (const item of poReviews) {
        const invoice = world.jaggaerSandbox.invoice(Number(item.sourceId))!;
        expect(byReference.get(invoice.supplierInvoiceNumber)).toBe(1);
      }
      const again = await world.engine.replay(fixedInvoices!, { reason: 'unknown-purchaseOrder' });
      expect(again.counts.created + again.counts.updated).toBe(0);
      const trail = await world.engine.audit({ record: { flow: fixedInvoices!.name, sourceSystem: 'jaggaer', sourceId: poReviews[0]!.sourceId } });
      expect(trail.map((event) => event.step)).toEqual(expect.arrayContaining(['preflight-failed', 'replayed', 'written']));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('nav-purchasing: $metadata is checked before any data moves', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('refuses to start against an instance missing a page, with a renamed field and a changed type, listing all three', async () => {
    const navSandbox = createNavSandbox({
      pages: {
        dimensionValues: false,
        purchaseOrder: { renameFields: { Vendor_Order_No: 'VendorOrderNo' } },
        chartOfAccounts: { fieldTypes: { Blocked: 'Edm.String' } },
      },
    });
    const jaggaerSandbox = createJaggaerSandbox({ size: { suppliers: 3, invoices: 3, purchaseOrders: 1 } });
    const navServer = await navSandbox.listen();
    const jaggaerServer = await jaggaerSandbox.listen();
    const state = mkdtempSync(join(tmpdir(), 'nav-metadata-'));
    try {
      vi.stubEnv('NAV_URL', navSandbox.url({ origin: navServer.url }));
      vi.stubEnv('NAV_USERNAME', NAV_SANDBOX_USER);
      vi.stubEnv('NAV_PASSWORD', NAV_SANDBOX_ACCESS_KEY);
      vi.stubEnv('JAGGAER_HOST', jaggaerServer.url);
      vi.stubEnv('JAGGAER_CLIENT_ID', SANDBOX_CLIENT_ID);
      vi.stubEnv('JAGGAER_CLIENT_SECRET', SANDBOX_CLIENT_SECRET);
      vi.stubEnv('ML_CONNECTOR_STATE_DIR', state);
      const before = navSandbox.stats.requests;
      const error = await runExample(navPurchasingExample, ['--json'], { stdout: process.stdout, stderr: process.stderr }).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'NavMetadataMismatchError' });
      const message = (error as Error).message;
      expect(message).toContain('DimensionValues');
      expect(message).toContain('VendorOrderNo');
      expect(message).toMatch(/Blocked.*Edm\.String|Edm\.String.*Blocked/);
      expect((error as { problems: unknown[] }).problems.length).toBeGreaterThanOrEqual(3);
      expect(`${message} ${JSON.stringify(error)}`).not.toContain(NAV_SANDBOX_ACCESS_KEY);
      // Only $metadata was read from NAV; nothing at all from JAGGAER.
      expect(navSandbox.stats.requests - before).toBe(navSandbox.stats.metadataRequests);
      expect(jaggaerSandbox.stats().requests).toBe(0);
    } finally {
      await navServer.close();
      await jaggaerServer.close();
      rmSync(state, { recursive: true, force: true });
    }
  });
});
