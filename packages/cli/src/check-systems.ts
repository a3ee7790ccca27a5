/**
 * `ml-connector check` for Dynamics 365 Finance & Operations, Oracle Fusion and Jira Cloud: the same sequence as
 * Business Central (DNS and TLS, token, base URL, reads, writes, clock skew, rate limit, webhooks).
 */
import { createFinanceOperationsClient, type FinanceOperationsClientOptions } from '@ml-connector/d365-fo';
import { isAuthenticationError, isHttpError, isNotFoundError, isPermissionError } from '@ml-connector/core';
import { connectJira, type JiraClient, type JiraClientOptions } from '@ml-connector/jira';
import { createOracleFusionClient, type OracleFusionClientOptions } from '@ml-connector/oracle-fusion';
import { blocked, Blocked, collect, dnsAndTls, firstOf, message, probeHttp, readChecks, requestToken, type CheckResult, type CheckSettings, type CheckTargets } from './check-steps.js';

/** What the F&O checks get. */
export type FinanceOperationsCheckTarget = NonNullable<CheckTargets['financeOperations']> & { readonly options: FinanceOperationsClientOptions };

async function secretValue(source: unknown): Promise<string | undefined> {
  if (typeof source === 'string') return source;
  if (typeof source === 'function') return String(await (source as () => unknown)());
  return undefined;
}

/** The F&O entity sets the example flows read (fo-invoices, fo-master-data, fo-jira). */
export async function checkFinanceOperations(target: FinanceOperationsCheckTarget, settings: CheckSettings): Promise<CheckResult[]> {
  const { options } = target;
  const client = createFinanceOperationsClient({ ...options, retry: { limit: 0 } } as FinanceOperationsClientOptions);
  const legalEntity = target.legalEntity ?? options.defaultLegalEntity ?? 'usmf';
  const credentials = options.credentials as { clientId: string; clientSecret?: unknown } | undefined;
  const registration =
    'the token is valid but F&O does not know the application: register its client id under System administration > Setup > ' +
    'Microsoft Entra applications, mapped to an enabled F&O user';
  return collect([
    () => dnsAndTls([client.environmentOrigin, client.tokenUrl], settings.timeoutMs),
    async () => {
      const secret = await secretValue(credentials?.clientSecret);
      if (!credentials || secret === undefined) return { name: 'token', ok: true, detail: 'certificate credentials or a token provider: checked by the first read' };
      const token = await requestToken('entra', client.tokenUrl, { grant_type: 'client_credentials', client_id: credentials.clientId, client_secret: secret, scope: options.scope ?? `${client.environmentOrigin}/.default` }, settings.timeoutMs);
      return token.result;
    },
    async () => {
      try {
        await firstOf(client.dimensionAttributes.list({ top: 1 } as never));
        return { name: 'base-url', ok: true, detail: `${new URL(client.baseUrl).host}/data/ answers` };
      } catch (error) {
        if (isAuthenticationError(error)) throw blocked({ name: 'base-url', ok: false, detail: registration });
        if (isNotFoundError(error)) throw blocked({ name: 'base-url', ok: false, detail: `${message(error)}: FO_ENVIRONMENT_URL is not an F&O environment (it is the URL of the web client, without /data)` });
        if (isPermissionError(error)) return { name: 'base-url', ok: true, detail: `${new URL(client.baseUrl).host}/data/ answers (DimensionAttributes refused: see the reads)` };
        throw blocked({ name: 'base-url', ok: false, detail: `${message(error)}: check FO_ENVIRONMENT_URL` });
      }
    },
    () => {
      const company = client.legalEntity(legalEntity);
      return readChecks(
        [
          [`VendorsV2 (${legalEntity})`, () => firstOf(company.vendors.list({ top: 1 } as never))],
          ['MainAccounts', () => firstOf(client.mainAccounts.list({ top: 1 } as never))],
          ['DimensionAttributes', () => firstOf(client.dimensionAttributes.list({ top: 1 } as never))],
          [`FinancialDimensionValues (${legalEntity})`, () => firstOf(company.financialDimensionValues.list({ top: 1 } as never))],
          ['account structure rules', () => firstOf(client.accountStructureRules.list({ top: 1 } as never))],
          [`VendorInvoiceHeaders (${legalEntity})`, () => firstOf(company.vendorInvoices.headers.list({ top: 1 } as never))],
          [`VendorInvoiceLines (${legalEntity})`, () => firstOf(company.vendorInvoices.lines.list({ top: 1 } as never))],
          [`posted vendor invoices (${legalEntity})`, () => firstOf(company.vendorInvoices.posted.list({ top: 1 } as never))],
          [`PurchaseOrderHeadersV2 (${legalEntity})`, () => firstOf(company.purchaseOrderHeaders.list({ top: 1 } as never))],
          [`PurchaseOrderLinesV2 (${legalEntity})`, () => firstOf(company.purchaseOrderLines.list({ top: 1 } as never))],
          ['WorkflowWorkItems', () => client.http.get('WorkflowWorkItems', { query: { $top: '1', 'cross-company': 'true' } } as never)],
        ],
        'give the F&O user the application is mapped to a security role that reads these entities (e.g. Accounts payable clerk)',
      );
    },
    async () => ({
      name: 'write permission',
      ok: true,
      detail:
        'not provable without writing: F&O grants writes through the security roles of the user the application is mapped to ' +
        '(System administration > Microsoft Entra applications), which OData does not expose; fo-invoices writes VendorInvoiceHeaders/Lines, fo-jira WorkflowWorkItems',
    }),
    () => probeHttp(client.http, 'DimensionAttributes?$top=1', 'F&O service protection: 429 with Retry-After, no headroom headers', settings),
    () => businessEventsCheck(target, settings),
  ]);
}

