import fc from 'fast-check';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBusinessCentralClient, parseNotifications } from '@ml-connector/business-central';

const TENANT = 't1';
const COMPANY = '6f9619ff-8b86-d011-b42d-00c04fc964ff';
const filters: string[] = [];
const server = setupServer(
  http.post(`https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`, () => HttpResponse.json({ access_token: 'a', token_type: 'Bearer', expires_in: 3600 })),
  http.get(`https://api.businesscentral.dynamics.com/v2.0/${TENANT}/Production/api/v2.0/companies(${COMPANY})/purchaseInvoices`, ({ request }) => {
    filters.push(new URL(request.url).searchParams.get('$filter') ?? '');
    return HttpResponse.json({ value: [] });
  }),
);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterAll(() => server.close());

describe('properties', () => {
  it('any vendorInvoiceNumber round-trips as one OData string literal', async () => {
    const client = createBusinessCentralClient({ tenantId: TENANT, environment: 'Production', credentials: { clientId: 'c', clientSecret: 's' }, throttle: false });
    const text = fc.string({ minLength: 1, maxLength: 35, unit: 'grapheme' });
    await fc.assert(
      fc.asyncProperty(text, async (value) => {
        filters.length = 0;
        await client.company(COMPANY).purchaseInvoices.findByVendorInvoiceNumber(value);
        expect(filters[0]).toBe(`vendorInvoiceNumber eq '${value.replaceAll("'", "''")}'`);
      }),
      { numRuns: 60 },
    );
  });

  it('parseNotifications accepts exactly the right clientState', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (expected, sent) => {
        const body = { value: [{ subscriptionId: 's', clientState: sent, resource: '/api/v2.0/companies(c)/vendors(v)', changeType: 'created' }] };
        let accepted = true;
        try {
          parseNotifications(body, { clientState: expected });
        } catch {
          accepted = false;
        }
        expect(accepted).toBe(expected === sent);
      }),
    );
  });
});
