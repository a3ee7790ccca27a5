import {
  type HttpClient,
  InvalidInputError,
  type Page,
  type PagedAsyncIterable,
  offsetLimitHasMore,
  paginate,
} from '@ml-connector/core';
import type { z } from 'zod';
import { ORACLE_FUSION_DEFAULTS } from '../options.js';
import { type QInput, formatExpand, formatFields, formatOrderBy, resolveQ } from '../query.js';
import { type ItemMeta, type Link, type OracleItem, collectionSchema } from '../schemas/common.js';

/** Media type of item writes (create, update). */
export const RESOURCE_ITEM_TYPE = 'application/vnd.oracle.adf.resourceitem+json';
/** Media type of custom action calls. */
export const ACTION_TYPE = 'application/vnd.oracle.adf.action+json';

/** Query options shared by list and get. */
export interface ReadOptions {
  /**
   * Attributes to return (`fields=`); children with `childFields`. Attributes not asked for are absent from the
   * items even where the model's type says they are always present.
   */
  fields?: readonly string[];
  /**
   * Attributes of expanded children: `{ lines: ['LineNumber', 'Amount'] }` (`fields=A;lines:B,C`). Child items are
   * still validated against their full model, so include the child's key and required attributes.
   */
  childFields?: Record<string, readonly string[]>;
  /** Child resources to include (`expand=lines,lines.schedules` or `all`). */
  expand?: readonly string[] | 'all';
  /** `onlyData=true`: drop `links` and `@context` (then items carry no `self` link and cannot be updated by reference). Default `false`. */
  onlyData?: boolean;
  /** Cancels the call. */
  signal?: AbortSignal;
}

/** Options of `list()`. */
export interface ListOptions<T> extends ReadOptions {
  /** `q` filter, built with the typed builder. */
  q?: QInput<T>;
  /** A named finder with variables: `{ name: 'PrimaryKey', variables: { InvoiceId: 1 } }` → `finder=PrimaryKey;InvoiceId=1`. */
  finder?: { name: string; variables?: Record<string, string | number> };
  /** `orderBy=A:asc,B:desc`. */
  orderBy?: readonly string[];
  /** Ask for `totalResults` (an extra count on the server). Default `false`. */
  totalResults?: boolean;
  /** Items per page (`limit`), 1–500. Default 100. */
  pageSize?: number;
}

/** A page of a listing, with Oracle's counters. */
export interface OraclePage<T> extends Page<T> {
  /** Offset of this page. */
  offset: number;
  /** `totalResults` when requested. */
  totalResults?: number;
}

/** A reference to an item: the item itself (as read, with `links`) or its canonical URL. */
export type ItemRef = { readonly links?: Link[] | undefined } | string;

/** Options of an update. */
export interface UpdateOptions {
  /** ETag for `If-Match` (optimistic concurrency); a stale one fails with ConflictError (412). Default: the item's `@context` ETag when present. */
  ifMatch?: string | false;
  /** Cancels the call. */
  signal?: AbortSignal;
}

/** A readable ADF collection. */
export interface ReadableCollection<T> {
  /** Lists items page by page (offset/limit/hasMore), resumable with `byPage({ continuationToken })`. */
  list(options?: ListOptions<T>): PagedAsyncIterable<OracleItem<T>, OraclePage<OracleItem<T>>>;
  /** Reads one item by reference (its `self` link), with `ETag`. */
  get(ref: ItemRef, options?: ReadOptions): Promise<OracleItem<T>>;
  /** The first item matching `q`, or `undefined`. */
  findOne(q: QInput<T>, options?: ReadOptions): Promise<OracleItem<T> | undefined>;
  /** Path of this collection relative to the service root. */
  readonly path: string;
}

