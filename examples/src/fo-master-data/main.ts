import { InvalidInputError } from '@ml-connector/core';
import { foSystems, type FoConnections } from '../fo/connections.ts';
import { exampleMain, type ExampleDefinition } from '../shared/index.ts';
import { EMULATOR_FO_DATA_PROJECTS, type FoMasterDataStream, createFoMasterDataFlows } from './flows.ts';

const STREAMS: readonly FoMasterDataStream[] = ['mainAccounts', 'dimensionValues', 'vendors', 'releasedProducts', 'purchaseOrders'];

/**
 * `FO_MASTER_DATA_PROJECTS`: `vendors=My vendors export,purchaseOrders=PO headers` — the data projects (incremental
 * push, change tracking on the entity) that give the package first load and the deltas. Unset on a real environment:
 * OData full reads every run. Against the emulators: the sandbox's `MLC-*` projects.
 */
export function parseDataProjects(text: string | undefined, emulators: boolean): Partial<Record<FoMasterDataStream, string>> {
  if (text === undefined || text.trim() === '') return emulators ? EMULATOR_FO_DATA_PROJECTS : {};
  if (text.trim() === 'none') return {};
  const out: Partial<Record<FoMasterDataStream, string>> = {};
  for (const pair of text.split(',')) {
    const [stream, project] = pair.split('=').map((part) => part.trim());
    if (!STREAMS.includes(stream as FoMasterDataStream) || !project) {
      throw new InvalidInputError(`FO_MASTER_DATA_PROJECTS: '${pair}' is not <stream>=<data project>; streams are ${STREAMS.join(', ')} (or set it to none)`, { field: 'FO_MASTER_DATA_PROJECTS' });
    }
    out[stream as FoMasterDataStream] = project;
  }
  return out;
}

function threshold(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) throw new InvalidInputError(`FO_MASTER_DATA_BULK_THRESHOLD must be a whole number of records, got '${text}'`, { field: 'FO_MASTER_DATA_BULK_THRESHOLD' });
  return value;
}

/** `pnpm example:fo-master-data`: F&O accounts, dimension values, vendors and confirmed orders → JAGGAER. */
export const foMasterDataExample: ExampleDefinition<unknown, unknown, FoConnections> = {
  command: 'pnpm example:fo-master-data',
  label: 'fo-master-data',
  description:
    'Finance & Operations main accounts and financial dimension values become JAGGAER coding values (read-only there), ' +
    'then vendors become JAGGAER suppliers, released products catalog items, and confirmed purchase orders JAGGAER orders with their line coding. The first ' +
    'load of a large entity goes through the Data management package API (FO_MASTER_DATA_BULK_THRESHOLD, default 5000); ' +
    'later runs read only what changed (incremental export of change-tracked data projects, FO_MASTER_DATA_PROJECTS).',
  engine: { concurrency: 5 },
  systems: foSystems,
  flow: ({ connections, logger }) => {
    const bulkThreshold = threshold(process.env['FO_MASTER_DATA_BULK_THRESHOLD']);
    return createFoMasterDataFlows({
      financeOperations: connections.financeOperations,
      jaggaer: connections.jaggaer,
      ...(process.env['FO_MASTER_DATA_LEGAL_ENTITY'] ? { legalEntity: process.env['FO_MASTER_DATA_LEGAL_ENTITY'] } : {}),
      dataProjects: parseDataProjects(process.env['FO_MASTER_DATA_PROJECTS'], connections.mode === 'emulators'),
      ...(bulkThreshold !== undefined ? { bulkThreshold } : {}),
      ...(process.env['FO_MASTER_DATA_CATALOG_CURRENCY'] ? { catalogCurrency: process.env['FO_MASTER_DATA_CATALOG_CURRENCY'] } : {}),
      ...(connections.mode === 'emulators' ? { wait: { pollMs: 250 } } : {}),
      onProgress: (progress) => logger.info({ ...progress }, `fo-master-data ${progress.stream}: ${progress.path} ${progress.phase}`),
    });
  },
};

if (import.meta.main) await exampleMain(foMasterDataExample);
