import { afterEach, describe, expect, it, vi } from 'vitest';
import { harness, json, type Collection, type ErrorEnvelope, type Row } from './helpers.js';

interface BatchResponse {
  responses: { id: string | null; status: number; headers: Record<string, string>; body?: Record<string, unknown> }[];
}

describe('Business Central sandbox: $batch', () => {
  it('runs JSON batches and echoes ids, statuses, headers and bodies', async () => {
    const h = await harness();
    const vendor = (await json<Collection>(await h.get('/vendors?$top=1'))).value[0] as Row;
    const res = await h.send('POST', `${h.base}/$batch`, {
      requests: [
        { id: 'a', method: 'GET', url: `companies(${h.sandbox.companyId})/vendors(${vendor.id})?$select=number` },
        { id: 'b', method: 'PATCH', url: `companies(${h.sandbox.companyId})/vendors(${vendor.id})`, headers: { 'content-type': 'application/json', 'if-match': vendor['@odata.etag'] }, body: { displayName: 'Batched' } },
        { id: 'c', method: 'POST', url: `${h.company}/vendors`, headers: { 'content-type': 'application/json' }, body: { displayName: 'From batch' } },
        { id: 'd', method: 'GET', url: `vendors?$filter=displayName eq 'From batch'`, headers: { company: 'CRONUS USA, Inc.' } },
        { id: 'e', method: 'PATCH', url: `companies(${h.sandbox.companyId})/vendors(${vendor.id})`, body: { displayName: 'No etag' } },
      ],
    });
    expect(res.status).toBe(200);
    const body = await json<BatchResponse>(res);
    expect(body.responses.map((r) => [r.id, r.status])).toEqual([
      ['a', 200],
      ['b', 200],
      ['c', 201],
      ['d', 200],
      ['e', 400],
    ]);
    expect(body.responses[0]?.body).toMatchObject({ number: vendor.number });
    expect(body.responses[2]?.headers.location).toContain('/vendors(');
    expect((body.responses[3]?.body?.value as unknown[]).length).toBe(1);
    expect((body.responses[4]?.body as unknown as ErrorEnvelope).error.code).toBe('BadRequest_InvalidToken');
    // Without Isolation: snapshot, successful operations stay applied.
    expect(h.sandbox.db.vendors.get(vendor.id)?.displayName).toBe('Batched');
  });

  it('keeps the post of a snapshot batch and what preceded it: posting commits inside AL', async () => {
    const h = await harness();
    const invoice = await json<Row>(
      await h.send('POST', '/purchaseInvoices', { vendorNumber: 'V00004', vendorInvoiceNumber: 'SNAP-1', purchaseInvoiceLines: [{ lineType: 'Account', lineObjectNumber: '8110', quantity: 1, unitCost: 5 }] }),
    );
    const url = `companies(${h.sandbox.companyId})`;
    const res = await h.send('POST', `${h.base}/$batch`, {
      requests: [
        { id: '1', method: 'POST', url: `${url}/vendors`, headers: { 'content-type': 'application/json' }, body: { number: 'PRE', displayName: 'before' } },
        { id: '2', method: 'POST', url: `${url}/purchaseInvoices(${invoice.id})/Microsoft.NAV.post` },
        { id: '3', method: 'POST', url: `${url}/vendors`, headers: { 'content-type': 'application/json' }, body: { number: 'POST', displayName: 'after' } },
        { id: '4', method: 'POST', url: `${url}/vendors`, headers: { 'content-type': 'application/json' }, body: { number: 'BAD', displayName: 'x'.repeat(101) } },
      ],
    }, { isolation: 'snapshot' });
    expect((await json<BatchResponse>(res)).responses.map((r) => r.status)).toEqual([201, 204, 201, 400]);
    expect(h.sandbox.db.purchaseInvoices.get(invoice.id)?.status).toBe('Open');
    const numbers = h.sandbox.db.vendors.all().map((v) => v.number);
    expect(numbers).toContain('PRE');
    expect(numbers).not.toContain('POST');
  });

  it('counts every batch operation toward the request window unless configured otherwise', async () => {
    const requests = (h: Awaited<ReturnType<typeof harness>>) => Array.from({ length: 8 }, (_, i) => ({ id: String(i), method: 'GET', url: `companies(${h.sandbox.companyId})/vendors?$top=1` }));
    const strict = await harness({ limits: { requestsPerWindow: 10 } });
    expect((await strict.send('POST', `${strict.base}/$batch`, { requests: requests(strict) })).status).toBe(200); // 8 of 10
    const second = await strict.send('POST', `${strict.base}/$batch`, { requests: requests(strict) });
    expect(second.status).toBe(429);
    expect((await json<ErrorEnvelope>(second)).error.code).toBe('Application_TooManyRequests');
    const lenient = await harness({ limits: { requestsPerWindow: 10, countBatchOperations: false } });
    for (let i = 0; i < 3; i++) expect((await lenient.send('POST', `${lenient.base}/$batch`, { requests: requests(lenient) })).status).toBe(200);
  });

  it('rejects more than 100 operations', async () => {
    const h = await harness();
    const requests = Array.from({ length: 101 }, (_, i) => ({ id: String(i), method: 'GET', url: 'companies' }));
    const res = await h.send('POST', `${h.base}/$batch`, { requests });
    expect(res.status).toBe(400);
    const ok = await h.send('POST', `${h.base}/$batch`, { requests: requests.slice(0, 100) });
    expect(ok.status).toBe(200);
  });

  it('rolls back every operation of an Isolation: snapshot batch when one fails', async () => {
    const h = await harness();
    const vendorsBefore = h.sandbox.db.vendors.size;
    const invoicesBefore = h.sandbox.db.purchaseInvoices.size;
    const vendor = h.sandbox.db.vendors.all()[0] as Row;
    const res = await h.send(
      'POST',
      `${h.base}/$batch`,
      {
        requests: [
          { id: '1', method: 'POST', url: `companies(${h.sandbox.companyId})/vendors`, body: { displayName: 'Rolled back' } },
          { id: '2', method: 'PATCH', url: `companies(${h.sandbox.companyId})/vendors(${vendor.id})`, headers: { 'if-match': '*' }, body: { displayName: 'Also rolled back' } },
          { id: '3', method: 'POST', url: `companies(${h.sandbox.companyId})/purchaseInvoices`, body: { vendorNumber: 'V00001', purchaseInvoiceLines: [{ lineType: 'Account', lineObjectNumber: '8110', quantity: 1, unitCost: 5 }] } },
          { id: '4', method: 'POST', url: `companies(${h.sandbox.companyId})/purchaseInvoices`, body: { vendorNumber: 'V00001', purchaseInvoiceLines: [{ lineType: 'Account', lineObjectNumber: '8190', quantity: 1, unitCost: 5 }] } },
        ],
      },
      { isolation: 'snapshot' },
    );
    const body = await json<BatchResponse>(res);
    expect(body.responses.map((r) => r.status)).toEqual([201, 200, 201, 400]);
    expect(h.sandbox.db.vendors.size).toBe(vendorsBefore);
    expect(h.sandbox.db.vendors.get(vendor.id)?.displayName).toBe(vendor.displayName);
    expect(h.sandbox.db.purchaseInvoices.size).toBe(invoicesBefore);
  });
});

