import {
  accountReferenceStatus,
  BUSINESS_CENTRAL_LOOKUP_DEFAULTS,
  businessCentralReferenceResolvers,
  dimensionValueReferenceStatus,
  vendorReferenceStatus,
} from '@ml-connector/business-central';
import { type HttpError, InvalidInputError, silentLogger } from '@ml-connector/core';
import { describe, expect, it } from 'vitest';
import { createHarness } from './helpers.js';

const vendorNumber = (n: number) => `V${String(n).padStart(5, '0')}`;
const context = { signal: new AbortController().signal, logger: silentLogger };

describe('batched lookups for the reference preflight', () => {
  it('finds 500 vendors in several requests, each URL within 2048 characters, only or-chains and $select', async () => {
    const h = createHarness({ size: { vendors: 520, invoices: 0, purchaseOrders: 0 } });
    const company = h.client.company(h.sandbox.companyId);
    const existing = new Set(h.sandbox.db.vendors.all().map((v) => v.number as string));
    const numbers = Array.from({ length: 500 }, (_, i) => vendorNumber(i + 1));
    const asked = [...numbers, 'V99999', "O'NEIL", numbers[0] as string];

    const found = await company.vendors.findByNumbers(asked);

    const expected = asked.filter((n) => existing.has(n));
    expect([...found.keys()].sort()).toEqual([...new Set(expected)].sort());
    expect(found.has('V99999')).toBe(false);
    expect(found.get('V00001')).toMatchObject({ number: 'V00001', blocked: ' ' });
    expect(Object.keys(found.get('V00001') as object).sort()).toEqual(['@odata.etag', 'blocked', 'displayName', 'etag', 'id', 'number']);

    const requests = h.apiRequests();
    // 501 distinct numbers, 20 per request (MaxNodeCount 100): 26 requests.
    expect(requests).toHaveLength(Math.ceil(501 / BUSINESS_CENTRAL_LOOKUP_DEFAULTS.maxValuesPerChunk));
    for (const request of requests) {
      expect(request.url.href.length).toBeLessThanOrEqual(2048);
      expect(request.url.searchParams.get('$select')).toBe('id,number,displayName,blocked');
      const filter = request.url.searchParams.get('$filter') as string;
      expect(filter).toMatch(/^number eq '[^']*(?:''[^']*)*'(?: or number eq '[^']*(?:''[^']*)*')*$/);
      expect(filter).not.toMatch(/ in \(/);
    }
  });

  it('splits by URL length when the chunk size allows more: every URL under the limit, the emulator accepts each', async () => {
    const h = createHarness({ size: { vendors: 520, invoices: 0, purchaseOrders: 0 }, limits: { maxFilterNodes: 100_000, maxQueryStringLength: 1024 } });
    const company = h.client.company(h.sandbox.companyId);
    const numbers = Array.from({ length: 500 }, (_, i) => vendorNumber(i + 1));
    const found = await company.vendors.findByNumbers(numbers, { maxValuesPerChunk: 10_000, maxUrlLength: 1200 });
    const existing = new Set(h.sandbox.db.vendors.all().map((v) => v.number as string));
    expect(found.size).toBe(numbers.filter((n) => existing.has(n)).length);
    const requests = h.apiRequests();
    expect(requests.length).toBeGreaterThan(5);
    expect(requests.length).toBeLessThan(20);
    for (const request of requests) {
      expect(request.url.href.length).toBeLessThanOrEqual(1200);
      expect(request.url.search.length - 1).toBeLessThanOrEqual(1024);
    }
  });

  it('fails when chunks exceed what the server takes: more than 20 terms hit MaxNodeCount, long URLs hit 404.15', async () => {
    const h = createHarness({ size: { vendors: 60, invoices: 0, purchaseOrders: 0 } }, { retry: false });
    const company = h.client.company(h.sandbox.companyId);
    const numbers = Array.from({ length: 50 }, (_, i) => vendorNumber(i + 1));
    await expect(company.vendors.findByNumbers(numbers, { maxValuesPerChunk: 21 })).rejects.toMatchObject({ status: 400 });
    const wide = createHarness({ size: { vendors: 200, invoices: 0, purchaseOrders: 0 }, limits: { maxFilterNodes: 100_000 } }, { retry: false });
    const numbersWide = Array.from({ length: 200 }, (_, i) => vendorNumber(i + 1));
    const error = (await wide.client
      .company(wide.sandbox.companyId)
      .vendors.findByNumbers(numbersWide, { maxValuesPerChunk: 10_000, maxUrlLength: 8000 })
      .catch((e: unknown) => e)) as HttpError;
    expect(error.status).toBe(404);
  });

  it('keeps only the rows asked for when a server ignores the filter (as BC API v2.0 does with `in`)', async () => {
    const h = createHarness({ size: { vendors: 10, invoices: 0, purchaseOrders: 0 } });
    const ignoringFilter: typeof fetch = (input, init) => {
      const request = new Request(input as RequestInfo, init);
      const url = new URL(request.url);
      url.searchParams.delete('$filter');
      return h.sandbox.fetch(new Request(url, request));
    };
    const { client } = createHarness({ size: { vendors: 10, invoices: 0, purchaseOrders: 0 } }, { fetch: ignoringFilter });
    const found = await client.company(h.sandbox.companyId).vendors.findByNumbers(['V00002', 'V99999']);
    expect([...found.keys()]).toEqual(['V00002']);
  });

  it('looks up accounts, dimension values and currencies with only the fields a preflight needs', async () => {
    const h = createHarness({ size: { vendors: 5, invoices: 0, purchaseOrders: 0 } });
    const company = h.client.company(h.sandbox.companyId);
    const accounts = await company.accounts.findByNumbers(['8110', '8100', '8190', '2110', '9999']);
    expect([...accounts.keys()].sort()).toEqual(['2110', '8100', '8110', '8190']);
    expect(h.apiRequests().at(-1)?.url.searchParams.get('$select')).toBe('id,number,displayName,blocked,accountType,directPosting');
    expect(accountReferenceStatus(accounts.get('8110'))).toEqual({ exists: true, usable: true });
    expect(accountReferenceStatus(accounts.get('8190'))).toEqual({ exists: true, usable: false, reason: 'G/L account 8190 is blocked' });
    expect(accountReferenceStatus(accounts.get('8100'))).toMatchObject({ usable: false, reason: expect.stringMatching(/Heading account/) });
    expect(accountReferenceStatus(accounts.get('2110'))).toMatchObject({ usable: false, reason: expect.stringMatching(/direct posting/) });
    expect(accountReferenceStatus(accounts.get('9999'))).toEqual({ exists: false, usable: false, reason: 'The G/L account does not exist' });

    const before = h.apiRequests().length;
    const values = await company.dimensionValues.findByCodes('DEPARTMENT', ['ADM', 'IT', 'P-100', 'NOPE']);
    expect([...values.keys()].sort()).toEqual(['ADM', 'IT']);
    const [dimensionRequest, valuesRequest] = h.apiRequests().slice(before);
    expect(dimensionRequest?.url.pathname).toMatch(/\/dimensions$/);
    expect(valuesRequest?.url.pathname).toMatch(/\/dimensions\([0-9a-f-]{36}\)\/dimensionValues$/);
    expect(dimensionValueReferenceStatus(values.get('ADM'), 'DEPARTMENT')).toEqual({ exists: true, usable: true });
    expect(await company.dimensionValues.findByCodes('NOSUCHDIM', ['ADM'])).toEqual(new Map());
    const project = (await company.dimensions.findByCodes(['PROJECT'])).get('PROJECT');
    expect(project).toMatchObject({ code: 'PROJECT' });
    const sent = h.apiRequests().length;
    const projects = await company.dimensionValues.findByCodes(project as { id: string; code: string }, ['P-100', 'ADM']);
    expect([...projects.keys()]).toEqual(['P-100']);
    expect(h.apiRequests().length - sent).toBe(1);
    await expect(company.dimensionValues.findByCodes('', ['ADM'])).rejects.toThrow(InvalidInputError);

    const currencies = await company.currencies.findByCodes(['EUR', 'GBP', 'XYZ']);
    expect([...currencies.keys()].sort()).toEqual(['EUR', 'GBP']);
    expect(await company.currencies.findByCodes([])).toEqual(new Map());
    await expect(company.currencies.findByCodes(['EUR', ''])).rejects.toThrow(InvalidInputError);
  });

  it('maps vendor Blocked to usable or not with a reason', () => {
    expect(vendorReferenceStatus({ number: 'V1', blocked: ' ' })).toEqual({ exists: true, usable: true });
    expect(vendorReferenceStatus({ number: 'V1', blocked: 'Payment' })).toEqual({ exists: true, usable: true });
    expect(vendorReferenceStatus({ number: 'V1', blocked: 'Payment' }, { use: 'payment' })).toMatchObject({ usable: false, reason: expect.stringMatching(/blocked for payments/) });
    expect(vendorReferenceStatus({ number: 'V1', blocked: 'All' })).toEqual({ exists: true, usable: false, reason: 'Vendor V1 is blocked for all transactions (Blocked: All)' });
    expect(vendorReferenceStatus({ number: 'V1', blocked: 'Someday' as never })).toMatchObject({ usable: false });
    expect(vendorReferenceStatus(undefined)).toMatchObject({ exists: false, usable: false });
  });

  it('resolves a preflight batch per reference kind with the engine resolver contract', async () => {
    const h = createHarness({ size: { vendors: 30, invoices: 0, purchaseOrders: 0 } });
    const resolvers = businessCentralReferenceResolvers(h.client.company(h.sandbox.companyId));
    const vendors = await resolvers.vendor(['V00001', 'V00024', 'V00025'], context);
    expect(vendors.get('V00001')).toEqual({ exists: true, usable: true });
    expect(vendors.get('V00024')).toMatchObject({ exists: true, usable: false });
    expect(vendors.get('V00025')).toEqual({ exists: false, usable: false, reason: 'Vendor V00025 does not exist' });
    const accounts = await resolvers.account(['8110', '8190'], context);
    expect(accounts.get('8190')?.usable).toBe(false);
    const before = h.apiRequests().length;
    const dims = await resolvers.dimensionValue(['DEPARTMENT/ADM', 'PROJECT/P-100', 'PROJECT/P-999', 'DEPARTMENT/IT', 'NODIM/X'], context);
    expect(dims.get('NODIM/X')).toEqual({ exists: false, usable: false, reason: 'Dimension value NODIM/X does not exist' });
    expect(h.apiRequests().length - before).toBe(3); // one lookup of both dimensions, one value lookup per dimension
    expect(dims.get('DEPARTMENT/ADM')).toEqual({ exists: true, usable: true });
    expect(dims.get('PROJECT/P-999')).toEqual({ exists: false, usable: false, reason: 'Dimension value PROJECT/P-999 does not exist' });
    await expect(resolvers.dimensionValue(['DEPARTMENT'], context)).rejects.toThrow(/DIMENSION\/VALUE/);
    const currencies = await resolvers.currency(['EUR', '', 'XYZ'], context);
    expect(currencies.get('')).toEqual({ exists: true, usable: true });
    expect(currencies.get('XYZ')).toEqual({ exists: false, usable: false, reason: 'Currency XYZ does not exist' });
  });
});
