// Examples included in the API docs with {@includeCode} and typechecked by `pnpm typecheck` (tsconfig.test.json).
import { createBusinessCentralClient, handleValidationRequest, parseNotifications } from '@ml-connector/business-central';

declare const clientId: string;
declare const clientSecret: string;
declare const companyId: string;
declare const clientState: string;

export async function createBusinessCentralClientExample() {
  // #region createBusinessCentralClient
  const bc = createBusinessCentralClient({
    tenantId: 'contoso.onmicrosoft.com',
    environment: 'Production',
    credentials: { clientId, clientSecret },
  });
  for await (const vendor of bc.company(companyId).vendors.list({ top: 50 })) console.log(vendor.number);
  // #endregion createBusinessCentralClient
}

export async function webhookHandler(request: Request): Promise<Response> {
  // #region handleValidationRequest
  const handshake = handleValidationRequest(request);
  if (handshake) return handshake;
  const signals = parseNotifications(await request.text(), { clientState });
  // #endregion handleValidationRequest
  return new Response(null, { status: signals.length > 0 ? 202 : 200 });
}
