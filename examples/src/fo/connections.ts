/**
 * Dynamics 365 Finance & Operations ⇄ JAGGAER connections for the F&O examples: real environments when the
 * environment configures both (`FO_*` and `JAGGAER_*`, see `examples/.env.example`), otherwise the running
 * `pnpm emulators` or emulators started here on the same persisted state.
 */
import { join } from 'node:path';
import { loadConnectorEnvironment } from '@ml-connector/cli';
import { InvalidInputError, type Logger } from '@ml-connector/core';
import { createFinanceOperationsClient, type FinanceOperationsClient, type FinanceOperationsClientOptions } from '@ml-connector/d365-fo';
import { findRunningEmulators, startEmulators } from '@ml-connector/emulators';
import { createJaggaerClient, type JaggaerClient, type JaggaerClientOptions } from '@ml-connector/jaggaer-j1p';
import { loadDotEnv, type ExampleEnvironment } from '../shared/config.ts';
import { type ConnectOptions, countingFetch, isLoopbackUrl } from '../shared/connections.ts';

/** Dynamics 365 Finance & Operations connection read from the environment (a real environment). */
export interface FinanceOperationsEnvironment {
  /** `https://{env}.operations.dynamics.com` (`FO_ENVIRONMENT_URL`). */
  readonly environmentUrl: string;
  readonly tenantId: string;
  readonly clientId: string;
  /** Absent when the secret is kept in the vault. */
  readonly clientSecret?: string;
  /** The mapped F&O user's default company (other legal entities are read with `cross-company=true`). */
  readonly defaultLegalEntity?: string;
  readonly authorityHost?: string;
}

/** The examples' environment plus the F&O environment. */
export interface FoExampleEnvironment extends ExampleEnvironment {
  readonly financeOperations?: FinanceOperationsEnvironment;
}

type Env = Readonly<Record<string, string | undefined>>;
const value = (env: Env, name: string): string | undefined => env[name]?.trim() || undefined;

const FO_REQUIRED = { environmentUrl: 'FO_ENVIRONMENT_URL', tenantId: 'FO_TENANT_ID', clientId: 'FO_CLIENT_ID', clientSecret: 'FO_CLIENT_SECRET' } as const;
const FO_OPTIONAL = { defaultLegalEntity: 'FO_DEFAULT_LEGAL_ENTITY', authorityHost: 'FO_AUTHORITY_HOST' } as const;

/** Reads `FO_*`: all absent gives undefined; a partial set is an `InvalidInputError` naming what is missing. */
export function loadFinanceOperationsEnvironment(env: Env, secretsInVault = false): FinanceOperationsEnvironment | undefined {
  const all = { ...FO_REQUIRED, ...FO_OPTIONAL };
  const present = Object.values(all).filter((name) => value(env, name) !== undefined);
  if (present.length === 0) return undefined;
  const missing = Object.entries(FO_REQUIRED)
    .filter(([key, name]) => value(env, name) === undefined && !(secretsInVault && key === 'clientSecret'))
    .map(([, name]) => name);
  if (missing.length > 0) {
    throw new InvalidInputError(
      `Finance & Operations is partly configured (${present.join(', ')} set) but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing. ` +
        'Set them (see examples/.env.example), or unset every FO_* variable to use the emulators.',
      { field: missing[0] },
    );
  }
  const out: Record<string, string> = {};
  for (const [key, name] of Object.entries(all)) {
    const found = value(env, name);
    if (found !== undefined) out[key] = found;
  }
  return out as unknown as FinanceOperationsEnvironment;
}

/**
 * The F&O examples' environment: state paths, vault key and JAGGAER as for every example (Business Central variables
 * are ignored), plus Finance & Operations. Both systems or neither: a mix is refused with a message naming what is missing.
 */
export function loadFoExampleEnvironment(env: Env = loadDotEnv(), cwd: string = process.cwd()): FoExampleEnvironment {
  const base = loadConnectorEnvironment(Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('BC_'))), cwd);
  const financeOperations = loadFinanceOperationsEnvironment(env, base.vaultKey !== undefined);
  if ((financeOperations === undefined) !== (base.jaggaer === undefined)) {
    throw new InvalidInputError(
      `Only ${financeOperations ? 'Finance & Operations' : 'JAGGAER'} is configured. The F&O examples run against two real tenants or ` +
        'against the emulators, not a mix: configure both (see examples/.env.example) or neither.',
      { field: financeOperations ? 'JAGGAER_HOST' : 'FO_ENVIRONMENT_URL' },
    );
  }
  return { ...base, ...(financeOperations ? { financeOperations } : {}) };
}

