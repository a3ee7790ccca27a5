import { ResponseValidationError } from '../errors/index.js';
import type { Page, PageSource } from './paginate.js';

/** What a nextPageToken listing call receives for one page. */
export interface PageTokenRequest {
  /** The server's token for the next page; `undefined` for the first page. */
  nextPageToken?: string;
  /** Requested page size; `undefined` means the server default (Jira: 50). */
  maxResults?: number;
  /** Cancels the request. */
  signal?: AbortSignal;
}

/** The paging fields of a nextPageToken/isLast response (Jira `/rest/api/3/search/jql`). */
export interface PageTokenResponse {
  /** Token for the next page; absent on the last page. */
  nextPageToken?: string;
  /** True on the last page. */
  isLast?: boolean;
}

/**
 * Paging strategy for token-based listings such as Jira's enhanced JQL search (`{ issues, nextPageToken, isLast }`).
 * The continuation token is the server's `nextPageToken` unchanged; the listing ends when `isLast` is true or no
 * token is returned.
 *
 * Example:
 *
 * {@includeCode ../../examples/paging.ts#nextPageTokenIsLast}
 */
export function nextPageTokenIsLast<R extends PageTokenResponse, T>(
  fetchResults: (request: PageTokenRequest) => Promise<R>,
  selectItems: (response: R) => T[] | undefined,
): PageSource<T> {
  return {
    async fetchPage({ continuationToken, maxPageSize, signal }): Promise<Page<T>> {
      const body = await fetchResults({ nextPageToken: continuationToken, maxResults: maxPageSize, signal });
      if (typeof body !== 'object' || body === null) throw new ResponseValidationError('Token-paged response body is not a JSON object.');
      const items = selectItems(body) ?? [];
      if (!Array.isArray(items)) throw new ResponseValidationError('selectItems must return an array of items or undefined.');
      const token = body.nextPageToken;
      if (token !== undefined && token !== null && typeof token !== 'string') {
        throw new ResponseValidationError('Token-paged response has a non-string "nextPageToken".');
      }
      return { items, continuationToken: body.isLast === true || !token ? undefined : token };
    },
  };
}
