import { isInvalidInputError } from '@ml-connector/core';
import { afterEach, describe, expect, it } from 'vitest';
import { isConflictError, isNotFoundError, isValidationError, odataQuery } from '@ml-connector/core';
import type { VendorFields } from '@ml-connector/business-central';
import { type Harness, createHarness } from './helpers.js';

let h: Harness;
afterEach(() => h?.sandbox.close());

describe('vendors', () => {
  it('lists with an OData query, gets, and keeps unknown fields', async () => {
    h = createHarness();
    const vendors = h.client.company(h.sandbox.companyId).vendors;
    const all = await vendors.list().toArray({ limit: 1000 });
    expect(all).toHaveLength(24); // V00001…V00025 without the unmapped V00025
    const first = all[0]!;
    expect(first.etag).toMatch(/^W\/"/);
    const filtered = await vendors.list({ filter: (f) => f.eq('number', first.number), select: ['id', 'number', 'displayName'] }).toArray({ limit: 5 });
    expect(filtered.map((v) => v.id)).toEqual([first.id]);
    const viaBuilder = await vendors.list(odataQuery<VendorFields>().orderBy('number', 'desc').top(2)).toArray({ limit: 5 });
    expect(viaBuilder).toHaveLength(2);
    expect(viaBuilder[0]!.number >= viaBuilder[1]!.number).toBe(true);
    const got = await vendors.get(first.id);
    expect(got).toMatchObject({ id: first.id, number: first.number });
    expect(Object.keys(got)).toContain('@odata.etag');
  });

  it('pages with odata.maxpagesize and resumes from a continuation token', async () => {
    h = createHarness({ size: { vendors: 96 } }); // 95 vendors: V00025 is a deliberate gap
    const vendors = h.client.company(h.sandbox.companyId).vendors;
    const pages = [];
    for await (const page of vendors.list().byPage({ maxPageSize: 10 })) pages.push(page);
    expect(pages).toHaveLength(10);
    expect(pages.flatMap((p) => p.items)).toHaveLength(95);
    expect(h.apiRequests().every((r) => r.headers.get('prefer') === 'odata.maxpagesize=10')).toBe(true);
    const token = pages[3]!.continuationToken!;
    const resumed = [];
    for await (const page of vendors.list().byPage({ continuationToken: token, maxPageSize: 10 })) resumed.push(...page.items);
    expect(resumed.map((v) => v.id)).toEqual(pages.slice(4).flatMap((p) => p.items.map((v) => v.id)));
    expect(await vendors.list().toArray({ limit: 15, maxPageSize: 10 })).toHaveLength(15);
  });

  it('refuses to resume a continuation token on another listing', async () => {
    h = createHarness({ size: { vendors: 30 } });
    const vendors = h.client.company(h.sandbox.companyId).vendors;
    let token: string | undefined;
    for await (const page of vendors.list().byPage({ maxPageSize: 10 })) {
      token = page.continuationToken;
      break;
    }
    const other = vendors.list({ filter: (f) => f.eq('blocked', ' ') });
    const error = await (async () => {
      for await (const _ of other.byPage({ continuationToken: token!, maxPageSize: 10 })) {
        expect.unreachable('a token of another listing must not be followed');
      }
    })().catch((e: unknown) => e);
    expect(isInvalidInputError(error)).toBe(true);
    expect((error as Error).message).toMatch(/listing/);
  });

  it('creates (stripping read-only fields), updates with If-Match and deletes', async () => {
    h = createHarness();
    const vendors = h.client.company(h.sandbox.companyId).vendors;
    const created = await vendors.create({ number: 'V-NEW-1', displayName: 'Acme & Sons', balance: 999, id: 'x', etag: 'y', '@odata.etag': 'z' } as never);
    expect(created).toMatchObject({ number: 'V-NEW-1', displayName: 'Acme & Sons', balance: 0 });
    const postBody = JSON.parse(h.apiRequests().at(-1)!.body) as Record<string, unknown>;
    expect(postBody).toEqual({ number: 'V-NEW-1', displayName: 'Acme & Sons' });

    const updated = await vendors.update(created.id, { ...created, displayName: 'Acme Ltd' }, { etag: created.etag! });
    expect(updated.displayName).toBe('Acme Ltd');
    expect(updated.etag).not.toBe(created.etag);
    const patch = h.apiRequests().at(-1)!;
    expect(patch.headers.get('if-match')).toBe(created.etag);

    // Stale etag → 412 → ConflictError; fresh etag succeeds.
    const conflict = await vendors.update(created.id, { displayName: 'stale' }, { etag: created.etag! }).catch((e: unknown) => e);
    expect(isConflictError(conflict)).toBe(true);
    expect(conflict).toMatchObject({ status: 412, vendorCode: 'Request_EntityChanged' });
    const fresh = await vendors.get(created.id);
    await expect(vendors.update(created.id, { displayName: 'fresh' }, { etag: fresh.etag! })).resolves.toMatchObject({ displayName: 'fresh' });

    // An etag is required; '*' only when passed explicitly.
    await expect(vendors.update(created.id, { displayName: 'x' }, {} as never)).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'etag' });
    await expect(vendors.update(created.id, { displayName: 'star' }, { etag: '*' })).resolves.toMatchObject({ displayName: 'star' });

    await vendors.delete(created.id);
    const gone = await vendors.get(created.id).catch((e: unknown) => e);
    expect(isNotFoundError(gone)).toBe(true);
  });

  it('maps BC validation errors to ValidationError with the vendor code', async () => {
    h = createHarness();
    const vendors = h.client.company(h.sandbox.companyId).vendors;
    const error = await vendors.create({ displayName: 'x'.repeat(101) }).catch((e: unknown) => e);
    expect(isValidationError(error)).toBe(true);
    expect(error).toMatchObject({ status: 400, vendorCode: 'Application_StringExceededLength' });
  });

  it('reads deltas by lastModifiedDateTime', async () => {
    h = createHarness();
    const vendors = h.client.company(h.sandbox.companyId).vendors;
    const all = await vendors.list().toArray({ limit: 100 });
    const latest = all.map((v) => v.lastModifiedDateTime).sort().at(-1)!;
    // Inclusive: the vendor stamped exactly at `latest` is returned, not lost.
    const atLatest = all.filter((v) => v.lastModifiedDateTime === latest).map((v) => v.id);
    expect((await vendors.listModifiedSince(latest).toArray({ limit: 100 })).map((v) => v.id)).toEqual(atLatest);
    const target = all[0]!;
    await vendors.update(target.id, { displayName: 'changed' }, { etag: target.etag! });
    const changed = await vendors.listModifiedSince(new Date(Date.parse(latest) + 1)).toArray({ limit: 100 });
    expect(changed.map((v) => v.id)).toEqual([target.id]);
    const url = h.apiRequests().at(-1)!.url;
    expect(url.searchParams.get('$filter')).toBe(`lastModifiedDateTime ge ${new Date(Date.parse(latest) + 1).toISOString()}`);
    // Combined with another filter by `and`.
    const none = await vendors.list({ modifiedSince: latest, filter: (f) => f.eq('number', 'nope') }).toArray({ limit: 5 });
    expect(none).toEqual([]);
  });
});
