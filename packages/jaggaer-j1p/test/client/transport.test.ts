import { inspect } from 'node:util';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  isAuthenticationError,
  isConflictError,
  isInvalidInputError,
  isNotFoundError,
  isRateLimitError,
  isServerError,
  isValidationError,
} from '@ml-connector/core';
import { createJaggaerClient, DEFAULT_JAGGAER_PATHS, isJaggaerReturnCodeError } from '@ml-connector/jaggaer-j1p';
import {
  SANDBOX_BASE_URL,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
  SANDBOX_FIRST_INVOICE_ID,
  createJaggaerSandbox,
} from '@ml-connector/jaggaer-j1p/testing';
import { capturingLogger, failure, setup } from './helpers.js';

/** Advances fake time until the promise settles (every wait in client and sandbox is a timer). */
async function settle<T>(promise: Promise<T>, stepMs = 250, maxSteps = 10_000): Promise<T> {
  let done = false;
  const tracked = promise.finally(() => {
    done = true;
  });
  tracked.catch(() => {});
  for (let i = 0; i < maxSteps && !done; i++) await vi.advanceTimersByTimeAsync(stepMs);
  return tracked;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('token handling', () => {
  it('revoked tokens mid-run: exactly one new token and the call succeeds', async () => {
    const { sandbox, client, retries } = setup();
    await client.invoices.get(SANDBOX_FIRST_INVOICE_ID);
    expect(sandbox.stats().tokensIssued).toBe(1);
    sandbox.revokeTokens();
    const invoice = await client.invoices.get(SANDBOX_FIRST_INVOICE_ID);
    expect(invoice.invoiceId).toBe(String(SANDBOX_FIRST_INVOICE_ID));
    expect(sandbox.stats()).toMatchObject({ tokensIssued: 2, unauthorized: 1 });
    await client.suppliers.get('V00001');
    expect(sandbox.stats().tokensIssued).toBe(2);
    expect(retries).toEqual([]); // a 401 refresh is not a transport retry
  });

  it('refreshes the token before its one-hour expiry without a 401', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 2, 1) });
    const { sandbox, client } = setup();
    await client.invoices.get(SANDBOX_FIRST_INVOICE_ID);
    await vi.advanceTimersByTimeAsync(50 * 60_000);
    await client.invoices.get(SANDBOX_FIRST_INVOICE_ID);
    expect(sandbox.stats().tokensIssued).toBe(1);
    await vi.advanceTimersByTimeAsync(6 * 60_000); // inside the 5-minute refresh window
    await client.invoices.get(SANDBOX_FIRST_INVOICE_ID);
    expect(sandbox.stats()).toMatchObject({ tokensIssued: 2, unauthorized: 0 });
  });

  it('uses a configurable realm and token URL', async () => {
    const { sandbox, client } = setup(
      { paths: { token: '/auth/realms/acme-int/protocol/openid-connect/token' } },
      { paths: {}, realm: 'acme-int' },
    );
    expect(client.tokenUrl).toBe(`${SANDBOX_BASE_URL}/auth/realms/acme-int/protocol/openid-connect/token`);
    await client.suppliers.get('V00001');
    expect(sandbox.stats().tokensIssued).toBe(1);
  });
});

describe('rate limits', () => {
  it('a 429 storm with tiny limits: every call completes, retries are recorded as rate-limited', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 2, 1) });
    const { sandbox, client, retries } = setup(
      { limits: { requestsPerWindow: 3, windowMs: 1000, maxConcurrent: 2 } },
      { retry: { maxRetries: 30, random: () => 0 }, retryBudget: false },
    );
    const calls = Array.from({ length: 12 }, (_, i) => client.invoices.get(SANDBOX_FIRST_INVOICE_ID + i));
    const results = await settle(Promise.all(calls));
    expect(results.map((r) => r.invoiceId)).toEqual(Array.from({ length: 12 }, (_, i) => String(SANDBOX_FIRST_INVOICE_ID + i)));
    expect(sandbox.stats().rateLimited).toBeGreaterThan(0);
    expect(retries.length).toBe(sandbox.stats().rateLimited);
    expect(new Set(retries.map((r) => r.reason))).toEqual(new Set(['rate-limited']));
    expect(retries.every((r) => r.delayMs >= 1000 && r.status === 429)).toBe(true);
  });

  it('paging a long listing through a tight limit completes with the adaptive throttle on', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 2, 1) });
    const { sandbox, client } = setup(
      { size: { invoices: 120 }, limits: { requestsPerWindow: 4, windowMs: 1000 } },
      { retry: { maxRetries: 30, random: () => 0 }, retryBudget: false, throttle: {} },
    );
    const all = await settle(client.invoices.list({ pageSize: 5 }).toArray({ limit: 1000 }));
    expect(all).toHaveLength(120);
    expect(sandbox.stats().byRoute.invoices).toBe(24);
  });
});

