import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  isConflictError,
  isHttpError,
  isNotFoundError,
  isPermissionError,
  isResponseValidationError,
  isServerError,
  isValidationError,
} from '@ml-connector/core';
import { createBusinessCentralClient } from '@ml-connector/business-central';

// Cases the emulator cannot produce (403, 409, 5xx envelopes, schema drift), with msw on the global fetch.
const TENANT = 'contoso.onmicrosoft.com';
const COMPANY = '6f9619ff-8b86-d011-b42d-00c04fc964ff';
const VENDOR = '11111111-2222-3333-4444-555555555555';
const BASE = `https://api.businesscentral.dynamics.com/v2.0/${TENANT}/Production/api/v2.0`;
const VENDORS = `${BASE}/companies(${COMPANY})/vendors`;

const server = setupServer(
  http.post(`https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`, () =>
    HttpResponse.json({ access_token: 'token-abc', token_type: 'Bearer', expires_in: 3600 }),
  ),
);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const client = () =>
  createBusinessCentralClient({ tenantId: TENANT, environment: 'Production', credentials: { clientId: 'app', clientSecret: 'secret-xyz' }, retry: false });
const bcError = (status: number, code: string, message: string) => HttpResponse.json({ error: { code, message } }, { status });

describe('error mapping (msw)', () => {
  it.each([
    [400, 'BadRequest', isValidationError],
    [403, 'Authorization_InsufficientPermissions', isPermissionError],
    [404, 'BadRequest_NotFound', isNotFoundError],
    [409, 'Request_EntityChanged', isConflictError],
    [412, 'Request_EntityChanged', isConflictError],
    [500, 'Internal_ServerError', isServerError],
  ] as const)('maps %i %s', async (status, code, guard) => {
    server.use(http.get(`${VENDORS}(${VENDOR})`, () => bcError(status, code, `msg ${status}`)));
    const error = await client().company(COMPANY).vendors.get(VENDOR).catch((e: unknown) => e);
    expect(guard(error)).toBe(true);
    expect(error).toMatchObject({ status, vendorCode: code, vendorMessage: `msg ${status}` });
    expect(JSON.stringify(error)).not.toContain('token-abc');
  });

  it('maps an unexpected status to a plain HttpError (405 on a read-only set written through http)', async () => {
    server.use(http.post(`${BASE}/companies(${COMPANY})/accounts`, () => bcError(405, 'BadRequest_MethodNotAllowed', "'POST' requests for 'accounts' of EdmType 'Entity' are not allowed")));
    const error = await client().http.post(`companies(${COMPANY})/accounts`, { json: {} }).catch((e: unknown) => e);
    expect(isHttpError(error)).toBe(true);
    expect(error).toMatchObject({ status: 405, vendorCode: 'BadRequest_MethodNotAllowed' });
  });

  it('catches schema drift with ResponseValidationError, but tolerates extra fields', async () => {
    const vendor = {
      '@odata.etag': 'W/"1"', id: VENDOR, number: 'V1', displayName: 'A', addressLine1: '', addressLine2: '', city: '', state: '', country: '',
      postalCode: '', phoneNumber: '', email: '', website: '', taxRegistrationNumber: '', currencyId: COMPANY, currencyCode: '', irs1099Code: '',
      paymentTermsId: COMPANY, paymentMethodId: COMPANY, taxLiable: false, blocked: ' ', balance: 0, lastModifiedDateTime: '2024-01-01T00:00:00Z',
    };
    server.use(http.get(`${VENDORS}(${VENDOR})`, () => HttpResponse.json({ ...vendor, brandNewField: 42 })));
    const ok = await client().company(COMPANY).vendors.get(VENDOR);
    expect(ok.brandNewField).toBe(42);
    expect(ok.etag).toBe('W/"1"');
    server.use(http.get(`${VENDORS}(${VENDOR})`, () => HttpResponse.json({ ...vendor, balance: 'lots' })));
    const drift = await client().company(COMPANY).vendors.get(VENDOR).catch((e: unknown) => e);
    expect(isResponseValidationError(drift)).toBe(true);
    expect((drift as Error).message).toContain('balance');
  });

  it('sends x-ms-client-request-id and percent-encodes filter literals', async () => {
    const seen: Request[] = [];
    server.use(http.get(`${BASE}/companies(${COMPANY})/purchaseInvoices`, ({ request }) => {
      seen.push(request);
      return HttpResponse.json({ value: [] });
    }));
    await client().company(COMPANY).purchaseInvoices.findByVendorInvoiceNumber("A'B&C#D%E+F");
    const url = new URL(seen[0]!.url);
    expect(url.searchParams.get('$filter')).toBe("vendorInvoiceNumber eq 'A''B&C#D%E+F'");
    expect(seen[0]!.headers.get('x-ms-client-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
