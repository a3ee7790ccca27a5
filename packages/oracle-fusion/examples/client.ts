// Examples included in the API docs with {@includeCode} and typechecked by `pnpm typecheck` (tsconfig.test.json).
import { createOracleFusionClient } from '@ml-connector/oracle-fusion';

declare const clientId: string;
declare const clientSecret: string;

export async function createOracleFusionClientExample() {
  // #region createOracleFusionClient
  const erp = createOracleFusionClient({
    host: 'acme.fa.us2.oraclecloud.com',
    identityDomainUrl: 'https://idcs-1234.identity.oraclecloud.com',
    scope: 'urn:opc:resource:fa:instanceid=123urn:opc:resource:consumer::all',
    credentials: { clientId, clientSecret },
  });
  for await (const s of erp.suppliers.list({ q: (q) => q.eq('Status', 'ACTIVE') })) console.log(s.SupplierNumber);
  // #endregion createOracleFusionClient
}
