import { InvalidInputError, type ODataValue, type PagedAsyncIterable } from '@ml-connector/core';
import type { ServiceField } from '../services.js';
import type { NavRecord, NavRecordInput } from '../schemas/records.js';
import { type NavContext, type NavEtagOptions, type NavListOptions, entitySet } from './entity-set.js';

/** A purchase order header (Purchase Order page). */
export type NavPurchaseOrder = NavRecord<'purchaseOrders'>;
/** A purchase order line. */
export type NavPurchaseOrderLine = NavRecord<'purchaseOrderLines'>;
/** A purchase invoice header (Purchase Invoice page; unposted). */
export type NavPurchaseInvoice = NavRecord<'purchaseInvoices'>;
/** A purchase invoice line. */
export type NavPurchaseInvoiceLine = NavRecord<'purchaseInvoiceLines'>;

/** Services holding purchase document headers. */
export type HeaderService = 'purchaseOrders' | 'purchaseInvoices';
/** Services holding purchase document lines. */
export type LineService = 'purchaseOrderLines' | 'purchaseInvoiceLines';

/** Field values of a new document line: `type` (`G/L Account`, `Item`, …), `number`, quantity, cost, dimensions. */
export type NavDocumentLineInput<L extends LineService> = Omit<NavRecordInput<L>, 'documentType' | 'documentNumber'>;

/** A purchase document page and its lines page (composite keys `Document_Type`, `No` / `Document_No`, `Line_No`). */
export interface NavPurchaseDocumentsResource<H extends HeaderService, L extends LineService> {
  /** Lists documents of this type. */
  list(options?: NavListOptions<H>): PagedAsyncIterable<NavRecord<H>>;
  /**
   * Batched lookup: the documents of this type whose `field` is one of `values` (and that match `where`), in as
   * few requests as the URL limit allows. Example: `purchaseOrders.listIn('vendorOrderNumber', ['PO-00001', 'PO-00002'])`.
   */
  listIn(field: ServiceField<H>, values: readonly ODataValue[], options?: NavListOptions<H>): Promise<NavRecord<H>[]>;
  /** Reads one document by number. */
  get(number: string, options?: { signal?: AbortSignal }): Promise<NavRecord<H>>;
  /**
   * Creates a document header, then its lines (numbered 10000, 20000, … unless given). Not atomic: when a line
   * fails the header stays; the error says which line failed, and `lines.create` can add the rest.
   */
  create(header: Omit<NavRecordInput<H>, 'documentType'>, lines?: readonly NavDocumentLineInput<L>[], options?: { signal?: AbortSignal }): Promise<{ header: NavRecord<H>; lines: NavRecord<L>[] }>;
  /** Changes header fields with `If-Match`. */
  update(number: string, patch: Omit<NavRecordInput<H>, 'documentType' | 'number'>, options: NavEtagOptions): Promise<NavRecord<H>>;
  /** The document's lines. */
  readonly lines: {
    /** Lists the lines of one document. */
    list(documentNumber: string, options?: NavListOptions<L>): PagedAsyncIterable<NavRecord<L>>;
    /** Adds a line to a document. */
    create(documentNumber: string, line: NavDocumentLineInput<L>, options?: { signal?: AbortSignal }): Promise<NavRecord<L>>;
    /** Changes a line with `If-Match`. */
    update(documentNumber: string, lineNumber: number, patch: Omit<NavDocumentLineInput<L>, 'lineNumber'>, options: NavEtagOptions): Promise<NavRecord<L>>;
    /** Deletes a line of an open document with `If-Match`. */
    delete(documentNumber: string, lineNumber: number, options: NavEtagOptions): Promise<void>;
  };
}

/** Builds a purchase document resource for `documentType` (`Order` or `Invoice`). */
export function purchaseDocumentsResource<H extends HeaderService, L extends LineService>(
  context: NavContext,
  headerService: H,
  lineService: L,
  documentType: 'Order' | 'Invoice',
): NavPurchaseDocumentsResource<H, L> {
  const headers = entitySet(context, headerService);
  const lines = entitySet(context, lineService);
  const fixedType = { documentType } as Record<string, string>;
  const createLine = (documentNumber: string, line: NavDocumentLineInput<L>, index: number, signal?: AbortSignal) =>
    lines.create(
      { lineNumber: (index + 1) * 10_000, ...line } as NavRecordInput<L>,
      `${lineService}.create`,
      { ...fixedType, documentNumber },
      signal,
    );
  return {
    list: (options) => headers.list(options, `${headerService}.list`, fixedType),
    listIn: (field, values, options) => headers.listIn(field, values, options, `${headerService}.listIn`, fixedType),
    get: (number, options = {}) => headers.get({ ...fixedType, number }, `${headerService}.get`, options.signal),
    async create(header, lineInputs = [], options = {}) {
      if (!Array.isArray(lineInputs)) throw new InvalidInputError(`${headerService}.create lines must be an array`, { field: 'lines' });
      const created = await headers.create(header as NavRecordInput<H>, `${headerService}.create`, fixedType, options.signal);
      const number = (created as Record<string, unknown>)['number'] as string;
      const createdLines: NavRecord<L>[] = [];
      for (const [index, line] of lineInputs.entries()) createdLines.push(await createLine(number, line, index, options.signal));
      return { header: created, lines: createdLines };
    },
    update: (number, patch, options) => headers.update({ ...fixedType, number }, patch as NavRecordInput<H>, options, `${headerService}.update`),
    lines: {
      list: (documentNumber, options) => lines.list(options, `${lineService}.list`, { ...fixedType, documentNumber }),
      create: async (documentNumber, line, options = {}) => {
        const existing = await lines.list({ orderBy: ['lineNumber'] as never }, `${lineService}.list`, { ...fixedType, documentNumber }).toArray({ limit: 10_000 });
        const last = existing.reduce((max, l) => Math.max(max, Number((l as Record<string, unknown>)['lineNumber'] ?? 0)), 0);
        return lines.create({ lineNumber: last + 10_000, ...line } as NavRecordInput<L>, `${lineService}.create`, { ...fixedType, documentNumber }, options.signal);
      },
      update: (documentNumber, lineNumber, patch, options) =>
        lines.update({ ...fixedType, documentNumber, lineNumber }, patch as NavRecordInput<L>, options, `${lineService}.update`),
      delete: (documentNumber, lineNumber, options) => lines.remove({ ...fixedType, documentNumber, lineNumber }, options, `${lineService}.delete`),
    },
  };
}
