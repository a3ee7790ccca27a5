import { InvalidInputError } from '@ml-connector/core';
import {
  EmulatedConnectionDrop,
  type EmulatedOAuthClient,
  type FaultInjector,
  type FaultOptions,
  type LoopbackServer,
  TRUNCATE_HEADER,
  createFaultInjector,
  createInProcessFetch,
  createOAuthEmulator,
  serveOnLoopback,
} from '@ml-connector/core/testing';
import { OracleEmulatorError, errorResponse } from './errors.js';
import { type ImportJobOptions, ImportJobsEmulator } from './imports.js';
import { RESOURCE_DEFS } from './model.js';
import { type ApiRequest, type ApiResult, type RouterContext, routeApi } from './router.js';
import { type OracleFusionSeedOptions, generateOracleFusionSeed } from './seed.js';
import { type OracleFusionData, OracleFusionStore } from './store.js';

/** Pod host of the sandbox (in-process; any origin works). */
export const ORACLE_SANDBOX_HOST = 'https://acme-sandbox.fa.us2.oraclecloud.com';
/** Identity Domain URL of the sandbox. */
export const ORACLE_SANDBOX_IDENTITY_DOMAIN = 'https://idcs-sandbox.identity.oraclecloud.com';
/** Fusion scope the sandbox's API accepts. */
export const ORACLE_SANDBOX_SCOPE = 'urn:opc:resource:fa:instanceid=12345678urn:opc:resource:consumer::all';
/** Confidential application registered by default. */
export const ORACLE_SANDBOX_CLIENT_ID = 'ml-connector-sandbox-client';
/** Secret of {@link ORACLE_SANDBOX_CLIENT_ID}. Test-only. */
export const ORACLE_SANDBOX_CLIENT_SECRET = 'oracle-sandbox-client-secret';
/** Fusion user accepted with Basic auth. */
export const ORACLE_SANDBOX_USER = Object.freeze({ username: 'integration.user', password: 'oracle-sandbox-password' });

/** Optional throttling. Oracle publishes no limits for Fusion REST (UNCONFIRMED whether 429s occur): off by default. */
export interface OracleFusionThrottleOptions {
  /** Requests allowed per window and identity. */
  requestsPerWindow: number;
  /** Window length in ms. Default 60,000. */
  windowMs?: number;
  /** `Retry-After` seconds on a 429. Default 10. */
  retryAfterSeconds?: number;
}

/** Fault settings: core's options; the token endpoint is exempt unless `includeTokenEndpoint`. */
export interface OracleFusionFaultOptions extends FaultOptions {
  /** Also apply faults to the token endpoint. Default `false`. */
  includeTokenEndpoint?: boolean;
}

/** Options of {@link createOracleFusionSandbox}. */
export interface OracleFusionSandboxOptions {
  /** Confidential applications of the Identity Domain. Default {@link ORACLE_SANDBOX_CLIENT_ID}. */
  clients?: readonly EmulatedOAuthClient[];
  /** Basic-auth users. Default {@link ORACLE_SANDBOX_USER}. */
  users?: readonly { username: string; password: string }[];
  /** Scope (audience) API tokens must carry. Default {@link ORACLE_SANDBOX_SCOPE}. */
  scope?: string;
  /** Seed generation options. */
  seed?: OracleFusionSeedOptions;
  /** Ready data (overrides `seed`), e.g. a {@link OracleFusionSandbox.snapshot} to continue from (new ids continue after its highest). */
  data?: OracleFusionData;
  /** Default `limit` (Oracle: 25) and the largest honoured (default 500, UNCONFIRMED). */
  paging?: { defaultLimit?: number; maxLimit?: number };
  /** Throttling; off by default. */
  throttle?: OracleFusionThrottleOptions;
  /** Fault injection. */
  faults?: OracleFusionFaultOptions;
  /** Import job lifecycle. */
  importJobs?: ImportJobOptions;
  /** Access token lifetime in seconds. Default 3600. */
  tokenLifetimeSeconds?: number;
  /** Clock in epoch ms. Default `Date.now`. */
  now?: () => number;
}

