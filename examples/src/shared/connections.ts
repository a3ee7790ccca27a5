import { createBusinessCentralClient, type BusinessCentralClient, type BusinessCentralCompany } from '@ml-connector/business-central';
import { businessCentralClientOptions, jaggaerClientOptions } from '@ml-connector/cli';
import { InvalidInputError } from '@ml-connector/core';
import { createJaggaerClient, type JaggaerClient } from '@ml-connector/jaggaer-j1p';
import type { ExampleEnvironment } from './config.ts';
import { connectSystems, type ConnectedSystems, type ConnectOptions, type ExampleSystem } from './systems.ts';

export { isLoopbackUrl } from '@ml-connector/cli';
export { countingFetch, type ConnectOptions } from './systems.ts';

/** JAGGAER ONE (`JAGGAER_*`), the other side of most examples. */
export const JAGGAER_SYSTEM: ExampleSystem<'jaggaer', 'jaggaer', JaggaerClient> = {
  key: 'jaggaer',
  emulator: 'jaggaer',
  secret: (jaggaer) => ({ value: jaggaer.clientSecret, variable: 'JAGGAER_CLIENT_SECRET' }),
  tenantOptions: jaggaerClientOptions,
  describe: (jaggaer) => `JAGGAER ${jaggaer.host}`,
  tuning: (options) => options.jaggaerOptions,
  create: createJaggaerClient,
};

/** Business Central online (`BC_*`); `BC_MAX_REQUESTS_PER_SECOND` sets its throttle. */
export const BUSINESS_CENTRAL_SYSTEM: ExampleSystem<'businessCentral', 'businessCentral', BusinessCentralClient> = {
  key: 'businessCentral',
  emulator: 'businessCentral',
  secret: (bc) => ({ value: bc.clientSecret, variable: 'BC_CLIENT_SECRET' }),
  tenantOptions: businessCentralClientOptions,
  describe: (bc) => `Business Central tenant ${bc.tenantId}/${bc.environment}`,
  tuning: (options, env) => ({
    ...(env.businessCentralRequestsPerSecond ? { throttle: { maxRequestsPerSecond: env.businessCentralRequestsPerSecond } } : {}),
    ...options.businessCentralOptions,
  }),
  create: createBusinessCentralClient,
};

/** Business Central and JAGGAER, connected, with a request counter for the summary. */
export interface ExampleConnections extends ConnectedSystems {
  readonly businessCentral: BusinessCentralClient;
  /** The company the flows work in. */
  readonly company: BusinessCentralCompany;
  readonly companyId: string;
  readonly jaggaer: JaggaerClient;
}

/**
 * Connects Business Central and JAGGAER: real tenants when the environment configures them, otherwise the running
 * `pnpm emulators` (or emulators started here on the same persisted state). The company is `BC_COMPANY_ID`, the
 * emulator's, or the tenant's only one.
 */
export async function connectExample(env: ExampleEnvironment, options: ConnectOptions = {}): Promise<ExampleConnections> {
  const connected = await connectSystems(env, { businessCentral: BUSINESS_CENTRAL_SYSTEM, jaggaer: JAGGAER_SYSTEM }, options);
  let companyId = env.businessCentral?.companyId ?? connected.emulatorSandboxes?.businessCentral?.companyId;
  try {
    if (!companyId) {
      const companies = await connected.businessCentral.companies.list().toArray({ limit: 50 });
      if (companies.length !== 1) {
        throw new InvalidInputError(
          `The tenant has ${companies.length} companies; set BC_COMPANY_ID to one of: ${companies.map((c) => `${c.id} (${c.name})`).join(', ')}.`,
          { field: 'BC_COMPANY_ID' },
        );
      }
      companyId = companies[0]!.id;
    }
  } catch (error) {
    await connected.close();
    throw error;
  }
  return { ...connected, company: connected.businessCentral.company(companyId), companyId };
}