describe('error mapping (sandbox faults, retries off)', () => {
  const cases = [
    [400, isValidationError, '1'],
    [404, isNotFoundError, '2'],
    [409, isConflictError, '3'],
    [429, isRateLimitError, '5'],
    [500, isServerError, '9'],
    [503, isServerError, '9'],
  ] as const;
  it.each(cases)('HTTP %i becomes the matching typed error with the JAGGAER return code', async (status, guard, code) => {
    const { sandbox, client } = setup({}, { retry: false });
    sandbox.faults.enqueue({ kind: 'status', status, ...(status === 429 ? { retryAfterSeconds: 7 } : {}) });
    const error = await failure(client.invoices.get(SANDBOX_FIRST_INVOICE_ID));
    expect(guard(error)).toBe(true);
    expect(error).toMatchObject({ status, vendorCode: code });
    if (status === 429) expect(error).toMatchObject({ retryAfterMs: 7000 });
  });

  it('a 401 that survives one token refresh becomes AuthenticationError', async () => {
    const { sandbox, client } = setup({}, { retry: false });
    sandbox.faults.enqueue({ kind: 'status', status: 401 }, { kind: 'status', status: 401 });
    const error = await failure(client.suppliers.get('V00001'));
    expect(isAuthenticationError(error)).toBe(true);
    expect(sandbox.stats().tokensIssued).toBe(2);
  });

  it('transient 5xx and 429 on reads are retried to success', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 2, 1) });
    const { sandbox, client, retries } = setup();
    sandbox.faults.enqueue({ kind: 'status', status: 503, retryAfterSeconds: 1 }, { kind: 'status', status: 429, retryAfterSeconds: 2 }, { kind: 'status', status: 500 });
    const invoice = await settle(client.invoices.get(SANDBOX_FIRST_INVOICE_ID));
    expect(invoice.invoiceId).toBe(String(SANDBOX_FIRST_INVOICE_ID));
    expect(retries.map((r) => r.reason)).toEqual(['service-unavailable', 'rate-limited', 'server-error']);
  });

  it('a 500 on an OCR import is not retried (not idempotent)', async () => {
    const { sandbox, client, retries } = setup();
    sandbox.faults.enqueue({ kind: 'status', status: 500 });
    const error = await failure(
      client.invoices.importOcr({ supplierInvoiceNumber: 'X-1', supplierNumber: 'V00001', lines: [{ description: 'a', quantity: 1, unitPrice: 1 }] }),
    );
    expect(isServerError(error)).toBe(true);
    expect(retries).toEqual([]);
  });
});

describe('client options', () => {
  it('validates the tenant host', () => {
    const base = { clientId: 'c', clientSecret: 's' };
    for (const host of ['http://acme.api.jaggaer.com', 'https://acme.api.jaggaer.com/j1p', 'https://user:pw@acme.api.jaggaer.com', '127.0.0.1', '']) {
      expect(() => createJaggaerClient({ ...base, host })).toThrow();
    }
    expect(createJaggaerClient({ ...base, host: 'acme.api.jaggaer.com' }).host).toBe('https://acme.api.jaggaer.com');
    expect(() => createJaggaerClient({ ...base, host: 'acme.api.jaggaer.com', clientId: '' })).toThrow(/clientId/);
    expect(() => createJaggaerClient({ ...base, host: 'acme.api.jaggaer.com', realm: 'a/b' })).toThrow(/realm/);
  });

  it('merges path overrides and rejects unknown or malformed ones', async () => {
    const paths = { invoice: '/custom/ji/invoices/{invoiceId}', invoices: '/custom/ji/invoices' };
    const { client } = setup({ paths });
    expect(client.paths.invoice).toBe(paths.invoice);
    expect(client.paths.companyProfiles).toBe(DEFAULT_JAGGAER_PATHS.companyProfiles);
    expect((await client.invoices.get(SANDBOX_FIRST_INVOICE_ID)).invoiceId).toBe(String(SANDBOX_FIRST_INVOICE_ID));
    const base = { host: 'acme.api.jaggaer.com', clientId: 'c', clientSecret: 's' };
    expect(isInvalidInputError(failureSync(() => createJaggaerClient({ ...base, paths: { invoicez: '/x' } as never })))).toBe(true);
    expect(() => createJaggaerClient({ ...base, paths: { invoice: '/no/placeholder' } })).toThrow(/\{invoiceId\}/);
    expect(() => createJaggaerClient({ ...base, paths: { invoices: 'relative' } })).toThrow(/absolute/);
  });

  it('works over a real loopback socket with allowLoopback', async () => {
    const sandbox = createJaggaerSandbox({ seed: 7 });
    const server = await sandbox.listen();
    try {
      expect(() => createJaggaerClient({ host: server.url, clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET })).toThrow(/loopback|https/);
      const client = createJaggaerClient({ host: server.url, allowLoopback: true, clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET });
      const [invoice] = await client.invoices.list({ status: 'Approved', pageSize: 3 }).toArray({ limit: 1 });
      expect(invoice?.workflowStatus).toBe('Approved');
      expect((await client.suppliers.get('V00002')).supplierNumber).toBe('V00002');
    } finally {
      await server.close();
    }
  });
});

