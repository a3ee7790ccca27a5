import { InvalidInputError } from '@ml-connector/core';
import {
  EmulatedConnectionDrop,
  TRUNCATE_HEADER,
  createFaultInjector,
  createInProcessFetch,
  createOAuthEmulator,
  createSeededRandom,
  serveOnLoopback,
  type EmulatedOAuthClient,
  type Fault,
  type FaultInjector,
  type FaultOptions,
  type LoopbackServer,
} from '@ml-connector/core/testing';
import { BC_ERROR_CODES, BcEmulatorError, JSON_HEADERS, errorBody, errorResponse, bcErrors } from './errors.js';
import { handleBatch } from './batch.js';
import { LimitTracker, type BusinessCentralLimits, type ResolvedLimits } from './limits.js';
import { ENTITY_DEFS, type EntitySetName } from './model.js';
import { DEFAULT_FILTER_RULES, type FilterRules } from './odata.js';
import { routeApi, webhookSupportedResources, type ApiRequest, type ApiResult, type RouterContext } from './router.js';
import { generateBusinessCentralSeed, type BusinessCentralSeed, type BusinessCentralSeedOptions } from './seed.js';
import { BusinessCentralService } from './service.js';
import { BusinessCentralStore, type TableView } from './store.js';
import { WebhookManager, type WebhookDelivery } from './webhooks.js';

/** Default Entra tenant id of the sandbox. */
export const SANDBOX_TENANT_ID = '4f1c2b8e-6a0d-4c3e-9b7a-2d5e8f1a3c6b';
/** Default environment name of the sandbox. */
export const SANDBOX_ENVIRONMENT = 'sandbox';
/** Client id registered by default (client-credentials with {@link SANDBOX_CLIENT_SECRET}). */
export const SANDBOX_CLIENT_ID = '2d9a6c1e-8b3f-4e7a-a5c2-9f0e1b4d7a38';
/** Client secret of {@link SANDBOX_CLIENT_ID}. Test-only; never a real credential. */
export const SANDBOX_CLIENT_SECRET = 'bc-sandbox-client-secret';
/** Token audience BC expects (`aud`), from scope `https://api.businesscentral.dynamics.com/.default`. */
export const BC_AUDIENCE = 'https://api.businesscentral.dynamics.com';
/** Scope a client requests for BC. */
export const BC_SCOPE = `${BC_AUDIENCE}/.default`;

/** Fault settings of the sandbox: `FaultOptions` of `@ml-connector/core/testing` plus BC-specific knobs. */
export interface BusinessCentralFaultOptions extends FaultOptions {
  /** Also apply faults to the token endpoint. Default `false`. */
  includeTokenEndpoint?: boolean;
  /** Probability per API request of revoking every issued token just before authenticating it. */
  tokenRevocationRate?: number;
}

/** Options of {@link createBusinessCentralSandbox}. Everything is optional. */
export interface BusinessCentralSandboxOptions {
  /** Entra tenant id (first path segment of the token URL and of API URLs). Default {@link SANDBOX_TENANT_ID}. */
  tenantId?: string;
  /** Environment name. Default `sandbox`. */
  environment?: string;
  /** Seed of the generated data (and of nothing else). Default `1`. */
  seed?: number | string;
  /** Sizes of the generated data. Defaults: 20 vendors, 30 invoices, 10 purchase orders. */
  size?: Omit<BusinessCentralSeedOptions, 'seed'>;
  /**
   * Pre-generated seed data (e.g. reuse one 100k seed across tests), or a {@link BusinessCentralSandbox.snapshot}
   * to continue from; overrides `seed`/`size`.
   */
  data?: BusinessCentralSeed;
  /** Registered clients. Default: {@link SANDBOX_CLIENT_ID} / {@link SANDBOX_CLIENT_SECRET}. */
  clients?: readonly EmulatedOAuthClient[];
  /** Service-protection limits and paging/batch sizes. */
  limits?: BusinessCentralLimits;
  /** Fault injection (deterministic by `faults.seed`). */
  faults?: BusinessCentralFaultOptions;
  /** Clock in epoch ms. Default `Date.now` (so vitest fake timers move it). */
  now?: () => number;
  /** Debounce of webhook notifications in ms. Default 30000 (BC sends ~30 s after the first change). */
  webhookDebounceMs?: number;
  /** Token lifetime in seconds. Default: Entra-like random 3600–5400. */
  tokenLifetimeSeconds?: number;
  /**
   * What `$filter=field in (…)` does: `'ignore'` (default: the term matches every row, as BC API v2.0 is reported
   * to do), `'reject'` (400 with BC's error envelope) or `'support'`. See `FilterRules`.
   */
  filterInOperator?: FilterRules['inOperator'];
}