/** Finance & Operations and JAGGAER, connected, with a request counter for the summary. */
export interface FoConnections {
  readonly mode: 'emulators' | 'tenants';
  /** One line saying where the example runs (no secrets). */
  readonly description: string;
  readonly financeOperations: FinanceOperationsClient;
  readonly jaggaer: JaggaerClient;
  /** HTTP requests sent so far, both systems, token requests and retries included. */
  requestsUsed(): number;
  /** Stops emulators this process started. */
  close(): Promise<void>;
}

/** Client tuning of {@link connectFoExample}. */
export interface FoConnectOptions extends Omit<ConnectOptions, 'businessCentralOptions'> {
  /** Extra Finance & Operations client options (throttle, retry). */
  readonly financeOperationsOptions?: Partial<FinanceOperationsClientOptions>;
}

/** Connects Finance & Operations and JAGGAER: the configured environments, or the emulators. */
export async function connectFoExample(env: FoExampleEnvironment, options: FoConnectOptions = {}): Promise<FoConnections> {
  const counter = { count: 0 };
  let foOptions: FinanceOperationsClientOptions;
  let jaggaerOptions: JaggaerClientOptions;
  let description: string;
  let close = async () => {};
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
    foOptions = {
      ...(isLoopbackUrl(fo.environmentUrl) ? { allowLoopback: true } : {}),
      environmentUrl: fo.environmentUrl,
      tenantId: fo.tenantId,
      credentials: { clientId: fo.clientId, clientSecret: foSecret },
      ...(fo.defaultLegalEntity ? { defaultLegalEntity: fo.defaultLegalEntity } : {}),
      ...(fo.authorityHost ? { authorityHost: fo.authorityHost } : {}),
    } as FinanceOperationsClientOptions;
    jaggaerOptions = {
      ...(isLoopbackUrl(jg.host) ? { allowLoopback: true } : {}),
      host: jg.host,
      clientId: jg.clientId,
      clientSecret: jgSecret,
      ...(jg.realm ? { realm: jg.realm } : {}),
      ...(jg.tokenUrl ? { tokenUrl: jg.tokenUrl } : {}),
    };
    description = `Finance & Operations ${fo.environmentUrl} and JAGGAER ${jg.host}`;
  } else {
    const stateDir = join(env.stateDir, 'emulators');
    const running = await findRunningEmulators({ stateDir });
    if (running?.clients.d365fo && running.clients.jaggaer) {
      foOptions = running.clients.d365fo;
      jaggaerOptions = running.clients.jaggaer;
      description = `running emulators (pid ${running.pid}: Finance & Operations ${running.urls.d365fo}, JAGGAER ${running.urls.jaggaer})`;
    } else {
      // In the example's own process: a write F&O acknowledged must survive the example being killed.
      const started = await startEmulators({ systems: ['d365fo', 'jaggaer'], ports: { d365fo: 0, jaggaer: 0 }, stateDir, reset: options.reset ?? false, durableWrites: true });
      if (!started.clients.d365fo || !started.clients.jaggaer) {
        await started.close();
        throw new Error('the emulators did not start Finance & Operations and JAGGAER');
      }
      foOptions = started.clients.d365fo;
      jaggaerOptions = started.clients.jaggaer;
      description = `emulators started here on ${stateDir} (Finance & Operations ${started.urls.d365fo}, JAGGAER ${started.urls.jaggaer}); run \`pnpm emulators\` to keep them up`;
      close = () => started.close();
    }
  }
  const logger: { logger?: Logger } = options.logger ? { logger: options.logger } : {};
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
  return { mode: env.financeOperations ? 'tenants' : 'emulators', description, financeOperations, jaggaer, requestsUsed: () => counter.count, close };
}

/** The `systems` of an F&O example definition: reads `FO_*` + `JAGGAER_*` and connects both. */
export const foSystems = {
  environment: (): FoExampleEnvironment => loadFoExampleEnvironment(),
  connect: (env: ExampleEnvironment, options: ConnectOptions): Promise<FoConnections> => connectFoExample(env, options),
};
