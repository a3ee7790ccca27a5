import {
  type HttpClient,
  InvalidInputError,
  type ODataValue,
  type PagedAsyncIterable,
  edm,
  appendKeyPredicate,
  chunkedKeyFilters,
  rawFilter,
  odataFilter,
  odataNextLink,
  odataQuery,
  paginate,
} from '@ml-connector/core';
import type { NavODataVersion } from '../metadata.js';
import { type NavRecord, type NavRecordInput, fromWire, toWire, wireCollectionSchema, wireRecordSchema } from '../schemas/records.js';
import type { ResolvedService, ServiceField, ServiceName } from '../services.js';

/** What every resource needs: transport, OData version, resolved services and the connect gate. */
export interface NavContext {
  /** Transport rooted at the company (`…/ODataV4/Company('…')/`). */
  readonly http: HttpClient;
  /** Absolute URL the transport is rooted at, to measure request URLs of batched lookups. */
  readonly rootUrl: string;
  /** OData version of the endpoint. */
  readonly version: NavODataVersion;
  /** Resolves when `$metadata` has been checked; rejects with the mismatch error otherwise. */
  ready(): Promise<void>;
  /** The resolved service, or a clear error when it is disabled. */
  service(name: ServiceName): ResolvedService;
}

/** Options of `list()` calls. */
export interface NavListOptions<S extends ServiceName> {
  /** Equality conditions on logical fields, combined with `and`, e.g. `{ blocked: '' }`. */
  where?: { [F in ServiceField<S>]?: ODataValue };
  /** Only records whose last-modified field is at or after this instant (services that publish one). */
  modifiedSince?: Date | string;
  /** Sort by logical fields, ascending. */
  orderBy?: readonly ServiceField<S>[];
  /** At most this many records (`$top`). */
  top?: number;
  /** Cancels the listing. */
  signal?: AbortSignal;
}

/** Keys per request of a batched lookup: 20 `eq` terms joined by `or` stay within ASP.NET OData's default 100-node limit. */
export const NAV_LOOKUP_KEYS_PER_REQUEST = 20;

/** Longest request URL a batched lookup builds (IIS and http.sys accept more; proxies in front of NAV often not). */
export const NAV_LOOKUP_MAX_URL_LENGTH = 2048;

/** Options of writes that replace a known version. */
export interface NavEtagOptions {
  /** The record's `etag` as read. NAV answers 412 (`ConflictError`) when someone changed it since. */
  etag: string;
  /** Cancels the call. */
  signal?: AbortSignal;
}

/** Validates an ETag for `If-Match`. */
export function requireEtag(options: NavEtagOptions | undefined, operation: string): string {
  const etag = options?.etag;
  if (typeof etag !== 'string' || etag.trim() === '' || /[\r\n]/.test(etag)) {
    throw new InvalidInputError(`${operation} needs { etag }: pass record.etag from the record you read (or '*' to overwrite deliberately)`, {
      field: 'etag',
    });
  }
  return etag;
}

function keyValue(kind: string, value: unknown, field: string): ODataValue {
  if (kind === 'integer') {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      throw new InvalidInputError(`${field} must be a whole number, got ${JSON.stringify(value)}`, { field });
    }
    return edm.int32(value);
  }
  if (typeof value !== 'string' || value === '') {
    throw new InvalidInputError(`${field} must be a non-empty string, got ${JSON.stringify(value)}`, { field });
  }
  return value;
}

