import { InvalidInputError } from '@ml-connector/core';
import {
  EmulatedConnectionDrop,
  type FaultInjector,
  type FaultOptions,
  type LoopbackServer,
  TRUNCATE_HEADER,
  createFaultInjector,
  createInProcessFetch,
  serveOnLoopback,
} from '@ml-connector/core/testing';
import { JiraEmulatorError, json } from './errors.js';
import { BurstLimiter, type JiraSandboxLimits } from './limits.js';
import { type AtlassianOAuthApp, AtlassianAuthServer } from './oauth.js';
import { type ApiResult, routeApi, routeTemplate } from './router.js';
import { DEFAULT_SITES, type JiraSiteSeed } from './seed.js';
import { type Actor, SiteService, type SiteState, createSite, siteData } from './store.js';
import { WebhookManager, type WebhookDeliveryRecord } from './webhooks.js';

/** Client id of the default OAuth app. */
export const SANDBOX_CLIENT_ID = 'mlc-jira-sandbox-app';
/** Client secret of {@link SANDBOX_CLIENT_ID}. Test-only. */
export const SANDBOX_CLIENT_SECRET = 'jira-sandbox-client-secret';
/** E-mail of the default API-token user. */
export const SANDBOX_EMAIL = 'integration@example.com';
/** API token of {@link SANDBOX_EMAIL}. Test-only. */
export const SANDBOX_API_TOKEN = 'jira-sandbox-api-token';
/** Secret the sandbox signs webhook deliveries with (`X-Hub-Signature`). Test-only. */
export const SANDBOX_WEBHOOK_SECRET = 'jira-sandbox-webhook-secret';
/** Scopes a typical integration asks for. */
export const SANDBOX_SCOPES = Object.freeze(['read:jira-work', 'write:jira-work', 'manage:jira-webhook', 'offline_access']);

/** Options of {@link createJiraSandbox}. Everything is optional. */
export interface JiraSandboxOptions {
  /**
   * Sites. Default one site `acme` (`https://acme.atlassian.net`). Custom field ids differ per site. A
   * {@link JiraSandbox.snapshot} is a valid value (it continues where that sandbox left off).
   */
  sites?: readonly JiraSiteSeed[];
  /** OAuth apps. Default {@link SANDBOX_CLIENT_ID}/{@link SANDBOX_CLIENT_SECRET}. */
  apps?: readonly AtlassianOAuthApp[];
  /** API-token users (Basic). Default {@link SANDBOX_EMAIL}/{@link SANDBOX_API_TOKEN}, valid on every site. */
  apiTokens?: ReadonlyArray<{ email: string; token: string }>;
  /** Site names a user consents to on `/authorize` (and seeded grants cover). Default all. */
  consentSites?: readonly string[];
  /**
   * Project permissions every caller lacks, e.g. `['CREATE_ISSUES']`: `mypermissions` answers `havePermission: false`
   * and creating issues is refused (403). Default none.
   */
  deniedPermissions?: readonly string[];
  /**
   * Time until a write becomes visible to JQL search, in ms (Jira Cloud's index is eventually consistent; the lag is
   * not published, UNCONFIRMED). A number or a function per write. Default 1000.
   */
  indexLagMs?: number | (() => number);
  /** Rate limits. */
  limits?: JiraSandboxLimits;
  /** Fault injection (core's options); the token endpoint is excluded unless `includeTokenEndpoint`. */
  faults?: FaultOptions & { includeTokenEndpoint?: boolean };
  /** Clock in epoch ms. Default `Date.now` (vitest fake timers move it). */
  now?: () => number;
  /** Access token lifetime in seconds. Default 3600 (Atlassian's `expires_in`). */
  tokenLifetimeSeconds?: number;
  /** Grace period in which a spent refresh token still works. Default 0 (reuse → invalid_grant). UNCONFIRMED. */
  refreshTokenReuseIntervalMs?: number;
  /** Secret for `X-Hub-Signature` on deliveries; `null` sends them unsigned. Default {@link SANDBOX_WEBHOOK_SECRET}. */
  webhookSecret?: string | null;
  /**
   * Also sign deliveries with `Authorization: Bearer <JWT>` (HS256 with the registering app's client secret; claims
   * `iss: jira:{cloudId}`, `sub: clientId`, `iat`, `exp`), as some sources say dynamic webhooks of OAuth apps are.
   * Which scheme Jira uses for dynamic webhooks is UNCONFIRMED, so both can be sent. Default `false`.
   */
  webhookJwt?: boolean;
  /** Delays before delivery retries. Default [10 s, 20 s, 40 s, 80 s, 160 s] (5 retries; schedule UNCONFIRMED). */
  webhookRetryDelaysMs?: readonly number[];
  /** Lifetime of dynamic webhooks in ms. Default 30 days (JIRASPEC). */
  webhookLifetimeMs?: number;
  /** `fetch` used for deliveries. Default global fetch, loopback URLs only. */
  deliveryFetch?: typeof fetch;
}

