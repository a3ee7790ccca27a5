import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isAuthenticationError } from '@ml-connector/core';
import { ORACLE_SANDBOX_CLIENT_ID } from '@ml-connector/oracle-fusion/testing';
import { createHarness } from '../helpers.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('Identity Domain auth through core', () => {
  it('authenticates with a signed JWT client assertion', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const { client, requests } = createHarness(
      { clients: [{ clientId: 'jwt-app', publicKey: publicKey.export({ type: 'spki', format: 'pem' }) as string }] },
      { credentials: { clientId: 'jwt-app', clientAssertion: { privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, algorithm: 'RS256', thumbprintSha1: 'a'.repeat(40) } } },
    );
    expect(await client.suppliers.getById(300_000_001_000_001)).toMatchObject({ SupplierNumber: 'V00001' });
    const form = new URLSearchParams(requests.find((r) => r.url.pathname === '/oauth2/v1/token')?.body);
    expect(form.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
  });

  it('refreshes proactively before expiry, with one token request for concurrent calls', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { client, sandbox } = createHarness({ tokenLifetimeSeconds: 600 });
    await Promise.all([1, 2, 3].map((n) => client.suppliers.getById(300_000_001_000_000 + n)));
    expect(sandbox.stats.tokensIssued).toBe(1);
    vi.setSystemTime(Date.now() + 590_000); // inside the refresh window, before expiry
    await client.suppliers.getById(300_000_001_000_004);
    expect(sandbox.stats.tokensIssued).toBe(2);
    expect(sandbox.stats.apiRequests).toBe(4); // no 401 round trip
  });

  it('a refused client secret is an AuthenticationError that does not carry the secret', async () => {
    const { client } = createHarness({}, { credentials: { clientId: ORACLE_SANDBOX_CLIENT_ID, clientSecret: 'wrong-secret-42' } });
    const error = await client.suppliers.getById(300_000_001_000_001).catch((e: unknown) => e);
    expect(isAuthenticationError(error)).toBe(true);
    expect(error).toMatchObject({ vendorCode: 'invalid_client' });
    expect(JSON.stringify(error)).not.toContain('wrong-secret-42');
    expect(String((error as Error).message)).not.toContain('wrong-secret-42');
  });
});
