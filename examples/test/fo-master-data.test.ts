import { describe, expect, it } from 'vitest';
import { EMULATOR_FO_DATA_PROJECTS, FO_PURCHASE_ORDERS_FLOW, createFoMasterDataFlows } from '../src/fo-master-data/flows.ts';
import type { FoPackageProgress } from '../src/fo-master-data/source.ts';
import { loadFoInvoiceMappings } from '../src/fo-invoices/mappings.ts';
import { createFoWorld } from './fo-world.ts';

async function masterDataWorld(options: { bulkThreshold?: number; dataProjects?: boolean } = {}) {
  const world = createFoWorld({ invoices: 1, mappings: await loadFoInvoiceMappings() });
  // The world's clock stands still: export jobs finish at once.
  world.foSandbox.dataManagement.executionMs = 0;
  const progress: FoPackageProgress[] = [];
  const flows = createFoMasterDataFlows({
    financeOperations: world.financeOperations,
    jaggaer: world.jaggaerClient,
    ...(options.dataProjects === false ? {} : { dataProjects: EMULATOR_FO_DATA_PROJECTS }),
    bulkThreshold: options.bulkThreshold ?? 20,
    pageSize: 7,
    wait: { pollMs: 1 },
    onProgress: (p) => progress.push(p),
  });
  const runAll = async () => {
    const summaries = [];
    for (const flow of flows) summaries.push(await world.engine.run(flow));
    return summaries;
  };
  return { world, flows, progress, runAll };
}

