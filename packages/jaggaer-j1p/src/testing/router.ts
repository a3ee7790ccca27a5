import { CATALOG_ITEM_FIELDS, renderCatalogItem } from './catalog.js';
import { badRequest, jaggaerError, JaggaerRequestError, jsonResponse, notFound } from './errors.js';
import type { JaggaerCodingValue, JaggaerPurchaseOrder, JaggaerSupplier } from './model.js';
import { compilePath, type JaggaerPaths, type PathMatcher } from './paths.js';
import { parseJaggaerDate, renderCodingValue, renderCompany, renderInvoice, renderPurchaseOrder, renderTimestamp } from './render.js';
import { parseCodingValues, parseCompanyUpsert, parseOcrImport, parsePaymentStatus, parsePurchaseOrder } from './schemas.js';
import type { InvoiceListing, InvoiceQuery, JaggaerStore } from './store.js';
import { DEFAULT_INVOICE_LIST_PARAMETERS, type InvoiceListParameterNames } from '../query-parameters.js';

/** Paging settings of the API routes. */
export interface JaggaerPaging {
  /** Default `maxRecords` of the invoice list. Default 100 (UNCONFIRMED). */
  invoicePageSize: number;
  /** Largest `maxRecords` honoured; larger values are clamped (`returnedRecords` shows it). Default 1000 (UNCONFIRMED). */
  invoiceMaxPageSize: number;
  /** Fixed page size of the `ja/v1` lists (`start` only, no size parameter). Default 100 (UNCONFIRMED). */
  listPageSize: number;
}

/**
 * How the invoice list behaves. The defaults follow J1P's only public list sample (UCLALibrary/jaggaer-api
 * `sample_data/invoice_list.json`): invoice-id order, headers without `lineList`, millisecond `lastUpdate`. What the
 * sample cannot show is UNCONFIRMED and configurable, so a client can be tested against the harder cases.
 */
export interface JaggaerInvoiceListOptions {
  /**
   * Entry order. `invoiceId` (default, as the sample), `lastUpdate` (then invoice id), or `shuffled` (a fixed
   * pseudo-random order per sandbox seed). Whether J1P can be asked for another order is UNCONFIRMED.
   */
  order?: 'invoiceId' | 'lastUpdate' | 'shuffled';
  /** Whether entries carry `lineList`. Default false: the sample's entries have only `header`; lines come from `get`. */
  lines?: boolean;
  /** Precision of the listed `lastUpdate`, ms (1000 lists whole seconds, so invoices tie). Default 1, as the sample. */
  timestampPrecisionMs?: number;
  /**
   * Precision at which `lastUpdateFrom`/`lastUpdateTo` compare: both sides are cut to it, as a date-typed filter
   * would. `ms` (default), `second` or `day`. J1P's filter precision is UNCONFIRMED.
   */
  filterPrecision?: 'ms' | 'second' | 'day';
}

/** Everything the routes need besides the store. */
export interface JaggaerRouteSettings {
  /** Paging. */
  paging: JaggaerPaging;
  /** Invoice list order and precision. */
  listing: InvoiceListing;
  /** Whether invoice-list entries carry `lineList`. */
  listLines: boolean;
  /** Query parameter names of the invoice list. */
  parameters: InvoiceListParameterNames;
  /** `companyInfo` field carrying a supplier's payment terms (UNCONFIRMED name). */
  supplierPaymentTermsField?: string;
}

/** Which route a request hit (for stats and fault targeting). */
export type JaggaerRouteName =
  | 'token'
  | 'invoice'
  | 'invoices'
  | 'invoiceOcrImport'
  | 'invoicePaymentStatus'
  | 'companyProfiles'
  | 'codingValues'
  | 'purchaseOrders'
  | 'catalogItems';

interface Route {
  name: JaggaerRouteName;
  matcher: PathMatcher;
  methods: readonly string[];
}

/**
 * Finds the route for a path, trying exact paths before templates so `/invoices/ocr` never reads as an invoice id.
 * `tokenPaths` are every path the token endpoint answers on (e.g. both Keycloak layouts); default `paths.token`.
 */
