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

/**
 * Everything the examples and the `ml-connector` command read from the environment (the variables of
 * `examples/.env.example`).
 */
export interface ConnectorEnvironment {
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
  /** `BC_MAX_REQUESTS_PER_SECOND`: the Business Central client's request rate (default 20, i.e. 6,000 per 5 minutes). */
  readonly businessCentralRequestsPerSecond?: number;
}

/** Environment variables by name. */
export type Env = Readonly<Record<string, string | undefined>>;

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
 * Reads the configuration from `env` (by default `process.env`, after loading `.env` from the current directory when
 * there is one). Partial configuration of a system is an error that names the missing variables; each system may be
 * configured on its own (the examples additionally refuse a mix of one tenant and one emulator).
 */
export function loadConnectorEnvironment(env: Env = loadDotEnv(), cwd: string = process.cwd()): ConnectorEnvironment {
  const stateDir = resolve(cwd, value(env, 'ML_CONNECTOR_STATE_DIR') ?? '.ml-connector');
  const statePath = resolve(cwd, value(env, 'ML_CONNECTOR_STATE_PATH') ?? join(stateDir, 'examples.sqlite'));
  const vaultKey = value(env, 'ML_CONNECTOR_VAULT_KEY');
  const secretsInVault = vaultKey !== undefined;
  const businessCentral = group(
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
  };
}

/** `process.env` after loading `./.env` (Node's own `process.loadEnvFile`; variables already set win). */
export function loadDotEnv(path = '.env'): Env {
  if (existsSync(path)) process.loadEnvFile(path);
  return process.env;
}
