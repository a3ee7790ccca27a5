import {
  InvalidInputError,
  type PagedAsyncIterable,
  ResponseValidationError,
  isConflictError,
  isNotFoundError,
  paginate,
  startAtTotRecords,
} from '@ml-connector/core';
import { mapWithConcurrency } from '../concurrency.js';
import { type JaggaerDateInput, toEpochMs } from '../dates.js';
import { DuplicateSupplierInvoiceError } from '../errors.js';
import { expandJaggaerPath } from '../paths.js';
import { decodePollCursor, encodePollCursor, pollChanges, type PollState } from '../polling.js';
import { sendJaggaer } from '../request.js';
import { toNumber, toText } from '../schemas/common.js';
import {
  type Invoice,
  invoiceListResponseSchema,
  invoiceResponseSchema,
  ocrImportResponseSchema,
  paymentStatusResponseSchema,
  toInvoice,
} from '../schemas/invoice.js';
import { type CallOptions, type ResourceContext, requireText } from './shared.js';

/** Filters of {@link InvoicesResource.list}. Query parameter names are UNCONFIRMED (see the README). */
export interface InvoiceListOptions extends CallOptions {
  /** Workflow status, e.g. `Approved` (sent as `workflowStatus`). */
  status?: string;
  /** Payment status, e.g. `Payable`. */
  paymentStatus?: string;
  /** ERP supplier number. */
  supplierNumber?: string;
  /** Only invoices whose `lastUpdate` is at or after this instant (`lastUpdateFrom`, inclusive). */
  updatedSince?: JaggaerDateInput;
  /** Only invoices whose `lastUpdate` is at or before this instant (`lastUpdateTo`, inclusive). */
  updatedUntil?: JaggaerDateInput;
  /** Records per page (`maxRecords`). Default the client's `invoicePageSize`. */
  pageSize?: number;
}

/** Options of {@link InvoicesResource.poll}. */
export interface InvoicePollOptions extends CallOptions {
  /** Workflow status to watch, e.g. `Approved`. */
  status?: string;
  /** Payment status filter. */
  paymentStatus?: string;
  /** ERP supplier number filter. */
  supplierNumber?: string;
  /** First poll only: deliver invoices changed at or after this instant. Omit both `since` and `cursor` to start from the beginning. */
  since?: JaggaerDateInput;
  /** The `cursor` of the previous poll; resumes exactly after it (no gaps, no repeats). Takes the place of `since`. */
  cursor?: string;
  /**
   * Read only changes at or before this instant (`lastUpdateTo`), so a large backlog is read in time slices instead
   * of one window holding everything since the high-water mark. The cursor stays valid with or without it; a server
   * that ignores the filter only makes a poll deliver more.
   */
  until?: JaggaerDateInput;
  /**
   * How far before the high-water mark the next poll looks again for late-committed changes, in ms. Default the
   * client's `pollLookbackMs` (120,000). The cursor records the window it covers, so changing this never redelivers.
   */
  lookbackMs?: number;
  /** Deliver at most this many invoices; `complete` is then false and the next poll continues. Default unlimited. */
  maxInvoices?: number;
  /** Records per request (at least 2). Default the client's `invoicePageSize`. */
  pageSize?: number;
  /**
   * Fetch each delivered invoice that was listed without `lineList` with {@link InvoicesResource.get}, so `lines` is
   * filled (J1P's list sample carries headers only). Default true.
   */
  withLines?: boolean;
  /** Invoices fetched at once for `withLines`. Default the client's `invoiceFetchConcurrency` (4). */
  concurrency?: number;
}

/** Outcome of {@link InvoicesResource.poll}. Persist `cursor` (and, for display, `since`) after processing `invoices`. */
export interface InvoicePollResult {
  /** New or changed invoices, each once, as their latest version, ordered by (`lastUpdate`, `invoiceId`). */
  invoices: Invoice[];
  /** Ids listed as changed that `get` then answered 404 for (deleted meanwhile); not in `invoices`. */
  notFound: string[];
  /** The new high-water mark (highest `lastUpdate` seen) as ISO 8601; unchanged when nothing was found. */
  since?: string;
  /** Opaque resume token: the high-water mark plus the invoices already delivered inside the look-back window. */
  cursor: string;
  /** False when `maxInvoices` cut the poll short: poll again at once. */
  complete: boolean;
  /**
   * False when the listing shifted while it was read, so some changes may come only with the next poll (the cursor
   * does not move past them). Nothing to do; informative.
   */
  settled: boolean;
}

