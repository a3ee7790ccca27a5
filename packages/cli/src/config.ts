import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InvalidInputError } from '@ml-connector/core';
import { readSystemEnvironment, type ConnectorSystem, type Env, type SystemEnvironments } from './environment.js';

export type { Env, BusinessCentralEnvironment, JaggaerEnvironment } from './environment.js';

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
  readonly businessCentral?: SystemEnvironments['businessCentral'];
  /** Set when every `JAGGAER_*` variable a real tenant needs is present. */
  readonly jaggaer?: SystemEnvironments['jaggaer'];
  /** Set when asked for and every `FO_*` variable a real environment needs is present. */
  readonly financeOperations?: SystemEnvironments['financeOperations'];
  /** Set when asked for and the `NAV_*` variables of a real instance are present. */
  readonly nav?: SystemEnvironments['nav'];
  /** Set when asked for and the `ORACLE_*` variables of a real pod are present. */
  readonly oracleFusion?: SystemEnvironments['oracleFusion'];
  /** Set when asked for and the `JIRA_*` variables of a real site are present. */
  readonly jira?: SystemEnvironments['jira'];
  /** `BC_MAX_REQUESTS_PER_SECOND`: the Business Central client's request rate (default 20, i.e. 6,000 per 5 minutes). */
  readonly businessCentralRequestsPerSecond?: number;
}

const value = (env: Env, name: string): string | undefined => env[name]?.trim() || undefined;

/** Options of {@link loadConnectorEnvironment}. */
export interface LoadConnectorEnvironmentOptions {
  /**
   * The systems to read (each from its variable group in `ENV_GROUPS`); the variables of the others are not
   * looked at. Default Business Central and JAGGAER.
   */
  readonly systems?: readonly ConnectorSystem[];
}

/**
 * Reads the configuration from `env` (by default `process.env`, after loading `.env` from the current directory when
 * there is one). Partial configuration of a system is an error that names the missing variables; each system may be
 * configured on its own (the examples additionally refuse a mix of one tenant and one emulator).
 */
export function loadConnectorEnvironment(env: Env = loadDotEnv(), cwd: string = process.cwd(), options: LoadConnectorEnvironmentOptions = {}): ConnectorEnvironment {
  const stateDir = resolve(cwd, value(env, 'ML_CONNECTOR_STATE_DIR') ?? '.ml-connector');
  const statePath = resolve(cwd, value(env, 'ML_CONNECTOR_STATE_PATH') ?? join(stateDir, 'examples.sqlite'));
  const vaultKey = value(env, 'ML_CONNECTOR_VAULT_KEY');
  const systems: Record<string, unknown> = {};
  for (const system of options.systems ?? ['businessCentral', 'jaggaer']) {
    const found = readSystemEnvironment(env, system, vaultKey !== undefined);
    if (found !== undefined) systems[system] = found;
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
    ...systems,
  };
}

/** `process.env` after loading `./.env` (Node's own `process.loadEnvFile`; variables already set win). */
export function loadDotEnv(path = '.env'): Env {
  if (existsSync(path)) process.loadEnvFile(path);
  return process.env;
}
