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
  createSeededRandom,
  serveOnLoopback,
} from '@ml-connector/core/testing';
import { runBatch, parseBatchRequest } from './batch.js';
import { FoEmulatorError, errorResponse } from './errors.js';
import { type FinanceOperationsLimits, LimitTracker, type ResolvedLimits, type ThrottleReason } from './limits.js';
import type { EntitySetName } from './model.js';
import { type ApiRequest, type ApiResult, type RouterContext, routeApi } from './router.js';
import { type FinanceOperationsSeed, type FinanceOperationsSeedOptions, type FinanceOperationsSnapshot, generateFinanceOperationsSeed } from './seed.js';
import { FinanceOperationsStore, type StoredRecord, serialise } from './store.js';
import { BusinessEventHub, type BusinessEventDelivery, type BusinessEventEndpointOptions } from './events.js';
import { DataManagementEmulator } from './dmf.js';
import { DEFAULT_WORKFLOW_SERVICE, type RecordedDocumentOutcome, type WorkflowServiceNames, handleServiceRequest, handleWorkItemAction } from './services.js';

/** Default Entra tenant of the sandbox. */
export const FO_SANDBOX_TENANT_ID = '7c1e4a2b-3d5f-4e6a-8b9c-0d1e2f3a4b5c';
/** Default environment origin of the sandbox (in-process; any origin works). */
export const FO_SANDBOX_ENVIRONMENT_URL = 'https://fo-sandbox.operations.dynamics.com';
/** Client id registered by default. */
export const FO_SANDBOX_CLIENT_ID = '5b8e2c4d-1a3f-4b6e-9c7d-2e4f6a8b0c1d';
/** Client secret of {@link FO_SANDBOX_CLIENT_ID}. Test-only. */
export const FO_SANDBOX_CLIENT_SECRET = 'fo-sandbox-client-secret';

/** Fault settings: core's `FaultOptions`; the token endpoint is exempt unless `includeTokenEndpoint`. */
export interface FinanceOperationsFaultOptions extends FaultOptions {
  /** Also apply faults to the token endpoint. Default `false`. */
  includeTokenEndpoint?: boolean;
}

/** An app registered in F&O (System administration > Microsoft Entra applications) and the user it acts as. */
export interface FinanceOperationsApp extends EmulatedOAuthClient {
  /** The mapped F&O user's default company. Default `usmf`. */
  defaultCompany?: string;
  /** Registered in F&O (else a valid Entra token is refused with 401). Default `true`. */
  registeredInFinanceOperations?: boolean;
}

/** Options of {@link createFinanceOperationsSandbox}. */
export interface FinanceOperationsSandboxOptions {
  /** Entra tenant id. Default {@link FO_SANDBOX_TENANT_ID}. */
  tenantId?: string;
  /** Registered apps. Default {@link FO_SANDBOX_CLIENT_ID} / {@link FO_SANDBOX_CLIENT_SECRET}, company `usmf`. */
  apps?: readonly FinanceOperationsApp[];
  /** Seed generation options. */
  seed?: FinanceOperationsSeedOptions;
  /** Ready seed data (overrides `seed`), or a {@link FinanceOperationsSandbox.snapshot} to continue from. */
  data?: FinanceOperationsSnapshot;
  /** Service protection limits and page size. */
  limits?: FinanceOperationsLimits;
  /** Fault injection. */
  faults?: FinanceOperationsFaultOptions;
  /** PATCH/DELETE without `If-Match` answered 400. Default `false` (UNCONFIRMED for F&O). */
  requireIfMatch?: boolean;
  /** Business event endpoint (HTTPS, loopback in tests). */
  businessEvents?: BusinessEventEndpointOptions;
  /** Clock in epoch ms. Default `Date.now`. */
  now?: () => number;
  /** Token lifetime in seconds. Default Entra-like random 3600–5400. */
  tokenLifetimeSeconds?: number;
  /** Names of the custom workflow service (`/api/services/{group}/{service}/{operation}`). Default {@link DEFAULT_WORKFLOW_SERVICE}. */
  workflowService?: Partial<WorkflowServiceNames>;
}

/** Counters for assertions. */
export interface FinanceOperationsSandboxStats {
  requests: number;
  apiRequests: number;
  tokenRequests: number;
  tokensIssued: number;
  throttled: Record<ThrottleReason, number>;
  maxConcurrency: number;
  faultsInjected: number;
}