/** Options of {@link InvoicesResource.withLines}. */
export interface WithLinesOptions extends CallOptions {
  /** Invoices fetched at once. Default the client's `invoiceFetchConcurrency` (4). */
  concurrency?: number;
  /** Fetch every invoice, not only those listed without `lineList`. Default false. */
  always?: boolean;
}

/** One line of an OCR import. */
export interface OcrInvoiceLineInput {
  /** 1-based line number. Default: position in the list. */
  lineNumber?: number;
  /** Item description. */
  description: string;
  /** Unit of measure, e.g. `EA`. */
  unitOfMeasure?: string;
  /** Packaging amount. */
  packagingAmount?: number;
  /** Quantity (negative for credits). */
  quantity: number;
  /** Unit price. */
  unitPrice: number;
  /** ISO 4217 currency of the price. Default the invoice `currency`. */
  currency?: string;
}

/** A supplier invoice to import through the OCR endpoint. */
export interface OcrInvoiceImport {
  /** The supplier's invoice number; JAGGAER keeps it unique per supplier. */
  supplierInvoiceNumber: string;
  /** ERP supplier number (`supplier.supplierNumber`). */
  supplierNumber: string;
  /** `Invoice` (default on the server) or `Credit memo`. */
  invoiceType?: 'Invoice' | 'Credit memo';
  /** Invoice date. */
  invoiceDate?: JaggaerDateInput;
  /** Business unit internal name. */
  businessUnit?: string;
  /** Address codes of bill-to, ship-to and remit-to. */
  billToAddressCode?: string;
  /** Ship-to address code. */
  shipToAddressCode?: string;
  /** Remit-to address code. */
  remitToAddressCode?: string;
  /** Standard payment terms code, e.g. `Net 30`. */
  paymentTermsCode?: string;
  /** Notes. */
  notes?: string;
  /** Currency of every line without its own. */
  currency?: string;
  /** Batch id of the import. */
  batchId?: string;
  /** Batch information. */
  batchInfo?: { batchNumber?: string; batchTimestamp?: string; batchDescription?: string };
  /** Lines. */
  lines: OcrInvoiceLineInput[];
}

/** Answer of an OCR import. */
export interface OcrImportResult {
  /** Id of the created invoice, when the endpoint returns it (the sandbox does; UNCONFIRMED for J1P). */
  invoiceId?: string;
  /** JAGGAER invoice number, when returned. */
  invoiceNumber?: string;
  /** Batch id echoed back. */
  batchId?: string;
  /** The answer as received. */
  raw: Record<string, unknown>;
}

/** Payment states (the sandbox's list; J1P's full list is UNCONFIRMED, so any string is accepted). */
export type InvoicePaymentStatus = 'Unpaid' | 'Payable' | 'Partially Paid' | 'Paid' | (string & {});

/** A payment-status update (UNCONFIRMED body shape). */
export interface PaymentStatusUpdate {
  /** New payment status. `Paid` needs an approved invoice. */
  paymentStatus: InvoicePaymentStatus;
  /** Payment date (sent as `YYYY-MM-DD`). */
  paymentDate?: JaggaerDateInput;
  /** Payment reference, e.g. the ERP payment document number. */
  paymentReference?: string;
}

/** Answer of a payment-status update. */
export interface PaymentStatusResult {
  /** Invoice id. */
  invoiceId?: string;
  /** Payment status now stored. */
  paymentStatus?: string;
  /** The invoice's new `lastUpdate`. */
  lastUpdate?: string;
  /** The answer as received. */
  raw: Record<string, unknown>;
}

/** JAGGAER Invoicing (`ji/v1`) invoices. */
export interface InvoicesResource {
  /** One invoice with header and lines. @throws NotFoundError for an unknown id. */
  get(invoiceId: string | number, options?: CallOptions): Promise<Invoice>;
  /**
   * Invoices matching the filters in the server's order (invoice id in J1P's public sample), paged with
   * startAt/totRecords; resumable with `byPage({continuationToken})`. Entries may come without lines: see {@link withLines}.
   */
  list(options?: InvoiceListOptions): PagedAsyncIterable<Invoice>;
  /** New and changed invoices since the last poll, with their lines, plus the cursor to persist. See README "Polling". */
  poll(options?: InvoicePollOptions): Promise<InvoicePollResult>;
  /**
   * Completes listed invoices: each one listed without `lineList` is replaced by the full invoice from
   * {@link get}, at most `concurrency` at a time, in the input order. Invoices that are gone (404) are left out.
   */
  withLines(invoices: readonly Invoice[], options?: WithLinesOptions): Promise<Invoice[]>;
  /** Imports a supplier invoice through the OCR endpoint. @throws DuplicateSupplierInvoiceError when the number already exists. */
  importOcr(invoice: OcrInvoiceImport, options?: CallOptions): Promise<OcrImportResult>;
  /** Sets an invoice's payment status (PUT; safe to repeat). @throws ConflictError when the state forbids it. */
  updatePaymentStatus(invoiceId: string | number, update: PaymentStatusUpdate, options?: CallOptions): Promise<PaymentStatusResult>;
}

