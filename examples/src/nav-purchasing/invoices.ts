import { DataError, type MappingSet, type ReferenceRef, type SyncFlow, type SyncTarget, type TargetDocument } from '@ml-connector/core/sync';
import type { Invoice, JaggaerClient } from '@ml-connector/jaggaer-j1p';
import { navReferenceResolvers, type NavClient, type NavGeneralJournalLine } from '@ml-connector/nav';
import { mapInvoice } from '../bc-invoices/mapper.ts';
import { createApprovedInvoiceSource, type ApprovedInvoiceSourceOptions } from '../bc-invoices/source.ts';
import {
  DEFAULT_SHORTCUT_DIMENSIONS,
  NAV_MAX,
  diffDocument,
  documentNaturalKey,
  draftReferences,
  navDocumentStore,
  shortcutFields,
  targetDocumentOf,
  type NavDocumentDraft,
  type NavDocumentState,
  type ShortcutDimensions,
} from './documents.ts';

/** Name of the invoice flow (ledger, checkpoints, audit, review queue). */
export const NAV_PURCHASE_INVOICES_FLOW = 'nav-purchasing.invoices';

/** A NAV purchase invoice draft with the JAGGAER purchase orders it is matched to. */
export interface NavInvoiceDraft extends NavDocumentDraft {
  /** JAGGAER PO numbers of its lines: each must be a NAV purchase order of the vendor (`Vendor_Order_No`). */
  readonly poNumbers: readonly string[];
}

/** The general journal batch review lines go to (it must exist in NAV). */
export interface JournalBatch {
  readonly journalTemplateName: string;
  readonly journalBatchName: string;
}

/** The emulator's (and a common) batch for integration lines. */
export const DEFAULT_JOURNAL_BATCH: JournalBatch = { journalTemplateName: 'GENERAL', journalBatchName: 'MLCONNECT' };

/** Options of the invoice mapper. */
export interface InvoiceMappingOptions {
  readonly shortcuts?: ShortcutDimensions;
  /** Invoices that reference no PO: `review` (default: `no-po-reference`) or `allow` (written without a match). */
  readonly nonPoInvoices?: 'review' | 'allow';
}

/**
 * Maps an approved JAGGAER invoice to a NAV purchase invoice with the same rules as bc-invoices (`mapInvoice`:
 * supplier → vendor, one line per coding split, G/L account and dimensions from the crosswalks), then to NAV's
 * fields: shortcut dimension 1 (cost center) and 2, descriptions of 50 characters, and the PO numbers to match.
 */
