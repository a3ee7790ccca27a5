import { ResponseValidationError } from '../errors/index.js';
import { PagingLoopError } from './errors.js';
import type { Page, PageSource } from './paginate.js';
import { decodePositionToken, encodePositionToken } from './token.js';

/** What a startAt listing call receives for one page. */
export interface StartAtPageRequest {
  /** 1-based index of the first record to return. */
  startAt: number;
  /** Requested page size, to map onto the endpoint's own parameter; `undefined` means the server default. */
  maxPageSize?: number;
  /** Cancels the request. */
  signal?: AbortSignal;
}

/** The counters of a startAt/totRecords response (JAGGAER ONE); numeric strings are accepted. */
export interface StartAtResponse {
  /** Total number of records matching the query. */
  totRecords?: number | string;
  /** Number of records on this page; the item count is used when absent. */
  returnedRecords?: number | string;
  /** The position the server applied, as JAGGAER echoes it; checked against the requested one when present. */
  startAt?: number | string;
}

/**
 * Paging strategy for JAGGAER-style `startAt`/`totRecords` listings. `startAt` is 1-based; the listing ends when
 * `startAt + returnedRecords > totRecords` or a page is empty. Tokens look like `startAt:v1:101`.
 * `selectItems` picks the list out of the body because its key differs per entity (`rfqList`, `companyList`, …);
 * a missing list counts as empty.
 *
 * Example:
 *
 * {@includeCode ../../examples/paging.ts#startAtTotRecords}
 */
export function startAtTotRecords<R extends StartAtResponse, T>(
  fetchRecords: (request: StartAtPageRequest) => Promise<R>,
  selectItems: (response: R) => T[] | undefined,
): PageSource<T> {
  return {
    async fetchPage({ continuationToken, maxPageSize, signal }): Promise<Page<T>> {
      const startAt = continuationToken === undefined ? 1 : decodePositionToken('startAt', continuationToken, 1);
      const body = await fetchRecords({ startAt, maxPageSize, signal });
      if (typeof body !== 'object' || body === null) throw new ResponseValidationError('startAt-paged response body is not a JSON object.');
      const items = selectItems(body) ?? [];
      if (!Array.isArray(items)) throw new ResponseValidationError('selectItems must return an array of records or undefined.');
      // A server that ignores `startAt` serves the first page forever; its echo gives it away at once.
      if (body.startAt !== undefined && body.startAt !== null && readCount(body.startAt, 'startAt') !== startAt) {
        throw new PagingLoopError(String(startAt), undefined, 'position-ignored', ` (startAt ${String(body.startAt)})`);
      }
      const total = readCount(body.totRecords, 'totRecords');
      const returned = body.returnedRecords === undefined ? items.length : readCount(body.returnedRecords, 'returnedRecords');
      const done = returned === 0 || startAt + returned > total;
      return { items, continuationToken: done ? undefined : encodePositionToken('startAt', startAt + returned) };
    },
  };
}

function readCount(value: unknown, field: string): number {
  const count = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
    throw new ResponseValidationError(`startAt-paged response needs a non-negative integer "${field}"; got ${JSON.stringify(value)}.`);
  }
  return count;
}
