import { generateKeyPairSync } from 'node:crypto';
import { createFinanceOperationsClient } from '@ml-connector/d365-fo';
import { createFinanceOperationsSandbox } from '@ml-connector/d365-fo/testing';
import { describe, expect, it } from 'vitest';

describe('F&O sandbox: Entra client credentials', () => {
  it('accepts a certificate-signed client assertion (PS256) for {environment}/.default', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const sandbox = createFinanceOperationsSandbox({ apps: [{ clientId: 'cert-app', publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() }] });
    const fo = createFinanceOperationsClient({
      environmentUrl: sandbox.environmentUrl(),
      tenantId: sandbox.tenantId,
      credentials: { clientId: 'cert-app', clientAssertion: { privateKey, algorithm: 'PS256', thumbprintSha256: 'AA'.repeat(32), keyId: 'test' } },
      fetch: sandbox.fetch,
    });
    expect(await fo.legalEntity('usmf').vendors.list({ top: 2 }).toArray({ limit: 2 })).toHaveLength(2);
    expect(sandbox.stats.tokensIssued).toBe(1);
  });

  it('refuses a token issued for another resource', async () => {
    const sandbox = createFinanceOperationsSandbox();
    const fo = createFinanceOperationsClient({
      environmentUrl: sandbox.environmentUrl(),
      tenantId: sandbox.tenantId,
      scope: 'https://other.operations.dynamics.com/.default',
      credentials: { clientId: '5b8e2c4d-1a3f-4b6e-9c7d-2e4f6a8b0c1d', clientSecret: 'fo-sandbox-client-secret' },
      fetch: sandbox.fetch,
      retry: false,
    });
    await expect(fo.mainAccounts.list().toArray({ limit: 1 })).rejects.toThrow(/Not authenticated/);
  });
});