describe('Business Central sandbox: service protection limits', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('answers 429 Application_TooManyRequests with Retry-After when the sliding window is full, and recovers', async () => {
    let clock = Date.UTC(2026, 0, 1);
    const h = await harness({ now: () => clock, limits: { requestsPerWindow: 5, windowMs: 10_000 } });
    for (let i = 0; i < 5; i++) expect((await h.get('/vendors?$top=1')).status).toBe(200);
    const limited = await h.get('/vendors?$top=1');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('10');
    expect((await json<ErrorEnvelope>(limited)).error.code).toBe('Application_TooManyRequests');
    clock += 4_000;
    expect((await h.get('/vendors?$top=1')).status).toBe(429);
    clock += 6_001;
    expect((await h.get('/vendors?$top=1')).status).toBe(200);
    expect(h.sandbox.stats.throttled).toBe(2);
  });

  it('queues beyond maxConcurrent and answers 429 only beyond maxQueued', async () => {
    vi.useFakeTimers();
    const h = await harness({ limits: { maxConcurrent: 2, maxQueued: 2 }, faults: { latencyMs: 100 } });
    const pending = Array.from({ length: 7 }, () => h.get('/vendors?$top=1'));
    await vi.advanceTimersByTimeAsync(1_000);
    const statuses = (await Promise.all(pending)).map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(4);
    expect(statuses.filter((s) => s === 429)).toHaveLength(3);
    expect(h.sandbox.stats.maxConcurrency).toBe(2);
  });

  it('limits per client id and never limits the token endpoint', async () => {
    const h = await harness({
      limits: { requestsPerWindow: 1 },
      clients: [
        { clientId: '2d9a6c1e-8b3f-4e7a-a5c2-9f0e1b4d7a38', clientSecret: 'bc-sandbox-client-secret' },
        { clientId: 'other-app', clientSecret: 'other-secret' },
      ],
    });
    expect((await h.get('/vendors?$top=1')).status).toBe(200);
    expect((await h.get('/vendors?$top=1')).status).toBe(429);
    const other = await h.sandbox.fetch(h.sandbox.tokenUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=other-app&client_secret=other-secret&scope=https%3A%2F%2Fapi.businesscentral.dynamics.com%2F.default',
    });
    expect(other.status).toBe(200);
    const token = ((await other.json()) as { access_token: string }).access_token;
    const res = await h.sandbox.fetch(`${h.company}/vendors?$top=1`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
  });
});
