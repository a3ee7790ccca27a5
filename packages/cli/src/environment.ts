import { InvalidInputError, type SecretSource } from '@ml-connector/core';
import type { BusinessCentralClientOptions } from '@ml-connector/business-central';
import type { JaggaerClientOptions } from '@ml-connector/jaggaer-j1p';

/** Environment variables by name. */
export type Env = Readonly<Record<string, string | undefined>>;

/** The systems the examples and the `ml-connector` command read from the environment (also their vault keys). */
export type ConnectorSystem = 'businessCentral' | 'jaggaer' | 'financeOperations' | 'nav' | 'oracleFusion' | 'jira';

/** One way of configuring a system (Basic or OAuth, say): the keys it needs. */
export interface EnvGroupMode<K extends string> {
  /** Name in the error message when more than one mode exists (`Basic`, `OAuth`). */
  readonly name?: string;
  /** The mode applies when this key's variable is set; the last mode applies when none matches. */
  readonly when?: K;
  /** Keys that must be set (a key listed in {@link EnvGroup.secrets} may be in the vault instead). */
  readonly required: readonly K[];
}

/** The environment variables that configure one system, and which of them a real system needs. */
export interface EnvGroup<K extends string> {
  /** Name in messages (`Finance & Operations`). */
  readonly system: string;
  /** The variable of each key: every variable of the group (its presence makes the system "configured"). */
  readonly variables: Readonly<Record<K, string>>;
  /** Ways to configure the system, tried in order (see {@link EnvGroupMode.when}). */
  readonly modes: readonly EnvGroupMode<K>[];
  /** Keys that may live in the credential vault instead of the environment. */
  readonly secrets: readonly K[];
  /** Keys required by what the other values say (NAV's scope off Business Central online). */
  readonly alsoRequired?: (values: Readonly<Partial<Record<K, string>>>) => readonly K[];
}

const read = (env: Env, name: string): string | undefined => env[name]?.trim() || undefined;

/** Business Central (`BC_*`). */
export const BUSINESS_CENTRAL_ENV = {
  system: 'Business Central',
  variables: {
    tenantId: 'BC_TENANT_ID',
    environment: 'BC_ENVIRONMENT',
    clientId: 'BC_CLIENT_ID',
    clientSecret: 'BC_CLIENT_SECRET',
    companyId: 'BC_COMPANY_ID',
    apiHost: 'BC_API_HOST',
    authorityHost: 'BC_AUTHORITY_HOST',
  },
  modes: [{ required: ['tenantId', 'environment', 'clientId', 'clientSecret'] }],
  secrets: ['clientSecret'],
} as const satisfies EnvGroup<string>;

/** JAGGAER ONE (`JAGGAER_*`). */
export const JAGGAER_ENV = {
  system: 'JAGGAER',
  variables: { host: 'JAGGAER_HOST', clientId: 'JAGGAER_CLIENT_ID', clientSecret: 'JAGGAER_CLIENT_SECRET', realm: 'JAGGAER_REALM', tokenUrl: 'JAGGAER_TOKEN_URL' },
  modes: [{ required: ['host', 'clientId', 'clientSecret'] }],
  secrets: ['clientSecret'],
} as const satisfies EnvGroup<string>;

/** Dynamics 365 Finance & Operations (`FO_*`). */
export const FINANCE_OPERATIONS_ENV = {
  system: 'Finance & Operations',
  variables: {
    environmentUrl: 'FO_ENVIRONMENT_URL',
    tenantId: 'FO_TENANT_ID',
    clientId: 'FO_CLIENT_ID',
    clientSecret: 'FO_CLIENT_SECRET',
    defaultLegalEntity: 'FO_DEFAULT_LEGAL_ENTITY',
    authorityHost: 'FO_AUTHORITY_HOST',
  },
  modes: [{ required: ['environmentUrl', 'tenantId', 'clientId', 'clientSecret'] }],
  secrets: ['clientSecret'],
} as const satisfies EnvGroup<string>;

