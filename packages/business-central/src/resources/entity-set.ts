import type { HttpClient, ODataQueryBuilder, PagedAsyncIterable } from '@ml-connector/core';
import type { z } from 'zod';
import type { Entity } from '../schemas/common.js';
import { type GetOptions, type ListOptions, getEntity, keyPath, listCollection, listQuery } from './shared.js';

/** Read operations every entity set of this client offers. */
export interface ReadableEntitySet<T> {
  /**
   * Lists entities, lazily and page by page: `for await`, `.byPage({ continuationToken, maxPageSize })`
   * (`Prefer: odata.maxpagesize`) or `.toArray({ limit })`. Pass query options or a prebuilt `odataQuery()`.
   * (Two overloads rather than a union, so `filter: (f) => …` gets its parameter type inferred.)
   */
  list(options?: ListOptions<T>): PagedAsyncIterable<Entity<T>>;
  /** Lists the entities matching a prebuilt `odataQuery<T>()`. */
  list(query: ODataQueryBuilder<T>): PagedAsyncIterable<Entity<T>>;
  /** Gets one entity by id; `NotFoundError` when it does not exist. */
  get(id: string, options?: GetOptions<T>): Promise<Entity<T>>;
}

/** Read operations of entity sets that carry `lastModifiedDateTime`. */
export interface DeltaReadableEntitySet<T> extends ReadableEntitySet<T> {
  /**
   * Delta read: entities changed after `since` (`$filter=lastModifiedDateTime gt since`, combined with any
   * `filter`). Store the largest `lastModifiedDateTime` you saw and pass it next time.
   */
  listModifiedSince(since: Date | string, options?: Omit<ListOptions<T>, 'modifiedSince'>): PagedAsyncIterable<Entity<T>>;
}

/** Builds the read operations of the entity set at `path` (relative to the service root). */
export function readableEntitySet<T>(
  http: HttpClient,
  path: string,
  schema: z.ZodType,
  name: string,
): DeltaReadableEntitySet<T> {
  const list = (options?: ListOptions<T> | ODataQueryBuilder<T>) =>
    listCollection<T>(http, path, schema, listQuery<T>(options) as unknown as ODataQueryBuilder<unknown>, `${name}.list`, signalOf(options));
  return {
    list,
    get: (id, options) => getEntity<T>(http, keyPath(path, id), schema, options as GetOptions<unknown> | undefined, `${name}.get`),
    listModifiedSince: (since, options = {}) => list({ ...options, modifiedSince: since }),
  };
}

function signalOf(options: unknown): AbortSignal | undefined {
  return typeof options === 'object' && options !== null && 'signal' in options ? ((options as { signal?: AbortSignal }).signal ?? undefined) : undefined;
}
