import { describe, expect, it } from 'vitest';
import { isInvalidInputError } from '@ml-connector/core';
import { type Supplier, pollModified } from '@ml-connector/oracle-fusion';
import { type OracleFusionData, oracleTimestamp, record } from '@ml-connector/oracle-fusion/testing';
import { createHarness } from '../helpers.js';

const T0 = Date.UTC(2026, 0, 10, 12, 0, 0);
const SECOND = 1000;

/** Suppliers with chosen LastUpdateDate offsets (seconds after T0). */
function data(offsets: number[]): OracleFusionData {
  return {
    suppliers: offsets.map((s, i) =>
      record({ SupplierId: 1000 + i, Supplier: `S${i}`, SupplierNumber: `V${String(i + 1).padStart(5, '0')}`, Status: 'ACTIVE', LastUpdateDate: oracleTimestamp(T0 + s * SECOND) }),
    ),
  };
}

async function drain(iterable: AsyncIterable<{ items: Supplier[]; cursor: string }>) {
  const ids: number[] = [];
  let cursor: string | undefined;
  for await (const batch of iterable) {
    ids.push(...batch.items.map((i) => i.SupplierId));
    cursor = batch.cursor;
  }
  return { ids, cursor };
}

describe('pollModified (LastUpdateDate with look-back and equal timestamps)', () => {
  it('delivers records sharing one LastUpdateDate across a page boundary exactly once', async () => {
    // Page size 3: ids 1002..1005 share t=2 and straddle the first page boundary.
    const { client } = createHarness({ data: data([0, 1, 2, 2, 2, 2, 3]) });
    const { ids } = await drain(pollModified(client.suppliers, 'SupplierId', { pageSize: 3 }));
    expect(ids).toEqual([1000, 1001, 1002, 1003, 1004, 1005, 1006]);
  });

  it('keeps the timestamp and key when the caller narrows fields', async () => {
    const { client } = createHarness({ data: data([0, 1, 1, 2]) });
    const { ids } = await drain(pollModified(client.suppliers, 'SupplierId', { pageSize: 2, fields: ['Supplier'] }));
    expect(ids).toEqual([1000, 1001, 1002, 1003]);
  });

  it('advances through a run of equal timestamps longer than a page', async () => {
    const { client } = createHarness({ data: data([5, 5, 5, 5, 5, 5, 5, 6]) });
    const { ids } = await drain(pollModified(client.suppliers, 'SupplierId', { pageSize: 3 }));
    expect(ids).toEqual([1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007]);
  });

  it('resumes from a saved cursor without repeating or losing records, and picks up later changes', async () => {
    const { client, sandbox } = createHarness({ data: data([0, 1, 2, 2, 2, 3]) }, {});
    const first = pollModified(client.suppliers, 'SupplierId', { pageSize: 3 });
    const batch = await first.next();
    await first.return(undefined);
    if (batch.done) throw new Error('expected a batch');
    expect(batch.value.items.map((i) => i.SupplierId)).toEqual([1000, 1001, 1002]);
    // A new process resumes with the saved cursor.
    const rest = await drain(pollModified(client.suppliers, 'SupplierId', { pageSize: 3, cursor: batch.value.cursor }));
    expect(rest.ids).toEqual([1003, 1004, 1005]);
    // Nothing new: an empty poll.
    expect((await drain(pollModified(client.suppliers, 'SupplierId', { cursor: rest.cursor as string }))).ids).toEqual([]);
    sandbox.touch('suppliers', 1001, { Status: 'INACTIVE' });
    expect((await drain(pollModified(client.suppliers, 'SupplierId', { cursor: rest.cursor as string }))).ids).toEqual([1001]);
  });

  it('a record updated during the poll is delivered again and no other record is lost', async () => {
    const harness = createHarness({ data: data([0, 1, 2, 3, 4, 5, 6, 7]) });
    let touched = false;
    harness.afterResponse = (request) => {
      if (!touched && request.url.pathname.endsWith('/suppliers')) {
        touched = true;
        // After the first page: an early record changes, moving behind every other record.
        harness.sandbox.touch('suppliers', 1000, { Status: 'INACTIVE' });
      }
    };
    const { ids } = await drain(pollModified(harness.client.suppliers, 'SupplierId', { pageSize: 3, since: new Date(T0) }));
    expect(ids.slice(0, 3)).toEqual([1000, 1001, 1002]);
    expect([...new Set(ids)].sort()).toEqual([1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007]);
    expect(ids.filter((id) => id === 1000)).toHaveLength(2);
  });

  it('a record of a same-timestamp run longer than a page changes while the run is paged: nothing of the run is lost', async () => {
    // Ten records share t=5 (pages of 3); after the first page 1001 (already delivered) changes. An offset into the
    // run would now skip one record of it (the run lost a member ahead of the offset); keyset paging does not.
    const harness = createHarness({ data: data([5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 9]) });
    let touched = false;
    harness.afterResponse = (request) => {
      if (!touched && request.url.pathname.endsWith('/suppliers')) {
        touched = true;
        harness.sandbox.touch('suppliers', 1001, { Status: 'INACTIVE' });
      }
    };
    const { ids } = await drain(pollModified(harness.client.suppliers, 'SupplierId', { pageSize: 3, lookBackMs: 0 }));
    expect(touched).toBe(true);
    expect([...new Set(ids)].sort()).toEqual([1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010]);
    expect(ids.filter((id) => id === 1001)).toHaveLength(2);
    expect(ids).toHaveLength(12);
  });

  it('re-reads the look-back window but skips what it already delivered; a late commit inside it is delivered', async () => {
    const { client, sandbox } = createHarness({ data: data([0, 10, 20]) });
    const { cursor } = await drain(pollModified(client.suppliers, 'SupplierId', { lookBackMs: 60_000 }));
    // A record committed late with a timestamp before the high-water mark (inside the look-back window).
    sandbox.store.collections.suppliers?.push(record({ SupplierId: 2000, Supplier: 'Late', SupplierNumber: 'V09999', LastUpdateDate: oracleTimestamp(T0 + 15 * SECOND) }));
    const again = await drain(pollModified(client.suppliers, 'SupplierId', { lookBackMs: 60_000, cursor: cursor as string }));
    expect(again.ids).toEqual([2000]);
  });

  it('refuses a foreign cursor', async () => {
    const { client } = createHarness();
    const error = await pollModified(client.suppliers, 'SupplierId', { cursor: 'offset:v1:3' }).next().catch((e: unknown) => e);
    expect(isInvalidInputError(error)).toBe(true);
  });
});
