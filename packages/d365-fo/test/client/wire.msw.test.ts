import { inspect } from 'node:util';
import { isPermissionError, isServerError } from '@ml-connector/core';
import { createFinanceOperationsClient } from '@ml-connector/d365-fo';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

// Wire shape F&O expects (scope, URLs, predicates, $batch body) and answers the emulator cannot produce.
const TENANT = 'contoso.onmicrosoft.com';
const ENV = 'https://contoso-test.sandbox.operations.dynamics.com';
const SECRET = 'secret-xyz-123';
const seenScopes: string[] = [];

const server = setupServer(
  http.post(`https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`, async ({ request }) => {
    seenScopes.push(new URLSearchParams(await request.text()).get('scope') ?? '');
    return HttpResponse.json({ access_token: 'token-abc', token_type: 'Bearer', expires_in: 4321 });
  }),
);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const client = () => createFinanceOperationsClient({ environmentUrl: ENV, tenantId: TENANT, credentials: { clientId: 'app', clientSecret: SECRET }, retry: false, defaultLegalEntity: 'usmf' });

describe('F&O wire format (msw)', () => {
  it('asks Entra for {environment}/.default and percent-encodes composite key predicates', async () => {
    let path = '';
    server.use(
      http.get(`${ENV}/data/*`, ({ request }) => {
        path = new URL(request.url).pathname;
        return HttpResponse.json({ dataAreaId: 'usmf', VendorAccountNumber: "O'Brien #1", VendorOrganizationName: 'x', VendorGroupId: '10', CurrencyCode: 'USD', OnHoldStatus: 'No' });
      }),
    );
    await client().legalEntity('usmf').vendors.get({ VendorAccountNumber: "O'Brien #1" });
    expect(seenScopes.at(-1)).toBe(`${ENV}/.default`);
    expect(path).toBe("/data/VendorsV2(dataAreaId='usmf',VendorAccountNumber='O''Brien%20%231')");
  });

  it('maps F&O error envelopes to typed errors without leaking the secret or token', async () => {
    server.use(
      http.get(`${ENV}/data/VendorsV2`, () => HttpResponse.json({ error: { code: '', message: 'An error has occurred.', innererror: { message: 'Access denied to VendorsV2', type: 'X' } } }, { status: 403 })),
      http.get(`${ENV}/data/MainAccounts`, () => HttpResponse.json({ error: { code: '', message: 'Internal error' } }, { status: 500 })),
    );
    const fo = client();
    const denied = await fo.legalEntity('usmf').vendors.list().toArray({ limit: 1 }).catch((e: unknown) => e);
    expect(isPermissionError(denied)).toBe(true);
    const failed = await fo.mainAccounts.list().toArray({ limit: 1 }).catch((e: unknown) => e);
    expect(isServerError(failed)).toBe(true);
    for (const error of [denied, failed]) {
      const text = `${inspect(error, { depth: 10 })} ${JSON.stringify(error)} ${(error as Error).message}`;
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('token-abc');
    }
  });

  it('follows server-driven @odata.nextLink pages with $skip', async () => {
    server.use(
      http.get(`${ENV}/data/MainAccounts`, ({ request }) => {
        const skip = Number(new URL(request.url).searchParams.get('$skip') ?? 0);
        const row = (id: string) => ({ MainAccountId: id, ChartOfAccounts: 'Shared', Name: id, MainAccountType: 'Expense', IsSuspended: 'No' });
        return skip === 0
          ? HttpResponse.json({ value: [row('1'), row('2')], '@odata.nextLink': `${ENV}/data/MainAccounts?$skip=2` })
          : HttpResponse.json({ value: [row('3')] });
      }),
    );
    const ids = (await client().mainAccounts.list().toArray({ limit: 10 })).map((a) => a.MainAccountId);
    expect(ids).toEqual(['1', '2', '3']);
  });
});
