import { describe, expect, it } from 'vitest';
import { harness, json, type Collection, type ErrorEnvelope } from './helpers.js';

describe('Business Central sandbox: collections, paging and query options', () => {
  it('pages with Prefer: odata.maxpagesize and opaque $skiptoken next links, stable and complete', async () => {
    const h = await harness({ size: { vendors: 54, invoices: 0, purchaseOrders: 0 } });
    const seen: string[] = [];
    let url: string | undefined = `${h.company}/vendors`;
    let pages = 0;
    while (url) {
      const res = await h.get(url, { prefer: 'odata.maxpagesize=10' });
      expect(res.status).toBe(200);
      expect(res.headers.get('preference-applied')).toBe('odata.maxpagesize=10');
      const body = await json<Collection>(res);
      expect(body['@odata.context']).toMatch(/\$metadata#companies\([0-9a-f-]+\)\/vendors$/);
      seen.push(...body.value.map((v) => v.number as string));
      url = body['@odata.nextLink'];
      if (url) expect(url).toContain('$skiptoken=');
      pages++;
    }
    expect(pages).toBe(6);
    expect(seen).toEqual(Array.from({ length: 54 }, (_, i) => `V${String(i + 1).padStart(5, '0')}`).filter((no) => no !== 'V00025'));
  });

  it('applies the server max page size and keeps paging correct when rows are deleted between pages', async () => {
    const h = await harness({ size: { vendors: 12, invoices: 0, purchaseOrders: 0 }, limits: { maxPageSize: 5 } });
    const first = await json<Collection>(await h.get('/vendors', { prefer: 'odata.maxpagesize=1000' }));
    expect(first.value).toHaveLength(5);
    // Delete the last row of page one: the skiptoken is a key, not an offset, so nothing is skipped.
    const last = first.value[4] as { id: string };
    expect((await h.send('DELETE', `/vendors(${last.id})`)).status).toBe(204);
    const second = await json<Collection>(await h.get(first['@odata.nextLink'] as string));
    expect(second.value.map((v) => v.number)).toEqual(['V00006', 'V00007', 'V00008', 'V00009', 'V00010']);
  });

  it('evaluates $filter with and/or/not, parentheses, quotes, guids, dates, numbers and string functions', async () => {
    const h = await harness({ size: { vendors: 5, invoices: 60, purchaseOrders: 5 } });
    const all = h.sandbox.db.purchaseInvoices.all();
    const vendorId = all[0]?.vendorId as string;
    const q = async (filter: string) => {
      const res = await h.get(`/purchaseInvoices?$filter=${encodeURIComponent(filter)}`);
      expect(res.status, filter).toBe(200);
      return (await json<Collection>(res)).value;
    };
    expect((await q(`vendorId eq ${vendorId}`)).length).toBe(all.filter((i) => i.vendorId === vendorId).length);
    expect((await q(`status eq 'Open' or status eq 'Paid'`)).length).toBe(all.filter((i) => i.status !== 'Draft').length);
    expect((await q(`not (status eq 'Draft') and totalAmountExcludingTax gt 1000`)).length).toBe(
      all.filter((i) => i.status !== 'Draft' && (i.totalAmountExcludingTax as number) > 1000).length,
    );
    expect((await q(`invoiceDate ge 2025-07-01 and invoiceDate lt 2025-10-01`)).length).toBe(
      all.filter((i) => (i.invoiceDate as string) >= '2025-07-01' && (i.invoiceDate as string) < '2025-10-01').length,
    );
    const stamp = all[10]?.lastModifiedDateTime as string;
    expect((await q(`lastModifiedDateTime gt ${stamp}`)).length).toBe(all.filter((i) => (i.lastModifiedDateTime as string) > stamp).length);
    expect((await q(`startswith(number,'PPI-') and contains(vendorInvoiceNumber,'-INV-')`)).length).toBe(all.filter((i) => String(i.number).startsWith('PPI-')).length);
    expect((await q(`endswith(vendorName,'Inc.') eq true`)).length).toBe(all.filter((i) => String(i.vendorName).endsWith('Inc.')).length);
    expect(await q(`vendorName eq 'O''Brien'`)).toEqual([]);
    expect((await q(`pricesIncludeTax eq false`)).length).toBe(all.length);
  });

  it('rejects unknown properties, bad syntax and unsupported features with 400 instead of ignoring them', async () => {
    const h = await harness();
    for (const query of ['$filter=nope eq 1', "$filter=number eq 'x", '$filter=number eq 5', '$filter=length(number) eq 5', '$apply=groupby((status))', '$orderby=nope', '$select=nope', '$expand=nope', '$top=-1']) {
      const res = await h.get(`/purchaseInvoices?${query}`);
      expect(res.status, query).toBe(400);
      const body = await json<ErrorEnvelope>(res);
      expect(body.error.code, query).toMatch(/^BadRequest/);
    }
  });

  it('supports $select, $orderby, $top, $skip and $count', async () => {
    const h = await harness({ size: { vendors: 15, invoices: 0, purchaseOrders: 0 } });
    const res = await h.get('/vendors?$select=number,displayName&$orderby=number desc&$top=3&$skip=1&$count=true');
    const body = await json<Collection>(res);
    expect(body['@odata.count']).toBe(15);
    expect(body.value.map((v) => v.number)).toEqual(['V00014', 'V00013', 'V00012']);
    expect(Object.keys(body.value[0] as object).sort()).toEqual(['@odata.etag', 'displayName', 'number']);
    expect(body['@odata.nextLink']).toBeUndefined();
  });

  it('carries $top across pages', async () => {
    const h = await harness({ size: { vendors: 30, invoices: 0, purchaseOrders: 0 } });
    const first = await json<Collection>(await h.get('/vendors?$top=7', { prefer: 'odata.maxpagesize=5' }));
    expect(first.value).toHaveLength(5);
    const second = await json<Collection>(await h.get(first['@odata.nextLink'] as string, { prefer: 'odata.maxpagesize=5' }));
    expect(second.value.map((v) => v.number)).toEqual(['V00006', 'V00007']);
    expect(second['@odata.nextLink']).toBeUndefined();
  });

  it('expands lines, dimension set lines and nested expansions with options', async () => {
    const h = await harness({ size: { vendors: 3, invoices: 5, purchaseOrders: 0 } });
    const res = await h.get('/purchaseInvoices?$expand=purchaseInvoiceLines($select=sequence,lineObjectNumber,amountExcludingTax;$expand=dimensionSetLines($select=code,valueCode)),dimensionSetLines,vendor($select=number)');
    expect(res.status).toBe(200);
    const body = await json<Collection>(res);
    const invoice = body.value[0] as Record<string, unknown>;
    const lines = invoice.purchaseInvoiceLines as Record<string, unknown>[];
    expect(lines.length).toBeGreaterThan(0);
    expect(Object.keys(lines[0] as object)).toEqual(['@odata.etag', 'sequence', 'lineObjectNumber', 'amountExcludingTax', 'dimensionSetLines']);
    const dims = (lines[0] as { dimensionSetLines: { code: string; valueCode: string }[] }).dimensionSetLines;
    expect(dims.map((d) => d.code)).toContain('DEPARTMENT');
    const sum = lines.reduce((acc, l) => acc + (l.amountExcludingTax as number), 0);
    expect(invoice.totalAmountExcludingTax).toBeCloseTo(sum, 2);
    expect((invoice.vendor as { number: string }).number).toBe(invoice.vendorNumber);
  });

  it('serves nested collections, dimensions with values, and the company query parameter form', async () => {
    const h = await harness();
    const dims = await json<Collection>(await h.get('/dimensions?$expand=dimensionValues'));
    expect(dims.value.map((d) => d.code)).toEqual(['DEPARTMENT', 'PROJECT']);
    expect(((dims.value[0] as Record<string, unknown>).dimensionValues as { code: string }[]).map((v) => v.code).sort()).toEqual(['ADM', 'IT', 'PROD', 'SALES']);
    const project = dims.value[1] as { id: string };
    const values = await json<Collection>(await h.get(`/dimensions(${project.id})/dimensionValues`));
    expect(values.value.map((v) => v.code)).toEqual(['P-100', 'P-200', 'P-300']);
    const byQuery = await h.get(`${h.base}/accounts?company=${h.sandbox.companyId}&$filter=number eq '8190'`);
    expect((await json<Collection>(byQuery)).value[0]).toMatchObject({ displayName: 'Legacy Expenses', blocked: true });
    const byHeader = await h.get(`${h.base}/vendors?$top=1`, { company: 'CRONUS USA, Inc.' });
    expect(byHeader.status).toBe(200);
  });

  it('answers 404 with BC codes for unknown ids and segments', async () => {
    const h = await harness();
    const missing = await h.get('/vendors(00000000-0000-0000-0000-0000000000aa)');
    expect(missing.status).toBe(404);
    expect((await json<ErrorEnvelope>(missing)).error.code).toBe('BadRequest_NotFound');
    const segment = await h.get('/customersX');
    expect(segment.status).toBe(404);
    expect((await json<ErrorEnvelope>(segment)).error.code).toBe('BadRequest_ResourceNotFound');
  });
});
