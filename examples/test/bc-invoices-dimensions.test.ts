import { createMemorySyncStore, type TargetDocument } from '@ml-connector/core/sync';
import { describe, expect, it } from 'vitest';
import type { InvoiceDraft, InvoiceDraftLine } from '../src/bc-invoices/mapper.ts';
import { loadInvoiceMappings } from '../src/bc-invoices/mappings.ts';
import { createPurchaseInvoiceTarget, type PurchaseInvoiceTargetOptions } from '../src/bc-invoices/target.ts';
import { createWorld } from './world.ts';

const context = {} as never;
let number = 0;
const line = (accountNumber: string, dimensions: Record<string, string>): InvoiceDraftLine => ({ accountNumber, description: `line ${accountNumber}`, quantity: 1, unitCost: 10, dimensions });
const draft = (vendorNumber: string, lines: InvoiceDraftLine[]): InvoiceDraft => ({ sourceId: `s${++number}`, vendorNumber, vendorInvoiceNumber: `DIM-${number}`, currencyCode: '', lines });

/** A target on an in-process Business Central sandbox (V00001 has the default DEPARTMENT ADM), and what BC then holds. */
async function setUp(options: Partial<PurchaseInvoiceTargetOptions> = {}) {
  const world = createWorld({ invoices: 0, mappings: await loadInvoiceMappings() });
  const target = createPurchaseInvoiceTarget({ company: world.company, store: createMemorySyncStore(), flow: 'bc-invoices', sourceSystem: 'jaggaer', ...options });
  const requests = () => world.bcSandbox.stats.apiRequests;
  const dims = (rows: readonly { code: string; valueCode?: string }[] | undefined) => Object.fromEntries((rows ?? []).map((d) => [d.code, d.valueCode]));
  /** Header dimensions and each line's (by sequence) as Business Central holds them. */
  const held = async (id: string) => {
    const invoice = await world.company.purchaseInvoices.get(id, { expand: { purchaseInvoiceLines: { expand: ['dimensionSetLines'] } } } as never);
    const header = await world.company.purchaseInvoices.dimensionSetLines(id).list().toArray();
    const lines = [...(invoice.purchaseInvoiceLines ?? [])].sort((a, b) => Number(a['sequence']) - Number(b['sequence']));
    return { header: dims(header), lines: lines.map((l) => dims(l.dimensionSetLines)) };
  };
  /** Creates through the target (vendor lookup first, as the preflight does) and counts the create's requests. */
  const create = async (doc: InvoiceDraft) => {
    await target.resolvers!['vendor']!([doc.vendorNumber], context);
    const before = requests();
    const { document } = await target.create(doc, context);
    return { document, requests: requests() - before, ...(await held(document.id)) };
  };
  return { world, target, create, held, requests };
}