/** A running F&O sandbox. */
export interface FinanceOperationsSandbox {
  /** Fetch-style handler. */
  handle(request: Request): Promise<Response>;
  /** In-process fetch wired to the handler. */
  readonly fetch: typeof fetch;
  /** Serves the sandbox on 127.0.0.1. */
  listen(options?: { port?: number }): Promise<LoopbackServer>;
  /** Environment URL to give the client (`environmentUrl`); in-process default {@link FO_SANDBOX_ENVIRONMENT_URL}. */
  environmentUrl(serverUrl?: string): string;
  /** Entra authority host to give the client (`authorityHost`). */
  authorityHost(serverUrl?: string): string;
  /** Tenant id. */
  readonly tenantId: string;
  /** Raw store. */
  readonly store: FinanceOperationsStore;
  /** Records of an entity set as the API shows them (all companies). */
  rows(set: EntitySetName): Record<string, unknown>[];
  /** Fault injector. */
  readonly faults: FaultInjector;
  /** Revokes every issued token. */
  revokeTokens(): void;
  /**
   * Posts a pending invoice: it leaves `VendorInvoiceHeaders` (lines too) and appears in the posted invoice
   * journal; raises "Vendor invoice posted". Returns the voucher.
   */
  postInvoice(dataAreaId: string, headerReference: string): Promise<string>;
  /** Confirms a purchase order (`DocumentApprovalStatus` `Confirmed`) and raises "Purchase order confirmed". */
  confirmPurchaseOrder(dataAreaId: string, purchaseOrderNumber: string, options?: { visibleAfterMs?: number }): Promise<void>;
  /**
   * Raises "Workflow document rejected" for a document and opens a `Resubmit` work item for its originator (its id
   * travels in the event as `WorkItemId`); resolves the work item id.
   */
  rejectWorkflowDocument(dataAreaId: string, document: { type: string; id: string; comment?: string }): Promise<string>;
  /** Opens a pending workflow work item (`WorkflowWorkItems`) for a document; resolves its id (`WI-000001`…). */
  openWorkItem(dataAreaId: string, item: { documentType: string; documentId: string; subject?: string }): string;
  /** Business event deliveries made so far. */
  readonly businessEventDeliveries: readonly BusinessEventDelivery[];
  /** Outcomes recorded through the custom workflow service's `recordDocumentOutcome` (not part of snapshots). */
  readonly documentOutcomes: readonly RecordedDocumentOutcome[];
  /** The Data management package API emulator (jobs, blobs). */
  readonly dataManagement: DataManagementEmulator;
  /** Counters. */
  readonly stats: FinanceOperationsSandboxStats;
  /**
   * Every record of every entity set (written through the API or the test hooks too), the number sequences and the
   * Data management state (data projects, change tracking watermarks, jobs, package blobs), as JSON-serialisable
   * data that the `data` option loads back. Tokens and business event deliveries are not part of it.
   */
  snapshot(): FinanceOperationsSnapshot;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v <= 0) throw new InvalidInputError(`${name} must be a positive number, got ${value}`, { field: name });
  return v;
}

/**
 * Creates an emulator of Dynamics 365 Finance & Operations OData (`/data/…`) with its Entra token endpoint,
 * business event delivery and the Data management package API.
 *
 * **Routes**: `POST /{tenantId}/oauth2/v2.0/token` (client credentials, secret or certificate, scope
 * `{environment}/.default`); `/data/{EntitySet}`, `/data/{EntitySet}({key})`, `/data/$batch`,
 * `/data/DataManagementDefinitionGroups/Microsoft.Dynamics.DataEntities.{Action}`, `/blob/{id}` (loopback package blobs).
 *
 * **Confirmed** (api-facts.md §1): service root, composite keys with `dataAreaId`, default company vs
 * `cross-company=true`, enum literal syntax and `eq`/`ne` only, unsupported `in`/`has`, `$batch` changesets
 * atomic, page size 10,000, the three service protection limits with 429 + `Retry-After`, pending invoices leave
 * `VendorInvoiceHeaders` when posted. **Assumed** (UNCONFIRMED): message texts, `@odata.nextLink` with `$skip`,
 * 404 for a key outside the default company without `cross-company`, 204 on PATCH, duplicate-key 400 text,
 * posted journal entity `VendInvoiceJourBiEntities`, account structure entity `AccountStructureRules`.
 */
