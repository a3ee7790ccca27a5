import { FoEmulatorError, JSON_HEADERS, foErrors } from './errors.js';
import { ENTITY_DEFS, type EntitySetName, isEntitySetName } from './model.js';
import { evaluate, parseCollectionQuery, project, sortRows } from './odata.js';
import { type FinanceOperationsStore, type StoredRecord, etagOf, serialise } from './store.js';

/** One API request after routing to `/data/…`. */
export interface ApiRequest {
  method: string;
  /** Path below the service root, e.g. `VendorsV2(dataAreaId='usmf',VendorAccountNumber='V00001')`. */
  path: string;
  query: URLSearchParams;
  headers: Headers;
  body: unknown;
  /** Service root URL (for next links), ending in `/data`. */
  serviceRoot: string;
  /** The caller's default company (F&O user's company). */
  defaultCompany: string;
}

/** A routed answer. */
export interface ApiResult {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

/** What the router needs from the sandbox. */
export interface RouterContext {
  store: FinanceOperationsStore;
  maxPageSize: number;
  requireIfMatch: boolean;
  now: () => number;
  /** Called after every successful write (for business events and tests). */
  onWrite?: (set: EntitySetName, record: StoredRecord, method: string) => void;
  nextHeaderReference: () => string;
}

const RECORD_PATH = /^([A-Za-z][\w]*)(?:\((.*)\))?$/s;

/** Parses a key predicate `a='x',b=2` (or a single value) into fields. */
export function parseKeyPredicate(set: EntitySetName, text: string): Record<string, unknown> {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of text) {
    if (ch === "'") quoted = !quoted;
    if (ch === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  const keys = ENTITY_DEFS[set].keys;
  const key: Record<string, unknown> = {};
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq < 0) throw foErrors.badRequest(`The key predicate '(${text})' must name every key property of ${set}: ${keys.join(', ')}.`);
    const name = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    key[name] = raw.startsWith("'") ? raw.slice(1, -1).replaceAll("''", "'") : Number(raw);
  }
  const names = Object.keys(key);
  if (names.length !== keys.length || !keys.every((k) => names.includes(k))) {
    throw foErrors.badRequest(`The number of keys specified in the URI does not match number of key properties for the resource '${set}'. Expected: ${keys.join(', ')}.`);
  }
  return key;
}

function visible(record: StoredRecord, now: number): boolean {
  return record.$visibleAt === undefined || (record.$visibleAt as number) <= now;
}

function json(status: number, body: unknown, extra: Record<string, string> = {}): ApiResult {
  return { status, headers: { ...JSON_HEADERS, ...extra }, body };
}

/** Routes one request to an entity set. */
export function routeApi(ctx: RouterContext, request: ApiRequest): ApiResult {
  const decoded = decodeURIComponent(request.path);
  const match = RECORD_PATH.exec(decoded);
  if (!match) throw foErrors.resourceNotFound(decoded);
  const set = match[1] as string;
  if (!isEntitySetName(set)) throw foErrors.resourceNotFound(set);
  const def = ENTITY_DEFS[set];
  const query = parseCollectionQuery(request.query);
  const now = ctx.now();
  const inScope = (record: StoredRecord) => !def.company || query.crossCompany || String(record.dataAreaId) === request.defaultCompany;

  if (match[2] === undefined) {
    if (request.method === 'GET') {
      let rows = ctx.store.all(set).filter((r) => visible(r, now) && inScope(r));
      const filter = query.filter;
      if (filter) rows = rows.filter((r) => evaluate(filter, r, { enums: def.enums }));
      rows = sortRows(rows, query.orderBy, def.keys);
      const total = rows.length;
      const wanted = query.top === undefined ? rows.length - query.skip : Math.min(query.top, rows.length - query.skip);
      const pageSize = Math.min(Math.max(wanted, 0), ctx.maxPageSize);
      const page = rows.slice(query.skip, query.skip + pageSize);
      const body: Record<string, unknown> = { '@odata.context': `${request.serviceRoot}/$metadata#${set}`, value: page.map((r) => project(serialise(r), query.select)) };
      if (query.count) body['@odata.count'] = total;
      if (wanted > pageSize) {
        const next = new URLSearchParams(request.query);
        next.set('$skip', String(query.skip + pageSize));
        if (query.top !== undefined) next.set('$top', String(query.top - pageSize));
        body['@odata.nextLink'] = `${request.serviceRoot}/${set}?${next.toString().replaceAll('+', '%20').replaceAll('%24', '$')}`;
      }
      return json(200, body);
    }
    if (request.method === 'POST') return create(ctx, set, request);
    throw foErrors.methodNotAllowed(request.method, set);
  }

  const key = parseKeyPredicate(set, match[2]);
  const record = ctx.store.get(set, key);
  const found = record && visible(record, now) && inScope(record) ? record : undefined;
  if (request.method === 'GET') {
    if (!found) throw foErrors.notFound(`${request.serviceRoot}/${request.path}`);
    return json(200, project(serialise(found), query.select), { etag: etagOf(found) });
  }
  if (!def.writable) throw foErrors.methodNotAllowed(request.method, set);
  if (!found) throw foErrors.notFound(`${request.serviceRoot}/${request.path}`);
  const ifMatch = request.headers.get('if-match');
  if (ifMatch === null && ctx.requireIfMatch) throw foErrors.badRequest('An If-Match header is required to change this record.');
  if (ifMatch !== null && ifMatch !== '*' && ifMatch !== etagOf(found)) throw foErrors.preconditionFailed();
  if (request.method === 'PATCH' || request.method === 'PUT') {
    const patch = bodyObject(request.body);
    for (const k of def.keys) if (k in patch && String(patch[k]).toLowerCase() !== String(found[k]).toLowerCase()) throw foErrors.badRequest(`The key field '${k}' cannot be changed.`);
    validateFields(ctx, set, { ...found, ...patch });
    Object.assign(found, patch, { $version: ctx.store.nextVersion() });
    ctx.onWrite?.(set, found, 'PATCH');
    return { status: 204, headers: { etag: etagOf(found) } };
  }
  if (request.method === 'DELETE') {
    ctx.store.delete(set, found);
    if (set === 'VendorInvoiceHeaders') for (const line of ctx.store.all('VendorInvoiceLines')) if (line.dataAreaId === found.dataAreaId && line.HeaderReference === found.HeaderReference) ctx.store.delete('VendorInvoiceLines', line);
    ctx.onWrite?.(set, found, 'DELETE');
    return { status: 204, headers: {} };
  }
  throw foErrors.methodNotAllowed(request.method, set);
}

function bodyObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw foErrors.badRequest('The request body must be a JSON object.');
  return body as Record<string, unknown>;
}

function create(ctx: RouterContext, set: EntitySetName, request: ApiRequest): ApiResult {
  const def = ENTITY_DEFS[set];
  if (!def.writable) throw foErrors.methodNotAllowed('POST', set);
  const row: Record<string, unknown> = { ...def.defaults, ...bodyObject(request.body) };
  for (const k of Object.keys(row)) if (k.startsWith('@odata.') || k.startsWith('$')) delete row[k];
  if (def.company) row.dataAreaId = String(row.dataAreaId ?? request.defaultCompany).toLowerCase();
  if (set === 'VendorInvoiceHeaders' && (row.HeaderReference === undefined || row.HeaderReference === '')) row.HeaderReference = ctx.nextHeaderReference();
  for (const field of [...def.required, ...def.keys]) {
    if (row[field] === undefined || row[field] === null || row[field] === '') throw foErrors.badRequest(`Field '${field}' must be filled in.`);
  }
  if (ctx.store.get(set, row)) {
    throw new FoEmulatorError(400, `Write failed for table row of type '${set}'. Infolog: Error: Cannot create a record in ${set}. The record already exists.`, {}, 'Microsoft.Dynamics.Ax.Xpp.ErrorException');
  }
  validateFields(ctx, set, row);
  const stored = ctx.store.insert(set, row);
  ctx.onWrite?.(set, stored, 'POST');
  return json(201, serialise(stored), { location: `${request.serviceRoot}/${set}`, etag: etagOf(stored) });
}

/** Cross-record checks F&O runs on insert and update (validateWrite). */
function validateFields(ctx: RouterContext, set: EntitySetName, row: Record<string, unknown>): void {
  const fail = (message: string) => new FoEmulatorError(400, `Write failed for table row of type '${set}'. Infolog: Error: ${message}`, {}, 'Microsoft.Dynamics.Ax.Xpp.ErrorException');
  if (set === 'VendorInvoiceHeaders') {
    const vendor = ctx.store.get('VendorsV2', { dataAreaId: row.dataAreaId, VendorAccountNumber: row.VendorAccount });
    if (!vendor) throw fail(`Vendor account ${String(row.VendorAccount)} does not exist in ${String(row.dataAreaId)}.`);
    if (vendor.OnHoldStatus === 'All' || vendor.OnHoldStatus === 'Invoice') throw fail(`Vendor ${String(row.VendorAccount)} is on hold for ${String(vendor.OnHoldStatus)}.`);
  }
  if (set === 'VendorInvoiceLines') {
    if (!ctx.store.get('VendorInvoiceHeaders', { dataAreaId: row.dataAreaId, HeaderReference: row.HeaderReference })) throw fail(`Invoice header ${String(row.HeaderReference)} does not exist.`);
    const display = String(row.MainAccountDisplayValue ?? '');
    if (display !== '') {
      const mainAccount = display.split('-')[0] as string;
      const account = ctx.store.all('MainAccounts').find((a) => a.MainAccountId === mainAccount);
      if (!account) throw fail(`Main account ${mainAccount} does not exist.`);
      if (account.IsSuspended === 'Yes') throw fail(`Main account ${mainAccount} is suspended.`);
    }
    for (const n of ['ReceiveNow', 'UnitPrice', 'Amount']) if (typeof row[n] !== 'number' || !Number.isFinite(row[n] as number)) throw fail(`${n} must be a number.`);
  }
}
