import { createHash } from 'node:crypto';
import { AbortError, InvalidInputError, ResponseValidationError, isAbortError } from '../errors/index.js';
import { PagingLoopError } from './errors.js';
import { describeToken } from './token.js';

/** Items `toArray()` collects when no `limit` is given; a longer listing is an error rather than silently cut. */
const DEFAULT_TO_ARRAY_LIMIT = 10_000;
/** Continuation tokens remembered per iteration for loop detection; older ones are forgotten first. */
const DEFAULT_MAX_TRACKED_TOKENS = 10_000;

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
  /**
   * Maximum number of items to collect (positive integer); the rest of the listing is not fetched.
   * Default 10,000, and then a longer listing throws `InvalidInputError` (field `limit`) instead of being
   * cut short silently: pass a `limit`, or iterate with `for await`.
   */
  limit?: number;
  /** Preferred number of items per page (positive integer). */
  maxPageSize?: number;
  /** Stops collecting with an `AbortError`. */
  signal?: AbortSignal;
}

/** Options of {@link paginate}. */
export interface PaginateOptions {
  /** Cancels every iteration of the listing, including `for await` over items. */
  signal?: AbortSignal;
  /**
   * Names the listing, e.g. `vendors?$filter=blocked eq ' '`. Continuation tokens then record it (as a hash),
   * and resuming a token of another listing, or one this listing did not issue, throws `InvalidInputError`
   * instead of silently paging through the wrong data. Without it tokens are the strategy's own.
   */
  listing?: string;
  /**
   * Continuation tokens remembered per iteration to detect a server that repeats one (`PagingLoopError`).
   * Default 10,000; the oldest are forgotten first, so memory stays bounded on endless listings.
   */
  maxTrackedTokens?: number;
}

/**
 * A lazy listing: `for await` yields items, `byPage()` yields pages with resumable tokens, and `toArray()`
 * collects a bounded number of items. Nothing is fetched until iteration starts; each iteration starts afresh.
 */
export interface PagedAsyncIterable<T, TPage extends Page<T> = Page<T>> extends AsyncIterable<T> {
  /** Iterates page by page, optionally resuming from a saved continuation token. */
  byPage(settings?: PageSettings): AsyncIterableIterator<TPage>;
  /**
   * Collects at most `limit` items, fetching no page beyond the one that reaches the limit. Without a
   * `limit` it collects up to 10,000 items and throws `InvalidInputError` if the listing holds more.
   */
  toArray(options?: ToArrayOptions): Promise<T[]>;
}

/**
 * Turns a page fetcher into a {@link PagedAsyncIterable}, adding resumable tokens, abort handling and
 * protection against servers that ignore the paging parameter ({@link PagingLoopError}: a continuation
 * token seen before, or the same page twice in a row).
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
  const maxTrackedTokens = options.maxTrackedTokens ?? DEFAULT_MAX_TRACKED_TOKENS;
  if (!Number.isSafeInteger(maxTrackedTokens) || maxTrackedTokens < 1) {
    throw new InvalidInputError(`maxTrackedTokens must be a positive integer; got ${String(options.maxTrackedTokens)}.`, {
      field: 'maxTrackedTokens',
    });
  }
  if (options.listing !== undefined && (typeof options.listing !== 'string' || options.listing === '')) {
    throw new InvalidInputError('listing must be a non-empty string naming the listing, or undefined.', { field: 'listing' });
  }
  const tokens = listingTokens(options.listing);
  const byPage = (settings: PageSettings = {}): AsyncIterableIterator<TPage> => {
    checkPageSettings(settings);
    const start = settings.continuationToken === undefined ? undefined : tokens.open(settings.continuationToken);
    return iteratePages(source, { ...settings, continuationToken: start }, combineSignals(options.signal, settings.signal), maxTrackedTokens, tokens.seal);
  };
  return {
    byPage,
    async *[Symbol.asyncIterator]() {
      for await (const page of byPage()) yield* page.items;
    },
    async toArray({ limit, maxPageSize, signal }: ToArrayOptions = {}) {
      if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 1)) {
        throw new InvalidInputError(`toArray() needs a positive integer limit; got ${String(limit)}.`, { field: 'limit' });
      }
      const bound = limit ?? DEFAULT_TO_ARRAY_LIMIT;
      const collected: T[] = [];
      for await (const page of byPage({ maxPageSize, signal })) {
        const room = bound - collected.length;
        if (limit === undefined && (page.items.length > room || (page.items.length === room && page.continuationToken !== undefined))) {
          throw new InvalidInputError(
            `toArray() without a limit collects at most ${DEFAULT_TO_ARRAY_LIMIT} items and this listing has more; ` +
              'pass { limit } to take the first items, or iterate with for await to process them all.',
            { field: 'limit' },
          );
        }
        collected.push(...page.items.slice(0, room));
        if (collected.length === bound) break;
      }
      return collected;
    },
  };
}

/** Wraps tokens with the listing's tag and unwraps (and checks) saved ones. Identity when no listing is named. */
function listingTokens(listing: string | undefined): { seal: (token: string) => string; open: (token: string) => string } {
  if (listing === undefined) return { seal: (token) => token, open: (token) => token };
  const tag = createHash('sha256').update(listing).digest('base64url').slice(0, 10);
  const prefix = `L1.${tag}.`;
  return {
    seal: (token) => `${prefix}${token}`,
    open(token) {
      if (token.startsWith(prefix)) return token.slice(prefix.length);
      const other = /^L1\.[\w-]{10}\./.test(token);
      throw new InvalidInputError(
        `continuationToken ${JSON.stringify(describeToken(token))} ${other ? 'belongs to another listing' : 'was not issued by this listing'}, ` +
          `not to ${JSON.stringify(describeToken(listing))}. Pass a continuationToken returned by byPage() of this same listing.`,
        { field: 'continuationToken' },
      );
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

/**
 * A cheap identity of a page: its size and first and last items. Two consecutive pages that match were the
 * same page served again (a server ignoring the position it was sent); `undefined` for empty or unserialisable pages.
 */
function fingerprintOf(items: readonly unknown[]): string | undefined {
  if (items.length === 0) return undefined;
  try {
    return `${items.length}|${JSON.stringify(items[0])}|${JSON.stringify(items[items.length - 1])}`;
  } catch {
    return undefined;
  }
}

async function* iteratePages<T, TPage extends Page<T>>(
  source: PageSource<T, TPage>,
  { continuationToken, maxPageSize }: PageSettings,
  signal: AbortSignal | undefined,
  maxTrackedTokens: number,
  seal: (token: string) => string,
): AsyncGenerator<TPage, void, undefined> {
  // Recent tokens handed out in this iteration (insertion-ordered, oldest evicted); a repeat means a loop.
  const seen = new Set<string>(continuationToken === undefined ? [] : [continuationToken]);
  let token = continuationToken;
  let previousFingerprint: string | undefined;
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
    const fingerprint = fingerprintOf(page.items);
    if (fingerprint !== undefined && fingerprint === previousFingerprint) {
      throw new PagingLoopError(token ?? '', pageNumber, 'repeated-page');
    }
    previousFingerprint = fingerprint;
    if (next !== undefined) {
      if (seen.has(next)) throw new PagingLoopError(next, pageNumber);
      seen.add(next);
      if (seen.size > maxTrackedTokens) seen.delete(seen.values().next().value as string);
    }
    yield { ...page, continuationToken: next === undefined ? undefined : seal(next) };
    if (next === undefined) return;
    token = next;
  }
}
