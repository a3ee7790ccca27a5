import type { MappingSet, SyncFlow, SyncStore } from '@ml-connector/core/sync';
import type { FinanceOperationsClient } from '@ml-connector/d365-fo';
import type { Invoice, JaggaerClient } from '@ml-connector/jaggaer-j1p';
import { createApprovedInvoiceSource, type ApprovedInvoiceSourceOptions } from '../bc-invoices/source.ts';
import { mapFoInvoice, type FoInvoiceDraft } from './mapper.ts';
import { createVendorInvoiceTarget } from './target.ts';

/** Name of the flow: keys its ledger, checkpoints, audit and review queue. */
export const FO_INVOICES_FLOW = 'fo-invoices';

/** Options of {@link createFoInvoicesFlow}. */
export interface FoInvoicesFlowOptions extends Omit<ApprovedInvoiceSourceOptions, 'jaggaer'> {
  readonly jaggaer: JaggaerClient;
  readonly financeOperations: FinanceOperationsClient;
  readonly store: SyncStore;
  /** The crosswalk tables (see `loadFoInvoiceMappings`). */
  readonly mappings: MappingSet;
}

/**
 * Approved JAGGAER supplier invoices become pending F&O vendor invoices (header + lines in one changeset) in the
 * legal entity mapped from the JAGGAER business unit, coded only to valid main account + dimension combinations.
 */
export function createFoInvoicesFlow(options: FoInvoicesFlowOptions): SyncFlow<Invoice, FoInvoiceDraft> {
  const { jaggaer, financeOperations, store, mappings, ...sourceOptions } = options;
  const source = createApprovedInvoiceSource({ jaggaer, ...sourceOptions });
  return {
    name: FO_INVOICES_FLOW,
    source,
    map: (invoice) => mapFoInvoice(invoice, mappings),
    target: createVendorInvoiceTarget({ financeOperations, store, flow: FO_INVOICES_FLOW, sourceSystem: source.system }),
    mappingVersion: mappings.version,
  };
}