/** Counters for assertions. */
export interface JiraSandboxStats {
  /** Requests handled (all routes). */
  readonly requests: number;
  /** API requests that reached processing. */
  readonly apiRequests: number;
  /** Token endpoint requests. */
  readonly tokenRequests: number;
  /** Token requests refused with `invalid_grant`. */
  readonly invalidGrant: number;
  /** Successful refresh-token grants. */
  readonly refreshes: number;
  /** 429s from the burst limits (not injected faults). */
  readonly throttled: number;
  /** Faults injected (status, reset, truncate). */
  readonly faultsInjected: number;
}

/** A running Jira sandbox. */
export interface JiraSandbox {
  /** Fetch-style handler (connection drops are thrown; prefer {@link JiraSandbox.fetch}). */
  handle(request: Request): Promise<Response>;
  /** In-process `fetch` wired to the handler. */
  readonly fetch: typeof fetch;
  /** Serves the sandbox on 127.0.0.1. */
  listen(options?: { port?: number }): Promise<LoopbackServer>;
  /** API gateway origin: `https://api.atlassian.com` in-process, the server URL when served. */
  apiHost(serverUrl?: string): string;
  /** Authorisation server origin: `https://auth.atlassian.com` in-process, the server URL when served. */
  authHost(serverUrl?: string): string;
  /** A site's URL for API-token access: `https://{name}.atlassian.net`, or `{serverUrl}/site/{name}` when served. */
  siteUrl(name?: string, serverUrl?: string): string;
  /** Sites by name. */
  readonly sites: ReadonlyMap<string, SiteState>;
  /** cloudId of a site (default the first). */
  cloudId(name?: string): string;
  /** Issues an authorisation code as if the user consented (skips the browser). */
  issueAuthorizationCode(input: { redirectUri: string; scopes?: readonly string[]; clientId?: string; sites?: readonly string[] }): string;
  /** Issues a refresh token directly (as if the code exchange happened). */
  issueRefreshToken(input?: { scopes?: readonly string[]; clientId?: string; sites?: readonly string[] }): string;
  /** Revokes every access token. */
  revokeAccessTokens(): void;
  /** The fault injector (`enqueue` to script faults). */
  readonly faults: FaultInjector;
  /** Waits until every webhook delivery in flight (including retries) is done. */
  flushWebhooks(): Promise<void>;
  /** Every delivery attempt so far. */
  readonly webhookDeliveries: readonly WebhookDeliveryRecord[];
  /** Makes every write visible to search now (as if the index caught up). */
  catchUpIndex(): void;
  readonly stats: JiraSandboxStats;
  /**
   * The sites' configuration plus their issues, comments, links and id counters, as JSON-serialisable site seeds that
   * the `sites` option loads back. Tokens, grants and webhooks are not part of it.
   */
  snapshot(): JiraSiteSeed[];
}

const API_ORIGIN = 'https://api.atlassian.com';
const AUTH_ORIGIN = 'https://auth.atlassian.com';

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!(Number.isFinite(v) && v >= 0)) throw new InvalidInputError(`${name} must be a non-negative number, got ${value}`, { field: name });
  return v;
}

/**
 * Creates an emulator of Jira Cloud REST v3, the Atlassian authorisation server and `accessible-resources`, as an
 * in-process fetch handler or a loopback server.
 *
 * **Routes**: `GET /authorize`, `POST /oauth/token`, `GET /oauth/token/accessible-resources`;
 * `/ex/jira/{cloudId}/rest/api/3/…` (Bearer) and `/rest/api/3/…` on `{site}.atlassian.net` or `/site/{name}/rest/api/3/…`
 * (Basic `email:apiToken`): `field`, `project/search`, `issue/createmeta/{project}/issuetypes`, `issue`, `issue/bulk`,
 * `issue/{key}` (GET, PUT), `issue/{key}/transitions`, `issue/{key}/comment`, `issueLink`, `search/jql` (GET, POST;
 * the removed `search` answers 410), `webhook` (GET, POST, DELETE; OAuth only), `webhook/refresh`.
 *
 * **Confirmed** (JIRASPEC, Atlassian docs; api-facts.md §6): URLs, token grants and rotation, accessible-resources
 * shape, ErrorCollection envelope, ADF bodies, enhanced search paging (`nextPageToken`, `isLast`, no total, ids by
 * default), webhook registration/refresh/30-day expiry and event names, rate-limit headers.
 * **Assumed** (UNCONFIRMED): index lag length, burst numbers, refresh-token reuse grace, webhook retry schedule,
 * several error texts, status ids of the seeded workflow.
 */
