// Examples included in the API docs with {@includeCode} and typechecked by `pnpm typecheck` (tsconfig.test.json).
import { createNavClient } from '@ml-connector/nav';

declare const webServiceAccessKey: string;

export async function createNavClientExample() {
  // #region createNavClient
  const nav = createNavClient({
    url: "https://nav.contoso.local:7048/DynamicsNAV110/ODataV4/Company('CRONUS%20USA%2C%20Inc.')",
    auth: { kind: 'basic', username: 'MLCONNECTOR', password: webServiceAccessKey },
    services: { vendors: { entitySet: 'MLVendors' } },
  });
  await nav.connect(); // throws NavMetadataMismatchError listing every missing page, field or type
  for await (const vendor of nav.vendors.list({ where: { blocked: '' } })) console.log(vendor.number, vendor.name);
  // #endregion createNavClient
}
