import { describe, expect, it } from 'vitest';
import { harness, json, type Collection, type ErrorEnvelope, type Row } from './helpers.js';

// Messages are verbatim from microsoft/BCApps (APIV2 pages and PurchInvAggregator.Codeunit.al); see AL_MESSAGES.
const errorOf = async (res: Response) => (await json<ErrorEnvelope>(res)).error;
const dialog = (message: string) => ({ code: 'Application_DialogException', message: expect.stringContaining(message) });
const line = (lineObjectNumber: string, extra: Record<string, unknown> = {}) => ({ lineType: 'Account', lineObjectNumber, quantity: 1, unitCost: 10, ...extra });

describe('Business Central sandbox: rules of the API v2.0 AL pages', () => {
  it('refuses to list purchase invoice and order lines without a parent id', async () => {
    const h = await harness();
    for (const set of ['purchaseInvoiceLines', 'purchaseOrderLines']) {
      const res = await h.get(`/${set}`);
      expect(res.status).toBe(400);
      expect(await errorOf(res)).toMatchObject(dialog('You must specify an Id or a Document Id to get the lines.'));
    }
    const invoice = h.sandbox.db.purchaseInvoices.all()[0] as Row;
    const byFilter = await h.get(`/purchaseInvoiceLines?$filter=documentId eq ${invoice.id}`);
    expect(byFilter.status).toBe(200);
    expect((await json<Collection>(byFilter)).value.every((l) => l.documentId === invoice.id)).toBe(true);
    expect((await h.get(`/purchaseInvoices(${invoice.id})/purchaseInvoiceLines`)).status).toBe(200);
  });

  it('copies vendor default dimensions onto new documents, so a second dimension set line POST collides', async () => {
    const h = await harness();
    const vendor = h.sandbox.db.vendors.all().find((v) => v.number === 'V00001') as Row;
    const defaults = await json<Collection>(await h.get(`/vendors(${vendor.id})/defaultDimensions`));
    expect(defaults.value).toEqual([expect.objectContaining({ dimensionCode: 'DEPARTMENT', dimensionValueCode: 'ADM', parentType: 'Vendor', postingValidation: 'Code_x0020_Mandatory' })]);

    const invoice = await json<Row>(await h.send('POST', '/purchaseInvoices', { vendorNumber: 'V00001', purchaseInvoiceLines: [line('8110')] }));
    const dims = await json<Collection>(await h.get(`/purchaseInvoices(${invoice.id})/dimensionSetLines`));
    expect(dims.value.map((d) => [d.code, d.valueCode])).toEqual([['DEPARTMENT', 'ADM']]);
    const second = await h.send('POST', `/purchaseInvoices(${invoice.id})/dimensionSetLines`, { code: 'DEPARTMENT', valueCode: 'IT' });
    expect(second.status).toBe(400);
    expect(await errorOf(second)).toMatchObject(dialog('The dimension set line already exists. Check existing dimension set lines and the default dimension set lines on the parent.'));
    // The line inherited the header's dimensions: same collision one level down.
    const [firstLine] = (await json<Collection>(await h.get(`/purchaseInvoices(${invoice.id})/purchaseInvoiceLines`))).value;
    const onLine = await h.send('POST', `/purchaseInvoices(${invoice.id})/purchaseInvoiceLines(${firstLine!.id})/dimensionSetLines`, { code: 'DEPARTMENT', valueCode: 'IT' });
    expect(await errorOf(onLine)).toMatchObject(dialog('The dimension set line already exists'));
    // Deep insert collides the same way and creates nothing.
    const before = h.sandbox.db.purchaseInvoices.size;
    const deep = await h.send('POST', '/purchaseInvoices', { vendorNumber: 'V00001', dimensionSetLines: [{ code: 'DEPARTMENT', valueCode: 'IT' }] });
    expect(await errorOf(deep)).toMatchObject(dialog('The dimension set line already exists'));
    expect(h.sandbox.db.purchaseInvoices.size).toBe(before);

    // PATCH of the existing line changes the value; its id and code cannot change.
    const dimensionId = dims.value[0]!.id;
    const patched = await h.send('PATCH', `/purchaseInvoices(${invoice.id})/dimensionSetLines(${dimensionId})`, { valueCode: 'IT' }, { 'if-match': '*' });
    expect(patched.status).toBe(200);
    expect(await json<Row>(patched)).toMatchObject({ code: 'DEPARTMENT', valueCode: 'IT', parentType: 'Purchase_x0020_Invoice' });
    const recode = await h.send('PATCH', `/purchaseInvoices(${invoice.id})/dimensionSetLines(${dimensionId})`, { code: 'PROJECT', valueCode: 'P-100' }, { 'if-match': '*' });
    expect(await errorOf(recode)).toMatchObject(dialog('The "id" and "code" fields cannot be modified.'));

    // A vendor default dimension can be added through the API; a duplicate is refused.
    const v4 = h.sandbox.db.vendors.all().find((v) => v.number === 'V00004') as Row;
    expect((await h.send('POST', `/vendors(${v4.id})/defaultDimensions`, { dimensionCode: 'PROJECT', dimensionValueCode: 'P-300' })).status).toBe(201);
    expect((await h.send('POST', `/vendors(${v4.id})/defaultDimensions`, { dimensionCode: 'PROJECT', dimensionValueCode: 'P-100' })).status).toBe(400);
    const v4Invoice = await json<Row>(await h.send('POST', '/purchaseInvoices', { vendorId: v4.id }));
    expect(v4Invoice.shortcutDimension2Code).toBe('P-300');
  });

  it('applies header shortcut dimensions before the lines of a deep insert: a value overrides the vendor default, blank clears it', async () => {
    const h = await harness();
    const expand = '?$expand=dimensionSetLines,purchaseInvoiceLines($expand=dimensionSetLines)';
    type Doc = Row & { dimensionSetLines: Row[]; purchaseInvoiceLines: (Row & { dimensionSetLines: Row[] })[] };
    const dimsOf = (rows: Row[]) => Object.fromEntries(rows.map((d) => [d.code, d.valueCode]));
    const read = async (id: string) => json<Doc>(await h.get(`/purchaseInvoices(${id})${expand}`));

    // V00001's default DEPARTMENT is ADM; the header says IT, so every new line inherits IT, not ADM.
    const following = await h.send('POST', '/purchaseInvoices', {
      vendorNumber: 'V00001',
      shortcutDimension1Code: 'IT',
      purchaseInvoiceLines: [line('8110'), line('8120', { dimensionSetLines: [{ code: 'PROJECT', valueCode: 'P-100' }] })],
    });
    expect(following.status).toBe(201);
    const doc = await read((await json<Row>(following)).id);
    expect(doc.shortcutDimension1Code).toBe('IT');
    expect(dimsOf(doc.dimensionSetLines)).toEqual({ DEPARTMENT: 'IT' });
    expect(doc.purchaseInvoiceLines.map((l) => dimsOf(l.dimensionSetLines))).toEqual([{ DEPARTMENT: 'IT' }, { DEPARTMENT: 'IT', PROJECT: 'P-100' }]);
    // The inherited DEPARTMENT still collides on a line.
    const collide = await h.send('POST', '/purchaseInvoices', { vendorNumber: 'V00001', shortcutDimension1Code: 'IT', purchaseInvoiceLines: [line('8110', { dimensionSetLines: [{ code: 'DEPARTMENT', valueCode: 'IT' }] })] });
    expect(await errorOf(collide)).toMatchObject(dialog('The dimension set line already exists'));

    // Blank: the header loses the vendor default, so each line deep-inserts its own DEPARTMENT; putting the default
    // back on the header afterwards (a header dimension set line) does not touch the lines.
    const cleared = await json<Row>(await h.send('POST', '/purchaseInvoices', {
      vendorNumber: 'V00001',
      shortcutDimension1Code: '',
      purchaseInvoiceLines: [line('8110', { dimensionSetLines: [{ code: 'DEPARTMENT', valueCode: 'PROD' }] }), line('8120', { dimensionSetLines: [{ code: 'DEPARTMENT', valueCode: 'SALES' }] })],
    }));
    expect(cleared.shortcutDimension1Code).toBe('');
    expect((await h.send('POST', `/purchaseInvoices(${cleared.id})/dimensionSetLines`, { code: 'DEPARTMENT', valueCode: 'ADM' })).status).toBe(201);
    const restored = await read(cleared.id);
    expect(restored.shortcutDimension1Code).toBe('ADM');
    expect(restored.purchaseInvoiceLines.map((l) => dimsOf(l.dimensionSetLines))).toEqual([{ DEPARTMENT: 'PROD' }, { DEPARTMENT: 'SALES' }]);

    // Unknown values are refused (DimensionManagement Text003) after BC's prefix match.
    const unknown = await h.send('POST', '/purchaseInvoices', { vendorNumber: 'V00004', shortcutDimension1Code: 'NOPE' });
    expect(await errorOf(unknown)).toMatchObject(dialog('NOPE is not an available Code for that dimension.'));
    const prefix = await json<Row>(await h.send('POST', '/purchaseInvoices', { vendorNumber: 'V00004', shortcutDimension1Code: 'SAL' }));
    expect(prefix.shortcutDimension1Code).toBe('SALES');
  });

  it('pushes a header shortcut dimension change onto the existing lines (UpdateAllLineDim with the header delta)', async () => {
    const h = await harness();
    type Doc = Row & { dimensionSetLines: Row[]; purchaseInvoiceLines: (Row & { dimensionSetLines: Row[] })[] };
    const dimsOf = (rows: Row[]) => Object.fromEntries(rows.map((d) => [d.code, d.valueCode]));
    const created = await json<Row>(await h.send('POST', '/purchaseInvoices', {
      vendorNumber: 'V00001',
      shortcutDimension1Code: '',
      purchaseInvoiceLines: [
        line('8110', { dimensionSetLines: [{ code: 'DEPARTMENT', valueCode: 'PROD' }, { code: 'PROJECT', valueCode: 'P-100' }] }),
        line('8120'),
      ],
    }));
    const read = async () => json<Doc>(await h.get(`/purchaseInvoices(${created.id})?$expand=purchaseInvoiceLines($expand=dimensionSetLines)`));
    const patch = async (body: Record<string, unknown>) => {
      const res = await h.send('PATCH', `/purchaseInvoices(${created.id})`, body, { 'if-match': '*' });
      expect(res.status).toBe(200);
      return json<Row>(res);
    };
    // Gained SALES: set on every line, whatever value the line had.
    expect((await patch({ shortcutDimension1Code: 'SALES' })).shortcutDimension1Code).toBe('SALES');
    expect((await read()).purchaseInvoiceLines.map((l) => dimsOf(l.dimensionSetLines))).toEqual([{ DEPARTMENT: 'SALES', PROJECT: 'P-100' }, { DEPARTMENT: 'SALES' }]);
    // Gained PROJECT P-200: overrides the line's P-100 and is added where missing.
    await patch({ shortcutDimension2Code: 'P-200' });
    expect((await read()).purchaseInvoiceLines.map((l) => dimsOf(l.dimensionSetLines))).toEqual([{ DEPARTMENT: 'SALES', PROJECT: 'P-200' }, { DEPARTMENT: 'SALES', PROJECT: 'P-200' }]);
    // Lost DEPARTMENT: removed from every line. Sending the current value changes nothing.
    await patch({ shortcutDimension1Code: '', shortcutDimension2Code: 'P-200' });
    expect((await read()).purchaseInvoiceLines.map((l) => dimsOf(l.dimensionSetLines))).toEqual([{ PROJECT: 'P-200' }, { PROJECT: 'P-200' }]);
  });

  it('checks line fields as the purchase invoice line page does', async () => {
    const h = await harness();
    const account = h.sandbox.db.accounts.all().find((a) => a.number === '8110') as Row;
    const item = h.sandbox.db.items.all()[0] as Row;
    const invoice = await json<Row>(await h.send('POST', '/purchaseInvoices', { vendorNumber: 'V00004', purchaseInvoiceLines: [line('8120')] }));
    const lines = `/purchaseInvoices(${invoice.id})/purchaseInvoiceLines`;

    const both = await h.send('POST', lines, { itemId: item.id, accountId: account.id, quantity: 1 });
    expect(await errorOf(both)).toMatchObject(dialog('Both "itemId" and "accountId" are specified. Specify only one of them.'));
    expect(await errorOf(await h.send('POST', lines, { lineType: 'Item', lineObjectNumber: 'NOPE', quantity: 1 }))).toMatchObject(dialog('Item does not exist.'));
    expect(await errorOf(await h.send('POST', lines, { itemId: '11111111-2222-4333-8444-555555555555' }))).toMatchObject(dialog('Item does not exist.'));
    const itemLine = await json<Row>(await h.send('POST', lines, { lineType: 'Item', lineObjectNumber: item.number, quantity: 2, unitCost: 5 }));
    expect(itemLine).toMatchObject({ lineType: 'Item', itemId: item.id, description: item.displayName, unitOfMeasureCode: 'EA', amountExcludingTax: 10 });

    const dup = await h.send('POST', lines, { ...line('8130'), sequence: 10000 });
    expect(await errorOf(dup)).toMatchObject(dialog('You cannot insert a line with a duplicate sequence number.'));
    const first = (await json<Collection>(await h.get(lines))).value[0] as Row;
    expect(await errorOf(await h.send('PATCH', `${lines}(${first.id})`, { lineObjectNumber: '8130' }, { 'if-match': '*' }))).toMatchObject(
      dialog('The value for "lineObjectNumber" cannot be modified.'),
    );
    expect(await errorOf(await h.send('PATCH', `${lines}(${first.id})`, { sequence: 99999 }, { 'if-match': '*' }))).toMatchObject(
      dialog('The value for sequence cannot be modified. Delete and insert the line again.'),
    );
    expect(await errorOf(await h.send('PATCH', `${lines}(${first.id})`, { documentId: itemLine.id }, { 'if-match': '*' }))).toMatchObject(
      dialog('The value for "documentId" cannot be modified.'),
    );
  });

  it('refuses non-editable header fields, accepts pricesIncludeTax, and validates currencies', async () => {
    const h = await harness();
    for (const field of ['vendorName', 'payToName', 'payToContact', 'payToCity']) {
      const res = await h.send('POST', '/purchaseInvoices', { vendorNumber: 'V00004', [field]: 'Someone else' });
      expect(res.status, field).toBe(400);
      expect((await errorOf(res)).code).toBe('BadRequest_InvalidOperation');
    }
    const taxIncluded = await json<Row>(await h.send('POST', '/purchaseInvoices', { vendorNumber: 'V00004', pricesIncludeTax: true }));
    expect(taxIncluded.pricesIncludeTax).toBe(true);

    const eur = h.sandbox.db.currencies.all().find((c) => c.code === 'EUR') as Row;
    const inEur = await json<Row>(await h.send('POST', '/purchaseInvoices', { vendorNumber: 'V00004', currencyCode: 'EUR' }));
    expect(inEur).toMatchObject({ currencyCode: 'EUR', currencyId: eur.id });
    const local = await json<Row>(await h.send('POST', '/purchaseInvoices', { vendorNumber: 'V00004', currencyCode: 'USD' }));
    expect(local).toMatchObject({ currencyCode: 'USD', currencyId: '00000000-0000-0000-0000-000000000000' });
    expect(await errorOf(await h.send('POST', '/purchaseInvoices', { vendorNumber: 'V00004', currencyCode: 'XYZ' }))).toMatchObject(
      dialog('The "currencyCode" does not match to a Currency.'),
    );
    expect(await errorOf(await h.send('POST', '/purchaseInvoices', { vendorNumber: 'V00004', currencyId: '11111111-2222-4333-8444-555555555555' }))).toMatchObject(
      dialog('The "currencyId" does not match to a Currency.'),
    );
    expect(await errorOf(await h.send('POST', '/purchaseInvoices', { vendorNumber: 'V00004', currencyId: eur.id, currencyCode: 'GBP' }))).toMatchObject(
      dialog('The currency values do not match to a specific Currency.'),
    );
  });

  it('answers posted-invoice edits and a second post with the aggregator messages', async () => {
    const h = await harness();
    const invoice = await json<Row>(await h.send('POST', '/purchaseInvoices', { vendorNumber: 'V00004', vendorInvoiceNumber: 'AL-1', purchaseInvoiceLines: [line('8110')] }));
    expect((await h.send('POST', `/purchaseInvoices(${invoice.id})/Microsoft.NAV.post`)).status).toBe(204);
    expect(await errorOf(await h.send('POST', `/purchaseInvoices(${invoice.id})/Microsoft.NAV.post`))).toMatchObject(dialog('The action can be applied to a draft invoice only.'));
    expect(await errorOf(await h.send('PATCH', `/purchaseInvoices(${invoice.id})`, { vendorInvoiceNumber: 'AL-2' }, { 'if-match': '*' }))).toMatchObject(
      dialog('The invoice has been posted and can no longer be modified.'),
    );
    expect(await errorOf(await h.send('POST', `/purchaseInvoices(${invoice.id})/purchaseInvoiceLines`, line('8120')))).toMatchObject(
      dialog('The invoice has been posted and can no longer be modified.'),
    );
  });

  it('serves currencies, items, tax groups, payment terms and methods and units of measure (read)', async () => {
    const h = await harness();
    const codes = async (set: string, key = 'code') => (await json<Collection>(await h.get(`/${set}`))).value.map((r) => r[key]);
    expect(await codes('currencies')).toEqual(['CAD', 'EUR', 'GBP']);
    expect(await codes('items', 'number')).toEqual(['1000', '1001', '1002']);
    expect(await codes('taxGroups')).toContain('NONTAXABLE');
    expect(await codes('paymentTerms')).toContain('30 DAYS');
    expect(await codes('paymentMethods')).toContain('BANK');
    expect(await codes('unitsOfMeasure')).toContain('EA');
    const taxGroup = (await json<Collection>(await h.get('/taxGroups?$top=1'))).value[0] as Row;
    expect(taxGroup.taxType).toBe('Sales_x0020_Tax');
    expect((await h.send('POST', '/items', { number: 'X' })).status).toBe(405);
  });

  it('stores invoice attachments with their content and serves the PDF of a posted invoice', async () => {
    const h = await harness();
    const invoice = await json<Row>(await h.send('POST', '/purchaseInvoices', { vendorNumber: 'V00004', vendorInvoiceNumber: 'PDF-1', purchaseInvoiceLines: [line('8110')] }));
    for (const nav of ['attachments', 'documentAttachments']) {
      const created = await h.send('POST', `/purchaseInvoices(${invoice.id})/${nav}`, { fileName: `scan-${nav}.png` });
      expect(created.status).toBe(201);
      const attachment = await json<Row>(created);
      expect(attachment).toMatchObject({ parentId: invoice.id, fileName: `scan-${nav}.png`, byteSize: 0, parentType: 'Purchase_x0020_Invoice' });
      const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);
      const content = `/purchaseInvoices(${invoice.id})/${nav}(${attachment.id})/attachmentContent`;
      const noIfMatch = await h.sandbox.fetch(`${h.company}${content}`, { method: 'PATCH', headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/octet-stream' }, body: bytes });
      expect(noIfMatch.status).toBe(400);
      const put = await h.sandbox.fetch(`${h.company}${content}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/octet-stream', 'if-match': '*' },
        body: bytes,
      });
      expect(put.status).toBe(204);
      expect(new Uint8Array(await (await h.get(content)).arrayBuffer())).toEqual(bytes);
      expect((await json<Row>(await h.get(`/purchaseInvoices(${invoice.id})/${nav}(${attachment.id})`))).byteSize).toBe(8);
    }
    expect((await json<Collection>(await h.get(`/purchaseInvoices(${invoice.id})/pdfDocument`))).value).toEqual([]);
    await h.send('POST', `/purchaseInvoices(${invoice.id})/Microsoft.NAV.post`);
    const pdf = (await json<Collection>(await h.get(`/purchaseInvoices(${invoice.id})/pdfDocument`))).value[0] as Row;
    const file = await h.get(`/purchaseInvoices(${invoice.id})/pdfDocument(${pdf.id})/pdfDocumentContent`);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await file.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('emits enum members in the encoded v2.0 form and accepts both forms in bodies', async () => {
    const h = await harness();
    const vendor = (await json<Collection>(await h.get('/vendors?$top=1'))).value[0] as Row;
    expect(vendor.blocked).toBe('_x0020_');
    const notBlocked = await json<Collection>(await h.get(`/vendors?$filter=blocked eq '_x0020_'&$count=true`));
    expect(notBlocked['@odata.count']).toBe(h.sandbox.db.vendors.size - 1);
    const patched = await json<Row>(await h.send('PATCH', `/vendors(${vendor.id})`, { blocked: 'Payment' }, { 'if-match': '*' }));
    expect(patched.blocked).toBe('Payment');
    const back = await json<Row>(await h.send('PATCH', `/vendors(${vendor.id})`, { blocked: '_x0020_' }, { 'if-match': '*' }));
    expect(back.blocked).toBe('_x0020_');
    const fixedAsset = await h.send('POST', '/purchaseInvoices', { vendorNumber: 'V00004', purchaseInvoiceLines: [{ lineType: 'Fixed_x0020_Asset', lineObjectNumber: 'FA-1' }] });
    expect((await errorOf(fixedAsset)).message).toMatch(/Fixed Asset does not exist/);
  });
});
