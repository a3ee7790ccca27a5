import {
  type FilterBuilder,
  type FilterComparison,
  type FilterExpression,
  type HttpClient,
  InvalidInputError,
  type ODataQueryBuilder,
  type ODataQueryOptions,
  type PagedAsyncIterable,
  buildODataQuery,
  edm,
  formatKeyPredicate,
  odataFilter,
  odataNextLink,
  paginate,
} from '@ml-connector/core';
import { ZodObject, type z } from 'zod';
import { type Entity, collectionSchema } from '../schemas/common.js';
import { ENUM_FIELDS, encodeEnumFields, encodeEnumMember } from '../schemas/enums.js';

/** What every resource of one company needs. */
export interface ResourceContext {
  /** The transport. */
  readonly http: HttpClient;
  /** `companies(<id>)`, relative to the service root. */
  readonly companyPath: string;
  /** The company id. */
  readonly companyId: string;
}

/**
 * Options of `list()`: core's OData query options over the entity's fields (`filter`, `select`, `orderBy`,
 * `top`, `expand`, …) plus `modifiedSince` for delta reads.
 */
export interface ListOptions<T> extends ODataQueryOptions<T> {
  /**
   * Only entities changed at or after this instant: adds `lastModifiedDateTime ge <instant>` (combined with
   * `filter` by `and`). A Date or an ISO 8601 timestamp with offset. For polling, prefer `readChanges(cursor)`.
   */
  modifiedSince?: Date | string;
  /** Cancels the listing. */
  signal?: AbortSignal;
}

/** Options of `get()`. */
export interface GetOptions<T> {
  /** `$select` fields. */
  select?: ODataQueryOptions<T>['select'];
  /** `$expand` navigation properties. */
  expand?: ODataQueryOptions<T>['expand'];
  /** Cancels the call. */
  signal?: AbortSignal;
}

/** Options of writes that need the entity's ETag. */
export interface EtagOptions {
  /**
   * The ETag the change is based on (`entity.etag`). Business Central answers 412 (`ConflictError`) when the
   * record changed since. Pass `'*'` only when you deliberately want to overwrite whatever is there.
   */
  etag: string;
  /** Cancels the call. */
  signal?: AbortSignal;
}

/** Formats a GUID key segment, e.g. `vendors(5f3c…)`, refusing anything that is not a GUID. */
export function keyPath(entitySetPath: string, id: string, field = 'id'): string {
  if (typeof id !== 'string') throw new InvalidInputError(`${field} must be a GUID string, got ${typeof id}`, { field });
  let literal: string;
  try {
    literal = formatKeyPredicate(edm.guid(id));
  } catch {
    throw new InvalidInputError(`${field} must be a GUID like "6f9619ff-8b86-d011-b42d-00c04fc964ff", got ${JSON.stringify(id)}`, { field });
  }
  return `${entitySetPath}${literal}`;
}

/** Adds `etag` (from `@odata.etag`) to a parsed entity, keeping every other field. */
export function toEntity<T>(data: unknown): Entity<T> {
  const raw = data as Record<string, unknown>;
  const etag = typeof raw['@odata.etag'] === 'string' ? (raw['@odata.etag'] as string) : undefined;
  return { ...raw, etag } as Entity<T>;
}

/** Validates an ETag passed for `If-Match`. */
export function requireEtag(options: EtagOptions | undefined, operation: string): string {
  const etag = options?.etag;
  if (typeof etag !== 'string' || etag.trim() === '' || /[\r\n]/.test(etag)) {
    throw new InvalidInputError(
      `${operation} needs { etag }: pass entity.etag from the record you read (or '*' to overwrite deliberately)`,
      { field: 'etag' },
    );
  }
  return etag;
}

function isQueryBuilder(value: unknown): value is ODataQueryBuilder<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { toEntries?: unknown }).toEntries === 'function';
}

/** Builds the query of a listing from options, folding `modifiedSince` into `$filter`. */
export function listQuery<T>(options: ListOptions<T> | ODataQueryBuilder<T> = {}): ODataQueryBuilder<T> {
  if (isQueryBuilder(options)) return options as ODataQueryBuilder<T>;
  const { modifiedSince, signal: _signal, ...odata } = options as ListOptions<T>;
  if (typeof odata.filter === 'function') {
    const build = odata.filter;
    odata.filter = (f) => build(encodingEnums(f));
  }
  let query = buildODataQuery<T>(odata as ODataQueryOptions<T>);
  if (modifiedSince !== undefined) {
    const instant = edm.dateTimeOffset(modifiedSince);
    // `ge`, not `gt`: a record stamped exactly at the instant is a change too (dedupe with a cursor).
    query = query.filter(odataFilter<{ lastModifiedDateTime: string }>((f) => f.ge('lastModifiedDateTime', instant)));
  }
  return query;
}

