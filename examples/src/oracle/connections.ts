/**
 * Oracle Fusion ⇄ JAGGAER connections for the Oracle examples: real tenants when the environment configures both
 * (`ORACLE_*` and `JAGGAER_*`, see `examples/.env.example`), otherwise the running `pnpm emulators` or emulators
 * started here on the same persisted state.
 */
import { join } from 'node:path';
import { InvalidInputError, type Logger } from '@ml-connector/core';
import { findRunningEmulators, startEmulators } from '@ml-connector/emulators';
import { createJaggaerClient, type JaggaerClient, type JaggaerClientOptions } from '@ml-connector/jaggaer-j1p';
import { createOracleFusionClient, type OracleFusionClient, type OracleFusionClientOptions } from '@ml-connector/oracle-fusion';
import { loadDotEnv, loadExampleEnvironment, type ExampleEnvironment, type JaggaerEnvironment } from '../shared/config.ts';
import { type ConnectOptions, countingFetch, isLoopbackUrl } from '../shared/connections.ts';

/** Oracle Fusion connection read from the environment (a real pod). */
export interface OracleFusionEnvironment {
  /** Pod host, `acme.fa.us2.oraclecloud.com` (`ORACLE_HOST`). */
  readonly host: string;
  /** REST version (`ORACLE_REST_VERSION`, default the client's `11.13.18.05`). */
  readonly version?: string;
  /** OAuth: `ORACLE_IDENTITY_DOMAIN_URL`, `ORACLE_SCOPE`, `ORACLE_CLIENT_ID`, `ORACLE_CLIENT_SECRET`. */
  readonly oauth?: { readonly identityDomainUrl: string; readonly scope: string; readonly clientId: string; readonly clientSecret?: string };
  /** Basic auth: `ORACLE_USERNAME`, `ORACLE_PASSWORD`. */
  readonly basic?: { readonly username: string; readonly password?: string };
}

/** The examples' environment plus the Oracle pod. */
export interface OracleExampleEnvironment extends ExampleEnvironment {
  readonly oracleFusion?: OracleFusionEnvironment;
}

type Env = Readonly<Record<string, string | undefined>>;
const value = (env: Env, name: string): string | undefined => env[name]?.trim() || undefined;

const ORACLE_VARIABLES = ['ORACLE_HOST', 'ORACLE_REST_VERSION', 'ORACLE_IDENTITY_DOMAIN_URL', 'ORACLE_SCOPE', 'ORACLE_CLIENT_ID', 'ORACLE_CLIENT_SECRET', 'ORACLE_USERNAME', 'ORACLE_PASSWORD'];

/** Reads `ORACLE_*`: all absent gives undefined; a partial set is an `InvalidInputError` naming what is missing. */
export function loadOracleFusionEnvironment(env: Env, secretsInVault = false): OracleFusionEnvironment | undefined {
  const present = ORACLE_VARIABLES.filter((name) => value(env, name) !== undefined);
  if (present.length === 0) return undefined;
  const missing = (names: string[]) => names.filter((name) => value(env, name) === undefined);
  const host = value(env, 'ORACLE_HOST');
  const version = value(env, 'ORACLE_REST_VERSION');
  const common = { ...(version ? { version } : {}) };
  if (value(env, 'ORACLE_USERNAME') !== undefined) {
    const lacking = missing(['ORACLE_HOST', ...(secretsInVault ? [] : ['ORACLE_PASSWORD'])]);
    if (lacking.length > 0 || !host) throw partly(present, lacking);
    const password = value(env, 'ORACLE_PASSWORD');
    return { host, ...common, basic: { username: value(env, 'ORACLE_USERNAME')!, ...(password ? { password } : {}) } };
  }
  const lacking = missing(['ORACLE_HOST', 'ORACLE_IDENTITY_DOMAIN_URL', 'ORACLE_SCOPE', 'ORACLE_CLIENT_ID', ...(secretsInVault ? [] : ['ORACLE_CLIENT_SECRET'])]);
  if (lacking.length > 0 || !host) throw partly(present, lacking);
  const clientSecret = value(env, 'ORACLE_CLIENT_SECRET');
  return {
    host,
    ...common,
    oauth: { identityDomainUrl: value(env, 'ORACLE_IDENTITY_DOMAIN_URL')!, scope: value(env, 'ORACLE_SCOPE')!, clientId: value(env, 'ORACLE_CLIENT_ID')!, ...(clientSecret ? { clientSecret } : {}) },
  };
}

