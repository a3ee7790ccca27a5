import { connectNavExample, loadNavExampleEnvironment, type NavExampleConnections } from '../nav/connections.ts';
import { exampleMain, type ExampleDefinition } from '../shared/index.ts';
import { createNavPurchasingFlows, navPurchasingSettings } from './flow.ts';
import { loadNavPurchasingMappings } from './mappings.ts';

/** `pnpm example:nav-purchasing`: JAGGAER purchase orders and approved invoices → Dynamics NAV. */
export const navPurchasingExample: ExampleDefinition<unknown, unknown, NavExampleConnections> = {
  command: 'pnpm example:nav-purchasing',
  label: 'nav-purchasing',
  description:
    'JAGGAER purchase orders become Dynamics NAV purchase orders; approved JAGGAER invoices are matched to them by PO ' +
    'number and become NAV purchase invoices (G/L account, cost center and dimensions mapped) with general journal ' +
    'lines for the finance team to review. Nothing is posted.',
  engine: { concurrency: 4 },
  systems: { environment: () => loadNavExampleEnvironment(), connect: (env, options) => connectNavExample(env, options) },
  flow: async ({ connections, signal }) => {
    // $metadata first: a missing page, renamed field or changed type stops here, before any data moves.
    await connections.nav.connect({ signal });
    return createNavPurchasingFlows({
      jaggaer: connections.jaggaer,
      nav: connections.nav,
      mappings: await loadNavPurchasingMappings(process.env['NAV_PURCHASING_MAPPINGS_DIR'] || undefined),
      ...navPurchasingSettings(),
      ...(process.env['JAGGAER_INVOICES_SINCE'] ? { since: process.env['JAGGAER_INVOICES_SINCE'] } : {}),
      ...(connections.mode === 'tenants' ? {} : { listPageSize: 500 }),
    });
  },
};

if (import.meta.main) await exampleMain(navPurchasingExample);
