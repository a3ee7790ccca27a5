import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  JAGGAER_RETURN_CODES,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
  createJaggaerSandbox,
} from '@ml-connector/jaggaer-j1p/testing';
import { getToken, invoicePath, setup } from './helpers.js';

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields),
});

afterEach(() => {
  vi.useRealTimers();
});

describe('Keycloak token endpoint', () => {
  it('issues a client-credentials token in Keycloak shape', async () => {
    const sandbox = createJaggaerSandbox();
    expect(sandbox.tokenUrl).toBe('https://j1p.sandbox.test/auth/realms/J1p-integrations/protocol/openid-connect/token');
    const response = await sandbox.fetch(
      sandbox.tokenUrl,
      form({ grant_type: 'client_credentials', client_id: SANDBOX_CLIENT_ID, client_secret: SANDBOX_CLIENT_SECRET }),
    );
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, refresh_expires_in: 0, 'not-before-policy': 0 });
    expect(typeof body.access_token).toBe('string');
    expect(sandbox.stats().tokensIssued).toBe(1);
  });

  it('accepts client_secret_basic authentication', async () => {
    const sandbox = createJaggaerSandbox();
    const basic = Buffer.from(`${SANDBOX_CLIENT_ID}:${SANDBOX_CLIENT_SECRET}`).toString('base64');
    const response = await sandbox.fetch(sandbox.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
      body: 'grant_type=client_credentials',
    });
    expect(response.status).toBe(200);
  });

  it('answers bad credentials with Keycloak error bodies', async () => {
    const sandbox = createJaggaerSandbox();
    const wrongSecret = await sandbox.fetch(sandbox.tokenUrl, form({ grant_type: 'client_credentials', client_id: SANDBOX_CLIENT_ID, client_secret: 'nope' }));
    expect(wrongSecret.status).toBe(401);
    expect(await wrongSecret.json()).toEqual({ error: 'unauthorized_client', error_description: 'Invalid client or Invalid client credentials' });
    const unknown = await sandbox.fetch(sandbox.tokenUrl, form({ grant_type: 'client_credentials', client_id: 'who', client_secret: 'x' }));
    expect(unknown.status).toBe(401);
    expect((await unknown.json()).error).toBe('invalid_client');
    const grant = await sandbox.fetch(sandbox.tokenUrl, form({ grant_type: 'password', client_id: SANDBOX_CLIENT_ID }));
    expect(grant.status).toBe(400);
    expect((await grant.json()).error).toBe('unsupported_grant_type');
    const notForm = await sandbox.fetch(sandbox.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(notForm.status).toBe(400);
    expect(sandbox.stats().tokensIssued).toBe(0);
  });

  it('honours custom clients and token lifetime', async () => {
    const sandbox = createJaggaerSandbox({ clients: [{ clientId: 'erp', clientSecret: 's3' }], tokenLifetimeSeconds: 120 });
    const response = await sandbox.fetch(sandbox.tokenUrl, form({ grant_type: 'client_credentials', client_id: 'erp', client_secret: 's3' }));
    expect((await response.json()).expires_in).toBe(120);
  });
});

describe('API authentication', () => {
  it('rejects a missing token with 401, the returnCode envelope and WWW-Authenticate', async () => {
    const sandbox = createJaggaerSandbox();
    const response = await sandbox.fetch(`${sandbox.baseUrl}${invoicePath(2500001)}`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
    const body = await response.json();
    expect(body.returnCode).toBe(JAGGAER_RETURN_CODES.UNAUTHORIZED);
    expect(body.returnMessage).toMatch(/no bearer token/i);
    expect(sandbox.stats().unauthorized).toBe(1);
  });

  it('rejects an expired token (fake clock) and accepts a fresh one', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 1, 1) });
    const { sandbox, get } = await setup({ tokenLifetimeSeconds: 60 });
    expect((await get(invoicePath(2500001))).status).toBe(200);
    vi.advanceTimersByTime(59_000);
    expect((await get(invoicePath(2500001))).status).toBe(200);
    vi.advanceTimersByTime(1_000);
    const expired = await get(invoicePath(2500001));
    expect(expired.status).toBe(401);
    expect((await expired.json()).returnMessage).toMatch(/expired/);
    const fresh = await getToken(sandbox);
    const ok = await sandbox.fetch(`${sandbox.baseUrl}${invoicePath(2500001)}`, { headers: { authorization: `Bearer ${fresh}` } });
    expect(ok.status).toBe(200);
  });

  it('rejects revoked tokens', async () => {
    const { sandbox, get } = await setup();
    expect((await get(invoicePath(2500001))).status).toBe(200);
    sandbox.revokeTokens();
    const revoked = await get(invoicePath(2500001));
    expect(revoked.status).toBe(401);
    expect((await revoked.json()).returnMessage).toMatch(/revoked/);
  });

  it('rejects unknown tokens', async () => {
    const sandbox = createJaggaerSandbox();
    const response = await sandbox.fetch(`${sandbox.baseUrl}${invoicePath(2500001)}`, { headers: { authorization: 'Bearer forged' } });
    expect(response.status).toBe(401);
  });
});

describe('Keycloak layouts', () => {
  const credentials = form({ grant_type: 'client_credentials', client_id: SANDBOX_CLIENT_ID, client_secret: SANDBOX_CLIENT_SECRET });
  const legacy = 'https://j1p.sandbox.test/auth/realms/J1p-integrations/protocol/openid-connect/token';
  const modern = 'https://j1p.sandbox.test/realms/J1p-integrations/protocol/openid-connect/token';

  it('serves the token endpoint on the legacy /auth/realms and the modern /realms path', async () => {
    const sandbox = createJaggaerSandbox();
    expect((await sandbox.fetch(legacy, credentials)).status).toBe(200);
    expect((await sandbox.fetch(modern, form({ grant_type: 'client_credentials', client_id: SANDBOX_CLIENT_ID, client_secret: SANDBOX_CLIENT_SECRET }))).status).toBe(200);
    expect(sandbox.stats().tokensIssued).toBe(2);
  });

  it('serves only the layouts it is given', async () => {
    const sandbox = createJaggaerSandbox({ keycloakLayouts: ['legacy'] });
    expect((await sandbox.fetch(modern, credentials)).status).toBe(404);
    expect(sandbox.tokenUrl).toBe(legacy);
  });
});