/** Counters for assertions. */
export interface OracleFusionSandboxStats {
  /** Every request received. */
  requests: number;
  /** Requests to `/fscmRestApi/…`. */
  apiRequests: number;
  /** Requests to the token endpoint. */
  tokenRequests: number;
  /** Tokens issued. */
  tokensIssued: number;
  /** Requests answered 429 by the configured throttle. */
  throttled: number;
  /** Faults injected. */
  faultsInjected: number;
}

/** A running Oracle Fusion sandbox. */
export interface OracleFusionSandbox {
  /** Fetch-style handler. */
  handle(request: Request): Promise<Response>;
  /** In-process fetch wired to the handler. */
  readonly fetch: typeof fetch;
  /** Serves the sandbox on 127.0.0.1 (give the client `host` and `identityDomainUrl` = the server URL, `allowLoopback`). */
  listen(options?: { port?: number }): Promise<LoopbackServer>;
  /** Pod host to give the client (`host`). */
  readonly host: string;
  /** Identity Domain URL to give the client. */
  readonly identityDomainUrl: string;
  /** The scope API tokens must carry. */
  readonly scope: string;
  /** The record store. */
  readonly store: OracleFusionStore;
  /** The import jobs emulator. */
  readonly importJobs: ImportJobsEmulator;
  /** Fault injector (enqueue faults for the next requests). */
  readonly faults: FaultInjector;
  /** Revokes every issued token (the next API call answers 401). */
  revokeTokens(): void;
  /**
   * Changes a top-level record as a Fusion user would (new `LastUpdateDate`, new ETag): finds it by key attribute value
   * and applies `changes`. Returns the new `LastUpdateDate`.
   */
  touch(collection: string, key: number | string, changes?: Record<string, unknown>): string;
  /**
   * Changes a chart-of-accounts value (`valueSets/{valueSetCode}/child/values`, found by `Value`) as a Fusion user
   * would: new `LastUpdateDate` and ETag. Returns the new `LastUpdateDate`.
   */
  touchValue(valueSetCode: string, value: string, changes?: Record<string, unknown>): string;
  /** Counters. */
  readonly stats: OracleFusionSandboxStats;
  /**
   * Every record (created or changed through the API too, with versions) as JSON-serialisable data that the `data`
   * option loads back. Tokens and import jobs are not part of it.
   */
  snapshot(): OracleFusionData;
}

const API_PATH = /^\/fscmRestApi\/resources\/([^/]+)\/(.+?)\/?$/;
const TOKEN_PATH = '/oauth2/v1/token';

/**
 * Creates an emulator of Oracle Fusion Cloud ERP REST with its OCI IAM Identity Domain token endpoint.
 *
 * **Routes**: `POST /oauth2/v1/token` (client credentials; client secret by Basic header or form, or a signed JWT
 * client assertion); `/fscmRestApi/resources/{version}/{resource}[/{key}[/child/{child}[/{key}…]]][/action/{name}]`
 * for `suppliers`, `invoices`, `purchaseOrders`, `accountCombinationsLOV`, `valueSets`, `receivingReceiptRequests`;
 * `/erpintegrations` (importBulkData, `ESSJobStatusRF`, `ESSJobExecutionDetailsRF`).
 *
 * **Documented behaviour** (api-facts.md §4): collection shape `{items,count,hasMore,limit,offset,links}` with
 * `totalResults` on request, default page 25, `q`/`fields`/`expand`/`orderBy`/`onlyData`/`finder`, opaque hash keys for
 * invoices and POs, `REST-Framework-Version` (3+ nests children as collections), `Upsert-Mode` on invoices, item and
 * action media types. **Assumed** (UNCONFIRMED): `q` string escaping by doubling `'`, error texts and codes, top-level
 * `detail` in error bodies, 415 for other media types, `limit` clamped at 500, PO `acknowledge` parameters, throttling.
 */
