import { describe, expect, it } from 'vitest';
import { navReferenceResolvers } from '@ml-connector/nav';
import { silentLogger } from '@ml-connector/core';
import { setup } from '../helpers.js';

const context = { signal: new AbortController().signal, logger: silentLogger };

describe('navReferenceResolvers (preflight)', () => {
  it('resolves vendors, accounts, dimension values and purchase orders in batches, with reasons', async () => {
    let requests = 0;
    const base = setup();
    const { nav } = setup({}, { fetch: (input, init) => ((requests += String(input instanceof Request ? input.url : input).includes('$metadata') ? 0 : 1), base.sandbox.fetch(input, init)) });
    const resolvers = navReferenceResolvers(nav);

    const vendors = await resolvers.vendor(['V00001', 'V00007', 'V99999'], context);
    expect(vendors.get('V00001')).toEqual({ exists: true, usable: true });
    expect(vendors.get('V00007')).toMatchObject({ exists: true, usable: false, reason: expect.stringContaining('blocked') });
    expect(vendors.get('V99999')).toMatchObject({ exists: false, reason: 'Vendor V99999 does not exist' });

    const accounts = await resolvers.account(['8110', '8190', '8100', '2110', '9999'], context);
    expect(accounts.get('8110')?.usable).toBe(true);
    expect(accounts.get('8190')?.reason).toContain('blocked');
    expect(accounts.get('8100')?.reason).toContain('Heading');
    expect(accounts.get('2110')?.reason).toContain('direct posting');
    expect(accounts.get('9999')?.exists).toBe(false);

    requests = 0;
    const dims = await resolvers.dimensionValue(['DEPARTMENT/ADM', 'DEPARTMENT/NOPE', 'PROJECT/P-100'], context);
    expect(requests).toBe(2); // one per dimension: NAV refuses `or` across fields
    expect([...dims].map(([key, s]) => [key, s.exists])).toEqual([['DEPARTMENT/ADM', true], ['DEPARTMENT/NOPE', false], ['PROJECT/P-100', true]]);

    await nav.purchaseOrders.create({ vendorNumber: 'V00002', vendorOrderNumber: 'PO-00042' }, []);
    const orders = await resolvers.purchaseOrder(['V00002/PO-00042', 'V00003/PO-00042', 'V00002/PO-99999'], context);
    expect([...orders].map(([key, s]) => [key, s.exists])).toEqual([['V00002/PO-00042', true], ['V00003/PO-00042', false], ['V00002/PO-99999', false]]);
    expect(orders.get('V00003/PO-00042')?.reason).toContain('Vendor Order No. PO-00042');
  });
});
