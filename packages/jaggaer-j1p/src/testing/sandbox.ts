import { InvalidInputError } from '@ml-connector/core';
import {
  createFaultInjector,
  createInProcessFetch,
  createOAuthEmulator,
  createSeededRandom,
  EmulatedConnectionDrop,
  serveOnLoopback,
  TRUNCATE_HEADER,
  type EmulatedOAuthClient,
  type Fault,
  type FaultOptions,
  type FetchHandler,
  type LoopbackServer,
} from '@ml-connector/core/testing';
import type { JaggaerCatalogItem } from './catalog.js';
import { jaggaerError, jsonResponse } from './errors.js';
import { createRequestLimiter, resolveLimits, type JaggaerLimits } from './limits.js';
import type {
  CodingSegment,
  JaggaerCodingValue,
  JaggaerInvoice,
  JaggaerPurchaseOrder,
  JaggaerSeed,
  JaggaerSupplier,
} from './model.js';
import { keycloakPathLayouts, resolveJaggaerPaths, type JaggaerPaths, type KeycloakLayout } from './paths.js';
import { resolveInvoiceListParameters, type InvoiceListParameterNames } from '../query-parameters.js';
import {
  createRouteTable,
  errorToResponse,
  routeApiRequest,
  type JaggaerInvoiceListOptions,
  type JaggaerPaging,
  type JaggaerRouteName,
} from './router.js';
import { generateJaggaerSeed } from './seed.js';
import { JaggaerStore, type InvoiceListing, type InvoicePatch } from './store.js';

/** Client id the sandbox registers by default. */
export const SANDBOX_CLIENT_ID = 'ml-connector-sandbox';
/** Client secret of {@link SANDBOX_CLIENT_ID}. A sandbox-only value; never use it anywhere real. */
export const SANDBOX_CLIENT_SECRET = 'sandbox-secret-not-for-production';
/** Base URL the in-process `fetch` of a sandbox answers for (any host works; this one is used for `tokenUrl`). */
export const SANDBOX_BASE_URL = 'https://j1p.sandbox.test';

/** Fault settings: the core kit's options plus token revocation. Faults never hit the token endpoint unless asked. */
export interface JaggaerFaultOptions extends FaultOptions {
  /** Probability that all issued tokens are revoked just before an API request is authenticated (it then gets 401). */
  tokenRevocationRate?: number;
  /** Also inject faults on the token endpoint. Default false. */
  includeTokenEndpoint?: boolean;
}

/** Options of {@link createJaggaerSandbox}. */
export interface JaggaerSandboxOptions {
  /** Seed for data (and, unless `faults.seed` is set, faults). Default `1`. */
  seed?: number | string;
  /** Seed data sizes. Defaults: 25 suppliers, 200 invoices, 20 purchase orders. */
  size?: { suppliers?: number; invoices?: number; purchaseOrders?: number };
  /**
   * Use this data set instead of generating one (it is used as is, not copied), e.g. a
   * {@link JaggaerSandbox.snapshot} to continue from. New ids continue after the highest ids in it.
   */
  data?: JaggaerSeed;
  /** Registered Keycloak clients. Default: one client {@link SANDBOX_CLIENT_ID} / {@link SANDBOX_CLIENT_SECRET}. */
  clients?: readonly EmulatedOAuthClient[];
  /** Access-token lifetime in seconds. Default 3600 (about what the real realm issues; configurable there too). */
  tokenLifetimeSeconds?: number;
  /** Request limits on API routes. Defaults in `DEFAULT_JAGGAER_LIMITS` (assumptions). */
  limits?: Partial<JaggaerLimits>;
  /** Paging settings. */
  paging?: Partial<JaggaerPaging>;
  /** Invoice list order, lines and timestamp/filter precision. Defaults follow J1P's public list sample. */
  invoiceList?: JaggaerInvoiceListOptions;
  /** Renames of the invoice list's query parameters (UNCONFIRMED names), as the client's option of the same name. */
  invoiceListParameters?: Partial<InvoiceListParameterNames>;
  /**
   * Keycloak layouts the token endpoint answers on when `paths.token` is a `/realms/…` path: `legacy`
   * (`/auth/realms/…`) and `modern` (`/realms/…`, Keycloak 17+). Default both; give one to emulate a tenant that
   * serves only that one.
   */
  keycloakLayouts?: readonly KeycloakLayout[];
  /** Fault injection, deterministic by seed. */
  faults?: JaggaerFaultOptions;
  /** Clock in epoch ms. Default `Date.now` (so vitest fake timers move it). */
  now?: () => number;
  /** Path overrides; J1P paths are provisioned per customer. */
  paths?: Partial<JaggaerPaths>;
  /**
   * `companyInfo` field carrying a supplier's payment terms, as the client's option of the same name. Default
   * `paymentTermsCode`. UNCONFIRMED: no public sample shows payment terms on a company profile.
   */
  supplierPaymentTermsField?: string;
}