export function createJiraSandbox(options: JiraSandboxOptions = {}): JiraSandbox {
  const now = options.now ?? Date.now;
  const seeds = options.sites ?? DEFAULT_SITES;
  if (seeds.length === 0) throw new InvalidInputError('sites must list at least one site', { field: 'sites' });
  const sites = new Map<string, SiteState>();
  seeds.forEach((seed, i) => {
    if (!/^[a-z0-9-]+$/.test(seed.name)) throw new InvalidInputError(`site name must be lower-case letters, digits or "-", got "${seed.name}"`, { field: 'sites' });
    sites.set(seed.name, createSite(seed, i));
  });
  const lag = options.indexLagMs ?? 1000;
  const lagFn = typeof lag === 'function' ? lag : () => lag;
  nonNegative('indexLagMs', typeof lag === 'number' ? lag : 0, 0);
  const services = new Map([...sites.values()].map((s) => [s.id, new SiteService(s, now, lagFn)]));
  const apps = options.apps ?? [{ clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET }];
  const apiTokens = options.apiTokens ?? [{ email: SANDBOX_EMAIL, token: SANDBOX_API_TOKEN }];
  const consent = () => (options.consentSites ?? [...sites.keys()]).map((n) => (sites.get(n) as SiteState | undefined)?.id).filter((x): x is string => !!x);
  const auth = new AtlassianAuthServer({
    apps,
    now,
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3600,
    refreshTokenReuseIntervalMs: nonNegative('refreshTokenReuseIntervalMs', options.refreshTokenReuseIntervalMs, 0),
    consentSiteIds: consent,
  });
  const limits = options.limits ?? {};
  const burst = new BurstLimiter(now, limits.burstPerSecond ?? 100);
  const perIssue = new BurstLimiter(now, limits.perIssueWritesPerSecond ?? 20);
  const webhooks = new WebhookManager({
    now,
    secret: options.webhookSecret === null ? undefined : (options.webhookSecret ?? SANDBOX_WEBHOOK_SECRET),
    jwt: options.webhookJwt ? (clientId) => apps.find((a) => a.clientId === clientId)?.clientSecret : undefined,
    deliveryFetch: options.deliveryFetch,
    retryDelaysMs: options.webhookRetryDelaysMs ?? [10_000, 20_000, 40_000, 80_000, 160_000],
    maxWebhooks: limits.maxWebhooks ?? 100,
    lifetimeMs: options.webhookLifetimeMs ?? 30 * 24 * 60 * 60_000,
  });
  const faultOptions = options.faults ?? {};
  const isAuthPath = (r: Request) => /^\/(oauth\/token|authorize)/.test(new URL(r.url).pathname);
  const faults = createFaultInjector({
    ...faultOptions,
    appliesTo: (r) => (faultOptions.includeTokenEndpoint || !isAuthPath(r)) && (!faultOptions.appliesTo || faultOptions.appliesTo(r)),
  });
  const counters = { requests: 0, apiRequests: 0, throttled: 0, faultsInjected: 0 };

  const unauthorizedGateway = () => json(401, { code: 401, message: 'Unauthorized' });

  const resolveTarget = (
    request: Request,
  ): { service: SiteService; segments: string[]; actor: Actor; clientId: string | undefined; scopes: string[] | undefined } | Response => {
    const url = new URL(request.url);
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const header = request.headers.get('authorization') ?? '';
    if (parts[0] === 'ex' && parts[1] === 'jira') {
      const service = [...services.values()].find((s) => s.site.id === parts[2]);
      const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
      if (!bearer) return unauthorizedGateway();
      const grant = auth.grantOf(bearer);
      if (grant === 'unknown' || grant === 'expired') return unauthorizedGateway();
      if (!service || !grant.siteIds.includes(service.site.id)) return json(404, { errorMessages: ['Site not found or not accessible to this app'], errors: {} });
      if (parts[3] !== 'rest' || parts[4] !== 'api' || parts[5] !== '3') return json(404, { errorMessages: ['Not found'], errors: {} });
      return {
        service,
        segments: parts.slice(6),
        actor: { accountId: `app:${grant.clientId}`, displayName: 'Integration app' },
        clientId: grant.clientId,
        scopes: grant.scopes,
      };
    }
    let siteName: string | undefined;
    let rest = parts;
    const hostMatch = /^([a-z0-9-]+)\.atlassian\.net$/.exec(url.hostname);
    if (hostMatch) siteName = hostMatch[1];
    if (parts[0] === 'site' && parts[1]) {
      siteName = parts[1];
      rest = parts.slice(2);
    }
    const site = siteName ? sites.get(siteName) : undefined;
    if (!site || rest[0] !== 'rest' || rest[1] !== 'api' || rest[2] !== '3') return json(404, { errorMessages: ['Not found'], errors: {} });
    const basic = /^Basic\s+(\S+)$/i.exec(header)?.[1];
    const [email, token] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(/:(.*)/s) : [];
    const user = apiTokens.find((u) => u.email === email && u.token === token);
    if (!user) return json(401, { errorMessages: ['Client must be authenticated to access this resource.'], errors: {} });
    return { service: services.get(site.id) as SiteService, segments: rest.slice(3), actor: { accountId: `user:${user.email}`, displayName: user.email }, clientId: undefined, scopes: undefined };
  };

  const neededScope = (method: string, segments: string[]) =>
    segments[0] === 'webhook' ? 'manage:jira-webhook' : segments[0] === 'myself' ? 'read:jira-user' : method === 'GET' || (segments[0] === 'search' && segments[1] === 'jql') ? 'read:jira-work' : 'write:jira-work';

  const faultResponse = (status: number, retryAfterSeconds: number | undefined): Response => {
    const headers: Record<string, string> = {};
    if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
    if (status === 429) {
      headers['ratelimit-reason'] = 'jira-burst-based';
      headers['x-ratelimit-remaining'] = '0';
      headers['x-ratelimit-reset'] = new Date(now() + (retryAfterSeconds ?? 1) * 1000).toISOString();
    }
    const message = status === 429 ? 'Rate limit exceeded.' : status === 503 ? 'Service unavailable. Please try again later.' : 'Internal server error';
    return json(status, { errorMessages: [message], errors: {} }, headers);
  };

  async function handleApi(request: Request): Promise<Response> {
    const target = resolveTarget(request);
    if (target instanceof Response) return target;
    const method = request.method.toUpperCase();
    if (target.scopes && !target.scopes.includes(neededScope(method, target.segments))) {
      return json(401, { code: 401, message: 'Unauthorized; scope does not match' });
    }
    const fault = faults.nextFault(request);
    if (fault?.kind === 'status') {
      counters.faultsInjected++;
      return faultResponse(fault.status, fault.retryAfterSeconds);
    }
    if (fault?.kind === 'reset-before') {
      counters.faultsInjected++;
      throw new EmulatedConnectionDrop('before');
    }
    const template = routeTemplate(target.segments);
    const limit = burst.hit(`${target.service.site.id}|${method}|${template}`, 'jira-burst-based');
    if (limit.limited) {
      counters.throttled++;
      return json(429, { errorMessages: ['Rate limit exceeded.'], errors: {} }, limit.headers);
    }
    let headers = limit.headers;
    if (method !== 'GET' && target.segments[0] === 'issue' && target.segments[1] && target.segments[1] !== 'bulk') {
      const issueLimit = perIssue.hit(`${target.service.site.id}|${target.segments[1].toUpperCase()}`, 'jira-per-issue-on-write');
      if (issueLimit.limited) {
        counters.throttled++;
        return json(429, { errorMessages: ['Rate limit exceeded.'], errors: {} }, issueLimit.headers);
      }
    }
    counters.apiRequests++;
    let body: unknown;
    const text = method === 'GET' ? '' : await request.text();
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        return json(400, { errorMessages: ['Unexpected character in the request body (not valid JSON).'], errors: {} });
      }
    }
    let result: ApiResult;
    try {
      result = routeApi(
        { service: target.service, webhooks, maxSearchResults: limits.maxSearchResults ?? 100 },
        {
          method, segments: target.segments, query: new URL(request.url).searchParams, body, actor: target.actor, clientId: target.clientId,
          scopes: target.scopes, deniedPermissions: options.deniedPermissions ?? [],
        },
      );
    } catch (error) {
      if (error instanceof JiraEmulatorError) return json(error.status, error.body, { ...headers, ...error.headers });
      throw error;
    }
    if (fault?.kind === 'reset-after') {
      counters.faultsInjected++;
      throw new EmulatedConnectionDrop('after');
    }
    if (fault?.kind === 'truncate') {
      counters.faultsInjected++;
      headers = { ...headers, [TRUNCATE_HEADER]: '1' };
    }
    return json(result.status, result.body, { ...headers, ...(result.headers ?? {}) });
  }

  async function handle(request: Request): Promise<Response> {
    counters.requests++;
    const latency = faults.nextLatencyMs(request);
    if (latency > 0) await new Promise((r) => setTimeout(r, latency));
    const url = new URL(request.url);
    if (url.pathname === '/authorize') return auth.authorize(url);
    if (url.pathname === '/oauth/token') {
      if (faultOptions.includeTokenEndpoint) {
        const fault = faults.nextFault(request);
        if (fault?.kind === 'status') return faultResponse(fault.status, fault.retryAfterSeconds);
      }
      return auth.token(request);
    }
    if (url.pathname === '/oauth/token/accessible-resources') {
      const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
      const grant = bearer ? auth.grantOf(bearer) : 'unknown';
      if (grant === 'unknown' || grant === 'expired') return unauthorizedGateway();
      const list = [...sites.values()]
        .filter((s) => grant.siteIds.includes(s.id))
        .map((s) => ({ id: s.id, name: s.name, url: s.url, scopes: grant.scopes.filter((x) => x !== 'offline_access'), avatarUrl: `https://site-admin-avatar-cdn.prod.public.atl-paas.net/avatars/240/site.png` }));
      return json(200, list);
    }
    return handleApi(request);
  }

  const first = () => [...sites.values()][0] as SiteState;
  const siteIds = (names: readonly string[] | undefined) => (names ? names.map((n) => sites.get(n)?.id).filter((x): x is string => !!x) : undefined);
  const fetchImpl = createInProcessFetch(handle);

  return {
    handle,
    fetch: fetchImpl,
    listen: (o = {}) => serveOnLoopback(handle, o),
    snapshot: () =>
      seeds.map((seed) => {
        const site = sites.get(seed.name) as SiteState;
        return { ...structuredClone(seed), cloudId: site.id, state: siteData(site) };
      }),
    apiHost: (serverUrl) => serverUrl ?? API_ORIGIN,
    authHost: (serverUrl) => serverUrl ?? AUTH_ORIGIN,
    siteUrl: (name = first().name, serverUrl) => (serverUrl ? `${serverUrl}/site/${name}` : `https://${name}.atlassian.net`),
    sites,
    cloudId: (name) => (name ? sites.get(name)?.id : first().id) ?? (() => { throw new InvalidInputError(`no site named ${name}`, { field: 'name' }); })(),
    issueAuthorizationCode: (input) =>
      auth.issueCode({
        clientId: input.clientId ?? (apps[0] as AtlassianOAuthApp).clientId,
        redirectUri: input.redirectUri,
        scopes: [...(input.scopes ?? SANDBOX_SCOPES)],
        ...(input.sites ? { siteIds: siteIds(input.sites) as string[] } : {}),
      }),
    issueRefreshToken: (input = {}) =>
      auth.issueRefreshToken({
        clientId: input.clientId ?? (apps[0] as AtlassianOAuthApp).clientId,
        scopes: [...(input.scopes ?? SANDBOX_SCOPES)],
        ...(input.sites ? { siteIds: siteIds(input.sites) as string[] } : {}),
      }),
    revokeAccessTokens: () => auth.revokeAccessTokens(),
    faults,
    flushWebhooks: () => webhooks.flush(),
    get webhookDeliveries() {
      return webhooks.deliveries;
    },
    catchUpIndex() {
      const t = now();
      for (const s of sites.values()) for (const issue of s.issues.values()) for (const snap of issue.indexed) snap.visibleAt = Math.min(snap.visibleAt, t);
    },
    stats: {
      get requests() {
        return counters.requests;
      },
      get apiRequests() {
        return counters.apiRequests;
      },
      get tokenRequests() {
        return auth.stats.tokenRequests;
      },
      get invalidGrant() {
        return auth.stats.invalidGrant;
      },
      get refreshes() {
        return auth.stats.refreshes;
      },
      get throttled() {
        return counters.throttled;
      },
      get faultsInjected() {
        return counters.faultsInjected;
      },
    },
  };
}
