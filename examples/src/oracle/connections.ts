/**
 * Oracle Fusion ⇄ JAGGAER connections for the Oracle examples: real tenants when the environment configures both
 * (`ORACLE_*` and `JAGGAER_*`, see `examples/.env.example`), otherwise the running `pnpm emulators` or emulators
 * started here on the same persisted state.
 */
import type { Env, OracleFusionEnvironment } from '@ml-connector/cli';
import type { JaggaerClient } from '@ml-connector/jaggaer-j1p';
import { createOracleFusionClient, type OracleFusionClient, type OracleFusionClientOptions } from '@ml-connector/oracle-fusion';
import { loadDotEnv, loadExampleEnvironment, type ExampleEnvironment } from '../shared/config.ts';
import { JAGGAER_SYSTEM } from '../shared/connections.ts';
import { connectSystems, type ConnectedSystems, type ConnectOptions, type ExampleSystem } from '../shared/systems.ts';

export type { OracleFusionEnvironment };

/** The Oracle examples' environment (`oracleFusion` and `jaggaer` set for real systems). */
export type OracleExampleEnvironment = ExampleEnvironment;

/**
 * The Oracle examples' environment: state paths, vault key, Oracle Fusion and JAGGAER (Business Central variables
 * are ignored). Both systems or neither: a mix is refused with a message naming what is missing.
 */
export function loadOracleExampleEnvironment(env: Env = loadDotEnv(), cwd: string = process.cwd()): OracleExampleEnvironment {
  return loadExampleEnvironment(env, cwd, ['oracleFusion', 'jaggaer']);
}

/** Oracle Fusion Cloud (`ORACLE_*`): OAuth through an identity domain, or Basic. */
export const ORACLE_FUSION_SYSTEM: ExampleSystem<'oracleFusion', 'oracleFusion', OracleFusionClient> = {
  key: 'oracleFusion',
  emulator: 'oracleFusion',
  secret: (oracle) =>
    oracle.oauth ? { value: oracle.oauth.clientSecret, variable: 'ORACLE_CLIENT_SECRET' } : { value: oracle.basic?.password, variable: 'ORACLE_PASSWORD' },
  tenantOptions: async (oracle, source) => {
    // Basic auth takes the password itself: a vault secret is read once here.
    const secret = typeof source === 'function' ? await source() : source;
    return {
      host: oracle.host,
      ...(oracle.version ? { version: oracle.version } : {}),
      ...(oracle.oauth
        ? { identityDomainUrl: oracle.oauth.identityDomainUrl, scope: oracle.oauth.scope, credentials: { clientId: oracle.oauth.clientId, clientSecret: secret } }
        : { credentials: { username: oracle.basic!.username, password: secret } }),
    } as OracleFusionClientOptions;
  },
  describe: (oracle) => `Oracle Fusion ${oracle.host}`,
  tuning: (options) => options.oracleOptions,
  create: createOracleFusionClient,
};

/** Oracle Fusion and JAGGAER, connected, with a request counter for the summary. */
export interface OracleConnections extends ConnectedSystems {
  readonly oracle: OracleFusionClient;
  readonly jaggaer: JaggaerClient;
}

/** Client tuning of {@link connectOracleExample}. */
export type OracleConnectOptions = ConnectOptions;

/** Connects Oracle Fusion and JAGGAER: the configured tenants, or the emulators. */
export function connectOracleExample(env: OracleExampleEnvironment, options: OracleConnectOptions = {}): Promise<OracleConnections> {
  return connectSystems(env, { oracle: ORACLE_FUSION_SYSTEM, jaggaer: JAGGAER_SYSTEM }, options);
}