describe('fo-master-data flows', () => {
  it('sends accounts and dimension values (coding values) before vendors (suppliers), released products (catalog items) and confirmed orders with their line coding', async () => {
    const { world, flows, runAll } = await masterDataWorld();
    expect(flows.map((flow) => flow.name)).toEqual(['fo-master-data-accounts', 'fo-master-data-dimension-values', 'fo-master-data-vendors', 'fo-master-data-catalog-items', FO_PURCHASE_ORDERS_FLOW]);
    const before = JSON.stringify(world.jaggaerSandbox.purchaseOrder('PO-00004'));
    const summaries = await runAll();
    expect(summaries.every((summary) => summary.status === 'completed')).toBe(true);
    const values = world.jaggaerSandbox.codingValues();
    const account = (code: string) => values.find((value) => value.segment === 'account' && value.code === code);
    expect(account('8110')?.active).toBe(true);
    expect(account('8190')?.active).toBe(false); // suspended in F&O: kept, not pickable
    expect(values.some((value) => value.segment === 'department' && value.code === 'ADM')).toBe(true);
    expect(values.some((value) => value.code === 'DE-P1')).toBe(false); // another company's own value
    const suppliers = world.jaggaerSandbox.suppliers();
    expect(suppliers.find((supplier) => supplier.supplierNumber === 'V00007')?.status).toBe('INACTIVE'); // on hold (All) in F&O

    // Released products become catalog items at their purchase price.
    const products = world.foSandbox.rows('ReleasedProductsV2').filter((row) => row['dataAreaId'] === 'usmf');
    const items = world.jaggaerSandbox.catalogItems();
    expect(items).toHaveLength(products.length);
    const product = products[4]!;
    expect(items.find((item) => item.itemNumber === product['ItemNumber'])).toMatchObject({ description: product['ProductName'], price: product['PurchasePrice'], currency: 'USD', unitOfMeasure: 'EA', category: 'Office supplies' });

    // Confirmed orders carry each line's main account and default dimensions as JAGGAER coding.
    const confirmed = world.foSandbox.rows('PurchaseOrderHeadersV2').filter((row) => row['DocumentApprovalStatus'] === 'Confirmed');
    const foLines = world.foSandbox.rows('PurchaseOrderLinesV2');
    const reviews = await world.engine.reviews({ flow: FO_PURCHASE_ORDERS_FLOW, state: ['open', 'retrying'] });
    // Lines whose default dimension has no Project cannot be coded completely in JAGGAER: review, nothing sent.
    expect(reviews.map((item) => item.sourceId).sort()).toEqual(['PO-00007', 'PO-00014']);
    expect(reviews.every((item) => item.reason === 'incomplete-coding' && /has no project/.test(item.detail))).toBe(true);
    expect(summaries[4]!.counts.created + reviews.length).toBe(confirmed.length);
    const pushed = world.jaggaerSandbox.purchaseOrder('PO-00001')!;
    const sourceLines = foLines.filter((line) => line['PurchaseOrderNumber'] === 'PO-00001');
    expect(pushed.lines).toHaveLength(sourceLines.length);
    for (const line of sourceLines) {
      const [department, ...project] = String(line['DefaultLedgerDimensionDisplayValue']).split('-');
      expect(pushed.lines.find((l) => l.lineNumber === line['LineNumber'])?.coding).toEqual({ account: line['MainAccountIdDisplayValue'], department, project: project.join('-') });
    }
    // PO-00004 is Approved, not yet confirmed, in F&O: JAGGAER's copy is left as it was.
    expect(JSON.stringify(world.jaggaerSandbox.purchaseOrder('PO-00004'))).toBe(before);
  });

  it('loads large entities through the package API first, small ones over OData, and later runs read only what changed', async () => {
    const { world, flows, progress, runAll } = await masterDataWorld({ bulkThreshold: 20 });
    const first = await runAll();
    // 25 vendors, 30 products and 20 orders reach the threshold: package; 10 accounts and the dimension values: OData.
    const paths = (stream: string) => new Set(progress.filter((p) => p.stream === stream && p.phase === 'records').map((p) => p.path));
    expect(paths('vendors')).toEqual(new Set(['package']));
    expect(paths('purchaseOrders')).toEqual(new Set(['package']));
    expect(paths('releasedProducts')).toEqual(new Set(['package']));
    expect(first[3]!.counts).toMatchObject({ read: 30, created: 30 });
    expect(paths('mainAccounts').size).toBe(0);
    expect(first[2]!.counts.read).toBe(25);
    expect(progress.some((p) => p.stream === 'vendors' && p.phase === 'download' && (p.bytes ?? 0) > 0)).toBe(true);

    // Nothing changed in F&O: the incremental exports are empty, nothing is read or written.
    progress.length = 0;
    const second = await runAll();
    for (const summary of second) {
      expect(summary.counts.read, summary.flow).toBe(0);
      expect(summary.counts.created + summary.counts.updated, summary.flow).toBe(0);
    }
    expect(paths('vendors')).toEqual(new Set(['package-delta']));

    // A vendor renamed and an order confirmed in F&O: the next run reads those two records and writes them.
    const usmf = world.financeOperations.legalEntity('usmf');
    const vendor = await usmf.vendors.get({ VendorAccountNumber: 'V00003' });
    await usmf.vendors.update(vendor, { VendorOrganizationName: 'Renamed Supplier' }, { etag: vendor.etag! });
    await world.foSandbox.confirmPurchaseOrder('usmf', 'PO-00008');
    const third = await runAll();
    expect(third[2]!.counts).toMatchObject({ read: 1, updated: 1 });
    expect(third[4]!.counts.read).toBe(1);
    expect(third[4]!.counts.created + third[4]!.counts.updated).toBe(1);
    expect(world.jaggaerSandbox.suppliers().find((s) => s.supplierNumber === 'V00003')?.companyName).toBe('Renamed Supplier');
    expect(world.jaggaerSandbox.purchaseOrder('PO-00008')?.lines.every((line) => line.coding?.account)).toBe(true);
    expect(third[0]!.counts.read + third[1]!.counts.read + third[3]!.counts.read).toBe(0);
    void flows;
  });

  it('resumes an interrupted package read from the same export, not a new one that would miss its records', async () => {
    const { world, flows, runAll } = await masterDataWorld({ bulkThreshold: 20 });
    await runAll();
    const usmf = world.financeOperations.legalEntity('usmf');
    for (const number of ['V00002', 'V00004', 'V00006', 'V00008', 'V00010', 'V00012', 'V00014', 'V00016', 'V00018', 'V00020']) {
      const vendor = await usmf.vendors.get({ VendorAccountNumber: number });
      await usmf.vendors.update(vendor, { VendorOrganizationName: `Changed ${number}` }, { etag: vendor.etag! });
    }
    // The run stops after the first page of the delta (7 of 10 records).
    const stopped = await world.engine.run(flows[2]!, { maxRecords: 7 });
    expect(stopped.counts.updated).toBe(7);
    const resumed = await world.engine.run(flows[2]!);
    expect(resumed.counts.updated).toBe(3);
    expect(world.jaggaerSandbox.suppliers().filter((s) => s.companyName.startsWith('Changed '))).toHaveLength(10);
  });

  it('reads every run whole over OData without data projects, and writes nothing the second time', async () => {
    const { flows, world, runAll } = await masterDataWorld({ dataProjects: false });
    await runAll();
    const second = await runAll();
    for (const summary of second) expect(summary.counts.created + summary.counts.updated, summary.flow).toBe(0);
    expect(second[2]!.counts.read).toBe(25);
    expect(world.foSandbox.dataManagement.exportedCount('none')).toBeUndefined();
    void flows;
  });
});
