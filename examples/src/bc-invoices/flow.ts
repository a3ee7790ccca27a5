import type { BusinessCentralCompany } from '@ml-connector/business-central';
import type { MappingSet, SyncFlow, SyncStore } from '@ml-connector/core/sync';
import type { Invoice, JaggaerClient } from '@ml-connector/jaggaer-j1p';
import { mapInvoice, type InvoiceDraft } from './mapper.ts';
import { createApprovedInvoiceSource, type ApprovedInvoiceSourceOptions } from './source.ts';
import { createPurchaseInvoiceTarget, type PurchaseInvoiceTargetOptions } from './target.ts';

/** Name of the flow: keys its ledger, checkpoints, audit and review queue. */
export const BC_INVOICES_FLOW = 'bc-invoices';

/** Options of {@link createBcInvoicesFlow}. */
export interface BcInvoicesFlowOptions
  extends Omit<ApprovedInvoiceSourceOptions, 'jaggaer'>,
    Pick<PurchaseInvoiceTargetOptions, 'globalDimensionCodes' | 'headerDimensions'> {
  readonly jaggaer: JaggaerClient;
  readonly company: BusinessCentralCompany;
  readonly store: SyncStore;
  /** The crosswalk tables (see `loadInvoiceMappings`). */
  readonly mappings: MappingSet;
}

/**
 * The main job: approved JAGGAER supplier invoices become Business Central draft purchase invoices, one BC line
 * per coding split, with vendor, G/L accounts, dimensions, currency and the PO reference.
 */
export function createBcInvoicesFlow(options: BcInvoicesFlowOptions): SyncFlow<Invoice, InvoiceDraft> {
  const { jaggaer, company, store, mappings, globalDimensionCodes, headerDimensions, ...sourceOptions } = options;
  const source = createApprovedInvoiceSource({ jaggaer, ...sourceOptions });
  return {
    name: BC_INVOICES_FLOW,
    source,
    map: (invoice) => mapInvoice(invoice, mappings),
    target: createPurchaseInvoiceTarget({
      company,
      store,
      flow: BC_INVOICES_FLOW,
      sourceSystem: source.system,
      ...(globalDimensionCodes ? { globalDimensionCodes } : {}),
      ...(headerDimensions ? { headerDimensions } : {}),
    }),
    mappingVersion: mappings.version,
  };
}
