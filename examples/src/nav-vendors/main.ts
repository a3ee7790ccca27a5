import { InvalidInputError } from '@ml-connector/core';
import type { NavClientOptions } from '@ml-connector/nav';
import { connectNavExample, loadNavExampleEnvironment, type NavExampleConnections } from '../nav/connections.ts';
import { exampleMain, type ExampleDefinition } from '../shared/index.ts';
import { createNavVendorFlows } from './flows.ts';
import { loadNavVendorMappings } from './mappings.ts';
import { vendorPolicyFromEnv } from './policy.ts';

/**
 * The `services` option of the NAV client for this example: the instance's published names (`NAV_SERVICES`) with the
 * opt-in contact pages enabled (they are checked against `$metadata` like the others).
 */
export function vendorServices(json: string | undefined): NavClientOptions['services'] {
  let parsed: Record<string, unknown> = {};
  if (json !== undefined) {
    try {
      const value: unknown = JSON.parse(json);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
      parsed = value as Record<string, unknown>;
    } catch {
      throw new InvalidInputError('NAV_SERVICES must be a JSON object like {"vendors":{"entitySet":"VendorCard"}} (the client\'s services option)', { field: 'NAV_SERVICES' });
    }
  }
  return { contacts: {}, contactBusinessRelations: {}, ...parsed } as NavClientOptions['services'];
}

/** `pnpm example:nav-vendors`: vendors both ways between JAGGAER and Dynamics NAV. */
export const navVendorsExample: ExampleDefinition<unknown, unknown, NavExampleConnections> = {
  command: 'pnpm example:nav-vendors',
  label: 'nav-vendors',
  description:
    'Vendors in both directions between JAGGAER supplier profiles and Dynamics NAV (name, status, e-mail, payment terms ' +
    "through payment-terms.csv, the main contact person, hierarchy through Pay-to Vendor No.), with a conflict policy " +
    "(NAV_VENDOR_CONFLICT_POLICY=owner|latest) and no echo of the flows' own writes.",
  // One at a time: parents are written before their children (NAV checks Pay-to Vendor No. exists).
  engine: { concurrency: 1 },
  systems: {
    environment: () => loadNavExampleEnvironment(),
    connect: (env, options) => connectNavExample(env, { ...options, navOptions: { services: vendorServices(env.nav?.services) } }),
  },
  flow: async ({ connections, store, signal }) => {
    await connections.nav.connect({ signal });
    return createNavVendorFlows({
      nav: connections.nav,
      jaggaer: connections.jaggaer,
      store,
      policy: vendorPolicyFromEnv(),
      mappings: await loadNavVendorMappings(process.env['NAV_VENDORS_MAPPINGS_DIR'] || undefined),
      ...(process.env['NAV_DEFAULT_PAYMENT_TERMS']?.trim() ? { defaultPaymentTerms: process.env['NAV_DEFAULT_PAYMENT_TERMS'].trim() } : {}),
    });
  },
};

if (import.meta.main) await exampleMain(navVendorsExample);
