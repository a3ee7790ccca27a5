import { describe, expect, it } from 'vitest';
import { createFinanceOperationsSandbox } from '@ml-connector/d365-fo/testing';
import { call, sandboxToken } from '../helpers.js';

const enc = encodeURIComponent;

describe('F&O sandbox: OData, companies, keys, enums, ETags', () => {
  it('rejects a missing or foreign token and an app not registered in F&O', async () => {
    const sandbox = createFinanceOperationsSandbox({ apps: [{ clientId: 'a', clientSecret: 's' }, { clientId: 'b', clientSecret: 't', registeredInFinanceOperations: false }] });
    expect((await call(sandbox, 'nope', 'GET', 'VendorsV2')).status).toBe(401);
    expect((await call(sandbox, await sandboxToken(sandbox, 'b', 't'), 'GET', 'VendorsV2')).status).toBe(401);
    expect((await call(sandbox, await sandboxToken(sandbox, 'a', 's'), 'GET', 'VendorsV2?$top=1')).status).toBe(200);
  });

  it('shows only the default company without cross-company, every company with it', async () => {
    const sandbox = createFinanceOperationsSandbox();
    const token = await sandboxToken(sandbox);
    const own = (await (await call(sandbox, token, 'GET', 'VendorsV2')).json()) as { value: { dataAreaId: string }[] };
    expect(new Set(own.value.map((v) => v.dataAreaId))).toEqual(new Set(['usmf']));
    const all = (await (await call(sandbox, token, 'GET', `VendorsV2?cross-company=true&$filter=${enc("dataAreaId eq 'demf'")}`)).json()) as { value: unknown[] };
    expect(all.value).toHaveLength(4);
    expect((await call(sandbox, token, 'GET', `VendorsV2(dataAreaId='demf',VendorAccountNumber='DE-001')`)).status).toBe(404);
    expect((await call(sandbox, token, 'GET', `VendorsV2(dataAreaId='demf',VendorAccountNumber='DE-001')?cross-company=true`)).status).toBe(200);
  });

  it('needs the full composite key', async () => {
    const sandbox = createFinanceOperationsSandbox();
    const token = await sandboxToken(sandbox);
    const response = await call(sandbox, token, 'GET', `VendorsV2(VendorAccountNumber='V00001')`);
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toMatch(/dataAreaId/);
  });

  it('filters enums only with the namespace-qualified literal and eq/ne', async () => {
    const sandbox = createFinanceOperationsSandbox();
    const token = await sandboxToken(sandbox);
    const ok = await call(sandbox, token, 'GET', `VendorsV2?$filter=${enc("OnHoldStatus eq Microsoft.Dynamics.DataEntities.VendorBlocked'All'")}`);
    expect(((await ok.json()) as { value: { VendorAccountNumber: string }[] }).value.map((v) => v.VendorAccountNumber)).toEqual(['V00007']);
    expect((await call(sandbox, token, 'GET', `VendorsV2?$filter=${enc("OnHoldStatus eq 'All'")}`)).status).toBe(400);
    expect((await call(sandbox, token, 'GET', `VendorsV2?$filter=${enc("OnHoldStatus gt Microsoft.Dynamics.DataEntities.VendorBlocked'No'")}`)).status).toBe(400);
    expect((await call(sandbox, token, 'GET', `VendorsV2?$filter=${enc("VendorGroupId in ('10')")}`)).status).toBe(400);
  });

  it('supports wildcard eq, orderby, top/skip and server-driven paging', async () => {
    const sandbox = createFinanceOperationsSandbox({ limits: { maxPageSize: 10 } });
    const token = await sandboxToken(sandbox);
    const page = (await (await call(sandbox, token, 'GET', `VendorsV2?$filter=${enc("VendorAccountNumber eq 'V0001*'")}&$orderby=VendorAccountNumber desc`)).json()) as { value: { VendorAccountNumber: string }[]; '@odata.nextLink'?: string };
    expect(page.value[0]?.VendorAccountNumber).toBe('V00019');
    expect(page.value).toHaveLength(10);
    const full = (await (await call(sandbox, token, 'GET', 'VendorsV2')).json()) as { value: unknown[]; '@odata.nextLink': string };
    expect(full['@odata.nextLink']).toContain('$skip=10');
  });

  it('answers 412 for a stale ETag and 204 with a new ETag for a fresh one', async () => {
    const sandbox = createFinanceOperationsSandbox();
    const token = await sandboxToken(sandbox);
    const path = `VendorsV2(dataAreaId='usmf',VendorAccountNumber='V00002')`;
    const read = (await (await call(sandbox, token, 'GET', path)).json()) as { '@odata.etag': string };
    const first = await call(sandbox, token, 'PATCH', path, { VendorOrganizationName: 'Renamed' }, { 'if-match': read['@odata.etag'] });
    expect(first.status).toBe(204);
    const stale = await call(sandbox, token, 'PATCH', path, { VendorOrganizationName: 'Again' }, { 'if-match': read['@odata.etag'] });
    expect(stale.status).toBe(412);
  });

  it('keeps posted invoices out of VendorInvoiceHeaders and read-only in the journal', async () => {
    const sandbox = createFinanceOperationsSandbox();
    const token = await sandboxToken(sandbox);
    const created = await call(sandbox, token, 'POST', 'VendorInvoiceHeaders', { dataAreaId: 'usmf', InvoiceNumber: 'INV-9', VendorAccount: 'V00003', InvoiceDate: '2026-01-05T00:00:00Z', Currency: 'USD' });
    expect(created.status).toBe(201);
    const { HeaderReference } = (await created.json()) as { HeaderReference: string };
    await sandbox.postInvoice('usmf', HeaderReference);
    expect((await call(sandbox, token, 'GET', `VendorInvoiceHeaders(dataAreaId='usmf',HeaderReference='${HeaderReference}')`)).status).toBe(404);
    const journal = (await (await call(sandbox, token, 'GET', `VendInvoiceJourBiEntities?$filter=${enc("InvoiceId eq 'INV-9'")}`)).json()) as { value: { LedgerVoucher: string }[] };
    expect(journal.value).toHaveLength(1);
    expect((await call(sandbox, token, 'POST', 'VendInvoiceJourBiEntities', { InvoiceId: 'X' })).status).toBe(405);
  });
});
