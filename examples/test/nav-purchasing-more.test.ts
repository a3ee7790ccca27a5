import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SyncEvent } from '@ml-connector/core/sync';
import { createNavPurchasingFlows } from '../src/nav-purchasing/flow.ts';
import { NAV_PURCHASING_MAPPINGS_DIR, loadNavPurchasingMappings } from '../src/nav-purchasing/mappings.ts';
import { createNavWorld } from './nav-world.ts';

type RecordEvent = Extract<SyncEvent, { type: 'record' }>;

describe.each(['v3', 'v4'] as const)('nav-purchasing over OData %s', (version) => {
  it('writes orders and invoices once through faults, and a second run writes nothing', async () => {
    const world = createNavWorld({
      version,
      invoices: 30,
      navFaults: { seed: 8, statusRates: { 429: 0.03, 503: 0.03 }, resetAfterRate: 0.03 },
      jaggaerFaults: { seed: 2, statusRates: { 429: 0.03 } },
    });
    const flows = createNavPurchasingFlows({ jaggaer: world.jaggaer, nav: world.nav, mappings: await loadNavPurchasingMappings(), listPageSize: 40 });
    await world.runUntilSettled(flows);
    // Every request went to the endpoint of the version under test.
    expect(world.requests.nav.every((line) => line.includes(version === 'v3' ? '/OData/' : '/ODataV4/'))).toBe(true);
    const headers = world.navSandbox.table('PurchaseHeader');
    const orders = headers.filter((row) => row['Document_Type'] === 'Order' && row['Vendor_Order_No']);
    const expected = world.jaggaerSandbox.purchaseOrders().filter((po) => po.supplierNumber !== 'V00025');
    expect(new Set(orders.map((row) => row['Vendor_Order_No']))).toEqual(new Set(expected.map((po) => po.poNumber)));
    expect(orders).toHaveLength(expected.length);
    const invoices = headers.filter((row) => row['Document_Type'] === 'Invoice');
    expect(invoices.length).toBeGreaterThan(3);
    expect(new Set(invoices.map((row) => row['Vendor_Invoice_No'])).size).toBe(invoices.length);
    // Decimals arrive as strings on v3 and are written back as numbers in NAV.
    const line = world.navSandbox.table('PurchaseLine').find((row) => row['Document_Type'] === 'Invoice')!;
    expect(typeof line['Direct_Unit_Cost']).toBe('number');

    const mark = world.requests.nav.length;
    const again = await world.runUntilSettled(flows);
    expect(again.reduce((sum, s) => sum + s.counts.created + s.counts.updated, 0)).toBe(0);
    expect(world.navWritesSince(mark)).toEqual([]);
  }, 90_000);

  it('dry run: writes nothing anywhere and reports the field-level changes of creates and updates', async () => {
    const world = createNavWorld({ version, invoices: 0 });
    const [orders] = createNavPurchasingFlows({ jaggaer: world.jaggaer, nav: world.nav, mappings: await loadNavPurchasingMappings() });
    const collect = () => {
      const events: RecordEvent[] = [];
      return { events, onEvent: (event: SyncEvent) => event.type === 'record' && events.push(event) };
    };
    const before = world.navSandbox.table('PurchaseHeader').length;
    const first = collect();
    const dry = await world.engine.run(orders!, { dryRun: true, onEvent: first.onEvent });
    expect(dry.dryRun).toBe(true);
    expect(world.navWritesSince(0)).toEqual([]);
    expect(world.navSandbox.table('PurchaseHeader')).toHaveLength(before);
    expect(await world.store.listLedger({ flow: orders!.name, limit: 10 })).toEqual([]);
    const preview = first.events.find((event) => event.outcome === 'dry-run')!;
    expect(preview.changes).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'header.vendorOrderNumber', after: preview.businessIds[0] })]));

    // After a real run, a changed JAGGAER order previews exactly the changed line field.
    await world.engine.run(orders!);
    const po = world.jaggaerSandbox.purchaseOrders().find((order) => order.supplierNumber !== 'V00025' && order.status === 'Open')!;
    const newQuantity = po.lines[0]!.quantity + 5;
    await world.jaggaer.purchaseOrders.upsert({
      poNumber: po.poNumber, supplierNumber: po.supplierNumber,
      lines: po.lines.map((l, i) => ({ lineNumber: l.lineNumber, description: l.description, quantity: i === 0 ? newQuantity : l.quantity, unitPrice: l.unitPrice, coding: l.coding })),
    } as never);
    const mark = world.requests.nav.length;
    const second = collect();
    await world.engine.run(orders!, { dryRun: true, onEvent: second.onEvent });
    expect(world.navWritesSince(mark)).toEqual([]);
    const changed = second.events.find((event) => event.businessIds[0] === po.poNumber)!;
    expect(changed.outcome).toBe('dry-run');
    expect(changed.changes).toEqual([{ path: 'lines[0].quantity', before: po.lines[0]!.quantity, after: newQuantity }]);
  }, 60_000);
});

