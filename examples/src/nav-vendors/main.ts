import { connectNavExample, loadNavExampleEnvironment, type NavExampleConnections } from '../nav/connections.ts';
import { exampleMain, type ExampleDefinition } from '../shared/index.ts';
import { createNavVendorFlows } from './flows.ts';
import { vendorPolicyFromEnv } from './policy.ts';

/** `pnpm example:nav-vendors`: vendors both ways between JAGGAER and Dynamics NAV. */
export const navVendorsExample: ExampleDefinition<unknown, unknown, NavExampleConnections> = {
  command: 'pnpm example:nav-vendors',
  label: 'nav-vendors',
  description:
    'Vendors in both directions between JAGGAER supplier profiles and Dynamics NAV (name, status, e-mail, hierarchy ' +
    "through Pay-to Vendor No.), with a conflict policy (NAV_VENDOR_CONFLICT_POLICY=owner|latest) and no echo of the flows' own writes.",
  // One at a time: parents are written before their children (NAV checks Pay-to Vendor No. exists).
  engine: { concurrency: 1 },
  systems: { environment: () => loadNavExampleEnvironment(), connect: (env, options) => connectNavExample(env, options) },
  flow: async ({ connections, store, signal }) => {
    await connections.nav.connect({ signal });
    return createNavVendorFlows({
      nav: connections.nav,
      jaggaer: connections.jaggaer,
      store,
      policy: vendorPolicyFromEnv(),
      ...(process.env['NAV_DEFAULT_PAYMENT_TERMS']?.trim() ? { defaultPaymentTerms: process.env['NAV_DEFAULT_PAYMENT_TERMS'].trim() } : {}),
    });
  },
};

if (import.meta.main) await exampleMain(navVendorsExample);
