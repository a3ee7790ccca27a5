import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { harness, json, type Collection, type Row } from './helpers.js';

describe('Business Central sandbox: $filter string literals (property-based)', () => {
  it('finds exactly the vendor whose name is any string, with quotes doubled', async () => {
    const h = await harness({ size: { vendors: 2, invoices: 0, purchaseOrders: 0 } });
    const vendor = h.sandbox.db.vendors.all()[0] as Row;
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 40 }), async (name) => {
        const patched = await h.send('PATCH', `/vendors(${vendor.id})`, { displayName: name }, { 'if-match': '*' });
        expect(patched.status).toBe(200);
        const literal = `'${name.replaceAll("'", "''")}'`;
        const res = await h.get(`/vendors?$filter=${encodeURIComponent(`displayName eq ${literal}`)}&$select=id`);
        expect(res.status).toBe(200);
        const ids = (await json<Collection>(res)).value.map((v) => v.id);
        expect(ids).toEqual([vendor.id]);
        const contains = await h.get(`/vendors?$filter=${encodeURIComponent(`contains(displayName,${literal})`)}&$select=id`);
        expect((await json<Collection>(contains)).value.map((v) => v.id)).toContain(vendor.id);
      }),
      { numRuns: 60, seed: 20260101 },
    );
  });
});