/** Counters for assertions ("exactly one token request", "no request was retried"). */
export interface JaggaerSandboxStats {
  /** Every request, token endpoint included. */
  requests: number;
  /** Requests to the token endpoint. */
  tokenRequests: number;
  /** Tokens issued. */
  tokensIssued: number;
  /** API requests by route (only requests that reached the route). */
  byRoute: Partial<Record<JaggaerRouteName, number>>;
  /** Answers with 429 from the limiter (injected 429s are counted in `faultsInjected`). */
  rateLimited: number;
  /** Answers with 401 on API routes. */
  unauthorized: number;
  /** Faults injected (status, resets, truncation, token revocations). */
  faultsInjected: number;
  /** Requests in flight right now. */
  inFlight: number;
  /** Highest number of requests seen in flight at once. */
  maxInFlight: number;
}

/** A loopback server running the sandbox, with its token URL. */
export interface JaggaerLoopbackServer extends LoopbackServer {
  /** Absolute token endpoint URL on this server. */
  readonly tokenUrl: string;
}

/** A running JAGGAER ONE sandbox. */
export interface JaggaerSandbox {
  /** The fetch-style handler; throws `EmulatedConnectionDrop` for connection faults (serving adapters handle it). */
  readonly handle: FetchHandler;
  /** A `fetch` bound to the sandbox with no sockets; any host is accepted (use {@link SANDBOX_BASE_URL}). */
  readonly fetch: typeof fetch;
  /** Base URL to pair with the in-process `fetch`: pass it as the client's `host`. */
  readonly baseUrl: string;
  /**
   * Token URL for the in-process `fetch`, in the first of `keycloakLayouts` (legacy `/auth/realms/…` by default; the
   * modern `/realms/…` path is served too).
   */
  readonly tokenUrl: string;
  /** The path table in use. */
  readonly paths: Readonly<JaggaerPaths>;
  /**
   * Serves the sandbox on 127.0.0.1 (a free port unless given) for clients that need a real socket. Resolves to
   * `{url, port, tokenUrl, close()}`; create the client with `host: server.url, allowLoopback: true`.
   */
  listen(options?: { port?: number }): Promise<JaggaerLoopbackServer>;
  /** Queue of faults for the next API requests, ahead of random ones. */
  readonly faults: { enqueue(...faults: Fault[]): void };
  /** Revokes every issued token (or one), so the next API request gets 401. */
  revokeTokens(token?: string): void;
  /** Snapshot of the counters. */
  stats(): JaggaerSandboxStats;
  /** Suppliers (copies), by `bravoId`. */
  suppliers(): JaggaerSupplier[];
  /** One supplier by ERP number (copy). */
  supplier(supplierNumber: string): JaggaerSupplier | undefined;
  /** Coding values (copies). */
  codingValues(): JaggaerCodingValue[];
  /** Catalog items (copies). */
  catalogItems(): JaggaerCatalogItem[];
  /** One coding value (copy). */
  codingValue(segment: CodingSegment, code: string): JaggaerCodingValue | undefined;
  /** Purchase orders (copies). */
  purchaseOrders(): JaggaerPurchaseOrder[];
  /** One purchase order by number (copy). */
  purchaseOrder(poNumber: string): JaggaerPurchaseOrder | undefined;
  /** Invoices in (lastUpdate, invoiceId) order (copies; costly for very large data sets). */
  invoices(): JaggaerInvoice[];
  /** One invoice (copy). */
  invoice(invoiceId: number): JaggaerInvoice | undefined;
  /** Number of invoices. */
  readonly invoiceCount: number;
  /** Test hook: sets `workflowStatus` to `Approved` and bumps `lastUpdate`. */
  approveInvoice(invoiceId: number): JaggaerInvoice;
  /** Test hook: applies `patch` and bumps `lastUpdate` (as a user editing in JAGGAER would). */
  updateInvoice(invoiceId: number, patch: InvoicePatch): JaggaerInvoice;
  /**
   * The current data as a JSON-serialisable {@link JaggaerSeed} (a deep copy, records created or changed through the
   * API included); pass it back as `data` to continue where this sandbox left off. Tokens and counters are not in it.
   */
  snapshot(): JaggaerSeed;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function checkRate(name: string, value: number | undefined): number {
  const v = value ?? 0;
  if (!(v >= 0 && v <= 1)) throw new InvalidInputError(`faults.${name} must be a probability between 0 and 1, got ${value}`, { field: `faults.${name}` });
  return v;
}

const FILTER_PRECISION_MS = { ms: 1, second: 1000, day: 86_400_000 } as const;

function resolveInvoiceList(options: JaggaerInvoiceListOptions = {}, salt: number): { listing: InvoiceListing; lines: boolean } {
  const order = options.order ?? 'invoiceId';
  if (!['invoiceId', 'lastUpdate', 'shuffled'].includes(order)) {
    throw new InvalidInputError(`invoiceList.order must be "invoiceId", "lastUpdate" or "shuffled", got ${JSON.stringify(order)}`, { field: 'invoiceList.order' });
  }
  const timestampPrecisionMs = options.timestampPrecisionMs ?? 1;
  if (!Number.isSafeInteger(timestampPrecisionMs) || timestampPrecisionMs < 1) {
    throw new InvalidInputError(`invoiceList.timestampPrecisionMs must be a whole number >= 1, got ${timestampPrecisionMs}`, { field: 'invoiceList.timestampPrecisionMs' });
  }
  const filterPrecision = options.filterPrecision ?? 'ms';
  if (!Object.hasOwn(FILTER_PRECISION_MS, filterPrecision)) {
    throw new InvalidInputError(`invoiceList.filterPrecision must be "ms", "second" or "day", got ${JSON.stringify(filterPrecision)}`, { field: 'invoiceList.filterPrecision' });
  }
  return {
    listing: { order, salt, timestampPrecisionMs, filterPrecisionMs: FILTER_PRECISION_MS[filterPrecision] },
    lines: options.lines === true,
  };
}

/** Every path the token endpoint answers on. */
function tokenPathsOf(path: string, layouts: readonly KeycloakLayout[] = ['legacy', 'modern']): string[] {
  if (!Array.isArray(layouts) || layouts.length === 0 || !layouts.every((l) => l === 'legacy' || l === 'modern')) {
    throw new InvalidInputError('keycloakLayouts must list "legacy" and/or "modern"', { field: 'keycloakLayouts' });
  }
  const both = keycloakPathLayouts(path);
  return both ? layouts.map((layout: KeycloakLayout) => both[layout]) : [path];
}

function resolvePaging(paging: Partial<JaggaerPaging> = {}): JaggaerPaging {
  const merged: JaggaerPaging = { invoicePageSize: 100, invoiceMaxPageSize: 1000, listPageSize: 100, ...paging };
  for (const key of ['invoicePageSize', 'invoiceMaxPageSize', 'listPageSize'] as const) {
    if (!Number.isInteger(merged[key]) || merged[key] < 1) {
      throw new InvalidInputError(`paging.${key} must be a whole number >= 1, got ${merged[key]}`, { field: `paging.${key}` });
    }
  }
  if (merged.invoicePageSize > merged.invoiceMaxPageSize) {
    throw new InvalidInputError('paging.invoicePageSize must not exceed paging.invoiceMaxPageSize', { field: 'paging.invoicePageSize' });
  }
  return merged;
}

/**
 * Creates an in-memory JAGGAER ONE (J1P) sandbox: the Keycloak token endpoint of realm `J1p-integrations` plus the
 * public API routes in {@link JaggaerPaths}, seeded deterministically, with rate limits and seeded fault injection.
 *
 * Example:
 *
 * {@includeCode ../../examples/client.ts#createJaggaerSandbox}
 */
export function createJaggaerSandbox(options: JaggaerSandboxOptions = {}): JaggaerSandbox {
  const now = options.now ?? (() => Date.now());
  const paths = resolveJaggaerPaths(options.paths);
  const limits = resolveLimits(options.limits);
  const paging = resolvePaging(options.paging);
  const invoiceList = resolveInvoiceList(options.invoiceList, Number.parseInt(String(options.seed ?? 1), 36) || 1);
  const parameters = resolveInvoiceListParameters(options.invoiceListParameters);
  const tokenPaths = tokenPathsOf(paths.token, options.keycloakLayouts);
  const settings = { paging, listing: invoiceList.listing, listLines: invoiceList.lines, parameters, ...(options.supplierPaymentTermsField ? { supplierPaymentTermsField: options.supplierPaymentTermsField } : {}) };
  const lifetime = options.tokenLifetimeSeconds ?? 3600;
  if (!Number.isFinite(lifetime) || lifetime <= 0) {
    throw new InvalidInputError(`tokenLifetimeSeconds must be a positive number, got ${lifetime}`, { field: 'tokenLifetimeSeconds' });
  }
  const clients = options.clients ?? [{ clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET }];
  if (clients.length === 0) throw new InvalidInputError('clients must list at least one client', { field: 'clients' });
  const clientsById = new Map(clients.map((c) => [c.clientId, c]));

  const data =
    options.data ??
    generateJaggaerSeed({
      seed: options.seed ?? 1,
      ...(options.size?.suppliers !== undefined ? { suppliers: options.size.suppliers } : {}),
      ...(options.size?.invoices !== undefined ? { invoices: options.size.invoices } : {}),
      ...(options.size?.purchaseOrders !== undefined ? { purchaseOrders: options.size.purchaseOrders } : {}),
    });
  const store = new JaggaerStore(data, now);
  const oauth = createOAuthEmulator({ flavour: 'keycloak', clients, tokenLifetimeSeconds: lifetime, now, audienceOf: () => 'j1p' });
  const limiter = createRequestLimiter(limits, now);
  const findRoute = createRouteTable(paths, tokenPaths);

  const faultOptions = options.faults ?? {};
  const revocationRate = checkRate('tokenRevocationRate', faultOptions.tokenRevocationRate);
  const revocationRandom = createSeededRandom(`${faultOptions.seed ?? options.seed ?? 1}:revocation`);
  const isToken = (request: Request) => findRoute(new URL(request.url).pathname)?.route.name === 'token';
  const injector = createFaultInjector({
    ...faultOptions,
    seed: faultOptions.seed ?? options.seed ?? 1,
    appliesTo: (request) =>
      (faultOptions.includeTokenEndpoint || !isToken(request)) && (!faultOptions.appliesTo || faultOptions.appliesTo(request)),
  });

  const stats: JaggaerSandboxStats = {
    requests: 0,
    tokenRequests: 0,
    tokensIssued: 0,
    byRoute: {},
    rateLimited: 0,
    unauthorized: 0,
    faultsInjected: 0,
    inFlight: 0,
    maxInFlight: 0,
  };

  const keycloakError = (status: number, error: string, description: string) =>
    jsonResponse(status, { error, error_description: description }, { 'cache-control': 'no-store' });

  /** Keycloak's client checks (401 `invalid_client` / `unauthorized_client`), then the core IdP issues the token. */
  const handleToken = async (request: Request): Promise<Response> => {
    stats.tokenRequests++;
    const type = request.headers.get('content-type') ?? '';
    if (!type.includes('application/x-www-form-urlencoded')) {
      return keycloakError(400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded.');
    }
    const form = new URLSearchParams(await request.text());
    const basic = /^Basic\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '');
    if (basic) {
      const decoded = Buffer.from(basic[1] as string, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) return keycloakError(401, 'invalid_client', 'Invalid client or Invalid client credentials');
      form.set('client_id', decodeURIComponent(decoded.slice(0, colon)));
      form.set('client_secret', decodeURIComponent(decoded.slice(colon + 1)));
    }
    const grant = form.get('grant_type');
    if (!grant) return keycloakError(400, 'invalid_request', 'Missing form parameter: grant_type');
    if (grant !== 'client_credentials') return keycloakError(400, 'unsupported_grant_type', 'Unsupported grant_type');
    const client = clientsById.get(form.get('client_id') ?? '');
    if (!client) return keycloakError(401, 'invalid_client', 'Invalid client or Invalid client credentials');
    if (!client.clientSecret || form.get('client_secret') !== client.clientSecret) {
      return keycloakError(401, 'unauthorized_client', 'Invalid client or Invalid client credentials');
    }
    const issued = await oauth.handleTokenRequest(
      new Request(request.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() }),
    );
    if (!issued.ok) return issued;
    stats.tokensIssued = oauth.issuedCount;
    const body = (await issued.json()) as Record<string, unknown>;
    return jsonResponse(
      200,
      { access_token: body.access_token, expires_in: body.expires_in, refresh_expires_in: 0, token_type: 'Bearer', 'not-before-policy': 0, scope: 'profile email' },
      { 'cache-control': 'no-store', pragma: 'no-cache' },
    );
  };

