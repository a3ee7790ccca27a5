import { z } from 'zod';
import { normaliseTimestamp } from '../dates.js';
import { type CodingSplit, commonCoding, envelopeSchema, idLike, listOf, numberLike, pagedEnvelopeSchema, readCodingSplits, toNumber, toText } from './common.js';

const moneySchema = z.looseObject({ currency: z.string().nullish(), value: numberLike.nullish() });

const invoiceSupplierSchema = z.looseObject({
  id: idLike.nullish(),
  name: z.string().nullish(),
  supplierNumber: z.string().nullish(),
  duns: z.string().nullish(),
});

/** Wire shape of an invoice header (`ji/v1`); fields we do not model are kept (loose). */
export const invoiceHeaderSchema = z.looseObject({
  invoiceId: idLike,
  invoiceNumber: z.string().nullish(),
  supplierInvoiceNumber: z.string().nullish(),
  invoiceType: z.string().nullish(),
  invoiceLineType: z.string().nullish(),
  invoiceSource: z.string().nullish(),
  invoiceDate: z.string().nullish(),
  dueDate: z.string().nullish(),
  lastUpdate: z.string().nullish(),
  paymentStatus: z.string().nullish(),
  validationStatus: z.string().nullish(),
  matchStatus: z.string().nullish(),
  workflowStatus: z.string().nullish(),
  businessUnit: z.union([z.string(), z.looseObject({ internalName: z.string().nullish() })]).nullish(),
  supplier: invoiceSupplierSchema.nullish(),
  total: moneySchema.nullish(),
});

/** Wire shape of an invoice line (`lineList.invoiceLine[]`); loose. */
export const invoiceLineSchema = z.looseObject({
  lineId: idLike.nullish(),
  lineNumber: numberLike.nullish(),
  item: z
    .looseObject({
      description: z.string().nullish(),
      unitOfMeasure: z.union([z.string(), z.looseObject({ dimension: z.string().nullish() })]).nullish(),
    })
    .nullish(),
  poNumber: z.string().nullish(),
  poLineNumber: idLike.nullish(),
  quantity: numberLike.nullish(),
  unitPrice: z.union([numberLike, moneySchema]).nullish(),
  matchStatus: z.string().nullish(),
});

/** Wire shape of one invoice: `{header, lineList:{invoiceLine:[…]}}` (single GET and list entries). */
export const invoiceRecordSchema = z.looseObject({
  header: invoiceHeaderSchema,
  lineList: z.looseObject({ invoiceLine: listOf(invoiceLineSchema) }).nullish(),
});

/** Wire shape of the single-invoice GET: the record, possibly inside a `{returnCode, …}` envelope. */
export const invoiceResponseSchema = invoiceRecordSchema.extend(envelopeSchema.shape);

/** Wire shape of the invoice list: `{returnCode, totRecords, returnedRecords, startAt, jiinvoiceList:{jiinvoice:[…]}}`. */
export const invoiceListResponseSchema = pagedEnvelopeSchema.extend({
  jiinvoiceList: z.looseObject({ jiinvoice: listOf(invoiceRecordSchema) }).nullish(),
});

/** Wire shape of the OCR import answer. The id fields are as the sandbox sends them (UNCONFIRMED for J1P). */
export const ocrImportResponseSchema = envelopeSchema.extend({
  invoiceId: idLike.nullish(),
  invoiceNumber: z.string().nullish(),
  batchId: z.string().nullish(),
});

/** Wire shape of the payment-status answer (UNCONFIRMED). */
export const paymentStatusResponseSchema = envelopeSchema.extend({
  invoiceId: idLike.nullish(),
  paymentStatus: z.string().nullish(),
  lastUpdate: z.string().nullish(),
});

/** An invoice record as received (validated, unknown fields kept). */
export type InvoiceRecord = z.infer<typeof invoiceRecordSchema>;

/** The supplier on an invoice header. */
export interface InvoiceSupplier {
  /** JAGGAER's company id (`bravoId`). */
  id?: string;
  /** Supplier name. */
  name?: string;
  /** The ERP's supplier number. */
  supplierNumber?: string;
  /** DUNS number or `DNP`. */
  duns?: string;
}

/** One invoice line. */
export interface InvoiceLine {
  /** JAGGAER's line id. */
  lineId?: string;
  /** 1-based line number. */
  lineNumber?: number;
  /** Item description. */
  description?: string;
  /** Unit of measure (from `item.unitOfMeasure` or its `dimension`). */
  unitOfMeasure?: string;
  /** Invoiced quantity. */
  quantity?: number;
  /** Unit price. */
  unitPrice?: number;
  /** Matched purchase order number. */
  poNumber?: string;
  /** Matched purchase-order line number. */
  poLineNumber?: string;
  /** Line match status. */
  matchStatus?: string;
  /**
   * Line-level accounting coding as `{internalName: value}` (e.g. `{account:'8110', department:'ADM'}`). When the line
   * is split, only the segments every split shares; the splits are in `codingSplits`.
   */
  coding: Record<string, string>;
  /** Every split of the line's coding with its share (one entry when unsplit, none when the line has no coding). */
  codingSplits: CodingSplit[];
  /** The line as received, including fields this model does not name. */
  raw: Record<string, unknown>;
}

