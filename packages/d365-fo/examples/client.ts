// Examples included in the API docs with {@includeCode} and typechecked by `pnpm typecheck` (tsconfig.test.json).
import { createFinanceOperationsClient } from '@ml-connector/d365-fo';

declare const clientId: string;
declare const clientSecret: string;

export async function createFinanceOperationsClientExample() {
  // #region createFinanceOperationsClient
  const fo = createFinanceOperationsClient({
    environmentUrl: 'https://contoso.operations.dynamics.com',
    tenantId: 'contoso.onmicrosoft.com',
    credentials: { clientId, clientSecret },
  });
  for await (const vendor of fo.legalEntity('usmf').vendors.list({ top: 50 })) console.log(vendor.VendorAccountNumber);
  // #endregion createFinanceOperationsClient
}
