import type { NavFieldSpec, PublishedPage } from './model.js';
import { edmType, generateMetadata } from './model.js';
import { ODataSyntaxError, type TypedValue, compareValues, parseFilter, parseKeyPredicate } from './odata.js';
import type { NavRecordData } from './seed.js';
import { NavEmulatorError, type NavStore, type StoredRecord } from './store.js';

/** An API request after routing and authentication. */
export interface NavApiRequest {
  /** OData version of the endpoint. */
  readonly version: 'v4' | 'v3';
  /** Absolute service root, e.g. `http://127.0.0.1:1234/DynamicsNAV110/ODataV4/`. */
  readonly serviceRoot: string;
  /** Company named in the URL, if any. */
  readonly company: string | undefined;
  /** Path after the service root (and company segment), decoded per segment. */
  readonly path: string;
  /** The request. */
  readonly request: Request;
}

/** Settings the router needs. */
export interface RouterSettings {
  /** Published pages by service name. */
  readonly pages: ReadonlyMap<string, PublishedPage>;
  /** The company data. */
  readonly store: NavStore;
  /** Company name. */
  readonly company: string;
  /** `ODataServicesMaxPageSize`. */
  readonly maxPageSize: number;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } });

/** The error body of each version: v4 `{ error: { code, message } }`, v3 `{ "odata.error": … }`. */
export function errorResponse(version: 'v4' | 'v3', status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  const body =
    version === 'v4'
      ? { error: { code, message: `${message}  CorrelationId:  00000000-0000-0000-0000-000000000000.` } }
      : { 'odata.error': { code, message: { lang: 'en-US', value: message } } };
  return json(status, body, headers);
}

function toWireValue(spec: NavFieldSpec, value: unknown, version: 'v4' | 'v3', type: string): unknown {
  switch (spec.type) {
    case 'Decimal':
      return version === 'v3' ? String(value) : value;
    case 'Date':
      return version === 'v4' ? value : `${String(value)}T00:00:00`;
    case 'DateTime':
      return version === 'v4' ? value : String(value).replace(/Z$/, '');
    case 'Option':
      // Blank options are `_blank_` on OData v4 (UNCONFIRMED for v3, where the blank caption is sent).
      return value === ' ' && version === 'v4' ? '_blank_' : value;
    default:
      return type === 'Edm.Boolean' && typeof value !== 'boolean' ? Boolean(value) : value;
  }
}

/** Serialises a stored record as the page publishes it. */
function toWire(page: PublishedPage, store: NavStore, record: StoredRecord, version: 'v4' | 'v3', select?: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { [version === 'v4' ? '@odata.etag' : 'odata.etag']: store.etag(page.spec.table, record) };
  for (const [published, field] of page.fields) {
    if (select && !select.includes(published)) continue;
    const spec = page.spec.fields[field] as NavFieldSpec;
    out[published] = toWireValue(spec, record.data[field], version, edmType(spec.type, version));
  }
  return out;
}

function typed(page: PublishedPage, version: 'v4' | 'v3', record: StoredRecord, published: string): TypedValue {
  const field = page.fields.get(published) as string;
  const spec = page.spec.fields[field] as NavFieldSpec;
  const type = edmType(spec.type, version);
  const raw = record.data[field];
  if (spec.type === 'DateTime') return { type, value: Date.parse(String(raw)) };
  if (spec.type === 'Date' && version === 'v3') return { type, value: Date.parse(`${String(raw)}T00:00:00Z`) };
  if (spec.type === 'Option' && raw === ' ' && version === 'v4') return { type, value: '_blank_' };
  return { type, value: raw };
}

/** Reads a request body value for one field, checking its JSON type. */
function fromWireValue(page: PublishedPage, published: string, value: unknown, version: 'v4' | 'v3'): unknown {
  const field = page.fields.get(published) as string;
  const spec = page.spec.fields[field] as NavFieldSpec;
  const bad = (expected: string) =>
    new NavEmulatorError(400, 'BadRequest', `Cannot convert the literal '${JSON.stringify(value)}' to the expected type '${expected}' for property '${published}'.`);
  switch (spec.type) {
    case 'Decimal':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
      throw bad('Edm.Decimal');
    case 'Integer':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      throw bad('Edm.Int32');
    case 'Boolean':
      if (typeof value === 'boolean') return value;
      throw bad('Edm.Boolean');
    case 'Date': {
      const pattern = version === 'v4' ? /^\d{4}-\d{2}-\d{2}$/ : /^\d{4}-\d{2}-\d{2}T00:00(:00(\.0+)?)?$/;
      if (typeof value === 'string' && pattern.test(value) && !Number.isNaN(Date.parse(value.slice(0, 10)))) return value.slice(0, 10);
      throw bad(edmType('Date', version));
    }
    case 'DateTime':
      if (typeof value === 'string' && !Number.isNaN(Date.parse(version === 'v3' ? `${value}Z` : value))) return new Date(version === 'v3' ? `${value}Z` : value).toISOString();
      throw bad(edmType('DateTime', version));
    case 'Option':
      if (typeof value !== 'string') throw bad('Edm.String');
      return value === '_blank_' ? ' ' : value;
    default:
      if (value === null) return '';
      if (typeof value !== 'string') throw bad('Edm.String');
      // NAV stores Code fields upper-case.
      return spec.type === 'Code' ? value.toUpperCase() : value;
  }
}

