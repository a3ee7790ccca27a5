// Examples included in the API docs with {@includeCode} and typechecked by `pnpm typecheck` (tsconfig.test.json).
import { createJaggaerClient } from '@ml-connector/jaggaer-j1p';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, createJaggaerSandbox } from '@ml-connector/jaggaer-j1p/testing';
import { type CredentialVault, vaultSecret } from '@ml-connector/core';

declare const clientId: string;
declare const vault: CredentialVault;
declare const saved: string | undefined;

export async function createJaggaerClientExample() {
  // #region createJaggaerClient
  const jaggaer = createJaggaerClient({ host: 'acme.api.jaggaer.com', clientId, clientSecret: vaultSecret(vault, 'j1p') });
  const { invoices, cursor } = await jaggaer.invoices.poll({ status: 'Approved', cursor: saved });
  // #endregion createJaggaerClient
  return { invoices, cursor };
}

export async function createJaggaerSandboxExample() {
  // #region createJaggaerSandbox
  const sandbox = createJaggaerSandbox({ seed: 7 });
  const token = await sandbox.fetch(sandbox.tokenUrl, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: SANDBOX_CLIENT_ID, client_secret: SANDBOX_CLIENT_SECRET }),
  });
  // #endregion createJaggaerSandbox
  return token;
}
