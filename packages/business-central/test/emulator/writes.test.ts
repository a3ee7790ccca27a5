import { describe, expect, it } from 'vitest';
import { harness, json, type Collection, type ErrorEnvelope, type Row } from './helpers.js';

const errorOf = async (res: Response) => (await json<ErrorEnvelope>(res)).error;

describe('Business Central sandbox: writes, ETags and business rules', () => {
  it('runs the ETag lifecycle: weak BC-shaped ETags change on update, missing If-Match → 400, stale → 412, * allowed', async () => {
    let clock = Date.UTC(2026, 2, 1);
    const h = await harness({ now: () => clock });
    const vendor = (await json<Collection>(await h.get('/vendors?$top=1'))).value[0] as Row;
    expect(vendor['@odata.etag']).toMatch(/^W\/"[A-Za-z0-9+/=]+"$/);
    expect(Buffer.from(vendor['@odata.etag'].slice(3, -1), 'base64').toString()).toMatch(/^'\d+;\d+;00;'$/);

    const missing = await h.send('PATCH', `/vendors(${vendor.id})`, { displayName: 'No ETag' });
    expect(missing.status).toBe(400);
    expect((await errorOf(missing)).code).toBe('BadRequest_InvalidToken');

    clock += 60_000;
    const ok = await h.send('PATCH', `/vendors(${vendor.id})`, { displayName: 'Renamed' }, { 'if-match': vendor['@odata.etag'] });
    expect(ok.status).toBe(200);
    const updated = await json<Row>(ok);
    expect(updated.displayName).toBe('Renamed');
    expect(updated['@odata.etag']).not.toBe(vendor['@odata.etag']);
    expect(ok.headers.get('etag')).toBe(updated['@odata.etag']);
    expect(updated.lastModifiedDateTime).toBe(new Date(clock).toISOString());

    const stale = await h.send('PATCH', `/vendors(${vendor.id})`, { displayName: 'Stale' }, { 'if-match': vendor['@odata.etag'] });
    expect(stale.status).toBe(412);
    expect((await errorOf(stale)).code).toBe('Request_EntityChanged');

    const star = await h.send('PATCH', `/vendors(${vendor.id})`, { phoneNumber: '555-0000' }, { 'if-match': '*' });
    expect(star.status).toBe(200);
  });

  it('rejects writes to read-only entities and read-only or unknown fields', async () => {
    const h = await harness();
    const account = (await json<Collection>(await h.get('/accounts?$top=1'))).value[0] as Row;
    for (const [method, path] of [
      ['POST', '/accounts'],
      ['PATCH', `/accounts(${account.id})`],
      ['DELETE', `/accounts(${account.id})`],
      ['POST', '/dimensions'],
      ['POST', '/dimensionValues'],
      ['POST', `${h.base}/companies`],
    ] as const) {
      const res = await h.send(method, path, method === 'DELETE' ? undefined : { displayName: 'x' }, { 'if-match': '*' });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect((await errorOf(res)).code).toBe('BadRequest_MethodNotAllowed');
    }
    const ro = await h.send('POST', '/vendors', { displayName: 'X', balance: 10 });
    expect(ro.status).toBe(400);
    expect((await errorOf(ro)).code).toBe('BadRequest_InvalidOperation');
    const vendor = (await json<Collection>(await h.get('/vendors?$top=1'))).value[0] as Row;
    const roPatch = await h.send('PATCH', `/vendors(${vendor.id})`, { lastModifiedDateTime: '2020-01-01T00:00:00Z' }, { 'if-match': '*' });
    expect((await errorOf(roPatch)).code).toBe('BadRequest_InvalidOperation');
    const unknown = await h.send('POST', '/vendors', { displayName: 'X', favouriteColour: 'red' });
    expect(unknown.status).toBe(400);
    expect((await errorOf(unknown)).code).toBe('BadRequest');
    const tooLong = await h.send('POST', '/vendors', { displayName: 'x'.repeat(101) });
    expect((await errorOf(tooLong)).code).toBe('Application_StringExceededLength');
    const option = await h.send('POST', '/vendors', { displayName: 'x', blocked: 'Sometimes' });
    expect((await errorOf(option)).message).toContain("'Sometimes' is not an option");
  });

  it('creates vendors with 201, Location and the next number; duplicate numbers are rejected', async () => {
    const h = await harness({ size: { vendors: 4, invoices: 0, purchaseOrders: 0 } });
    const res = await h.send('POST', '/vendors', { displayName: 'New Vendor LLC' });
    expect(res.status).toBe(201);
    const vendor = await json<Row>(res);
    expect(vendor.number).toBe('V00005');
    expect(res.headers.get('location')).toBe(`${h.company}/vendors(${vendor.id})`);
    expect((await h.get(res.headers.get('location') as string)).status).toBe(200);
    const dup = await h.send('POST', '/vendors', { number: 'V00001', displayName: 'Dup' });
    expect((await errorOf(dup)).code).toBe('Internal_EntityWithSameKeyExists');
  });

  it('deep-inserts an invoice with lines and dimensions and computes amounts and totals', async () => {
    const h = await harness();
    const res = await h.send('POST', '/purchaseInvoices?$expand=purchaseInvoiceLines($expand=dimensionSetLines),dimensionSetLines', {
      vendorNumber: 'V00004',
      vendorInvoiceNumber: 'INV-777',
      invoiceDate: '2026-03-01',
      dimensionSetLines: [{ code: 'PROJECT', valueCode: 'P-200' }],
      purchaseInvoiceLines: [
        { lineType: 'Account', lineObjectNumber: '8110', quantity: 3, unitCost: 12.5, dimensionSetLines: [{ code: 'DEPARTMENT', valueCode: 'IT' }] },
        { lineType: 'Account', lineObjectNumber: '8130', quantity: 2, unitCost: 100, discountPercent: 10 },
        { lineType: 'Comment', description: 'Thanks' },
      ],
    });
    expect(res.status).toBe(201);
    const invoice = await json<Row & { purchaseInvoiceLines: Row[]; dimensionSetLines: Row[] }>(res);
    expect(invoice).toMatchObject({ status: 'Draft', vendorNumber: 'V00004', dueDate: '2026-03-31', totalAmountExcludingTax: 217.5, totalAmountIncludingTax: 217.5, shortcutDimension2Code: 'P-200' });
    expect(invoice.number).toMatch(/^PI-\d{6}$/);
    expect(invoice.vendorName).toBe(h.sandbox.db.vendors.all()[3]?.displayName);
    const [l1, l2, l3] = invoice.purchaseInvoiceLines;
    expect(l1).toMatchObject({ sequence: 10000, amountExcludingTax: 37.5, description: 'Office Supplies', documentId: invoice.id });
    expect(l1?.accountId).toBe(h.sandbox.db.accounts.all().find((a) => a.number === '8110')?.id);
    // The line inherits the header's PROJECT and adds its own DEPARTMENT.
    expect((l1?.dimensionSetLines as unknown as Row[]).map((d) => d.code)).toEqual(['PROJECT', 'DEPARTMENT']);
    expect((l1?.dimensionSetLines as unknown as Row[])[1]).toMatchObject({ code: 'DEPARTMENT', valueCode: 'IT', parentType: 'Purchase_x0020_Invoice_x0020_Line', displayName: 'Department' });
    expect(l2).toMatchObject({ discountAmount: 20, amountExcludingTax: 180 });
    expect(l3).toMatchObject({ lineType: 'Comment', amountExcludingTax: 0 });
    expect(invoice.dimensionSetLines[0]).toMatchObject({ code: 'PROJECT', valueCode: 'P-200', parentId: invoice.id });

    // Adding a line through the nested endpoint changes the header totals and its ETag.
    const before = invoice['@odata.etag'];
    const add = await h.send('POST', `/purchaseInvoices(${invoice.id})/purchaseInvoiceLines`, { accountId: l1?.accountId, quantity: 1, unitCost: 2.5 });
    expect(add.status).toBe(201);
    expect((await json<Row>(add)).lineType).toBe('Account');
    const header = await json<Row>(await h.get(`/purchaseInvoices(${invoice.id})`));
    expect(header.totalAmountExcludingTax).toBe(220);
    expect(header['@odata.etag']).not.toBe(before);
  });

  it('rejects unknown vendors and unknown, blocked, heading and non-direct-posting accounts (nothing is created)', async () => {
    const h = await harness();
    const count = () => h.sandbox.db.purchaseInvoices.size;
    const start = count();
    const line = (lineObjectNumber: string) => ({ vendorNumber: 'V00001', purchaseInvoiceLines: [{ lineType: 'Account', lineObjectNumber, quantity: 1, unitCost: 1 }] });
    const cases: [unknown, string, RegExp][] = [
      [{ vendorNumber: 'V99999' }, 'Application_DialogException', /^The vendor cannot be found\./],
      [{ vendorId: '11111111-2222-4333-8444-555555555555' }, 'Application_DialogException', /^The vendor cannot be found\./],
      [{}, 'Application_DialogException', /^A "vendorNumber" or a "vendorID" must be provided\./],
      [{ vendorNumber: 'V00024' }, 'Application_DialogException', /Vendor V00024 is blocked with type All/],
      [line('9999'), 'Application_DialogException', /^Account does not exist\./],
      [line('8190'), 'Application_FieldValidationException', /Blocked must be equal to 'No'/],
      [line('8100'), 'Application_FieldValidationException', /Account Type must be equal to 'Posting'/],
      [line('2110'), 'Application_FieldValidationException', /Direct Posting must be equal to 'Yes'/],
      [{ vendorNumber: 'V00001', purchaseInvoiceLines: [{ lineType: 'Account', accountId: '11111111-2222-4333-8444-555555555555' }] }, 'Application_DialogException', /^Account does not exist\./],
      [{ vendorNumber: 'V00001', purchaseInvoiceLines: [{ lineObjectNumber: '8110', quantity: 1 }] }, 'Internal_RecordNotFound', /Standard Text/],
      [{ vendorNumber: 'V00004', dimensionSetLines: [{ code: 'DEPARTMENT', valueCode: 'NOPE' }] }, 'Application_DialogException', /^The "valueCode" does not match to a Dimension Value\./],
      [{ vendorNumber: 'V00004', currencyCode: 'XYZ' }, 'Application_DialogException', /^The "currencyCode" does not match to a Currency\./],
    ];
    for (const [body, code, message] of cases) {
      const res = await h.send('POST', '/purchaseInvoices', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const error = await errorOf(res);
      expect(error.code, JSON.stringify(body)).toBe(code);
      expect(error.message).toMatch(message);
    }
    expect(count()).toBe(start);
    expect(h.sandbox.db.purchaseInvoiceLines.all().every((l) => l.lineObjectNumber !== '9999' && l.lineObjectNumber !== '8190')).toBe(true);
  });

  it('posts a draft invoice: 204, same id, posted number, Open, then immutable; paid status via test hook', async () => {
    const h = await harness();
    const created = await json<Row>(
      await h.send('POST', '/purchaseInvoices', { vendorNumber: 'V00003', vendorInvoiceNumber: 'X-1', purchaseInvoiceLines: [{ lineType: 'Account', lineObjectNumber: '8150', quantity: 2, unitCost: 50 }] }),
    );
    const balanceBefore = h.sandbox.db.vendors.get(created.vendorId as string)?.balance as number;
    const post = await h.send('POST', `/purchaseInvoices(${created.id})/Microsoft.NAV.post`);
    expect(post.status).toBe(204);
    const posted = await json<Row>(await h.get(`/purchaseInvoices(${created.id})`));
    expect(posted).toMatchObject({ id: created.id, status: 'Open', totalAmountIncludingTax: 100 });
    expect(posted.number).toMatch(/^PPI-\d{6}$/);
    expect(h.sandbox.db.vendors.get(created.vendorId as string)?.balance).toBe(balanceBefore + 100);

    const patch = await h.send('PATCH', `/purchaseInvoices(${created.id})`, { vendorInvoiceNumber: 'changed' }, { 'if-match': '*' });
    expect(patch.status).toBe(400);
    expect((await errorOf(patch)).code).toBe('Application_DialogException');
    expect((await h.send('DELETE', `/purchaseInvoices(${created.id})`)).status).toBe(400);
    const line = (await json<Collection>(await h.get(`/purchaseInvoices(${created.id})/purchaseInvoiceLines`))).value[0] as Row;
    expect((await h.send('PATCH', `/purchaseInvoiceLines(${line.id})`, { quantity: 5 }, { 'if-match': '*' })).status).toBe(400);
    expect((await h.send('POST', `/purchaseInvoices(${created.id})/Microsoft.NAV.post`)).status).toBe(400);

    h.sandbox.markPaid(created.id);
    const paid = await json<Collection>(await h.get(`/purchaseInvoices?$filter=id eq ${created.id}&$select=status`));
    expect(paid.value[0]?.status).toBe('Paid');
  });

  it('applies BC posting checks: vendor invoice number, something to post, duplicate vendor invoice number', async () => {
    const h = await harness();
    const make = async (body: Record<string, unknown>) => json<Row>(await h.send('POST', '/purchaseInvoices', { vendorNumber: 'V00004', ...body }));
    const noVendorInvoice = await make({ purchaseInvoiceLines: [{ lineType: 'Account', lineObjectNumber: '8110', quantity: 1, unitCost: 1 }] });
    expect((await errorOf(await h.send('POST', `/purchaseInvoices(${noVendorInvoice.id})/Microsoft.NAV.post`))).message).toMatch(/Vendor Invoice No\./);
    const empty = await make({ vendorInvoiceNumber: 'E-1' });
    expect((await errorOf(await h.send('POST', `/purchaseInvoices(${empty.id})/Microsoft.NAV.post`))).message).toMatch(/nothing to post/);
    const a = await make({ vendorInvoiceNumber: 'DUP-1', purchaseInvoiceLines: [{ lineType: 'Account', lineObjectNumber: '8110', quantity: 1, unitCost: 1 }] });
    const b = await make({ vendorInvoiceNumber: 'DUP-1', purchaseInvoiceLines: [{ lineType: 'Account', lineObjectNumber: '8110', quantity: 1, unitCost: 1 }] });
    expect((await h.send('POST', `/purchaseInvoices(${a.id})/Microsoft.NAV.post`)).status).toBe(204);
    const dup = await h.send('POST', `/purchaseInvoices(${b.id})/Microsoft.NAV.post`);
    expect((await errorOf(dup)).message).toMatch(/already exists for this vendor/);
    h.sandbox.setAccountBlocked('8110', true);
    const c = await make({ vendorInvoiceNumber: 'C-1', purchaseInvoiceLines: [{ lineType: 'Account', lineObjectNumber: '8120', quantity: 1, unitCost: 1 }] });
    h.sandbox.setAccountBlocked('8120', true);
    expect((await errorOf(await h.send('POST', `/purchaseInvoices(${c.id})/Microsoft.NAV.post`))).code).toBe('Application_FieldValidationException');
    expect(() => h.sandbox.markPaid(c.id)).toThrow(/Only Open/);
  });

  it('patches draft invoices and lines, recomputing amounts; deletes drafts', async () => {
    let clock = Date.UTC(2026, 4, 1);
    const h = await harness({ now: () => clock });
    const inv = await json<Row & { purchaseInvoiceLines: Row[] }>(
      await h.send('POST', '/purchaseInvoices?$expand=purchaseInvoiceLines', { vendorNumber: 'V00001', purchaseInvoiceLines: [{ lineType: 'Account', lineObjectNumber: '8140', quantity: 1, unitCost: 10 }] }),
    );
    const line = inv.purchaseInvoiceLines[0] as Row;
    clock += 1000;
    const patched = await h.send('PATCH', `/purchaseInvoices(${inv.id})/purchaseInvoiceLines(${line.id})`, { quantity: 4, lineObjectNumber: '8140' }, { 'if-match': line['@odata.etag'] });
    expect(patched.status).toBe(200);
    expect(await json<Row>(patched)).toMatchObject({ quantity: 4, amountExcludingTax: 40, lineObjectNumber: '8140' });
    const bad = await h.send('PATCH', `/purchaseInvoiceLines(${line.id})`, { lineObjectNumber: '8190' }, { 'if-match': '*' });
    expect(await errorOf(bad)).toMatchObject({ code: 'Application_DialogException', message: expect.stringMatching(/^The value for "lineObjectNumber" cannot be modified\./) });
    const header = await json<Row>(await h.get(`/purchaseInvoices(${inv.id})`));
    expect(header.totalAmountExcludingTax).toBe(40);
    expect(header.lastModifiedDateTime).toBe(new Date(clock).toISOString());
    const vendorChange = await h.send('PATCH', `/purchaseInvoices(${inv.id})`, { vendorNumber: 'V00002', shortcutDimension1Code: 'SALES' }, { 'if-match': header['@odata.etag'] });
    expect(await json<Row>(vendorChange)).toMatchObject({ vendorNumber: 'V00002', payToVendorNumber: 'V00002', shortcutDimension1Code: 'SALES' });
    expect((await h.send('DELETE', `/purchaseInvoices(${inv.id})`)).status).toBe(204);
    expect(h.sandbox.db.purchaseInvoiceLines.get(line.id)).toBeUndefined();
  });

  it('creates purchase orders with lines', async () => {
    const h = await harness({ size: { vendors: 5, invoices: 0, purchaseOrders: 3 } });
    const res = await h.send('POST', '/purchaseOrders?$expand=purchaseOrderLines', { vendorNumber: 'V00005', purchaseOrderLines: [{ lineType: 'Account', lineObjectNumber: '8170', quantity: 3, directUnitCost: 7 }] });
    expect(res.status).toBe(201);
    const order = await json<Row & { purchaseOrderLines: Row[] }>(res);
    expect(order).toMatchObject({ number: 'PO-00004', status: 'Draft', totalAmountExcludingTax: 21 });
    expect(order.purchaseOrderLines[0]).toMatchObject({ amountExcludingTax: 21, receivedQuantity: 0 });
  });
});
