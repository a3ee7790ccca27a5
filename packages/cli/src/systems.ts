import { join } from 'node:path';
import type { BusinessCentralClientOptions } from '@ml-connector/business-central';
import { InvalidInputError } from '@ml-connector/core';
import { findRunningEmulators } from '@ml-connector/emulators';
import type { JaggaerClientOptions } from '@ml-connector/jaggaer-j1p';
import type { NavClientOptions } from '@ml-connector/nav';
import type { ConnectorEnvironment } from './config.js';
import { businessCentralClientOptions, jaggaerClientOptions, type ConnectorSystem } from './environment.js';

/** Systems the `ml-connector` command knows how to check. */
export type OperatorSystem = 'businessCentral' | 'jaggaer' | 'nav';

/**
 * Vault entry of each system's secret (the names the examples use), read when its environment variable is not set:
 * BC_CLIENT_SECRET, JAGGAER_CLIENT_SECRET, FO_CLIENT_SECRET, NAV_PASSWORD or NAV_CLIENT_SECRET, ORACLE_CLIENT_SECRET
 * or ORACLE_PASSWORD, JIRA_API_TOKEN or JIRA_CLIENT_SECRET.
 */
export const VAULT_SECRET_NAMES = Object.freeze({
  businessCentral: 'bc/client-secret',
  jaggaer: 'jaggaer/client-secret',
  financeOperations: 'fo/client-secret',
  nav: 'nav/secret',
  oracleFusion: 'oracle/client-secret',
  jira: 'jira/secret',
} as const satisfies Record<ConnectorSystem, string>);

/** Client options of each system to check, and where they came from. */
export interface OperatorConnections {
  /** `tenants`: from the environment; `emulators`: the running `pnpm emulators`. */
  readonly mode: 'tenants' | 'emulators';
  readonly businessCentral?: BusinessCentralClientOptions;
  /** Company to use in Business Central (`BC_COMPANY_ID`, or the emulator's). */
  readonly businessCentralCompanyId?: string;
  readonly jaggaer?: JaggaerClientOptions;
  readonly nav?: NavClientOptions;
  /** `BC_WEBHOOK_NOTIFICATION_URL`, when set: checked for reachability. */
  readonly webhookUrl?: string;
}

/**
 * The systems to work with: those the environment configures (secrets from the vault when the environment leaves
 * them out), else the running `pnpm emulators` on the same state directory.
 *
 * @throws InvalidInputError when nothing is configured and no emulators run.
 */
export async function resolveConnections(
  env: ConnectorEnvironment,
  options: { secret?: (system: 'businessCentral' | 'jaggaer') => Promise<string>; webhookUrl?: string } = {},
): Promise<OperatorConnections> {
  const webhook = options.webhookUrl ? { webhookUrl: options.webhookUrl } : {};
  if (env.businessCentral || env.jaggaer) {
    const secret = async (system: 'businessCentral' | 'jaggaer', given: string | undefined, variable: string) => {
      if (given) return given;
      if (!options.secret) throw new InvalidInputError(`${variable} is not set and no vault is configured: set it, or ML_CONNECTOR_VAULT_KEY and \`ml-connector credentials set\``, { field: variable });
      return options.secret(system);
    };
    const bc = env.businessCentral;
    const jg = env.jaggaer;
    return {
      mode: 'tenants',
      ...(bc
        ? {
            businessCentral: businessCentralClientOptions(bc, await secret('businessCentral', bc.clientSecret, 'BC_CLIENT_SECRET')),
            ...(bc.companyId ? { businessCentralCompanyId: bc.companyId } : {}),
          }
        : {}),
      ...(jg
        ? {
            jaggaer: jaggaerClientOptions(jg, await secret('jaggaer', jg.clientSecret, 'JAGGAER_CLIENT_SECRET')),
          }
        : {}),
      ...webhook,
    };
  }
  const running = await findRunningEmulators({ stateDir: join(env.stateDir, 'emulators') });
  if (!running) {
    throw new InvalidInputError(
      `Nothing to check: no BC_* or JAGGAER_* variable is set and no emulators run on ${join(env.stateDir, 'emulators')}. ` +
        'Set the variables (see examples/.env.example) or start `pnpm emulators` in this directory.',
      { field: 'BC_TENANT_ID' },
    );
  }
  return {
    mode: 'emulators',
    ...(running.clients.businessCentral ? { businessCentral: running.clients.businessCentral } : {}),
    ...(running.clients.jaggaer ? { jaggaer: running.clients.jaggaer } : {}),
    ...(running.clients.nav ? { nav: running.clients.nav } : {}),
    ...webhook,
  };
}
