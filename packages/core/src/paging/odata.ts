import { InvalidInputError, ResponseValidationError } from '../errors/index.js';
import type { Page, PageSource } from './paginate.js';
import { describeToken } from './token.js';

/** What an OData listing call receives for one page. */
export interface ODataPageRequest {
  /** The server's next link, to GET exactly as given; `undefined` for the first page (send the initial query). */
  nextLink?: string;
  /** Headers to send: `Prefer: odata.maxpagesize=N` when a page size was requested, otherwise none. */
  headers: Record<string, string>;
  /** Cancels the request. */
  signal?: AbortSignal;
}

/** The JSON body of an OData collection response (Business Central, F&O, NAV). */
export interface ODataCollectionPage<T> {
  /** The entities on this page. */
  value: T[];
  /** Link to the next page (OData v4); carries `$skiptoken` (Business Central) or `$skip` (F&O). */
  '@odata.nextLink'?: string;
  /** Link to the next page in OData v3 JSON light (older NAV). */
  'odata.nextLink'?: string;
}

/**
 * Paging strategy for OData server-driven paging. The continuation token is the next link itself, so a saved
 * token is simply fetched again; `maxPageSize` becomes the `Prefer: odata.maxpagesize=N` header, which the
 * server may honour or ignore.
 *
 * Example:
 *
 * {@includeCode ../../examples/paging.ts#odataNextLink}
 */
export function odataNextLink<T>(
  fetchCollection: (request: ODataPageRequest) => Promise<ODataCollectionPage<T>>,
): PageSource<T> {
  return {
    async fetchPage({ continuationToken, maxPageSize, signal }): Promise<Page<T>> {
      if (continuationToken !== undefined) checkNextLink(continuationToken);
      const headers: Record<string, string> = maxPageSize === undefined ? {} : { Prefer: `odata.maxpagesize=${maxPageSize}` };
      const body = await fetchCollection({ nextLink: continuationToken, headers, signal });
      if (!Array.isArray(body?.value)) {
        throw new ResponseValidationError(
          'OData response has no "value" array; the URL must address an entity set, not a single entity or $count.',
        );
      }
      const nextLink = body['@odata.nextLink'] ?? body['odata.nextLink'];
      if (nextLink !== undefined && typeof nextLink !== 'string') {
        throw new ResponseValidationError('OData response has a non-string "@odata.nextLink".');
      }
      return { items: body.value, continuationToken: nextLink };
    },
  };
}

// A next link is absolute or relative to the service root; reject anything else before sending it.
function checkNextLink(token: string): void {
  let protocol = '';
  try {
    protocol = new URL(token, 'http://relative.invalid/').protocol;
  } catch {
    // fall through: unparseable
  }
  if (/\s/.test(token) || (protocol !== 'http:' && protocol !== 'https:')) {
    throw new InvalidInputError(
      `continuationToken ${JSON.stringify(describeToken(token))} is not an OData next link. ` +
        'Pass a continuationToken returned by byPage() of this same listing.',
      { field: 'continuationToken' },
    );
  }
}