/** Dynamics NAV / Business Central on-premises (`NAV_*`): a user (Basic) or a Microsoft Entra app (OAuth). */
export const NAV_ENV = {
  system: 'Dynamics NAV',
  variables: {
    url: 'NAV_URL',
    username: 'NAV_USERNAME',
    password: 'NAV_PASSWORD',
    clientId: 'NAV_CLIENT_ID',
    clientSecret: 'NAV_CLIENT_SECRET',
    tenantId: 'NAV_TENANT_ID',
    scope: 'NAV_SCOPE',
    services: 'NAV_SERVICES',
  },
  modes: [
    { name: 'Entra', when: 'clientId', required: ['url', 'clientId', 'clientSecret'] },
    { name: 'Basic', required: ['url', 'username', 'password'] },
  ],
  secrets: ['password', 'clientSecret'],
  // Business Central online has a known scope; an on-premises instance's app id URI must be given.
  alsoRequired: (values) => (values.clientId !== undefined && values.scope === undefined && !/businesscentral\.dynamics\.com/.test(values.url ?? '') ? ['scope'] : []),
} as const satisfies EnvGroup<string>;

/** Oracle Fusion Cloud (`ORACLE_*`): OAuth through an identity domain, or Basic. */
export const ORACLE_FUSION_ENV = {
  system: 'Oracle Fusion',
  variables: {
    host: 'ORACLE_HOST',
    version: 'ORACLE_REST_VERSION',
    identityDomainUrl: 'ORACLE_IDENTITY_DOMAIN_URL',
    scope: 'ORACLE_SCOPE',
    clientId: 'ORACLE_CLIENT_ID',
    clientSecret: 'ORACLE_CLIENT_SECRET',
    username: 'ORACLE_USERNAME',
    password: 'ORACLE_PASSWORD',
  },
  modes: [
    { name: 'Basic', when: 'username', required: ['host', 'username', 'password'] },
    { name: 'OAuth', required: ['host', 'identityDomainUrl', 'scope', 'clientId', 'clientSecret'] },
  ],
  secrets: ['clientSecret', 'password'],
} as const satisfies EnvGroup<string>;

/** Jira Cloud (`JIRA_*`): an API token, or an OAuth 2.0 (3LO) app. */
export const JIRA_ENV = {
  system: 'Jira',
  variables: {
    siteUrl: 'JIRA_SITE_URL',
    email: 'JIRA_EMAIL',
    apiToken: 'JIRA_API_TOKEN',
    clientId: 'JIRA_CLIENT_ID',
    clientSecret: 'JIRA_CLIENT_SECRET',
    refreshTokenFile: 'JIRA_REFRESH_TOKEN_FILE',
  },
  modes: [
    { name: 'OAuth', when: 'clientId', required: ['siteUrl', 'clientId', 'clientSecret'] },
    { name: 'API token', required: ['siteUrl', 'email', 'apiToken'] },
  ],
  secrets: ['apiToken', 'clientSecret'],
} as const satisfies EnvGroup<string>;

/** Every system's group, by the key of {@link ConnectorSystem}. */
export const ENV_GROUPS = Object.freeze({
  businessCentral: BUSINESS_CENTRAL_ENV,
  jaggaer: JAGGAER_ENV,
  financeOperations: FINANCE_OPERATIONS_ENV,
  nav: NAV_ENV,
  oracleFusion: ORACLE_FUSION_ENV,
  jira: JIRA_ENV,
});

/**
 * Reads one system's variables: none set gives undefined (the emulators stand in); all a mode needs gives the values
 * by key; anything in between is an `InvalidInputError` that names the missing variables (never a value).
 *
 * @param secretsInVault - the vault is configured, so secrets may be left out of the environment.
 */
export function readEnvGroup<K extends string>(env: Env, group: EnvGroup<K>, secretsInVault = false): Partial<Record<K, string>> | undefined {
  const entries = Object.entries(group.variables) as [K, string][];
  const values: Partial<Record<K, string>> = {};
  for (const [key, name] of entries) {
    const found = read(env, name);
    if (found !== undefined) values[key] = found;
  }
  const present = entries.filter(([key]) => values[key] !== undefined).map(([, name]) => name);
  if (present.length === 0) return undefined;
  const mode = group.modes.find((candidate) => candidate.when !== undefined && values[candidate.when] !== undefined) ?? group.modes.at(-1)!;
  const required = [...mode.required, ...(group.alsoRequired?.(values) ?? [])];
  const missing = required.filter((key) => values[key] === undefined && !(secretsInVault && group.secrets.includes(key))).map((key) => group.variables[key]);
  if (missing.length > 0) {
    const prefix = `${Object.values<string>(group.variables)[0]!.split('_')[0]}_`;
    const how =
      group.modes.length > 1
        ? `Set ${group.modes.map((m) => `${m.required.map((key) => group.variables[key]).join(', ')} (${m.name})`).join(' or ')} (see examples/.env.example)`
        : 'Set them (see examples/.env.example)';
    throw new InvalidInputError(
      `${group.system} is partly configured (${present.join(', ')} set) but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing. ` +
        `${how}, or unset every ${prefix}* variable to use the emulators.`,
      { field: missing[0] },
    );
  }
  return values;
}

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

