import { describe, expect, it } from 'vitest';
import { generateJaggaerSeed, SANDBOX_ACCOUNTS, SANDBOX_BLOCKED_ACCOUNT, SANDBOX_DEPARTMENTS } from '@ml-connector/jaggaer-j1p/testing';
import {
  SEED_ACCOUNT_VALUE_SET,
  SEED_COST_CENTER_VALUE_SET,
  createOracleFusionSandbox,
  generateOracleFusionSeed,
} from '@ml-connector/oracle-fusion/testing';
import { call, sandboxToken, token } from '../helpers.js';

type Page = { items: Record<string, unknown>[]; count: number; hasMore: boolean; limit: number; offset: number; totalResults?: number; links?: unknown[] };
type OracleErrorBody = { title: string; status: string; 'o:errorDetails': { detail: string; 'o:errorCode'?: string }[] };

describe('Identity Domain token endpoint', () => {
  it('issues tokens for the client secret in a Basic header and refuses a wrong one', async () => {
    const sandbox = createOracleFusionSandbox();
    const ok = await sandboxToken(sandbox);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const refused = await sandboxToken(sandbox, 'wrong');
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('answers 401 without a token, with a revoked token, and for a wrong Basic password', async () => {
    const sandbox = createOracleFusionSandbox();
    const t = await token(sandbox);
    expect((await call(sandbox, '', 'GET', 'suppliers')).status).toBe(401);
    expect((await call(sandbox, t, 'GET', 'suppliers')).status).toBe(200);
    sandbox.revokeTokens();
    expect((await call(sandbox, t, 'GET', 'suppliers')).status).toBe(401);
    const basic = await sandbox.fetch(`${sandbox.host}/fscmRestApi/resources/11.13.18.05/suppliers`, { headers: { authorization: `Basic ${Buffer.from('integration.user:nope').toString('base64')}` } });
    expect(basic.status).toBe(401);
  });
});

describe('ADF REST framework', () => {
  it('pages with the documented collection shape: default limit 25, hasMore, offset, totalResults on request', async () => {
    const sandbox = createOracleFusionSandbox();
    const t = await token(sandbox);
    const first = (await (await call(sandbox, t, 'GET', 'invoices?totalResults=true')).json()) as Page;
    expect(first).toMatchObject({ count: 25, hasMore: true, limit: 25, offset: 0, totalResults: 30 });
    const last = (await (await call(sandbox, t, 'GET', 'invoices?offset=25')).json()) as Page;
    expect(last).toMatchObject({ count: 5, hasMore: false, offset: 25 });
    expect(last.totalResults).toBeUndefined();
    const clamped = (await (await call(sandbox, t, 'GET', 'invoices?limit=100000&onlyData=true')).json()) as Page;
    expect(clamped.limit).toBe(500);
    expect(clamped.items[0]?.links).toBeUndefined();
  });

  it('gives invoices opaque hash keys in self links and expands children as arrays (v2) or collections (v3)', async () => {
    const sandbox = createOracleFusionSandbox();
    const t = await token(sandbox);
    const v2 = (await (await call(sandbox, t, 'GET', 'invoices?limit=1&expand=invoiceLines,invoiceLines.invoiceDistributions&fields=InvoiceId,InvoiceNumber;invoiceLines:LineNumber')).json()) as Page;
    const invoice = v2.items[0] as Record<string, unknown> & { links: { rel: string; href: string }[] };
    const self = invoice.links.find((l) => l.rel === 'self')?.href as string;
    expect(self).toMatch(/\/invoices\/00020000000EACED[0-9A-F]{40,}$/);
    expect(self).not.toContain(String(invoice.InvoiceId));
    expect(Object.keys(invoice).sort()).toEqual(['InvoiceId', 'InvoiceNumber', 'invoiceLines', 'links']);
    expect((invoice.invoiceLines as Record<string, unknown>[])[0]).toMatchObject({ LineNumber: 1, invoiceDistributions: [expect.objectContaining({ DistributionLineNumber: 1 })] });
    const v3 = (await (await call(sandbox, t, 'GET', 'invoices?limit=1&expand=invoiceLines', { version: '3' })).json()) as Page;
    expect(v3.items[0]?.invoiceLines).toMatchObject({ items: [expect.objectContaining({ LineNumber: 1 })], hasMore: false });
    const item = await sandbox.fetch(self, { headers: { authorization: `Bearer ${t}`, 'rest-framework-version': '2' } });
    expect(item.status).toBe(200);
    expect(item.headers.get('etag')).toMatch(/^"[0-9A-F]+"$/);
  });

  it('evaluates q, orderBy and finder; rejects malformed q, unknown attributes and v1 expressions with Oracle error bodies', async () => {
    const sandbox = createOracleFusionSandbox();
    const t = await token(sandbox);
    const q = encodeURIComponent("SupplierNumber IN ('V00003','V00001') and Status = 'ACTIVE'");
    const found = (await (await call(sandbox, t, 'GET', `suppliers?q=${q}&orderBy=SupplierNumber:desc`)).json()) as Page;
    expect(found.items.map((s) => s.SupplierNumber)).toEqual(['V00003', 'V00001']);
    const byKey = (await (await call(sandbox, t, 'GET', `suppliers?finder=PrimaryKey;SupplierId=${found.items[0]?.SupplierId}`)).json()) as Page;
    expect(byKey.count).toBe(1);
    for (const [query, version] of [["Supplier = 'unterminated", '2'], ['Nope = 1', '2'], ["Supplier = 'x'", '1']] as const) {
      const response = await call(sandbox, t, 'GET', `suppliers?q=${encodeURIComponent(query)}`, { version });
      expect(response.status).toBe(400);
      if (version === '2') expect(((await response.json()) as OracleErrorBody)['o:errorDetails'][0]?.detail).toContain('q');
      else expect(response.headers.get('content-type')).toContain('text/plain');
    }
  });

  it('creates invoices with lines (deep insert), enforces ETags, upserts, validates and refuses duplicates and unknown suppliers', async () => {
    const sandbox = createOracleFusionSandbox();
    const t = await token(sandbox);
    const supplier = sandbox.store.collections.suppliers?.[0]?.attrs as Record<string, unknown>;
    const body = { InvoiceNumber: 'NEW-1', InvoiceCurrency: 'USD', InvoiceAmount: 10, InvoiceDate: '2026-01-15', BusinessUnit: 'US01', Supplier: supplier.Supplier, SupplierSite: 'US01-MAIN', invoiceLines: [{ LineNumber: 1, LineType: 'Item', LineAmount: 10 }] };
    const created = await call(sandbox, t, 'POST', 'invoices', { body });
    expect(created.status).toBe(201);
    const invoice = (await created.json()) as Record<string, unknown> & { links: { rel: string; href: string }[] };
    expect(invoice).toMatchObject({ SupplierNumber: supplier.SupplierNumber, ValidationStatus: 'Never Validated' });
    expect((await call(sandbox, t, 'POST', 'invoices', { body })).status).toBe(400);
    expect((await call(sandbox, t, 'POST', 'invoices', { body: { ...body, InvoiceNumber: 'NEW-2', Supplier: 'Nobody' } })).status).toBe(400);
    expect((await call(sandbox, t, 'POST', 'invoices', { body: { ...body, InvoiceNumber: 'NEW-3', InvoiceId: 5 } })).status).toBe(400);
    expect((await call(sandbox, t, 'POST', 'invoices', { body: 'x', headers: { 'content-type': 'text/plain' } })).status).toBe(415);
    const self = invoice.links.find((l) => l.rel === 'self')?.href.split('/11.13.18.05/')[1] as string;
    const etag = created.headers.get('etag') as string;
    const patched = await call(sandbox, t, 'PATCH', self, { body: { Description: 'first' }, headers: { 'if-match': etag } });
    expect(patched.status).toBe(200);
    const stale = await call(sandbox, t, 'PATCH', self, { body: { Description: 'second' }, headers: { 'if-match': etag } });
    expect(stale.status).toBe(412);
    const upsert = await call(sandbox, t, 'PATCH', 'invoices', { body: { InvoiceId: invoice.InvoiceId, Description: 'upserted', invoiceLines: [{ LineNumber: 1, LineAmount: 12 }, { LineNumber: 2, LineType: 'Freight', LineAmount: 3 }] }, headers: { 'upsert-mode': 'true' } });
    expect(upsert.status).toBe(200);
    const lines = (await (await call(sandbox, t, 'GET', `${self}/child/invoiceLines`)).json()) as Page;
    expect(lines.items.map((l) => [l.LineNumber, l.LineAmount])).toEqual([[1, 12], [2, 3]]);
    const action = await call(sandbox, t, 'POST', 'invoices/action/validateInvoice', { body: { InvoiceNumber: 'NEW-1', BusinessUnit: 'US01' }, headers: { 'content-type': 'application/vnd.oracle.adf.action+json' } });
    expect(await action.json()).toEqual({ result: 'SUCCESS' });
    expect(sandbox.store.rows('invoices').find((i) => i.InvoiceNumber === 'NEW-1')?.ValidationStatus).toBe('Validated');
  });

  it('purchase orders are read-only with an acknowledge action', async () => {
    const sandbox = createOracleFusionSandbox();
    const t = await token(sandbox);
    const po = ((await (await call(sandbox, t, 'GET', 'purchaseOrders?limit=1')).json()) as Page).items[0] as { links: { rel: string; href: string }[] };
    const self = po.links.find((l) => l.rel === 'self')?.href.split('/11.13.18.05/')[1] as string;
    expect((await call(sandbox, t, 'PATCH', self, { body: { Status: 'x' } })).status).toBe(405);
    const ack = () => call(sandbox, t, 'POST', `${self}/action/acknowledge`, { body: { AcknowledgmentResponse: 'ACCEPT' }, headers: { 'content-type': 'application/vnd.oracle.adf.action+json' } });
    expect((await ack()).status).toBe(200);
    expect((await ack()).status).toBe(400);
  });
});

describe('throttling and faults', () => {
  it('throttles per identity when configured, with Retry-After', async () => {
    const sandbox = createOracleFusionSandbox({ throttle: { requestsPerWindow: 2, retryAfterSeconds: 7 } });
    const t = await token(sandbox);
    expect((await call(sandbox, t, 'GET', 'suppliers')).status).toBe(200);
    expect((await call(sandbox, t, 'GET', 'suppliers')).status).toBe(200);
    const limited = await call(sandbox, t, 'GET', 'suppliers');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(sandbox.stats.throttled).toBe(1);
  });

  it('injects queued faults: status with Oracle body, connection drops, truncated bodies', async () => {
    const sandbox = createOracleFusionSandbox();
    const t = await token(sandbox);
    sandbox.faults.enqueue({ kind: 'status', status: 503, retryAfterSeconds: 2 }, { kind: 'reset-before' }, { kind: 'truncate' });
    const unavailable = await call(sandbox, t, 'GET', 'suppliers');
    expect(unavailable.status).toBe(503);
    expect(((await unavailable.json()) as OracleErrorBody).title).toBe('Service Unavailable');
    await expect(call(sandbox, t, 'GET', 'suppliers')).rejects.toThrow(/fetch failed/);
    const truncated = await call(sandbox, t, 'GET', 'suppliers');
    await expect(truncated.text()).rejects.toThrow();
    expect(sandbox.stats.faultsInjected).toBe(3);
  });
});

describe('seed shared with the JAGGAER sandbox', () => {
  it('uses the same supplier numbers, natural accounts, blocked account and cost centers', () => {
    const oracle = generateOracleFusionSeed();
    const jaggaer = generateJaggaerSeed();
    expect(oracle.suppliers?.map((s) => s.attrs.SupplierNumber)).toEqual(jaggaer.suppliers.map((s) => s.supplierNumber));
    const valueSet = (code: string) => oracle.valueSets?.find((v) => v.attrs.ValueSetCode === code)?.children.values?.map((v) => v.attrs) ?? [];
    expect(valueSet(SEED_ACCOUNT_VALUE_SET).filter((v) => v.EnabledFlag === 'Y').map((v) => v.Value)).toEqual(SANDBOX_ACCOUNTS.map((a) => a.code));
    expect(valueSet(SEED_ACCOUNT_VALUE_SET).find((v) => v.Value === SANDBOX_BLOCKED_ACCOUNT)?.EnabledFlag).toBe('N');
    expect(valueSet(SEED_COST_CENTER_VALUE_SET).map((v) => v.Value)).toEqual(SANDBOX_DEPARTMENTS.map((d) => d.code));
  });
});
