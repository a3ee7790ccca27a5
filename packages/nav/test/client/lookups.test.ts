import { describe, expect, it } from 'vitest';
import { NAV_LOOKUP_KEYS_PER_REQUEST, NAV_LOOKUP_MAX_URL_LENGTH } from '@ml-connector/nav';
import { setup } from '../helpers.js';

/** A client on the sandbox whose requests (after `$metadata`) are recorded. */
function recorded(version: 'v4' | 'v3', sandboxOptions = {}) {
  const urls: string[] = [];
  const base = setup(sandboxOptions, { version });
  const { nav } = setup(sandboxOptions, {
    version,
    fetch: (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (!url.includes('$metadata')) urls.push(decodeURIComponent(url));
      return base.sandbox.fetch(input, init);
    },
  });
  return { nav, urls, sandbox: base.sandbox };
}

const vendorNumbers = (n: number) => Array.from({ length: n }, (_, i) => `V${String(i + 1).padStart(5, '0')}`);

describe('batched lookups (listIn)', () => {
  it('looks 45 vendors up in 3 requests of at most 20 keys, each URL within the limit; unknown keys are absent', async () => {
    const { nav, urls } = recorded('v4', { seed: { vendors: 40 } });
    const wanted = [...vendorNumbers(44), 'V99999', 'V00001'];
    const found = await nav.vendors.listIn(wanted);
    expect(found.map((v) => v.number).sort()).toEqual(vendorNumbers(40));
    expect(urls).toHaveLength(Math.ceil(45 / NAV_LOOKUP_KEYS_PER_REQUEST));
    for (const url of urls) {
      expect(encodeURI(url).length).toBeLessThanOrEqual(NAV_LOOKUP_MAX_URL_LENGTH);
      expect((url.match(/ eq /g) ?? []).length).toBeLessThanOrEqual(NAV_LOOKUP_KEYS_PER_REQUEST);
    }
    expect(urls[0]).toContain("No eq 'V00001' or No eq 'V00002'");
  });

  it('combines the key chain with fixed conditions (dimension code) and escapes quotes', async () => {
    const { nav, urls } = recorded('v4');
    const values = await nav.dimensionValues.listIn('code', ['ADM', 'IT', "O'NEIL"], { where: { dimensionCode: 'DEPARTMENT' } });
    expect(values.map((v) => v.code).sort()).toEqual(['ADM', 'IT']);
    expect(urls).toHaveLength(1);
    expect(urls[0]).toContain("Dimension_Code eq 'DEPARTMENT' and (Code eq 'ADM' or Code eq 'IT' or Code eq 'O''NEIL')");
  });

  it('writes keys in the OData v3 dialect on the v3 endpoint and pages through the results', async () => {
    const { nav, urls } = recorded('v3', { maxPageSize: 5 });
    const accounts = await nav.glAccounts.listIn('number', ['8110', '8120', '8130', '8140', '8150', '8160', '8170', '9999']);
    expect(accounts.map((a) => a.number)).toEqual(['8110', '8120', '8130', '8140', '8150', '8160', '8170']);
    expect(urls.length).toBe(2); // one lookup, two server-driven pages
    expect(urls[0]).toContain('/OData/');
  });

  it('finds purchase orders by vendor order number, only of document type Order', async () => {
    const { nav } = recorded('v4');
    await nav.purchaseOrders.create({ vendorNumber: 'V00002', vendorOrderNumber: 'PO-77777' }, [
      { type: 'G/L Account', number: '8110', description: 'Paper', quantity: 1, directUnitCost: 5 },
    ]);
    const found = await nav.purchaseOrders.listIn('vendorOrderNumber', ['PO-77777', 'PO-00000']);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ vendorNumber: 'V00002', vendorOrderNumber: 'PO-77777', documentType: 'Order' });
    expect(await nav.purchaseInvoices.listIn('vendorInvoiceNumber', [])).toEqual([]);
  });

  it('refuses a field the page does not publish before any request', async () => {
    const { nav, urls } = recorded('v4');
    await expect(nav.vendors.listIn(['V00001'], { field: 'nope' as never })).rejects.toThrow(/no published field "nope"/);
    expect(urls).toHaveLength(0);
  });
});