function readBody(page: PublishedPage, body: unknown, version: 'v4' | 'v3', entityType: string): NavRecordData {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new NavEmulatorError(400, 'BadRequest', 'The request body must be a JSON object.');
  }
  const out: NavRecordData = {};
  for (const [published, value] of Object.entries(body)) {
    if (published.startsWith('@odata.') || published.startsWith('odata.')) continue;
    const field = page.fields.get(published);
    if (field === undefined) {
      throw new NavEmulatorError(
        400,
        'BadRequest',
        `The property '${published}' does not exist on type '${entityType}'. Make sure to only use property names that are defined by the type.`,
      );
    }
    const spec = page.spec.fields[field] as NavFieldSpec;
    if (page.spec.fixed && field in page.spec.fixed) {
      if (fromWireValue(page, published, value, version) !== page.spec.fixed[field]) {
        throw new NavEmulatorError(400, 'Application_DialogException', `${published} must be ${String(page.spec.fixed[field])} on page ${page.name}.`);
      }
      continue;
    }
    if (spec.readOnly) throw new NavEmulatorError(400, 'Application_DialogException', `The field ${published} of page ${page.name} is not editable.`);
    out[field] = fromWireValue(page, published, value, version);
  }
  return out;
}

const SYSTEM_OPTIONS = {
  v4: new Set(['$filter', '$select', '$orderby', '$top', '$skip', '$skiptoken', '$count', '$format', '$expand', '$schemaversion']),
  v3: new Set(['$filter', '$select', '$orderby', '$top', '$skip', '$skiptoken', '$inlinecount', '$format', '$expand']),
};

function encodeToken(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

function decodeToken(token: string): unknown[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (Array.isArray(values)) return values;
  } catch {
    // fall through
  }
  throw new ODataSyntaxError(`The skip token '${token}' is not valid.`);
}

