import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InvalidInputError } from '@ml-connector/core';

/** Business Central connection read from the environment (a real tenant). */
export interface BusinessCentralEnvironment {
  readonly tenantId: string;
  readonly environment: string;
  /** Company GUID; when absent the tenant's only company is used. */
  readonly companyId?: string;
  readonly clientId: string;
  /** Absent when the secret is kept in the vault (`ML_CONNECTOR_VAULT_KEY` set). */
  readonly clientSecret?: string;
  readonly apiHost?: string;
  readonly authorityHost?: string;
}

/** JAGGAER connection read from the environment (a real tenant). */
export interface JaggaerEnvironment {
  readonly host: string;
  readonly clientId: string;
  /** Absent when the secret is kept in the vault. */
  readonly clientSecret?: string;
  readonly realm?: string;
  readonly tokenUrl?: string;
}

/** Dynamics NAV / Business Central on-premises connection read from the environment (a real instance). */
export interface NavEnvironment {
  /** Full OData URL with the company: `https://nav.contoso.local:7048/DynamicsNAV110/ODataV4/Company('CRONUS')`. */
  readonly url: string;
  /** NavUserPassword user; with `password` (its web service access key). */
  readonly username?: string;
  /** Absent when kept in the vault (`nav/password`). */
  readonly password?: string;
  /** Entra app for OAuth (instead of a user): client id, secret (or vault `nav/client-secret`), tenant, scope. */
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly tenantId?: string;
  readonly scope?: string;
  /** JSON of the client's `services` option (published page and field names of this instance). */
  readonly services?: string;
}

/** A system the examples connect to. */
export type ExampleSystem = 'businessCentral' | 'jaggaer' | 'nav';

/** Human names of the systems, for messages. */
const SYSTEM_NAMES: Readonly<Record<ExampleSystem, string>> = { businessCentral: 'Business Central', jaggaer: 'JAGGAER', nav: 'Dynamics NAV' };

/** Options of {@link loadExampleEnvironment}. */
export interface LoadEnvironmentOptions {
  /** The systems the example uses (default Business Central and JAGGAER); variables of other systems are ignored. */
  readonly systems?: readonly ExampleSystem[];
}

/** Everything an example reads from the environment. */
export interface ExampleEnvironment {
  /** Directory of local state (`.ml-connector/` under the current directory unless `ML_CONNECTOR_STATE_DIR`). */
  readonly stateDir: string;
  /** The SQLite state file (ledger, checkpoints, audit, review queue, vault). */
  readonly statePath: string;
  /** Key of the credential vault in the state file (base64 or hex of 32 bytes, or a passphrase). */
  readonly vaultKey?: string;
  /** Set when every `BC_*` variable a real tenant needs is present. */
  readonly businessCentral?: BusinessCentralEnvironment;
  /** Set when every `JAGGAER_*` variable a real tenant needs is present. */
  readonly jaggaer?: JaggaerEnvironment;
  /** Set when `NAV_URL` and NAV credentials are present (examples that use NAV only). */
  readonly nav?: NavEnvironment;
  /** `BC_MAX_REQUESTS_PER_SECOND`: the Business Central client's request rate (default 20, i.e. 6,000 per 5 minutes). */
  readonly businessCentralRequestsPerSecond?: number;
}

type Env = Readonly<Record<string, string | undefined>>;

const value = (env: Env, name: string): string | undefined => {
  const raw = env[name]?.trim();
  return raw ? raw : undefined;
};

/** Reads a group of variables: all absent gives undefined, some absent is a configuration error naming them. */
function group(
  env: Env,
  system: string,
  required: Readonly<Record<string, string>>,
  optional: Readonly<Record<string, string>>,
  secretsInVault: boolean,
  secretKey: string,
): Record<string, string> | undefined {
  const present = [...Object.values(required), ...Object.values(optional)].filter((name) => value(env, name as string) !== undefined);
  if (present.length === 0) return undefined;
  const missing = Object.entries(required)
    .filter(([key, name]) => value(env, name) === undefined && !(secretsInVault && key === secretKey))
    .map(([, name]) => name);
  if (missing.length > 0) {
    throw new InvalidInputError(
      `${system} is partly configured (${present.join(', ')} set) but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing. ` +
        'Set them (see examples/.env.example), or unset every variable of this system to use the emulators.',
      { field: missing[0] },
    );
  }
  const out: Record<string, string> = {};
  for (const [key, name] of [...Object.entries(required), ...Object.entries(optional)]) {
    const found = value(env, name as string);
    if (found !== undefined) out[key] = found;
  }
  return out;
}

/**
 * Reads the examples' configuration from `env` (by default `process.env`, after loading `.env` from the current
 * directory when there is one). Partial configuration of a system is an error that names the missing variables.
 */
