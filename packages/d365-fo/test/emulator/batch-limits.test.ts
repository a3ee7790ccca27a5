import { buildMultipartBatch, parseMultipartBatchResponse } from '@ml-connector/core';
import { createFinanceOperationsSandbox } from '@ml-connector/d365-fo/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { call, sandboxToken } from '../helpers.js';

const header = (ref: string, vendor = 'V00004') => ({ dataAreaId: 'usmf', HeaderReference: ref, InvoiceNumber: `N-${ref}`, VendorAccount: vendor, InvoiceDate: '2026-01-05T00:00:00Z', Currency: 'USD' });
const line = (ref: string, n: number, account = '8110-ADM') => ({ dataAreaId: 'usmf', HeaderReference: ref, InvoiceLineNumber: n, ReceiveNow: 1, UnitPrice: 10, Amount: 10, MainAccountDisplayValue: account });

describe('F&O sandbox: multipart $batch', () => {
  it('applies a changeset atomically and answers each operation in a changeset part', async () => {
    const sandbox = createFinanceOperationsSandbox();
    const token = await sandboxToken(sandbox);
    const batch = buildMultipartBatch([{ changeset: [{ method: 'POST', url: 'VendorInvoiceHeaders', body: header('H1') }, { method: 'POST', url: 'VendorInvoiceLines', body: line('H1', 1) }] }]);
    const response = await call(sandbox, token, 'POST', '$batch', batch.body, batch.headers);
    expect(response.status).toBe(200);
    const parts = parseMultipartBatchResponse(await response.text(), response.headers.get('content-type') ?? '');
    expect(parts).toHaveLength(1);
    expect('changeset' in parts[0]! && parts[0].changeset.map((r) => r.status)).toEqual([201, 201]);
    expect(sandbox.rows('VendorInvoiceLines')).toHaveLength(1);
  });

  it('rolls back a changeset that fails halfway and answers only the failing operation, like ASP.NET Web API OData', async () => {
    const sandbox = createFinanceOperationsSandbox();
    const token = await sandboxToken(sandbox);
    const batch = buildMultipartBatch([
      { changeset: [{ method: 'POST', url: 'VendorInvoiceHeaders', body: header('H2') }, { method: 'POST', url: 'VendorInvoiceLines', body: line('H2', 1) }, { method: 'POST', url: 'VendorInvoiceLines', body: line('H2', 2, '9999-ADM') }] },
      { method: 'GET', url: "VendorsV2(dataAreaId='usmf',VendorAccountNumber='V00001')" },
    ]);
    const response = await call(sandbox, token, 'POST', '$batch', batch.body, batch.headers);
    const parts = parseMultipartBatchResponse(await response.text(), response.headers.get('content-type') ?? '');
    const changeset = parts[0] as { changeset: { status: number; contentId?: string; body: unknown }[] };
    expect(changeset.changeset).toHaveLength(1);
    expect(changeset.changeset[0]).toMatchObject({ status: 400, contentId: '3' });
    expect(JSON.stringify(changeset.changeset[0]?.body)).toContain('Main account 9999 does not exist');
    expect(parts[1]).toMatchObject({ response: { status: 200 } });
    expect(sandbox.rows('VendorInvoiceHeaders')).toHaveLength(0);
    expect(sandbox.rows('VendorInvoiceLines')).toHaveLength(0);
  });

  it('refuses a GET inside a changeset', async () => {
    const sandbox = createFinanceOperationsSandbox();
    const token = await sandboxToken(sandbox);
    const body = buildMultipartBatch([{ changeset: [{ method: 'POST', url: 'VendorInvoiceHeaders', body: header('H3') }] }], { boundary: 'b1', changesetBoundaries: ['c1'] }).body.replace('POST VendorInvoiceHeaders', 'GET VendorInvoiceHeaders');
    expect((await call(sandbox, token, 'POST', '$batch', body, { 'content-type': 'multipart/mixed; boundary=b1' })).status).toBe(400);
  });
});

describe('F&O sandbox: service protection limits', () => {
  afterEach(() => vi.useRealTimers());

  it('answers the request-count limit with 429, its own message and Retry-After until the window frees', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 0, 1) });
    const sandbox = createFinanceOperationsSandbox({ limits: { requestsPerWindow: 3, windowMs: 60_000 } });
    const token = await sandboxToken(sandbox);
    for (let i = 0; i < 3; i++) expect((await call(sandbox, token, 'GET', 'VendorsV2?$top=1')).status).toBe(200);
    const limited = await call(sandbox, token, 'GET', 'VendorsV2?$top=1');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('60');
    expect(JSON.stringify(await limited.json())).toContain('Number of requests exceeded the limit of 3 over time window of 60 seconds');
    vi.advanceTimersByTime(60_001);
    expect((await call(sandbox, token, 'GET', 'VendorsV2?$top=1')).status).toBe(200);
    expect(sandbox.stats.throttled.requests).toBe(1);
  });

  it('answers the execution-time limit with its own message', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 0, 1) });
    const sandbox = createFinanceOperationsSandbox({ limits: { executionMsPerWindow: 1000, executionCostMs: 600 } });
    const token = await sandboxToken(sandbox);
    expect((await call(sandbox, token, 'GET', 'VendorsV2?$top=1')).status).toBe(200);
    expect((await call(sandbox, token, 'GET', 'VendorsV2?$top=1')).status).toBe(200);
    const limited = await call(sandbox, token, 'GET', 'VendorsV2?$top=1');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(JSON.stringify(await limited.json())).toContain('Combined execution time of incoming requests exceeded limit of 1 seconds');
    expect(sandbox.stats.throttled['execution-time']).toBe(1);
  });

  it('answers the concurrency limit with its own message', async () => {
    const sandbox = createFinanceOperationsSandbox({ limits: { maxConcurrent: 2 }, faults: { latencyMs: 30 } });
    const token = await sandboxToken(sandbox);
    const statuses = await Promise.all([0, 1, 2, 3].map(async () => {
      const response = await call(sandbox, token, 'GET', 'VendorsV2?$top=1');
      return { status: response.status, text: await response.text() };
    }));
    const limited = statuses.filter((s) => s.status === 429);
    expect(limited).toHaveLength(2);
    expect(limited[0]?.text).toContain('Number of concurrent requests exceeded the limit of 2');
    expect(sandbox.stats.throttled.concurrency).toBe(2);
  });
});
