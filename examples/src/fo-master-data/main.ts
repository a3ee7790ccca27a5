import { foSystems, type FoConnections } from '../fo/connections.ts';
import { exampleMain, type ExampleDefinition } from '../shared/index.ts';
import { createFoMasterDataFlows } from './flows.ts';

/** `pnpm example:fo-master-data`: F&O main accounts, dimension values and vendors → JAGGAER coding values and suppliers. */
export const foMasterDataExample: ExampleDefinition<unknown, unknown, FoConnections> = {
  command: 'pnpm example:fo-master-data',
  label: 'fo-master-data',
  description:
    'Finance & Operations main accounts and financial dimension values become JAGGAER coding values (read-only there), ' +
    'then vendors become JAGGAER suppliers. Run it on a schedule: unchanged records are skipped.',
  engine: { concurrency: 5 },
  systems: foSystems,
  flow: ({ connections }) =>
    createFoMasterDataFlows({
      financeOperations: connections.financeOperations,
      jaggaer: connections.jaggaer,
      ...(process.env['FO_MASTER_DATA_LEGAL_ENTITY'] ? { legalEntity: process.env['FO_MASTER_DATA_LEGAL_ENTITY'] } : {}),
    }),
};

if (import.meta.main) await exampleMain(foMasterDataExample);