export function mapNavInvoice(invoice: Invoice, mappings: MappingSet, options: InvoiceMappingOptions = {}): NavInvoiceDraft {
  const shortcuts = options.shortcuts ?? DEFAULT_SHORTCUT_DIMENSIONS;
  const draft = mapInvoice(invoice, mappings);
  const poNumbers = [...new Set(invoice.lines.map((line) => line.poNumber).filter((po): po is string => typeof po === 'string' && po !== ''))];
  if (poNumbers.length === 0 && (options.nonPoInvoices ?? 'review') === 'review') {
    throw new DataError('no-po-reference', `invoice ${invoice.invoiceNumber ?? invoice.invoiceId} references no purchase order, so it cannot be matched to a NAV order (set NAV_NON_PO_INVOICES=allow to write such invoices)`, { field: 'lines.poNumber' });
  }
  return {
    vendorNumber: draft.vendorNumber,
    reference: draft.vendorInvoiceNumber,
    ...(draft.invoiceDate ? { documentDate: draft.invoiceDate } : {}),
    ...(draft.dueDate ? { dueDate: draft.dueDate } : {}),
    currencyCode: draft.currencyCode,
    lines: draft.lines.map((line, index) => ({
      accountNumber: line.accountNumber,
      description: line.description.slice(0, NAV_MAX.description),
      quantity: line.quantity,
      directUnitCost: line.unitCost,
      ...shortcutFields(line.dimensions, shortcuts, `lines[${index}]`),
    })),
    poNumbers,
  };
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

/** The review journal lines of an invoice: one per invoice line, G/L account against the vendor, never posted. */
function wantedJournalLines(draft: NavInvoiceDraft, invoiceNumber: string) {
  return draft.lines.map((line) => ({
    ...(draft.documentDate ? { postingDate: draft.documentDate } : {}),
    documentType: 'Invoice',
    documentNumber: invoiceNumber,
    externalDocumentNumber: draft.reference,
    accountType: 'G/L Account',
    accountNumber: line.accountNumber,
    description: line.description,
    amount: round2(line.quantity * line.directUnitCost),
    balAccountType: 'Vendor',
    balAccountNumber: draft.vendorNumber,
    departmentCode: line.departmentCode ?? '',
    projectCode: line.projectCode ?? '',
  }));
}

const journalKey = (line: Record<string, unknown>) =>
  JSON.stringify([line['accountNumber'], line['description'], Number(line['amount']), line['balAccountNumber'], line['departmentCode'] ?? '', line['projectCode'] ?? '', line['externalDocumentNumber']]);

/** Options of {@link createPurchaseInvoiceTarget}. */
export interface PurchaseInvoiceTargetOptions {
  readonly nav: NavClient;
  readonly shortcuts?: ShortcutDimensions;
  readonly journalBatch?: JournalBatch;
}

/**
 * NAV purchase invoices as a sync target, each with its general journal lines for review (created in
 * `journalBatch`, never posted). Natural key vendor + `Vendor_Invoice_No`; the preflight checks vendors, accounts,
 * dimension values and that every referenced PO is a NAV order of the vendor (`unknown-purchaseOrder` otherwise).
 * A document found by natural key is adopted only when its lines and journal lines are complete; a create resumes
 * an interrupted one.
 */
export function createPurchaseInvoiceTarget(options: PurchaseInvoiceTargetOptions): SyncTarget<NavInvoiceDraft> {
  const { nav } = options;
  const shortcuts = options.shortcuts ?? DEFAULT_SHORTCUT_DIMENSIONS;
  const batch = options.journalBatch ?? DEFAULT_JOURNAL_BATCH;
  const documents = navDocumentStore(nav, 'invoice');
  const resolvers = navReferenceResolvers(nav);
  // Journal line numbers are allocated here, one at a time: concurrent writers of one batch must not pick the same.
  let nextLineNumber: number | undefined;
  let allocation: Promise<unknown> = Promise.resolve();
  const allocate = (signal: AbortSignal): Promise<number> => {
    const result = allocation.then(async () => {
      if (nextLineNumber === undefined) {
        const [last] = await nav.generalJournalLines.list(batch, { orderBy: ['lineNumber'], signal }).toArray({ limit: 100_000 }).then((all) => all.slice(-1));
        nextLineNumber = (last?.lineNumber ?? 0) + 10_000;
      }
      const number = nextLineNumber;
      nextLineNumber += 10_000;
      return number;
    });
    allocation = result.catch(() => undefined);
    return result;
  };
  const journalLinesOf = (invoiceNumber: string, signal: AbortSignal): Promise<NavGeneralJournalLine[]> =>
    nav.generalJournalLines.list(batch, { where: { documentNumber: invoiceNumber }, signal }).toArray({ limit: 10_000 });
  const syncJournal = async (draft: NavInvoiceDraft, invoiceNumber: string, signal: AbortSignal): Promise<number> => {
    const existing = await journalLinesOf(invoiceNumber, signal);
    const wanted = wantedJournalLines(draft, invoiceNumber);
    if (existing.map(journalKey).sort().join('\n') === wanted.map(journalKey).sort().join('\n')) return existing.length;
    for (const line of existing) await nav.generalJournalLines.delete({ ...batch, lineNumber: line.lineNumber }, { etag: line.etag ?? '*', signal });
    for (const line of wanted) await nav.generalJournalLines.create({ ...batch, lineNumber: await allocate(signal), ...line }, { signal });
    return wanted.length;
  };
  const documentOf = (state: NavDocumentState, journalLines: number): TargetDocument => targetDocumentOf(state, { journalLines });
  return {
    system: 'nav',
    naturalKey: documentNaturalKey,
    references(draft): ReferenceRef[] {
      return [
        ...draftReferences(draft, shortcuts),
        ...draft.poNumbers.map((po) => ({ kind: 'purchaseOrder', key: `${draft.vendorNumber}/${po}`, field: 'lines.poNumber' })),
      ];
    },
    resolvers: { vendor: resolvers.vendor, account: resolvers.account, dimensionValue: resolvers.dimensionValue, purchaseOrder: resolvers.purchaseOrder },
    async find(draft, context) {
      const found = await documents.find(draft, context.signal);
      if (!found || found.lines.length !== draft.lines.length) return undefined;
      const journal = await journalLinesOf(found.header.number, context.signal);
      // Lines or journal lines missing: an interrupted create, which create() completes rather than this adopting it.
      return journal.length === draft.lines.length ? documentOf(found, journal.length) : undefined;
    },
    async get(number, context) {
      const state = await documents.get(number, context.signal);
      return state ? documentOf(state, (await journalLinesOf(number, context.signal)).length) : undefined;
    },
    async create(draft, context) {
      const partial = await documents.find(draft, context.signal);
      const state = partial ? await documents.update(partial, draft, context.signal) : await documents.create(draft, context.signal);
      return { document: documentOf(state, await syncJournal(draft, state.header.number, context.signal)) };
    },
    async update(current, draft, context) {
      const state = await documents.get(current.id, context.signal);
      if (!state) throw new DataError('target-missing', `NAV purchase invoice ${current.id} no longer exists (posted or deleted)`);
      const updated = await documents.update(state, draft, context.signal);
      return { document: documentOf(updated, await syncJournal(draft, updated.header.number, context.signal)) };
    },
    diff: (current, draft) => diffDocument('invoice', current, draft),
  };
}

/** Options of {@link createPurchaseInvoicesFlow}. */
export interface PurchaseInvoicesFlowOptions extends InvoiceMappingOptions, Omit<ApprovedInvoiceSourceOptions, 'jaggaer'> {
  readonly jaggaer: JaggaerClient;
  readonly nav: NavClient;
  readonly mappings: MappingSet;
  readonly journalBatch?: JournalBatch;
}

/** Approved JAGGAER invoices → NAV purchase invoices matched to NAV purchase orders, with journal lines for review. */
export function createPurchaseInvoicesFlow(options: PurchaseInvoicesFlowOptions): SyncFlow<Invoice, NavInvoiceDraft> {
  const { jaggaer, nav, mappings, shortcuts, nonPoInvoices, journalBatch, ...sourceOptions } = options;
  return {
    name: NAV_PURCHASE_INVOICES_FLOW,
    source: createApprovedInvoiceSource({ jaggaer, ...sourceOptions }),
    map: (invoice) => mapNavInvoice(invoice, mappings, { ...(shortcuts ? { shortcuts } : {}), ...(nonPoInvoices ? { nonPoInvoices } : {}) }),
    target: createPurchaseInvoiceTarget({ nav, ...(shortcuts ? { shortcuts } : {}), ...(journalBatch ? { journalBatch } : {}) }),
    mappingVersion: mappings.version,
  };
}
