import { randomUUID } from 'node:crypto';
import { createBusinessCentralClient, type BusinessCentralClientOptions } from '@ml-connector/business-central';
import { isAuthenticationError, redactText } from '@ml-connector/core';
import { createJaggaerClient, type JaggaerClientOptions } from '@ml-connector/jaggaer-j1p';
import { createNavClient, type NavClientOptions } from '@ml-connector/nav';
import { Blocked, blocked, collect, dnsAndTls, firstOf, message, probeHeaders, readChecks, requestToken, type CheckReport, type CheckResult, type CheckSettings, type RunChecksOptions, type SystemCheckReport, type TokenOutcome } from './check-steps.js';
import { checkFinanceOperations, checkJira, checkOracleFusion } from './check-systems.js';
import type { OperatorConnections } from './systems.js';

export type { CheckReport, CheckResult, CheckTargets, RunChecksOptions, SystemCheckReport } from './check-steps.js';

async function checkBusinessCentral(options: BusinessCentralClientOptions, companyId: string | undefined, webhookUrl: string | undefined, settings: CheckSettings): Promise<CheckResult[]> {
  const client = createBusinessCentralClient({ ...options, retry: { limit: 0 } } as BusinessCentralClientOptions);
  const credentials = options.credentials as { clientId: string; clientSecret?: string };
  let token: TokenOutcome | undefined;
  let company = companyId;
  return collect([
    () => dnsAndTls([client.baseUrl, client.tokenUrl], settings.timeoutMs),
    async () => {
      if (credentials.clientSecret === undefined) return { name: 'token', ok: true, detail: 'certificate credentials: checked by the first read' };
      token = await requestToken('entra', client.tokenUrl, {
        grant_type: 'client_credentials',
        client_id: credentials.clientId,
        client_secret: credentials.clientSecret,
        scope: options.scope ?? 'https://api.businesscentral.dynamics.com/.default',
      }, settings.timeoutMs);
      return token.result;
    },
    async () => {
      try {
        const companies = await client.companies.list().toArray({ limit: 100 });
        if (company && !companies.some((c) => c.id === company)) {
          throw blocked({ name: 'base-url', ok: false, detail: `BC_COMPANY_ID ${company} is not a company of this environment; it has: ${companies.map((c) => `${c.id} (${c.name})`).join(', ')}` });
        }
        if (!company && companies.length !== 1) {
          throw blocked({ name: 'base-url', ok: false, detail: `the environment has ${companies.length} companies: set BC_COMPANY_ID to one of ${companies.map((c) => `${c.id} (${c.name})`).join(', ')}` });
        }
        company ??= companies[0]!.id;
        const name = companies.find((c) => c.id === company)?.name ?? company;
        return { name: 'base-url', ok: true, detail: `${new URL(client.baseUrl).host}${new URL(client.baseUrl).pathname} answers; company ${name}` };
      } catch (error) {
        if (error instanceof Blocked) throw error;
        throw blocked({ name: 'base-url', ok: false, detail: `${message(error)}: check BC_TENANT_ID and BC_ENVIRONMENT (the environment name as in the admin center)` });
      }
    },
    () => {
      const c = client.company(company!);
      return readChecks(
        [
          ['vendors', () => firstOf(c.vendors.list())],
          ['accounts', () => firstOf(c.accounts.list())],
          ['dimensions', () => firstOf(c.dimensions.list())],
          ['dimensionValues', () => firstOf(c.dimensionValues.list())],
          ['currencies', () => firstOf(c.currencies.list())],
          ['purchaseInvoices', () => firstOf(c.purchaseInvoices.list())],
          ['purchaseOrders', () => firstOf(c.purchaseOrders.list())],
        ],
        'grant the app the API.ReadWrite.All application permission and assign it a BC permission set such as D365 BUS FULL ACCESS',
      );
    },
    async () => {
      const roles = token?.claims?.['roles'];
      if (!Array.isArray(roles)) {
        return { name: 'write permission', ok: true, detail: 'not provable without writing: the token carries no roles claim (opaque or emulator token)' };
      }
      const writes = roles.some((role) => role === 'API.ReadWrite.All' || role === 'Financials.ReadWrite.All' || role === 'Automation.ReadWrite.All');
      return {
        name: 'write permission',
        ok: writes,
        detail: writes
          ? `token grants ${roles.join(', ')} (the BC permission set still decides per table)`
          : `token grants only ${roles.join(', ') || 'no roles'}: add the API.ReadWrite.All application permission and grant admin consent`,
      };
    },
    () => probeHeaders(`${client.baseUrl}companies`, token ? { authorization: `Bearer ${token.accessToken}` } : {}, 'Business Central: 6,000 requests per 5 minutes per user, 429 with Retry-After', settings),
    () => webhookCheck(webhookUrl, settings),
  ]);
}

