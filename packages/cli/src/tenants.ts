/**
 * Client options of the real Finance & Operations, Oracle Fusion, NAV and Jira systems the environment configures, for
 * `check` and `reconcile` (Business Central and JAGGAER are built in `systems.ts`).
 */
import { InvalidInputError } from '@ml-connector/core';
import type { FinanceOperationsClientOptions } from '@ml-connector/d365-fo';
import type { JiraClientOptions } from '@ml-connector/jira';
import type { NavClientOptions } from '@ml-connector/nav';
import type { OracleFusionClientOptions } from '@ml-connector/oracle-fusion';
import type { ConnectorEnvironment } from './config.js';
import { isLoopbackUrl, type ConnectorSystem } from './environment.js';

/** Reads a secret the environment left out (from the vault). */
export type SecretReader = (system: ConnectorSystem) => Promise<string>;

/** True when the environment configures a system beyond Business Central and JAGGAER. */
export const configuresOtherSystems = (env: ConnectorEnvironment): boolean => Boolean(env.financeOperations || env.oracleFusion || env.nav || env.jira);

/** The options of each configured F&O, Oracle, NAV and Jira system. */
export async function otherTenantConnections(
  env: ConnectorEnvironment,
  secret: (system: ConnectorSystem, given: string | undefined, variable: string) => Promise<string>,
): Promise<{ financeOperations?: FinanceOperationsClientOptions; oracleFusion?: OracleFusionClientOptions; nav?: NavClientOptions; jira?: JiraClientOptions }> {
  const out: { financeOperations?: FinanceOperationsClientOptions; oracleFusion?: OracleFusionClientOptions; nav?: NavClientOptions; jira?: JiraClientOptions } = {};
  const fo = env.financeOperations;
  if (fo) {
    out.financeOperations = {
      ...(isLoopbackUrl(fo.environmentUrl) || isLoopbackUrl(fo.authorityHost) ? { allowLoopback: true } : {}),
      environmentUrl: fo.environmentUrl,
      tenantId: fo.tenantId,
      credentials: { clientId: fo.clientId, clientSecret: await secret('financeOperations', fo.clientSecret, 'FO_CLIENT_SECRET') },
      ...(fo.defaultLegalEntity ? { defaultLegalEntity: fo.defaultLegalEntity } : {}),
      ...(fo.authorityHost ? { authorityHost: fo.authorityHost } : {}),
    } as FinanceOperationsClientOptions;
  }
  const oracle = env.oracleFusion;
  if (oracle) {
    const host = /^https?:\/\//.test(oracle.host) ? oracle.host : `https://${oracle.host}`;
    out.oracleFusion = {
      ...(isLoopbackUrl(host) ? { allowLoopback: true } : {}),
      host,
      ...(oracle.version ? { version: oracle.version } : {}),
      ...(oracle.basic
        ? { credentials: { username: oracle.basic.username, password: await secret('oracleFusion', oracle.basic.password, 'ORACLE_PASSWORD') } }
        : {
            identityDomainUrl: oracle.oauth!.identityDomainUrl,
            scope: oracle.oauth!.scope,
            credentials: { clientId: oracle.oauth!.clientId, clientSecret: await secret('oracleFusion', oracle.oauth!.clientSecret, 'ORACLE_CLIENT_SECRET') },
          }),
    } as OracleFusionClientOptions;
  }
  const nav = env.nav;
  if (nav) {
    let services: NavClientOptions['services'] | undefined;
    if (nav.services) {
      try {
        services = JSON.parse(nav.services) as NavClientOptions['services'];
      } catch {
        throw new InvalidInputError('NAV_SERVICES must be a JSON object like {"vendors":{"entitySet":"VendorCard"}} (the client\'s services option)', { field: 'NAV_SERVICES' });
      }
    }
    const password = await secret('nav', nav.clientId ? nav.clientSecret : nav.password, nav.clientId ? 'NAV_CLIENT_SECRET' : 'NAV_PASSWORD');
    out.nav = {
      url: nav.url,
      ...(isLoopbackUrl(nav.url) ? { allowLoopback: true } : {}),
      auth: nav.clientId
        ? { kind: 'oauth', clientId: nav.clientId, clientSecret: password, ...(nav.tenantId ? { tenantId: nav.tenantId } : {}), ...(nav.scope ? { scope: nav.scope } : {}) }
        : { kind: 'basic', username: nav.username!, password },
      ...(services ? { services } : {}),
    } as NavClientOptions;
  }
  const jira = env.jira;
  if (jira) {
    if (jira.clientId) {
      // The OAuth refresh token rotates on every use; spending it here could strand the flow that holds it.
      throw new InvalidInputError(
        'the command checks Jira with an API token only (JIRA_EMAIL + JIRA_API_TOKEN): an OAuth app\'s rotating refresh token belongs to the fo-jira example, which checks it at start',
        { field: 'JIRA_CLIENT_ID' },
      );
    }
    out.jira = {
      ...(isLoopbackUrl(jira.siteUrl) ? { allowLoopback: true } : {}),
      auth: { kind: 'api-token', siteUrl: jira.siteUrl, email: jira.email!, apiToken: await secret('jira', jira.apiToken, 'JIRA_API_TOKEN') },
    };
  }
  return out;
}
