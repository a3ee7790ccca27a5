import { describe, expect, it } from 'vitest';
import {
  type Page,
  isInvalidInputError,
  isPagingLoopError,
  offsetLimitHasMore,
  paginate,
  startAtTotRecords,
} from '@ml-connector/core';
import { numberedSource } from './helpers.js';

describe('servers that ignore the position parameter', () => {
  const rows = Array.from({ length: 5 }, (_, i) => ({ id: i }));

  it('offset: an echoed offset that differs from the requested one stops paging at once', async () => {
    let calls = 0;
    const listing = paginate(offsetLimitHasMore(async () => (calls++, { items: rows.slice(0, 2), hasMore: true, offset: 0 })));
    const error = await listing.toArray({ limit: 1000 }).catch((e: unknown) => e);
    expect(isPagingLoopError(error)).toBe(true);
    expect(error).toMatchObject({ reason: 'position-ignored' });
    expect((error as Error).message).toMatch(/position "2".*\(offset 0\)/);
    expect(calls).toBe(2);
  });

  it('offset: without an echo, the repeated page gives it away', async () => {
    let calls = 0;
    const listing = paginate(offsetLimitHasMore(async () => (calls++, { items: rows.slice(0, 2), hasMore: true })));
    await expect(listing.toArray({ limit: 1000 })).rejects.toMatchObject({ code: 'PAGING_LOOP', reason: 'repeated-page', pageNumber: 2 });
    expect(calls).toBe(2);
  });

  it('startAt: an echoed startAt that differs (JAGGAER echoes it) stops paging', async () => {
    let calls = 0;
    const listing = paginate(
      startAtTotRecords(
        async () => (calls++, { totRecords: 500, returnedRecords: 2, startAt: '1', list: rows.slice(0, 2) }),
        (body) => body.list,
      ),
    );
    await expect(listing.toArray({ limit: 1000 })).rejects.toMatchObject({ code: 'PAGING_LOOP', reason: 'position-ignored' });
    expect(calls).toBe(2);
  });

  it('startAt: without an echo, the repeated page gives it away', async () => {
    const listing = paginate(startAtTotRecords(async () => ({ totRecords: 500, list: rows.slice(0, 2) }), (body) => body.list));
    await expect(listing.toArray({ limit: 1000 })).rejects.toMatchObject({ code: 'PAGING_LOOP', reason: 'repeated-page' });
  });

  it('a correct echo passes', async () => {
    const listing = paginate(
      offsetLimitHasMore(async ({ offset }) => ({ items: rows.slice(offset, offset + 2), hasMore: offset + 2 < rows.length, offset })),
    );
    expect(await listing.toArray()).toEqual(rows);
  });
});

describe('bounded loop memory', () => {
  // A server cycling through three tokens with distinct pages: only token memory can catch it.
  const cycling = () => {
    let call = 0;
    return { fetchPage: async () => ({ items: [call], continuationToken: ['a', 'b', 'c'][call++ % 3] }) };
  };
  it('remembers 10,000 tokens by default, so a short cycle is caught', async () => {
    await expect(paginate(cycling()).toArray({ limit: 50 })).rejects.toMatchObject({ reason: 'repeated-token', pageNumber: 4 });
  });
  it('forgets the oldest tokens beyond maxTrackedTokens', async () => {
    expect(await paginate(cycling(), { maxTrackedTokens: 2 }).toArray({ limit: 50 })).toHaveLength(50);
    expect(() => paginate(cycling(), { maxTrackedTokens: 0 })).toThrow(expect.objectContaining({ field: 'maxTrackedTokens' }));
  });
});

describe('toArray() without arguments', () => {
  it('collects a listing within the default bound', async () => {
    expect(await paginate(numberedSource(7)).toArray()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
  it('refuses to cut a longer listing silently', async () => {
    const error = await paginate(numberedSource(10_001, 5_000))
      .toArray()
      .catch((e: unknown) => e);
    expect(isInvalidInputError(error)).toBe(true);
    expect(error).toMatchObject({ field: 'limit' });
    expect((error as Error).message).toMatch(/at most 10000 items/);
  });
  it('exactly 10,000 items is fine', async () => {
    expect(await paginate(numberedSource(10_000, 5_000)).toArray()).toHaveLength(10_000);
  });
});

describe('continuation tokens record their listing', () => {
  it('resumes on the same listing and refuses a token of another one', async () => {
    const vendors = () => paginate(numberedSource(9), { listing: 'vendors' });
    const first = await vendors().byPage().next();
    const token = (first.value as Page<number>).continuationToken!;
    expect(token).not.toBe('p3');

    const rest: number[] = [];
    for await (const page of vendors().byPage({ continuationToken: token })) rest.push(...page.items);
    expect(rest).toEqual([3, 4, 5, 6, 7, 8]);

    const customers = numberedSource(9);
    let error: unknown;
    try {
      paginate(customers, { listing: 'customers' }).byPage({ continuationToken: token });
      expect.unreachable('a token of another listing must be refused');
    } catch (e) {
      error = e;
    }
    expect(isInvalidInputError(error)).toBe(true);
    expect((error as Error).message).toMatch(/belongs to another listing, not to "customers"/);
    expect(customers.requests).toHaveLength(0);
  });

  it('refuses a token the listing did not issue', () => {
    expect(() => paginate(numberedSource(9), { listing: 'vendors' }).byPage({ continuationToken: 'p3' })).toThrow(
      /was not issued by this listing/,
    );
  });
});
