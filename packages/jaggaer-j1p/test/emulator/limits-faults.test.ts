import { afterEach, describe, expect, it, vi } from 'vitest';
import { JAGGAER_RETURN_CODES, SANDBOX_FIRST_INVOICE_ID, createJaggaerSandbox } from '@ml-connector/jaggaer-j1p/testing';
import { P, getToken, invoicePath, setup } from './helpers.js';

afterEach(() => {
  vi.useRealTimers();
});

const ocr = (supplierInvoiceNumber: string) => ({
  batchId: 'b',
  invoiceOcr: {
    invoiceOcrHeader: { supplierInvoiceNumber, supplier: { supplierNumber: 'V00001' } },
    invoiceOcrLineList: { invoiceOcrLine: [{ ocrItem: { description: 'Item' }, quantity: 1, unitPrice: { money: 5 } }] },
  },
});

describe('rate limits', () => {
  it('answers 429 with Retry-After once the request window is used up, and recovers when it ends', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 0, 5, 10, 0, 0) });
    const { sandbox, get, json } = await setup({ limits: { requestsPerWindow: 5, windowMs: 60_000 } });
    for (let i = 0; i < 5; i++) expect((await get(invoicePath(SANDBOX_FIRST_INVOICE_ID))).status).toBe(200);
    vi.advanceTimersByTime(20_000);
    const limited = await get(invoicePath(SANDBOX_FIRST_INVOICE_ID));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('40');
    expect((await json(limited)).returnCode).toBe(JAGGAER_RETURN_CODES.RATE_LIMITED);
    // The token endpoint is not limited.
    await getToken(sandbox);
    vi.advanceTimersByTime(40_000);
    expect((await get(invoicePath(SANDBOX_FIRST_INVOICE_ID))).status).toBe(200);
    expect(sandbox.stats().rateLimited).toBe(1);
  });

  it('answers 429 with Retry-After when too many requests run at once', async () => {
    vi.useFakeTimers();
    const { sandbox, get } = await setup({ limits: { maxConcurrent: 2 }, faults: { latencyMs: 1_000 } });
    const slow = [get(invoicePath(SANDBOX_FIRST_INVOICE_ID)), get(invoicePath(SANDBOX_FIRST_INVOICE_ID))];
    await vi.advanceTimersByTimeAsync(10);
    const third = await get(invoicePath(SANDBOX_FIRST_INVOICE_ID));
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBe('1');
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await Promise.all(slow)).map((r) => r.status)).toEqual([200, 200]);
    expect(sandbox.stats()).toMatchObject({ maxInFlight: 2, inFlight: 0, rateLimited: 1 });
    const again = get(invoicePath(SANDBOX_FIRST_INVOICE_ID));
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await again).status).toBe(200);
  });
});