/** POSTs an empty envelope to the business event endpoint with its secret: a 400 proves it is reachable and the secret accepted. */
async function businessEventsCheck(target: FinanceOperationsCheckTarget, settings: CheckSettings): Promise<CheckResult> {
  if (!target.eventsUrl) return { name: 'webhook', ok: true, detail: 'no business event endpoint configured (FO_EVENTS_URL unset): fo-jira needs one in F&O (Business events > Endpoints)' };
  let url: URL;
  try {
    url = new URL(target.eventsUrl);
  } catch {
    return { name: 'webhook', ok: false, detail: 'FO_EVENTS_URL is not a URL' };
  }
  const host = url.host;
  if (target.eventsSecret) url.searchParams.set('code', target.eventsSecret);
  try {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', signal: AbortSignal.timeout(settings.timeoutMs) });
    await response.arrayBuffer();
    if (response.status === 401 || response.status === 403) {
      return { name: 'webhook', ok: false, detail: `${host} refuses the endpoint secret (HTTP ${response.status}): FO_EVENTS_SECRET must be the ?code= of the URL registered in F&O` };
    }
    if (response.status === 400) return { name: 'webhook', ok: true, detail: `${host} answers F&O's POST and accepts the endpoint secret (an empty envelope was refused, as it should be)` };
    return { name: 'webhook', ok: response.status < 500, detail: `${host} answered HTTP ${response.status} to an empty business event envelope${response.status < 500 ? '' : ': F&O would retry and then disable the endpoint'}` };
  } catch (error) {
    return { name: 'webhook', ok: false, detail: `${host} is not reachable: ${message(error)}` };
  }
}

/** What the Oracle checks get. */
export type OracleFusionCheckTarget = NonNullable<CheckTargets['oracleFusion']> & { readonly options: OracleFusionClientOptions };