/**
 * A filter builder that writes string literals of enum fields ({@link ENUM_FIELDS}) in API v2.0's encoded
 * form, so `f.eq('status', 'In Review')` sends `status eq 'In_x0020_Review'`.
 */
function encodingEnums<T>(f: FilterBuilder<T>): FilterBuilder<T> {
  const encode = (property: unknown, value: unknown) => (typeof property === 'string' && ENUM_FIELDS.has(property) && typeof value === 'string' ? encodeEnumMember(value) : value);
  const compare = (op: FilterComparison<T>): FilterComparison<T> => ((property: unknown, value: unknown) => (op as (p: unknown, v: unknown) => FilterExpression)(property, encode(property, value))) as FilterComparison<T>;
  return {
    ...f,
    eq: compare(f.eq),
    ne: compare(f.ne),
    in: ((property: unknown, values: readonly unknown[]) =>
      (f.in as (p: unknown, v: readonly unknown[]) => FilterExpression)(property, Array.isArray(values) ? values.map((v) => encode(property, v)) : values)) as FilterBuilder<T>['in'],
  };
}

/**
 * With `$select` the server returns only the selected fields, so every modelled field becomes optional for
 * validation (types still describe the full entity: unselected fields are simply absent).
 */
function forSelect(schema: z.ZodType, query: { toEntries(): [string, string][] }): z.ZodType {
  const selects = query.toEntries().some(([name]) => name === '$select');
  return selects && schema instanceof ZodObject ? schema.partial() : schema;
}

/** A `PagedAsyncIterable` over an OData collection, validating every page with `itemSchema`. */
export function listCollection<T>(
  http: HttpClient,
  path: string,
  itemSchema: z.ZodType,
  query: ODataQueryBuilder<unknown>,
  operation: string,
  signal?: AbortSignal,
): PagedAsyncIterable<Entity<T>> {
  const schema = collectionSchema(forSelect(itemSchema, query));
  const firstUrl = query.toUrl(path);
  return paginate(
    odataNextLink<Entity<T>>(async ({ nextLink, headers, signal: pageSignal }) => {
      const response = await http.request({
        path: nextLink ?? firstUrl,
        headers,
        schema,
        operation,
        ...(pageSignal ? { signal: pageSignal } : {}),
      });
      const body = response.data as { value: unknown[]; '@odata.nextLink'?: string };
      return { ...body, value: body.value.map((item) => toEntity<T>(item)) };
    }),
    // Continuation tokens name this listing, so resuming one on another query is refused.
    { listing: firstUrl, ...(signal ? { signal } : {}) },
  );
}

/** GET one entity by path. */
export async function getEntity<T>(
  http: HttpClient,
  path: string,
  schema: z.ZodType,
  options: GetOptions<unknown> | undefined,
  operation: string,
): Promise<Entity<T>> {
  const query = buildODataQuery<Record<string, unknown>>({
    ...(options?.select ? { select: options.select as unknown as string[] } : {}),
    ...(options?.expand ? { expand: options.expand as never } : {}),
  });
  const response = await http.request({ path: query.toUrl(path), schema: forSelect(schema, query), operation, ...(options?.signal ? { signal: options.signal } : {}) });
  return toEntity<T>(response.data);
}

const ALWAYS_STRIPPED = new Set(['etag']);

/**
 * Returns a copy of `body` without read-only fields, `etag` and `@odata.*` annotations, so an entity read
 * earlier can be edited and sent back. Navigation properties in `nested` are cleaned recursively with their
 * own read-only lists; any other navigation property is refused (BC does not deep-update).
 */
export function writableBody(
  body: unknown,
  readOnly: readonly string[],
  nested: Readonly<Record<string, readonly string[]>> = {},
  field = 'body',
): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidInputError(`${field} must be an object of field values`, { field });
  }
  const skip = new Set(readOnly);
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body)) {
    if (value === undefined || skip.has(name) || ALWAYS_STRIPPED.has(name) || name.includes('@odata.')) continue;
    const nestedReadOnly = nested[name];
    if (nestedReadOnly) {
      if (!Array.isArray(value)) throw new InvalidInputError(`${field}.${name} must be an array`, { field: `${field}.${name}` });
      out[name] = value.map((item, index) => writableBody(item, nestedReadOnly, {}, `${field}.${name}[${index}]`));
      continue;
    }
    out[name] = value;
  }
  return encodeEnumFields(out);
}

/** Refuses navigation properties in a PATCH body: Business Central does not support deep updates. */
export function refuseDeepUpdate(body: Record<string, unknown>, navigation: readonly string[], hint: string): void {
  for (const name of navigation) {
    if (body[name] !== undefined) {
      throw new InvalidInputError(`${name} cannot be changed with update(): Business Central does not deep-update. ${hint}`, { field: name });
    }
  }
}

/** Headers of a write that carries `If-Match`. */
export function ifMatch(etag: string): Record<string, string> {
  return { 'If-Match': etag };
}
