import { randomUUID } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { connect as tlsConnect } from 'node:tls';
import { createBusinessCentralClient, type BusinessCentralClientOptions } from '@ml-connector/business-central';
import { isAuthenticationError, isConnectorError, isHttpError, isPermissionError, redactText } from '@ml-connector/core';
import { createJaggaerClient, type JaggaerClientOptions } from '@ml-connector/jaggaer-j1p';
import { createNavClient, type NavClientOptions } from '@ml-connector/nav';
import { explainTokenError, type IdentityProvider } from './idp-errors.js';
import type { OperatorConnections } from './systems.js';

/** One check's outcome. */
export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  /** What was found, in plain words; never a secret. */
  readonly detail: string;
}

/** Every check of one system, in the order they ran. */
export interface SystemCheckReport {
  /** `business-central`, `jaggaer` or `nav`. */
  readonly system: string;
  readonly checks: readonly CheckResult[];
}

/** What `ml-connector check --json` prints. */
export interface CheckReport {
  /** True when every check of every system passed. */
  readonly ok: boolean;
  readonly systems: readonly SystemCheckReport[];
}

/** Options of {@link runChecks}. */
export interface RunChecksOptions {
  /** Clock skew beyond which the check fails, in ms. Default 300,000 (tokens are refused past ~5 minutes). */
  readonly maxClockSkewMs?: number;
  /** Time limit of each network step, in ms. Default 10,000. */
  readonly timeoutMs?: number;
  /** Local clock (tests). Default `Date.now`. */
  readonly now?: () => number;
}

/** Stops a system's remaining checks (DNS, TLS or the token failed: nothing after it can pass). */
class Blocked extends Error {}

const LOOPBACK_HOST = /^(?:127(?:\.\d{1,3}){3}|\[::1\]|localhost)$/;

function message(error: unknown): string {
  if (isHttpError(error)) return `${error.message} (HTTP ${error.status})`;
  if (isConnectorError(error)) return error.message;
  return redactText(error instanceof Error ? error.message : String(error));
}

/** Runs checks in order; a {@link Blocked} one ends the list. */
async function collect(steps: ReadonlyArray<() => Promise<CheckResult | readonly CheckResult[]>>): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const step of steps) {
    try {
      const result = await step();
      results.push(...(Array.isArray(result) ? result : [result as CheckResult]));
    } catch (error) {
      if (error instanceof Blocked) {
        results.push(JSON.parse(error.message) as CheckResult);
        break;
      }
      throw error;
    }
  }
  return results;
}

const blocked = (result: CheckResult) => new Blocked(JSON.stringify(result));

/** DNS resolution and a TLS handshake with certificate verification for each distinct host. */
async function dnsAndTls(urls: readonly string[], timeoutMs: number): Promise<CheckResult> {
  const hosts = [...new Set(urls.map((url) => new URL(url)))].filter((u, i, all) => all.findIndex((o) => o.host === u.host) === i);
  const details: string[] = [];
  for (const url of hosts) {
    const host = url.hostname;
    if (LOOPBACK_HOST.test(host)) {
      details.push(`${url.host}: loopback (emulator), no DNS or TLS`);
      continue;
    }
    let address: string;
    try {
      address = (await lookup(host)).address;
    } catch (error) {
      throw blocked({ name: 'dns-tls', ok: false, detail: `${host} does not resolve (${(error as NodeJS.ErrnoException).code ?? 'DNS error'}): check the host name` });
    }
    const port = Number(url.port || 443);
    const certificate = await new Promise<{ validTo: string; issuer: string }>((resolve, reject) => {
      const socket = tlsConnect({ host, port, servername: host, timeout: timeoutMs }, () => {
        const cert = socket.getPeerCertificate();
        socket.end();
        resolve({ validTo: cert.valid_to, issuer: String(cert.issuer?.O ?? cert.issuer?.CN ?? 'unknown issuer') });
      });
      socket.on('timeout', () => {
        socket.destroy();
        reject(new Error(`no TLS answer from ${host}:${port} within ${timeoutMs} ms`));
      });
      socket.on('error', reject);
    }).catch((error: unknown) => {
      throw blocked({ name: 'dns-tls', ok: false, detail: `${host} (${address}): TLS failed: ${message(error)}` });
    });
    const days = Math.floor((Date.parse(certificate.validTo) - Date.now()) / 86_400_000);
    details.push(`${host} → ${address}, TLS certificate by ${certificate.issuer} valid ${days} more days`);
  }
  return { name: 'dns-tls', ok: true, detail: details.join('; ') };
}

interface TokenOutcome {
  readonly result: CheckResult;
  readonly accessToken: string;
  /** Claims when the token is a JWT. */
  readonly claims?: Record<string, unknown>;
}

/** Requests a client-credentials token directly, so the IdP's own error can be explained. */
async function requestToken(provider: IdentityProvider, tokenUrl: string, form: Record<string, string>, timeoutMs: number): Promise<TokenOutcome> {
  let response: Response;
  try {
    response = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw blocked({ name: 'token', ok: false, detail: `the token endpoint did not answer: ${message(error)}` });
  }
  const body = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  const accessToken = typeof body?.['access_token'] === 'string' ? body['access_token'] : undefined;
  if (!response.ok || !accessToken) {
    const { code, explanation } = explainTokenError(provider, response.status, body);
    throw blocked({ name: 'token', ok: false, detail: `${explanation} [${code}]` });
  }
  const claims = decodeJwt(accessToken);
  const expiresIn = typeof body?.['expires_in'] === 'number' ? body['expires_in'] : Number(body?.['expires_in'] ?? NaN);
  const parts = [`token issued${Number.isFinite(expiresIn) ? `, valid ${Math.round(expiresIn / 60)} min` : ''}`];
  if (claims?.['tid']) parts.push(`tenant ${String(claims['tid'])}`);
  if (!claims) parts.push('opaque token');
  return { result: { name: 'token', ok: true, detail: parts.join(', ') }, accessToken, ...(claims ? { claims } : {}) };
}