export function createRouteTable(
  paths: JaggaerPaths,
  tokenPaths: readonly string[] = [paths.token],
): (pathname: string) => { route: Route; params: Record<string, string> } | undefined {
  const defs: [JaggaerRouteName, readonly string[]][] = [
    ['token', ['POST']],
    ['invoiceOcrImport', ['POST']],
    ['invoices', ['GET']],
    ['companyProfiles', ['GET', 'POST']],
    ['codingValues', ['GET', 'POST']],
    ['purchaseOrders', ['GET', 'POST']],
    ['catalogItems', ['GET', 'POST']],
    ['invoicePaymentStatus', ['PUT', 'PATCH']],
    ['invoice', ['GET']],
  ];
  const routes: Route[] = defs.flatMap(([name, methods]) =>
    (name === 'token' ? tokenPaths : [paths[name]]).map((template) => ({ name, methods, matcher: compilePath(template) })),
  );
  return (pathname) => {
    for (const route of routes) {
      const params = route.matcher.match(pathname);
      if (params) return { route, params };
    }
    return undefined;
  };
}

async function readJson(request: Request): Promise<unknown> {
  const type = request.headers.get('content-type') ?? '';
  if (!/application\/(?:[\w.+-]*\+)?json/i.test(type)) {
    throw new JaggaerRequestError(415, `Content-Type must be application/json, got "${type || 'none'}".`);
  }
  const text = await request.text();
  if (!text.trim()) throw badRequest('Request body is empty; send a JSON object.');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest('Request body is not valid JSON.');
  }
}

function checkParams(url: URL, allowed: readonly string[]): void {
  for (const name of new Set(url.searchParams.keys())) {
    if (!allowed.includes(name)) throw badRequest(`Unknown query parameter "${name}"; supported: ${allowed.join(', ')}.`);
  }
}

function positiveInt(url: URL, name: string, fallback: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw badRequest(`Query parameter ${name} must be a whole number >= 1, got "${raw}".`);
  return Number(raw);
}

function dateParam(url: URL, name: string): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return undefined;
  const ms = parseJaggaerDate(raw);
  if (ms === undefined) throw badRequest(`Query parameter ${name} must be an ISO 8601 date-time or YYYYMMDD[HHMMSS], got "${raw}".`);
  return ms;
}

type FieldReader<T> = (record: T) => string | number;

/**
 * Applies a JAGGAER Advanced `flt` expression: `;`-separated `KEY==value`, `KEY!=value`, `KEY>=value`, `KEY<=value`
 * conditions, all of which must hold. Keys are case-insensitive; `LASTMODTIME` takes `YYYYMMDD[HHMMSS]` or ISO.
 */
function applyFilter<T>(records: T[], flt: string | null, fields: Record<string, FieldReader<T>>): T[] {
  if (!flt) return records;
  const conditions = flt
    .split(';')
    .filter((c) => c.trim())
    .map((condition) => {
      const m = /^\s*([A-Za-z_]+)\s*(==|!=|>=|<=)\s*(.*?)\s*$/.exec(condition);
      if (!m) throw badRequest(`Invalid flt condition "${condition}"; use KEY==value, KEY!=value, KEY>=value or KEY<=value.`);
      const [, rawKey, op, rawValue] = m as unknown as [string, string, string, string];
      const key = rawKey.toUpperCase();
      const read = fields[key];
      if (!read) throw badRequest(`Unknown flt key "${rawKey}"; supported: ${Object.keys(fields).join(', ')}.`);
      let value: string | number = rawValue;
      if (key === 'LASTMODTIME') {
        const ms = parseJaggaerDate(rawValue);
        if (ms === undefined) throw badRequest(`flt LASTMODTIME must be YYYYMMDD or YYYYMMDDHHMMSS, got "${rawValue}".`);
        value = ms;
      }
      return { read, op, value };
    });
  return records.filter((record) =>
    conditions.every(({ read, op, value }) => {
      const actual = read(record);
      const cmp =
        typeof value === 'number' ? Number(actual) - value : String(actual).toUpperCase().localeCompare(String(value).toUpperCase());
      return op === '==' ? cmp === 0 : op === '!=' ? cmp !== 0 : op === '>=' ? cmp >= 0 : cmp <= 0;
    }),
  );
}