const optionalDate = (value: JaggaerDateInput | undefined, field: string) =>
  value === undefined ? undefined : new Date(toEpochMs(value, field)).toISOString();

function checkPageSize(value: number | undefined, field: string): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 1)) {
    throw new InvalidInputError(`${field} must be a positive whole number, got ${String(value)}`, { field });
  }
}

function lastUpdateMs(invoice: Invoice): number {
  const ms = invoice.lastUpdate === undefined ? Number.NaN : Date.parse(invoice.lastUpdate);
  if (Number.isNaN(ms)) throw new ResponseValidationError(`Invoice ${invoice.invoiceId} has no parseable lastUpdate, so it cannot be polled`);
  return ms;
}

function invoiceIdText(invoiceId: string | number): string {
  const text = typeof invoiceId === 'number' ? String(invoiceId) : typeof invoiceId === 'string' ? invoiceId.trim() : '';
  if (!/^\d{1,18}$/.test(text)) throw new InvalidInputError(`invoiceId must be JAGGAER's numeric invoice id, got ${JSON.stringify(invoiceId)}`, { field: 'invoiceId' });
  return text;
}

/** Creates the invoices resource. */
export function createInvoicesResource(ctx: ResourceContext): InvoicesResource {
  const names = ctx.invoiceListParameters;
  const fetchList = async (
    filters: Omit<InvoiceListOptions, 'pageSize' | 'signal'>,
    startAt: number,
    maxRecords: number,
    signal: AbortSignal | undefined,
  ) =>
    (
      await sendJaggaer(ctx.http, {
        path: ctx.paths.invoices,
        query: {
          [names.startAt]: startAt,
          [names.maxRecords]: maxRecords,
          [names.workflowStatus]: filters.status,
          [names.paymentStatus]: filters.paymentStatus,
          [names.supplierNumber]: filters.supplierNumber,
          [names.lastUpdateFrom]: optionalDate(filters.updatedSince, 'updatedSince'),
          [names.lastUpdateTo]: optionalDate(filters.updatedUntil, 'updatedUntil'),
        },
        schema: invoiceListResponseSchema,
        operation: 'invoices.list',
        ...(signal ? { signal } : {}),
      })
    ).data;

  const get = async (invoiceId: string | number, signal: AbortSignal | undefined): Promise<Invoice> => {
    const path = expandJaggaerPath(ctx.paths.invoice, { invoiceId: invoiceIdText(invoiceId) });
    const { data } = await sendJaggaer(ctx.http, {
      path,
      schema: invoiceResponseSchema,
      operation: 'invoices.get',
      ...(signal ? { signal } : {}),
    });
    const { returnCode: _code, returnMessage: _message, ...record } = data;
    return toInvoice(record);
  };

  /** The full invoice for each entry that needs one; `undefined` for an invoice that is gone (404). */
  const complete = async (invoices: readonly Invoice[], always: boolean, concurrency: number, signal: AbortSignal | undefined) =>
    mapWithConcurrency(
      invoices,
      concurrency,
      async (invoice, taskSignal) => {
        if (!always && invoice.raw.lineList != null) return invoice;
        try {
          return await get(invoice.invoiceId, taskSignal);
        } catch (error) {
          if (isNotFoundError(error)) return undefined;
          throw error;
        }
      },
      signal,
    );

  return {
    get: (invoiceId, options = {}) => get(invoiceId, options.signal),

    list(options = {}) {
      checkPageSize(options.pageSize, 'pageSize');
      // Validate dates now, not on first iteration, so bad input fails where it is written.
      optionalDate(options.updatedSince, 'updatedSince');
      optionalDate(options.updatedUntil, 'updatedUntil');
      const { pageSize, signal, ...filters } = options;
      return paginate(
        startAtTotRecords(
          ({ startAt, maxPageSize, signal: pageSignal }) => fetchList(filters, startAt, maxPageSize ?? pageSize ?? ctx.invoicePageSize, pageSignal),
          (body) => body.jiinvoiceList?.jiinvoice.map(toInvoice),
        ),
        signal ? { signal } : {},
      );
    },

    async withLines(invoices, options = {}) {
      if (!Array.isArray(invoices)) throw new InvalidInputError('invoices must be an array of invoices from list() or poll()', { field: 'invoices' });
      checkPageSize(options.concurrency, 'concurrency');
      const done = await complete(invoices, options.always === true, options.concurrency ?? ctx.invoiceFetchConcurrency, options.signal);
      return done.filter((invoice): invoice is Invoice => invoice !== undefined);
    },

    async poll(options = {}) {
      if (options.cursor !== undefined && options.since !== undefined) {
        throw new InvalidInputError('pass either cursor (to resume) or since (first poll), not both', { field: 'since' });
      }
      const lookbackMs = options.lookbackMs ?? ctx.pollLookbackMs;
      if (!Number.isFinite(lookbackMs) || lookbackMs < 0) {
        throw new InvalidInputError(`lookbackMs must be a non-negative number of milliseconds, got ${String(options.lookbackMs)}`, { field: 'lookbackMs' });
      }
      checkPageSize(options.pageSize, 'pageSize');
      checkPageSize(options.maxInvoices, 'maxInvoices');
      checkPageSize(options.concurrency, 'concurrency');
      const sinceMs = options.since === undefined ? undefined : toEpochMs(options.since, 'since');
      const state: PollState = options.cursor !== undefined ? decodePollCursor(options.cursor) : { seen: [] };
      const until = options.until === undefined ? {} : { updatedUntil: new Date(toEpochMs(options.until, 'until')).toISOString() };
      const filters = { status: options.status, paymentStatus: options.paymentStatus, supplierNumber: options.supplierNumber, ...until };
      const result = await pollChanges(
        async ({ updatedSince, startAt, pageSize, signal }) => {
          const body = await fetchList({ ...filters, ...(updatedSince !== undefined ? { updatedSince } : {}) }, startAt, pageSize, signal);
          const items = body.jiinvoiceList?.jiinvoice.map(toInvoice) ?? [];
          const totRecords = toNumber(body.totRecords);
          if (totRecords === undefined) throw new ResponseValidationError('Invoice list response has no numeric totRecords');
          return { items, totRecords };
        },
        (invoice) => ({ id: invoice.invoiceId, ms: lastUpdateMs(invoice) }),
        {
          state,
          lookbackMs,
          ...(sinceMs !== undefined ? { startFrom: sinceMs } : {}),
          pageSize: options.pageSize ?? ctx.invoicePageSize,
          ...(options.maxInvoices !== undefined ? { maxItems: options.maxInvoices } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
        },
      );
      const full =
        options.withLines === false
          ? result.items
          : await complete(result.items, false, options.concurrency ?? ctx.invoiceFetchConcurrency, options.signal);
      const invoices: Invoice[] = [];
      const notFound: string[] = [];
      const nextState = result.state;
      const seen = new Set(nextState.seen);
      full.forEach((invoice, i) => {
        if (invoice === undefined) {
          notFound.push((result.items[i] as Invoice).invoiceId);
          return;
        }
        invoices.push(invoice);
        // An invoice changed between list and get is delivered in its newer version: remember that one as seen too.
        const ms = lastUpdateMs(invoice);
        if (ms <= lastUpdateMs(result.items[i] as Invoice)) return;
        const key = `${invoice.invoiceId}@${ms}`;
        if (!seen.has(key)) {
          seen.add(key);
          nextState.seen.push(key);
        }
      });
      return {
        invoices,
        notFound,
        ...(nextState.sinceMs !== undefined ? { since: new Date(nextState.sinceMs).toISOString() } : {}),
        cursor: encodePollCursor(nextState),
        complete: result.complete,
        settled: result.settled,
      };
    },

    async importOcr(invoice, options = {}) {
      const body = buildOcrBody(invoice);
      const supplierNumber = invoice.supplierNumber.trim();
      const supplierInvoiceNumber = invoice.supplierInvoiceNumber.trim();
      try {
        const { data } = await sendJaggaer(ctx.http, {
          method: 'POST',
          path: ctx.paths.invoiceOcrImport,
          json: body,
          schema: ocrImportResponseSchema,
          operation: 'invoices.importOcr',
          ...(options.signal ? { signal: options.signal } : {}),
        });
        const out: OcrImportResult = { raw: data as Record<string, unknown> };
        const invoiceId = toText(data.invoiceId);
        const invoiceNumber = toText(data.invoiceNumber);
        const batchId = toText(data.batchId);
        if (invoiceId !== undefined) out.invoiceId = invoiceId;
        if (invoiceNumber !== undefined) out.invoiceNumber = invoiceNumber;
        if (batchId !== undefined) out.batchId = batchId;
        return out;
      } catch (error) {
        if (isConflictError(error) && error.status === 409) throw new DuplicateSupplierInvoiceError(error, supplierNumber, supplierInvoiceNumber);
        throw error;
      }
    },

    async updatePaymentStatus(invoiceId, update, options = {}) {
      const path = expandJaggaerPath(ctx.paths.invoicePaymentStatus, { invoiceId: invoiceIdText(invoiceId) });
      if (typeof update !== 'object' || update === null) throw new InvalidInputError('update is required: { paymentStatus }', { field: 'update' });
      const json: Record<string, unknown> = { paymentStatus: requireText(update.paymentStatus, 'paymentStatus') };
      if (update.paymentDate !== undefined) json.paymentDate = new Date(toEpochMs(update.paymentDate, 'paymentDate')).toISOString().slice(0, 10);
      if (update.paymentReference !== undefined) json.paymentReference = update.paymentReference;
      const { data } = await sendJaggaer(ctx.http, {
        method: 'PUT',
        path,
        json,
        schema: paymentStatusResponseSchema,
        operation: 'invoices.updatePaymentStatus',
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const out: PaymentStatusResult = { raw: data as Record<string, unknown> };
      const id = toText(data.invoiceId);
      const status = toText(data.paymentStatus);
      const lastUpdate = toText(data.lastUpdate);
      if (id !== undefined) out.invoiceId = id;
      if (status !== undefined) out.paymentStatus = status;
      if (lastUpdate !== undefined) out.lastUpdate = lastUpdate;
      return out;
    },
  };
}

const address = (code: string | undefined) => (code === undefined ? undefined : { address: { addressCode: code } });

/** Builds the OCR body `{batchId, batchInfo, invoiceOcr:{invoiceOcrHeader, invoiceOcrLineList:{invoiceOcrLine}}}`. */
export function buildOcrBody(invoice: OcrInvoiceImport): Record<string, unknown> {
  if (typeof invoice !== 'object' || invoice === null) throw new InvalidInputError('invoice is required', { field: 'invoice' });
  const header: Record<string, unknown> = {
    supplierInvoiceNumber: requireText(invoice.supplierInvoiceNumber, 'supplierInvoiceNumber'),
    supplier: { supplierNumber: requireText(invoice.supplierNumber, 'supplierNumber') },
  };
  if (invoice.invoiceType !== undefined) header.invoiceType = invoice.invoiceType;
  if (invoice.invoiceDate !== undefined) header.invoiceDate = new Date(toEpochMs(invoice.invoiceDate, 'invoiceDate')).toISOString();
  if (invoice.businessUnit !== undefined) header.businessUnit = { internalName: invoice.businessUnit };
  const billTo = address(invoice.billToAddressCode);
  const shipTo = address(invoice.shipToAddressCode);
  const remitTo = address(invoice.remitToAddressCode);
  if (billTo) header.billTo = billTo;
  if (shipTo) header.shipTo = shipTo;
  if (remitTo) header.remitTo = remitTo;
  if (invoice.paymentTermsCode !== undefined) header.terms = { standardPaymentTermsCode: invoice.paymentTermsCode };
  if (invoice.notes !== undefined) header.notes = invoice.notes;
  if (!Array.isArray(invoice.lines)) throw new InvalidInputError('lines must be an array of invoice lines', { field: 'lines' });
  const lines = invoice.lines.map((line, i) => {
    const field = `lines[${i}]`;
    if (!Number.isFinite(line?.quantity)) throw new InvalidInputError(`${field}.quantity must be a finite number`, { field: `${field}.quantity` });
    if (!Number.isFinite(line.unitPrice)) throw new InvalidInputError(`${field}.unitPrice must be a finite number`, { field: `${field}.unitPrice` });
    const ocrItem: Record<string, unknown> = { description: requireText(line.description, `${field}.description`) };
    if (line.unitOfMeasure !== undefined) ocrItem.unitOfMeasure = line.unitOfMeasure;
    if (line.packagingAmount !== undefined) ocrItem.packagingAmount = line.packagingAmount;
    const unitPrice: Record<string, unknown> = { money: line.unitPrice };
    const currency = line.currency ?? invoice.currency;
    if (currency !== undefined) unitPrice.currency = currency;
    return { lineNumber: line.lineNumber ?? i + 1, ocrItem, quantity: line.quantity, unitPrice };
  });
  const body: Record<string, unknown> = {};
  if (invoice.batchId !== undefined) body.batchId = invoice.batchId;
  if (invoice.batchInfo !== undefined) body.batchInfo = invoice.batchInfo;
  body.invoiceOcr = { invoiceOcrHeader: header, invoiceOcrLineList: { invoiceOcrLine: lines } };
  return body;
}
