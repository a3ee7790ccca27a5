import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidInputError } from '@ml-connector/core';
import { createBusinessEventHandler, createFinanceOperationsClient, type FinanceOperationsClient } from '@ml-connector/d365-fo';
import { FO_SANDBOX_CLIENT_ID, FO_SANDBOX_CLIENT_SECRET, createFinanceOperationsSandbox, type FinanceOperationsSandbox, type FinanceOperationsSnapshot } from '@ml-connector/d365-fo/testing';
import { connectJira, type JiraClient } from '@ml-connector/jira';
import { SANDBOX_API_TOKEN, SANDBOX_EMAIL, createJiraSandbox, type JiraSandbox, type JiraSiteSeed } from '@ml-connector/jira/testing';
import { createFileEventInbox, type EventInbox } from './inbox.ts';
import { FO_JIRA_FIELD_NAMES, type FoJiraFieldAlias } from './target.ts';
import { createFileRefreshLock, createFileRefreshTokenStore } from './token-lock.ts';

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
  /** Saves emulator state (emulator mode). */
  close(): void;
}

const value = (env: NodeJS.ProcessEnv, name: string) => (env[name]?.trim() ? env[name]!.trim() : undefined);

/** Custom field names: `JIRA_FIELD_DOCUMENT_KEY`, `JIRA_FIELD_VENDOR`, `JIRA_FIELD_AMOUNT`, `JIRA_FIELD_RECORD_LINK` or the defaults. */
function fieldNames(env: NodeJS.ProcessEnv): Record<FoJiraFieldAlias, string> {
  return {
    documentKey: value(env, 'JIRA_FIELD_DOCUMENT_KEY') ?? FO_JIRA_FIELD_NAMES.documentKey,
    vendor: value(env, 'JIRA_FIELD_VENDOR') ?? FO_JIRA_FIELD_NAMES.vendor,
    amount: value(env, 'JIRA_FIELD_AMOUNT') ?? FO_JIRA_FIELD_NAMES.amount,
    recordLink: value(env, 'JIRA_FIELD_RECORD_LINK') ?? FO_JIRA_FIELD_NAMES.recordLink,
  };
}

/**
 * Real tenants when `FO_*` and `JIRA_*` are set (events arrive in the inbox file through `serve.ts`); otherwise
 * in-process F&O and Jira sandboxes persisted under `<stateDir>/emulators/fo-jira/`, the F&O sandbox delivering
 * its business events to the F&O client's handler, which fills the inbox.
 */
export async function connectFoJira(stateDir: string, options: { reset?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<FoJiraConnections> {
  const env = options.env ?? process.env;
  const inbox = createFileEventInbox(join(stateDir, 'fo-jira', 'events.jsonl'));
  const projects = (value(env, 'JIRA_PROJECTS') ?? 'FIN').split(',').map((p) => p.trim()).filter(Boolean);
  const customFields = fieldNames(env);
  const foUrl = value(env, 'FO_ENVIRONMENT_URL');
  const jiraSite = value(env, 'JIRA_SITE_URL');
  if (foUrl || jiraSite) {
    const missing = ['FO_ENVIRONMENT_URL', 'FO_TENANT_ID', 'FO_CLIENT_ID', 'FO_CLIENT_SECRET', 'JIRA_SITE_URL'].filter((name) => !value(env, name));
    const oauth = value(env, 'JIRA_CLIENT_ID');
    if (!oauth && !(value(env, 'JIRA_EMAIL') && value(env, 'JIRA_API_TOKEN'))) missing.push('JIRA_EMAIL + JIRA_API_TOKEN (or JIRA_CLIENT_ID + JIRA_CLIENT_SECRET)');
    if (missing.length > 0) throw new InvalidInputError(`fo-jira against real tenants needs ${missing.join(', ')} (see examples/.env.example)`, { field: missing[0]! });
    const fo = createFinanceOperationsClient({
      environmentUrl: foUrl!,
      tenantId: value(env, 'FO_TENANT_ID')!,
      credentials: { clientId: value(env, 'FO_CLIENT_ID')!, clientSecret: value(env, 'FO_CLIENT_SECRET')! },
      ...(value(env, 'FO_LEGAL_ENTITY') ? { defaultLegalEntity: value(env, 'FO_LEGAL_ENTITY')! } : {}),
    });
    const tokenFile = value(env, 'JIRA_REFRESH_TOKEN_FILE') ?? join(stateDir, 'fo-jira', 'jira-refresh-token');
    const jira = await connectJira({
      auth: oauth
        ? {
            kind: 'oauth',
            clientId: oauth,
            clientSecret: value(env, 'JIRA_CLIENT_SECRET') ?? '',
            refreshTokenStore: createFileRefreshTokenStore(tokenFile),
            lock: createFileRefreshLock(`${tokenFile}.lock`),
            siteUrl: jiraSite!,
          }
        : { kind: 'api-token', siteUrl: jiraSite!, email: value(env, 'JIRA_EMAIL')!, apiToken: value(env, 'JIRA_API_TOKEN')! },
      customFields,
    });
    return { mode: 'tenants', description: `F&O ${new URL(foUrl!).host} and Jira ${new URL(jiraSite!).host}`, fo, jira, inbox, environmentUrl: foUrl!, projects, close: () => {} };
  }

  const dir = join(stateDir, 'emulators', 'fo-jira');
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
    fetch: foSandbox.fetch,
  });
  const jira = await connectJira({
    auth: { kind: 'api-token', siteUrl: jiraSandbox.siteUrl('acme'), email: SANDBOX_EMAIL, apiToken: SANDBOX_API_TOKEN },
    customFields,
    fetch: jiraSandbox.fetch,
  });
  return {
    mode: 'emulators',
    description: `in-process F&O and Jira emulators on ${dir}`,
    fo,
    jira,
    inbox,
    environmentUrl: foSandbox.environmentUrl(),
    projects,
    foSandbox,
    close() {
      writeFileSync(join(dir, 'd365fo.json'), JSON.stringify(foSandbox.snapshot()));
      writeFileSync(join(dir, 'jira.json'), JSON.stringify(jiraSandbox.snapshot()));
    },
  };
}
