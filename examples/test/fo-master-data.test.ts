import { describe, expect, it } from 'vitest';
import { createFoMasterDataFlows } from '../src/fo-master-data/flows.ts';
import { loadFoInvoiceMappings } from '../src/fo-invoices/mappings.ts';
import { createFoWorld } from './fo-world.ts';

describe('fo-master-data flows', () => {
  it('sends main accounts and dimension values (as coding values) before vendors (as suppliers), and a second run writes nothing', async () => {
    const world = createFoWorld({ invoices: 1, mappings: await loadFoInvoiceMappings() });
    const flows = createFoMasterDataFlows({ financeOperations: world.financeOperations, jaggaer: world.jaggaerClient });
    expect(flows.map((flow) => flow.name)).toEqual(['fo-master-data-accounts', 'fo-master-data-dimension-values', 'fo-master-data-vendors', 'fo-master-data-purchase-orders']);
    const before = JSON.stringify((await world.jaggaerClient.purchaseOrders.list().toArray({ limit: 1000 })).find((po) => po.poNumber === 'PO-00004'));
    const summaries = [];
    for (const flow of flows) summaries.push(await world.engine.run(flow));
    expect(summaries.every((summary) => summary.status === 'completed')).toBe(true);
    const values = world.jaggaerSandbox.codingValues();
    const account = (code: string) => values.find((value) => value.segment === 'account' && value.code === code);
    expect(account('8110')?.active).toBe(true);
    expect(account('8190')?.active).toBe(false); // suspended in F&O: kept, not pickable
    expect(values.some((value) => value.segment === 'department' && value.code === 'ADM')).toBe(true);
    const suppliers = world.jaggaerSandbox.suppliers();
    expect(suppliers.find((supplier) => supplier.supplierNumber === 'V00007')?.status).toBe('INACTIVE'); // on hold (All) in F&O

    const confirmed = world.foSandbox.rows('PurchaseOrderHeadersV2').filter((row) => row['DocumentApprovalStatus'] === 'Confirmed');
    const pushed = await world.jaggaerClient.purchaseOrders.list().toArray({ limit: 1000 });
    expect(confirmed.length).toBeGreaterThan(0);
    const poReviews = await world.engine.reviews({ flow: flows[3]!.name, state: ["open", "retrying"] });
    // JAGGAER refuses PO lines with partial coding (it wants account, department and project): those orders wait in
    // review with JAGGAER's own message; the rest are pushed.
    expect(poReviews.every((item) => item.reason === 'target-rejected' && /coding .* is required/.test(item.detail))).toBe(true);
    expect(summaries[3]!.counts.created).toBeGreaterThan(0);
    expect(summaries[3]!.counts.created + poReviews.length).toBe(confirmed.length);
    // PO-00004 is Approved, not yet confirmed, in F&O: JAGGAER's copy is left as it was.
    expect(JSON.stringify(pushed.find((po) => po.poNumber === 'PO-00004'))).toBe(before);

    for (const flow of flows) {
      const again = await world.engine.run(flow);
      expect(again.counts.created + again.counts.updated, flow.name).toBe(0);
    }
  });
});