/** A JAGGAER Invoicing (`ji/v1`) invoice with header and lines. */
export interface Invoice {
  /** JAGGAER's invoice id (path parameter of the single-invoice GET). */
  invoiceId: string;
  /** JAGGAER invoice number. */
  invoiceNumber?: string;
  /** The supplier's own invoice number (unique per supplier). */
  supplierInvoiceNumber?: string;
  /** `Invoice` or `Credit memo`. */
  invoiceType?: string;
  /** `Manual`, `Automated`, `OCR`, … */
  invoiceSource?: string;
  /** Invoice date as sent. */
  invoiceDate?: string;
  /** Due date as sent. */
  dueDate?: string;
  /** Last change as ISO 8601 (UTC); what polling orders and filters by. */
  lastUpdate?: string;
  /** Payment status, e.g. `Unpaid`, `Payable`, `Paid`. */
  paymentStatus?: string;
  /** Approval workflow status, e.g. `Approved`. */
  workflowStatus?: string;
  /** Match status. */
  matchStatus?: string;
  /** Validation status. */
  validationStatus?: string;
  /** Business unit internal name. */
  businessUnit?: string;
  /** Supplier reference. */
  supplier?: InvoiceSupplier;
  /** Invoice total. */
  total?: { currency?: string; value?: number };
  /** Header-level accounting coding as `{internalName: value}` (what all splits share); empty when lines carry their own. */
  coding: Record<string, string>;
  /** Every split of the header-level coding with its share. */
  codingSplits: CodingSplit[];
  /** Lines (empty when the list endpoint sends headers only). */
  lines: InvoiceLine[];
  /** The whole record as received (`{header, lineList}`), including fields this model does not name. */
  raw: InvoiceRecord;
}

const dropUndefined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

function toLine(line: z.infer<typeof invoiceLineSchema>): InvoiceLine {
  const splits = readCodingSplits((line as Record<string, unknown>).splittableFieldSetGroupList);
  const uom = line.item?.unitOfMeasure;
  const price = line.unitPrice;
  return dropUndefined({
    lineId: toText(line.lineId),
    lineNumber: toNumber(line.lineNumber),
    description: toText(line.item?.description),
    unitOfMeasure: typeof uom === 'string' ? uom : toText(uom?.dimension),
    quantity: toNumber(line.quantity),
    unitPrice: typeof price === 'object' && price !== null ? toNumber(price.value ?? (price as Record<string, unknown>).money) : toNumber(price),
    poNumber: toText(line.poNumber),
    poLineNumber: toText(line.poLineNumber),
    matchStatus: toText(line.matchStatus),
    coding: commonCoding(splits),
    codingSplits: splits,
    raw: line as Record<string, unknown>,
  });
}

/** Maps a validated wire record to the {@link Invoice} model. */
export function toInvoice(record: InvoiceRecord): Invoice {
  const h = record.header;
  const bu = h.businessUnit;
  const supplier = h.supplier
    ? dropUndefined({ id: toText(h.supplier.id), name: toText(h.supplier.name), supplierNumber: toText(h.supplier.supplierNumber), duns: toText(h.supplier.duns) })
    : undefined;
  const splits = readCodingSplits((h as Record<string, unknown>).splittableFieldSetGroupList);
  const total = h.total ? dropUndefined({ currency: toText(h.total.currency), value: toNumber(h.total.value) }) : undefined;
  return dropUndefined({
    invoiceId: String(h.invoiceId),
    invoiceNumber: toText(h.invoiceNumber),
    supplierInvoiceNumber: toText(h.supplierInvoiceNumber),
    invoiceType: toText(h.invoiceType),
    invoiceSource: toText(h.invoiceSource),
    invoiceDate: toText(h.invoiceDate),
    dueDate: toText(h.dueDate),
    lastUpdate: normaliseTimestamp(toText(h.lastUpdate)),
    paymentStatus: toText(h.paymentStatus),
    workflowStatus: toText(h.workflowStatus),
    matchStatus: toText(h.matchStatus),
    validationStatus: toText(h.validationStatus),
    businessUnit: typeof bu === 'string' ? bu : toText(bu?.internalName),
    supplier,
    total,
    coding: commonCoding(splits),
    codingSplits: splits,
    lines: (record.lineList?.invoiceLine ?? []).map(toLine),
    raw: record,
  });
}