export function createOracleFusionSandbox(options: OracleFusionSandboxOptions = {}): OracleFusionSandbox {
  const now = options.now ?? Date.now;
  const scope = options.scope ?? ORACLE_SANDBOX_SCOPE;
  const clients = options.clients ?? [{ clientId: ORACLE_SANDBOX_CLIENT_ID, clientSecret: ORACLE_SANDBOX_CLIENT_SECRET }];
  const users = options.users ?? [ORACLE_SANDBOX_USER];
  const store = new OracleFusionStore(options.data ?? generateOracleFusionSeed(options.seed));
  const importJobs = new ImportJobsEmulator(store, now, options.importJobs);
  const oauth = createOAuthEmulator({ flavour: 'keycloak', clients, now, audienceOf: (s) => s ?? '', tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3600 });
  const defaultLimit = options.paging?.defaultLimit ?? 25;
  const maxLimit = options.paging?.maxLimit ?? 500;
  for (const [name, v] of [['paging.defaultLimit', defaultLimit], ['paging.maxLimit', maxLimit]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new InvalidInputError(`${name} must be a positive integer; got ${v}`, { field: name });
  }
  const ctx: RouterContext = { store, now, defaultLimit, maxLimit };
  const faultOptions = options.faults ?? {};
  const isToken = (request: Request) => new URL(request.url).pathname === TOKEN_PATH;
  const faults = createFaultInjector({
    ...faultOptions,
    appliesTo: (request) => (faultOptions.includeTokenEndpoint || !isToken(request)) && (!faultOptions.appliesTo || faultOptions.appliesTo(request)),
  });
  const stats: OracleFusionSandboxStats = { requests: 0, apiRequests: 0, tokenRequests: 0, tokensIssued: 0, throttled: 0, faultsInjected: 0 };
  const windows = new Map<string, { start: number; count: number }>();

  const tokenRequest = async (request: Request): Promise<Response> => {
    stats.tokenRequests++;
    // Identity Domains take the client secret in a Basic header; core's IdP reads form fields, so move it there.
    const basic = /^Basic\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '');
    let forwarded = request;
    if (basic) {
      const decoded = Buffer.from(basic[1] as string, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const form = new URLSearchParams(await request.text());
      form.set('client_id', decodeURIComponent(decoded.slice(0, colon)));
      form.set('client_secret', decodeURIComponent(decoded.slice(colon + 1)));
      forwarded = new Request(request.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
    }
    const response = await oauth.handleTokenRequest(forwarded);
    stats.tokensIssued = oauth.issuedCount;
    return response;
  };

  const authenticate = (request: Request): string => {
    const header = request.headers.get('authorization') ?? '';
    const basic = /^Basic\s+(\S+)$/i.exec(header);
    if (basic) {
      const decoded = Buffer.from(basic[1] as string, 'base64').toString('utf8');
      const user = users.find((u) => `${u.username}:${u.password}` === decoded);
      if (!user) throw new OracleEmulatorError(401, 'Authentication failed: invalid user name or password.', undefined, { 'www-authenticate': 'Basic realm="fusion"' });
      return `basic:${user.username}`;
    }
    const check = oauth.authenticate(request, scope);
    if (!check.ok) throw new OracleEmulatorError(401, check.message, undefined, { 'www-authenticate': 'Bearer error="invalid_token"' });
    return `client:${check.clientId}`;
  };

  const throttle = (identity: string): void => {
    const t = options.throttle;
    if (!t) return;
    const windowMs = t.windowMs ?? 60_000;
    const w = windows.get(identity);
    const current = !w || now() - w.start >= windowMs ? { start: now(), count: 0 } : w;
    current.count++;
    windows.set(identity, current);
    if (current.count > t.requestsPerWindow) {
      stats.throttled++;
      throw new OracleEmulatorError(429, 'Too many requests; retry later.', undefined, { 'retry-after': String(t.retryAfterSeconds ?? 10) });
    }
  };

  const toResponse = (result: ApiResult): Response =>
    new Response(result.body === undefined ? null : JSON.stringify(result.body), { status: result.status, headers: result.headers ?? {} });

  async function api(request: Request, version: number): Promise<Response> {
    const url = new URL(request.url);
    const match = API_PATH.exec(url.pathname) as RegExpExecArray;
    const identity = authenticate(request);
    throttle(identity);
    const text = request.method === 'GET' ? '' : await request.text();
    let body: unknown;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        throw new OracleEmulatorError(400, 'The request body is not valid JSON.');
      }
    }
    const segments = (match[2] as string).split('/');
    if (segments[0] === 'erpintegrations' && segments.length === 1) {
      if (request.method === 'POST') return toResponse(importJobs.submit((body ?? {}) as Record<string, unknown>));
      if (request.method === 'GET') return toResponse(importJobs.find(url.searchParams.get('finder') ?? ''));
      throw new OracleEmulatorError(405, `The method ${request.method} is not allowed on erpintegrations.`);
    }
    const apiRequest: ApiRequest = {
      method: request.method,
      segments,
      query: url.searchParams,
      headers: request.headers,
      body,
      frameworkVersion: version,
      root: `${url.origin}/fscmRestApi/resources/${match[1]}`,
    };
    return toResponse(routeApi(ctx, apiRequest));
  }

  async function handle(request: Request): Promise<Response> {
    stats.requests++;
    const url = new URL(request.url);
    const versionHeader = request.headers.get('rest-framework-version');
    const version = versionHeader === null ? 1 : Number(versionHeader);
    const latency = faults.nextLatencyMs(request);
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    const fault = faults.nextFault(request);
    if (fault) stats.faultsInjected++;
    try {
      if (fault?.kind === 'status') {
        throw new OracleEmulatorError(fault.status, `Injected fault: HTTP ${fault.status}`, undefined, fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {});
      }
      if (fault?.kind === 'reset-before') throw new EmulatedConnectionDrop('before');
      let response: Response;
      if (url.pathname === TOKEN_PATH) {
        response = await tokenRequest(request);
      } else if (API_PATH.test(url.pathname)) {
        stats.apiRequests++;
        if (!Number.isInteger(version) || version < 1 || version > 9) throw new OracleEmulatorError(400, `REST-Framework-Version ${versionHeader} is not supported.`);
        response = await api(request, version);
      } else {
        throw new OracleEmulatorError(404, `No resource at ${url.pathname}.`);
      }
      if (fault?.kind === 'reset-after') throw new EmulatedConnectionDrop('after');
      if (fault?.kind === 'truncate') {
        const headers = new Headers(response.headers);
        headers.set(TRUNCATE_HEADER, '1');
        return new Response(await response.arrayBuffer(), { status: response.status, headers });
      }
      return response;
    } catch (error) {
      if (error instanceof OracleEmulatorError) return errorResponse(error, Number.isInteger(version) ? version : 1);
      throw error;
    }
  }

  return {
    handle,
    fetch: createInProcessFetch(handle),
    listen: (o = {}) => serveOnLoopback(handle, o),
    snapshot: () => store.snapshot(),
    host: ORACLE_SANDBOX_HOST,
    identityDomainUrl: ORACLE_SANDBOX_IDENTITY_DOMAIN,
    scope,
    store,
    importJobs,
    faults,
    revokeTokens: () => oauth.revoke(),
    touch(collection, key, changes = {}) {
      const def = RESOURCE_DEFS[collection];
      const found = def && store.collections[collection]?.find((r) => r.attrs[def.keyAttr] === key);
      if (!found) throw new InvalidInputError(`no ${collection} record with key ${String(key)}`, { field: 'key' });
      Object.assign(found.attrs, changes);
      store.touch(found, now());
      return found.attrs.LastUpdateDate as string;
    },
    touchValue(valueSetCode, value, changes = {}) {
      const set = store.collections.valueSets?.find((r) => r.attrs.ValueSetCode === valueSetCode);
      const found = set?.children.values?.find((r) => r.attrs.Value === value);
      if (!set || !found) throw new InvalidInputError(`no value ${value} in value set ${valueSetCode}`, { field: 'value' });
      Object.assign(found.attrs, changes);
      store.touch(found, now());
      return found.attrs.LastUpdateDate as string;
    },
    get stats() {
      return { ...stats };
    },
  };
}
