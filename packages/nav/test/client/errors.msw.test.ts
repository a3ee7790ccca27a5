import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isConflictError, isNotFoundError, isPermissionError, isResponseValidationError, isServerError } from '@ml-connector/core';
import { createNavClient } from '@ml-connector/nav';
import { generateMetadata, publishPages } from '@ml-connector/nav/testing';

// Responses the emulator does not produce (403, 409, 5xx, schema drift, HTML login pages), with msw on the global fetch.
const ROOT = 'https://nav.contoso.local:7048/DynamicsNAV110/ODataV4/';
const COMPANY = `${ROOT}Company('CRONUS')/`;
const PASSWORD = 'super-secret-access-key';

const server = setupServer(http.get(`${ROOT}$metadata`, () => new HttpResponse(generateMetadata(publishPages().values(), 'v4'), { headers: { 'content-type': 'application/xml' } })));
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const client = () => createNavClient({ url: COMPANY, auth: { kind: 'basic', username: 'ML', password: PASSWORD }, retry: false, throttle: false });
const navError = (status: number, code: string, message: string) => HttpResponse.json({ error: { code, message } }, { status });

describe('error mapping (msw)', () => {
  it.each([
    [403, 'Authorization_InsufficientPermissions', isPermissionError],
    [404, 'Internal_RecordNotFound', isNotFoundError],
    [409, 'Internal_EntityWithSameKeyExists', isConflictError],
    [500, 'Internal_ServerError', isServerError],
  ])('%i %s maps to its typed error with the NAV code and message, and no secret', async (status, code, guard) => {
    server.use(http.get(`${COMPANY}Vendor('V1')`, () => navError(status, code, 'Something NAV said.')));
    const error = await client().vendors.get('V1').catch((e: unknown) => e);
    expect(guard(error)).toBe(true);
    expect(error).toMatchObject({ status, vendorCode: code, vendorMessage: 'Something NAV said.' });
    expect(JSON.stringify(error) + String(error)).not.toContain(PASSWORD);
  });

  it('refuses a record whose field has the wrong JSON type (schema drift) as ResponseValidationError', async () => {
    server.use(http.get(`${COMPANY}Vendor('V1')`, () => HttpResponse.json({ No: 'V1', Name: 42 })));
    expect(isResponseValidationError(await client().vendors.get('V1').catch((e: unknown) => e))).toBe(true);
  });

  it('reports an HTML page instead of $metadata (wrong URL or login page) clearly', async () => {
    server.use(http.get(`${ROOT}$metadata`, () => new HttpResponse('<html><body>Sign in</body></html>', { headers: { 'content-type': 'text/html' } })));
    await expect(client().connect()).rejects.toThrow(/edmx:Edmx/);
  });

  it('sends If-Match, OData headers and v4 key syntax', async () => {
    let seen: Request | undefined;
    server.use(
      http.patch(`${COMPANY}PurchaseOrderLines(Document_Type='Order',Document_No='106001',Line_No=20000)`, ({ request }) => {
        seen = request.clone();
        return HttpResponse.json({ Document_Type: 'Order', Document_No: '106001', Line_No: 20000, Quantity: 4, '@odata.etag': 'W/"2"' });
      }),
    );
    const line = await client().purchaseOrders.lines.update('106001', 20000, { quantity: 4 }, { etag: 'W/"1"' });
    expect(line).toMatchObject({ quantity: 4, etag: 'W/"2"' });
    expect(seen?.headers.get('if-match')).toBe('W/"1"');
    expect(seen?.headers.get('odata-maxversion')).toBe('4.0');
    expect(seen?.headers.get('authorization')).toMatch(/^Basic /);
    expect(await seen?.json()).toEqual({ Quantity: 4 });
  });
});
