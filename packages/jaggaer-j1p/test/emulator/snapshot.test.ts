import { describe, expect, it } from 'vitest';
import { createJaggaerSandbox } from '@ml-connector/jaggaer-j1p/testing';
import { P, invoicePath, setup } from './helpers.js';

const ocrInvoice = (supplierInvoiceNumber: string) => ({
  batchId: 'batch-snap',
  invoiceOcr: {
    invoiceOcrHeader: { supplierInvoiceNumber, invoiceType: 'Invoice', invoiceDate: '2026-01-23T00:00:00.000Z', supplier: { supplierNumber: 'V00002' }, businessUnit: { internalName: 'US01' } },
    invoiceOcrLineList: { invoiceOcrLine: [{ lineNumber: 1, ocrItem: { description: 'Toner' }, quantity: 2, unitPrice: { currency: 'USD', money: 10.5 } }] },
  },
});
const company = (operationCode: string, info: Record<string, unknown>) => ({ company: { operationCode, companyInfo: info } });

describe('JAGGAER sandbox: snapshot and restore', () => {
  it('restores suppliers and invoices created through the API; new ids continue after the restored ones', async () => {
    const first = await setup();
    const supplier = await first.json(await first.send('POST', P.companyProfiles, company('CREATE', { extCode: 'V00900', companyName: 'Snapshot LLC', type: 'SELLER' })));
    const invoice = await first.json(await first.send('POST', P.invoiceOcrImport, ocrInvoice('SNAP-1')));
    first.sandbox.approveInvoice(invoice.invoiceId);

    const snapshot = JSON.parse(JSON.stringify(first.sandbox.snapshot()));
    const second = await setup({ data: snapshot });
    expect(second.sandbox.supplier('V00900')).toMatchObject({ bravoId: supplier.bravoId, companyName: 'Snapshot LLC' });
    expect(second.sandbox.invoice(invoice.invoiceId)).toEqual(first.sandbox.invoice(invoice.invoiceId));
    expect(second.sandbox.invoice(invoice.invoiceId)?.workflowStatus).toBe('Approved');
    const body = await second.json(await second.get(invoicePath(invoice.invoiceId)));
    expect(body.header.supplierInvoiceNumber).toBe('SNAP-1');

    const next = await second.json(await second.send('POST', P.invoiceOcrImport, ocrInvoice('SNAP-2')));
    expect(next.invoiceId).toBeGreaterThan(invoice.invoiceId);
    const again = await second.json(await second.send('POST', P.companyProfiles, company('CREATE', { extCode: 'V00901', companyName: 'Next LLC', type: 'SELLER' })));
    expect(again.bravoId).toBeGreaterThan(supplier.bravoId);
    const numbers = second.sandbox.invoices().map((i) => i.invoiceNumber);
    expect(new Set(numbers).size).toBe(numbers.length);
  });

  it('a snapshot is a deep copy and loads into an identical sandbox', () => {
    const sandbox = createJaggaerSandbox({ seed: 5, size: { invoices: 20 } });
    const snapshot = sandbox.snapshot();
    snapshot.suppliers[0]!.companyName = 'mutated';
    expect(sandbox.suppliers()[0]!.companyName).not.toBe('mutated');
    const copy = createJaggaerSandbox({ data: JSON.parse(JSON.stringify(sandbox.snapshot())) });
    expect(copy.invoices()).toEqual(sandbox.invoices());
    expect(copy.snapshot()).toEqual(sandbox.snapshot());
  });
});
