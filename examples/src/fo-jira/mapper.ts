import type { BusinessEvent, FinanceOperationsClient, ResolveOptions } from '@ml-connector/d365-fo';
import type { MappingSet } from '@ml-connector/core/sync';
import { resolveDocumentEvent, type FoDocumentEvent } from './source.ts';

/** The crosswalk table that maps an event kind to the Jira project and issue type (`event-issue.csv`: key, project, issueType). */
export const EVENT_ISSUE_TABLE = 'event-issue';

/** A Jira issue as the flow wants it. */
export interface IssueDraft {
  readonly documentKey: string;
  readonly project: string;
  readonly issueType: string;
  readonly summary: string;
  readonly documentNumber: string;
  readonly vendor: string;
  readonly amount?: number;
  readonly currency?: string;
  readonly link: string;
  readonly kind: FoDocumentEvent['kind'];
  readonly comment?: string;
}

const TITLES: Record<FoDocumentEvent['kind'], string> = {
  vendorInvoicePosted: 'Vendor invoice posted',
  purchaseOrderConfirmed: 'Purchase order confirmed',
  workflowDocumentRejected: 'Workflow document rejected',
};

/** Options of {@link createEventMapper}. */
export interface EventMapperOptions {
  readonly fo: FinanceOperationsClient;
  readonly mappings: MappingSet;
  /** F&O web client origin for the link back. */
  readonly environmentUrl: string;
  /** Backoff while the record is not readable yet (the F&O client's defaults otherwise). */
  readonly resolve?: ResolveOptions;
}

/** Pure part of the mapping: a resolved document and the crosswalk → the issue draft. */
export function draftFor(document: FoDocumentEvent, mappings: MappingSet): IssueDraft {
  const target = mappings.lookupRecord(EVENT_ISSUE_TABLE, document.kind);
  const amount = document.amount === undefined ? '' : ` (${document.amount.toFixed(2)}${document.currency ? ` ${document.currency}` : ''})`;
  return {
    documentKey: document.documentKey,
    project: String(target['project']),
    issueType: String(target['issueType']),
    summary: `${TITLES[document.kind]}: ${document.documentNumber}${document.vendor ? ` – vendor ${document.vendor}` : ''}${amount}`,
    documentNumber: document.documentNumber,
    vendor: document.vendor,
    ...(document.amount !== undefined ? { amount: document.amount } : {}),
    ...(document.currency ? { currency: document.currency } : {}),
    link: document.link,
    kind: document.kind,
    ...(document.comment ? { comment: document.comment } : {}),
  };
}

/** The flow's `map`: resolves the event stub over OData (with backoff), then maps it to an issue draft. */
export function createEventMapper(options: EventMapperOptions): (event: BusinessEvent) => Promise<IssueDraft> {
  return async (event) => {
    const document = await resolveDocumentEvent(options.fo, event, options.environmentUrl, options.resolve);
    if (!document) throw new Error(`unreachable: the source passes only known event kinds, got ${event.id}`);
    return draftFor(document, options.mappings);
  };
}