/** Counters for assertions and benchmarks. */
export interface BusinessCentralSandboxStats {
  /** Requests handled (all routes). */
  readonly requests: number;
  /** API requests that reached processing. */
  readonly apiRequests: number;
  /** Token endpoint requests. */
  readonly tokenRequests: number;
  /** Tokens issued. */
  readonly tokensIssued: number;
  /** Highest number of API requests processed at the same time. */
  readonly maxConcurrency: number;
  /** Requests answered 429 by the limits (not by injected faults). */
  readonly throttled: number;
  /** Faults injected (status, reset, truncate). */
  readonly faultsInjected: number;
}

/** Read-only views of the emulated tables for test assertions (API shape, default order). */
export type BusinessCentralDb = Readonly<Record<EntitySetName, TableView>>;

/** A running Business Central sandbox. See {@link createBusinessCentralSandbox}. */
export interface BusinessCentralSandbox {
  /** Fetch-style handler. Emulated connection drops are thrown as `EmulatedConnectionDrop`; prefer {@link BusinessCentralSandbox.fetch | fetch}. */
  handle(request: Request): Promise<Response>;
  /** A `fetch` wired to the handler in-process (drops reject like undici, truncation errors the body). */
  readonly fetch: typeof fetch;
  /** Serves the sandbox over HTTP on 127.0.0.1 (free port unless given). */
  listen(options?: { port?: number }): Promise<LoopbackServer>;
  /** API service root for a server origin: `{origin}/v2.0/{tenant}/{environment}/api/v2.0`. */
  baseUrl(serverUrl?: string): string;
  /** Token endpoint for a server origin: `{origin}/{tenant}/oauth2/v2.0/token`. */
  tokenUrl(serverUrl?: string): string;
  /** Tenant id (path segment of token and API URLs). */
  readonly tenantId: string;
  /** Environment name. */
  readonly environment: string;
  /** Id of the seeded company "CRONUS USA, Inc.". */
  readonly companyId: string;
  /** Raw store (records include `$` internals). */
  readonly store: BusinessCentralStore;
  /** Serialised table views for assertions. */
  readonly db: BusinessCentralDb;
  /** The fault injector (use `enqueue` to script faults). */
  readonly faults: FaultInjector;
  /** Revokes every token issued so far (next API call answers 401). */
  revokeTokens(): void;
  /** Test hook: marks an Open (posted) purchase invoice as Paid, as a payment would. */
  markPaid(invoiceId: string): void;
  /** Test hook: blocks or unblocks a G/L account (e.g. to make posting fail). */
  setAccountBlocked(accountNumber: string, blocked: boolean): void;
  /** Sends pending webhook notifications now and waits for delivery. */
  flushWebhooks(): Promise<void>;
  /** Notification POSTs made so far. */
  readonly webhookDeliveries: readonly WebhookDelivery[];
  /** Counters. */
  readonly stats: BusinessCentralSandboxStats;
  /**
   * The current data as JSON-serialisable seed data: every record (created through the API too, with posted and
   * paid states), row versions and number series. Pass it back as `data` to continue where this sandbox left off.
   * Tokens, limits, pending webhook notifications and counters are not part of it.
   */
  snapshot(): BusinessCentralSeed;
  /** Stops webhook timers. */
  close(): void;
}

const DEFAULT_ORIGIN_API = 'https://api.businesscentral.dynamics.com';
const DEFAULT_ORIGIN_LOGIN = 'https://login.microsoftonline.com';