/** Dynamics NAV / Business Central on-premises connection read from the environment (a real instance). */
export interface NavEnvironment {
  /** Full OData URL with the company: `https://nav.contoso.local:7048/DynamicsNAV110/ODataV4/Company('CRONUS')`. */
  readonly url: string;
  /** NavUserPassword user; with `password` (its web service access key). */
  readonly username?: string;
  /** Absent when kept in the vault (`nav/secret`). */
  readonly password?: string;
  /** Entra app for OAuth (instead of a user): client id, secret (or vault `nav/secret`), tenant, scope. */
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly tenantId?: string;
  readonly scope?: string;
  /** JSON of the client's `services` option (published page and field names of this instance). */
  readonly services?: string;
}

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

/** Jira Cloud connection read from `JIRA_*` (a real site): API token or OAuth 2.0 (3LO). */
export interface JiraEnvironment {
  readonly siteUrl: string;
  readonly email?: string;
  /** Absent when kept in the vault (`jira/secret`). */
  readonly apiToken?: string;
  readonly clientId?: string;
  /** Absent when kept in the vault (`jira/secret`). */
  readonly clientSecret?: string;
  readonly refreshTokenFile?: string;
}

/** Each system's environment, by the key of {@link ConnectorSystem}. */
export interface SystemEnvironments {
  readonly businessCentral: BusinessCentralEnvironment;
  readonly jaggaer: JaggaerEnvironment;
  readonly financeOperations: FinanceOperationsEnvironment;
  readonly nav: NavEnvironment;
  readonly oracleFusion: OracleFusionEnvironment;
  readonly jira: JiraEnvironment;
}

/** Reads one system from the environment (see {@link readEnvGroup}), shaped as {@link SystemEnvironments}. */
export function readSystemEnvironment<S extends ConnectorSystem>(env: Env, system: S, secretsInVault = false): SystemEnvironments[S] | undefined {
  const values = readEnvGroup<string>(env, ENV_GROUPS[system], secretsInVault);
  if (values === undefined || system !== 'oracleFusion') return values as SystemEnvironments[S] | undefined;
  const { host, version, identityDomainUrl, scope, clientId, clientSecret, username, password } = values;
  const oracle: OracleFusionEnvironment = {
    host: host!,
    ...(version ? { version } : {}),
    ...(username
      ? { basic: { username, ...(password ? { password } : {}) } }
      : { oauth: { identityDomainUrl: identityDomainUrl!, scope: scope!, clientId: clientId!, ...(clientSecret ? { clientSecret } : {}) } }),
  };
  return oracle as SystemEnvironments[S];
}

/** A loopback base URL (an emulator started by hand, or a test): allowed over http, never a real tenant. */
export const isLoopbackUrl = (url: string | undefined): boolean => url !== undefined && /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/.test(url);

/** `createBusinessCentralClient` options of a tenant read from `BC_*`. */
export function businessCentralClientOptions(bc: BusinessCentralEnvironment, clientSecret: SecretSource): BusinessCentralClientOptions {
  return {
    ...(isLoopbackUrl(bc.apiHost) ? { allowLoopback: true } : {}),
    tenantId: bc.tenantId,
    environment: bc.environment,
    credentials: { clientId: bc.clientId, clientSecret },
    ...(bc.apiHost ? { apiHost: bc.apiHost } : {}),
    ...(bc.authorityHost ? { authorityHost: bc.authorityHost } : {}),
  };
}

/** `createJaggaerClient` options of a tenant read from `JAGGAER_*`. */
export function jaggaerClientOptions(jaggaer: JaggaerEnvironment, clientSecret: SecretSource): JaggaerClientOptions {
  return {
    ...(isLoopbackUrl(jaggaer.host) ? { allowLoopback: true } : {}),
    host: jaggaer.host,
    clientId: jaggaer.clientId,
    clientSecret,
    ...(jaggaer.realm ? { realm: jaggaer.realm } : {}),
    ...(jaggaer.tokenUrl ? { tokenUrl: jaggaer.tokenUrl } : {}),
  };
}