describe('nav-purchasing: dimensions beyond shortcut 1 and 2', () => {
  it('writes a dimension set up as shortcut 3 through ShortcutDimCode3; without that setting the order goes to review', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nav-dims-'));
    try {
      cpSync(NAV_PURCHASING_MAPPINGS_DIR, dir, { recursive: true });
      const file = join(dir, 'coding-dimension.csv');
      writeFileSync(file, readFileSync(file, 'utf8').replace('project/P-300,PROJECT,P-300', 'project/P-300,AREA,30'));
      const mappings = await loadNavPurchasingMappings(dir);
      const withP300 = (world: ReturnType<typeof createNavWorld>) =>
        world.jaggaerSandbox.purchaseOrders().filter((po) => po.supplierNumber !== 'V00025' && po.status === 'Open' && po.lines.some((l) => l.coding?.project === 'P-300'));

      const plain = createNavWorld({ invoices: 0 });
      const [plainOrders] = createNavPurchasingFlows({ jaggaer: plain.jaggaer, nav: plain.nav, mappings });
      await plain.engine.run(plainOrders!);
      const affected = withP300(plain);
      expect(affected.length).toBeGreaterThan(0);
      const reviews = await plain.engine.reviews({ flow: plainOrders!.name, state: 'open' });
      expect(reviews.filter((item) => item.reason === 'unsupported-dimension').map((item) => item.sourceId).sort()).toEqual(affected.map((po) => po.poNumber).sort());
      expect(reviews.find((item) => item.reason === 'unsupported-dimension')?.detail).toMatch(/AREA is not a shortcut dimension.*NAV_SHORTCUT_DIMENSIONS/);

      for (const version of ['v4', 'v3'] as const) {
        const world = createNavWorld({ version, invoices: 0 });
        const [orders] = createNavPurchasingFlows({ jaggaer: world.jaggaer, nav: world.nav, mappings, shortcuts: { first: 'DEPARTMENT', second: 'PROJECT', more: ['AREA'] } });
        await world.engine.run(orders!);
        const left = await world.engine.reviews({ flow: orders!.name, state: 'open' });
        expect(left.filter((item) => item.reason === 'unsupported-dimension')).toEqual([]);
        const navOrder = world.navSandbox.table('PurchaseHeader').find((row) => row['Vendor_Order_No'] === withP300(world)[0]!.poNumber)!;
        const lines = world.navSandbox.table('PurchaseLine').filter((row) => row['Document_Type'] === 'Order' && row['Document_No'] === navOrder['No']);
        expect(lines.some((row) => row['ShortcutDimCode3'] === '30')).toBe(true);
        // Read back the same: a second run changes nothing.
        const mark = world.requests.nav.length;
        await world.engine.run(orders!);
        expect(world.navWritesSince(mark)).toEqual([]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
