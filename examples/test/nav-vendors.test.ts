import { describe, expect, it } from 'vitest';
import { createNavVendorFlows, NAV_VENDORS_TO_JAGGAER, NAV_VENDORS_TO_NAV } from '../src/nav-vendors/flows.ts';
import { DEFAULT_VENDOR_OWNERS, vendorPolicyFromEnv, type VendorConflictPolicy } from '../src/nav-vendors/policy.ts';
import { createNavWorld } from './nav-world.ts';

function vendorWorld(policy: VendorConflictPolicy, faults = false) {
  const world = createNavWorld({
    invoices: 0,
    purchaseOrders: 0,
    concurrency: 1,
    ...(faults ? { navFaults: { seed: 9, statusRates: { 429: 0.05, 503: 0.03 }, resetAfterRate: 0.03 }, jaggaerFaults: { seed: 4, statusRates: { 429: 0.05, 500: 0.03 } } } : {}),
  });
  const flows = createNavVendorFlows({ nav: world.nav, jaggaer: world.jaggaer, store: world.store, policy, lookbackMs: 0 });
  const sync = async () => {
    const navMark = world.requests.nav.length;
    const jaggaerMark = world.requests.jaggaer.length;
    world.tick(1000);
    const summaries = await world.runUntilSettled(flows);
    world.tick(1000);
    return { summaries, navWrites: world.navWritesSince(navMark), jaggaerWrites: world.jaggaerWritesSince(jaggaerMark) };
  };
  const navVendor = (number: string) => world.navSandbox.table('Vendor').find((row) => row['No'] === number)!;
  return { world, flows, sync, navVendor };
}

const OWNER: VendorConflictPolicy = { kind: 'owner', owners: DEFAULT_VENDOR_OWNERS };

