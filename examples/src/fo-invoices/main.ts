import type { Invoice } from '@ml-connector/jaggaer-j1p';
import { foSystems, type FoConnections } from '../fo/connections.ts';
import { exampleMain, type ExampleDefinition } from '../shared/index.ts';
import { createFoInvoicesFlow } from './flow.ts';
import type { FoInvoiceDraft } from './mapper.ts';
import { loadFoInvoiceMappings } from './mappings.ts';

/** `pnpm example:fo-invoices`: approved JAGGAER invoices → pending Finance & Operations vendor invoices. */
export const foInvoicesExample: ExampleDefinition<Invoice, FoInvoiceDraft, FoConnections> = {
  command: 'pnpm example:fo-invoices',
  description:
    'Approved JAGGAER supplier invoices become pending Finance & Operations vendor invoices (header + lines in one ' +
    '$batch changeset) in the legal entity mapped from the business unit, coded only to valid main account + ' +
    'dimension combinations, deduplicated against pending and posted invoices. Invoices are never posted.',
  engine: { concurrency: 5 },
  systems: foSystems,
  flow: async ({ connections, store }) =>
    createFoInvoicesFlow({
      jaggaer: connections.jaggaer,
      financeOperations: connections.financeOperations,
      store,
      mappings: await loadFoInvoiceMappings(process.env['ML_CONNECTOR_FO_MAPPINGS_DIR'] || undefined),
      ...(process.env['JAGGAER_INVOICES_SINCE'] ? { since: process.env['JAGGAER_INVOICES_SINCE'] } : {}),
      ...(connections.mode === 'emulators' ? { listPageSize: 500 } : {}),
    }),
};

if (import.meta.main) await exampleMain(foInvoicesExample);
