import { createBusinessCentralClient, type BusinessCentralClient, type BusinessCentralClientOptions, type BusinessCentralCompany } from '@ml-connector/business-central';
import { InvalidInputError, type Logger } from '@ml-connector/core';
import { createFinanceOperationsClient, type FinanceOperationsClient, type FinanceOperationsClientOptions } from '@ml-connector/d365-fo';
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
  /** Finance & Operations, for the F&O examples (`erp: 'financeOperations'`; then the Business Central fields throw). */
  readonly financeOperations?: FinanceOperationsClient;
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
  readonly secret?: (system: 'businessCentral' | 'jaggaer' | 'financeOperations') => Promise<string>;
  /** The ERP paired with JAGGAER. @default 'businessCentral' */
  readonly erp?: 'businessCentral' | 'financeOperations';
  /** Extra Finance & Operations client options (throttle, retry). */
  readonly financeOperationsOptions?: Partial<FinanceOperationsClientOptions>;
  /** Extra Business Central client options (throttle, retry) — the flows' tuning. */
  readonly businessCentralOptions?: Partial<BusinessCentralClientOptions>;
  /** Extra JAGGAER client options. */
  readonly jaggaerOptions?: Partial<JaggaerClientOptions>;
}

/** A `fetch` that counts every request it sends. */
function countingFetch(counter: { count: number }, inner: typeof fetch = globalThis.fetch): typeof fetch {
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
  if (options.erp === 'financeOperations') return connectFinanceOperations(env, options);
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
    // A loopback host is an emulator started by hand (or a test): allowed over http, never a real tenant.
    const loopback = (url: string | undefined) => url !== undefined && /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\/?$/.test(url);
    bcOptions = {
      ...(loopback(bc.apiHost) ? { allowLoopback: true } : {}),
      tenantId: bc.tenantId,
      environment: bc.environment,
      credentials: { clientId: bc.clientId, clientSecret: bcSecret },
      ...(bc.apiHost ? { apiHost: bc.apiHost } : {}),
      ...(bc.authorityHost ? { authorityHost: bc.authorityHost } : {}),
    };
    jaggaerOptions = {
      ...(loopback(jg.host) ? { allowLoopback: true } : {}),
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

/** Stands in for Business Central in the F&O examples: any use is a clear error, not an undefined access. */
function noBusinessCentral(): never {
  return new Proxy({}, {
    get(_target, property) {
      if (property === 'then') return undefined;
      throw new InvalidInputError(`this example connects JAGGAER and Finance & Operations, not Business Central (accessed .${String(property)})`, { field: 'erp' });
    },
  }) as never;
}

/** JAGGAER + Finance & Operations: real environments when `FO_*` and `JAGGAER_*` are set, otherwise the emulators. */
async function connectFinanceOperations(env: ExampleEnvironment, options: ConnectOptions): Promise<ExampleConnections> {
  const counter = { count: 0 };
  let endpoints: EmulatorEndpoints | undefined;
  let foOptions: FinanceOperationsClientOptions;
  let jaggaerOptions: JaggaerClientOptions;
  let description: string;
  if (env.financeOperations && env.jaggaer) {
    const fo = env.financeOperations;
    const jg = env.jaggaer;
    const foSecret = fo.clientSecret ?? (options.secret ? () => options.secret!('financeOperations') : undefined);
    const jgSecret = jg.clientSecret ?? (options.secret ? () => options.secret!('jaggaer') : undefined);
    if (!foSecret || !jgSecret) {
      throw new InvalidInputError('Client secrets are neither in the environment nor in the vault: set FO_CLIENT_SECRET and JAGGAER_CLIENT_SECRET, or ML_CONNECTOR_VAULT_KEY.', {
        field: foSecret ? 'JAGGAER_CLIENT_SECRET' : 'FO_CLIENT_SECRET',
      });
    }
    const loopback = (url: string | undefined) => url !== undefined && /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\/?$/.test(url);
    foOptions = {
      ...(loopback(fo.environmentUrl) ? { allowLoopback: true } : {}),
      environmentUrl: fo.environmentUrl,
      tenantId: fo.tenantId,
      credentials: { clientId: fo.clientId, clientSecret: foSecret },
      ...(fo.defaultLegalEntity ? { defaultLegalEntity: fo.defaultLegalEntity } : {}),
      ...(fo.authorityHost ? { authorityHost: fo.authorityHost } : {}),
    } as FinanceOperationsClientOptions;
    jaggaerOptions = {
      ...(loopback(jg.host) ? { allowLoopback: true } : {}),
      host: jg.host,
      clientId: jg.clientId,
      clientSecret: jgSecret,
      ...(jg.realm ? { realm: jg.realm } : {}),
      ...(jg.tokenUrl ? { tokenUrl: jg.tokenUrl } : {}),
    };
    description = `Finance & Operations ${fo.environmentUrl} and JAGGAER ${jg.host}`;
  } else {
    endpoints = await startLocalEmulators({ stateDir: env.stateDir, reset: options.reset ?? false, erp: 'financeOperations' });
    foOptions = endpoints.financeOperations!;
    jaggaerOptions = endpoints.jaggaer;
    description = endpoints.description;
  }
  const logger = options.logger ? { logger: options.logger } : {};
  const financeOperations = createFinanceOperationsClient({
    ...foOptions,
    ...options.financeOperationsOptions,
    ...logger,
    fetch: countingFetch(counter, options.financeOperationsOptions?.fetch ?? foOptions.fetch),
  } as FinanceOperationsClientOptions);
  const jaggaer = createJaggaerClient({
    ...jaggaerOptions,
    ...options.jaggaerOptions,
    ...logger,
    fetch: countingFetch(counter, options.jaggaerOptions?.fetch ?? jaggaerOptions.fetch),
  });
  return {
    mode: endpoints ? 'emulators' : 'tenants',
    description,
    businessCentral: noBusinessCentral(),
    company: noBusinessCentral(),
    companyId: '',
    jaggaer,
    financeOperations,
    requestsUsed: () => counter.count,
    close: async () => {
      await endpoints?.close();
    },
  };
}
