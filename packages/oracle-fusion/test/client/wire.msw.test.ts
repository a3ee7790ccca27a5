import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isConflictError, isInvalidInputError, isNotFoundError, isServerError, isValidationError } from '@ml-connector/core';
import { createOracleFusionClient, oracleErrorDetails } from '@ml-connector/oracle-fusion';

// The wire format the client sends and the error bodies it maps, on the global fetch.
const HOST = 'https://acme.fa.us2.oraclecloud.com';
const IDCS = 'https://idcs-abc123.identity.oraclecloud.com';
const BASE = `${HOST}/fscmRestApi/resources/11.13.18.05`;
const SCOPE = 'urn:opc:resource:fa:instanceid=1urn:opc:resource:consumer::all';
const SECRET = 'secret-xyz-123';

let tokens = 0;
const server = setupServer(
  http.post(`${IDCS}/oauth2/v1/token`, async ({ request }) => {
    tokens++;
    const form = new URLSearchParams(await request.text());
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('scope')).toBe(SCOPE);
    expect(form.get('client_secret')).toBeNull();
    expect(request.headers.get('authorization')).toBe(`Basic ${Buffer.from(`app:${SECRET}`).toString('base64')}`);
    return HttpResponse.json({ access_token: `token-${tokens}`, token_type: 'Bearer', expires_in: 3600 });
  }),
);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  server.resetHandlers();
  tokens = 0;
});
afterAll(() => server.close());

const client = (extra = {}) =>
  createOracleFusionClient({ host: 'acme.fa.us2.oraclecloud.com', identityDomainUrl: IDCS, scope: SCOPE, credentials: { clientId: 'app', clientSecret: SECRET }, retry: false, ...extra });
const page = (items: unknown[], extra = {}) => HttpResponse.json({ items, count: items.length, hasMore: false, limit: 25, offset: 0, ...extra });
const supplier = { SupplierId: 1, Supplier: 'A', SupplierNumber: 'V00001', LastUpdateDate: '2026-01-01T00:00:00+00:00', links: [{ rel: 'self', href: `${BASE}/suppliers/1` }] };
const oracleError = (status: number, detail: string, code: string) =>
  HttpResponse.json({ title: 'Bad Request', status: String(status), 'o:errorDetails': [{ detail, 'o:errorCode': code }] }, { status, headers: { 'content-type': 'application/vnd.oracle.adf.error+json' } });