  const injectedStatus = (fault: Extract<Fault, { kind: 'status' }>) =>
    jaggaerError(
      fault.status,
      fault.status === 429 ? 'Too many requests (injected fault).' : `Injected fault: HTTP ${fault.status}.`,
      fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {},
    );

  const handle: FetchHandler = async (request) => {
    stats.requests++;
    const url = new URL(request.url);
    const found = findRoute(url.pathname);
    if (found?.route.name === 'token' && !faultOptions.includeTokenEndpoint) {
      if (request.method !== 'POST') return keycloakError(405, 'invalid_request', 'HTTP method not allowed; use POST.');
      return handleToken(request);
    }

    const slot = found?.route.name === 'token' ? ({ ok: true, release: () => {} } as const) : limiter.acquire();
    if (!slot.ok) {
      stats.rateLimited++;
      return jaggaerError(429, `Rate limit exceeded (${slot.reason === 'window' ? 'request window' : 'concurrent requests'}); retry later.`, {
        'retry-after': String(slot.retryAfterSeconds),
      });
    }
    stats.inFlight = limiter.inFlight;
    stats.maxInFlight = Math.max(stats.maxInFlight, limiter.inFlight);
    try {
      const latency = injector.nextLatencyMs(request);
      if (latency > 0) await sleep(latency);
      const fault = injector.nextFault(request);
      if (fault) stats.faultsInjected++;
      if (fault?.kind === 'status') return injectedStatus(fault);
      if (fault?.kind === 'reset-before') throw new EmulatedConnectionDrop('before');

      let response: Response;
      if (!found) {
        response = jaggaerError(404, `No resource at ${url.pathname}.`);
      } else if (found.route.name === 'token') {
        response = request.method === 'POST' ? await handleToken(request) : keycloakError(405, 'invalid_request', 'HTTP method not allowed; use POST.');
      } else if (!found.route.methods.includes(request.method)) {
        response = jaggaerError(405, `Method ${request.method} is not allowed on ${url.pathname}.`, { allow: found.route.methods.join(', ') });
      } else {
        if (revocationRate > 0 && revocationRandom.chance(revocationRate)) {
          stats.faultsInjected++;
          oauth.revoke();
        }
        const auth = oauth.authenticate(request, 'j1p');
        if (!auth.ok) {
          stats.unauthorized++;
          response = jaggaerError(401, auth.message);
        } else {
          const name = found.route.name;
          stats.byRoute[name] = (stats.byRoute[name] ?? 0) + 1;
          try {
            response = await routeApiRequest(store, settings, name, found.params, request, url);
          } catch (error) {
            response = errorToResponse(error);
          }
        }
      }

      if (fault?.kind === 'reset-after') throw new EmulatedConnectionDrop('after');
      if (fault?.kind === 'truncate') {
        const headers = new Headers(response.headers);
        headers.set(TRUNCATE_HEADER, '1');
        return new Response(response.body, { status: response.status, headers });
      }
      return response;
    } finally {
      slot.release();
      stats.inFlight = limiter.inFlight;
    }
  };

