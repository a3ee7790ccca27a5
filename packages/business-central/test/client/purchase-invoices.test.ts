import { afterEach, describe, expect, it } from 'vitest';
import { isConflictError, isInvalidInputError, isValidationError } from '@ml-connector/core';
import { PURCHASE_INVOICE_READ_ONLY_FIELDS, isPaid } from '@ml-connector/business-central';
import { type Harness, createHarness } from './helpers.js';

let h: Harness;
afterEach(() => h?.sandbox.close());

/** A vendor that is not blocked (the client encodes `' '` as `_x0020_`) and has no default dimensions. */
async function setup(vendorNumber = 'V00004') {
  h = createHarness();
  const company = h.client.company(h.sandbox.companyId);
  const vendors = await company.vendors.list({ filter: (f) => f.eq('blocked', ' ') }).toArray({ limit: 50 });
  expect(vendors.every((v) => v.blocked === ' ')).toBe(true);
  const vendor = vendors.find((v) => v.number === vendorNumber)!;
  return { company, vendor };
}

describe('purchaseInvoices', () => {
  it('creates a draft with lines and dimension set lines in one request, stripping read-only fields', async () => {
    const { company, vendor } = await setup();
    const before = h.apiRequests().length;
    const draft = await company.purchaseInvoices.create({
      vendorId: vendor.id,
      vendorInvoiceNumber: 'INV-1001',
      invoiceDate: '2024-03-01',
      status: 'Paid',
      totalAmountIncludingTax: 1,
      dimensionSetLines: [{ code: 'DEPARTMENT', valueCode: 'ADM', displayName: 'ignored' } as never],
      purchaseInvoiceLines: [
        { lineType: 'Account', lineObjectNumber: '8110', description: 'Paper', quantity: 2, unitCost: 10.5, netAmount: 5 } as never,
        {
          lineType: 'Account',
          lineObjectNumber: '8130',
          description: 'Advice',
          quantity: 1,
          unitCost: 100,
          dimensionSetLines: [{ code: 'PROJECT', valueCode: 'P-100' }],
        },
      ],
    } as never);
    expect(h.apiRequests().length - before).toBe(1);
    const sent = JSON.parse(h.apiRequests().at(-1)!.body) as Record<string, unknown>;
    for (const field of PURCHASE_INVOICE_READ_ONLY_FIELDS) expect(sent).not.toHaveProperty(field);
    expect((sent.purchaseInvoiceLines as Record<string, unknown>[])[0]).not.toHaveProperty('netAmount');
    expect((sent.dimensionSetLines as Record<string, unknown>[])[0]).toEqual({ code: 'DEPARTMENT', valueCode: 'ADM' });
    expect(draft).toMatchObject({ status: 'Draft', vendorId: vendor.id, vendorInvoiceNumber: 'INV-1001' });
    expect(isPaid(draft)).toBe(false);

    const lines = await company.purchaseInvoices.lines(draft.id).list({ expand: ['dimensionSetLines'] }).toArray({ limit: 10 });
    expect(lines.map((l) => l.lineObjectNumber)).toEqual(['8110', '8130']);
    expect(lines[0]!.amountExcludingTax).toBe(21);
    // Lines inherit the header's DEPARTMENT and add their own PROJECT; parentType arrives decoded.
    expect(lines[1]!.dimensionSetLines?.map((d) => d.valueCode)).toEqual(['ADM', 'P-100']);
    expect(lines[1]!.dimensionSetLines?.[0]?.parentType).toBe('Purchase Invoice Line');
    const header = await company.purchaseInvoices.get(draft.id, { expand: ['dimensionSetLines'] });
    expect(header.dimensionSetLines?.map((d) => `${d.code}=${d.valueCode}`)).toEqual(['DEPARTMENT=ADM']);
    expect(header.totalAmountExcludingTax).toBe(121);
  });

  it('updates with If-Match, refuses deep updates, and maps a stale etag to ConflictError', async () => {
    const { company, vendor } = await setup();
    const draft = await company.purchaseInvoices.create({ vendorId: vendor.id, vendorInvoiceNumber: 'INV-U' });
    const updated = await company.purchaseInvoices.update(draft.id, { ...draft, vendorInvoiceNumber: 'INV-U2' }, { etag: draft.etag! });
    expect(updated.vendorInvoiceNumber).toBe('INV-U2');
    await expect(company.purchaseInvoices.update(draft.id, { vendorInvoiceNumber: 'x' }, { etag: draft.etag! })).rejects.toSatisfy(isConflictError);
    await expect(company.purchaseInvoices.update(draft.id, { purchaseInvoiceLines: [] }, { etag: updated.etag! })).rejects.toSatisfy(isInvalidInputError);
    await expect(company.purchaseInvoices.update(draft.id, { vendorInvoiceNumber: 'x' }, { etag: '' })).rejects.toMatchObject({ field: 'etag' });
  });

  it('does CRUD on lines under an invoice', async () => {
    const { company, vendor } = await setup();
    const draft = await company.purchaseInvoices.create({ vendorId: vendor.id, vendorInvoiceNumber: 'INV-L' });
    const lines = company.purchaseInvoices.lines(draft.id);
    const line = await lines.create({ lineType: 'Account', lineObjectNumber: '8140', quantity: 3, unitCost: 7, dimensionSetLines: [{ code: 'DEPARTMENT', valueCode: 'IT' }] });
    expect(line).toMatchObject({ documentId: draft.id, amountExcludingTax: 21 });
    expect(await lines.get(line.id)).toMatchObject({ id: line.id });
    const changed = await lines.update(line.id, { ...line, quantity: 4 }, { etag: line.etag! });
    expect(changed.amountExcludingTax).toBe(28);
    await expect(lines.update(line.id, { quantity: 5 }, { etag: line.etag! })).rejects.toSatisfy(isConflictError);
    await lines.delete(line.id);
    expect(await lines.list().toArray({ limit: 5 })).toEqual([]);
  });

  it('posts only when asked; a posted invoice is immutable; paid status is visible', async () => {
    const { company, vendor } = await setup();
    const draft = await company.purchaseInvoices.create({
      vendorId: vendor.id,
      vendorInvoiceNumber: 'INV-POST',
      purchaseInvoiceLines: [{ lineType: 'Account', lineObjectNumber: '8150', quantity: 1, unitCost: 50 }],
    });
    const posts = () => h.apiRequests().filter((r) => r.url.pathname.endsWith('/Microsoft.NAV.post'));
    expect(posts()).toHaveLength(0);
    await company.purchaseInvoices.post(draft.id);
    expect(posts()).toHaveLength(1);
    expect(posts()[0]!.url.pathname).toContain(`purchaseInvoices(${draft.id})/Microsoft.NAV.post`);
    const posted = await company.purchaseInvoices.get(draft.id);
    expect(posted.id).toBe(draft.id);
    expect(posted.status).toBe('Open');
    const error = await company.purchaseInvoices.update(draft.id, { vendorInvoiceNumber: 'changed' }, { etag: posted.etag! }).catch((e: unknown) => e);
    expect(isValidationError(error) || isConflictError(error)).toBe(true);
    await expect(company.purchaseInvoices.lines(draft.id).create({ lineType: 'Account', lineObjectNumber: '8110', quantity: 1, unitCost: 1 })).rejects.toBeDefined();
    h.sandbox.markPaid(draft.id);
    const paid = await company.purchaseInvoices.get(draft.id);
    expect(paid.status).toBe('Paid');
    expect(isPaid(paid)).toBe(true);
    const paidList = await company.purchaseInvoices.list({ filter: (f) => f.eq('status', 'Paid') }).toArray({ limit: 100 });
    expect(paidList.map((i) => i.id)).toContain(draft.id);
  });

  it('finds invoices by vendorInvoiceNumber with quotes, ampersands and other URL characters', async () => {
    const { company, vendor } = await setup();
    const tricky = ["O'Brien & Co #1", "50% off? a+b=c/d", "''", 'plain'];
    for (const number of tricky) await company.purchaseInvoices.create({ vendorId: vendor.id, vendorInvoiceNumber: number });
    for (const number of tricky) {
      const found = await company.purchaseInvoices.findByVendorInvoiceNumber(number, { vendorId: vendor.id });
      expect(found.map((i) => i.vendorInvoiceNumber)).toEqual([number]);
    }
    expect(await company.purchaseInvoices.findByVendorInvoiceNumber("O'Brien", { vendorNumber: vendor.number })).toEqual([]);
    await expect(company.purchaseInvoices.findByVendorInvoiceNumber('x', { vendorId: 'bad' })).rejects.toMatchObject({ field: 'vendorId' });
    await expect(company.purchaseInvoices.findByVendorInvoiceNumber('')).rejects.toSatisfy(isInvalidInputError);
  });

  it('reads purchase orders, their lines and deltas', async () => {
    h = createHarness();
    const company = h.client.company(h.sandbox.companyId);
    const orders = await company.purchaseOrders.list({ expand: ['purchaseOrderLines'] }).toArray({ limit: 100 });
    expect(orders).toHaveLength(20);
    const order = orders.find((o) => (o.purchaseOrderLines?.length ?? 0) > 0)!;
    const lines = await company.purchaseOrders.lines(order.id).list().toArray({ limit: 100 });
    expect(lines.map((l) => l.id)).toEqual(order.purchaseOrderLines!.map((l) => l.id));
    expect(await company.purchaseOrders.lines(order.id).get(lines[0]!.id)).toMatchObject({ documentId: order.id });
    expect(await company.purchaseOrders.get(order.id)).toMatchObject({ number: order.number });
    expect(await company.purchaseOrders.listModifiedSince('2999-01-01T00:00:00Z').toArray({ limit: 5 })).toEqual([]);
  });
});