/** The Oracle Fusion REST resources the example flows use (oracle-to-jaggaer, jaggaer-to-oracle). */
export async function checkOracleFusion(target: OracleFusionCheckTarget, settings: CheckSettings): Promise<CheckResult[]> {
  const { options } = target;
  const client = createOracleFusionClient({ ...options, retry: { limit: 0 } } as OracleFusionClientOptions);
  const credentials = options.credentials as { clientId?: string; clientSecret?: unknown; username?: string; password?: string } | undefined;
  const valueSets = target.valueSets ?? ['XX_COST_CENTER', 'XX_ACCOUNT'];
  let basic = false;
  return collect([
    () => dnsAndTls([client.baseUrl, ...(client.tokenUrl ? [client.tokenUrl] : [])], settings.timeoutMs),
    async () => {
      if (credentials?.username !== undefined) {
        basic = true;
        return { name: 'token', ok: true, detail: `Basic authentication as ${credentials.username}: no token; checked by the first read (prefer OAuth through an identity domain)` };
      }
      const secret = await secretValue(credentials?.clientSecret);
      if (!credentials?.clientId || secret === undefined || !client.tokenUrl) return { name: 'token', ok: true, detail: 'JWT assertion or a token provider: checked by the first read' };
      const viaHeader = options.clientAuthentication !== 'body';
      const token = await requestToken(
        'idcs',
        client.tokenUrl,
        { grant_type: 'client_credentials', scope: options.scope ?? '', ...(viaHeader ? {} : { client_id: credentials.clientId, client_secret: secret }) },
        settings.timeoutMs,
        viaHeader ? { username: credentials.clientId, password: secret } : undefined,
      );
      return token.result;
    },
    async () => {
      try {
        await firstOf(client.suppliers.list({ pageSize: 1, fields: ['SupplierId'] }));
        return { name: 'base-url', ok: true, detail: `${new URL(client.baseUrl).host}${new URL(client.baseUrl).pathname} answers` };
      } catch (error) {
        if (isAuthenticationError(error)) {
          throw blocked({
            name: basic ? 'token' : 'base-url',
            ok: false,
            detail: basic
              ? 'wrong user name or password (Oracle answered 401): check ORACLE_USERNAME and store the password again'
              : 'the token was refused: the scope is not this pod\'s Fusion resource (ORACLE_SCOPE), or the confidential application lacks the Fusion resource grant',
          });
        }
        if (isNotFoundError(error)) throw blocked({ name: 'base-url', ok: false, detail: `${message(error)}: check ORACLE_HOST and ORACLE_REST_VERSION` });
        if (isPermissionError(error)) return { name: 'base-url', ok: true, detail: `${new URL(client.baseUrl).host} answers (suppliers refused: see the reads)` };
        throw blocked({ name: 'base-url', ok: false, detail: `${message(error)}: check ORACLE_HOST` });
      }
    },
    () =>
      readChecks(
        [
          ['suppliers', () => firstOf(client.suppliers.list({ pageSize: 1 }))],
          ['purchaseOrders', () => firstOf(client.purchaseOrders.list({ pageSize: 1 }))],
          ['invoices', () => firstOf(client.invoices.list({ pageSize: 1 }))],
          ['receivingReceiptRequests', () => firstOf(client.receipts.list({ pageSize: 1 }))],
          ['accountCombinationsLOV', () => firstOf(client.accounts.combinations.list({ pageSize: 1 }))],
          ...valueSets.map((code) => [`valueSets/${code}/child/values`, () => firstOf(client.accounts.values(code).list({ pageSize: 1 }))] as const),
        ],
        'give the integration user job roles whose privileges cover these resources (e.g. Supplier Administrator, Buyer, Accounts Payable Specialist, Receiving Agent)',
      ),
    async () => ({
      name: 'write permission',
      ok: true,
      detail: 'not provable without writing: Fusion exposes no read-back of a user\'s privileges over REST; jaggaer-to-oracle writes suppliers, value set values, receipts and PO acknowledgements',
    }),
    () => probeHttp(client.http, 'suppliers?limit=1&onlyData=true', 'Oracle Fusion: no published limits or headroom headers', settings),
    async () => ({ name: 'webhook', ok: true, detail: 'not applicable: the Oracle flows poll by LastUpdateDate' }),
  ]);
}

/** What the Jira checks get. */
export type JiraCheckTarget = NonNullable<CheckTargets['jira']> & { readonly options: JiraClientOptions };

/** Project permissions fo-jira needs: create issues and comment (forward flow), transition and edit (people, return flow). */
const JIRA_WRITE_PERMISSIONS = ['CREATE_ISSUES', 'ADD_COMMENTS', 'EDIT_ISSUES', 'TRANSITION_ISSUES'] as const;

/** Explains a refused Jira authentication. */
function jiraAuthDetail(options: JiraClientOptions, error: unknown): string {
  if (options.auth.kind === 'api-token') {
    return 'wrong e-mail or API token (Jira answered 401): the token belongs to JIRA_EMAIL\'s account and may have expired or been revoked (id.atlassian.com > Security > API tokens)';
  }
  const text = message(error);
  if (/invalid_grant|refresh token/i.test(text)) {
    return 'the stored refresh token is expired, revoked or was already used by another process: run the consent flow again to seed a new one';
  }
  if (/invalid_client|unauthorized_client|access_denied/i.test(text)) return 'wrong client id or secret of the OAuth app (developer.atlassian.com console > Settings)';
  return `the OAuth token was refused: ${text}`;
}

