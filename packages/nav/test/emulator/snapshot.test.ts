import { describe, expect, it } from 'vitest';
import { NAV_SANDBOX_ACCESS_KEY, NAV_SANDBOX_USER, createNavSandbox, type NavSandbox } from '@ml-connector/nav/testing';

const AUTH = `Basic ${Buffer.from(`${NAV_SANDBOX_USER}:${NAV_SANDBOX_ACCESS_KEY}`).toString('base64')}`;
const post = async (sandbox: NavSandbox, path: string, body: unknown) => {
  const response = await sandbox.fetch(`${sandbox.url()}/${path}`, { method: 'POST', headers: { authorization: AUTH, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('NAV sandbox: snapshot and restore', () => {
  it('restores records created through the API and continues the number series', async () => {
    const first = createNavSandbox();
    const vendor = await post(first, 'Vendor', { Name: 'Snapshot Supplies' });
    expect(vendor.status).toBe(201);
    const order = await post(first, 'PurchaseOrder', { Buy_from_Vendor_No: 'V00002' });
    expect(order.status).toBe(201);

    const second = createNavSandbox({ data: JSON.parse(JSON.stringify(first.snapshot())) });
    expect(second.table('Vendor')).toEqual(first.table('Vendor'));
    expect(second.table('Vendor').find((v) => v['No'] === vendor.body['No'])).toMatchObject({ Name: 'Snapshot Supplies' });
    const nextVendor = await post(second, 'Vendor', { Name: 'Next' });
    expect(nextVendor.body['No']).not.toBe(vendor.body['No']);
    const nextOrder = await post(second, 'PurchaseOrder', { Buy_from_Vendor_No: 'V00002' });
    expect(nextOrder.body['No']).not.toBe(order.body['No']);
  });

  it('keeps ETags across a restore (row versions are stored with the records), and a change after it never repeats an earlier ETag', async () => {
    const get = async (sandbox: NavSandbox, number: string) => {
      const response = await sandbox.fetch(`${sandbox.url()}/Vendor('${number}')`, { headers: { authorization: AUTH } });
      return ((await response.json()) as Record<string, unknown>)['@odata.etag'] as string;
    };
    const patch = async (sandbox: NavSandbox, number: string, etag: string, body: unknown) => {
      const response = await sandbox.fetch(`${sandbox.url()}/Vendor('${number}')`, {
        method: 'PATCH', headers: { authorization: AUTH, 'content-type': 'application/json', 'if-match': etag }, body: JSON.stringify(body),
      });
      return response.status;
    };
    const first = createNavSandbox();
    const seen = new Set([await get(first, 'V00003')]);
    expect(await patch(first, 'V00003', await get(first, 'V00003'), { Name: 'Changed once' })).toBe(200);
    const beforeRestore = await get(first, 'V00003');
    seen.add(beforeRestore);

    const second = createNavSandbox({ data: JSON.parse(JSON.stringify(first.snapshot())) });
    expect(await get(second, 'V00003')).toBe(beforeRestore);
    expect(second.table('Vendor')).toEqual(first.table('Vendor'));
    // The hidden row version is not published.
    const body = (await (await second.fetch(`${second.url()}/Vendor('V00003')`, { headers: { authorization: AUTH } })).json()) as Record<string, unknown>;
    expect(Object.keys(body).some((key) => key.toLowerCase() === 'timestamp')).toBe(false);
    expect(await patch(second, 'V00003', beforeRestore, { Name: 'Changed after the restore' })).toBe(200);
    expect(seen.has(await get(second, 'V00003'))).toBe(false);
    // Another record changed after the restore gets a row version above every stored one too.
    expect(await patch(second, 'V00004', await get(second, 'V00004'), { Name: 'Other' })).toBe(200);
    expect(seen.has(await get(second, 'V00004'))).toBe(false);
  });
});
