import { describe, expect, it } from 'vitest';
import { seedSupplierNumber } from '@ml-connector/oracle-fusion/testing';
import { createHarness } from '../helpers.js';

describe('Oracle Fusion sandbox: snapshot and restore', () => {
  it('restores records created through the API with their ETags; new ids continue after the restored ones', async () => {
    const first = createHarness();
    const supplier = await first.client.suppliers.findOne((q) => q.eq('SupplierNumber', seedSupplierNumber(4)));
    const invoice = (n: string) => ({ InvoiceNumber: n, InvoiceCurrency: 'USD', InvoiceAmount: 21, InvoiceDate: '2026-01-15', BusinessUnit: 'US01', Supplier: supplier?.Supplier ?? '', SupplierSite: 'US01-MAIN', invoiceLines: [{ LineNumber: 1, LineType: 'Item', LineAmount: 21, DistributionCombination: '101.ADM.8110.000' }] });
    const created = await first.client.invoices.create(invoice('SNAP-1'));
    const updated = await first.client.invoices.update(created, { Description: 'before restart' });

    const second = createHarness({ data: JSON.parse(JSON.stringify(first.sandbox.snapshot())) });
    expect(second.sandbox.store.rows('invoices')).toEqual(first.sandbox.store.rows('invoices'));
    const found = await second.client.invoices.findByNumber(supplier?.SupplierNumber ?? '', 'SNAP-1');
    expect(found).toMatchObject({ InvoiceId: created.InvoiceId, Description: 'before restart' });
    // The ETag survives (versions are in the snapshot): an update with the old representation still applies.
    expect((await second.client.invoices.update(updated, { Description: 'after restart' })).Description).toBe('after restart');
    const next = await second.client.invoices.create(invoice('SNAP-2'));
    expect(next.InvoiceId).toBeGreaterThan(created.InvoiceId as number);
  });
});
