import {
  type HttpClient,
  InvalidInputError,
  type KeyValue,
  type ODataQueryBuilder,
  type ODataQueryOptions,
  type PagedAsyncIterable,
  appendKeyPredicate,
  buildODataQuery,
  odataFilter,
  odataNextLink,
  paginate,
} from '@ml-connector/core';
import { ZodObject, type z } from 'zod';
import { LegalEntityMismatchError } from '../errors.js';
import { type Entity, collectionSchema } from '../schemas/common.js';

/** How a resource is scoped to companies. */
export interface CompanyScope {
  /** The pinned legal entity (`dataAreaId`), or `undefined` for shared entities and cross-company reads. */
  readonly dataAreaId: string | undefined;
  /** Send `cross-company=true` on reads. */
  readonly crossCompany: boolean;
}

/** Options of `list()`: core's OData query options over the entity's fields. */
export interface ListOptions<T> extends Omit<ODataQueryOptions<T>, 'params' | 'skipToken'> {
  /** Cancels the listing. */
  signal?: AbortSignal;
}

/** Options of `get()`. */
export interface GetOptions<T> {
  /** `$select` fields. */
  select?: ODataQueryOptions<T>['select'];
  /** Cancels the call. */
  signal?: AbortSignal;
}

/** Options of writes that carry an ETag. */
export interface EtagOptions {
  /** The ETag the change is based on (`record.etag`); `'*'` overwrites deliberately. 412 → `ConflictError`. */
  etag: string;
  /** Cancels the call. */
  signal?: AbortSignal;
}

/** Describes one OData entity set for the generic resource. */
export interface EntitySetSpec {
  /** Public collection name, e.g. `VendorsV2`. */
  readonly name: string;
  /** zod schema of one record. */
  readonly schema: z.ZodType;
  /** Business key fields, in predicate order (without `dataAreaId`). */
  readonly keyFields: readonly string[];
  /** True when records belong to a legal entity (`dataAreaId` is part of the key). */
  readonly companySpecific: boolean;
}

/** Adds `etag` (from `@odata.etag`) to a parsed record. */
export function toEntity<T>(data: unknown): Entity<T> {
  const raw = data as Record<string, unknown>;
  const etag = typeof raw['@odata.etag'] === 'string' ? (raw['@odata.etag'] as string) : undefined;
  return { ...raw, etag } as Entity<T>;
}

/** Validates an ETag passed for `If-Match`. */
export function requireEtag(options: EtagOptions | undefined, operation: string): string {
  const etag = options?.etag;
  if (typeof etag !== 'string' || etag.trim() === '' || /[\r\n]/.test(etag)) {
    throw new InvalidInputError(`${operation} needs { etag }: pass record.etag from the record you read (or '*' to overwrite deliberately)`, {
      field: 'etag',
    });
  }
  return etag;
}

/**
 * Builds the full key of a record: the business key fields from `key` plus `dataAreaId` from the scope for
 * company-specific entities, in predicate order (`dataAreaId` first, as F&O lists it).
 */
export function fullKey(spec: EntitySetSpec, scope: CompanyScope, key: Readonly<Record<string, KeyValue>>): Record<string, KeyValue> {
  if (typeof key !== 'object' || key === null) {
    throw new InvalidInputError(`${spec.name} key must be an object of ${spec.keyFields.join(', ')}`, { field: 'key' });
  }
  const out: Record<string, KeyValue> = {};
  if (spec.companySpecific) {
    if (scope.dataAreaId === undefined) {
      throw new InvalidInputError(`${spec.name} records belong to a legal entity: use client.legalEntity("usmf").…`, { field: 'dataAreaId' });
    }
    const given = key.dataAreaId;
    if (given !== undefined && String(given).toLowerCase() !== scope.dataAreaId) throw new LegalEntityMismatchError(scope.dataAreaId, String(given));
    out.dataAreaId = scope.dataAreaId;
  }
  for (const field of spec.keyFields) {
    const value = key[field];
    if (value === undefined || value === null || value === '') {
      throw new InvalidInputError(`${spec.name} key needs ${field} (full key: ${[...(spec.companySpecific ? ['dataAreaId'] : []), ...spec.keyFields].join(', ')})`, {
        field: `key.${field}`,
      });
    }
    out[field] = value;
  }
  return out;
}