describe('nav-vendors: vendors both ways between JAGGAER and NAV', () => {
  it('owner policy: JAGGAER hierarchies become Pay-to Vendor No., NAV blocks reach JAGGAER, and a second run writes nothing (faults on both sides)', async () => {
    const { world, sync, navVendor } = vendorWorld(OWNER, true);
    await sync();
    const suppliers = world.jaggaerSandbox.suppliers();
    const children = suppliers.filter((supplier) => supplier.parentSupplierNumber);
    expect(children.length).toBeGreaterThan(0);
    for (const child of children) expect(navVendor(child.supplierNumber)['Pay_to_Vendor_No']).toBe(child.parentSupplierNumber);
    for (const supplier of suppliers.filter((s) => !s.parentSupplierNumber)) expect(navVendor(supplier.supplierNumber)['Pay_to_Vendor_No'] ?? '').toBe('');
    // NAV owns the status: V00007 is blocked there, so JAGGAER's profile becomes INACTIVE.
    expect(world.jaggaerSandbox.supplier('V00007')?.status).toBe('INACTIVE');
    expect(navVendor('V00007')['Blocked']).toBe('All');

    const second = await sync();
    expect(second.navWrites).toEqual([]);
    expect(second.jaggaerWrites).toEqual([]);
    // The profiles whose NAV-owned status was put back are read once more (a no-op, no request); then all is quiet.
    const third = await sync();
    expect(third.summaries.reduce((sum, s) => sum + s.counts.created + s.counts.updated, 0)).toBe(0);
    expect([...third.navWrites, ...third.jaggaerWrites]).toEqual([]);
  });

  it('owner policy: a conflict on both sides resolves field by field to each field’s owner, on both sides, without looping', async () => {
    const { world, sync, navVendor } = vendorWorld(OWNER);
    await sync();
    await world.jaggaer.suppliers.upsert({ supplierNumber: 'V00004', companyName: 'Renamed in JAGGAER', status: 'INACTIVE' });
    world.tick(5000);
    world.navSandbox.touchVendor('V00004', { Name: 'Renamed in NAV', Blocked: ' ' });
    await sync();
    // name is JAGGAER's, status is NAV's (not blocked) — on both sides.
    expect(navVendor('V00004')).toMatchObject({ Name: 'Renamed in JAGGAER' });
    expect(['', ' ', '_blank_']).toContain(navVendor('V00004')['Blocked']);
    expect(world.jaggaerSandbox.supplier('V00004')).toMatchObject({ companyName: 'Renamed in JAGGAER', status: 'ACTIVE' });
    await sync(); // reads back the owner's values put back on each side: nothing left to write
    const again = await sync();
    expect([...again.navWrites, ...again.jaggaerWrites]).toEqual([]);

    // Only NAV renames it (JAGGAER owns the name): NAV gets JAGGAER's name back.
    world.navSandbox.touchVendor('V00004', { Name: 'Renamed in NAV again' });
    await sync();
    expect(navVendor('V00004')['Name']).toBe('Renamed in JAGGAER');
  });

  it('latest change wins: the later side wins all fields; the echo of a flow’s own write is recognised by the ledger and skipped', async () => {
    const { world, sync, navVendor } = vendorWorld({ kind: 'latest' });
    await sync();
    await sync();

    // JAGGAER changes V00005, NAV changes it later: NAV wins on both sides.
    await world.jaggaer.suppliers.upsert({ supplierNumber: 'V00005', companyName: 'Earlier JAGGAER name' });
    world.tick(10_000);
    world.navSandbox.touchVendor('V00005', { Name: 'Later NAV name' });
    await sync();
    expect(navVendor('V00005')['Name']).toBe('Later NAV name');
    expect(world.jaggaerSandbox.supplier('V00005')?.companyName).toBe('Later NAV name');

    // A change in JAGGAER only: written to NAV once; NAV's record read back is the flow's own write, skipped.
    await world.jaggaer.suppliers.upsert({ supplierNumber: 'V00006', companyName: 'Only JAGGAER changed' });
    const round = await sync();
    expect(navVendor('V00006')['Name']).toBe('Only JAGGAER changed');
    expect(round.jaggaerWrites.filter((line) => line.startsWith('POST'))).toEqual([]);
    const echo = await world.engine.audit({ record: { flow: NAV_VENDORS_TO_JAGGAER, sourceSystem: 'nav', sourceId: 'V00006' } });
    expect(echo.at(-1)).toMatchObject({ step: 'skipped-duplicate' });
    expect(echo.at(-1)?.detail).toContain(`echo of ${NAV_VENDORS_TO_NAV}'s write of NAV vendor V00006`);
    const ledger = await world.store.getLedgerEntry({ flow: NAV_VENDORS_TO_NAV, sourceSystem: 'jaggaer', sourceId: 'V00006' });
    expect(ledger?.targetVersion).toBe((await world.nav.vendors.get('V00006')).etag);
    const quiet = await sync();
    expect([...quiet.navWrites, ...quiet.jaggaerWrites]).toEqual([]);
  });

  it('reads the policy from the environment and refuses a bad one', () => {
    expect(vendorPolicyFromEnv({})).toEqual({ kind: 'owner', owners: DEFAULT_VENDOR_OWNERS });
    expect(vendorPolicyFromEnv({ NAV_VENDOR_CONFLICT_POLICY: 'latest' })).toEqual({ kind: 'latest' });
    expect(vendorPolicyFromEnv({ NAV_VENDOR_FIELD_OWNERS: 'status=jaggaer' })).toMatchObject({ owners: { status: 'jaggaer', name: 'jaggaer' } });
    expect(() => vendorPolicyFromEnv({ NAV_VENDOR_FIELD_OWNERS: 'phone=nav' })).toThrow(/NAV_VENDOR_FIELD_OWNERS/);
    expect(() => vendorPolicyFromEnv({ NAV_VENDOR_CONFLICT_POLICY: 'first' })).toThrow(/owner" or "latest/);
  });
});
