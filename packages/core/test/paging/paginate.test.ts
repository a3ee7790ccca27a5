import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type Page,
  type PagedAsyncIterable,
  PagingLoopError,
  isAbortError,
  isInvalidInputError,
  isPagingLoopError,
  paginate,
} from '@ml-connector/core';
import { numberedSource } from './helpers.js';


async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of iterable) out.push(value);
  return out;
}

describe('paginate', () => {
  it('is lazy: nothing is fetched until iteration starts', () => {
    const source = numberedSource(10);
    const listing = paginate(source);
    listing.byPage();
    expect(source.requests).toHaveLength(0);
  });

  it('yields every item across pages with for await', async () => {
    const source = numberedSource(10);
    expect(await collect(paginate(source))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(source.requests.map((r) => r.continuationToken)).toEqual([undefined, 'p3', 'p6', 'p9']);
  });

  it('yields pages with continuation tokens and passes maxPageSize through', async () => {
    const source = numberedSource(5);
    const pages = await collect(paginate(source).byPage({ maxPageSize: 2 }));
    expect(pages).toEqual([
      { items: [0, 1], continuationToken: 'p2' },
      { items: [2, 3], continuationToken: 'p4' },
      { items: [4], continuationToken: undefined },
    ]);
    expect(source.requests.every((r) => r.maxPageSize === 2)).toBe(true);
  });

  it('starts afresh on every iteration', async () => {
    const listing = paginate(numberedSource(4));
    expect(await collect(listing)).toEqual(await collect(listing));
  });

  it('resumes from a saved token in a new listing, as after a restart', async () => {
    const first = paginate(numberedSource(9));
    let saved: string | undefined;
    for await (const page of first.byPage()) {
      saved = page.continuationToken;
      break; // the process "stops" after the first page
    }
    const persisted = JSON.parse(JSON.stringify({ saved })) as { saved: string };
    const resumed = numberedSource(9);
    const rest = await collect(paginate(resumed).byPage({ continuationToken: persisted.saved }));
    expect(rest.flatMap((p) => p.items)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(resumed.requests[0]?.continuationToken).toBe('p3');
  });

  it('passes extra page fields through byPage and infers the item type', async () => {
    interface CountedPage extends Page<string> {
      totalCount: number;
    }
    const listing = paginate<string, CountedPage>({ fetchPage: async () => ({ items: ['a', 'b'], totalCount: 2 }) });
    const [page] = await collect(listing.byPage());
    expectTypeOf(page!.totalCount).toEqualTypeOf<number>();
    expect(page).toEqual({ items: ['a', 'b'], totalCount: 2, continuationToken: undefined });
    const inferred = paginate({ fetchPage: async () => ({ items: [1], continuationToken: undefined }) });
    expectTypeOf(inferred.toArray).returns.resolves.toEqualTypeOf<number[]>();
    expectTypeOf(inferred).toExtend<PagedAsyncIterable<number>>();
  });

  it('treats an empty-string token as the last page', async () => {
    const listing = paginate({ fetchPage: async () => ({ items: ['a'], continuationToken: '' }) });
    expect(await collect(listing.byPage())).toEqual([{ items: ['a'], continuationToken: undefined }]);
  });

  it('fetches no more pages once a for-await loop breaks', async () => {
    const source = numberedSource(100);
    for await (const item of paginate(source)) if (item === 1) break;
    expect(source.requests).toHaveLength(1);
  });

  describe('toArray', () => {
    it('collects at most limit items and stops fetching once reached', async () => {
      const source = numberedSource(100);
      expect(await paginate(source).toArray({ limit: 7 })).toEqual([0, 1, 2, 3, 4, 5, 6]);
      expect(source.requests).toHaveLength(3);
    });

    it('returns everything when the listing is shorter than the limit', async () => {
      const source = numberedSource(4);
      expect(await paginate(source).toArray({ limit: 50, maxPageSize: 10 })).toEqual([0, 1, 2, 3]);
      expect(source.requests).toHaveLength(1);
    });

    it.each([0, -1, 1.5, Number.NaN])('rejects limit %s', async (limit) => {
      const source = numberedSource(4);
      const error = await paginate(source)
        .toArray({ limit: limit as number })
        .catch((e: unknown) => e);
      expect(isInvalidInputError(error)).toBe(true);
      expect(error).toMatchObject({ field: 'limit' });
      expect(source.requests).toHaveLength(0);
    });
  });

  describe('input validation', () => {
    it('rejects a source without fetchPage', () => {
      expect(() => paginate({} as never)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', field: 'fetchPage' }));
    });

    it.each([0, -3, 2.5])('rejects maxPageSize %s when byPage is called', (maxPageSize) => {
      expect(() => paginate(numberedSource(1)).byPage({ maxPageSize })).toThrow(expect.objectContaining({ field: 'maxPageSize' }));
    });

    it('rejects an empty continuation token', () => {
      expect(() => paginate(numberedSource(1)).byPage({ continuationToken: '' })).toThrow(
        expect.objectContaining({ field: 'continuationToken' }),
      );
    });

    it('reports a page without an items array as a response validation error', async () => {
      const listing = paginate({ fetchPage: async () => ({ value: [] }) as never });
      await expect(collect(listing)).rejects.toMatchObject({ code: 'RESPONSE_INVALID' });
    });
  });

  describe('loop protection', () => {
    it('throws PagingLoopError when a token repeats, before yielding the repeated page', async () => {
      const tokens = ['a', 'b', 'a'];
      let call = 0;
      const listing = paginate({ fetchPage: async () => ({ items: [call], continuationToken: tokens[call++] }) });
      const seenItems: number[] = [];
      const error = await (async () => {
        for await (const item of listing) seenItems.push(item);
      })().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PagingLoopError);
      expect(isPagingLoopError(error)).toBe(true);
      expect(error).toMatchObject({ code: 'PAGING_LOOP', pageNumber: 3, repeatedToken: 'a' });
      expect((error as Error).message).toMatch(/server repeated a page/);
      expect(seenItems).toEqual([0, 1]);
    });

    it('catches an empty page that returns the token it was fetched with', async () => {
      const listing = paginate({ fetchPage: async () => ({ items: [], continuationToken: 'same' }) });
      await expect(collect(listing.byPage({ continuationToken: 'same' }))).rejects.toMatchObject({ code: 'PAGING_LOOP', pageNumber: 1 });
    });

    it('redacts and shortens the token it names', async () => {
      const link = `https://erp.example.test/odata/Items?$skiptoken=${'x'.repeat(200)}&access_token=very-secret-value`;
      const listing = paginate({ fetchPage: async () => ({ items: [1], continuationToken: link }) });
      const error = (await collect(listing).catch((e: unknown) => e)) as PagingLoopError;
      expect(isPagingLoopError(error)).toBe(true);
      const shown = JSON.stringify(error.toJSON()) + error.message;
      expect(shown).not.toContain('very-secret-value');
      expect(error.repeatedToken.length).toBeLessThan(80);
    });
  });

  describe('abort', () => {
    it('does not fetch when the signal is already aborted', async () => {
      const source = numberedSource(10);
      const controller = new AbortController();
      controller.abort();
      const error = await paginate(source, { signal: controller.signal })
        .toArray({ limit: 5 })
        .catch((e: unknown) => e);
      expect(isAbortError(error)).toBe(true);
      expect(source.requests).toHaveLength(0);
    });

    it('stops between pages when aborted during iteration', async () => {
      const source = numberedSource(10);
      const controller = new AbortController();
      const items: number[] = [];
      const error = await (async () => {
        for await (const page of paginate(source).byPage({ signal: controller.signal })) {
          items.push(...page.items);
          controller.abort();
        }
      })().catch((e: unknown) => e);
      expect(isAbortError(error)).toBe(true);
      expect(items).toEqual([0, 1, 2]);
      expect(source.requests).toHaveLength(1);
    });

    it('passes the signal to the fetcher and turns its rejection into an AbortError', async () => {
      const controller = new AbortController();
      const listing = paginate<number>({
        fetchPage: ({ signal }) =>
          new Promise((_, reject) => signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))),
      });
      const pending = listing.toArray({ limit: 1, signal: controller.signal });
      controller.abort();
      const error = await pending.catch((e: unknown) => e);
      expect(isAbortError(error)).toBe(true);
      expect((error as Error).cause).toBeInstanceOf(DOMException);
    });

    it('does not deliver a page that arrives after the abort', async () => {
      const controller = new AbortController();
      const listing = paginate({
        fetchPage: async () => {
          controller.abort();
          return { items: [1] };
        },
      });
      await expect(listing.toArray({ limit: 1, signal: controller.signal })).rejects.toMatchObject({ code: 'ABORTED' });
    });

    it('honours both the listing signal and the per-call signal', async () => {
      const listingController = new AbortController();
      const listing = paginate(numberedSource(10), { signal: listingController.signal });
      listingController.abort();
      await expect(listing.toArray({ limit: 1, signal: new AbortController().signal })).rejects.toMatchObject({ code: 'ABORTED' });
    });
  });
});
