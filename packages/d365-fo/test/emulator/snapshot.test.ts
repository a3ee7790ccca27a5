import { describe, expect, it } from 'vitest';
import { createFinanceOperationsSandbox } from '@ml-connector/d365-fo/testing';
import { call, sandboxToken } from '../helpers.js';

const header = (invoiceNumber: string) => ({ dataAreaId: 'usmf', InvoiceNumber: invoiceNumber, VendorAccount: 'V00004', InvoiceDate: '2026-01-05T00:00:00Z', Currency: 'USD' });
const line = (ref: string) => ({ dataAreaId: 'usmf', HeaderReference: ref, InvoiceLineNumber: 1, ReceiveNow: 1, UnitPrice: 10, Amount: 10, MainAccountDisplayValue: '8110-ADM' });

describe('F&O sandbox: snapshot and restore', () => {
  it('restores records, posted invoices, ETags and the number sequences from a JSON snapshot', async () => {
    const first = createFinanceOperationsSandbox();
    const token = await sandboxToken(first);
    const a = (await (await call(first, token, 'POST', 'VendorInvoiceHeaders', header('SNAP-1'))).json()) as { HeaderReference: string };
    expect((await call(first, token, 'POST', 'VendorInvoiceLines', line(a.HeaderReference))).status).toBe(201);
    const b = (await (await call(first, token, 'POST', 'VendorInvoiceHeaders', header('SNAP-2'))).json()) as { HeaderReference: string };
    const voucher = await first.postInvoice('usmf', a.HeaderReference);

    const second = createFinanceOperationsSandbox({ data: JSON.parse(JSON.stringify(first.snapshot())) });
    expect(second.rows('VendorInvoiceHeaders')).toEqual(first.rows('VendorInvoiceHeaders'));
    expect(second.rows('VendInvoiceJourBiEntities').find((r) => r.LedgerVoucher === voucher)).toMatchObject({ InvoiceId: 'SNAP-1' });
    const token2 = await sandboxToken(second);
    const c = (await (await call(second, token2, 'POST', 'VendorInvoiceHeaders', header('SNAP-3'))).json()) as { HeaderReference: string };
    expect([a.HeaderReference, b.HeaderReference]).not.toContain(c.HeaderReference);
    expect((await call(second, token2, 'POST', 'VendorInvoiceLines', line(b.HeaderReference))).status).toBe(201);
    expect(await second.postInvoice('usmf', b.HeaderReference)).not.toBe(voucher);
  });
});
