import { createBusinessCentralClient } from '@ml-connector/business-central';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, createBusinessCentralSandbox } from '@ml-connector/business-central/testing';

export async function overHttp(): Promise<{ baseUrl: string; tokenUrl: string; vendorCount: number }> {
  const sandbox = createBusinessCentralSandbox();
  const server = await sandbox.listen(); // http://127.0.0.1:<free port>
  try {
    const bc = createBusinessCentralClient({
      tenantId: sandbox.tenantId,
      environment: sandbox.environment,
      credentials: { clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET },
      apiHost: server.url,
      authorityHost: server.url,
      allowLoopback: true, // http on 127.0.0.1 only; never needed for the real service
    });
    const vendors = await bc.company(sandbox.companyId).vendors.list().toArray({ limit: 1000 });
    // The same URLs the client derived, from the sandbox: service root and token endpoint.
    return { baseUrl: sandbox.baseUrl(server.url), tokenUrl: sandbox.tokenUrl(server.url), vendorCount: vendors.length };
  } finally {
    await server.close();
    sandbox.close();
  }
}