function jaList(url: URL, key: string, items: unknown[], pageSize: number) {
  const start = positiveInt(url, 'start', 1);
  const page = items.slice(start - 1, start - 1 + pageSize);
  return jsonResponse(200, { returnCode: 0, returnMessage: 'OK', totRecords: items.length, returnedRecords: page.length, [key]: page });
}

const invoiceIdOf = (params: Record<string, string>) => {
  const raw = params.invoiceId ?? '';
  if (!/^\d{1,15}$/.test(raw)) throw badRequest(`Invoice id must be numeric, got "${raw}".`);
  return Number(raw);
};

const SUPPLIER_FIELDS: Record<string, FieldReader<JaggaerSupplier>> = {
  BRAVOID: (s) => String(s.bravoId),
  EXTCODE: (s) => s.supplierNumber,
  EXTUNIQUECODE: (s) => s.supplierNumber,
  COMPANYNAME: (s) => s.companyName,
  TYPE: () => 'SELLER',
  STATUS: (s) => s.status,
  PARENTEXTCODE: (s) => s.parentSupplierNumber ?? '',
  LASTMODTIME: (s) => s.lastModTime,
};
const CODING_FIELDS: Record<string, FieldReader<JaggaerCodingValue>> = {
  SEGMENT: (c) => c.segment,
  CODE: (c) => c.code,
  ACTIVE: (c) => String(c.active),
  LASTMODTIME: (c) => c.lastModTime,
};
const PO_FIELDS: Record<string, FieldReader<JaggaerPurchaseOrder>> = {
  PONUMBER: (p) => p.poNumber,
  SUPPLIERNUMBER: (p) => p.supplierNumber,
  STATUS: (p) => p.status,
  LASTMODTIME: (p) => p.lastModTime,
};

/** Default query parameter names of the invoice list (UNCONFIRMED; renamed with the sandbox's `invoiceListParameters`). */
export const INVOICE_LIST_PARAMETERS = Object.freeze(Object.values(DEFAULT_INVOICE_LIST_PARAMETERS));

/**
 * Handles an authenticated API request for a matched route. Throws {@link JaggaerRequestError} for client errors,
 * which the sandbox turns into `{returnCode, returnMessage}` envelopes.
 */
