import type { HttpClient, KeyValue, ODataQueryBuilder, PagedAsyncIterable } from '@ml-connector/core';
import type { Entity } from '../schemas/common.js';
import {
  type CompanyScope,
  type EntitySetSpec,
  type EtagOptions,
  type GetOptions,
  type ListOptions,
  listCollection,
  recordPath,
  requireEtag,
  scopeParams,
  scopedQuery,
  signal,
  toEntity,
  writeBody,
} from './shared.js';
import { buildODataQuery } from '@ml-connector/core';
import { z } from 'zod';

const countSchema = z.looseObject({ '@odata.count': z.number().int().nonnegative() });

/** Read operations of an F&O entity set. `K` is the business key (without `dataAreaId`, which the scope adds). */
export interface ReadableEntitySet<T, K extends Record<string, KeyValue>> {
  /**
   * Lists records lazily, page by page (F&O server-driven paging, `@odata.nextLink`): `for await`,
   * `.byPage()` or `.toArray({ limit })`. Company-specific sets are filtered to the pinned legal entity.
   */
  list(options?: ListOptions<T>): PagedAsyncIterable<Entity<T>>;
  /** Lists the records matching a prebuilt `odataQuery<T>()` (still pinned to the legal entity). */
  list(query: ODataQueryBuilder<T>): PagedAsyncIterable<Entity<T>>;
  /** Gets one record by its key (composite with `dataAreaId`); `NotFoundError` when absent. */
  get(key: K, options?: GetOptions<T>): Promise<Entity<T>>;
  /** Like `get` but resolves `undefined` instead of throwing `NotFoundError`. */
  find(key: K, options?: GetOptions<T>): Promise<Entity<T> | undefined>;
  /**
   * How many records match (`$count=true&$top=0`, pinned to the legal entity like `list`): sizes a load before
   * choosing OData or the Data management package API.
   */
  count(options?: Pick<ListOptions<T>, 'filter' | 'signal'>): Promise<number>;
  /** The entity set name, e.g. `VendorsV2`. */
  readonly entitySet: string;
}

/** Read and write operations of an F&O entity set. */
export interface WritableEntitySet<T, K extends Record<string, KeyValue>, C = Partial<T>, U = Partial<T>> extends ReadableEntitySet<T, K> {
  /** Creates a record in the pinned legal entity (`dataAreaId` is set for you). Returns the created record. */
  create(body: C, options?: { signal?: AbortSignal }): Promise<Entity<T>>;
  /** Changes a record (`PATCH` with `If-Match`); 412 → `ConflictError`. F&O answers 204, so the record is read back. */
  update(key: K, patch: U, options: EtagOptions): Promise<Entity<T>>;
  /** Deletes a record (`If-Match` when an etag is given). */
  delete(key: K, options?: Partial<EtagOptions>): Promise<void>;
}

/** Builds the read operations of `spec` under `scope`. */
export function readableEntitySet<T, K extends Record<string, KeyValue>>(http: HttpClient, spec: EntitySetSpec, scope: CompanyScope): ReadableEntitySet<T, K> {
  const get = async (key: K, options?: GetOptions<T>): Promise<Entity<T>> => {
    const query = buildODataQuery<Record<string, unknown>>({
      ...(options?.select ? { select: options.select as unknown as string[] } : {}),
      params: scopeParams(scope),
    });
    const schema = options?.select ? (spec.schema as unknown as { partial(): typeof spec.schema }).partial() : spec.schema;
    const response = await http.request({ path: query.toUrl(recordPath(spec, scope, key)), schema, operation: `${spec.name}.get`, ...signal(options) });
    return toEntity<T>(response.data);
  };
  return {
    entitySet: spec.name,
    list: (options?: ListOptions<T> | ODataQueryBuilder<T>) =>
      listCollection<T>(http, spec, scopedQuery<T>(spec, scope, options) as unknown as ODataQueryBuilder<unknown>, signalOf(options)),
    get,
    async count(options) {
      const query = scopedQuery<T>(spec, scope, { ...(options?.filter !== undefined ? { filter: options.filter } : {}), top: 0, count: true } as ListOptions<T>);
      const response = await http.request({ path: query.toUrl(spec.name), schema: countSchema, operation: `${spec.name}.count`, ...signal(options) });
      return (response.data as { '@odata.count': number })['@odata.count'];
    },
    async find(key, options) {
      try {
        return await get(key, options);
      } catch (error) {
        if ((error as { status?: number }).status === 404) return undefined;
        throw error;
      }
    },
  };
}

/** Builds the read and write operations of `spec` under `scope`. */
export function writableEntitySet<T, K extends Record<string, KeyValue>, C = Partial<T>, U = Partial<T>>(
  http: HttpClient,
  spec: EntitySetSpec,
  scope: CompanyScope,
): WritableEntitySet<T, K, C, U> {
  const readable = readableEntitySet<T, K>(http, spec, scope);
  return {
    ...readable,
    async create(body, options) {
      const json = writeBody(spec, scope, body);
      const response = await http.request({ method: 'POST', path: spec.name, json, schema: spec.schema, operation: `${spec.name}.create`, ...signal(options) });
      return toEntity<T>(response.data);
    },
    async update(key, patch, options) {
      const etag = requireEtag(options, `${spec.name}.update`);
      const json = patchBody(spec, scope, patch);
      const path = recordPath(spec, scope, key);
      await http.request({
        method: 'PATCH',
        path,
        query: scopeParams(scope),
        json,
        headers: { 'If-Match': etag },
        responseType: 'text',
        operation: `${spec.name}.update`,
        ...signal(options),
      });
      return readable.get(key, signal(options));
    },
    async delete(key, options = {}) {
      await http.request({
        method: 'DELETE',
        path: recordPath(spec, scope, key),
        query: scopeParams(scope),
        responseType: 'text',
        operation: `${spec.name}.delete`,
        ...(options.etag !== undefined ? { headers: { 'If-Match': requireEtag({ etag: options.etag }, `${spec.name}.delete`) } } : {}),
        ...signal(options),
      });
    },
  };
}

/** A PATCH body: the write body without key fields (F&O keys cannot change). */
export function patchBody(spec: EntitySetSpec, scope: CompanyScope, patch: unknown): Record<string, unknown> {
  const body = writeBody(spec, scope, patch, 'patch');
  delete body.dataAreaId;
  for (const field of spec.keyFields) delete body[field];
  return body;
}

function signalOf(options: unknown): AbortSignal | undefined {
  return typeof options === 'object' && options !== null && 'signal' in options ? ((options as { signal?: AbortSignal }).signal ?? undefined) : undefined;
}