async function webhookCheck(url: string | undefined, settings: CheckSettings): Promise<CheckResult> {
  if (!url) return { name: 'webhook', ok: true, detail: 'not configured (BC_WEBHOOK_NOTIFICATION_URL unset): flows poll' };
  // Business Central validates a subscription by POSTing ?validationToken=… and expects it echoed as text.
  const probe = `mlc-check-${randomUUID()}`;
  const target = new URL(url);
  target.searchParams.set('validationToken', probe);
  try {
    const response = await fetch(target, { method: 'POST', signal: AbortSignal.timeout(settings.timeoutMs) });
    const text = (await response.text()).trim();
    if (response.ok && text === probe) return { name: 'webhook', ok: true, detail: `${new URL(url).host} answers Business Central's validation handshake` };
    return { name: 'webhook', ok: false, detail: `${new URL(url).host} answered HTTP ${response.status} without echoing the validation token: Business Central would refuse the subscription` };
  } catch (error) {
    return { name: 'webhook', ok: false, detail: `${new URL(url).host} is not reachable: ${message(error)}` };
  }
}

async function checkJaggaer(options: JaggaerClientOptions, settings: CheckSettings): Promise<CheckResult[]> {
  const client = createJaggaerClient({ ...options, retry: { limit: 0 } } as JaggaerClientOptions);
  let token: TokenOutcome | undefined;
  return collect([
    () => dnsAndTls([client.host, client.tokenUrl], settings.timeoutMs),
    async () => {
      token = await requestToken('keycloak', client.tokenUrl, { grant_type: 'client_credentials', client_id: options.clientId, client_secret: options.clientSecret as string }, settings.timeoutMs);
      return token.result;
    },
    async () => {
      try {
        await firstOf(client.invoices.list({ pageSize: 1 }));
        return { name: 'base-url', ok: true, detail: `${new URL(client.host).host}${client.paths.invoices} answers` };
      } catch (error) {
        throw blocked({ name: 'base-url', ok: false, detail: `${message(error)}: check JAGGAER_HOST (the tenant's API host) and the paths agreed at onboarding` });
      }
    },
    () =>
      readChecks(
        [
          ['invoices', () => firstOf(client.invoices.list({ pageSize: 1 }))],
          ['suppliers', () => firstOf(client.suppliers.list())],
          ['codingValues', () => firstOf(client.codingValues.list())],
          ['purchaseOrders', () => firstOf(client.purchaseOrders.list())],
        ],
        'ask JAGGAER to grant this API client the invoice, company profile, coding and purchase order scopes',
      ),
    async () => ({ name: 'write permission', ok: true, detail: 'not provable without writing: JAGGAER publishes no permission read-back for API clients' }),
    () => probeHeaders(`${client.host}${client.paths.companyProfiles}`, token ? { authorization: `Bearer ${token.accessToken}` } : {}, 'JAGGAER: tenant-specific limits, 429 with Retry-After', settings),
  ]);
}

