import type { HttpClient, ODataQueryBuilder, PagedAsyncIterable } from '@ml-connector/core';
import type { z } from 'zod';
import type { Entity } from '../schemas/common.js';
import {
  DEFAULT_DELTA_LOOK_BACK_MS,
  type ModifiedSinceCursor,
  advanceModifiedSinceCursor,
  deltaQueryFrom,
  isModifiedSinceCursor,
  startModifiedSinceCursor,
  undeliveredRecords,
} from './delta.js';
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
   * Entities changed at or after `since` (`$filter=lastModifiedDateTime ge since`, combined with any `filter`).
   * Inclusive, so a record stamped exactly at `since` is not lost; for repeated polling use {@link readChanges},
   * which also catches late commits and never delivers a change twice.
   */
  listModifiedSince(since: Date | string, options?: Omit<ListOptions<T>, 'modifiedSince'>): PagedAsyncIterable<Entity<T>>;
  /**
   * One complete delta poll: reads every page from the cursor's high-water mark minus its look-back
   * (`lastModifiedDateTime ge …`), drops the changes the cursor already delivered, and returns the rest with the
   * next cursor (high-water mark plus the ids seen inside the look-back). Start with a Date or timestamp
   * (inclusive); persist `cursor` and pass it next time. `lookBackMs` (default 5 minutes) covers records whose
   * transaction committed after a later record was read.
   */
  readChanges(
    from: ModifiedSinceCursor | Date | string,
    options?: Omit<ListOptions<T>, 'modifiedSince' | 'orderBy'> & { lookBackMs?: number },
  ): Promise<{ items: Entity<T>[]; cursor: ModifiedSinceCursor }>;
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
    async readChanges(from, options = {}) {
      const { lookBackMs = DEFAULT_DELTA_LOOK_BACK_MS, ...rest } = options;
      const cursor = isModifiedSinceCursor(from) ? from : startModifiedSinceCursor(from, lookBackMs);
      const rows: Entity<T>[] = [];
      const query = { ...rest, modifiedSince: deltaQueryFrom(cursor, lookBackMs), orderBy: ['lastModifiedDateTime'] } as unknown as ListOptions<T>;
      for await (const row of list(query)) rows.push(row);
      const items = undeliveredRecords(cursor, rows as unknown as { id: string; lastModifiedDateTime: string }[]) as unknown as Entity<T>[];
      return { items, cursor: advanceModifiedSinceCursor(cursor, items as unknown as { id: string; lastModifiedDateTime: string }[], lookBackMs) };
    },
  };
}

function signalOf(options: unknown): AbortSignal | undefined {
  return typeof options === 'object' && options !== null && 'signal' in options ? ((options as { signal?: AbortSignal }).signal ?? undefined) : undefined;
}
