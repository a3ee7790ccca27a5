import { AbortError, InvalidInputError, ResponseValidationError, isAbortError } from '../errors/index.js';
import { PagingLoopError } from './errors.js';

/** One page of a listing. */
export interface Page<T> {
  /** The items on this page, in server order. */
  items: T[];
  /**
   * Opaque, persistable token for the page after this one; absent on the last page. Save it, and later pass it
   * to `byPage({ continuationToken })` (even in another process) to continue after this page.
   */
  continuationToken?: string;
}

/** What a {@link PageSource} is asked for when one page is needed. */
export interface PageRequest {
  /** Token of the page to fetch; `undefined` for the first page. */
  continuationToken?: string;
  /** Preferred number of items per page; servers may return fewer. */
  maxPageSize?: number;
  /** Cancels the fetch; pass it on to the HTTP call. */
  signal?: AbortSignal;
}

/**
 * Fetches single pages. Paging strategies (`odataNextLink`, `offsetLimitHasMore`, …) build one from a vendor call.
 * Pages may carry extra fields (e.g. a total count); `byPage()` yields them unchanged.
 */
export interface PageSource<T, TPage extends Page<T> = Page<T>> {
  // The intersection lets TypeScript infer both the item type and the page type from one fetcher.
  /** Fetches the page identified by `request.continuationToken`. */
  fetchPage(request: PageRequest): Promise<TPage & Page<T>>;
}

/** Where and how {@link PagedAsyncIterable.byPage} starts. */
export interface PageSettings {
  /** Resume after the page that returned this token. */
  continuationToken?: string;
  /** Preferred number of items per page (positive integer). */
  maxPageSize?: number;
  /** Stops paging with an `AbortError`. */
  signal?: AbortSignal;
}

/** Options of {@link PagedAsyncIterable.toArray}. */
export interface ToArrayOptions {
  /** Maximum number of items to collect (positive integer). Required so an unbounded listing cannot exhaust memory. */
  limit: number;
  /** Preferred number of items per page (positive integer). */
  maxPageSize?: number;
  /** Stops collecting with an `AbortError`. */
  signal?: AbortSignal;
}

/** Options of {@link paginate}. */
export interface PaginateOptions {
  /** Cancels every iteration of the listing, including `for await` over items. */
  signal?: AbortSignal;
}

/**
 * A lazy listing: `for await` yields items, `byPage()` yields pages with resumable tokens, and `toArray()`
 * collects a bounded number of items. Nothing is fetched until iteration starts; each iteration starts afresh.
 */
export interface PagedAsyncIterable<T, TPage extends Page<T> = Page<T>> extends AsyncIterable<T> {
  /** Iterates page by page, optionally resuming from a saved continuation token. */
  byPage(settings?: PageSettings): AsyncIterableIterator<TPage>;
  /** Collects at most `limit` items, fetching no page beyond the one that reaches the limit. */
  toArray(options: ToArrayOptions): Promise<T[]>;
}

/**
 * Turns a page fetcher into a {@link PagedAsyncIterable}, adding resumable tokens, abort handling and
 * protection against servers that return the same continuation token twice ({@link PagingLoopError}).
 *
 * Example:
 *
 * {@includeCode ../../examples/paging.ts#paginate}
 */
export function paginate<T, TPage extends Page<T> = Page<T>>(
  source: PageSource<T, TPage>,
  options: PaginateOptions = {},
): PagedAsyncIterable<T, TPage> {
  if (typeof source?.fetchPage !== 'function') {
    throw new InvalidInputError('paginate() needs a source with a fetchPage(request) function.', { field: 'fetchPage' });
  }
  const byPage = (settings: PageSettings = {}): AsyncIterableIterator<TPage> => {
    checkPageSettings(settings);
    return iteratePages(source, settings, combineSignals(options.signal, settings.signal));
  };
  return {
    byPage,
    async *[Symbol.asyncIterator]() {
      for await (const page of byPage()) yield* page.items;
    },
    async toArray({ limit, maxPageSize, signal }: ToArrayOptions) {
      if (!Number.isSafeInteger(limit) || limit < 1) {
        throw new InvalidInputError(`toArray() needs a positive integer limit; got ${String(limit)}.`, { field: 'limit' });
      }
      const collected: T[] = [];
      for await (const page of byPage({ maxPageSize, signal })) {
        for (const item of page.items) {
          if (collected.length === limit) break;
          collected.push(item);
        }
        if (collected.length === limit) break;
      }
      return collected;
    },
  };
}

function checkPageSettings({ continuationToken, maxPageSize }: PageSettings): void {
  if (continuationToken !== undefined && (typeof continuationToken !== 'string' || continuationToken === '')) {
    throw new InvalidInputError('continuationToken must be a non-empty string returned by byPage(), or undefined to start at the first page.', {
      field: 'continuationToken',
    });
  }
  if (maxPageSize !== undefined && (!Number.isSafeInteger(maxPageSize) || maxPageSize < 1)) {
    throw new InvalidInputError(`maxPageSize must be a positive integer; got ${String(maxPageSize)}.`, { field: 'maxPageSize' });
  }
}

function combineSignals(a: AbortSignal | undefined, b: AbortSignal | undefined): AbortSignal | undefined {
  return a && b ? AbortSignal.any([a, b]) : (a ?? b);
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortError('Paging was aborted', { cause: signal.reason });
}

async function* iteratePages<T, TPage extends Page<T>>(
  source: PageSource<T, TPage>,
  { continuationToken, maxPageSize }: PageSettings,
  signal: AbortSignal | undefined,
): AsyncGenerator<TPage, void, undefined> {
  // Every token handed out in this iteration; a repeat means the server is serving the same page again.
  const seen = new Set<string>(continuationToken === undefined ? [] : [continuationToken]);
  let token = continuationToken;
  for (let pageNumber = 1; ; pageNumber++) {
    throwIfAborted(signal);
    let page: TPage;
    try {
      page = await source.fetchPage({ continuationToken: token, maxPageSize, signal });
    } catch (error) {
      if (signal?.aborted && !isAbortError(error)) throw new AbortError('Paging was aborted', { cause: error });
      throw error;
    }
    // A fetcher that ignores the signal must not deliver a page after the caller gave up.
    throwIfAborted(signal);
    if (!Array.isArray(page?.items)) {
      throw new ResponseValidationError(`fetchPage returned page ${pageNumber} without an items array.`);
    }
    const next = page.continuationToken === '' ? undefined : page.continuationToken;
    if (next !== undefined) {
      if (seen.has(next)) throw new PagingLoopError(next, pageNumber);
      seen.add(next);
    }
    yield { ...page, continuationToken: next };
    if (next === undefined) return;
    token = next;
  }
}
