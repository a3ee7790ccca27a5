import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, createTokenCache } from '@ml-connector/core';
import { companySegment, createNavClient, parseDeploymentUrl } from '@ml-connector/nav';
import {
  NAV_SANDBOX_ACCESS_KEY,
  NAV_SANDBOX_CLIENT_ID,
  NAV_SANDBOX_CLIENT_SECRET,
  NAV_SANDBOX_ONPREM_AUDIENCE,
  NAV_SANDBOX_TENANT_ID,
  NAV_SANDBOX_USER,
  createNavSandbox,
} from '@ml-connector/nav/testing';

describe('deployment URLs', () => {
  it('accepts on-premises v4 and v3 URLs and Business Central online URLs', () => {
    expect(parseDeploymentUrl("https://nav.contoso.local:7048/DynamicsNAV110/ODataV4/Company('CRONUS%20USA%2C%20Inc.')/Vendor")).toMatchObject({
      kind: 'onprem',
      version: 'v4',
      serviceRoot: 'https://nav.contoso.local:7048/DynamicsNAV110/ODataV4/',
      company: 'CRONUS USA, Inc.',
      companyRoot: "https://nav.contoso.local:7048/DynamicsNAV110/ODataV4/Company('CRONUS%20USA%2C%20Inc.')/",
    });
    expect(parseDeploymentUrl('https://nav.contoso.local:7048/DynamicsNAV80/OData/', { company: 'CRONUS' })).toMatchObject({ version: 'v3', company: 'CRONUS' });
    expect(parseDeploymentUrl('https://nav.contoso.local:7048/DynamicsNAV80/OData')).toMatchObject({ company: undefined, companyRoot: 'https://nav.contoso.local:7048/DynamicsNAV80/OData/' });
    expect(parseDeploymentUrl("https://api.businesscentral.dynamics.com/v2.0/contoso.onmicrosoft.com/Production/ODataV4/Company('CRONUS')")).toMatchObject({
      kind: 'cloud',
      tenantId: 'contoso.onmicrosoft.com',
    });
  });

  it.each([
    ['http://nav.contoso.local:7048/DynamicsNAV110/ODataV4/', /must use https/],
    ['https://nav.contoso.local:7048/DynamicsNAV110/WS/CRONUS/Page/Vendor', /no \/ODataV4\/ or \/OData\/ segment/],
    ['https://nav.contoso.local:7048/ODataV4/', /no server instance/],
    ['https://nav.contoso.local:7048/DynamicsNAV110/ODataV4/Company(CRONUS)', /malformed company segment/],
    ['https://user:pw@nav.contoso.local:7048/DynamicsNAV110/ODataV4/', /must not carry credentials/],
    ['https://api.businesscentral.dynamics.com/v2.0/t/Production/api/v2.0/', /no \/ODataV4\//],
    ['https://api.businesscentral.dynamics.com/DynamicsNAV/ODataV4/', /not \/v2.0\/\{tenant\}/],
    ['nav.contoso.local/ODataV4', /not an absolute URL/],
    ['http://127.0.0.1:7048/NAV/ODataV4/', /must use https/],
  ])('refuses %s with a message that shows the accepted forms', (url, reason) => {
    const attempt = () => parseDeploymentUrl(url);
    expect(attempt).toThrow(InvalidInputError);
    expect(attempt).toThrow(reason);
    expect(attempt).toThrow(/ODataV4\/Company\('CRONUS'\)/);
  });

  it('property: any company name survives Company(…) formatting and parsing', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }).filter((s) => s.trim() !== '' && !/[\u0000-\u001f\uD800-\uDFFF]/.test(s)), (company) => {
        const url = `https://nav.contoso.local:7048/NAV/ODataV4/${companySegment(company)}`;
        expect(new URL(url).pathname.split('/')).toHaveLength(4);
        expect(parseDeploymentUrl(url).company).toBe(company);
      }),
      { numRuns: 300 },
    );
  });
});

describe('authentication', () => {
  it('Basic with the access key works; a wrong key is an AuthenticationError that does not leak the key', async () => {
    const sandbox = createNavSandbox();
    const wrong = 'wrong-access-key-123456';
    const nav = createNavClient({ url: sandbox.url(), auth: { kind: 'basic', username: NAV_SANDBOX_USER, password: wrong }, fetch: sandbox.fetch, retry: false });
    const error = await nav.connect().catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'AuthenticationError', status: 401 });
    const rendered = JSON.stringify(error) + String(error) + ((error as Error).stack ?? '');
    expect(rendered).not.toContain(wrong);
    expect(rendered).not.toContain(Buffer.from(`${NAV_SANDBOX_USER}:${wrong}`).toString('base64'));
    const ok = createNavClient({ url: sandbox.url(), auth: { kind: 'basic', username: 'mlconnector', password: NAV_SANDBOX_ACCESS_KEY }, fetch: sandbox.fetch });
    await expect(ok.connect()).resolves.toMatchObject({ version: 'v4' });
  });

  it('OAuth (Entra) on-premises needs the instance scope; cloud URLs default it and refuse Basic', async () => {
    const sandbox = createNavSandbox();
    const oauth = { kind: 'oauth', tenantId: NAV_SANDBOX_TENANT_ID, clientId: NAV_SANDBOX_CLIENT_ID, clientSecret: NAV_SANDBOX_CLIENT_SECRET } as const;
    expect(() => createNavClient({ url: sandbox.url(), auth: oauth, fetch: sandbox.fetch })).toThrow(/auth.scope is required/);
    const onPrem = createNavClient({ url: sandbox.url(), auth: { ...oauth, scope: `${NAV_SANDBOX_ONPREM_AUDIENCE}/.default`, tokenCache: createTokenCache() }, fetch: sandbox.fetch });
    expect((await onPrem.vendors.get('V00001')).number).toBe('V00001');
    const cloud = createNavClient({ url: sandbox.cloudUrl(), auth: { kind: 'oauth', clientId: NAV_SANDBOX_CLIENT_ID, clientSecret: NAV_SANDBOX_CLIENT_SECRET }, fetch: sandbox.fetch });
    expect((await cloud.glAccounts.get('8110')).name).toBe('Office Supplies');
    expect(() => createNavClient({ url: sandbox.cloudUrl(), auth: { kind: 'basic', username: 'u', password: 'p' } })).toThrow(/not accepted by Business Central online/);
    // A token for the on-premises audience is refused by the cloud endpoint.
    const wrongAudience = createNavClient({ url: sandbox.cloudUrl(), auth: { ...oauth, scope: `${NAV_SANDBOX_ONPREM_AUDIENCE}/.default` }, fetch: sandbox.fetch, retry: false });
    await expect(wrongAudience.connect()).rejects.toMatchObject({ name: 'AuthenticationError' });
  });

  it('refuses Windows authentication and incomplete OAuth settings clearly', () => {
    const url = 'https://nav.contoso.local:7048/NAV/ODataV4/';
    expect(() => createNavClient({ url, auth: { kind: 'windows' } as never })).toThrow(/Windows \(NTLM\) authentication is not supported/);
    expect(() => createNavClient({ url, auth: { kind: 'oauth', clientId: 'x', clientSecret: 's', scope: 'api://x/.default' } })).toThrow(/auth.tenantId/);
    expect(() => createNavClient({ url, auth: { kind: 'oauth', tenantId: 't', clientId: 'x', scope: 'api://x/.default' } })).toThrow(/clientSecret or auth.clientAssertion/);
    expect(() => createNavClient({ url, auth: { kind: 'basic', username: 'a:b', password: 'p' } })).toThrow(/must not contain ":"/);
  });
});