describe('wire format (msw)', () => {
  it('builds the collection URL with q, fields, expand, orderBy, onlyData, totalResults, limit and offset', async () => {
    let seen: URL | undefined;
    let headers: Headers | undefined;
    server.use(
      http.get(`${BASE}/invoices`, ({ request }) => {
        seen = new URL(request.url);
        headers = request.headers;
        return page([], { totalResults: 0 });
      }),
    );
    const pages = client().invoices.list({
      q: (q) => q.and(q.eq('Supplier', "O'Neil; Sons"), q.gt('InvoiceAmount', 10)),
      fields: ['InvoiceId', 'InvoiceNumber'],
      childFields: { invoiceLines: ['LineNumber'] },
      expand: ['invoiceLines'],
      orderBy: ['LastUpdateDate:asc', 'InvoiceId'],
      onlyData: true,
      totalResults: true,
      pageSize: 50,
    });
    const first = await pages.byPage().next();
    expect(first.value).toMatchObject({ items: [], totalResults: 0, offset: 0 });
    expect(Object.fromEntries(seen?.searchParams ?? [])).toEqual({
      q: "(Supplier = 'O''Neil; Sons') and (InvoiceAmount > 10)",
      fields: 'InvoiceId,InvoiceNumber;invoiceLines:LineNumber',
      expand: 'invoiceLines',
      orderBy: 'LastUpdateDate:asc,InvoiceId',
      onlyData: 'true',
      totalResults: 'true',
      limit: '50',
      offset: '0',
    });
    expect(headers?.get('rest-framework-version')).toBe('2');
    expect(headers?.get('authorization')).toBe('Bearer token-1');
  });

  it('pages with offset until hasMore is false', async () => {
    const offsets: string[] = [];
    server.use(
      http.get(`${BASE}/suppliers`, ({ request }) => {
        const offset = Number(new URL(request.url).searchParams.get('offset'));
        offsets.push(String(offset));
        return HttpResponse.json({ items: [{ ...supplier, SupplierId: offset + 1 }, { ...supplier, SupplierId: offset + 2 }], count: 2, hasMore: offset < 4, limit: 2, offset });
      }),
    );
    const all = await client().suppliers.list({ pageSize: 2 }).toArray({ limit: 100 });
    expect(all.map((s) => s.SupplierId)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(offsets).toEqual(['0', '2', '4']);
  });

  it('writes with the ADF item media type, If-Match from the ETag, and Upsert-Mode on invoices', async () => {
    const writes: { method: string; headers: Headers; body: unknown }[] = [];
    server.use(
      http.get(`${BASE}/suppliers/1`, () => HttpResponse.json(supplier, { headers: { etag: '"E1"' } })),
      http.patch(`${BASE}/suppliers/1`, async ({ request }) => {
        writes.push({ method: 'PATCH', headers: request.headers, body: await request.json() });
        return HttpResponse.json(supplier, { headers: { etag: '"E2"' } });
      }),
      http.patch(`${BASE}/invoices`, async ({ request }) => {
        writes.push({ method: 'UPSERT', headers: request.headers, body: await request.json() });
        return HttpResponse.json({ InvoiceId: 7, InvoiceNumber: 'X', InvoiceCurrency: 'USD', InvoiceAmount: 1, InvoiceDate: '2026-01-01', Supplier: 'A', LastUpdateDate: '2026-01-01T00:00:00+00:00' });
      }),
    );
    const erp = client();
    const read = await erp.suppliers.getById(1);
    const updated = await erp.suppliers.update(read, { Status: 'INACTIVE' });
    expect(updated['@context']?.headers?.ETag).toBe('"E2"');
    await erp.invoices.upsert({ InvoiceId: 7, Description: 'x', invoiceLines: [{ LineNumber: 1, LineAmount: 2 }] });
    expect(writes[0]?.headers.get('content-type')).toBe('application/vnd.oracle.adf.resourceitem+json');
    expect(writes[0]?.headers.get('if-match')).toBe('"E1"');
    expect(writes[0]?.body).toEqual({ Status: 'INACTIVE' });
    expect(writes[1]?.headers.get('upsert-mode')).toBe('true');
    expect(writes[1]?.body).toMatchObject({ InvoiceId: 7 });
  });

  it('refreshes the token once on 401 and retries', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/suppliers/1`, ({ request }) => {
        calls++;
        return request.headers.get('authorization') === 'Bearer token-2' ? HttpResponse.json(supplier) : new HttpResponse(null, { status: 401 });
      }),
    );
    const found = await client().suppliers.getById(1);
    expect(found.SupplierNumber).toBe('V00001');
    expect(calls).toBe(2);
    expect(tokens).toBe(2);
  });

  it('sends Basic auth when given a user', async () => {
    let auth: string | null = null;
    server.use(
      http.get(`${BASE}/suppliers/1`, ({ request }) => {
        auth = request.headers.get('authorization');
        return HttpResponse.json(supplier);
      }),
    );
    const erp = createOracleFusionClient({ host: HOST, credentials: { username: 'int.user', password: 'pw-secret' }, retry: false });
    await erp.suppliers.getById(1);
    expect(auth).toBe(`Basic ${Buffer.from('int.user:pw-secret').toString('base64')}`);
    expect(tokens).toBe(0);
  });

  it.each([
    [400, isValidationError],
    [404, isNotFoundError],
    [412, isConflictError],
    [500, isServerError],
  ] as const)('maps %i with Oracle error details and no secrets', async (status, guard) => {
    server.use(http.get(`${BASE}/suppliers/1`, () => oracleError(status, `problem ${status}`, `2700${status}`)));
    const error = await client().suppliers.getById(1).catch((e: unknown) => e);
    expect(guard(error)).toBe(true);
    expect(oracleErrorDetails(error)).toEqual([{ detail: `problem ${status}`, code: `2700${status}` }]);
    expect(JSON.stringify(error)).not.toContain('token-1');
    expect(JSON.stringify(error)).not.toContain(SECRET);
  });

  it('reads a framework-version-1 plain text error', async () => {
    server.use(http.get(`${BASE}/suppliers/1`, () => new HttpResponse('URL request parameter q is not valid', { status: 400, headers: { 'content-type': 'text/plain' } })));
    const error = await client({ frameworkVersion: '1' }).suppliers.getById(1).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, vendorMessage: 'URL request parameter q is not valid' });
  });

  it('refuses bad options and references before sending anything', async () => {
    const attempts: (() => unknown)[] = [
      () => createOracleFusionClient({ host: '', credentials: { username: 'u', password: 'p' } }),
      () => createOracleFusionClient({ host: HOST, version: '../x', credentials: { username: 'u', password: 'p' } }),
      () => createOracleFusionClient({ host: HOST, credentials: { clientId: 'app', clientSecret: 's' } }),
      () => createOracleFusionClient({ host: HOST, identityDomainUrl: IDCS, credentials: { clientId: 'app', clientSecret: 's' } }),
      () => createOracleFusionClient({ host: HOST, frameworkVersion: '10', credentials: { username: 'u', password: 'p' } }),
      () => client().invoices.update({ links: [] }, {}),
      () => client().accounts.values('../x'),
      () => client().suppliers.list({ pageSize: 501 }),
      () => client().suppliers.list({ orderBy: ['A:sideways'] }),
    ];
    for (const attempt of attempts) {
      const error = await Promise.resolve()
        .then(attempt)
        .catch((e: unknown) => e);
      expect(isInvalidInputError(error), String(attempt)).toBe(true);
    }
  });
});
