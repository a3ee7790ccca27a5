import { createBusinessCentralClient, type BusinessCentralClient, type BusinessCentralClientOptions, type BusinessCentralCompany } from '@ml-connector/business-central';
import { InvalidInputError, type Logger } from '@ml-connector/core';
import { createJaggaerClient, type JaggaerClient, type JaggaerClientOptions } from '@ml-connector/jaggaer-j1p';
import type { ExampleEnvironment } from './config.ts';
import { startLocalEmulators, type EmulatorEndpoints } from './emulators.ts';

/** Both systems, connected, with a request counter for the summary. */
export interface ExampleConnections {
  /** `emulators` (no configuration) or `tenants` (credentials from the environment). */
  readonly mode: 'emulators' | 'tenants';
  /** One line saying where the example runs (no secrets). */
  readonly description: string;
  readonly businessCentral: BusinessCentralClient;
  /** The company the flows work in. */
  readonly company: BusinessCentralCompany;
  readonly companyId: string;
  readonly jaggaer: JaggaerClient;
  /** HTTP requests sent so far, both systems, token requests and retries included. */
  requestsUsed(): number;
  /** Stops emulators this process started. */
  close(): Promise<void>;
}

/** Options of {@link connectExample}. */
export interface ConnectOptions {
  readonly logger?: Logger;
  /** Reseed emulators this process starts. */
  readonly reset?: boolean;
  /** Secrets the environment left out, read from the vault (by system). */
  readonly secret?: (system: 'businessCentral' | 'jaggaer' | 'oracleFusion' | 'financeOperations' | 'nav' | 'jira') => Promise<string>;
  /** Extra Business Central client options (throttle, retry) — the flows' tuning. */
  readonly businessCentralOptions?: Partial<BusinessCentralClientOptions>;
  /** Extra JAGGAER client options. */
  readonly jaggaerOptions?: Partial<JaggaerClientOptions>;
}

/** A loopback host is an emulator started by hand (or a test): allowed over http, never a real tenant. */
export const isLoopbackUrl = (url: string | undefined): boolean => url !== undefined && /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\/?$/.test(url);

/** A `fetch` that counts every request it sends. */
export function countingFetch(counter: { count: number }, inner: typeof fetch = globalThis.fetch): typeof fetch {
  return (input, init) => {
    counter.count++;
    return inner(input, init);
  };
}

/**
 * Connects to both systems: real tenants when the environment configures them, otherwise the running
 * `pnpm emulators` (or emulators started here on the same persisted state).
 */
export async function connectExample(env: ExampleEnvironment, options: ConnectOptions = {}): Promise<ExampleConnections> {
  const counter = { count: 0 };
  let endpoints: EmulatorEndpoints | undefined;
  let bcOptions: BusinessCentralClientOptions;
  let jaggaerOptions: JaggaerClientOptions;
  let companyId: string | undefined;
  let description: string;
  if (env.businessCentral && env.jaggaer) {
    const bc = env.businessCentral;
    const jg = env.jaggaer;
    const bcSecret = bc.clientSecret ?? (options.secret ? () => options.secret!('businessCentral') : undefined);
    const jgSecret = jg.clientSecret ?? (options.secret ? () => options.secret!('jaggaer') : undefined);
    if (!bcSecret || !jgSecret) {
      throw new InvalidInputError('Client secrets are neither in the environment nor in the vault: set BC_CLIENT_SECRET and JAGGAER_CLIENT_SECRET, or ML_CONNECTOR_VAULT_KEY.', {
        field: bcSecret ? 'JAGGAER_CLIENT_SECRET' : 'BC_CLIENT_SECRET',
      });
    }
    bcOptions = {
      ...(isLoopbackUrl(bc.apiHost) ? { allowLoopback: true } : {}),
      tenantId: bc.tenantId,
      environment: bc.environment,
      credentials: { clientId: bc.clientId, clientSecret: bcSecret },
      ...(bc.apiHost ? { apiHost: bc.apiHost } : {}),
      ...(bc.authorityHost ? { authorityHost: bc.authorityHost } : {}),
    };
    jaggaerOptions = {
      ...(isLoopbackUrl(jg.host) ? { allowLoopback: true } : {}),
      host: jg.host,
      clientId: jg.clientId,
      clientSecret: jgSecret,
      ...(jg.realm ? { realm: jg.realm } : {}),
      ...(jg.tokenUrl ? { tokenUrl: jg.tokenUrl } : {}),
    };
    companyId = bc.companyId;
    description = `Business Central tenant ${bc.tenantId}/${bc.environment} and JAGGAER ${jg.host}`;
  } else {
    endpoints = await startLocalEmulators({ stateDir: env.stateDir, reset: options.reset ?? false });
    bcOptions = endpoints.businessCentral;
    jaggaerOptions = endpoints.jaggaer;
    companyId = endpoints.businessCentralCompanyId;
    description = endpoints.description;
  }
  const logger = options.logger ? { logger: options.logger } : {};
  const throttle = env.businessCentralRequestsPerSecond ? { throttle: { maxRequestsPerSecond: env.businessCentralRequestsPerSecond } } : {};
  const businessCentral = createBusinessCentralClient({
    ...bcOptions,
    ...throttle,
    ...options.businessCentralOptions,
    ...logger,
    fetch: countingFetch(counter, options.businessCentralOptions?.fetch ?? bcOptions.fetch),
  } as BusinessCentralClientOptions);
  const jaggaer = createJaggaerClient({
    ...jaggaerOptions,
    ...options.jaggaerOptions,
    ...logger,
    fetch: countingFetch(counter, options.jaggaerOptions?.fetch ?? jaggaerOptions.fetch),
  });
  try {
    if (!companyId) {
      const companies = await businessCentral.companies.list().toArray({ limit: 50 });
      if (companies.length !== 1) {
        throw new InvalidInputError(
          `The tenant has ${companies.length} companies; set BC_COMPANY_ID to one of: ${companies.map((c) => `${c.id} (${c.name})`).join(', ')}.`,
          { field: 'BC_COMPANY_ID' },
        );
      }
      companyId = companies[0]!.id;
    }
  } catch (error) {
    await endpoints?.close();
    throw error;
  }
  return {
    mode: endpoints ? 'emulators' : 'tenants',
    description,
    businessCentral,
    company: businessCentral.company(companyId),
    companyId,
    jaggaer,
    requestsUsed: () => counter.count,
    close: async () => {
      await endpoints?.close();
    },
  };
}
