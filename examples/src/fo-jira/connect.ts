import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConnectorEnvironment, type JiraEnvironment } from '@ml-connector/cli';
import { InvalidInputError, type Logger } from '@ml-connector/core';
import { createBusinessEventHandler, createFinanceOperationsClient, type FinanceOperationsClient, type FinanceOperationsClientOptions } from '@ml-connector/d365-fo';
import { FO_SANDBOX_CLIENT_ID, FO_SANDBOX_CLIENT_SECRET, createFinanceOperationsSandbox, type FinanceOperationsSandbox, type FinanceOperationsSnapshot } from '@ml-connector/d365-fo/testing';
import { connectJira, type JiraClient } from '@ml-connector/jira';
import { SANDBOX_API_TOKEN, SANDBOX_EMAIL, createJiraSandbox, type JiraSandbox, type JiraSiteSeed } from '@ml-connector/jira/testing';
import { loadDotEnv, type ExampleEnvironment } from '../shared/config.ts';
import { type ConnectOptions, countingFetch, isLoopbackUrl } from '../shared/connections.ts';
import { loadFinanceOperationsEnvironment, type FinanceOperationsEnvironment } from '../fo/connections.ts';
import { createFileEventInbox, type EventInbox } from './inbox.ts';
import { FO_JIRA_FIELD_NAMES, type FoJiraFieldAlias } from './target.ts';
import { createFileRefreshLock, createFileRefreshTokenStore } from './token-lock.ts';

export type { JiraEnvironment };

/** F&O and Jira, connected, with the event inbox the flow reads. */
export interface FoJiraConnections {
  readonly mode: 'emulators' | 'tenants';
  readonly description: string;
  readonly fo: FinanceOperationsClient;
  readonly jira: JiraClient<FoJiraFieldAlias>;
  readonly inbox: EventInbox;
  /** F&O web client origin (links back). */
  readonly environmentUrl: string;
  /** Jira projects the return flow watches (`JIRA_PROJECTS`, default FIN). */
  readonly projects: readonly string[];
  /** The in-process F&O sandbox (emulator mode): raises demo events. */
  readonly foSandbox?: FinanceOperationsSandbox;
  /** HTTP requests sent so far to F&O and Jira, token requests and retries included. */
  requestsUsed(): number;
  /** Saves emulator state (emulator mode). */
  close(): Promise<void>;
}

/** The fo-jira example's environment: state paths and vault key as for every example, F&O (`FO_*`), Jira (`JIRA_*`). */
export interface FoJiraEnvironment extends ExampleEnvironment {
  readonly financeOperations?: FinanceOperationsEnvironment;
  readonly jira?: JiraEnvironment;
  /** Jira projects the return flow watches (`JIRA_PROJECTS`, default FIN). */
  readonly projects: readonly string[];
  readonly fieldNames: Record<FoJiraFieldAlias, string>;
}

const value = (env: Readonly<Record<string, string | undefined>>, name: string): string | undefined => (env[name]?.trim() ? env[name]!.trim() : undefined);

/** Custom field names: `JIRA_FIELD_DOCUMENT_KEY`, `JIRA_FIELD_VENDOR`, `JIRA_FIELD_AMOUNT`, `JIRA_FIELD_RECORD_LINK` or the defaults. */
function fieldNames(env: Readonly<Record<string, string | undefined>>): Record<FoJiraFieldAlias, string> {
  return {
    documentKey: value(env, 'JIRA_FIELD_DOCUMENT_KEY') ?? FO_JIRA_FIELD_NAMES.documentKey,
    vendor: value(env, 'JIRA_FIELD_VENDOR') ?? FO_JIRA_FIELD_NAMES.vendor,
    amount: value(env, 'JIRA_FIELD_AMOUNT') ?? FO_JIRA_FIELD_NAMES.amount,
    recordLink: value(env, 'JIRA_FIELD_RECORD_LINK') ?? FO_JIRA_FIELD_NAMES.recordLink,
  };
}

/**
 * Reads the fo-jira environment (`BC_*` and `JAGGAER_*` are ignored). F&O and Jira together or neither: a mix, or a
 * partial `JIRA_*` set, is refused with a message naming what is missing.
 */
