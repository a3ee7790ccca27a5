import { ResponseValidationError } from '../errors/index.js';
import { PagingLoopError } from './errors.js';
import type { Page, PageSource } from './paginate.js';
import { decodePositionToken, encodePositionToken } from './token.js';

/** What an offset/limit listing call receives for one page. */
export interface OffsetPageRequest {
  /** 0-based index of the first item to return. */
  offset: number;
  /** Requested page size; `undefined` means the server default (Oracle: 25, at most 500). */
  limit?: number;
  /** Cancels the request. */
  signal?: AbortSignal;
}

/** The part of an offset/limit response body that paging reads (Oracle Fusion REST collections). */
export interface OffsetLimitResponse<T> {
  /** The items on this page. */
  items: T[];
  /** Whether items remain after this page. */
  hasMore: boolean;
  /** The offset the server applied, as Oracle echoes it; checked against the requested one when present. */
  offset?: number;
}

/**
 * Paging strategy for offset/limit/hasMore collections such as Oracle Fusion REST
 * (`{ items, count, hasMore, limit, offset }`). Tokens look like `offset:v1:250` and survive restarts.
 *
 * Example:
 *
 * {@includeCode ../../examples/paging.ts#offsetLimitHasMore}
 */
export function offsetLimitHasMore<T>(
  fetchItems: (request: OffsetPageRequest) => Promise<OffsetLimitResponse<T>>,
): PageSource<T> {
  return {
    async fetchPage({ continuationToken, maxPageSize, signal }): Promise<Page<T>> {
      const offset = continuationToken === undefined ? 0 : decodePositionToken('offset', continuationToken, 0);
      const body = await fetchItems({ offset, limit: maxPageSize, signal });
      if (!Array.isArray(body?.items) || typeof body.hasMore !== 'boolean') {
        throw new ResponseValidationError('Offset-paged response needs an "items" array and a boolean "hasMore".');
      }
      // A server that ignores `offset` serves the first page forever; its echo gives it away at once.
      if (typeof body.offset === 'number' && body.offset !== offset) {
        throw new PagingLoopError(String(offset), undefined, 'position-ignored', ` (offset ${body.offset})`);
      }
      // hasMore with an empty page yields the same offset again, which paginate() reports as a paging loop;
      // a server ignoring `offset` without echoing it repeats the page, which paginate() also detects.
      const next = body.hasMore ? encodePositionToken('offset', offset + body.items.length) : undefined;
      return { items: body.items, continuationToken: next };
    },
  };
}
