import { afterEach, describe, expect, it } from 'vitest';
import { InvalidInputError, isAuthenticationError, isInvalidInputError } from '@ml-connector/core';
import {
  BUSINESS_CENTRAL_DEFAULTS,
  BUSINESS_CENTRAL_THROTTLE_DEFAULTS,
  createBusinessCentralClient,
  resolveEndpoints,
} from '@ml-connector/business-central';
import { SANDBOX_CLIENT_ID } from '@ml-connector/business-central/testing';
import { type Harness, createHarness } from './helpers.js';

let h: Harness | undefined;
afterEach(() => h?.sandbox.close());

describe('createBusinessCentralClient', () => {
  it('builds the service root and token URL from tenant, environment and version', () => {
    expect(resolveEndpoints({ tenantId: 'contoso.onmicrosoft.com', environment: 'Production' })).toEqual({
      baseUrl: 'https://api.businesscentral.dynamics.com/v2.0/contoso.onmicrosoft.com/Production/api/v2.0/',
      tokenUrl: 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token',
    });
    expect(
      resolveEndpoints({ tenantId: 't1', environment: 'Sandbox', apiVersion: 'v1.0', apiHost: 'http://127.0.0.1:8080', authorityHost: 'http://localhost:9', allowLoopback: true }),
    ).toEqual({ baseUrl: 'http://127.0.0.1:8080/v2.0/t1/Sandbox/api/v1.0/', tokenUrl: 'http://localhost:9/t1/oauth2/v2.0/token' });
  });

  it('refuses bad options with InvalidInputError naming the field', () => {
    const base = { tenantId: 't', environment: 'Production', credentials: { clientId: 'c', clientSecret: 's' } };
    const field = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(isInvalidInputError(e)).toBe(true);
        return (e as InvalidInputError).field;
      }
      throw new Error('did not throw');
    };
    expect(field(() => createBusinessCentralClient({ ...base, tenantId: 'a/b' }))).toBe('tenantId');
    expect(field(() => createBusinessCentralClient({ ...base, environment: '' }))).toBe('environment');
    expect(field(() => createBusinessCentralClient({ ...base, apiHost: 'http://127.0.0.1:1' }))).toBe('apiHost');
    expect(field(() => createBusinessCentralClient({ ...base, apiHost: 'https://evil.example/path' }))).toBe('apiHost');
    expect(field(() => createBusinessCentralClient({ ...base, credentials: undefined }))).toBe('credentials');
    const client = createBusinessCentralClient(base);
    expect(field(() => client.company('not-a-guid'))).toBe('companyId');
  });

  it('exposes BC defaults as data', () => {
    expect(BUSINESS_CENTRAL_DEFAULTS.scope).toBe('https://api.businesscentral.dynamics.com/.default');
    expect(BUSINESS_CENTRAL_THROTTLE_DEFAULTS).toMatchObject({ maxConcurrency: 5, maxRequestsPerSecond: 25, window: { requests: 6_000, ms: 301_000 } });
  });

  it('lists and gets companies with x-ms-client-request-id and one token', async () => {
    h = createHarness();
    const companies = await h.client.companies.list().toArray({ limit: 10 });
    expect(companies).toHaveLength(1);
    const company = companies[0]!;
    expect(company.id).toBe(h.sandbox.companyId);
    expect(company.etag).toBe(company['@odata.etag']);
    const again = await h.client.companies.get(company.id);
    expect(again.name).toBe(company.name);
    const api = h.apiRequests();
    expect(api).toHaveLength(2);
    for (const r of api) {
      expect(r.headers.get('x-ms-client-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.headers.get('authorization')).toMatch(/^Bearer /);
      expect(r.url.pathname.startsWith(`/v2.0/${h.sandbox.tenantId}/${h.sandbox.environment}/api/v2.0/companies`)).toBe(true);
    }
    const token = h.requests.filter((r) => r.url.pathname.endsWith('/oauth2/v2.0/token'));
    expect(token).toHaveLength(1);
    const form = new URLSearchParams(token[0]!.body);
    expect(form.get('scope')).toBe('https://api.businesscentral.dynamics.com/.default');
    expect(form.get('client_id')).toBe(SANDBOX_CLIENT_ID);
    expect(token[0]!.url.href).toBe(h.client.tokenUrl);
  });

  it('maps refused credentials to AuthenticationError without leaking the secret', async () => {
    h = createHarness({}, { credentials: { clientId: SANDBOX_CLIENT_ID, clientSecret: 'wrong-secret-value' } });
    const error = await h.client.companies.list().toArray({ limit: 1 }).catch((e: unknown) => e);
    expect(isAuthenticationError(error)).toBe(true);
    expect(JSON.stringify(error)).not.toContain('wrong-secret-value');
    expect(String((error as Error).message)).not.toContain('wrong-secret-value');
  });
});
