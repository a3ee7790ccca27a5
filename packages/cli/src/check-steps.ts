import { lookup } from 'node:dns/promises';
import { connect as tlsConnect } from 'node:tls';
import { isAuthenticationError, isConnectorError, isHttpError, isPermissionError, redactText, type HttpClient } from '@ml-connector/core';
import { explainTokenError, type IdentityProvider } from './idp-errors.js';

/** One check's outcome. */
export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  /** What was found, in plain words; never a secret. */
  readonly detail: string;
}

/** Every check of one system, in the order they ran. */
export interface SystemCheckReport {
  /** `business-central`, `jaggaer`, `nav`, `finance-operations`, `oracle-fusion` or `jira`. */
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
  /** What the checks of each system need beyond its client options (read from the environment by the command). */
  readonly targets?: CheckTargets;
}

/** Per-system settings of the checks, beyond the client options. */
export interface CheckTargets {
  readonly financeOperations?: {
    /** Legal entity the flows work in (`FO_DEFAULT_LEGAL_ENTITY`, default the client's default company, else `usmf`). */
    readonly legalEntity?: string;
    /** Public URL of the business event endpoint F&O posts to (`FO_EVENTS_URL`), without its `?code=`. */
    readonly eventsUrl?: string;
    /** The endpoint's secret (`FO_EVENTS_SECRET`), sent as `?code=` like F&O does. */
    readonly eventsSecret?: string;
  };
  readonly oracleFusion?: {
    /** Value set codes of the chart-of-accounts segments the flows carry (`ORACLE_VALUE_SETS`). Default `XX_COST_CENTER`, `XX_ACCOUNT`. */
    readonly valueSets?: readonly string[];
  };
  readonly jira?: {
    /** Projects the flows write to and watch (`JIRA_PROJECTS`). Default `FIN`. */
    readonly projects?: readonly string[];
  };
}

/** The resolved {@link RunChecksOptions} every step gets. */
export type CheckSettings = Required<Pick<RunChecksOptions, 'maxClockSkewMs' | 'timeoutMs' | 'now'>>;

/** Stops a system's remaining checks (DNS, TLS or the token failed: nothing after it can pass). */
export class Blocked extends Error {}

export const LOOPBACK_HOST = /^(?:127(?:\.\d{1,3}){3}|\[::1\]|localhost)$/;

export function message(error: unknown): string {
  if (isHttpError(error)) return `${error.message} (HTTP ${error.status})`;
  if (isConnectorError(error)) return error.message;
  return redactText(error instanceof Error ? error.message : String(error));
}

/** Runs checks in order; a {@link Blocked} one ends the list. */
export async function collect(steps: ReadonlyArray<() => Promise<CheckResult | readonly CheckResult[]>>): Promise<CheckResult[]> {
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

export const blocked = (result: CheckResult) => new Blocked(JSON.stringify(result));

/** DNS resolution and a TLS handshake with certificate verification for each distinct host. */
export async function dnsAndTls(urls: readonly string[], timeoutMs: number): Promise<CheckResult> {
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

export interface TokenOutcome {
  readonly result: CheckResult;
  readonly accessToken: string;
  /** Claims when the token is a JWT. */
  readonly claims?: Record<string, unknown>;
}

/** Requests a client-credentials token directly, so the IdP's own error can be explained. */
export async function requestToken(
  provider: IdentityProvider,
  tokenUrl: string,
  form: Record<string, string>,
  timeoutMs: number,
  clientAuth?: { username: string; password: string },
): Promise<TokenOutcome> {
  let response: Response;
  // Oracle's documented form sends the client credentials as a Basic header.
  const basic: Record<string, string> = clientAuth ? { authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientAuth.username)}:${encodeURIComponent(clientAuth.password)}`).toString('base64')}` } : {};
  try {
    response = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...basic },
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

export function decodeJwt(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as unknown;
    return typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Clock skew from the `Date` header and rate-limit headroom from the headers of one authenticated GET (plain fetch). */
export async function probeHeaders(url: string, headers: Record<string, string>, vendorLimit: string, options: CheckSettings): Promise<CheckResult[]> {
  const sentAt = options.now();
  let response: Response;
  try {
    response = await fetch(url, { headers, signal: AbortSignal.timeout(options.timeoutMs) });
    await response.arrayBuffer();
  } catch (error) {
    return [{ name: 'clock-skew', ok: false, detail: `no answer from ${new URL(url).host}: ${message(error)}` }];
  }
  return analyseHeaders(response.status, response.headers, sentAt, options.now(), vendorLimit, options);
}

/** {@link probeHeaders} through a connector's transport (its own auth), without retries. */
export async function probeHttp(http: HttpClient, path: string, vendorLimit: string, options: CheckSettings): Promise<CheckResult[]> {
  const sentAt = options.now();
  try {
    const response = await http.request({ method: 'GET', path, retry: false, timeoutMs: options.timeoutMs });
    return analyseHeaders(response.status, response.headers, sentAt, options.now(), vendorLimit, options);
  } catch (error) {
    if (isHttpError(error) && error.status === 429) {
      return [
        { name: 'clock-skew', ok: true, detail: 'not measured: the probe was rate limited' },
        { name: 'rate-limit', ok: false, detail: 'the probe was answered 429: no headroom left, wait before running a flow' },
      ];
    }
    return [{ name: 'clock-skew', ok: false, detail: `no answer from ${new URL(http.baseUrl).host}: ${message(error)}` }];
  }
}

function analyseHeaders(status: number, headers: Headers, sentAt: number, receivedAt: number, vendorLimit: string, options: CheckSettings): CheckResult[] {
  const date = headers.get('date');
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
  const remaining = headers.get('x-ratelimit-remaining') ?? headers.get('ratelimit-remaining');
  const limit = headers.get('x-ratelimit-limit') ?? headers.get('ratelimit-limit');
  if (remaining === null) {
    results.push({ name: 'rate-limit', ok: true, detail: `headroom not reported by the vendor (${vendorLimit})` });
  } else {
    const left = Number(remaining);
    const near = headers.get('x-ratelimit-nearlimit') === 'true';
    const ok = !(left === 0 || status === 429);
    const reset = headers.get('x-ratelimit-reset');
    results.push({
      name: 'rate-limit',
      ok,
      detail: `${remaining}${limit ? ` of ${limit}` : ''} requests left in the window${reset ? ` (resets ${reset})` : ''}${ok ? (near ? ': near the limit' : '') : ': exhausted, wait before running a flow'}`,
    });
  }
  return results;
}

/** Reads one record of each entity set; a refusal names the permission to grant. */
export async function readChecks(entities: ReadonlyArray<readonly [string, () => Promise<unknown>]>, grant: string): Promise<CheckResult[]> {
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

export const firstOf = async (iterable: AsyncIterable<unknown>) => {
  for await (const item of iterable) return item;
  return undefined;
};

