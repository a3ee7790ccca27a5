/**
 * Dynamics 365 Finance & Operations ⇄ JAGGAER connections for the F&O examples: real environments when the
 * environment configures both (`FO_*` and `JAGGAER_*`, see `examples/.env.example`), otherwise the running
 * `pnpm emulators` or emulators started here on the same persisted state.
 */
import { isLoopbackUrl, readSystemEnvironment, type Env, type FinanceOperationsEnvironment } from '@ml-connector/cli';
import { createFinanceOperationsClient, type FinanceOperationsClient, type FinanceOperationsClientOptions } from '@ml-connector/d365-fo';
import type { JaggaerClient } from '@ml-connector/jaggaer-j1p';
import { loadDotEnv, loadExampleEnvironment, type ExampleEnvironment } from '../shared/config.ts';
import { JAGGAER_SYSTEM } from '../shared/connections.ts';
import { connectSystems, type ConnectedSystems, type ConnectOptions, type ExampleSystem } from '../shared/systems.ts';

export type { FinanceOperationsEnvironment };

/** The F&O examples' environment (`financeOperations` and `jaggaer` set for real systems). */
export type FoExampleEnvironment = ExampleEnvironment;

/** Reads `FO_*`: all absent gives undefined; a partial set is an `InvalidInputError` naming what is missing. */
export function loadFinanceOperationsEnvironment(env: Env, secretsInVault = false): FinanceOperationsEnvironment | undefined {
  return readSystemEnvironment(env, 'financeOperations', secretsInVault);
}

/**
 * The F&O examples' environment: state paths, vault key, Finance & Operations and JAGGAER (Business Central variables
 * are ignored). Both systems or neither: a mix is refused with a message naming what is missing.
 */
export function loadFoExampleEnvironment(env: Env = loadDotEnv(), cwd: string = process.cwd()): FoExampleEnvironment {
  return loadExampleEnvironment(env, cwd, ['financeOperations', 'jaggaer']);
}

/** Dynamics 365 Finance & Operations (`FO_*`). */
export const FINANCE_OPERATIONS_SYSTEM: ExampleSystem<'financeOperations', 'd365fo', FinanceOperationsClient> = {
  key: 'financeOperations',
  emulator: 'd365fo',
  secret: (fo) => ({ value: fo.clientSecret, variable: 'FO_CLIENT_SECRET' }),
  tenantOptions: (fo, clientSecret) =>
    ({
      ...(isLoopbackUrl(fo.environmentUrl) ? { allowLoopback: true } : {}),
      environmentUrl: fo.environmentUrl,
      tenantId: fo.tenantId,
      credentials: { clientId: fo.clientId, clientSecret },
      ...(fo.defaultLegalEntity ? { defaultLegalEntity: fo.defaultLegalEntity } : {}),
      ...(fo.authorityHost ? { authorityHost: fo.authorityHost } : {}),
    }) as FinanceOperationsClientOptions,
  describe: (fo) => `Finance & Operations ${fo.environmentUrl}`,
  tuning: (options) => options.financeOperationsOptions,
  create: createFinanceOperationsClient,
};

/** Finance & Operations and JAGGAER, connected, with a request counter for the summary. */
export interface FoConnections extends ConnectedSystems {
  readonly financeOperations: FinanceOperationsClient;
  readonly jaggaer: JaggaerClient;
}

/** Client tuning of {@link connectFoExample}. */
export type FoConnectOptions = ConnectOptions;

/** Connects Finance & Operations and JAGGAER: the configured environments, or the emulators. */
export function connectFoExample(env: FoExampleEnvironment, options: FoConnectOptions = {}): Promise<FoConnections> {
  return connectSystems(env, { financeOperations: FINANCE_OPERATIONS_SYSTEM, jaggaer: JAGGAER_SYSTEM }, options);
}

/** The `systems` of an F&O example definition: reads `FO_*` + `JAGGAER_*` and connects both. */
export const foSystems = {
  environment: (): FoExampleEnvironment => loadFoExampleEnvironment(),
  connect: (env: ExampleEnvironment, options: ConnectOptions): Promise<FoConnections> => connectFoExample(env, options),
};