describe('bc-invoices target: line dimensions against inherited vendor defaults', () => {
  it('puts the lines’ common value on the header so every line inherits it: one request', async () => {
    const { create } = await setUp();
    const result = await create(draft('V00001', [line('8110', { DEPARTMENT: 'IT' }), line('8120', { DEPARTMENT: 'IT', PROJECT: 'P-100' })]));
    expect(result.header).toEqual({ DEPARTMENT: 'IT' });
    expect(result.lines).toEqual([{ DEPARTMENT: 'IT' }, { DEPARTMENT: 'IT', PROJECT: 'P-100' }]);
    expect(result.requests).toBe(1);
  });

  it('clears the header value for lines that differ and puts the vendor default back: two requests, lines as mapped', async () => {
    const { create } = await setUp();
    const result = await create(draft('V00001', [line('8110', { DEPARTMENT: 'PROD' }), line('8120', {}), line('8130', { DEPARTMENT: 'SALES' })]));
    expect(result.header).toEqual({ DEPARTMENT: 'ADM' });
    expect(result.lines).toEqual([{ DEPARTMENT: 'PROD' }, { DEPARTMENT: 'ADM' }, { DEPARTMENT: 'SALES' }]);
    expect(result.requests).toBe(2);
    // The ETag of the insert's answer is stale after the second request: the document claims no version.
    expect(result.document.version).toBeUndefined();
  });

  it('keeps the vendor default on the header with headerDimensions: vendor-defaults, and for a Same Code default', async () => {
    const kept = await setUp({ headerDimensions: 'vendor-defaults' });
    const result = await kept.create(draft('V00001', [line('8110', { DEPARTMENT: 'IT' }), line('8120', { DEPARTMENT: 'IT' })]));
    expect(result.header).toEqual({ DEPARTMENT: 'ADM' });
    expect(result.lines).toEqual([{ DEPARTMENT: 'IT' }, { DEPARTMENT: 'IT' }]);
    expect(result.requests).toBe(2);

    const same = await setUp();
    const v4 = (await same.world.company.vendors.findByNumbers(['V00004'])).get('V00004')!;
    await same.world.company.vendors.defaultDimensions(v4.id).create({ dimensionCode: 'PROJECT', dimensionValueCode: 'P-300', postingValidation: 'Same Code' } as never);
    const sameCode = await same.create(draft('V00004', [line('8110', { PROJECT: 'P-100' }), line('8120', { PROJECT: 'P-100' })]));
    expect(sameCode.header).toEqual({ PROJECT: 'P-300' });
    expect(sameCode.lines).toEqual([{ PROJECT: 'P-100' }, { PROJECT: 'P-100' }]);
  });

  it('a dimension that is not global 1 or 2 still gets its line value, by PATCH after the insert', async () => {
    const { create } = await setUp({ globalDimensionCodes: [undefined, 'PROJECT'] });
    const result = await create(draft('V00001', [line('8110', { DEPARTMENT: 'IT' }), line('8120', {})]));
    expect(result.header).toEqual({ DEPARTMENT: 'ADM' });
    expect(result.lines).toEqual([{ DEPARTMENT: 'IT' }, { DEPARTMENT: 'ADM' }]);
    expect(result.requests).toBeGreaterThan(2);
  });

  it('replaces the lines of a draft against the header’s current dimensions', async () => {
    const { create, target, held } = await setUp();
    const first = draft('V00001', [line('8110', { DEPARTMENT: 'IT' })]);
    const { document } = await create(first);
    const existing = (await target.get(document.id, context)) as TargetDocument;
    const changed: InvoiceDraft = { ...first, lines: [line('8110', { DEPARTMENT: 'SALES' }), line('8120', {})] };
    await target.update(existing, changed, context);
    // The lines now differ, so the header holds the vendor default again, as a new invoice with these lines would.
    expect(await held(document.id)).toEqual({ header: { DEPARTMENT: 'ADM' }, lines: [{ DEPARTMENT: 'SALES' }, { DEPARTMENT: 'ADM' }] });
    expect(target.diff!((await target.get(document.id, context))!, changed)).toEqual([]);
  });

  it('finds what a write that landed only in part left behind and completes it: the header default put back, lines untouched', async () => {
    const { world, target, held, requests } = await setUp();
    const doc = draft('V00001', [line('8110', { DEPARTMENT: 'PROD' }), line('8120', { DEPARTMENT: 'SALES' })]);
    await target.resolvers!['vendor']!([doc.vendorNumber], context);
    // The deep insert landed (header value cleared, lines with their own values); the restore of ADM never did.
    const landed = await world.company.purchaseInvoices.create({
      vendorNumber: 'V00001', vendorInvoiceNumber: doc.vendorInvoiceNumber, currencyCode: '', shortcutDimension1Code: '',
      purchaseInvoiceLines: doc.lines.map((l, i) => ({ sequence: (i + 1) * 10_000, lineType: 'Account', lineObjectNumber: l.accountNumber, description: l.description, quantity: 1, unitCost: 10, dimensionSetLines: [{ code: 'DEPARTMENT', valueCode: l.dimensions['DEPARTMENT']! }] })),
    } as never);
    const found = (await target.find(doc, context))!;
    expect(found.id).toBe(landed.id);
    expect(target.diff!(found, doc)).toEqual([{ path: 'headerDimensions.DEPARTMENT', before: '', after: 'ADM' }]);

    const before = requests();
    await target.update(found, doc, context);
    expect(requests() - before).toBe(3); // header dimensions read, ADM added, the invoice read back
    expect(await held(landed.id)).toEqual({ header: { DEPARTMENT: 'ADM' }, lines: [{ DEPARTMENT: 'PROD' }, { DEPARTMENT: 'SALES' }] });
    expect(target.diff!((await target.get(landed.id, context))!, doc)).toEqual([]);
  });

  it('remembers refused references for a minute instead of asking on every page, then asks again', async () => {
    let clock = Date.UTC(2026, 0, 1);
    const { target, requests } = await setUp({ now: () => clock });
    const ask = () => target.resolvers!['vendor']!(['V00024', 'V00004'], context);
    const first = await ask();
    expect(first.get('V00024')).toMatchObject({ exists: true, usable: false });
    const before = requests();
    // The usable V00004 is the engine's to cache; the blocked V00024 is answered from memory.
    expect((await target.resolvers!['vendor']!(['V00024'], context)).get('V00024')).toMatchObject({ usable: false });
    expect(requests()).toBe(before);
    clock += 60_000;
    await target.resolvers!['vendor']!(['V00024'], context);
    expect(requests()).toBe(before + 1);
  });
});