export function createFinanceOperationsSandbox(options: FinanceOperationsSandboxOptions = {}): FinanceOperationsSandbox {
  const now = options.now ?? Date.now;
  const tenantId = options.tenantId ?? FO_SANDBOX_TENANT_ID;
  const l = options.limits ?? {};
  const cost = l.executionCostMs ?? 50;
  const limits: ResolvedLimits = {
    requestsPerWindow: positive('limits.requestsPerWindow', l.requestsPerWindow, 6000),
    executionMsPerWindow: positive('limits.executionMsPerWindow', l.executionMsPerWindow, 1_200_000),
    maxConcurrent: positive('limits.maxConcurrent', l.maxConcurrent, 52),
    windowMs: positive('limits.windowMs', l.windowMs, 300_000),
    maxPageSize: positive('limits.maxPageSize', l.maxPageSize, 10_000),
    executionCostMs: typeof cost === 'function' ? cost : () => cost,
  };
  const apps = options.apps ?? [{ clientId: FO_SANDBOX_CLIENT_ID, clientSecret: FO_SANDBOX_CLIENT_SECRET }];
  if (apps.length === 0) throw new InvalidInputError('apps must list at least one app', { field: 'apps' });
  const appById = new Map(apps.map((a) => [a.clientId, a]));
  const { numberSequences, dataManagement: dataManagementState, ...seedRows }: FinanceOperationsSnapshot = options.data ?? generateFinanceOperationsSeed(options.seed);
  const store = new FinanceOperationsStore(seedRows);
  const tracker = new LimitTracker(limits, now);
  const lifetimeRandom = createSeededRandom('fo/tokens');
  const oauth = createOAuthEmulator({
    flavour: 'entra',
    clients: apps,
    now,
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? (() => lifetimeRandom.int(3600, 5400)),
  });
  const faultOptions = options.faults ?? {};
  const isTokenPath = (request: Request) => /\/oauth2\/v2\.0\/token$/.test(new URL(request.url).pathname);
  const faults = createFaultInjector({
    ...faultOptions,
    appliesTo: (request) => (faultOptions.includeTokenEndpoint || !isTokenPath(request)) && (!faultOptions.appliesTo || faultOptions.appliesTo(request)),
  });
  const counters = { requests: 0, apiRequests: 0, tokenRequests: 0, faultsInjected: 0 };
  let headerSequence = numberSequences?.headerReference ?? 1;
  let voucherSequence = numberSequences?.voucher ?? 1;
  const ctx: RouterContext = {
    store,
    maxPageSize: limits.maxPageSize,
    requireIfMatch: options.requireIfMatch ?? false,
    now,
    nextHeaderReference: () => `VIH-${String(headerSequence++).padStart(6, '0')}`,
  };
  const events = new BusinessEventHub(options.businessEvents, now);
  const workflowService: WorkflowServiceNames = { ...DEFAULT_WORKFLOW_SERVICE, ...options.workflowService };
  const documentOutcomes: RecordedDocumentOutcome[] = [];
  // Continues after restored work items (a snapshot keeps the rows, not a counter).
  let workItemSequence = 1 + Math.max(0, ...store.all('WorkflowWorkItems').map((row) => Number(String(row.WorkItemId).slice(3)) || 0));
  const openWorkItem = (dataAreaId: string, item: { documentType: string; documentId: string; subject?: string }): string => {
    const id = `WI-${String(workItemSequence++).padStart(6, '0')}`;
    store.insert('WorkflowWorkItems', { dataAreaId: dataAreaId.toLowerCase(), WorkItemId: id, DocumentType: item.documentType, DocumentId: item.documentId, Subject: item.subject ?? '', Status: 'Pending', Outcome: '', OutcomeComment: '', CompletedBy: '', CompletedAt: '' });
    return id;
  };
  const dmf = new DataManagementEmulator(store, now, dataManagementState);

  const toResponse = (result: ApiResult): Response =>
    new Response(result.body === undefined || result.status === 204 ? null : JSON.stringify(result.body), { status: result.status, headers: result.headers });

  async function withFaults(request: Request, work: () => Promise<Response>): Promise<Response> {
    const latency = faults.nextLatencyMs(request);
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    const fault = faults.nextFault(request);
    if (fault) counters.faultsInjected++;
    if (fault?.kind === 'status') {
      return errorResponse(new FoEmulatorError(fault.status, `Injected fault: HTTP ${fault.status}`, fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {}));
    }
    if (fault?.kind === 'reset-before') throw new EmulatedConnectionDrop('before');
    const response = await work();
    if (fault?.kind === 'reset-after') {
      await response.arrayBuffer().catch(() => undefined);
      throw new EmulatedConnectionDrop('after');
    }
    if (fault?.kind === 'truncate') response.headers.set(TRUNCATE_HEADER, '1');
    return response;
  }

  const unauthorized = (description: string) =>
    new Response(null, { status: 401, headers: { 'www-authenticate': `Bearer error="invalid_token", error_description="${description}"` } });

  async function handle(request: Request): Promise<Response> {
    counters.requests++;
    const url = new URL(request.url);
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts.length === 4 && parts[1] === 'oauth2' && parts[2] === 'v2.0' && parts[3] === 'token') {
      counters.tokenRequests++;
      if ((parts[0] as string).toLowerCase() !== tenantId.toLowerCase()) {
        return new Response(JSON.stringify({ error: 'invalid_request', error_description: `AADSTS90002: Tenant '${parts[0] as string}' not found.`, error_codes: [90002] }), { status: 400, headers: { 'content-type': 'application/json' } });
      }
      return withFaults(request, () => oauth.handleTokenRequest(request));
    }
    if (parts[0] === 'blob') return dmf.handleBlob(request, parts.slice(1).join('/'));
    const isService = parts[0] === 'api' && parts[1] === 'services';
    if (parts[0] !== 'data' && !isService) return errorResponse(new FoEmulatorError(404, `The resource '${url.pathname}' was not found.`));

    const auth = oauth.authenticate(request, url.origin);
    if (!auth.ok) return unauthorized(auth.message);
    const app = appById.get(auth.clientId);
    if (app?.registeredInFinanceOperations === false) return unauthorized(`The application ${auth.clientId} is not registered in Microsoft Entra applications of this environment.`);

    let release: () => void;
    try {
      release = tracker.admit(auth.clientId, request);
    } catch (error) {
      return errorResponse(error as FoEmulatorError);
    }
    try {
      return await withFaults(request, async () => {
        counters.apiRequests++;
        if (isService) return handleServiceRequest(request, parts.slice(2), { store, names: workflowService, now, user: auth.clientId, outcomes: documentOutcomes });
        try {
          const serviceRoot = `${url.origin}/data`;
          const defaultCompany = app?.defaultCompany?.toLowerCase() ?? 'usmf';
          const rest = url.pathname.slice('/data/'.length);
          if (rest === '$batch') {
            if (request.method !== 'POST') throw new FoEmulatorError(405, 'The $batch endpoint only accepts POST.');
            const batch = parseBatchRequest(await request.text(), request.headers.get('content-type'));
            return runBatch(batch, store, (inner) => {
              const innerUrl = new URL(inner.url, `${serviceRoot}/`);
              return routeApi(ctx, { method: inner.method, path: innerUrl.pathname.slice('/data/'.length), query: innerUrl.searchParams, headers: inner.headers, body: inner.body, serviceRoot, defaultCompany });
            });
          }
          const body = await readBody(request);
          if (rest.startsWith('DataManagementDefinitionGroups/')) return toResponse(dmf.action(rest.slice('DataManagementDefinitionGroups/'.length), body, url.origin));
          const workItemAction = /^WorkflowWorkItems\((.*)\)\/Microsoft\.Dynamics\.DataEntities\.(\w+)$/s.exec(decodeURIComponent(rest));
          if (workItemAction) {
            const crossCompany = url.searchParams.get('cross-company')?.toLowerCase() === 'true';
            return toResponse(handleWorkItemAction({ method: request.method, keyText: workItemAction[1]!, action: workItemAction[2]!, body, serviceRoot, crossCompany, defaultCompany }, { store, now, user: auth.clientId }));
          }
          return toResponse(routeApi(ctx, { method: request.method, path: rest, query: url.searchParams, headers: request.headers, body, serviceRoot, defaultCompany }));
        } catch (error) {
          if (error instanceof FoEmulatorError) return errorResponse(error);
          return errorResponse(new FoEmulatorError(500, `Emulator failure: ${error instanceof Error ? error.message : String(error)}`));
        }
      });
    } finally {
      release();
    }
  }

  const requireRecord = (set: EntitySetName, key: Record<string, unknown>, what: string): StoredRecord => {
    const record = store.get(set, key);
    if (!record) throw new InvalidInputError(`No ${what} ${JSON.stringify(key)} in the sandbox`, { field: what });
    return record;
  };

  return {
    handle,
    fetch: createInProcessFetch(handle),
    listen: (listenOptions = {}) => serveOnLoopback(handle, listenOptions.port === undefined ? {} : { port: listenOptions.port }),
    environmentUrl: (serverUrl = FO_SANDBOX_ENVIRONMENT_URL) => serverUrl.replace(/\/$/, ''),
    authorityHost: (serverUrl = 'https://login.microsoftonline.com') => serverUrl.replace(/\/$/, ''),
    tenantId,
    store,
    rows: (set) => store.all(set).map(serialise),
    faults,
    revokeTokens: () => oauth.revoke(),
    async postInvoice(dataAreaId, headerReference) {
      const header = requireRecord('VendorInvoiceHeaders', { dataAreaId, HeaderReference: headerReference }, 'pending invoice');
      const lines = store.all('VendorInvoiceLines').filter((line) => line.dataAreaId === header.dataAreaId && line.HeaderReference === header.HeaderReference);
      const voucher = `APINV${String(900000 + voucherSequence++)}`;
      const amount = lines.reduce((sum, line) => sum + Number(line.Amount ?? 0), 0);
      store.insert('VendInvoiceJourBiEntities', {
        dataAreaId: header.dataAreaId, InvoiceId: header.InvoiceNumber, InvoiceAccount: header.InvoiceAccount || header.VendorAccount, OrderAccount: header.VendorAccount,
        InvoiceDate: header.InvoiceDate, InvoiceAmount: Math.round(amount * 100) / 100, CurrencyCode: header.Currency, PurchId: header.PurchaseOrderNumber ?? '', LedgerVoucher: voucher,
      });
      store.delete('VendorInvoiceHeaders', header);
      for (const line of lines) store.delete('VendorInvoiceLines', line);
      await events.raise('VendorInvoicePosted', String(header.dataAreaId), { VendorAccount: header.VendorAccount, InvoiceNumber: header.InvoiceNumber, InvoiceDate: header.InvoiceDate, InvoiceAmount: Math.round(amount * 100) / 100, Currency: header.Currency, Voucher: voucher });
      return voucher;
    },
    async confirmPurchaseOrder(dataAreaId, purchaseOrderNumber, confirmOptions = {}) {
      const order = requireRecord('PurchaseOrderHeadersV2', { dataAreaId, PurchaseOrderNumber: purchaseOrderNumber }, 'purchase order');
      Object.assign(order, { DocumentApprovalStatus: 'Confirmed', $version: store.nextVersion() });
      if (confirmOptions.visibleAfterMs !== undefined) order.$visibleAt = now() + confirmOptions.visibleAfterMs;
      await events.raise('PurchaseOrderConfirmed', String(order.dataAreaId), { PurchaseOrderNumber: order.PurchaseOrderNumber, VendorAccount: order.OrderVendorAccountNumber });
    },
    async rejectWorkflowDocument(dataAreaId, document) {
      const workItemId = openWorkItem(dataAreaId, { documentType: document.type, documentId: document.id, subject: `Resubmit ${document.type} ${document.id}` });
      await events.raise('WorkflowDocumentRejected', dataAreaId, { DocumentType: document.type, DocumentId: document.id, Comment: document.comment ?? '', WorkItemId: workItemId });
      return workItemId;
    },
    openWorkItem,
    get businessEventDeliveries() {
      return events.deliveries;
    },
    documentOutcomes,
    dataManagement: dmf,
    snapshot() {
      const rows: FinanceOperationsSeed = {};
      for (const set of Object.keys(store.tables) as EntitySetName[]) if (store.tables[set].size > 0) rows[set] = structuredClone(store.all(set));
      return { ...rows, numberSequences: { headerReference: headerSequence, voucher: voucherSequence }, dataManagement: dmf.snapshot() };
    },
    get stats(): FinanceOperationsSandboxStats {
      return { ...counters, tokensIssued: oauth.issuedCount, throttled: { ...tracker.throttled }, maxConcurrency: tracker.maxConcurrencySeen };
    },
  };
}

async function readBody(request: Request): Promise<unknown> {
  if (request.method === 'GET' || request.method === 'DELETE') return undefined;
  const text = await request.text();
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new FoEmulatorError(400, 'The request body is not valid JSON.');
  }
}