/** The Jira Cloud calls fo-jira makes: site, projects, custom fields, search, permissions, dynamic webhooks. */
export async function checkJira(target: JiraCheckTarget, settings: CheckSettings): Promise<CheckResult[]> {
  const options = { ...target.options, retry: { limit: 0 } } as JiraClientOptions;
  const projects = target.projects?.length ? target.projects : ['FIN'];
  const auth = options.auth;
  const siteUrl = auth.kind === 'api-token' || auth.kind === 'oauth' ? auth.siteUrl : undefined;
  let jira: JiraClient | undefined;
  return collect([
    () =>
      dnsAndTls(
        [...(siteUrl ? [String(siteUrl)] : []), ...(auth.kind === 'api-token' ? [] : [options.apiHost ?? 'https://api.atlassian.com', options.authHost ?? 'https://auth.atlassian.com'])],
        settings.timeoutMs,
      ),
    async () => {
      try {
        jira = await connectJira(options);
        const me = await jira.http.get<{ displayName?: string; accountType?: string }>('rest/api/3/myself', {} as never);
        const how = auth.kind === 'api-token' ? 'API token' : auth.kind === 'oauth' ? `OAuth 2.0 app, site ${jira.site.cloudId ?? ''}` : 'token provider';
        return { name: 'token', ok: true, detail: `authenticated (${how}) as ${me.displayName ?? 'unknown'}` };
      } catch (error) {
        if (error instanceof Blocked) throw error;
        if (isAuthenticationError(error) || /invalid_grant|invalid_client|unauthorized_client/i.test(message(error))) throw blocked({ name: 'token', ok: false, detail: jiraAuthDetail(options, error) });
        throw blocked({ name: 'token', ok: false, detail: `${message(error)}: check JIRA_SITE_URL (https://<site>.atlassian.net)` });
      }
    },
    async () => {
      const found: string[] = [];
      for await (const project of jira!.metadata.listProjects()) found.push(project.key);
      const missing = projects.filter((key) => !found.includes(key));
      if (missing.length > 0) {
        return { name: 'base-url', ok: false, detail: `${new URL(jira!.baseUrl).host} answers, but project ${missing.join(', ')} is not visible to this account (it sees ${found.join(', ') || 'none'}): check JIRA_PROJECTS and the project's Browse Projects permission` };
      }
      return { name: 'base-url', ok: true, detail: `${new URL(jira!.baseUrl).host} answers; project ${projects.join(', ')} visible` };
    },
    () =>
      readChecks(
        [
          ['fields', () => jira!.metadata.listFields()],
          ...projects.map((key) => [`issue types (${key})`, () => jira!.metadata.listIssueTypes(key)] as const),
          ...projects.map((key) => [`search (${key})`, () => firstOf(jira!.search.issues(`project = "${key}"`, { maxResults: 1 } as never))] as const),
        ],
        'grant the account Browse Projects in the project\'s permission scheme (and the read:jira-work scope to an OAuth app)',
      ),
    async () => {
      const results: CheckResult[] = [];
      for (const key of projects) {
        try {
          const answer = await jira!.http.get<{ permissions: Record<string, { havePermission: boolean }> }>('rest/api/3/mypermissions', {
            query: { projectKey: key, permissions: JIRA_WRITE_PERMISSIONS.join(',') },
          } as never);
          const lacking = JIRA_WRITE_PERMISSIONS.filter((p) => answer.permissions[p]?.havePermission !== true);
          results.push({
            name: `write permission (${key})`,
            ok: lacking.length === 0,
            detail:
              lacking.length === 0
                ? `${JIRA_WRITE_PERMISSIONS.join(', ')} granted (mypermissions)`
                : `missing ${lacking.join(', ')} (mypermissions): add the account to a role the project's permission scheme grants them${auth.kind === 'oauth' ? ', and give the app the write:jira-work scope' : ''}`,
          });
        } catch (error) {
          results.push({ name: `write permission (${key})`, ok: false, detail: `mypermissions failed: ${message(error)}` });
        }
      }
      return results;
    },
    () => probeHttp(jira!.http, 'rest/api/3/myself', 'Jira Cloud: no X-RateLimit-* headers on this answer', settings),
    async () => {
      if (auth.kind === 'api-token') {
        return { name: 'webhook', ok: true, detail: 'dynamic webhooks need an OAuth app: with an API token the return flow polls by JQL' };
      }
      try {
        const hooks = await jira!.webhooks.list().toArray({ limit: 100 });
        if (hooks.length === 0) return { name: 'webhook', ok: true, detail: 'no dynamic webhook registered yet: fo-jira registers one at start (the return flow polls meanwhile)' };
        const now = settings.now();
        const expiries = hooks.map((hook) => hook.expiresAt).filter((at): at is number => typeof at === 'number');
        const first = expiries.length ? Math.min(...expiries) : undefined;
        if (first !== undefined && first <= now) return { name: 'webhook', ok: false, detail: `${hooks.length} registered, expired ${new Date(first).toISOString()}: Jira no longer delivers; run fo-jira (it registers again) or PUT /rest/api/3/webhook/refresh` };
        const days = first === undefined ? undefined : (first - now) / 86_400_000;
        return {
          name: 'webhook',
          ok: days === undefined || days > 1,
          detail: `${hooks.length} dynamic webhook(s) registered${days === undefined ? '' : `, first expiry in ${days.toFixed(1)} days (${new Date(first!).toISOString()})`}${days !== undefined && days <= 7 ? ': refresh soon' : ''}`,
        };
      } catch (error) {
        return { name: 'webhook', ok: false, detail: `listing the dynamic webhooks failed: ${message(error)}${isHttpError(error) && error.status === 403 ? ' (the app needs the manage:jira-webhook scope)' : ''}` };
      }
    },
  ]);
}
