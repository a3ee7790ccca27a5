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
});