export function loadFoJiraEnvironment(env: Readonly<Record<string, string | undefined>> = loadDotEnv(), cwd: string = process.cwd()): FoJiraEnvironment {
  const base = loadConnectorEnvironment(Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('BC_') && !name.startsWith('JAGGAER_'))), cwd);
  const inVault = base.vaultKey !== undefined;
  const financeOperations = loadFinanceOperationsEnvironment(env, inVault);
  const siteUrl = value(env, 'JIRA_SITE_URL');
  const common = { projects: (value(env, 'JIRA_PROJECTS') ?? 'FIN').split(',').map((p) => p.trim()).filter(Boolean), fieldNames: fieldNames(env) };
  if (!financeOperations && !siteUrl) return { ...base, ...common };
  const clientId = value(env, 'JIRA_CLIENT_ID');
  const missing = [...(financeOperations ? [] : ['FO_ENVIRONMENT_URL, FO_TENANT_ID, FO_CLIENT_ID, FO_CLIENT_SECRET']), ...(siteUrl ? [] : ['JIRA_SITE_URL'])];
  if (clientId ? !inVault && !value(env, 'JIRA_CLIENT_SECRET') : !value(env, 'JIRA_EMAIL') || (!inVault && !value(env, 'JIRA_API_TOKEN'))) {
    missing.push('JIRA_EMAIL + JIRA_API_TOKEN (or JIRA_CLIENT_ID + JIRA_CLIENT_SECRET)');
  }
  if (missing.length > 0) {
    throw new InvalidInputError(`fo-jira runs against real F&O and Jira or against the emulators, not a mix: it needs ${missing.join(', ')} (see examples/.env.example), or unset every FO_* and JIRA_* variable`, {
      field: missing[0]!.split(/[ ,]/)[0]!,
    });
  }
  const optional = (name: string) => (value(env, name) ? { [name]: value(env, name)! } : {});
  const jira = Object.fromEntries(
    Object.entries({ email: 'JIRA_EMAIL', apiToken: 'JIRA_API_TOKEN', clientId: 'JIRA_CLIENT_ID', clientSecret: 'JIRA_CLIENT_SECRET', refreshTokenFile: 'JIRA_REFRESH_TOKEN_FILE' })
      .flatMap(([key, name]) => Object.values(optional(name)).map((found) => [key, found])),
  );
  return { ...base, ...common, financeOperations, jira: { siteUrl: siteUrl!, ...jira } };
}

/**
 * Real tenants when `FO_*` and `JIRA_*` are set (events arrive in the inbox file through `serve.ts`); otherwise
 * in-process F&O and Jira sandboxes persisted under `<stateDir>/emulators/fo-jira/`, the F&O sandbox delivering
 * its business events to the F&O client's handler, which fills the inbox. Secrets missing from the environment
 * come from the vault (`fo/client-secret`, `jira/secret`).
 */
