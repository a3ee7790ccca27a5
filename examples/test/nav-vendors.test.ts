import { describe, expect, it } from 'vitest';
import { NAV_VENDORS_TO_JAGGAER, NAV_VENDORS_TO_NAV } from '../src/nav-vendors/flows.ts';
import { DEFAULT_VENDOR_OWNERS, vendorPolicyFromEnv, type VendorConflictPolicy } from '../src/nav-vendors/policy.ts';
import { vendorWorld } from './nav-vendors.world.ts';

const OWNER: VendorConflictPolicy = { kind: 'owner', owners: DEFAULT_VENDOR_OWNERS };

describe('nav-vendors: vendors both ways between JAGGAER and NAV', () => {
  it('owner policy: JAGGAER hierarchies become Pay-to Vendor No., NAV blocks reach JAGGAER, and a second run writes nothing (faults on both sides)', async () => {
    const { world, sync, navVendor } = await vendorWorld(OWNER, true);
    await sync();
    const suppliers = world.jaggaerSandbox.suppliers();
    const children = suppliers.filter((supplier) => supplier.parentSupplierNumber);
    expect(children.length).toBeGreaterThan(0);
    for (const child of children) expect(navVendor(child.supplierNumber)['Pay_to_Vendor_No']).toBe(child.parentSupplierNumber);
    for (const supplier of suppliers.filter((s) => !s.parentSupplierNumber)) expect(navVendor(supplier.supplierNumber)['Pay_to_Vendor_No'] ?? '').toBe('');
    // NAV owns the status: V00007 is blocked there, so JAGGAER's profile becomes INACTIVE.
    expect(world.jaggaerSandbox.supplier('V00007')?.status).toBe('INACTIVE');
    expect(navVendor('V00007')['Blocked']).toBe('All');

    // The profiles whose NAV-owned status was put back are read again and recognised as the put-back: nothing counted.
    const second = await sync();
    expect(second.changed).toEqual([]);
    expect(second.navWrites).toEqual([]);
    expect(second.jaggaerWrites).toEqual([]);
    const third = await sync();
    expect(third.summaries.reduce((sum, s) => sum + s.counts.created + s.counts.updated, 0)).toBe(0);
    expect([...third.navWrites, ...third.jaggaerWrites]).toEqual([]);
  });

  it('owner policy: a conflict on both sides resolves field by field to each field’s owner, on both sides, without looping', async () => {
    const { world, sync, navVendor } = await vendorWorld(OWNER);
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
    const { world, sync, navVendor } = await vendorWorld({ kind: 'latest' });
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
    expect(ledger?.targetVersion?.startsWith(`${(await world.nav.vendors.get('V00006')).etag}|`)).toBe(true);
    const quiet = await sync();
    expect([...quiet.navWrites, ...quiet.jaggaerWrites]).toEqual([]);
  });

  it('owner policy: payment terms (NAV) and the main contact (JAGGAER) sync through the crosswalk and contact model, conflicts resolve to each owner, no echo', async () => {
    const { world, sync, navVendor, navContact } = await vendorWorld(OWNER);
    await sync();
    // NAV owns payment terms: JAGGAER's Net 14 of V00006 became NAV's NET 30 (crosswalk: NET 30 ⇄ Net 30).
    expect(world.jaggaerSandbox.supplier('V00006')?.paymentTermsCode).toBe('Net 30');
    // JAGGAER owns the contact: NAV's primary contact person of V00004 now is JAGGAER's super user.
    const superUser = world.jaggaerSandbox.supplier('V00004')!.superUser!;
    expect(navContact('V00004')).toMatchObject({ Type: 'Person', Name: `${superUser.name} ${superUser.surname}`, E_Mail: superUser.email, Phone_No: superUser.phone });
    await sync();

    // Both sides change terms and contact of V00008.
    await world.jaggaer.suppliers.upsert({ supplierNumber: 'V00008', paymentTermsCode: 'COD', primaryContact: { email: 'jaggaer.side@example.test' } });
    world.tick(5000);
    world.navSandbox.touchVendor('V00008', { Payment_Terms_Code: '14 DAYS' });
    const contact = await world.nav.contacts.get(String(navVendor('V00008')['Primary_Contact_No']));
    await world.nav.contacts.update(contact.number, { name: 'Renamed In Nav', email: 'nav.side@example.test' }, { etag: contact.etag! });
    await sync();
    expect(navVendor('V00008')['Payment_Terms_Code']).toBe('14 DAYS');
    expect(world.jaggaerSandbox.supplier('V00008')?.paymentTermsCode).toBe('Net 14');
    const owner = world.jaggaerSandbox.supplier('V00008')!.superUser!;
    expect(owner.email).toBe('jaggaer.side@example.test');
    expect(navContact('V00008')).toMatchObject({ Name: `${owner.name} ${owner.surname}`, E_Mail: 'jaggaer.side@example.test' });
    await sync(); // reads back the owners' values put back on each side
    const quiet = await sync();
    expect([...quiet.navWrites, ...quiet.jaggaerWrites]).toEqual([]);

    // A JAGGAER code without a crosswalk row goes to review, naming the table.
    await world.jaggaer.suppliers.upsert({ supplierNumber: 'V00009', paymentTermsCode: 'Net 90' });
    await sync();
    const reviews = await world.engine.reviews({ flow: NAV_VENDORS_TO_NAV, state: 'open' });
    expect(reviews.find((item) => item.sourceId === 'V00009')).toMatchObject({ reason: 'missing-mapping' });
    expect(reviews.find((item) => item.sourceId === 'V00009')?.detail).toMatch(/payment-terms/);
  });

  it('latest change wins for payment terms and contacts; the echo of each write is skipped; a vendor without a primary contact gets one', async () => {
    const { world, sync, navVendor, navContact } = await vendorWorld({ kind: 'latest' });
    await sync();
    await sync();
    // JAGGAER changes terms and contact phone of V00010: written to NAV once, and NAV's read-back is an echo.
    await world.jaggaer.suppliers.upsert({ supplierNumber: 'V00010', paymentTermsCode: 'COD', primaryContact: { phone: '+1 555 7777' } });
    const round = await sync();
    expect(navVendor('V00010')['Payment_Terms_Code']).toBe('COD');
    expect(navContact('V00010')?.['Phone_No']).toBe('+1 555 7777');
    expect(round.jaggaerWrites).toEqual([]);
    const echo = await world.engine.audit({ record: { flow: NAV_VENDORS_TO_JAGGAER, sourceSystem: 'nav', sourceId: 'V00010' } });
    expect(echo.at(-1)).toMatchObject({ step: 'skipped-duplicate' });

    // A NAV contact change on a later day (NAV stamps contacts by day) reaches JAGGAER; JAGGAER's read-back is an echo.
    world.tick(2 * 86_400_000);
    const contact = await world.nav.contacts.get(String(navVendor('V00010')['Primary_Contact_No']));
    await world.nav.contacts.update(contact.number, { name: 'Maria de la Cruz', email: 'maria@example.test' }, { etag: contact.etag! });
    const back = await sync();
    expect(world.jaggaerSandbox.supplier('V00010')?.superUser).toMatchObject({ name: 'Maria de la', surname: 'Cruz', email: 'maria@example.test' });
    expect(back.navWrites).toEqual([]);
    const quiet = await sync();
    expect([...quiet.navWrites, ...quiet.jaggaerWrites]).toEqual([]);

    // A NAV vendor without a primary contact gets a person under its company contact.
    world.navSandbox.touchVendor('V00011', { Primary_Contact_No: '', Contact: '' });
    await world.jaggaer.suppliers.upsert({ supplierNumber: 'V00011', primaryContact: { firstName: 'New', lastName: 'Person' } });
    await sync();
    expect(navContact('V00011')).toMatchObject({ Type: 'Person', Name: 'New Person', Company_No: 'CT000011' });
  });

  it('reads the policy from the environment and refuses a bad one', () => {
    expect(vendorPolicyFromEnv({})).toEqual({ kind: 'owner', owners: DEFAULT_VENDOR_OWNERS });
    expect(vendorPolicyFromEnv({ NAV_VENDOR_CONFLICT_POLICY: 'latest' })).toEqual({ kind: 'latest' });
    expect(vendorPolicyFromEnv({ NAV_VENDOR_FIELD_OWNERS: 'status=jaggaer' })).toMatchObject({ owners: { status: 'jaggaer', name: 'jaggaer' } });
    expect(() => vendorPolicyFromEnv({ NAV_VENDOR_FIELD_OWNERS: 'phone=nav' })).toThrow(/NAV_VENDOR_FIELD_OWNERS/);
    expect(vendorPolicyFromEnv({ NAV_VENDOR_FIELD_OWNERS: 'contact=nav,paymentTerms=jaggaer' })).toMatchObject({
      owners: { contactName: 'nav', contactEmail: 'nav', contactPhone: 'nav', paymentTerms: 'jaggaer' },
    });
    expect(() => vendorPolicyFromEnv({ NAV_VENDOR_CONFLICT_POLICY: 'first' })).toThrow(/owner" or "latest/);
  });
});
