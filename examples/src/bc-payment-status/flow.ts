/**
 * The payment-status flow: purchase invoices that Business Central reports as Paid are reported to JAGGAER
 * (`invoices.updatePaymentStatus`). The JAGGAER invoice is found through the ledger of the `bc-invoices` flow
 * (JAGGAER invoice id → BC invoice id, read into an index once per run), or else by vendor + vendor invoice number.
 */
import { type BusinessCentralCompany, type PurchaseInvoice, type PurchaseInvoiceFields, isPaid } from '@ml-connector/business-central';
import type { JaggaerClient } from '@ml-connector/jaggaer-j1p';
import { DataError, type ReadContext, type SyncFlow, type SyncStore, type SyncTarget, type TargetDocument, type WriteContext } from '@ml-connector/core/sync';
import { BC_INVOICES_FLOW } from '../bc-invoices/flow.ts';
import { createBcDeltaSource } from '../bc-master-data/delta-source.ts';
import { flatDiff } from '../bc-master-data/targets.ts';

/** Name of this flow (keys its ledger, checkpoint and audit). */
export const PAYMENT_STATUS_FLOW_NAME = 'bc-payment-status';

/** A paid BC invoice and the JAGGAER invoice it settles. */
export interface PaidInvoice {
  readonly invoice: PurchaseInvoice;
  readonly jaggaerInvoiceId: string;
  /** How the JAGGAER invoice was found. */
  readonly matchedBy: 'ledger' | 'vendor-invoice-number';
}

/** What is reported to JAGGAER. */
export interface PaymentReport {
  readonly jaggaerInvoiceId: string;
  readonly paymentStatus: 'Paid';
  /** Day BC recorded the invoice as paid (`YYYY-MM-DD`). */
  readonly paymentDate: string;
  /** BC's posted invoice number, so AP staff find the document. */
  readonly paymentReference: string;
  /** Amount paid (BC's total including tax) and its currency: kept in the audit; J1P's payment status has no amount field. */
  readonly amount: number;
  readonly currency: string;
}

/** Options of {@link createPaymentStatusFlow}. */
export interface PaymentStatusFlowOptions {
  readonly company: BusinessCentralCompany;
  readonly jaggaer: JaggaerClient;
  /** The engine's store: the `bc-invoices` ledger is read from it. */
  readonly store: SyncStore;
  /** Name of the invoice flow whose ledger is read. Default `bc-invoices`. */
  readonly invoiceFlowName?: string;
  /** JAGGAER supplier number of a BC vendor number, for the fallback match. Default: the same number. */
  readonly supplierOf?: (vendorNumber: string) => string | undefined;
  /** First run only: paid invoices changed at or after this instant (ISO 8601) instead of the whole history. */
  readonly since?: Date | string;
  /** Cursor look-back. Default 5 minutes. */
  readonly lookBackMs?: number;
  /** Records per page. Default 200. */
  readonly pageSize?: number;
  /** Told how many paid BC invoices matched no JAGGAER invoice in a page (entered in BC directly). */
  readonly onUnmatched?: (invoices: readonly PurchaseInvoice[]) => void;
}

const LEDGER_PAGE = 1000;

/**
 * BC invoice id → JAGGAER invoice id, from the confirmed entries of the invoice flow's ledger, read page by page.
 * (The store contract has no lookup by target id; one pass per run is cheaper than one query per invoice anyway.)
 */
export async function readInvoiceLedgerIndex(store: SyncStore, flow = BC_INVOICES_FLOW): Promise<Map<string, string>> {
  const index = new Map<string, string>();
  let after: string | undefined;
  for (;;) {
    const page = await store.listLedger({ flow, states: ['confirmed'], limit: LEDGER_PAGE, ...(after !== undefined ? { afterSourceId: after } : {}) });
    for (const entry of page) if (entry.targetId !== undefined) index.set(entry.targetId.toLowerCase(), entry.sourceId);
    if (page.length < LEDGER_PAGE) return index;
    after = page.at(-1)?.sourceId;
  }
}

