import { afterEach, describe, expect, it } from 'vitest';
import { type RateLimiter, isConflictError, isInvalidInputError, isValidationError } from '@ml-connector/core';
import { type BatchOperation, BatchRolledBackError, ReadOnlyEntityError } from '@ml-connector/business-central';
import { type Harness, createHarness } from './helpers.js';

let h: Harness;
afterEach(() => h?.sandbox.close());

const batchRequests = () => h.apiRequests().filter((r) => r.url.pathname.endsWith('/$batch'));

describe('$batch', () => {
  it('splits 250 creates into requests of at most 100 and maps results back in order', async () => {
    h = createHarness();
    const company = h.client.company(h.sandbox.companyId);
    const records = Array.from({ length: 250 }, (_, i) => ({ number: `B${String(i).padStart(4, '0')}`, displayName: `Batch ${i}`, balance: 5 }));
    records[7] = { ...records[7]!, displayName: 'x'.repeat(101) };
    const results = await company.batch.createMany('vendors', records);
    expect(batchRequests()).toHaveLength(3);
    expect(batchRequests().map((r) => (JSON.parse(r.body) as { requests: unknown[] }).requests.length)).toEqual([100, 100, 50]);
    expect(results).toHaveLength(250);
    results.forEach((result, i) => {
      expect(result.input).toBe(records[i]);
      if (i === 7) {
        expect(result.ok).toBe(false);
        if (!result.ok) expect(isValidationError(result.error)).toBe(true);
      } else {
        expect(result).toMatchObject({ ok: true, status: 201 });
        if (result.ok) expect(result.data).toMatchObject({ number: records[i]!.number, balance: 0 });
      }
    });
    expect(h.sandbox.db.vendors.size).toBe(24 + 249);
  });

  it('rolls back a snapshot batch and marks the successful operations as rolled back', async () => {
    h = createHarness();
    const company = h.client.company(h.sandbox.companyId);
    const [vendor] = await company.vendors.list().toArray({ limit: 1 });
    const operations: BatchOperation[] = [
      { kind: 'create', entitySet: 'vendors', body: { number: 'SNAP-1', displayName: 'ok' } },
      { kind: 'update', entitySet: 'vendors', id: vendor!.id, body: { displayName: 'stale' }, etag: 'W/"stale"' },
      { kind: 'get', entitySet: 'vendors', id: vendor!.id },
    ];
    const results = await company.batch.run(operations, { isolation: 'snapshot' });
    expect(batchRequests()[0]!.headers.get('isolation')).toBe('snapshot');
    expect(results.map((r) => r.input)).toEqual(operations);
    expect(results[0]).toMatchObject({ ok: false, rolledBack: true, status: 201 });
    if (!results[0]!.ok) expect(results[0]!.error).toBeInstanceOf(BatchRolledBackError);
    expect(results[1]).toMatchObject({ ok: false, rolledBack: false, status: 412 });
    if (!results[1]!.ok) expect(isConflictError(results[1]!.error)).toBe(true);
    expect(await company.vendors.list({ filter: (f) => f.eq('number', 'SNAP-1') }).toArray({ limit: 1 })).toEqual([]);
  });

  it('refuses oversize snapshot batches, read-only writes and bad input before sending', async () => {
    h = createHarness();
    const company = h.client.company(h.sandbox.companyId);
    const many = Array.from({ length: 101 }, (_, i) => ({ number: `N${i}` }));
    await expect(company.batch.createMany('vendors', many, { isolation: 'snapshot' })).rejects.toSatisfy(isInvalidInputError);
    await expect(company.batch.createMany('vendors', many, { split: false })).rejects.toThrow(/at most 100/);
    await expect(company.batch.run([{ kind: 'create', entitySet: 'accounts', body: {} }])).rejects.toBeInstanceOf(ReadOnlyEntityError);
    await expect(company.batch.run([{ kind: 'update', entitySet: 'vendors', id: 'nope', body: {}, etag: '*' }])).rejects.toSatisfy(isInvalidInputError);
    await expect(company.batch.run([])).rejects.toSatisfy(isInvalidInputError);
    expect(h.apiRequests()).toHaveLength(0);
  });

  it('posts and deletes through a batch', async () => {
    h = createHarness();
    const company = h.client.company(h.sandbox.companyId);
    const [vendor] = await company.vendors.list({ filter: (f) => f.eq('blocked', ' ') }).toArray({ limit: 1 });
    const draft = await company.purchaseInvoices.create({
      vendorId: vendor!.id,
      vendorInvoiceNumber: 'BATCH-POST',
      purchaseInvoiceLines: [{ lineType: 'Account', lineObjectNumber: '8110', quantity: 1, unitCost: 1 }],
    });
    const other = await company.purchaseInvoices.create({ vendorId: vendor!.id, vendorInvoiceNumber: 'BATCH-DEL' });
    const results = await company.batch.run([
      { kind: 'post', entitySet: 'purchaseInvoices', id: draft.id },
      { kind: 'delete', entitySet: 'purchaseInvoices', id: other.id, etag: other.etag! },
    ]);
    expect(results.map((r) => [r.ok, r.status])).toEqual([
      [true, 204],
      [true, 204],
    ]);
    expect((await company.purchaseInvoices.get(draft.id)).status).toBe('Open');
  });

  it('does not report a post inside a failed snapshot batch as rolled back: posting commits in AL', async () => {
    h = createHarness();
    const company = h.client.company(h.sandbox.companyId);
    const vendor = (await company.vendors.list({ filter: (f) => f.eq('number', 'V00004') }).toArray({ limit: 1 }))[0]!;
    const draft = await company.purchaseInvoices.create({
      vendorId: vendor.id,
      vendorInvoiceNumber: 'SNAP-POST',
      purchaseInvoiceLines: [{ lineType: 'Account', lineObjectNumber: '8110', quantity: 1, unitCost: 1 }],
    });
    const results = await company.batch.run(
      [
        { kind: 'create', entitySet: 'vendors', body: { number: 'SNAP-A', displayName: 'before the post' } },
        { kind: 'post', entitySet: 'purchaseInvoices', id: draft.id },
        { kind: 'create', entitySet: 'vendors', body: { number: 'SNAP-B', displayName: 'after the post' } },
        { kind: 'update', entitySet: 'vendors', id: vendor.id, body: { displayName: 'stale' }, etag: 'W/"stale"' },
      ],
      { isolation: 'snapshot' },
    );
    expect(results.map((r) => [r.ok, r.ok ? false : r.rolledBack])).toEqual([
      [true, false],
      [true, false],
      [false, true],
      [false, false],
    ]);
    // The emulator agrees: the post and what preceded it stayed, what followed was rolled back.
    expect((await company.purchaseInvoices.get(draft.id)).status).toBe('Open');
    const numbers = (await company.vendors.list({ filter: (f) => f.startsWith('number', 'SNAP') }).toArray({ limit: 5 })).map((v) => v.number);
    expect(numbers).toEqual(['SNAP-A']);
  });

  it('charges one rate permit per batch operation by default, one per request when told not to', async () => {
    const acquired: string[] = [];
    const limiter: RateLimiter = { acquire: async (key) => (acquired.push(key), { release: () => undefined }) };
    for (const [countBatchOperations, expected] of [
      [undefined, 5],
      [false, 1],
    ] as const) {
      acquired.length = 0;
      h = createHarness({}, { throttle: limiter, ...(countBatchOperations === undefined ? {} : { countBatchOperations }) });
      const company = h.client.company(h.sandbox.companyId);
      const vendors = await company.vendors.list({ top: 5 }).toArray({ limit: 5 });
      acquired.length = 0;
      await company.batch.run(vendors.map((v) => ({ kind: 'get' as const, entitySet: 'vendors' as const, id: v.id })));
      expect(acquired).toHaveLength(expected);
      expect(new Set(acquired).size).toBe(1); // one budget: the transport's key
      h.sandbox.close();
    }
  });
});