function positiveInt(name: string, value: number | undefined, fallback: number, min = 1): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min) throw new InvalidInputError(`${name} must be an integer >= ${min}, got ${value}`, { field: name });
  return v;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Creates an emulator of the Microsoft Dynamics 365 Business Central online API v2.0 and its Microsoft Entra ID
 * token endpoint, as a fetch-style handler (in-process) or a loopback HTTP server.
 *
 * **Routes** (relative to any origin; in-process the real hosts work, e.g. `https://api.businesscentral.dynamics.com`):
 * - `POST /{tenantId}/oauth2/v2.0/token` — client credentials with `client_secret` or a certificate
 *   `client_assertion` (RS256/`x5t` or PS256/`x5t#S256`); scope `https://api.businesscentral.dynamics.com/.default`.
 * - `/v2.0/{tenantId}/{environment}/api/v2.0/…` and the tenant-less `/v2.0/{environment}/api/v2.0/…`:
 *   `companies`, `companies({id})/vendors|accounts|dimensions|dimensions({id})/dimensionValues|dimensionValues|
 *   purchaseInvoices|purchaseInvoices({id})/purchaseInvoiceLines|purchaseInvoiceLines|purchaseOrders|
 *   purchaseOrders({id})/purchaseOrderLines|purchaseOrderLines|currencies|items|taxGroups|paymentTerms|
 *   paymentMethods|unitsOfMeasure`, `vendors({id})/defaultDimensions`, `…({id})/dimensionSetLines` on documents
 *   and lines, `purchaseInvoices({id})/attachments|documentAttachments` (with `…({id})/attachmentContent`),
 *   `purchaseInvoices({id})/pdfDocument` (with `…({id})/pdfDocumentContent`),
 *   `…/purchaseInvoices({id})/Microsoft.NAV.post` (204), `subscriptions`, `subscriptions('{id}')`,
 *   `$batch`; entity sets also work without `companies({id})` when `?company={id}` or a `Company` header is sent.
 * - `/v2.0/[{tenantId}/]{environment}/api/microsoft/runtime/beta/companies({id})/webhookSupportedResources`.
 *
 * **Defaults**: tenant {@link SANDBOX_TENANT_ID}, environment `sandbox`, client {@link SANDBOX_CLIENT_ID} /
 * {@link SANDBOX_CLIENT_SECRET}, seed 1 describing the JAGGAER sandbox's company (vendor numbers V00001–V00025
 * without the unmapped V00025, 30 invoices, 20 purchase orders; see `generateBusinessCentralSeed`); limits 6000 requests
 * per 300000 ms sliding window, 5 concurrent + 95 queued per client id, page size 20000, 100 batch operations,
 * 200 subscriptions; `$filter` of at most 100 OData nodes (`MaxNodeCount`), its `in` operator ignored; query
 * strings over 2048 characters answered 404.15 and request targets over 16384 answered 414 (IIS / http.sys
 * defaults, UNCONFIRMED for BC online); webhook debounce 30000 ms; no faults.
 *
 * **Confirmed** (BCDOCS, see api-facts.md §2 and comments in `errors.ts`): URLs, entity fields, 201 + entity on
 * create, `Microsoft.NAV.post` → 204 keeping the id, PATCH needs `If-Match` (missing → 400
 * `BadRequest_InvalidToken`, stale → 412 `Request_EntityChanged`), read-only entity sets → 405
 * `BadRequest_MethodNotAllowed`, 401 `Authentication_InvalidCredentials`, server-driven paging with
 * `odata.maxpagesize` and `$skiptoken`, JSON `$batch` with `Isolation: snapshot`, limits, webhook handshake,
 * expiry, debounce, retry/deletion rules and the webhook-enabled entity list. From the AL source (microsoft/BCApps,
 * `AL_MESSAGES`): encoded enum members (`In_x0020_Review`), the purchase invoice (line) page rules and messages,
 * vendor default dimensions copied onto documents, dimension set line collisions, non-editable fields, currency
 * validation, lines inheriting the header's dimension set on insert (`Purchase Line`.`CreateDim`), header shortcut
 * dimensions set or cleared before lines exist and pushed onto existing lines on PATCH (`UpdateAllLineDim`),
 * `webhookSupportedResources` as page 5460 builds it, and posting committing inside a snapshot batch.
 * **Assumed** (UNCONFIRMED): `Retry-After` on 429, exact wording of several messages, counting `$batch`
 * operations toward the request window (`limits.countBatchOperations`, default on), filters needing the encoded
 * enum form, header shortcut dimensions validated after the vendor whatever the body's property order (page field
 * order), no default dimensions of the user's purchaser or of G/L accounts (none seeded), no `pdfDocument` entry for drafts, writes to
 * the setup tables and items answered 405 (BC allows them), skiptoken encoding (opaque), zero sales tax on purchase lines, due date = invoice date + 30 days,
 * document numbers `PI-…` (draft), `PPI-…` (posted), `PO-…`, and the `webhookSupportedResources` body shape.
 */