/** A collection that accepts creates and updates. */
export interface WritableCollection<T, C, U> extends ReadableCollection<T> {
  /** `POST` a new item (children may be included: deep insert). */
  create(body: C, options?: { signal?: AbortSignal }): Promise<OracleItem<T>>;
  /** `PATCH` an item by reference, with `If-Match` when an ETag is known. */
  update(ref: ItemRef, patch: U, options?: UpdateOptions): Promise<OracleItem<T>>;
}

const FINDER_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function finderParam(finder: ListOptions<unknown>['finder']): string | undefined {
  if (finder === undefined) return undefined;
  if (!FINDER_NAME.test(finder.name)) throw new InvalidInputError(`finder.name must be a finder name such as "PrimaryKey"; got ${JSON.stringify(finder.name)}`, { field: 'finder.name' });
  const vars = Object.entries(finder.variables ?? {}).map(([k, v]) => {
    if (!FINDER_NAME.test(k)) throw new InvalidInputError(`finder variable names are attribute names; got ${JSON.stringify(k)}`, { field: 'finder.variables' });
    const text = String(v);
    // ";" and "," separate finder parts and "=" separates name from value; they cannot be escaped.
    if (/[;,=]/.test(text)) throw new InvalidInputError(`finder variable ${k} must not contain ";", "," or "="; use q instead`, { field: 'finder.variables' });
    return `${k}=${text}`;
  });
  return vars.length ? `${finder.name};${vars.join(',')}` : finder.name;
}

function pageSizeOf(size: number | undefined): number {
  const v = size ?? ORACLE_FUSION_DEFAULTS.pageSize;
  if (!Number.isInteger(v) || v < 1 || v > ORACLE_FUSION_DEFAULTS.maxPageSize) {
    throw new InvalidInputError(`pageSize must be an integer from 1 to ${ORACLE_FUSION_DEFAULTS.maxPageSize}; got ${size}`, { field: 'pageSize' });
  }
  return v;
}

/** Query parameters of a read. */
export function readQuery(options: ReadOptions = {}): Record<string, string | undefined> {
  return {
    fields: formatFields(options.fields, options.childFields),
    expand: formatExpand(options.expand),
    onlyData: options.onlyData ? 'true' : undefined,
  };
}