export async function connectFoJira(env: FoJiraEnvironment, options: ConnectOptions = {}): Promise<FoJiraConnections> {
  const counter = { count: 0 };
  const logger: { logger?: Logger } = options.logger ? { logger: options.logger } : {};
  const inbox = createFileEventInbox(join(env.stateDir, 'fo-jira', 'events.jsonl'));
  const { projects, fieldNames: customFields } = env;
  if (env.financeOperations && env.jira) {
    const foEnv = env.financeOperations;
    const jiraEnv = env.jira;
    const vaultSecret = (system: 'financeOperations' | 'jira') => {
      if (!options.secret) throw new InvalidInputError(`the ${system === 'jira' ? 'Jira' : 'F&O'} secret is neither in the environment nor in the vault`, { field: 'ML_CONNECTOR_VAULT_KEY' });
      return options.secret(system);
    };
    const fo = createFinanceOperationsClient({
      ...(isLoopbackUrl(foEnv.environmentUrl) ? { allowLoopback: true } : {}),
      environmentUrl: foEnv.environmentUrl,
      tenantId: foEnv.tenantId,
      credentials: { clientId: foEnv.clientId, clientSecret: foEnv.clientSecret ?? (() => vaultSecret('financeOperations')) },
      ...(foEnv.defaultLegalEntity ? { defaultLegalEntity: foEnv.defaultLegalEntity } : {}),
      ...(foEnv.authorityHost ? { authorityHost: foEnv.authorityHost } : {}),
      ...logger,
      fetch: countingFetch(counter),
    } as FinanceOperationsClientOptions);
    const tokenFile = jiraEnv.refreshTokenFile ?? join(env.stateDir, 'fo-jira', 'jira-refresh-token');
    const jira = await connectJira({
      auth: jiraEnv.clientId
        ? {
            kind: 'oauth',
            clientId: jiraEnv.clientId,
            clientSecret: jiraEnv.clientSecret ?? (() => vaultSecret('jira')),
            refreshTokenStore: createFileRefreshTokenStore(tokenFile),
            lock: createFileRefreshLock(`${tokenFile}.lock`),
            siteUrl: jiraEnv.siteUrl,
          }
        : { kind: 'api-token', siteUrl: jiraEnv.siteUrl, email: jiraEnv.email!, apiToken: jiraEnv.apiToken ?? (await vaultSecret('jira')) },
      customFields,
      ...logger,
      fetch: countingFetch(counter),
    });
    return {
      mode: 'tenants',
      description: `F&O ${new URL(foEnv.environmentUrl).host} and Jira ${new URL(jiraEnv.siteUrl).host}`,
      fo,
      jira,
      inbox,
      environmentUrl: foEnv.environmentUrl,
      projects,
      requestsUsed: () => counter.count,
      close: async () => {},
    };
  }

  const dir = join(env.stateDir, 'emulators', 'fo-jira');
  mkdirSync(dir, { recursive: true });
  const load = <T>(name: string): T | undefined => (!options.reset && existsSync(join(dir, name)) ? (JSON.parse(readFileSync(join(dir, name), 'utf8')) as T) : undefined);
  const secret = 'fo-jira-local-events';
  const handler = createBusinessEventHandler({ secret, onEvent: (event) => inbox.append(event) });
  const foData = load<FinanceOperationsSnapshot>('d365fo.json');
  const foSandbox = createFinanceOperationsSandbox({
    ...(foData ? { data: foData } : {}),
    businessEvents: { url: `https://events.invalid/fo-events?code=${secret}`, fetch: async (input, init) => handler(new Request(input as string, init)) },
  });
  const jiraSites = load<JiraSiteSeed[]>('jira.json');
  const jiraSandbox: JiraSandbox = createJiraSandbox({ indexLagMs: 1000, ...(jiraSites ? { sites: jiraSites } : {}) });
  const fo = createFinanceOperationsClient({
    environmentUrl: foSandbox.environmentUrl(),
    tenantId: foSandbox.tenantId,
    credentials: { clientId: FO_SANDBOX_CLIENT_ID, clientSecret: FO_SANDBOX_CLIENT_SECRET },
    defaultLegalEntity: 'usmf',
    ...logger,
    fetch: countingFetch(counter, foSandbox.fetch),
  });
  const jira = await connectJira({
    auth: { kind: 'api-token', siteUrl: jiraSandbox.siteUrl('acme'), email: SANDBOX_EMAIL, apiToken: SANDBOX_API_TOKEN },
    customFields,
    ...logger,
    fetch: countingFetch(counter, jiraSandbox.fetch),
  });
  let saved = false;
  const save = () => {
    if (saved) return;
    saved = true;
    writeFileSync(join(dir, 'd365fo.json'), JSON.stringify(foSandbox.snapshot()));
    writeFileSync(join(dir, 'jira.json'), JSON.stringify(jiraSandbox.snapshot()));
  };
  // A run that exits without closing (an error, process.exit) still keeps what the emulators acknowledged.
  process.once('exit', save);
  return {
    mode: 'emulators',
    description: `in-process F&O and Jira emulators on ${dir}`,
    fo,
    jira,
    inbox,
    environmentUrl: foSandbox.environmentUrl(),
    projects,
    foSandbox,
    requestsUsed: () => counter.count,
    close: async () => save(),
  };
}

/** The `systems` of the fo-jira example: reads `FO_*` + `JIRA_*` and connects F&O and Jira (no Business Central, no JAGGAER). */
export const foJiraSystems = {
  environment: (): FoJiraEnvironment => loadFoJiraEnvironment(),
  connect: (env: ExampleEnvironment, options: ConnectOptions): Promise<FoJiraConnections> => connectFoJira(env as FoJiraEnvironment, options),
};