/** Handles an OData request for the published pages. */
export function routeApi(settings: RouterSettings, api: NavApiRequest, body: unknown): Response {
  const { version } = api;
  const { store, pages } = settings;
  try {
    if (api.company !== undefined && api.company !== settings.company) {
      throw new NavEmulatorError(400, 'Internal_CompanyNotFound', `Cannot open company ${api.company}.`);
    }
    const method = api.request.method;
    const path = api.path;
    if (path === '$metadata') {
      return new Response(generateMetadata(pages.values(), version), { status: 200, headers: { 'content-type': 'application/xml; charset=utf-8' } });
    }
    if (path === '' || path === 'Company') {
      const companies = [{ Name: settings.company, Display_Name: settings.company, Id: '6b0f9e0c-1e1b-4d2f-9c1a-7f3a0e5b2c11' }];
      if (path === '') return json(200, { [version === 'v4' ? '@odata.context' : 'odata.metadata']: `${api.serviceRoot}$metadata`, value: [...pages.keys()].map((name) => ({ name, kind: 'EntitySet', url: name })) });
      return json(200, { [version === 'v4' ? '@odata.context' : 'odata.metadata']: `${api.serviceRoot}$metadata#Company`, value: companies });
    }
    const match = /^([A-Za-z_][A-Za-z0-9_]*)(\(.*\))?(\/.*)?$/.exec(path);
    const page = match ? pages.get(match[1] as string) : undefined;
    if (!match || !page) {
      throw new NavEmulatorError(404, 'BadRequest_NotFound', `No HTTP resource was found that matches the request URI '${api.request.url}'.`);
    }
    if (match[3] !== undefined) {
      // Bound actions (e.g. posting) are not published on these pages: journals stay unposted.
      throw new NavEmulatorError(404, 'BadRequest_NotFound', `The request URI is not valid. The segment '${match[3].slice(1)}' is not an action or navigation property of '${page.name}'.`);
    }
    const entityType = `NAV.${page.name}`;
    const contextKey = version === 'v4' ? '@odata.context' : 'odata.metadata';
    const table = page.spec.table;
    const inPage = (record: StoredRecord) => Object.entries(page.spec.fixed ?? {}).every(([k, v]) => record.data[k] === v);
    const locate = (predicate: string): StoredRecord => {
      const key = parseKeyPredicate(predicate, page.keys, version);
      const standard: NavRecordData = { ...(page.spec.fixed ?? {}) };
      for (const [published, value] of Object.entries(key)) standard[page.fields.get(published) as string] = value;
      const record = store.find(table, standard);
      if (!record || !inPage(record)) {
        const ids = page.keys.map((k) => `${k}='${String(key[k])}'`).join(',');
        throw new NavEmulatorError(404, 'Internal_RecordNotFound', `The ${page.name} does not exist. Identification fields and values: ${ids}`);
      }
      return record;
    };
    const checkIfMatch = (record: StoredRecord) => {
      const ifMatch = api.request.headers.get('if-match');
      if (ifMatch === null) {
        throw new NavEmulatorError(400, 'Request_InvalidToken', 'Could not validate the client concurrency token required by the service. Please provide a valid token in the client request.');
      }
      if (ifMatch !== '*' && ifMatch !== store.etag(table, record)) {
        throw new NavEmulatorError(412, 'Request_EntityChanged', `Another user has already changed the record.`);
      }
    };

    if (match[2] === undefined) {
      if (method === 'GET') return list(settings, api, page, entityType, contextKey, inPage);
      if (method === 'POST') {
        if (!page.spec.insertAllowed) throw new NavEmulatorError(405, 'BadRequest_MethodNotAllowed', `Insert is not allowed on ${page.name}.`);
        const values = readBody(page, body, version, entityType);
        const record = store.insert(page.spec, values);
        const location = `${api.serviceRoot}${page.name}`;
        return json(201, { [contextKey]: `${api.serviceRoot}$metadata#${page.name}/$entity`, ...toWire(page, store, record, version) }, { Location: location, ETag: store.etag(table, record) });
      }
      throw new NavEmulatorError(405, 'BadRequest_MethodNotAllowed', `${method} is not allowed on the entity set ${page.name}.`);
    }
    const record = locate(match[2]);
    if (method === 'GET') return json(200, { [contextKey]: `${api.serviceRoot}$metadata#${page.name}/$entity`, ...toWire(page, store, record, version) }, { ETag: store.etag(table, record) });
    if (method === 'PATCH' || method === 'MERGE') {
      if (!page.spec.modifyAllowed) throw new NavEmulatorError(405, 'BadRequest_MethodNotAllowed', `Modify is not allowed on ${page.name}.`);
      checkIfMatch(record);
      const changes = readBody(page, body, version, entityType);
      for (const key of page.spec.keys) {
        if (key in changes && changes[key] !== record.data[key]) {
          throw new NavEmulatorError(400, 'Application_DialogException', `Key field ${page.published.get(key)} cannot be changed through OData; rename the record in NAV.`);
        }
      }
      store.modify(page.spec, record, changes);
      const etag = store.etag(table, record);
      // OData v3 answers 204 unless the client asks for the content (Prefer: return-content).
      if (version === 'v3' && !/return-content/i.test(api.request.headers.get('prefer') ?? '')) return new Response(null, { status: 204, headers: { ETag: etag } });
      return json(200, { [contextKey]: `${api.serviceRoot}$metadata#${page.name}/$entity`, ...toWire(page, store, record, version) }, { ETag: etag });
    }
    if (method === 'DELETE') {
      if (!page.spec.deleteAllowed) throw new NavEmulatorError(405, 'BadRequest_MethodNotAllowed', `Delete is not allowed on ${page.name}.`);
      checkIfMatch(record);
      store.remove(page.spec, record);
      return new Response(null, { status: 204 });
    }
    throw new NavEmulatorError(405, 'BadRequest_MethodNotAllowed', `${method} is not allowed on an entity of ${page.name}.`);
  } catch (error) {
    if (error instanceof NavEmulatorError) return errorResponse(version, error.status, error.code, error.message);
    if (error instanceof ODataSyntaxError) return errorResponse(version, 400, 'BadRequest', error.message);
    throw error;
  }
}