async function checkNav(options: NavClientOptions, settings: CheckSettings): Promise<CheckResult[]> {
  const client = createNavClient({ ...options, retry: { limit: 0 } } as NavClientOptions);
  const serviceRoot = client.deployment.serviceRoot;
  return collect([
    () => dnsAndTls([serviceRoot], settings.timeoutMs),
    async () => {
      try {
        const problems = await client.checkMetadata();
        if (problems.length > 0) {
          return { name: 'entity paths ($metadata)', ok: false, detail: `${problems.length} problem(s): ${problems.map((p) => p.message).join('; ')}` };
        }
        return { name: 'entity paths ($metadata)', ok: true, detail: 'every configured page and field is published with the expected type and key' };
      } catch (error) {
        if (isAuthenticationError(error)) {
          throw blocked({ name: 'credentials', ok: false, detail: 'wrong user name or web service access key (NAV answered 401): check the user and generate a new access key on the user card' });
        }
        throw blocked({ name: 'base-url', ok: false, detail: `${message(error)}: check the service URL (it ends in /ODataV4/ or /OData/)` });
      }
    },
    () =>
      readChecks(
        [
          ['vendors', () => firstOf(client.vendors.list())],
          ['purchaseInvoices', () => firstOf(client.purchaseInvoices.list())],
          ['glAccounts', () => firstOf(client.glAccounts.list())],
          ['dimensions', () => firstOf(client.dimensions.list())],
        ],
        'give the NAV user a permission set that reads these tables',
      ),
    async () => ({ name: 'write permission', ok: true, detail: 'not provable without writing: NAV permission sets are not readable over OData' }),
    () => probeHeaders(serviceRoot, {}, 'NAV on-premises: no vendor limit', settings),
  ]);
}

const SECRET_KEY = /^(clientSecret|password|apiToken|secret|eventsSecret|privateKey)$/i;

/** String values under secret-looking keys (`clientSecret`, `password`, `apiToken`, …), at least 4 characters long. */
function secretValues(roots: readonly unknown[]): string[] {
  const found = new Set<string>();
  const seen = new Set<unknown>();
  const walk = (value: unknown, key: string) => {
    if (typeof value === 'string') {
      if (SECRET_KEY.test(key) && value.length >= 4) found.add(value);
      return;
    }
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    for (const [k, v] of Object.entries(value)) walk(v, k);
  };
  for (const root of roots) walk(root, '');
  // Longest first, so a secret containing another is blanked whole.
  return [...found].sort((a, b) => b.length - a.length);
}

/**
 * Checks every system in `connections`, in order: DNS and TLS, token (IdP errors in plain words), base URL, read
 * permission on each entity the flows use, write permission where provable without writing, NAV entity paths
 * against `$metadata`, clock skew from the `Date` header, rate-limit headroom where reported, webhook reachability.
 * Systems: Business Central, JAGGAER, NAV, Finance & Operations, Oracle Fusion, Jira (those `connections` has). A failed
 * DNS/TLS, token or base-URL check ends that system's list. No secret appears in any detail: each is also scrubbed of
 * every secret value of the configuration.
 */
export async function runChecks(connections: OperatorConnections, options: RunChecksOptions = {}): Promise<CheckReport> {
  const settings: CheckSettings = { maxClockSkewMs: options.maxClockSkewMs ?? 300_000, timeoutMs: options.timeoutMs ?? 10_000, now: options.now ?? Date.now };
  const targets = options.targets ?? {};
  // Every secret of the configuration: a detail that quotes one (an IdP echoing it, say) has it blanked out.
  const secrets = secretValues([connections, targets]);
  const scrub = (detail: string) => secrets.reduce((text, secret) => text.replaceAll(secret, '[redacted]'), redactText(detail));
  const systems: SystemCheckReport[] = [];
  const guard = async (system: string, run: () => Promise<CheckResult[]>) => {
    let checks: CheckResult[];
    try {
      checks = await run();
    } catch (error) {
      checks = [{ name: 'configuration', ok: false, detail: message(error) }];
    }
    systems.push({ system, checks: checks.map((check) => ({ name: check.name, ok: check.ok, detail: scrub(check.detail) })) });
  };
  if (connections.businessCentral) await guard('business-central', () => checkBusinessCentral(connections.businessCentral!, connections.businessCentralCompanyId, connections.webhookUrl, settings));
  if (connections.jaggaer) await guard('jaggaer', () => checkJaggaer(connections.jaggaer!, settings));
  if (connections.nav) await guard('nav', () => checkNav(connections.nav!, settings));
  if (connections.financeOperations) await guard('finance-operations', () => checkFinanceOperations({ options: connections.financeOperations!, ...targets.financeOperations }, settings));
  if (connections.oracleFusion) await guard('oracle-fusion', () => checkOracleFusion({ options: connections.oracleFusion!, ...targets.oracleFusion }, settings));
  if (connections.jira) await guard('jira', () => checkJira({ options: connections.jira!, ...targets.jira }, settings));
  return { ok: systems.every((s) => s.checks.every((c) => c.ok)), systems };
}