function partly(present: string[], missing: string[]): InvalidInputError {
  return new InvalidInputError(
    `Oracle Fusion is partly configured (${present.join(', ')} set) but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing. ` +
      'Set ORACLE_HOST with either ORACLE_IDENTITY_DOMAIN_URL, ORACLE_SCOPE, ORACLE_CLIENT_ID, ORACLE_CLIENT_SECRET (OAuth) or ORACLE_USERNAME, ' +
      'ORACLE_PASSWORD (Basic), or unset every ORACLE_* variable to use the emulators.',
    { field: missing[0] ?? 'ORACLE_HOST' },
  );
}

/**
 * The Oracle examples' environment: state paths and JAGGAER as for every example (Business Central variables are
 * ignored), plus Oracle Fusion. Both systems or neither: a mix is refused with a message naming what is missing.
 */
export function loadOracleExampleEnvironment(env: Env = loadDotEnv(), cwd: string = process.cwd()): OracleExampleEnvironment {
  // State paths and the vault key come from the shared loader; it pairs JAGGAER with Business Central, so it gets
  // neither, and JAGGAER is read here (same variables, same rule).
  const base = loadExampleEnvironment(Object.fromEntries(Object.entries(env).filter(([name]) => !/^(BC|JAGGAER)_/.test(name))), cwd);
  const jaggaer = loadJaggaerEnvironment(env, base.vaultKey !== undefined);
  const oracleFusion = loadOracleFusionEnvironment(env, base.vaultKey !== undefined);
  if ((oracleFusion === undefined) !== (jaggaer === undefined)) {
    throw new InvalidInputError(
      `Only ${oracleFusion ? 'Oracle Fusion' : 'JAGGAER'} is configured. The Oracle examples run against two real tenants or against the ` +
        'emulators, not a mix: configure both (see examples/.env.example) or neither.',
      { field: oracleFusion ? 'JAGGAER_HOST' : 'ORACLE_HOST' },
    );
  }
  return { ...base, ...(jaggaer ? { jaggaer } : {}), ...(oracleFusion ? { oracleFusion } : {}) };
}

/** Reads `JAGGAER_*` (host, client id and secret required together; realm and token URL optional). */
function loadJaggaerEnvironment(env: Env, secretsInVault: boolean): JaggaerEnvironment | undefined {
  const names = ['JAGGAER_HOST', 'JAGGAER_CLIENT_ID', 'JAGGAER_CLIENT_SECRET', 'JAGGAER_REALM', 'JAGGAER_TOKEN_URL'];
  const present = names.filter((name) => value(env, name) !== undefined);
  if (present.length === 0) return undefined;
  const missing = ['JAGGAER_HOST', 'JAGGAER_CLIENT_ID', ...(secretsInVault ? [] : ['JAGGAER_CLIENT_SECRET'])].filter((name) => value(env, name) === undefined);
  if (missing.length > 0) {
    throw new InvalidInputError(
      `JAGGAER is partly configured (${present.join(', ')} set) but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing. ` +
        'Set them (see examples/.env.example), or unset every variable of this system to use the emulators.',
      { field: missing[0] },
    );
  }
  const optional = (name: string) => value(env, name);
  return {
    host: value(env, 'JAGGAER_HOST')!,
    clientId: value(env, 'JAGGAER_CLIENT_ID')!,
    ...(optional('JAGGAER_CLIENT_SECRET') ? { clientSecret: optional('JAGGAER_CLIENT_SECRET')! } : {}),
    ...(optional('JAGGAER_REALM') ? { realm: optional('JAGGAER_REALM')! } : {}),
    ...(optional('JAGGAER_TOKEN_URL') ? { tokenUrl: optional('JAGGAER_TOKEN_URL')! } : {}),
  };
}

/** Oracle Fusion and JAGGAER, connected, with a request counter for the summary. */
export interface OracleConnections {
  readonly mode: 'emulators' | 'tenants';
  /** One line saying where the example runs (no secrets). */
  readonly description: string;
  readonly oracle: OracleFusionClient;
  readonly jaggaer: JaggaerClient;
  /** HTTP requests sent so far, both systems, token requests and retries included. */
  requestsUsed(): number;
  /** Stops emulators this process started. */
  close(): Promise<void>;
}

/** Client tuning of {@link connectOracleExample}. */
export interface OracleConnectOptions extends Omit<ConnectOptions, 'businessCentralOptions'> {
  readonly oracleOptions?: Partial<OracleFusionClientOptions>;
}