  const copy = <T>(value: T | undefined): T | undefined => (value === undefined ? undefined : structuredClone(value));

  return {
    handle,
    fetch: createInProcessFetch(handle),
    baseUrl: SANDBOX_BASE_URL,
    tokenUrl: `${SANDBOX_BASE_URL}${tokenPaths[0]}`,
    paths: Object.freeze({ ...paths }),
    async listen(listenOptions = {}) {
      const server = await serveOnLoopback(handle, listenOptions.port !== undefined ? { port: listenOptions.port } : {});
      return Object.assign(server, { tokenUrl: `${server.url}${tokenPaths[0]}` });
    },
    faults: { enqueue: (...faults: Fault[]) => injector.enqueue(...faults) },
    revokeTokens: (token?: string) => oauth.revoke(token),
    stats: () => ({ ...stats, byRoute: { ...stats.byRoute }, tokensIssued: oauth.issuedCount, inFlight: limiter.inFlight }),
    snapshot: () =>
      structuredClone({
        businessUnits: [...store.businessUnits],
        suppliers: store.suppliers(),
        codingValues: store.codingValues(),
        purchaseOrders: store.purchaseOrders(),
        invoices: [...store.invoicesInOrder()].sort((a, b) => a.invoiceId - b.invoiceId),
        catalogItems: store.catalog.all(),
      }),
    suppliers: () => structuredClone(store.suppliers()),
    supplier: (n) => copy(store.supplier(n)),
    codingValues: () => structuredClone(store.codingValues()),
    catalogItems: () => structuredClone(store.catalog.all()),
    codingValue: (segment, code) => copy(store.codingValue(segment, code)),
    purchaseOrders: () => structuredClone(store.purchaseOrders()),
    purchaseOrder: (n) => copy(store.purchaseOrder(n)),
    invoices: () => structuredClone([...store.invoicesInOrder()]),
    invoice: (id) => copy(store.invoice(id)),
    get invoiceCount() {
      return store.invoiceCount;
    },
    approveInvoice: (id) => structuredClone(wrapHook(() => store.updateInvoice(id, { workflowStatus: 'Approved' }))),
    updateInvoice: (id, patch) => structuredClone(wrapHook(() => store.updateInvoice(id, patch))),
  };
}

/** Test hooks throw `InvalidInputError` (not the internal request error) for unknown ids. */
function wrapHook<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof Error && error.name === 'JaggaerRequestError') throw new InvalidInputError(error.message, { field: 'invoiceId' });
    throw error;
  }
}