export function createBusinessCentralSandbox(options: BusinessCentralSandboxOptions = {}): BusinessCentralSandbox {
  const now = options.now ?? Date.now;
  const tenantId = options.tenantId ?? SANDBOX_TENANT_ID;
  const environment = options.environment ?? SANDBOX_ENVIRONMENT;
  if (!/^[\w.-]+$/.test(tenantId)) throw new InvalidInputError(`tenantId must be a GUID or domain name, got "${tenantId}"`, { field: 'tenantId' });
  if (!/^[\w-]+$/.test(environment)) throw new InvalidInputError(`environment must be a simple name like "sandbox", got "${environment}"`, { field: 'environment' });
  const l = options.limits ?? {};
  const limits: ResolvedLimits = {
    requestsPerWindow: positiveInt('limits.requestsPerWindow', l.requestsPerWindow, 6000),
    windowMs: positiveInt('limits.windowMs', l.windowMs, 300_000),
    maxConcurrent: positiveInt('limits.maxConcurrent', l.maxConcurrent, 5),
    maxQueued: positiveInt('limits.maxQueued', l.maxQueued, 95, 0),
    maxPageSize: positiveInt('limits.maxPageSize', l.maxPageSize, 20_000),
    maxBatchOperations: positiveInt('limits.maxBatchOperations', l.maxBatchOperations, 100),
    maxSubscriptions: positiveInt('limits.maxSubscriptions', l.maxSubscriptions, 200),
    countBatchOperations: l.countBatchOperations ?? true,
    maxQueryStringLength: positiveInt('limits.maxQueryStringLength', l.maxQueryStringLength, 2048),
    maxUrlLength: positiveInt('limits.maxUrlLength', l.maxUrlLength, 16_384),
    maxFilterNodes: positiveInt('limits.maxFilterNodes', l.maxFilterNodes, 100),
  };
  const inOperator = options.filterInOperator ?? DEFAULT_FILTER_RULES.inOperator;
  if (!['ignore', 'reject', 'support'].includes(inOperator)) {
    throw new InvalidInputError(`filterInOperator must be "ignore", "reject" or "support", got ${JSON.stringify(inOperator)}`, { field: 'filterInOperator' });
  }
  const debounceMs = positiveInt('webhookDebounceMs', options.webhookDebounceMs, 30_000, 0);
  if (options.tokenLifetimeSeconds !== undefined) positiveInt('tokenLifetimeSeconds', options.tokenLifetimeSeconds, 3600);
  const clients = options.clients ?? [{ clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET }];
  if (clients.length === 0) throw new InvalidInputError('clients must list at least one client', { field: 'clients' });

  const seed = options.data ?? generateBusinessCentralSeed({ seed: options.seed ?? 1, ...(options.size ?? {}) });
  const store = new BusinessCentralStore(seed, now);
  const service = new BusinessCentralService(store, now);
  const webhooks = new WebhookManager(store, now, debounceMs, limits.maxSubscriptions);
  const limiter = new LimitTracker(limits, now);
  const lifetimeRandom = createSeededRandom(`${String(options.seed ?? 1)}/tokens`);
  const oauth = createOAuthEmulator({
    flavour: 'entra',
    clients,
    now,
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? (() => lifetimeRandom.int(3600, 5400)),
  });
  const faultOptions = options.faults ?? {};
  const isTokenPath = (request: Request) => /\/oauth2\/v2\.0\/token$/.test(new URL(request.url).pathname);
  const faults = createFaultInjector({
    ...faultOptions,
    appliesTo: (request) =>
      (faultOptions.includeTokenEndpoint || !isTokenPath(request)) && (!faultOptions.appliesTo || faultOptions.appliesTo(request)),
  });
  const revocationRate = faultOptions.tokenRevocationRate ?? 0;
  if (!(revocationRate >= 0 && revocationRate <= 1)) {
    throw new InvalidInputError(`faults.tokenRevocationRate must be a probability between 0 and 1, got ${revocationRate}`, { field: 'faults.tokenRevocationRate' });
  }
  const revocationRandom = createSeededRandom(`${String(faultOptions.seed ?? 1)}/revocation`);
  const ctx: RouterContext = { store, service, webhooks, limits, filterRules: { inOperator, maxNodes: limits.maxFilterNodes } };
  const companyId = seed.company.id as string;
  const counters = { requests: 0, apiRequests: 0, tokenRequests: 0, throttled: 0, faultsInjected: 0 };

  const toResponse = (result: ApiResult): Response =>
    new Response(result.raw ? (result.raw as Uint8Array<ArrayBuffer>) : result.body === undefined || result.status === 204 ? null : JSON.stringify(result.body), {
      status: result.status,
      headers: result.headers,
    });

  const route = async (request: ApiRequest): Promise<ApiResult> => {
    if (request.segments[0] === '$batch') {
      return handleBatch(request, store, limits.maxBatchOperations, innerUrl, (inner) => routeApi(ctx, inner));
    }
    return routeApi(ctx, request);
  };

  /** Inner batch URLs: relative to the service root, an absolute path, or an absolute URL. */
  const innerUrl = (url: string): Pick<ApiRequest, 'segments' | 'query'> => {
    if (/^https?:\/\//i.test(url) || url.startsWith('/')) {
      const parsed = new URL(url, DEFAULT_ORIGIN_API);
      const parts = parsed.pathname.split('/').filter(Boolean);
      const at = parts.findIndex((p, i) => p === 'api' && parts[i + 1] === 'v2.0');
      if (at < 0) throw bcErrors.badRequest(`The batch request URL '${url}' is not a v2.0 API URL`);
      return { segments: parts.slice(at + 2), query: parsed.searchParams };
    }
    const [path = '', query = ''] = url.split('?');
    return { segments: path.split('/').filter(Boolean), query: new URLSearchParams(query) };
  };

  const unauthorized = (description: string): Response =>
    new Response(JSON.stringify(errorBody(BC_ERROR_CODES.invalidCredentials, 'The server has rejected the client credentials')), {
      status: 401,
      headers: {
        ...JSON_HEADERS,
        'www-authenticate': `Bearer authorization_uri="${DEFAULT_ORIGIN_LOGIN}/${tenantId}/oauth2/authorize", resource_id="${BC_AUDIENCE}", error="invalid_token", error_description="${description}"`,
      },
    });

  const faultResponse = (fault: Extract<Fault, { kind: 'status' }>): Response => {
    const code =
      fault.status === 429
        ? BC_ERROR_CODES.tooManyRequests
        : fault.status === 503
          ? BC_ERROR_CODES.serviceUnavailable
          : fault.status === 408 || fault.status === 504
            ? BC_ERROR_CODES.timeout
            : fault.status >= 500
              ? BC_ERROR_CODES.serverError
              : BC_ERROR_CODES.badRequest;
    const headers: Record<string, string> = fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {};
    return errorResponse(new BcEmulatorError(fault.status, code, `Injected fault: HTTP ${fault.status}`, headers));
  };

  async function withFaults(request: Request, work: () => Promise<Response>): Promise<Response> {
    const latency = faults.nextLatencyMs(request);
    if (latency > 0) await sleep(latency);
    const fault = faults.nextFault(request);
    if (fault) counters.faultsInjected++;
    if (fault?.kind === 'status') return faultResponse(fault);
    if (fault?.kind === 'reset-before') throw new EmulatedConnectionDrop('before');
    const response = await work();
    if (fault?.kind === 'reset-after') {
      await response.arrayBuffer().catch(() => undefined);
      throw new EmulatedConnectionDrop('after');
    }
    if (fault?.kind === 'truncate') response.headers.set(TRUNCATE_HEADER, '1');
    return response;
  }

  /** IIS request filtering (404.15) and http.sys (414) answer before BC sees the request; UNCONFIRMED limits. */
  function urlTooLong(url: URL): Response | undefined {
    const query = url.search.length > 0 ? url.search.length - 1 : 0;
    if (url.pathname.length + url.search.length > limits.maxUrlLength) {
      return new Response('<html><body><h2>Bad Request - Request URL Too Long</h2><hr><p>HTTP Error 414. The request URL is too long.</p></body></html>', {
        status: 414,
        headers: { 'content-type': 'text/html; charset=us-ascii' },
      });
    }
    if (query > limits.maxQueryStringLength) {
      return new Response(
        '<html><body><h3>HTTP Error 404.15 - Not Found</h3><h4>The request filtering module is configured to deny a request where the query string is too long.</h4></body></html>',
        { status: 404, headers: { 'content-type': 'text/html' } },
      );
    }
    return undefined;
  }

  async function readBody(request: Request, binary: boolean): Promise<unknown> {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'DELETE') return undefined;
    // Attachment content is a stream property: the body is the file's bytes, not JSON.
    if (binary) return new Uint8Array(await request.arrayBuffer());
    const text = await request.text();
    if (text.trim() === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw bcErrors.badRequest('Invalid Request Body');
    }
  }

  async function handle(request: Request): Promise<Response> {
    counters.requests++;
    const url = new URL(request.url);
    const parts = url.pathname.split('/').filter(Boolean);

    // Entra ID token endpoint.
    if (parts.length === 4 && parts[1] === 'oauth2' && parts[2] === 'v2.0' && parts[3] === 'token') {
      counters.tokenRequests++;
      if ((parts[0] as string).toLowerCase() !== tenantId.toLowerCase()) {
        return new Response(
          JSON.stringify({ error: 'invalid_request', error_description: `AADSTS90002: Tenant '${parts[0] as string}' not found.`, error_codes: [90002] }),
          { status: 400, headers: { 'content-type': 'application/json' } },
        );
      }
      return withFaults(request, () => oauth.handleTokenRequest(request));
    }

    const tooLong = urlTooLong(url);
    if (tooLong) return tooLong;

    // API: /v2.0/{tenant}/{env}/api/... or /v2.0/{env}/api/...
    const apiAt = parts[0] === 'v2.0' ? parts.indexOf('api') : -1;
    if (apiAt !== 2 && apiAt !== 3) return errorResponse(bcErrors.segmentNotFound(parts[0] ?? ''));
    const tenantSegment = apiAt === 3 ? (parts[1] as string) : undefined;
    const envSegment = parts[apiAt - 1] as string;
    if ((tenantSegment !== undefined && tenantSegment.toLowerCase() !== tenantId.toLowerCase()) || envSegment !== environment) {
      return errorResponse(new BcEmulatorError(404, BC_ERROR_CODES.resourceNotFound, `The environment '${envSegment}' does not exist in tenant '${tenantSegment ?? tenantId}'`));
    }
    const prefix = `${url.origin}/v2.0/${tenantSegment ? `${tenantSegment}/` : ''}${envSegment}`;

    if (revocationRate > 0 && revocationRandom.chance(revocationRate)) oauth.revoke();
    const auth = oauth.authenticate(request, BC_AUDIENCE);
    if (!auth.ok) return unauthorized(auth.message);

    let release: () => void;
    try {
      release = await limiter.acquire(auth.clientId);
    } catch (error) {
      counters.throttled++;
      return errorResponse(error as BcEmulatorError);
    }
    try {
      return await withFaults(request, async () => {
        counters.apiRequests++;
        try {
          const rest = parts.slice(apiAt + 1);
          if (rest[0] === 'microsoft' && rest[1] === 'runtime' && rest[2] === 'beta') {
            const m = /^companies\(([^)]+)\)$/.exec(decodeURIComponent(rest[3] ?? ''));
            if (!m || rest[4] !== 'webhookSupportedResources' || rest.length !== 5) throw bcErrors.segmentNotFound(rest.slice(3).join('/'));
            if (request.method !== 'GET') throw bcErrors.methodNotAllowed(request.method, 'webhookSupportedResources');
            return toResponse(webhookSupportedResources(ctx, m[1] as string, `${prefix}/api/v2.0`));
          }
          if (rest[0] !== 'v2.0') throw bcErrors.segmentNotFound(rest[0] ?? 'api');
          const body = await readBody(request, rest.at(-1) === 'attachmentContent');
          if (rest[1] === '$batch' && limits.countBatchOperations) {
            const inner = (body as { requests?: unknown } | undefined)?.requests;
            if (Array.isArray(inner)) {
              try {
                limiter.charge(auth.clientId, inner.length - 1);
              } catch (error) {
                counters.throttled++;
                throw error;
              }
            }
          }
          const result = await route({
            method: request.method,
            segments: rest.slice(1),
            query: url.searchParams,
            headers: request.headers,
            body,
            serviceRoot: `${prefix}/api/v2.0`,
            clientId: auth.clientId,
          });
          return toResponse(result);
        } catch (error) {
          if (error instanceof BcEmulatorError) return errorResponse(error);
          return errorResponse(new BcEmulatorError(500, BC_ERROR_CODES.serverError, `Emulator failure: ${error instanceof Error ? error.message : String(error)}`));
        }
      });
    } finally {
      release();
    }
  }

  const view = (set: EntitySetName): TableView => ({
    get size() {
      return store.tables[set].size;
    },
    get: (id) => {
      const record = store.get(set, id);
      return record ? stripEtag(service.serialize(ENTITY_DEFS[set], record)) : undefined;
    },
    all: () => store.sorted(set).map((r) => stripEtag(service.serialize(ENTITY_DEFS[set], r))),
  });
  const db = Object.fromEntries((Object.keys(ENTITY_DEFS) as EntitySetName[]).map((set) => [set, view(set)])) as BusinessCentralDb;

  return {
    handle,
    fetch: createInProcessFetch(handle),
    listen: (listenOptions = {}) => serveOnLoopback(handle, listenOptions.port === undefined ? {} : { port: listenOptions.port }),
    baseUrl: (serverUrl = DEFAULT_ORIGIN_API) => `${serverUrl.replace(/\/$/, '')}/v2.0/${tenantId}/${environment}/api/v2.0`,
    tokenUrl: (serverUrl = DEFAULT_ORIGIN_LOGIN) => `${serverUrl.replace(/\/$/, '')}/${tenantId}/oauth2/v2.0/token`,
    tenantId,
    environment,
    companyId,
    store,
    db,
    faults,
    revokeTokens: () => oauth.revoke(),
    markPaid(invoiceId) {
      const invoice = store.get('purchaseInvoices', invoiceId);
      if (!invoice) throw new InvalidInputError(`No purchase invoice with id ${invoiceId}`, { field: 'invoiceId' });
      if (invoice.status !== 'Open') {
        throw new InvalidInputError(`Only Open (posted) invoices can be marked Paid; ${invoiceId} is ${String(invoice.status)}. Post it first.`, { field: 'invoiceId' });
      }
      service.markPaid(invoice);
    },
    setAccountBlocked(accountNumber, blocked) {
      const account = [...store.tables.accounts.values()].find((a) => a.number === accountNumber);
      if (!account) throw new InvalidInputError(`No G/L account ${accountNumber}`, { field: 'accountNumber' });
      store.update('accounts', account.id as string, { blocked });
    },
    flushWebhooks: () => webhooks.flush(),
    get webhookDeliveries() {
      return webhooks.deliveries;
    },
    get stats(): BusinessCentralSandboxStats {
      return { ...counters, tokensIssued: oauth.issuedCount, maxConcurrency: limiter.maxConcurrencySeen };
    },
    snapshot: () => store.snapshot(),
    close: () => webhooks.close(),
  };
}

function stripEtag(row: Record<string, unknown>): Record<string, unknown> {
  const { '@odata.etag': _etag, ...rest } = row;
  return rest;
}
