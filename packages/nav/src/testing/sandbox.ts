import { InvalidInputError } from '@ml-connector/core';
import {
  EmulatedConnectionDrop,
  TRUNCATE_HEADER,
  createFaultInjector,
  createInProcessFetch,
  createOAuthEmulator,
  serveOnLoopback,
  type EmulatedOAuthClient,
  type FaultInjector,
  type FaultOptions,
  type LoopbackServer,
} from '@ml-connector/core/testing';
import { NAV_PAGES, type NavPublications, type PublishedPage, publishPages } from './model.js';
import { errorResponse, routeApi } from './router.js';
import { NAV_SEED_COMPANY, type NavRecordData, type NavSeed, type NavSeedOptions, generateNavSeed } from './seed.js';
import { NavStore } from './store.js';
import { NAV_SANDBOX_COMPANY_ID, type NavWebhookDelivery, NavWebhooks } from './webhooks.js';
import { createHash } from 'node:crypto';

/** Server instance name of the emulated on-premises deployment. */
export const NAV_SANDBOX_INSTANCE = 'DynamicsNAV110';
/** User with NavUserPassword credentials; the password is a web service access key. Test-only. */
export const NAV_SANDBOX_USER = 'MLCONNECTOR';
/** Web service access key of {@link NAV_SANDBOX_USER}. Test-only; never a real credential. */
export const NAV_SANDBOX_ACCESS_KEY = 'nav-sandbox-web-service-access-key=';
/** Entra tenant of the emulated cloud / Entra-enabled deployment. */
export const NAV_SANDBOX_TENANT_ID = '7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f';
/** Environment of the emulated Business Central online deployment. */
export const NAV_SANDBOX_ENVIRONMENT = 'Production';
/** Client id registered with the emulated Entra endpoint. */
export const NAV_SANDBOX_CLIENT_ID = '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9';
/** Client secret of {@link NAV_SANDBOX_CLIENT_ID}. Test-only. */
export const NAV_SANDBOX_CLIENT_SECRET = 'nav-sandbox-client-secret';
/** Token audience of the on-premises instance registered with Entra (its app ID URI). */
export const NAV_SANDBOX_ONPREM_AUDIENCE = 'api://nav-sandbox';
/** Token audience of Business Central online. */
export const NAV_SANDBOX_CLOUD_AUDIENCE = 'https://api.businesscentral.dynamics.com';

/** Options of {@link createNavSandbox}. Everything is optional. */
export interface NavSandboxOptions {
  /** Server instance name (first path segment on-premises). Default {@link NAV_SANDBOX_INSTANCE}. */
  instance?: string;
  /** Which OData endpoints the instance serves. Default both: `/ODataV4/` and `/OData/` (older NAV versions serve only `/OData/`). */
  versions?: readonly ('v4' | 'v3')[];
  /** How each page is published (renamed services and fields, left-out pages, changed types). Default: every page under its default name. */
  pages?: NavPublications;
  /** NavUserPassword users `{ username, password }` (password = web service access key); `[]` disables Basic. */
  users?: readonly { username: string; password: string }[];
  /** Entra clients for OAuth; `[]` disables OAuth. Default {@link NAV_SANDBOX_CLIENT_ID}. */
  clients?: readonly EmulatedOAuthClient[];
  /** Max Page Size (`ODataServicesMaxPageSize`): largest page the server returns. Default 1000, NAV's default; Business Central's is 20,000. */
  maxPageSize?: number;
  /** Seed data, e.g. a {@link NavSandbox.snapshot} to continue from (number series continue after its highest numbers). */
  data?: NavSeed;
  /** Options of the generated seed. */
  seed?: NavSeedOptions;
  /**
   * General Ledger Setup's shortcut dimensions 1–8 (dimension codes). Default `['DEPARTMENT', 'PROJECT', 'AREA']`:
   * the purchase line pages' `ShortcutDimCode3` takes AREA values; 4–8 are not set up and refuse any value.
   */
  shortcutDimensions?: readonly string[];
  /**
   * Marketing Setup's "Bus. Rel. Code for Vendors". Default `VEN`: every vendor created gets a company contact and a
   * business relation (what NAV does when the code is set); `''` creates none.
   */
  vendorBusinessRelationCode?: string;
  /** Fault injection (deterministic by `faults.seed`); applies to API requests, not the token endpoint. */
  faults?: FaultOptions;
  /** Clock in epoch ms. Default `Date.now`. */
  now?: () => number;
  /** `fetch` the emulator uses for webhook handshakes and notifications. Default the global fetch. */
  webhookFetch?: typeof fetch;
}