function decodeJwt(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as unknown;
    return typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Clock skew from the `Date` header and rate-limit headroom from the headers of one authenticated GET. */
async function probeHeaders(url: string, headers: Record<string, string>, vendorLimit: string, options: Required<RunChecksOptions>): Promise<CheckResult[]> {
  const sentAt = options.now();
  let response: Response;
  try {
    response = await fetch(url, { headers, signal: AbortSignal.timeout(options.timeoutMs) });
    await response.arrayBuffer();
  } catch (error) {
    return [{ name: 'clock-skew', ok: false, detail: `no answer from ${new URL(url).host}: ${message(error)}` }];
  }
  const receivedAt = options.now();
  const date = response.headers.get('date');
  const results: CheckResult[] = [];
  if (!date || Number.isNaN(Date.parse(date))) {
    results.push({ name: 'clock-skew', ok: true, detail: 'the server sends no Date header: not measurable' });
  } else {
    // The Date header has one-second resolution: compare with the middle of the round trip.
    const skew = Date.parse(date) - (sentAt + receivedAt) / 2;
    const ok = Math.abs(skew) <= options.maxClockSkewMs + 1000;
    results.push({
      name: 'clock-skew',
      ok,
      detail: `${skew >= 0 ? 'server ahead' : 'server behind'} by ${(Math.abs(skew) / 1000).toFixed(1)} s${ok ? '' : `: more than ${options.maxClockSkewMs / 1000} s, tokens and signatures will be refused; sync this machine's clock (NTP)`}`,
    });
  }
  const remaining = response.headers.get('x-ratelimit-remaining') ?? response.headers.get('ratelimit-remaining');
  const limit = response.headers.get('x-ratelimit-limit') ?? response.headers.get('ratelimit-limit');
  if (remaining === null) {
    results.push({ name: 'rate-limit', ok: true, detail: `headroom not reported by the vendor (${vendorLimit})` });
  } else {
    const left = Number(remaining);
    const ok = !(left === 0 || response.status === 429);
    results.push({ name: 'rate-limit', ok, detail: `${remaining}${limit ? ` of ${limit}` : ''} requests left in the window${ok ? '' : ': exhausted, wait before running a flow'}` });
  }
  return results;
}

/** Reads one record of each entity set; a refusal names the permission to grant. */
async function readChecks(entities: ReadonlyArray<readonly [string, () => Promise<unknown>]>, grant: string): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const [name, read] of entities) {
    try {
      await read();
      results.push({ name: `read ${name}`, ok: true, detail: 'readable' });
    } catch (error) {
      const why = isPermissionError(error)
        ? `no read permission (${grant})`
        : isAuthenticationError(error)
          ? 'the token was refused for this entity'
          : message(error);
      results.push({ name: `read ${name}`, ok: false, detail: why });
    }
  }
  return results;
}

const firstOf = async (iterable: AsyncIterable<unknown>) => {
  for await (const item of iterable) return item;
  return undefined;
};

async function checkBusinessCentral(options: BusinessCentralClientOptions, companyId: string | undefined, webhookUrl: string | undefined, settings: Required<RunChecksOptions>): Promise<CheckResult[]> {
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

async function webhookCheck(url: string | undefined, settings: Required<RunChecksOptions>): Promise<CheckResult> {
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

async function checkJaggaer(options: JaggaerClientOptions, settings: Required<RunChecksOptions>): Promise<CheckResult[]> {
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

async function checkNav(options: NavClientOptions, settings: Required<RunChecksOptions>): Promise<CheckResult[]> {
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

/**
 * Checks every system in `connections`, in order: DNS and TLS, token (IdP errors in plain words), base URL, read
 * permission on each entity the flows use, write permission where provable without writing, NAV entity paths
 * against `$metadata`, clock skew from the `Date` header, rate-limit headroom where reported, webhook reachability.
 * A failed DNS/TLS, token or base-URL check ends that system's list. No secret appears in any detail.
 */
export async function runChecks(connections: OperatorConnections, options: RunChecksOptions = {}): Promise<CheckReport> {
  const settings: Required<RunChecksOptions> = { maxClockSkewMs: options.maxClockSkewMs ?? 300_000, timeoutMs: options.timeoutMs ?? 10_000, now: options.now ?? Date.now };
  const systems: SystemCheckReport[] = [];
  const guard = async (system: string, run: () => Promise<CheckResult[]>) => {
    try {
      systems.push({ system, checks: await run() });
    } catch (error) {
      systems.push({ system, checks: [{ name: 'configuration', ok: false, detail: message(error) }] });
    }
  };
  if (connections.businessCentral) await guard('business-central', () => checkBusinessCentral(connections.businessCentral!, connections.businessCentralCompanyId, connections.webhookUrl, settings));
  if (connections.jaggaer) await guard('jaggaer', () => checkJaggaer(connections.jaggaer!, settings));
  if (connections.nav) await guard('nav', () => checkNav(connections.nav!, settings));
  return { ok: systems.every((s) => s.checks.every((c) => c.ok)), systems };
}
