import { createNavVendorFlows } from '../src/nav-vendors/flows.ts';
import { loadNavVendorMappings } from '../src/nav-vendors/mappings.ts';
import type { VendorConflictPolicy } from '../src/nav-vendors/policy.ts';
import { createNavWorld, type NavWorldOptions } from './nav-world.ts';

/** Two sandboxes, the vendor flows on them (contact pages enabled) and a `sync` that runs both and reports the writes. */
export async function vendorWorld(policy: VendorConflictPolicy, faults = false, options: NavWorldOptions & { readonly lookbackMs?: number } = {}) {
  const world = createNavWorld({
    invoices: 0,
    purchaseOrders: 0,
    concurrency: 1,
    ...(faults ? { navFaults: { seed: 9, statusRates: { 429: 0.05, 503: 0.03 }, resetAfterRate: 0.03 }, jaggaerFaults: { seed: 4, statusRates: { 429: 0.05, 500: 0.03 } } } : {}),
    ...options,
    navClient: { services: { contacts: {}, contactBusinessRelations: {} }, ...options.navClient },
  });
  const mappings = await loadNavVendorMappings();
  const flows = createNavVendorFlows({ nav: world.nav, jaggaer: world.jaggaer, store: world.store, policy, mappings, lookbackMs: options.lookbackMs ?? 0 });
  const sync = async () => {
    const navMark = world.requests.nav.length;
    const jaggaerMark = world.requests.jaggaer.length;
    world.tick(1000);
    const summaries = await world.runUntilSettled(flows);
    world.tick(1000);
    // What each flow wrote, by record: `<flow> <vendor number>` for every `written`/`updated` audit event of the round.
    const changed: string[] = [];
    for (const summary of summaries) {
      for (const event of await world.engine.audit({ runId: summary.runId, limit: 100_000 })) {
        if (event.step === 'written' || event.step === 'updated') changed.push(`${event.flow} ${event.sourceId}`);
      }
    }
    return { summaries, changed, navWrites: world.navWritesSince(navMark), jaggaerWrites: world.jaggaerWritesSince(jaggaerMark) };
  };
  const navVendor = (number: string) => world.navSandbox.table('Vendor').find((row) => row['No'] === number)!;
  const navContact = (vendorNumber: string) => {
    const primary = navVendor(vendorNumber)['Primary_Contact_No'];
    return world.navSandbox.table('Contact').find((row) => row['No'] === primary);
  };
  return { world, flows, sync, navVendor, navContact };
}