function list(
  settings: RouterSettings,
  api: NavApiRequest,
  page: PublishedPage,
  entityType: string,
  contextKey: string,
  inPage: (record: StoredRecord) => boolean,
): Response {
  const { version } = api;
  const { store } = settings;
  const url = new URL(api.request.url);
  const params = url.searchParams;
  for (const name of params.keys()) {
    if (name.startsWith('$') && !SYSTEM_OPTIONS[version].has(name)) {
      throw new ODataSyntaxError(`The query parameter '${name}' begins with a system-reserved '$' character but is not recognized.`);
    }
  }
  if (params.has('$expand')) throw new ODataSyntaxError(`Could not find a property named '${params.get('$expand')}' on type '${entityType}'.`);
  const fieldType = (name: string) => {
    const field = page.fields.get(name);
    return field === undefined ? undefined : edmType((page.spec.fields[field] as NavFieldSpec).type, version);
  };
  let rows = store.rows(page.spec.table).filter(inPage);
  const filter = params.get('$filter');
  if (filter !== null) {
    const predicate = parseFilter(filter, version, fieldType, entityType);
    rows = rows.filter((record) => predicate((name) => typed(page, version, record, name)));
  }
  const orderBy = (params.get('$orderby') ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((item) => {
      const [name = '', direction = 'asc'] = item.split(/\s+/);
      if (fieldType(name) === undefined) throw new ODataSyntaxError(`Could not find a property named '${name}' on type '${entityType}'.`);
      return { name, descending: direction === 'desc' };
    });
  // Sort by the requested fields, then by the key, so skip tokens (sort values + key) resume exactly.
  const sortKeys = [...orderBy, ...page.keys.map((name) => ({ name, descending: false }))];
  const tuple = (record: StoredRecord) => sortKeys.map((k) => typed(page, version, record, k.name).value);
  const compareTuples = (a: unknown[], b: unknown[]) => {
    for (const [index, key] of sortKeys.entries()) {
      const order = compareValues(a[index], b[index]);
      if (order !== 0) return key.descending ? -order : order;
    }
    return 0;
  };
  rows = [...rows].sort((a, b) => compareTuples(tuple(a), tuple(b)));
  const total = rows.length;
  const token = params.get('$skiptoken');
  if (token !== null) {
    const after = decodeToken(token);
    rows = rows.filter((record) => compareTuples(tuple(record), after) > 0);
  }
  const skip = Number(params.get('$skip') ?? 0);
  if (!Number.isInteger(skip) || skip < 0) throw new ODataSyntaxError(`Invalid value '${params.get('$skip')}' for $skip query option found.`);
  rows = rows.slice(skip);
  const top = params.get('$top');
  if (top !== null) {
    const n = Number(top);
    if (!Number.isInteger(n) || n < 0) throw new ODataSyntaxError(`Invalid value '${top}' for $top query option found.`);
    rows = rows.slice(0, n);
  }
  const preferred = version === 'v4' ? /odata\.maxpagesize=(\d+)/.exec(api.request.headers.get('prefer') ?? '') : null;
  const pageSize = preferred ? Math.min(Number(preferred[1]), settings.maxPageSize) : settings.maxPageSize;
  const pageRows = rows.slice(0, Math.max(pageSize, 1));
  const select = params.get('$select')?.split(',').map((s) => s.trim());
  for (const name of select ?? []) if (fieldType(name) === undefined) throw new ODataSyntaxError(`Could not find a property named '${name}' on type '${entityType}'.`);
  const body: Record<string, unknown> = {
    [contextKey]: `${api.serviceRoot}$metadata#${page.name}`,
    ...(params.get('$count') === 'true' ? { '@odata.count': total } : {}),
    ...(params.get('$inlinecount') === 'allpages' ? { 'odata.count': String(total) } : {}),
    value: pageRows.map((record) => toWire(page, store, record, version, select)),
  };
  if (rows.length > pageRows.length) {
    const next = new URL(url.href);
    next.searchParams.delete('$skiptoken');
    next.searchParams.set('$skiptoken', encodeToken(tuple(pageRows[pageRows.length - 1] as StoredRecord)));
    // $skip is consumed by this page; $top shrinks by what this page returned.
    next.searchParams.delete('$skip');
    if (top !== null) next.searchParams.set('$top', String(Number(top) - pageRows.length));
    body[version === 'v4' ? '@odata.nextLink' : 'odata.nextLink'] = next.href.replaceAll('%24', '$').replaceAll('%27', "'");
  }
  const headers: Record<string, string> = preferred ? { 'Preference-Applied': `odata.maxpagesize=${pageSize}` } : {};
  return json(200, body, headers);
}