/** Generic operations on one published page, in logical field names. Resources compose these. */
export interface EntitySetOperations<S extends ServiceName> {
  /** The resolved service. */
  service(): ResolvedService;
  /** Path of one record, e.g. `PurchaseOrder(Document_Type='Order',No='106001')`. */
  keyPath(key: Record<string, unknown>, operation: string): string;
  /** Lists records lazily, page by page, following the server's next links. */
  list(options: NavListOptions<S> | undefined, operation: string, fixed?: Record<string, ODataValue>, extraFilter?: string): PagedAsyncIterable<NavRecord<S>>;
  /**
   * Every record whose `field` is one of `values`, in as few requests as the URL limit allows: core's
   * `chunkedKeyFilters` (`or` chains in the endpoint's dialect, at most {@link NAV_LOOKUP_KEYS_PER_REQUEST} keys
   * each), `and`-combined with `where` and `fixed`. Duplicate values are looked up once.
   */
  listIn(field: string, values: readonly ODataValue[], options: NavListOptions<S> | undefined, operation: string, fixed?: Record<string, ODataValue>): Promise<NavRecord<S>[]>;
  /** Reads one record; `NotFoundError` when it does not exist. */
  get(key: Record<string, unknown>, operation: string, signal?: AbortSignal): Promise<NavRecord<S>>;
  /** Creates a record and returns it as NAV stored it (numbers assigned, defaults filled). */
  create(values: NavRecordInput<S>, operation: string, fixed?: Record<string, unknown>, signal?: AbortSignal): Promise<NavRecord<S>>;
  /** Changes fields of a record with `If-Match`; key fields cannot change. */
  update(key: Record<string, unknown>, patch: NavRecordInput<S>, options: NavEtagOptions, operation: string): Promise<NavRecord<S>>;
  /** Deletes a record with `If-Match`. */
  remove(key: Record<string, unknown>, options: NavEtagOptions, operation: string): Promise<void>;
}

