import { describe, expect, it } from 'vitest';
import { NAV_VENDORS_TO_JAGGAER, NAV_VENDORS_TO_NAV } from '../src/nav-vendors/flows.ts';
import { DEFAULT_VENDOR_OWNERS, type VendorConflictPolicy } from '../src/nav-vendors/policy.ts';
import { vendorWorld } from './nav-vendors.world.ts';

const OWNER: VendorConflictPolicy = { kind: 'owner', owners: DEFAULT_VENDOR_OWNERS };
const LATEST: VendorConflictPolicy = { kind: 'latest' };
/** The example's own look-back (2 minutes): every run re-reads what the previous one wrote, as `pnpm example:nav-vendors` does. */
const LOOKBACK = { lookbackMs: 120_000 };

type Round = Awaited<ReturnType<Awaited<ReturnType<typeof vendorWorld>>['sync']>>;

/** What a round did: records created or updated per flow, and the write requests each system received. */
const writes = (round: Round) => ({ changed: round.changed, nav: round.navWrites, jaggaer: round.jaggaerWrites });
const NOTHING = { changed: [], nav: [], jaggaer: [] };

describe('nav-vendors: the two-way sync settles (no echo of its own writes)', () => {
  for (const policy of [OWNER, LATEST]) {
    it(`${policy.kind}: a fresh sync writes in the first run only; runs 2 and 3 create, update and send nothing`, async () => {
      const { sync } = await vendorWorld(policy, false, LOOKBACK);
      const first = await sync();
      expect(first.changed.length).toBeGreaterThan(0);
      expect(writes(await sync())).toEqual(NOTHING);
      expect(writes(await sync())).toEqual(NOTHING);
    });
  }

  it('owner: JAGGAER suppliers changed by another flow (oracle-to-jaggaer renames them all, re-activates V00007) reach NAV once; NAV-owned status is put back in JAGGAER once; then quiet', async () => {
    const { world, sync, navVendor } = await vendorWorld(OWNER, false, LOOKBACK);
    await sync();
    expect(writes(await sync())).toEqual(NOTHING);
    const suppliers = world.jaggaerSandbox.suppliers();
    for (const supplier of suppliers) {
      await world.jaggaer.suppliers.upsert({ supplierNumber: supplier.supplierNumber, companyName: `Oracle ${supplier.supplierNumber}`, status: 'ACTIVE' });
    }
    world.tick(5000);
    const next = await sync();
    // Names are JAGGAER's: every NAV vendor renamed (one PATCH each), nothing sent back to JAGGAER by NAV → JAGGAER.
    expect(next.changed.filter((line) => line.startsWith(NAV_VENDORS_TO_NAV)).length).toBe(suppliers.length);
    expect(next.changed.filter((line) => line.startsWith(NAV_VENDORS_TO_JAGGAER))).toEqual([]);
    expect(next.navWrites.length).toBe(suppliers.length);
    for (const supplier of suppliers) expect(navVendor(supplier.supplierNumber)['Name']).toBe(`Oracle ${supplier.supplierNumber}`);
    // Status is NAV's: V00007 is blocked in NAV, so JAGGAER's re-activation is put back, in JAGGAER only.
    expect(next.jaggaerWrites).toEqual([expect.stringMatching(/^POST .*companyprofiles$/)]);
    expect(world.jaggaerSandbox.supplier('V00007')?.status).toBe('INACTIVE');
    expect(writes(await sync())).toEqual(NOTHING);
    expect(writes(await sync())).toEqual(NOTHING);
  });

  it('owner: one change on one side reaches the other side once, in one direction, then nothing (JAGGAER contact, NAV payment terms, NAV contact put back)', async () => {
    const { world, sync, navVendor, navContact } = await vendorWorld(OWNER, false, LOOKBACK);
    await sync();
    await sync();

    // JAGGAER changes the super user's phone (JAGGAER owns the contact): NAV's contact person gets it.
    await world.jaggaer.suppliers.upsert({ supplierNumber: 'V00005', primaryContact: { phone: '+1 555 9000' } });
    world.tick(5000);
    let round = await sync();
    expect(round.changed).toEqual([`${NAV_VENDORS_TO_NAV} V00005`]);
    expect(round.jaggaerWrites).toEqual([]);
    expect(round.navWrites).toEqual([expect.stringMatching(/^PATCH .*Contact/)]);
    expect(navContact('V00005')?.['Phone_No']).toBe('+1 555 9000');
    expect(writes(await sync())).toEqual(NOTHING);

    // NAV changes payment terms (NAV owns them): JAGGAER gets them through the crosswalk.
    world.tick(5000);
    world.navSandbox.touchVendor('V00008', { Payment_Terms_Code: '14 DAYS' });
    round = await sync();
    expect(round.changed).toEqual([`${NAV_VENDORS_TO_JAGGAER} V00008`]);
    expect(round.navWrites).toEqual([]);
    expect(round.jaggaerWrites.length).toBe(1);
    expect(world.jaggaerSandbox.supplier('V00008')?.paymentTermsCode).toBe('Net 14');
    expect(writes(await sync())).toEqual(NOTHING);

    // NAV renames the contact person (JAGGAER owns the contact): NAV's contact is put back, JAGGAER is left alone.
    world.tick(2 * 86_400_000);
    const contact = await world.nav.contacts.get(String(navVendor('V00010')['Primary_Contact_No']));
    const before = world.jaggaerSandbox.supplier('V00010')!.superUser!;
    await world.nav.contacts.update(contact.number, { name: 'Renamed In Nav' }, { etag: contact.etag! });
    round = await sync();
    expect(round.changed).toEqual([`${NAV_VENDORS_TO_JAGGAER} V00010`]);
    expect(round.jaggaerWrites).toEqual([]);
    expect(round.navWrites).toEqual([expect.stringMatching(/^PATCH .*Contact/)]);
    expect(navContact('V00010')?.['Name']).toBe(`${before.name} ${before.surname}`);
    expect(writes(await sync())).toEqual(NOTHING);
    expect(writes(await sync())).toEqual(NOTHING);
  });

  it('owner: both sides changed the same vendor (JAGGAER its name, NAV its terms): each change crosses once, one write per side, then quiet', async () => {
    const { world, sync, navVendor } = await vendorWorld(OWNER, false, LOOKBACK);
    await sync();
    await sync();
    await world.jaggaer.suppliers.upsert({ supplierNumber: 'V00011', companyName: 'Renamed in JAGGAER' });
    world.tick(5000);
    world.navSandbox.touchVendor('V00011', { Payment_Terms_Code: 'COD' });
    // JAGGAER → NAV runs first: it writes the name to NAV and, seeing JAGGAER's terms differ from NAV's (NAV owns
    // them), puts NAV's terms into JAGGAER. Both sides then agree, so NAV → JAGGAER skips NAV's read-back as its echo.
    const round = await sync();
    expect(round.changed).toEqual([`${NAV_VENDORS_TO_NAV} V00011`]);
    expect(navVendor('V00011')).toMatchObject({ Name: 'Renamed in JAGGAER', Payment_Terms_Code: 'COD' });
    expect(world.jaggaerSandbox.supplier('V00011')).toMatchObject({ companyName: 'Renamed in JAGGAER', paymentTermsCode: 'COD' });
    expect(round.navWrites.length).toBe(1);
    expect(round.jaggaerWrites.length).toBe(1);
    expect(writes(await sync())).toEqual(NOTHING);
    expect(writes(await sync())).toEqual(NOTHING);
  });

  it('owner: a NAV change made while JAGGAER → NAV writes the vendor is in its read-back, which is then no echo: NAV → JAGGAER sends it', async () => {
    const { world, sync, navVendor } = await vendorWorld(OWNER, false, LOOKBACK);
    await sync();
    await sync();
    await world.jaggaer.suppliers.upsert({ supplierNumber: 'V00012', companyName: 'Renamed in JAGGAER' });
    world.tick(5000);
    // A NAV user changes the payment terms right after the flow's PATCH of the vendor card, before it reads it back.
    const sandboxFetch = world.navSandbox.fetch.bind(world.navSandbox);
    let changedInBetween = false;
    (world.navSandbox as { fetch: (request: Request) => Promise<Response> }).fetch = async (request: Request) => {
      const response = await sandboxFetch(request);
      if (!changedInBetween && request.method === 'PATCH' && decodeURIComponent(request.url).includes('V00012')) {
        changedInBetween = true;
        world.navSandbox.touchVendor('V00012', { Payment_Terms_Code: 'COD' });
      }
      return response;
    };
    const round = await sync();
    expect(changedInBetween).toBe(true);
    expect(round.changed).toEqual([`${NAV_VENDORS_TO_NAV} V00012`, `${NAV_VENDORS_TO_JAGGAER} V00012`]);
    expect(navVendor('V00012')).toMatchObject({ Name: 'Renamed in JAGGAER', Payment_Terms_Code: 'COD' });
    expect(world.jaggaerSandbox.supplier('V00012')?.paymentTermsCode).toBe('COD');
    expect(writes(await sync())).toEqual(NOTHING);
    expect(writes(await sync())).toEqual(NOTHING);
  });

  it('latest: a JAGGAER change reaches NAV once, a later NAV change reaches JAGGAER once, each then quiet', async () => {
    const { world, sync, navVendor } = await vendorWorld(LATEST, false, LOOKBACK);
    await sync();
    await sync();

    await world.jaggaer.suppliers.upsert({ supplierNumber: 'V00004', companyName: 'Renamed in JAGGAER', primaryContact: { email: 'new@example.test' } });
    world.tick(5000);
    let round = await sync();
    expect(round.changed).toEqual([`${NAV_VENDORS_TO_NAV} V00004`]);
    expect(round.jaggaerWrites).toEqual([]);
    expect(navVendor('V00004')['Name']).toBe('Renamed in JAGGAER');
    expect(writes(await sync())).toEqual(NOTHING);

    world.tick(5000);
    world.navSandbox.touchVendor('V00009', { Name: 'Renamed in NAV', Payment_Terms_Code: 'COD' });
    round = await sync();
    expect(round.changed).toEqual([`${NAV_VENDORS_TO_JAGGAER} V00009`]);
    expect(round.navWrites).toEqual([]);
    expect(world.jaggaerSandbox.supplier('V00009')).toMatchObject({ companyName: 'Renamed in NAV', paymentTermsCode: 'COD' });
    expect(writes(await sync())).toEqual(NOTHING);
    expect(writes(await sync())).toEqual(NOTHING);
  });

  it('latest: both sides changed one vendor; the later NAV change crosses, the older JAGGAER change loses and counts as skipped, not updated', async () => {
    const { world, sync, navVendor } = await vendorWorld(LATEST, false, LOOKBACK);
    await sync();
    await sync();

    await world.jaggaer.suppliers.upsert({ supplierNumber: 'V00004', companyName: 'Renamed in JAGGAER' });
    world.tick(5000);
    world.navSandbox.touchVendor('V00004', { Name: 'Renamed in NAV' });
    world.tick(5000);
    const round = await sync();
    expect(round.changed).toEqual([`${NAV_VENDORS_TO_JAGGAER} V00004`]);
    expect(round.navWrites).toEqual([]);
    const toNav = round.summaries.find((summary) => summary.flow === NAV_VENDORS_TO_NAV)!;
    expect(toNav.counts).toMatchObject({ created: 0, updated: 0 });
    const trail = await world.engine.audit({ runId: toNav.runId, limit: 1_000 });
    expect(trail.filter((event) => event.sourceId === 'V00004').at(-1)).toMatchObject({ step: 'skipped-duplicate', detail: expect.stringMatching(/nothing sent/) });
    expect(navVendor('V00004')['Name']).toBe('Renamed in NAV');
    expect(world.jaggaerSandbox.supplier('V00004')).toMatchObject({ companyName: 'Renamed in NAV' });
    expect(writes(await sync())).toEqual(NOTHING);
  });
});