/** Counters for assertions. */
export interface NavSandboxStats {
  /** Requests handled. */
  readonly requests: number;
  /** `$metadata` requests. */
  readonly metadataRequests: number;
  /** Requests refused 401. */
  readonly unauthorized: number;
  /** Faults injected. */
  readonly faultsInjected: number;
}

/** A running NAV emulator. */
export interface NavSandbox {
  /** Fetch-style handler (throws `EmulatedConnectionDrop` for drop faults; prefer `fetch`). */
  handle(request: Request): Promise<Response>;
  /** A `fetch` wired to the handler in-process. */
  readonly fetch: typeof fetch;
  /** Serves the emulator on 127.0.0.1. */
  listen(options?: { port?: number }): Promise<LoopbackServer>;
  /** Deployment URL of the on-premises endpoint: `{origin}/{instance}/ODataV4/Company('…')` (or `/OData/` for v3). */
  url(options?: { origin?: string; version?: 'v4' | 'v3'; company?: boolean }): string;
  /** Deployment URL of the emulated Business Central online endpoint. */
  cloudUrl(origin?: string): string;
  /** Entra token URL: `{origin}/{tenant}/oauth2/v2.0/token`. */
  tokenUrl(origin?: string): string;
  /** Company name. */
  readonly company: string;
  /** Raw store. */
  readonly store: NavStore;
  /** Plain copies of a table's records (standard field names). */
  table(name: Parameters<NavStore['snapshot']>[0]): NavRecordData[];
  /** Published pages by service name. */
  readonly pages: ReadonlyMap<string, PublishedPage>;
  /** The fault injector (`enqueue` scripts faults). */
  readonly faults: FaultInjector;
  /** Test hook: sets a purchase document's status (e.g. `Released`, so its lines refuse changes). */
  setDocumentStatus(documentType: 'Order' | 'Invoice', number: string, status: 'Open' | 'Released'): void;
  /** Test hook: changes a vendor as a NAV user would (bumps its ETag and last-modified instant). */
  touchVendor(number: string, changes: NavRecordData): void;
  /** Revokes every issued token. */
  revokeTokens(): void;
  /** API root of the emulated on-premises Business Central API (webhook subscriptions): `{origin}/{instance}/api/v2.0/`. */
  apiUrl(origin?: string): string;
  /** Company id of the emulated API. */
  readonly companyId: string;
  /** Sends queued webhook notifications now (BC waits about 30 s after the first change). */
  flushWebhooks(): Promise<void>;
  /** Webhook deliveries made so far. */
  readonly webhookDeliveries: readonly NavWebhookDelivery[];
  /** Counters. */
  readonly stats: NavSandboxStats;
  /**
   * Every table's records (written through the API or test hooks too) as JSON-serialisable {@link NavSeed}, which the
   * `data` option loads back. Each record keeps its row version (in a hidden `timestamp` field no page publishes), so
   * ETags survive a restore as NAV's survive a service restart; tokens and webhook subscriptions are not kept.
   */
  snapshot(): NavSeed;
}

const DEFAULT_ORIGIN = 'https://nav.contoso.local:7048';
const DEFAULT_CLOUD_ORIGIN = 'https://api.businesscentral.dynamics.com';

function companyPath(company: string): string {
  return `Company('${encodeURIComponent(company.replaceAll("'", "''")).replaceAll("'", '%27')}')`;
}

/**
 * Creates an emulator of a Dynamics NAV / Business Central on-premises server instance's OData web services
 * (v4 `/{instance}/ODataV4/` and v3 `/{instance}/OData/`), the Business Central online OData endpoint
 * (`/v2.0/{tenant}/{environment}/ODataV4/`) and an Entra token endpoint (`/{tenant}/oauth2/v2.0/token`).
 *
 * **Confirmed behaviour** (BCDOCS, api-facts.md §3): URL shapes with `Company('…')` and the default company
 * without it, Basic auth with a web service access key, PATCH needing `If-Match`, `$metadata` CSDL per version,
 * server-driven paging capped at `ODataServicesMaxPageSize`, v3 JSON (`odata.metadata`, `odata.nextLink`,
 * decimals as strings, `Edm.DateTime`), NAV's field naming (non-alphanumerics → `_`) and composite keys.
 * **UNCONFIRMED** (configurable or marked): error codes and exact messages (modelled on NAV's TestField and
 * TableRelation messages), `_blank_` for blank options on v4, skip token encoding (opaque), number series
 * (`106001…` orders, `107001…` invoices), the v3 error envelope text, and which pages allow writes.
 */