/** Connects Oracle Fusion and JAGGAER: the configured tenants, or the emulators. */
export async function connectOracleExample(env: OracleExampleEnvironment, options: OracleConnectOptions = {}): Promise<OracleConnections> {
  const counter = { count: 0 };
  let oracleOptions: OracleFusionClientOptions;
  let jaggaerOptions: JaggaerClientOptions;
  let description: string;
  let close = async () => {};
  if (env.oracleFusion && env.jaggaer) {
    const ora = env.oracleFusion;
    const jg: JaggaerEnvironment = env.jaggaer;
    const vaultSecret = (system: 'jaggaer' | 'oracleFusion') => (options.secret ? () => options.secret!(system) : undefined);
    const jgSecret = jg.clientSecret ?? vaultSecret('jaggaer');
    const oraSecret = ora.oauth?.clientSecret ?? ora.basic?.password ?? vaultSecret('oracleFusion');
    if (!jgSecret || !oraSecret) {
      throw new InvalidInputError('Secrets are neither in the environment nor in the vault: set JAGGAER_CLIENT_SECRET and ORACLE_CLIENT_SECRET (or ORACLE_PASSWORD), or ML_CONNECTOR_VAULT_KEY.', {
        field: jgSecret ? 'ORACLE_CLIENT_SECRET' : 'JAGGAER_CLIENT_SECRET',
      });
    }
    // The Oracle client takes a literal secret: a vault secret is read once here.
    const oracleSecret = typeof oraSecret === 'function' ? await oraSecret() : oraSecret;
    oracleOptions = {
      host: ora.host,
      ...(ora.version ? { version: ora.version } : {}),
      ...(ora.oauth
        ? { identityDomainUrl: ora.oauth.identityDomainUrl, scope: ora.oauth.scope, credentials: { clientId: ora.oauth.clientId, clientSecret: oracleSecret } }
        : { credentials: { username: ora.basic!.username, password: oracleSecret } }),
    } as OracleFusionClientOptions;
    jaggaerOptions = {
      ...(isLoopbackUrl(jg.host) ? { allowLoopback: true } : {}),
      host: jg.host,
      clientId: jg.clientId,
      clientSecret: jgSecret,
      ...(jg.realm ? { realm: jg.realm } : {}),
      ...(jg.tokenUrl ? { tokenUrl: jg.tokenUrl } : {}),
    };
    description = `Oracle Fusion ${ora.host} and JAGGAER ${jg.host}`;
  } else {
    const stateDir = join(env.stateDir, 'emulators');
    const running = await findRunningEmulators({ stateDir });
    if (running?.clients.oracleFusion && running.clients.jaggaer) {
      oracleOptions = running.clients.oracleFusion;
      jaggaerOptions = running.clients.jaggaer;
      description = `running emulators (pid ${running.pid}: Oracle Fusion ${running.urls.oracleFusion}, JAGGAER ${running.urls.jaggaer})`;
    } else {
      const started = await startEmulators({ systems: ['oracleFusion', 'jaggaer'], ports: { oracleFusion: 0, jaggaer: 0 }, stateDir, reset: options.reset ?? false });
      if (!started.clients.oracleFusion || !started.clients.jaggaer) {
        await started.close();
        throw new Error('the emulators did not start Oracle Fusion and JAGGAER');
      }
      oracleOptions = started.clients.oracleFusion;
      jaggaerOptions = started.clients.jaggaer;
      description = `emulators started here on ${stateDir} (Oracle Fusion ${started.urls.oracleFusion}, JAGGAER ${started.urls.jaggaer}); run \`pnpm emulators\` to keep them up`;
      close = () => started.close();
    }
  }
  const logger: { logger?: Logger } = options.logger ? { logger: options.logger } : {};
  const oracle = createOracleFusionClient({
    ...oracleOptions,
    ...options.oracleOptions,
    ...logger,
    fetch: countingFetch(counter, options.oracleOptions?.fetch ?? oracleOptions.fetch),
  } as OracleFusionClientOptions);
  const jaggaer = createJaggaerClient({
    ...jaggaerOptions,
    ...options.jaggaerOptions,
    ...logger,
    fetch: countingFetch(counter, options.jaggaerOptions?.fetch ?? jaggaerOptions.fetch),
  });
  return { mode: env.oracleFusion ? 'tenants' : 'emulators', description, oracle, jaggaer, requestsUsed: () => counter.count, close };
}
