import { describe, expect, it, vi } from 'vitest';
import { createBusinessCentralSandbox, SANDBOX_CLIENT_ID } from '@ml-connector/business-central/testing';
import { fetchToken, harness, json, type ErrorEnvelope } from './helpers.js';

describe('Business Central sandbox: authentication', () => {
  it('issues Entra-style tokens and accepts them on the API', async () => {
    const h = await harness();
    const res = await h.get(`${h.base}/companies`);
    expect(res.status).toBe(200);
    const body = await json<{ value: { name: string }[] }>(res);
    expect(body.value.map((c) => c.name)).toEqual(['CRONUS USA, Inc.']);
    expect(h.sandbox.stats.tokensIssued).toBe(1);
  });

  it('answers 401 with the BC envelope and WWW-Authenticate when the token is missing', async () => {
    const sandbox = createBusinessCentralSandbox();
    const res = await sandbox.fetch(`${sandbox.baseUrl()}/companies`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
    const body = await json<ErrorEnvelope>(res);
    expect(body.error.code).toBe('Authentication_InvalidCredentials');
    expect(body.error.message).toMatch(/ {2}CorrelationId: {2}[0-9a-f-]{36}\.$/);
  });

  it('rejects expired tokens', async () => {
    let clock = Date.UTC(2026, 0, 1);
    const h = await harness({ now: () => clock, tokenLifetimeSeconds: 60 });
    expect((await h.get('/vendors')).status).toBe(200);
    clock += 61_000;
    expect((await h.get('/vendors')).status).toBe(401);
  });

  it('rejects revoked tokens', async () => {
    const h = await harness();
    h.sandbox.revokeTokens();
    expect((await h.get('/vendors')).status).toBe(401);
  });

  it('rejects tokens for another audience', async () => {
    const sandbox = createBusinessCentralSandbox();
    const token = await fetchToken(sandbox, 'https://graph.microsoft.com/.default');
    const res = await sandbox.fetch(`${sandbox.baseUrl()}/companies`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('invalid_token');
  });

  it('rejects a wrong client secret with an Entra error and an unknown tenant', async () => {
    const sandbox = createBusinessCentralSandbox();
    const bad = await sandbox.fetch(sandbox.tokenUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: SANDBOX_CLIENT_ID, client_secret: 'nope', scope: 'https://api.businesscentral.dynamics.com/.default' }),
    });
    expect(bad.status).toBe(401);
    expect((await json<{ error: string }>(bad)).error).toBe('invalid_client');
    const otherTenant = await sandbox.fetch('https://login.microsoftonline.com/other/oauth2/v2.0/token', { method: 'POST' });
    expect(otherTenant.status).toBe(400);
  });

  it('serves the tenant-less URL form and token lifetimes in the Entra range', async () => {
    const h = await harness();
    const res = await h.get(`https://api.businesscentral.dynamics.com/v2.0/sandbox/api/v2.0/companies(${h.sandbox.companyId})/vendors?$top=1`);
    expect(res.status).toBe(200);
    const raw = await h.sandbox.fetch(h.sandbox.tokenUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: SANDBOX_CLIENT_ID, client_secret: 'bc-sandbox-client-secret', scope: 'https://api.businesscentral.dynamics.com/.default' }),
    });
    const { expires_in } = await json<{ expires_in: number }>(raw);
    expect(expires_in).toBeGreaterThanOrEqual(3600);
    expect(expires_in).toBeLessThanOrEqual(5400);
  });

  it('works over a real loopback server', async () => {
    vi.useRealTimers();
    const sandbox = createBusinessCentralSandbox();
    const server = await sandbox.listen();
    try {
      const token = await fetchToken(sandbox, undefined, fetch, sandbox.tokenUrl(server.url));
      const res = await fetch(`${sandbox.baseUrl(server.url)}/companies(${sandbox.companyId})/accounts?$select=number`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      const body = await json<{ value: { number: string }[]; '@odata.context': string }>(res);
      expect(body.value.map((a) => a.number)).toContain('8110');
      expect(body['@odata.context']).toContain(server.url);
    } finally {
      await server.close();
    }
  });
});