describe('fault injection', () => {
  it('reset-after really performs the write; reset-before does not', async () => {
    const { sandbox, send, json } = await setup();
    const before = sandbox.invoiceCount;
    sandbox.faults.enqueue({ kind: 'reset-before' });
    await expect(send('POST', P.invoiceOcrImport, ocr('RB-1'))).rejects.toMatchObject({ cause: { code: 'ECONNRESET' } });
    expect(sandbox.invoiceCount).toBe(before);

    sandbox.faults.enqueue({ kind: 'reset-after' });
    await expect(send('POST', P.invoiceOcrImport, ocr('RA-1'))).rejects.toThrow(/fetch failed/);
    expect(sandbox.invoiceCount).toBe(before + 1);
    expect(sandbox.invoices().some((i) => i.supplierInvoiceNumber === 'RA-1')).toBe(true);
    // A blind retry now hits the uniqueness rule, which is how a client learns the first attempt landed.
    const retry = await send('POST', P.invoiceOcrImport, ocr('RA-1'));
    expect(retry.status).toBe(409);
    expect((await json(retry)).returnCode).toBe(JAGGAER_RETURN_CODES.CONFLICT);
  });

  it('truncates bodies so JSON parsing fails mid-way', async () => {
    const { sandbox, get } = await setup();
    sandbox.faults.enqueue({ kind: 'truncate' });
    const response = await get(invoicePath(SANDBOX_FIRST_INVOICE_ID));
    expect(response.status).toBe(200);
    await expect(response.json()).rejects.toThrow();
  });

  it('injects statuses in the JAGGAER envelope with Retry-After for 429/503', async () => {
    const { sandbox, get, json } = await setup();
    sandbox.faults.enqueue({ kind: 'status', status: 503, retryAfterSeconds: 7 }, { kind: 'status', status: 500 });
    const r503 = await get(invoicePath(SANDBOX_FIRST_INVOICE_ID));
    expect(r503.status).toBe(503);
    expect(r503.headers.get('retry-after')).toBe('7');
    expect((await json(r503)).returnCode).toBe(JAGGAER_RETURN_CODES.SERVER_ERROR);
    expect((await get(invoicePath(SANDBOX_FIRST_INVOICE_ID))).status).toBe(500);
    expect((await get(invoicePath(SANDBOX_FIRST_INVOICE_ID))).status).toBe(200);
    expect(sandbox.stats().faultsInjected).toBe(2);
  });

  it('is deterministic by seed and leaves the token endpoint alone', async () => {
    const run = async () => {
      const sandbox = createJaggaerSandbox({ seed: 11, limits: { requestsPerWindow: 10_000 }, faults: { statusRates: { 500: 0.2, 429: 0.1 }, truncateRate: 0.05 } });
      const token = await getToken(sandbox);
      const statuses: number[] = [];
      for (let i = 0; i < 60; i++) {
        const r = await sandbox.fetch(`${sandbox.baseUrl}${invoicePath(SANDBOX_FIRST_INVOICE_ID)}`, { headers: { authorization: `Bearer ${token}` } });
        statuses.push(r.status);
        await r.arrayBuffer().catch(() => undefined);
      }
      for (let i = 0; i < 20; i++) await getToken(sandbox);
      return statuses;
    };
    const a = await run();
    expect(a).toEqual(await run());
    expect(a.filter((s) => s === 500).length).toBeGreaterThan(3);
    expect(a.filter((s) => s === 429).length).toBeGreaterThan(0);
  });

  it('revokes tokens by seeded rate so clients must re-authenticate', async () => {
    const { sandbox, get } = await setup({ faults: { tokenRevocationRate: 1 } });
    expect((await get(invoicePath(SANDBOX_FIRST_INVOICE_ID))).status).toBe(401);
    expect(sandbox.stats().faultsInjected).toBe(1);
  });

  it('rejects bad fault and limit options with InvalidInputError', () => {
    expect(() => createJaggaerSandbox({ faults: { tokenRevocationRate: 2 } })).toThrow(/probability/);
    expect(() => createJaggaerSandbox({ faults: { resetAfterRate: -1 } })).toThrow(/probability/);
    expect(() => createJaggaerSandbox({ limits: { maxConcurrent: 0 } })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => createJaggaerSandbox({ tokenLifetimeSeconds: 0 })).toThrow(/tokenLifetimeSeconds/);
    expect(() => createJaggaerSandbox({ paths: { invoice: '/x/invoices' } })).toThrow(/\{invoiceId\}/);
    expect(() => createJaggaerSandbox({ paths: { invoices: 'no-slash' } })).toThrow(/absolute path/);
    expect(() => createJaggaerSandbox({ clients: [] })).toThrow(/at least one client/);
  });
});

describe('loopback server and custom paths', () => {
  it('serves over 127.0.0.1 with the configured path table; resets become socket errors', async () => {
    const sandbox = createJaggaerSandbox({
      paths: { invoice: '/esop/jint/api/public/ji/v1/invoices/{invoiceId}', token: '/auth/realms/custom/protocol/openid-connect/token' },
    });
    const server = await sandbox.listen();
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(server.tokenUrl).toBe(`${server.url}/auth/realms/custom/protocol/openid-connect/token`);
      const token = await getToken(sandbox, fetch, server.tokenUrl);
      const ok = await fetch(`${server.url}/esop/jint/api/public/ji/v1/invoices/${SANDBOX_FIRST_INVOICE_ID}`, { headers: { authorization: `Bearer ${token}` } });
      expect(ok.status).toBe(200);
      expect((await ok.json()).header.invoiceId).toBe(SANDBOX_FIRST_INVOICE_ID);
      const old = await fetch(`${server.url}${invoicePath(SANDBOX_FIRST_INVOICE_ID)}`, { headers: { authorization: `Bearer ${token}` } });
      expect(old.status).toBe(404);
      sandbox.faults.enqueue({ kind: 'reset-after' });
      await expect(fetch(`${server.url}/esop/jint/api/public/ji/v1/invoices/${SANDBOX_FIRST_INVOICE_ID}`, { headers: { authorization: `Bearer ${token}` } })).rejects.toThrow();
      sandbox.faults.enqueue({ kind: 'truncate' });
      const truncated = await fetch(`${server.url}/esop/jint/api/public/ji/v1/invoices/${SANDBOX_FIRST_INVOICE_ID}`, { headers: { authorization: `Bearer ${token}` } });
      await expect(truncated.text()).rejects.toThrow();
    } finally {
      await server.close();
    }
  });
});
