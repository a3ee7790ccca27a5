import { afterEach, describe, expect, it } from 'vitest';
import { isValidationError } from '@ml-connector/core';
import { type PurchaseInvoiceCreate, type PurchaseInvoiceLineCreate, type PurchaseInvoiceLineUpdate, type VendorCreate, decodeEnumMember, encodeEnumMember } from '@ml-connector/business-central';
import { type Harness, createHarness } from './helpers.js';

let h: Harness;
afterEach(() => h?.sandbox.close());

const vendorNumbered = async (number: string) => {
  const company = h.client.company(h.sandbox.companyId);
  const [vendor] = await company.vendors.list({ filter: (f) => f.eq('number', number) }).toArray({ limit: 1 });
  return { company, vendor: vendor! };
};

describe('client against the AL page rules', () => {
  it('upserts dimension set lines over the vendor defaults BC copied onto the invoice', async () => {
    h = createHarness();
    const { company, vendor } = await vendorNumbered('V00001'); // default DEPARTMENT = ADM
    const defaults = await company.vendors.defaultDimensions(vendor.id).list().toArray({ limit: 10 });
    expect(defaults.map((d) => [d.dimensionCode, d.dimensionValueCode, d.postingValidation])).toEqual([['DEPARTMENT', 'ADM', 'Code Mandatory']]);
    const invoice = await company.purchaseInvoices.create({ vendorId: vendor.id, vendorInvoiceNumber: 'UPS-1' });
    const dims = company.purchaseInvoices.dimensionSetLines(invoice.id);

    const collision = await dims.create({ code: 'DEPARTMENT', valueCode: 'IT' }).catch((e: unknown) => e);
    expect(isValidationError(collision)).toBe(true);
    expect(collision).toMatchObject({ vendorCode: 'Application_DialogException' });

    let before = h.apiRequests().length;
    const changed = await dims.upsert({ code: 'DEPARTMENT', valueCode: 'IT' });
    expect(changed).toMatchObject({ code: 'DEPARTMENT', valueCode: 'IT', parentType: 'Purchase Invoice' });
    expect(h.apiRequests().slice(before).map((r) => r.method)).toEqual(['GET', 'PATCH']);

    before = h.apiRequests().length;
    await dims.upsert({ code: 'DEPARTMENT', valueCode: 'IT' });
    expect(h.apiRequests().slice(before).map((r) => r.method)).toEqual(['GET']);

    before = h.apiRequests().length;
    await dims.upsert({ code: 'PROJECT', valueCode: 'P-200' });
    expect(h.apiRequests().slice(before).map((r) => r.method)).toEqual(['GET', 'POST']);
    expect((await dims.list().toArray({ limit: 10 })).map((d) => `${d.code}=${d.valueCode}`)).toEqual(['DEPARTMENT=IT', 'PROJECT=P-200']);
    await expect(dims.upsert({ valueCode: 'IT' })).rejects.toMatchObject({ field: 'line' });

    const v4 = (await vendorNumbered('V00004')).vendor;
    const added = await company.vendors.defaultDimensions(v4.id).create({ dimensionCode: 'PROJECT', dimensionValueCode: 'P-300' });
    expect(added).toMatchObject({ parentId: v4.id, dimensionCode: 'PROJECT', parentType: 'Vendor' });
  });

  it('uploads an invoice image as an attachment and downloads the PDF of the posted invoice', async () => {
    h = createHarness();
    const { company, vendor } = await vendorNumbered('V00004');
    const invoice = await company.purchaseInvoices.create({
      vendorId: vendor.id,
      vendorInvoiceNumber: 'ATT-1',
      purchaseInvoiceLines: [{ lineType: 'Account', lineObjectNumber: '8110', quantity: 1, unitCost: 3 }],
    });
    const image = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0]);
    for (const attachments of [company.purchaseInvoices.attachments(invoice.id), company.purchaseInvoices.documentAttachments(invoice.id)]) {
      const uploaded = await attachments.upload('invoice.jpg', image, { contentType: 'image/jpeg' });
      expect(uploaded).toMatchObject({ fileName: 'invoice.jpg', byteSize: image.byteLength, parentId: invoice.id, parentType: 'Purchase Invoice' });
      expect(await attachments.download(uploaded.id)).toEqual(image);
      const put = h.apiRequests().find((r) => r.method === 'PATCH' && r.url.pathname.endsWith('/attachmentContent'))!;
      expect(put.headers.get('content-type')).toBe('image/jpeg');
      expect(put.headers.get('if-match')).toBe('*');
    }
    await expect(company.purchaseInvoices.attachments(invoice.id).create({ fileName: '' })).rejects.toMatchObject({ field: 'fileName' });
    expect(await company.purchaseInvoices.pdfDocument(invoice.id).download()).toBeUndefined();
    await company.purchaseInvoices.post(invoice.id);
    const pdf = await company.purchaseInvoices.pdfDocument(invoice.id).download();
    expect(new TextDecoder().decode(pdf!.subarray(0, 5))).toBe('%PDF-');
  });

  it('decodes enum members on read, encodes them in bodies and filters, and keeps unknown members', async () => {
    h = createHarness();
    const company = h.client.company(h.sandbox.companyId);
    const [taxGroup] = await company.taxGroups.list({ filter: (f) => f.eq('code', 'SUPPLIES') }).toArray({ limit: 1 });
    expect(taxGroup!.taxType).toBe('Sales Tax');
    const blocked = await company.vendors.list({ filter: (f) => f.eq('blocked', 'All') }).toArray({ limit: 5 });
    expect(blocked.map((v) => v.number)).toEqual(['V00024']);
    const sentFilter = h.apiRequests().at(-1)!.url.searchParams.get('$filter');
    expect(sentFilter).toBe("blocked eq 'All'");
    // The emulator refuses `in` (BC's support is not documented), but the literals are already encoded.
    await company.vendors.list({ filter: (f) => f.in('blocked', [' ', 'Payment']) }).toArray({ limit: 1 }).catch(() => undefined);
    expect(h.apiRequests().at(-1)!.url.searchParams.get('$filter')).toBe("blocked in ('_x0020_','Payment')");

    const { vendor } = await vendorNumbered('V00004');
    const attempt = await company.purchaseInvoices.create({ vendorId: vendor.id, purchaseInvoiceLines: [{ lineType: 'Fixed Asset', lineObjectNumber: 'FA-1' }] }).catch((e: unknown) => e);
    expect(JSON.parse(h.apiRequests().at(-1)!.body).purchaseInvoiceLines[0].lineType).toBe('Fixed_x0020_Asset');
    expect(attempt).toMatchObject({ vendorMessage: expect.stringContaining('Fixed Asset does not exist') });

    // An unknown member survives decoding instead of failing or being dropped.
    expect(decodeEnumMember('Custom_x0020_Status_x002F_2')).toBe('Custom Status/2');
    expect(encodeEnumMember('G/L Account')).toBe('G_x002F_L_x0020_Account');
    expect(decodeEnumMember(encodeEnumMember(' '))).toBe(' ');
  });

  it('sends pricesIncludeTax and strips the fields the page does not let you set', async () => {
    h = createHarness();
    const { company, vendor } = await vendorNumbered('V00004');
    const invoice = await company.purchaseInvoices.create({ vendorId: vendor.id, pricesIncludeTax: true, vendorName: 'ignored', payToName: 'ignored' } as PurchaseInvoiceCreate);
    const sent = JSON.parse(h.apiRequests().at(-1)!.body) as Record<string, unknown>;
    expect(sent).toMatchObject({ pricesIncludeTax: true });
    expect(sent).not.toHaveProperty('vendorName');
    expect(sent).not.toHaveProperty('payToName');
    expect(invoice.pricesIncludeTax).toBe(true);
    expect(invoice.vendorName).toBe(vendor.displayName);
    const eur = await company.currencies.list({ filter: (f) => f.eq('code', 'EUR') }).toArray({ limit: 1 });
    const inEur = await company.purchaseInvoices.create({ vendorId: vendor.id, currencyCode: 'EUR' });
    expect(inEur.currencyId).toBe(eur[0]!.id);
    expect((await company.unitsOfMeasure.list().toArray({ limit: 10 })).map((u) => u.code)).toContain('EA');
    expect((await company.items.list().toArray({ limit: 10 })).map((i) => i.number)).toEqual(['1000', '1001', '1002']);
    expect((await company.paymentTerms.list().toArray({ limit: 10 })).length).toBeGreaterThan(0);
    expect((await company.paymentMethods.list().toArray({ limit: 10 })).length).toBeGreaterThan(0);
  });

  it('rejects enum typos at compile time', () => {
    // These lines are checked by `tsc -p tsconfig.test.json`: each @ts-expect-error must see an error.
    // @ts-expect-error 'Acount' is not a line type
    const line: PurchaseInvoiceLineCreate = { lineType: 'Acount' };
    // @ts-expect-error 'Blocked' is not a vendor.blocked member
    const vendor: VendorCreate = { blocked: 'Blocked' };
    // @ts-expect-error updates check it too; only values read from the API may carry unknown members
    const patch: PurchaseInvoiceLineUpdate = { lineType: 'Acount' };
    const ok: PurchaseInvoiceLineCreate = { lineType: 'Fixed Asset' };
    expect([line, vendor, patch, ok]).toHaveLength(4);
  });
});