function failureSync(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('secrets stay out of errors and logs', () => {
  const renderings = (error: unknown) => [String(error), (error as Error).message, JSON.stringify(error), inspect(error, { depth: 10 }), (error as Error).stack ?? ''];

  it('a refused client secret surfaces as AuthenticationError without the secret', async () => {
    const secret = 'Wr0ng-Secret~value.2026';
    const lines: string[] = [];
    const { client } = setup({}, { clientSecret: secret, logger: capturingLogger(lines) });
    const error = await failure(client.invoices.get(SANDBOX_FIRST_INVOICE_ID));
    expect(isAuthenticationError(error)).toBe(true);
    for (const text of [...renderings(error), ...lines]) expect(text).not.toContain(secret);
  });

  it('access tokens and the client secret never reach logs or errors across refreshes, retries and failures', async () => {
    const sandbox = createJaggaerSandbox({ seed: 7 });
    const tokens = new Set<string>();
    const spying: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      const auth = request.headers.get('authorization');
      if (auth) tokens.add(auth.replace(/^Bearer\s+/i, ''));
      const response = await sandbox.fetch(request);
      if (request.url.includes('/openid-connect/token')) {
        const body = (await response.clone().json()) as { access_token?: string };
        if (body.access_token) tokens.add(body.access_token);
      }
      return response;
    };
    const lines: string[] = [];
    const client = createJaggaerClient({
      host: SANDBOX_BASE_URL,
      clientId: SANDBOX_CLIENT_ID,
      clientSecret: SANDBOX_CLIENT_SECRET,
      fetch: spying,
      logger: capturingLogger(lines),
      retry: { maxRetries: 1, random: () => 0, baseDelayMs: 1 },
      throttle: false,
    });
    await client.invoices.get(SANDBOX_FIRST_INVOICE_ID);
    sandbox.revokeTokens();
    await client.suppliers.get('V00001');
    sandbox.faults.enqueue({ kind: 'status', status: 500 }, { kind: 'status', status: 500 });
    const error = await failure(client.invoices.get(SANDBOX_FIRST_INVOICE_ID));
    expect(isServerError(error)).toBe(true);
    expect(tokens.size).toBe(2);
    expect(lines.length).toBeGreaterThan(0);
    for (const text of [...renderings(error), ...lines]) {
      expect(text).not.toContain(SANDBOX_CLIENT_SECRET);
      for (const token of tokens) expect(text).not.toContain(token);
    }
  });
});

describe('returnCode in 2xx bodies (msw)', () => {
  const HOST = 'https://rc.api.jaggaer.test';
  const server = setupServer(
    http.post(`${HOST}/auth/realms/J1p-integrations/protocol/openid-connect/token`, () =>
      HttpResponse.json({ access_token: 'tok-rc', expires_in: 3600, token_type: 'Bearer' }),
    ),
  );
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  const client = () => createJaggaerClient({ host: HOST, clientId: 'c', clientSecret: 's', throttle: false, retry: false });

  it('a non-zero returnCode with HTTP 200 becomes JaggaerReturnCodeError', async () => {
    server.use(http.get(`${HOST}/j1p/api/public/ja/v1/companyprofiles`, () => HttpResponse.json({ returnCode: '-1', returnMessage: 'Invalid filter' })));
    const error = await failure(client().suppliers.list().toArray({ limit: 5 }));
    expect(isJaggaerReturnCodeError(error)).toBe(true);
    expect(error).toMatchObject({ status: 200, returnCode: '-1', vendorMessage: 'Invalid filter', code: 'JAGGAER_RETURN_CODE' });
  });

  it('accepts "0" and "OK" as success and single objects where lists are expected', async () => {
    server.use(
      http.get(`${HOST}/j1p/api/public/ja/v1/companyprofiles`, () =>
        HttpResponse.json({ returnCode: 'OK', totRecords: '1', returnedRecords: '1', returnCompanyData: { returnCompanyInfo: { bravoId: 5, extCode: 'V1', companyName: 'One', extraField: 'kept', lastModTime: '20250102030405' } } }),
      ),
    );
    const [supplier] = await client().suppliers.list().toArray({ limit: 5 });
    expect(supplier).toMatchObject({ bravoId: '5', supplierNumber: 'V1', companyName: 'One', lastModified: '2025-01-02T03:04:05.000Z' });
    expect(supplier?.raw.extraField).toBe('kept');
  });

  it('an invoice body that does not match the schema is a ResponseValidationError', async () => {
    server.use(http.get(`${HOST}/j1p/api/public/ji/v1/invoices/7`, () => HttpResponse.json({ header: { invoiceNumber: 'no id' } })));
    await expect(client().invoices.get(7)).rejects.toMatchObject({ name: 'ResponseValidationError' });
  });
});