/** Builds the generic operations of service `name`. */
export function entitySet<S extends ServiceName>(context: NavContext, name: S): EntitySetOperations<S> {
  const { http, version } = context;
  const dialect = { dialect: version } as const;
  const service = () => context.service(name);

  const keyPath = (key: Record<string, unknown>, operation: string): string => {
    const s = service();
    const parts: Record<string, ODataValue> = {};
    for (const field of s.keys) {
      parts[field.name] = keyValue(field.kind, key[field.logical], `${operation}.${field.logical}`) as ODataValue;
    }
    const values = Object.values(parts) as Exclude<ODataValue, null>[];
    // Single-part keys use the short form `Vendor('V00001')`; composite keys name every part.
    return appendKeyPredicate(s.entitySet, values.length === 1 ? (values[0] as Exclude<ODataValue, null>) : (parts as Record<string, Exclude<ODataValue, null>>), dialect);
  };

  const readRecord = async (path: string, operation: string, signal?: AbortSignal) => {
    await context.ready();
    const response = await http.request({ path, schema: wireRecordSchema(service()), operation, ...(signal ? { signal } : {}) });
    return fromWire<S>(service(), response.data as Record<string, unknown>);
  };

  /** The first page's URL (relative to the company root) of a listing. */
  const firstUrl = (options: NavListOptions<S>, operation: string, fixed: Record<string, ODataValue>, extraFilter?: string): string => {
    const s = service();
    let query = odataQuery<Record<string, unknown>>(dialect);
    const conditions: [string, ODataValue][] = [];
    for (const [logical, value] of Object.entries({ ...fixed, ...(options.where ?? {}) })) {
      const field = s.field(logical);
      if (!field) throw new InvalidInputError(`${operation}: ${name} has no published field "${logical}" to filter on`, { field: logical });
      // A blank option is written the way NAV serialises it: `_blank_` on v4, the blank caption on v3.
      const wire = field.kind === 'option' && value === '' ? (version === 'v4' ? '_blank_' : ' ') : value;
      conditions.push([field.name, wire as ODataValue]);
    }
    if (conditions.length > 0) {
      query = query.filter(odataFilter((f) => f.and(...conditions.map(([field, value]) => f.eq(field, value))), dialect));
    }
    if (extraFilter !== undefined) query = query.filter(rawFilter(extraFilter));
    if (options.modifiedSince !== undefined) {
      const field = s.lastModified;
      if (!field) throw new InvalidInputError(`${operation}: ${name} publishes no last-modified field, so modifiedSince cannot be used`, { field: 'modifiedSince' });
      const instant = new Date(options.modifiedSince);
      if (Number.isNaN(instant.getTime())) {
        throw new InvalidInputError(`${operation}: modifiedSince must be a Date or ISO 8601 timestamp`, { field: 'modifiedSince' });
      }
      // A date field (Contact's Last Date Modified) compares by day: Edm.Date on v4, a midnight Edm.DateTime on v3.
      const day = new Date(`${instant.toISOString().slice(0, 10)}T00:00:00Z`);
      const bound = field.kind === 'date' ? (version === 'v4' ? edm.date(day) : day) : version === 'v4' ? edm.dateTimeOffset(instant) : instant;
      query = query.filter(odataFilter((f) => f.ge(field.name, bound), dialect));
    }
    for (const logical of options.orderBy ?? []) {
      const field = s.field(logical);
      if (!field) throw new InvalidInputError(`${operation}: ${name} has no published field "${logical}" to sort by`, { field: logical });
      query = query.orderBy(field.name);
    }
    if (options.top !== undefined) query = query.top(options.top);
    return query.toUrl(s.entitySet);
  };

  const operations: EntitySetOperations<S> = {
    service,
    keyPath,
    list(options = {}, operation, fixed = {}, extraFilter) {
      const s = service();
      const first = firstUrl(options, operation, fixed, extraFilter);
      const schema = wireCollectionSchema(s, false);
      return paginate(
        odataNextLink<NavRecord<S>>(async ({ nextLink, headers, signal }) => {
          await context.ready();
          const response = await http.request({ path: nextLink ?? first, headers: version === 'v4' ? headers : {}, schema, operation, ...(signal ? { signal } : {}) });
          const body = response.data as { value: Record<string, unknown>[]; '@odata.nextLink'?: string; 'odata.nextLink'?: string };
          const next = body['@odata.nextLink'] ?? body['odata.nextLink'];
          return { value: body.value.map((item) => fromWire<S>(s, item)), ...(next !== undefined ? { '@odata.nextLink': next } : {}) };
        }),
        options.signal ? { signal: options.signal } : {},
      );
    },
    async listIn(logical, values, options = {}, operation, fixed = {}) {
      const s = service();
      const field = s.field(logical);
      if (!field) throw new InvalidInputError(`${operation}: ${name} has no published field "${logical}" to look up by`, { field: logical });
      if (!Array.isArray(values)) throw new InvalidInputError(`${operation} needs an array of ${logical} values`, { field: logical });
      if (values.length === 0) return [];
      // The URL without the key chain, as the first request sends it, bounds the room left for the chain; the
      // margin covers the ` and (…)` that joins it to the other conditions.
      const base = new URL(firstUrl(options, operation, fixed), context.rootUrl).href.length + 32;
      const filters = chunkedKeyFilters(field.name, values, {
        dialect: version,
        maxValuesPerChunk: NAV_LOOKUP_KEYS_PER_REQUEST,
        maxUrlLength: NAV_LOOKUP_MAX_URL_LENGTH,
        baseUrlLength: base,
      });
      const out: NavRecord<S>[] = [];
      for (const filter of filters) {
        out.push(...(await operations.list(options, operation, fixed, filter).toArray({ limit: Number.MAX_SAFE_INTEGER })));
      }
      return out;
    },
    get: async (key, operation, signal) => readRecord(keyPath(key, operation), operation, signal),
    async create(values, operation, fixed = {}, signal) {
      const s = service();
      const json = { ...toWire(s, values, version, operation, Object.keys(fixed)), ...toWire(s, fixed, version, operation) };
      await context.ready();
      const response = await http.request({
        method: 'POST',
        path: s.entitySet,
        json,
        schema: wireRecordSchema(s),
        operation,
        ...(signal ? { signal } : {}),
      });
      return fromWire<S>(s, response.data as Record<string, unknown>);
    },
    async update(key, patch, options, operation) {
      const etag = requireEtag(options, operation);
      const s = service();
      const json = toWire(s, patch, version, operation, s.keys.map((k) => k.logical));
      const path = keyPath(key, operation);
      await context.ready();
      const response = await http.request({
        method: 'PATCH',
        path,
        json,
        // OData v3 answers a PATCH with 204 unless asked for the content; the new ETag is needed for the next change.
        headers: { 'If-Match': etag, ...(version === 'v3' ? { Prefer: 'return-content' } : {}) },
        schema: wireRecordSchema(s),
        operation,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      return fromWire<S>(s, response.data as Record<string, unknown>);
    },
    async remove(key, options, operation) {
      const etag = requireEtag(options, operation);
      const path = keyPath(key, operation);
      await context.ready();
      await http.request({
        method: 'DELETE',
        path,
        headers: { 'If-Match': etag },
        responseType: 'text',
        operation,
        ...(options.signal ? { signal: options.signal } : {}),
      });
    },
  };
  return operations;
}