/** The record path `Set(dataAreaId='usmf',Key='…')`, percent-encoded. */
export function recordPath(spec: EntitySetSpec, scope: CompanyScope, key: Readonly<Record<string, KeyValue>>): string {
  return appendKeyPredicate(spec.name, fullKey(spec, scope, key));
}

/** Query parameters every call of the scope carries (`cross-company=true` when the scope needs it). */
export function scopeParams(scope: CompanyScope): Record<string, string> {
  return scope.crossCompany ? { 'cross-company': 'true' } : {};
}

function forSelect(schema: z.ZodType, query: { toEntries(): [string, string][] }): z.ZodType {
  return query.toEntries().some(([name]) => name === '$select') && schema instanceof ZodObject ? schema.partial() : schema;
}

function isQueryBuilder(value: unknown): value is ODataQueryBuilder<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { toEntries?: unknown }).toEntries === 'function';
}

/**
 * The listing query: the caller's options (or builder), pinned to the scope's legal entity with
 * `dataAreaId eq '…'` (combined by `and`) and `cross-company=true` when the scope needs it.
 */
export function scopedQuery<T>(spec: EntitySetSpec, scope: CompanyScope, options: ListOptions<T> | ODataQueryBuilder<T> = {}): ODataQueryBuilder<T> {
  let query: ODataQueryBuilder<T>;
  if (isQueryBuilder(options)) query = options as ODataQueryBuilder<T>;
  else {
    const { signal: _signal, ...odata } = options as ListOptions<T>;
    query = buildODataQuery<T>(odata as ODataQueryOptions<T>);
  }
  if (spec.companySpecific && scope.dataAreaId !== undefined) {
    const company = scope.dataAreaId;
    query = query.filter(odataFilter<{ dataAreaId: string }>((f) => f.eq('dataAreaId', company)));
  }
  if (scope.crossCompany) query = query.param('cross-company', true);
  return query;
}

/** A `PagedAsyncIterable` over an F&O collection, following server-driven `@odata.nextLink` pages. */
export function listCollection<T>(
  http: HttpClient,
  spec: EntitySetSpec,
  query: ODataQueryBuilder<unknown>,
  signal?: AbortSignal,
): PagedAsyncIterable<Entity<T>> {
  const schema = collectionSchema(forSelect(spec.schema, query));
  const firstUrl = query.toUrl(spec.name);
  return paginate(
    odataNextLink<Entity<T>>(async ({ nextLink, headers, signal: pageSignal }) => {
      const response = await http.request({
        path: nextLink ?? firstUrl,
        headers,
        schema,
        operation: `${spec.name}.list`,
        ...(pageSignal ? { signal: pageSignal } : {}),
      });
      const body = response.data as { value: unknown[]; '@odata.nextLink'?: string };
      return { ...body, value: body.value.map((item) => toEntity<T>(item)) };
    }),
    // Continuation tokens name this listing, so resuming one on another query is refused.
    { listing: firstUrl, ...(signal ? { signal } : {}) },
  );
}

/** Spreads a signal into request options only when present. */
export function signal(options: { signal?: AbortSignal } | undefined): { signal?: AbortSignal } {
  return options?.signal ? { signal: options.signal } : {};
}

/**
 * A write body: drops `etag` and `@odata.*` annotations, and fills or checks `dataAreaId` against the scope
 * (F&O creates a record in the company its body names).
 */
export function writeBody(spec: EntitySetSpec, scope: CompanyScope, body: unknown, field = 'body'): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidInputError(`${field} must be an object of ${spec.name} fields`, { field });
  }
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body)) {
    if (value === undefined || name === 'etag' || name.includes('@odata.')) continue;
    out[name] = value;
  }
  if (spec.companySpecific && scope.dataAreaId !== undefined) {
    const given = out.dataAreaId;
    if (given !== undefined && String(given).toLowerCase() !== scope.dataAreaId) throw new LegalEntityMismatchError(scope.dataAreaId, String(given));
    out.dataAreaId = scope.dataAreaId;
  }
  return out;
}