export async function routeApiRequest(
  store: JaggaerStore,
  settings: JaggaerRouteSettings,
  name: Exclude<JaggaerRouteName, 'token'>,
  params: Record<string, string>,
  request: Request,
  url: URL,
): Promise<Response> {
  const { paging, listing } = settings;
  switch (name) {
    case 'invoice': {
      checkParams(url, []);
      const id = invoiceIdOf(params);
      const invoice = store.invoice(id);
      if (!invoice) throw notFound(`Invoice ${id} not found.`);
      return jsonResponse(200, renderInvoice(store, invoice, listing.timestampPrecisionMs));
    }
    case 'invoices': {
      const names = settings.parameters;
      checkParams(url, Object.values(names));
      const text = (key: keyof InvoiceListParameterNames) => url.searchParams.get(names[key]) || undefined;
      const startAt = positiveInt(url, names.startAt, 1);
      const maxRecords = Math.min(positiveInt(url, names.maxRecords, paging.invoicePageSize), paging.invoiceMaxPageSize);
      const query: InvoiceQuery = {};
      const workflowStatus = text('workflowStatus');
      const paymentStatus = text('paymentStatus');
      const supplierNumber = text('supplierNumber');
      if (workflowStatus) query.workflowStatus = workflowStatus;
      if (paymentStatus) query.paymentStatus = paymentStatus;
      if (supplierNumber) query.supplierNumber = supplierNumber;
      const from = dateParam(url, names.lastUpdateFrom);
      const to = dateParam(url, names.lastUpdateTo);
      if (from !== undefined) query.lastUpdateFrom = from;
      if (to !== undefined) query.lastUpdateTo = to;
      const matches = store.queryInvoices(query, listing);
      const page = matches.slice(startAt - 1, startAt - 1 + maxRecords);
      return jsonResponse(200, {
        returnCode: 0,
        returnMessage: '',
        totRecords: matches.length,
        returnedRecords: page.length,
        startAt,
        jiinvoiceList: {
          jiinvoice: page.map((inv) => renderInvoice(store, inv, listing.timestampPrecisionMs, settings.listLines)),
        },
      });
    }
    case 'invoiceOcrImport': {
      checkParams(url, []);
      const input = parseOcrImport(await readJson(request));
      const invoice = store.importInvoice(input);
      return jsonResponse(200, {
        returnCode: 0,
        returnMessage: '',
        invoiceId: invoice.invoiceId,
        invoiceNumber: invoice.invoiceNumber,
        ...(invoice.batchId !== undefined ? { batchId: invoice.batchId } : {}),
      });
    }
    case 'invoicePaymentStatus': {
      checkParams(url, []);
      const id = invoiceIdOf(params);
      const body = parsePaymentStatus(await readJson(request));
      const { invoice } = store.setPaymentStatus(id, body);
      return jsonResponse(200, {
        returnCode: 0,
        returnMessage: '',
        invoiceId: invoice.invoiceId,
        paymentStatus: invoice.paymentStatus,
        lastUpdate: renderTimestamp(invoice.lastUpdate, listing.timestampPrecisionMs),
      });
    }
    case 'companyProfiles': {
      if (request.method === 'GET') {
        checkParams(url, ['start', 'flt', 'comp']);
        const items = applyFilter(store.suppliers(), url.searchParams.get('flt'), SUPPLIER_FIELDS);
        const components = (url.searchParams.get('comp') ?? '').split(';').map((c) => c.trim().toUpperCase());
        const render = { users: components.includes('USER'), ...(settings.supplierPaymentTermsField ? { paymentTermsField: settings.supplierPaymentTermsField } : {}) };
        return jaList(url, 'returnCompanyData', items.map((s) => renderCompany(store, s, render)), paging.listPageSize);
      }
      checkParams(url, []);
      const { operation, input } = parseCompanyUpsert(await readJson(request), settings.supplierPaymentTermsField);
      const { supplier } = store.upsertSupplier(operation, input);
      return jsonResponse(200, { returnCode: 0, returnMessage: 'OK', bravoId: supplier.bravoId });
    }
    case 'codingValues': {
      if (request.method === 'GET') {
        checkParams(url, ['start', 'flt']);
        const items = applyFilter(store.codingValues(), url.searchParams.get('flt'), CODING_FIELDS);
        return jaList(url, 'returnCodingValueData', items.map(renderCodingValue), paging.listPageSize);
      }
      checkParams(url, []);
      const { operation, values } = parseCodingValues(await readJson(request));
      const counts = store.upsertCodingValues(operation, values);
      return jsonResponse(200, { returnCode: 0, returnMessage: 'OK', totRecords: values.length, ...counts });
    }
    case 'purchaseOrders': {
      if (request.method === 'GET') {
        checkParams(url, ['start', 'flt']);
        const items = applyFilter(store.purchaseOrders(), url.searchParams.get('flt'), PO_FIELDS);
        return jaList(url, 'returnPurchaseOrderData', items.map(renderPurchaseOrder), paging.listPageSize);
      }
      checkParams(url, []);
      const { operation, input } = parsePurchaseOrder(await readJson(request));
      const { purchaseOrder } = store.upsertPurchaseOrder(operation, input);
      return jsonResponse(200, { returnCode: 0, returnMessage: 'OK', purchaseOrderId: purchaseOrder.purchaseOrderId, poNumber: purchaseOrder.poNumber });
    }
    case 'catalogItems': {
      if (request.method === 'GET') {
        checkParams(url, ['start', 'flt']);
        const items = applyFilter(store.catalog.all(), url.searchParams.get('flt'), CATALOG_ITEM_FIELDS);
        return jaList(url, 'returnCatalogItemData', items.map(renderCatalogItem), paging.listPageSize);
      }
      checkParams(url, []);
      return jsonResponse(200, { returnCode: 0, returnMessage: 'OK', ...store.catalog.upsert(await readJson(request)) });
    }
  }
}

/** Turns a thrown {@link JaggaerRequestError} into its envelope; anything else becomes a 500 envelope. */
export function errorToResponse(error: unknown): Response {
  if (error instanceof JaggaerRequestError) return jaggaerError(error.status, error.message);
  return jaggaerError(500, `Internal error: ${error instanceof Error ? error.message : String(error)}`);
}