export function createNavSandbox(options: NavSandboxOptions = {}): NavSandbox {
  const now = options.now ?? Date.now;
  const instance = options.instance ?? NAV_SANDBOX_INSTANCE;
  if (!/^[A-Za-z0-9_-]+$/.test(instance)) throw new InvalidInputError(`instance must be a server instance name like "DynamicsNAV110", got ${JSON.stringify(instance)}`, { field: 'instance' });
  const versions = new Set(options.versions ?? ['v4', 'v3']);
  if (versions.size === 0 || [...versions].some((v) => v !== 'v4' && v !== 'v3')) {
    throw new InvalidInputError('versions must list "v4" and/or "v3"', { field: 'versions' });
  }
  const maxPageSize = options.maxPageSize ?? 1000;
  if (!Number.isInteger(maxPageSize) || maxPageSize < 1) throw new InvalidInputError('maxPageSize must be a whole number >= 1', { field: 'maxPageSize' });
  const pages = publishPages(options.pages);
  const store = new NavStore(options.data ?? generateNavSeed(options.seed), now, {
    ...(options.shortcutDimensions ? { shortcutDimensions: options.shortcutDimensions } : {}),
    ...(options.vendorBusinessRelationCode !== undefined ? { vendorBusinessRelationCode: options.vendorBusinessRelationCode } : {}),
  });
  const users = options.users ?? [{ username: NAV_SANDBOX_USER, password: NAV_SANDBOX_ACCESS_KEY }];
  const clients = options.clients ?? [{ clientId: NAV_SANDBOX_CLIENT_ID, clientSecret: NAV_SANDBOX_CLIENT_SECRET }];
  const oauth = createOAuthEmulator({ clients, flavour: 'entra', now });
  const faults = createFaultInjector(options.faults ?? {});
  const company = NAV_SEED_COMPANY;
  const stats = { requests: 0, metadataRequests: 0, unauthorized: 0, faultsInjected: 0 };
  const settings = { pages, store, company, maxPageSize };
  const webhooks = new NavWebhooks(options.webhookFetch ?? ((input, init) => fetch(input, init)), now);
  store.onChange((table, changeType, data) => {
    const key = store.keysOf(table).map((k) => String(data[k])).join(',');
    // BC's API addresses records by a SystemId GUID; derive a stable one from the table and key.
    const hex = createHash('sha1').update(`${table}:${key}`).digest('hex');
    webhooks.record(table, changeType, `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`);
  });

  const authenticate = (request: Request, cloud: boolean): boolean => {
    const header = request.headers.get('authorization') ?? '';
    if (header.startsWith('Basic ') && !cloud && users.length > 0) {
      const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const [username, password] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
      // NAV user names are case-insensitive; access keys are not.
      return users.some((u) => u.username.toUpperCase() === username.toUpperCase() && u.password === password);
    }
    if (header.startsWith('Bearer ') && clients.length > 0) {
      return oauth.authenticate(request, cloud ? NAV_SANDBOX_CLOUD_AUDIENCE : NAV_SANDBOX_ONPREM_AUDIENCE).ok;
    }
    return false;
  };

  const handle = async (request: Request): Promise<Response> => {
    stats.requests += 1;
    const url = new URL(request.url);
    const segments = url.pathname.split('/').filter((s) => s !== '');
    if (request.method === 'POST' && segments.length === 4 && segments[1] === 'oauth2' && segments[3] === 'token') {
      if (clients.length === 0) return new Response('Not Found', { status: 404 });
      return oauth.handleTokenRequest(request);
    }
    if (segments[0] === instance && segments[1] === 'api' && segments[2] === 'v2.0') {
      if (!authenticate(request, false)) {
        stats.unauthorized += 1;
        return errorResponse('v4', 401, 'Authentication_InvalidCredentials', 'The server has rejected the client credentials.', { 'WWW-Authenticate': 'Basic realm=""' });
      }
      const text = request.method === 'GET' || request.method === 'DELETE' ? '' : await request.text();
      let body: unknown;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        return errorResponse('v4', 400, 'BadRequest', 'The request body is not valid JSON.');
      }
      return webhooks.handle(request, segments.slice(3).map((s) => decodeURIComponent(s)).join('/'), body);
    }
    const odataIndex = segments.findIndex((s) => s === 'ODataV4' || s === 'OData');
    const version = segments[odataIndex] === 'OData' ? 'v3' : 'v4';
    const before = segments.slice(0, odataIndex);
    const cloud = before[0] === 'v2.0' && (before.length === 3 || before.length === 2);
    const onPrem = before.length === 1 && before[0] === instance;
    if (odataIndex < 0 || !(cloud || onPrem) || !versions.has(version) || (cloud && version === 'v3')) {
      return new Response('<html><body>The requested service could not be found.</body></html>', { status: 404, headers: { 'content-type': 'text/html' } });
    }
    if (!authenticate(request, cloud)) {
      stats.unauthorized += 1;
      const challenges = [...(users.length > 0 && !cloud ? ['Basic realm=""'] : []), ...(clients.length > 0 ? [`Bearer authorization_uri="https://login.microsoftonline.com/${NAV_SANDBOX_TENANT_ID}/oauth2/authorize"`] : [])];
      return errorResponse(version, 401, 'Authentication_InvalidCredentials', 'The server has rejected the client credentials.', { 'WWW-Authenticate': challenges.join(', ') });
    }
    const fault = faults.nextFault(request);
    if (fault) stats.faultsInjected += 1;
    if (fault?.kind === 'status') {
      return errorResponse(version, fault.status, fault.status === 429 ? 'Application_TooManyRequests' : 'Internal_ServerError', 'Injected fault.', fault.retryAfterSeconds !== undefined ? { 'Retry-After': String(fault.retryAfterSeconds) } : {});
    }
    if (fault?.kind === 'reset-before') throw new EmulatedConnectionDrop('before');
    const latency = faults.nextLatencyMs(request);
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));

    const rest = segments.slice(odataIndex + 1).map((s) => decodeURIComponent(s));
    let companyName: string | undefined;
    const companyMatch = /^Company\('((?:[^']|'')*)'\)$/.exec(rest[0] ?? '');
    if (companyMatch) {
      companyName = (companyMatch[1] ?? '').replaceAll("''", "'");
      rest.shift();
    }
    const path = rest.join('/');
    if (path === '$metadata') stats.metadataRequests += 1;
    const serviceRoot = `${url.origin}/${segments.slice(0, odataIndex + 1).join('/')}/`;
    let body: unknown;
    const text = request.method === 'GET' || request.method === 'DELETE' ? '' : await request.text();
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        return errorResponse(version, 400, 'BadRequest', 'The request body is not valid JSON.');
      }
    }
    const response = routeApi(settings, { version, serviceRoot, company: companyName, path, request }, body);
    if (fault?.kind === 'reset-after') throw new EmulatedConnectionDrop('after');
    if (fault?.kind === 'truncate') {
      const headers = new Headers(response.headers);
      headers.set(TRUNCATE_HEADER, '1');
      return new Response(response.body, { status: response.status, headers });
    }
    return response;
  };

  const url: NavSandbox['url'] = ({ origin = DEFAULT_ORIGIN, version = 'v4', company: withCompany = true } = {}) =>
    `${origin}/${instance}/${version === 'v4' ? 'ODataV4' : 'OData'}/${withCompany ? companyPath(company) : ''}`;

  return {
    handle,
    fetch: createInProcessFetch(handle),
    listen: (listenOptions = {}) => serveOnLoopback(handle, listenOptions),
    snapshot: () => store.snapshotAll(),
    url,
    cloudUrl: (origin = DEFAULT_CLOUD_ORIGIN) => `${origin}/v2.0/${NAV_SANDBOX_TENANT_ID}/${NAV_SANDBOX_ENVIRONMENT}/ODataV4/${companyPath(company)}`,
    tokenUrl: (origin = 'https://login.microsoftonline.com') => `${origin}/${NAV_SANDBOX_TENANT_ID}/oauth2/v2.0/token`,
    company,
    store,
    table: (name) => store.snapshot(name),
    pages,
    faults,
    setDocumentStatus(documentType, number, status) {
      const record = store.find('PurchaseHeader', { Document_Type: documentType, No: number });
      if (!record) throw new InvalidInputError(`No ${documentType} ${number} in the sandbox`, { field: 'number' });
      record.data['Status'] = status;
      record.version = store.nextRowVersion();
    },
    touchVendor(number, changes) {
      const record = store.find('Vendor', { No: number });
      if (!record) throw new InvalidInputError(`No vendor ${number} in the sandbox`, { field: 'number' });
      store.modify(NAV_PAGES.vendorCard, record, changes);
    },
    revokeTokens: () => oauth.revoke(),
    apiUrl: (origin = DEFAULT_ORIGIN) => `${origin}/${instance}/api/v2.0/`,
    companyId: NAV_SANDBOX_COMPANY_ID,
    flushWebhooks: () => webhooks.flush(),
    webhookDeliveries: webhooks.deliveries,
    stats,
  };
}
