import { describe, expect, it } from 'vitest';
import { harness, json, type Collection, type ErrorEnvelope } from './helpers.js';

const orChain = (count: number) => Array.from({ length: count }, (_, i) => `number eq 'V${String(i + 1).padStart(5, '0')}'`).join(' or ');

describe('Business Central sandbox: $filter limits of BC OData stack', () => {
  it('ignores OData 4.01 `in` by default (the term matches every row), as BC API v2.0 is reported to', async () => {
    const h = await harness({ size: { vendors: 6, invoices: 0, purchaseOrders: 0 } });
    const res = await h.get(`/vendors?$filter=${encodeURIComponent("number in ('V00001','V00002')")}`);
    expect(res.status).toBe(200);
    expect((await json<Collection>(res)).value).toHaveLength(6);
    // The rest of the filter still applies.
    const narrowed = await json<Collection>(await h.get(`/vendors?$filter=${encodeURIComponent("number in ('V00001') and number eq 'V00003'")}`));
    expect(narrowed.value.map((v) => v.number)).toEqual(['V00003']);
  });

  it('rejects `in` with 400 and BC error envelope, or evaluates it, when configured', async () => {
    const strict = await harness({ size: { vendors: 6, invoices: 0, purchaseOrders: 0 }, filterInOperator: 'reject' });
    const refused = await strict.get(`/vendors?$filter=${encodeURIComponent("number in ('V00001','V00002')")}`);
    expect(refused.status).toBe(400);
    const body = await json<ErrorEnvelope>(refused);
    expect(body.error.code).toBe('BadRequest_NotFound');
    expect(body.error.message).toMatch(/The operator 'in' is not supported\.  CorrelationId:  [0-9a-f-]{36}\./);

    const modern = await harness({ size: { vendors: 6, invoices: 0, purchaseOrders: 0 }, filterInOperator: 'support' });
    const found = await json<Collection>(await modern.get(`/vendors?$filter=${encodeURIComponent("number in ('V00001','V00004')")}`));
    expect(found.value.map((v) => v.number)).toEqual(['V00001', 'V00004']);
  });

  it('counts filter nodes like ASP.NET OData: 20 eq terms joined by or pass, 21 exceed MaxNodeCount 100', async () => {
    const h = await harness({ size: { vendors: 30, invoices: 0, purchaseOrders: 0 } });
    const ok = await h.get(`/vendors?$filter=${encodeURIComponent(orChain(20))}`);
    expect(ok.status).toBe(200);
    expect((await json<Collection>(ok)).value).toHaveLength(20);
    const tooMany = await h.get(`/vendors?$filter=${encodeURIComponent(orChain(21))}`);
    expect(tooMany.status).toBe(400);
    expect((await json<ErrorEnvelope>(tooMany)).error.message).toMatch(/^The node count limit of '100' has been exceeded\./);
    const raised = await harness({ size: { vendors: 30, invoices: 0, purchaseOrders: 0 }, limits: { maxFilterNodes: 200 } });
    expect((await raised.get(`/vendors?$filter=${encodeURIComponent(orChain(21))}`)).status).toBe(200);
  });

  it('answers like IIS above the query-string limit (404.15) and like http.sys above the URL limit (414)', async () => {
    const h = await harness({ size: { vendors: 3, invoices: 0, purchaseOrders: 0 }, limits: { maxFilterNodes: 10_000 } });
    const filter = (length: number) => `displayName eq '${'x'.repeat(length)}'`;
    const under = `$filter=${encodeURIComponent(filter(2000))}`;
    expect(under.length).toBeLessThanOrEqual(2048);
    expect((await h.get(`/vendors?${under}`)).status).toBe(200);
    const over = await h.get(`/vendors?$filter=${encodeURIComponent(filter(2100))}`);
    expect(over.status).toBe(404);
    expect(over.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await over.text()).toContain('HTTP Error 404.15');
    const small = await harness({ size: { vendors: 3, invoices: 0, purchaseOrders: 0 }, limits: { maxUrlLength: 300, maxQueryStringLength: 100_000 } });
    const long = await small.get(`/vendors?$filter=${encodeURIComponent(filter(400))}`);
    expect(long.status).toBe(414);
  });
});