/** The canonical URL of an item: its `self` link, never built from attributes (UniqIDs are opaque hashes). */
export function selfHref(ref: ItemRef): string {
  if (typeof ref === 'string') {
    if (!/^https?:\/\//.test(ref)) throw new InvalidInputError('an item reference must be the item as read, or its absolute self link', { field: 'ref' });
    return ref;
  }
  const self = ref?.links?.find((l) => l.rel === 'self') ?? ref?.links?.find((l) => l.rel === 'canonical');
  if (!self) {
    throw new InvalidInputError('the item has no self link: read it without onlyData=true (or use findOne) before updating it', { field: 'ref' });
  }
  return self.href;
}

function etagOf(ref: ItemRef): string | undefined {
  return typeof ref === 'string' ? undefined : ((ref as ItemMeta)['@context']?.headers?.ETag ?? undefined);
}

/** Creates a collection resource at `path` (relative to the service root, or an absolute child URL). */
export function collection<S extends z.ZodType, C = never, U = never>(
  http: HttpClient,
  path: string,
  schema: S,
  name: string,
): WritableCollection<z.infer<S>, C, U> {
  type T = z.infer<S>;
  const pageSchema = collectionSchema(schema);
  // With `fields`, attributes not asked for are absent: validate those responses against the partial model.
  const partial = typeof (schema as unknown as { partial?: unknown }).partial === 'function' ? (schema as unknown as z.ZodObject).partial() : schema;
  const partialPageSchema = collectionSchema(partial);
  const itemSchema = (options: ReadOptions) => (options.fields?.length ? partial : schema) as z.ZodType<T>;
  const list = (options: ListOptions<T> = {}) => {
    const limit = pageSizeOf(options.pageSize);
    const query = {
      ...readQuery(options),
      q: resolveQ(options.q),
      finder: finderParam(options.finder),
      orderBy: formatOrderBy(options.orderBy),
      totalResults: options.totalResults ? 'true' : undefined,
    };
    return paginate<OracleItem<T>, OraclePage<OracleItem<T>>>({
      async fetchPage(request) {
        let body: z.infer<typeof pageSchema> | undefined;
        const page = await offsetLimitHasMore<OracleItem<T>>(async ({ offset, signal }) => {
          body = await http.get(path, {
            query: { ...query, limit: Math.min(request.maxPageSize ?? limit, ORACLE_FUSION_DEFAULTS.maxPageSize), offset },
            schema: (options.fields?.length ? partialPageSchema : pageSchema) as typeof pageSchema,
            operation: `${name}.list`,
            ...(signal ? { signal } : {}),
          });
          return body as { items: OracleItem<T>[]; hasMore: boolean };
        }).fetchPage({ ...request, signal: request.signal ?? options.signal });
        return { ...page, offset: body?.offset ?? 0, ...(body?.totalResults !== undefined ? { totalResults: body.totalResults } : {}) };
      },
    });
  };
  const withEtag = (data: unknown, headers: Headers): OracleItem<T> => {
    const etag = headers.get('etag');
    const item = data as OracleItem<T>;
    if (!etag || item['@context']?.headers?.ETag) return item;
    return { ...item, '@context': { ...(item['@context'] ?? {}), headers: { ...(item['@context']?.headers ?? {}), ETag: etag } } } as OracleItem<T>;
  };
  return {
    path,
    list,
    async get(ref, options = {}) {
      const response = await http.request({ path: selfHref(ref), query: readQuery(options), schema: itemSchema(options), operation: `${name}.get`, ...(options.signal ? { signal: options.signal } : {}) });
      return withEtag(response.data, response.headers);
    },
    async findOne(q, options = {}) {
      const [first] = await list({ ...options, q, pageSize: 1 }).toArray({ limit: 1 });
      return first;
    },
    async create(body, options = {}) {
      if (typeof body !== 'object' || body === null) throw new InvalidInputError(`${name}.create needs an object body`, { field: 'body' });
      const response = await http.request({
        method: 'POST',
        path,
        json: body,
        headers: { 'content-type': RESOURCE_ITEM_TYPE },
        schema,
        operation: `${name}.create`,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      return withEtag(response.data, response.headers);
    },
    async update(ref, patch, options = {}) {
      if (typeof patch !== 'object' || patch === null) throw new InvalidInputError(`${name}.update needs an object of changed attributes`, { field: 'patch' });
      const etag = options.ifMatch === false ? undefined : (options.ifMatch ?? etagOf(ref));
      const response = await http.request({
        method: 'PATCH',
        path: selfHref(ref),
        json: patch,
        headers: { 'content-type': RESOURCE_ITEM_TYPE, ...(etag ? { 'if-match': etag } : {}) },
        schema,
        operation: `${name}.update`,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      return withEtag(response.data, response.headers);
    },
  };
}

/** The URL of child collection `child` of an item: `{self}/child/{child}`. */
export function childPath(ref: ItemRef, child: string): string {
  return `${selfHref(ref).replace(/\/$/, '')}/child/${encodeURIComponent(child)}`;
}

/** Calls a custom action (`POST {url}/action/{name}`, `application/vnd.oracle.adf.action+json`); returns `result`. */
export async function callAction(http: HttpClient, target: string, action: string, params: Record<string, unknown>, signal?: AbortSignal): Promise<unknown> {
  const body = await http.post<{ result?: unknown } | undefined>(`${target.replace(/\/$/, '')}/action/${encodeURIComponent(action)}`, {
    json: params,
    headers: { 'content-type': ACTION_TYPE },
    operation: `action.${action}`,
    // Actions change state; the outcome of a dropped call is unknown.
    idempotent: false,
    ...(signal ? { signal } : {}),
  });
  return body?.result;
}