export function loadExampleEnvironment(env: Env = loadDotEnv(), cwd: string = process.cwd(), options: LoadEnvironmentOptions = {}): ExampleEnvironment {
  const systems = options.systems ?? ['businessCentral', 'jaggaer'];
  const stateDir = resolve(cwd, value(env, 'ML_CONNECTOR_STATE_DIR') ?? '.ml-connector');
  const statePath = resolve(cwd, value(env, 'ML_CONNECTOR_STATE_PATH') ?? join(stateDir, 'examples.sqlite'));
  const vaultKey = value(env, 'ML_CONNECTOR_VAULT_KEY');
  const secretsInVault = vaultKey !== undefined;
  const businessCentral = !systems.includes('businessCentral') ? undefined : group(
    env,
    'Business Central',
    { tenantId: 'BC_TENANT_ID', environment: 'BC_ENVIRONMENT', clientId: 'BC_CLIENT_ID', clientSecret: 'BC_CLIENT_SECRET' },
    { companyId: 'BC_COMPANY_ID', apiHost: 'BC_API_HOST', authorityHost: 'BC_AUTHORITY_HOST' },
    secretsInVault,
    'clientSecret',
  ) as unknown as BusinessCentralEnvironment | undefined;
  const jaggaer = group(
    env,
    'JAGGAER',
    { host: 'JAGGAER_HOST', clientId: 'JAGGAER_CLIENT_ID', clientSecret: 'JAGGAER_CLIENT_SECRET' },
    { realm: 'JAGGAER_REALM', tokenUrl: 'JAGGAER_TOKEN_URL' },
    secretsInVault,
    'clientSecret',
  ) as unknown as JaggaerEnvironment | undefined;
  const nav = systems.includes('nav') ? readNav(env, secretsInVault) : undefined;
  if (!systems.includes('businessCentral')) {
    const configured = { businessCentral, jaggaer, nav };
    const set = systems.filter((system) => configured[system] !== undefined);
    if (set.length > 0 && set.length < systems.length) {
      const missing = systems.filter((system) => configured[system] === undefined);
      throw new InvalidInputError(
        `Only ${set.map((system) => SYSTEM_NAMES[system]).join(' and ')} ${set.length === 1 ? 'is' : 'are'} configured. The examples run against real ` +
          `instances or against the emulators, not a mix: configure ${missing.map((system) => SYSTEM_NAMES[system]).join(' and ')} too (see examples/.env.example) or neither.`,
        { field: missing[0] === 'nav' ? 'NAV_URL' : 'JAGGAER_HOST' },
      );
    }
  } else if ((businessCentral === undefined) !== (jaggaer === undefined)) {
    throw new InvalidInputError(
      `Only ${businessCentral ? 'Business Central' : 'JAGGAER'} is configured. The examples run against two real tenants or ` +
        'against the emulators, not a mix: configure both (see examples/.env.example) or neither.',
      { field: businessCentral ? 'JAGGAER_HOST' : 'BC_TENANT_ID' },
    );
  }
  const rateText = value(env, 'BC_MAX_REQUESTS_PER_SECOND');
  const rate = rateText === undefined ? undefined : Number(rateText);
  if (rate !== undefined && !(Number.isFinite(rate) && rate > 0)) {
    throw new InvalidInputError(`BC_MAX_REQUESTS_PER_SECOND must be a positive number, got "${rateText}"`, { field: 'BC_MAX_REQUESTS_PER_SECOND' });
  }
  return {
    ...(rate !== undefined ? { businessCentralRequestsPerSecond: rate } : {}),
    stateDir,
    statePath,
    ...(vaultKey ? { vaultKey } : {}),
    ...(businessCentral ? { businessCentral } : {}),
    ...(jaggaer ? { jaggaer } : {}),
    ...(nav ? { nav } : {}),
  };
}

/** Reads the `NAV_*` variables: a URL and either a user (Basic) or an Entra app (OAuth). */
function readNav(env: Env, secretsInVault: boolean): NavEnvironment | undefined {
  const names = {
    url: 'NAV_URL', username: 'NAV_USERNAME', password: 'NAV_PASSWORD', clientId: 'NAV_CLIENT_ID', clientSecret: 'NAV_CLIENT_SECRET',
    tenantId: 'NAV_TENANT_ID', scope: 'NAV_SCOPE', services: 'NAV_SERVICES',
  } as const;
  const read: Record<string, string> = {};
  for (const [key, name] of Object.entries(names)) {
    const found = value(env, name);
    if (found !== undefined) read[key] = found;
  }
  if (Object.keys(read).length === 0) return undefined;
  const missing: string[] = [];
  if (read['url'] === undefined) missing.push('NAV_URL');
  if (read['clientId'] !== undefined) {
    if (read['clientSecret'] === undefined && !secretsInVault) missing.push('NAV_CLIENT_SECRET');
    if (read['scope'] === undefined && !/businesscentral\.dynamics\.com/.test(read['url'] ?? '')) missing.push('NAV_SCOPE');
  } else {
    if (read['username'] === undefined) missing.push('NAV_USERNAME (or NAV_CLIENT_ID for Entra)');
    if (read['password'] === undefined && !secretsInVault) missing.push('NAV_PASSWORD');
  }
  if (missing.length > 0) {
    throw new InvalidInputError(
      `Dynamics NAV is partly configured (${Object.keys(read).map((key) => names[key as keyof typeof names]).join(', ')} set) but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing. ` +
        'Set them (see examples/.env.example), or unset every NAV_* variable to use the emulators.',
      { field: missing[0]!.split(' ')[0]! },
    );
  }
  return read as unknown as NavEnvironment;
}

/** `process.env` after loading `./.env` (Node's own `process.loadEnvFile`; variables already set win). */
export function loadDotEnv(path = '.env'): Env {
  if (existsSync(path)) process.loadEnvFile(path);
  return process.env;
}
