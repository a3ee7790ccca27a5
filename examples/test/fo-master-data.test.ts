import { describe, expect, it } from 'vitest';
import { createFoMasterDataFlows } from '../src/fo-master-data/flows.ts';
import { loadFoInvoiceMappings } from '../src/fo-invoices/mappings.ts';
import { createFoWorld } from './fo-world.ts';

describe('fo-master-data flows', () => {
  it('sends main accounts and dimension values (as coding values) before vendors (as suppliers), and a second run writes nothing', async () => {
    const world = createFoWorld({ invoices: 1, mappings: await loadFoInvoiceMappings() });
    const flows = createFoMasterDataFlows({ financeOperations: world.financeOperations, jaggaer: world.jaggaerClient });
    expect(flows.map((flow) => flow.name)).toEqual(['fo-master-data-accounts', 'fo-master-data-dimension-values', 'fo-master-data-vendors']);
    for (const flow of flows) expect((await world.engine.run(flow)).status).toBe('completed');
    const values = world.jaggaerSandbox.codingValues();
    const account = (code: string) => values.find((value) => value.segment === 'account' && value.code === code);
    expect(account('8110')?.active).toBe(true);
    expect(account('8190')?.active).toBe(false); // suspended in F&O: kept, not pickable
    expect(values.some((value) => value.segment === 'department' && value.code === 'ADM')).toBe(true);
    const suppliers = world.jaggaerSandbox.suppliers();
    expect(suppliers.find((supplier) => supplier.supplierNumber === 'V00007')?.status).toBe('INACTIVE'); // on hold (All) in F&O

    for (const flow of flows) {
      const again = await world.engine.run(flow);
      expect(again.counts.created + again.counts.updated, flow.name).toBe(0);
    }
  });
});