const isStatus = (error: unknown, status: number): boolean =>
  typeof error === 'object' && error !== null && (error as { status?: unknown }).status === status;

/** Creates the flow. */
export function createPaymentStatusFlow(options: PaymentStatusFlowOptions): SyncFlow<PaidInvoice, PaymentReport> {
  const { company, jaggaer, store } = options;
  const invoiceFlow = options.invoiceFlowName ?? BC_INVOICES_FLOW;
  const supplierOf = options.supplierOf ?? ((vendorNumber: string) => vendorNumber);

  // Per read: the ledger index, and the JAGGAER invoices of each supplier asked about (fallback match).
  let ledgerIndex: Promise<Map<string, string>> | undefined;
  let bySupplier = new Map<string, Promise<Map<string, string>>>();
  const resetCaches = () => {
    ledgerIndex = undefined;
    bySupplier = new Map();
  };
  const supplierInvoices = (supplierNumber: string, context: ReadContext): Promise<Map<string, string>> => {
    let found = bySupplier.get(supplierNumber);
    if (!found) {
      found = (async () => {
        const numbers = new Map<string, string>();
        for await (const invoice of jaggaer.invoices.list({ supplierNumber, signal: context.signal })) {
          if (invoice.supplierInvoiceNumber !== undefined) numbers.set(invoice.supplierInvoiceNumber.trim().toUpperCase(), invoice.invoiceId);
        }
        return numbers;
      })();
      bySupplier.set(supplierNumber, found);
    }
    return found;
  };
  const match = async (invoices: readonly PurchaseInvoice[], context: ReadContext): Promise<PaidInvoice[]> => {
    ledgerIndex ??= readInvoiceLedgerIndex(store, invoiceFlow);
    const index = await ledgerIndex;
    const matched: PaidInvoice[] = [];
    const unmatched: PurchaseInvoice[] = [];
    for (const invoice of invoices) {
      if (!isPaid(invoice)) continue;
      const fromLedger = index.get(invoice.id.toLowerCase());
      if (fromLedger !== undefined) {
        matched.push({ invoice, jaggaerInvoiceId: fromLedger, matchedBy: 'ledger' });
        continue;
      }
      const supplier = invoice.vendorNumber ? supplierOf(invoice.vendorNumber) : undefined;
      const vendorInvoiceNumber = invoice.vendorInvoiceNumber?.trim().toUpperCase();
      const byNumber = supplier && vendorInvoiceNumber ? (await supplierInvoices(supplier, context)).get(vendorInvoiceNumber) : undefined;
      if (byNumber !== undefined) matched.push({ invoice, jaggaerInvoiceId: byNumber, matchedBy: 'vendor-invoice-number' });
      else unmatched.push(invoice);
    }
    if (unmatched.length > 0) {
      context.logger.info({ invoices: unmatched.map((i) => i.number).join(', ') }, 'paid BC invoices without a JAGGAER invoice (entered in BC directly): not reported');
      options.onUnmatched?.(unmatched);
    }
    return matched;
  };

  const deltaSource = createBcDeltaSource<PurchaseInvoiceFields, PaidInvoice>('business-central', {
    stream: 'paidPurchaseInvoices',
    entitySet: company.purchaseInvoices,
    filter: (f) => f.eq('status', 'Paid'),
    selection: { status: 'Paid', invoiceFlow },
    select: match,
    ...(options.since !== undefined ? { since: options.since } : {}),
    ...(options.lookBackMs !== undefined ? { lookBackMs: options.lookBackMs } : {}),
    ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
  });

  const target: SyncTarget<PaymentReport> = {
    system: 'jaggaer',
    naturalKey: (report) => `invoice:${report.jaggaerInvoiceId}:payment`,
    // The "document" is the payment report: it exists once the JAGGAER invoice says Paid (ours, or set by hand).
    async find(report, context) {
      const document = await readInvoice(report.jaggaerInvoiceId, context);
      return document?.snapshot?.paymentStatus === 'Paid' ? document : undefined;
    },
    get: (targetId, context) => readInvoice(targetId, context),
    create: (report, context) => write(report, context),
    update: (_current, report, context) => write(report, context),
    diff: (current, report) =>
      flatDiff(current?.snapshot, { paymentStatus: report.paymentStatus, paymentDate: report.paymentDate, paymentReference: report.paymentReference }),
  };

  async function readInvoice(invoiceId: string, context: WriteContext): Promise<TargetDocument | undefined> {
    try {
      const invoice = await jaggaer.invoices.get(invoiceId, { signal: context.signal });
      const header = (invoice.raw as { header?: Record<string, unknown> }).header ?? {};
      const snapshot: Record<string, unknown> = { paymentStatus: invoice.paymentStatus };
      if (typeof header.paymentDate === 'string') snapshot.paymentDate = header.paymentDate.slice(0, 10);
      if (typeof header.paymentReference === 'string') snapshot.paymentReference = header.paymentReference;
      return { id: invoice.invoiceId, ...(invoice.lastUpdate !== undefined ? { version: invoice.lastUpdate } : {}), locked: false, snapshot };
    } catch (error) {
      if (isStatus(error, 404)) return undefined;
      throw error;
    }
  }

  async function write(report: PaymentReport, context: WriteContext) {
    try {
      const result = await jaggaer.invoices.updatePaymentStatus(
        report.jaggaerInvoiceId,
        { paymentStatus: report.paymentStatus, paymentDate: report.paymentDate, paymentReference: report.paymentReference },
        { signal: context.signal },
      );
      return {
        document: {
          id: report.jaggaerInvoiceId,
          ...(result.lastUpdate !== undefined ? { version: result.lastUpdate } : {}),
          locked: false,
          snapshot: { paymentStatus: report.paymentStatus, paymentDate: report.paymentDate, paymentReference: report.paymentReference },
        },
      };
    } catch (error) {
      if (isStatus(error, 404)) {
        throw new DataError('unknown-invoice', `JAGGAER has no invoice ${report.jaggaerInvoiceId}; it was deleted after the invoice flow wrote it`, { cause: error });
      }
      if (isStatus(error, 409)) {
        throw new DataError('invoice-not-approved', `JAGGAER refuses to mark invoice ${report.jaggaerInvoiceId} Paid in its current workflow state`, { cause: error });
      }
      throw error;
    }
  }

  return {
    name: PAYMENT_STATUS_FLOW_NAME,
    source: {
      ...deltaSource,
      async *read(cursor, context) {
        resetCaches();
        yield* deltaSource.read(cursor, context);
      },
      async fetch(sourceId, context) {
        resetCaches();
        return deltaSource.fetch?.(sourceId, context);
      },
      // One payment per invoice: once reported it is never reported again, whatever else changes on the BC invoice.
      identify: (paid) => ({
        id: paid.invoice.id,
        version: 'paid',
        businessIds: [paid.invoice.number, paid.invoice.vendorInvoiceNumber, paid.invoice.vendorNumber, `jaggaer:${paid.jaggaerInvoiceId}`].filter(
          (id): id is string => typeof id === 'string' && id !== '',
        ),
      }),
    },
    map: (paid) => ({
      jaggaerInvoiceId: paid.jaggaerInvoiceId,
      paymentStatus: 'Paid',
      // BC's API has no payment date on the invoice; the day its status became Paid is the closest it offers.
      paymentDate: paid.invoice.lastModifiedDateTime.slice(0, 10),
      paymentReference: paid.invoice.number,
      amount: paid.invoice.totalAmountIncludingTax ?? 0,
      currency: paid.invoice.currencyCode || 'local',
    }),
    target,
    mappingVersion: 'payment-status:v1',
  };
}
