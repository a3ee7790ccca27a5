import { z } from 'zod';
import { childArray, itemMeta, optNumber, optString, whoColumns } from './common.js';

/** An invoice distribution (`invoices/{id}/child/invoiceLines/{id}/child/invoiceDistributions`). */
export const invoiceDistributionSchema = z.looseObject({
  ...itemMeta,
  InvoiceDistributionId: z.number(),
  DistributionLineNumber: z.number(),
  DistributionLineType: optString,
  DistributionAmount: optNumber,
  DistributionCombination: optString,
  AccountingDate: optString,
});
/** An invoice distribution. */
export type InvoiceDistribution = z.infer<typeof invoiceDistributionSchema>;

/** An invoice line (`invoices/{invoicesUniqID}/child/invoiceLines`). */
export const invoiceLineSchema = z.looseObject({
  ...itemMeta,
  LineNumber: z.number(),
  LineType: z.string(),
  LineAmount: z.number(),
  Description: optString,
  Quantity: optNumber,
  UnitPrice: optNumber,
  PurchaseOrderNumber: optString,
  PurchaseOrderLineNumber: optNumber,
  PurchaseOrderScheduleLineNumber: optNumber,
  DistributionCombination: optString,
  invoiceDistributions: childArray(invoiceDistributionSchema),
});
/** An invoice line. */
export type InvoiceLine = z.infer<typeof invoiceLineSchema>;

/** An installment (`invoices/{invoicesUniqID}/child/invoiceInstallments`). */
export const invoiceInstallmentSchema = z.looseObject({
  ...itemMeta,
  InstallmentNumber: z.number(),
  DueDate: optString,
  GrossAmount: optNumber,
  UnpaidAmount: optNumber,
  PaymentMethod: optString,
  HoldFlag: z.boolean().nullish(),
});
/** An invoice installment. */
export type InvoiceInstallment = z.infer<typeof invoiceInstallmentSchema>;

/** A payables invoice (`/invoices`; item key `invoicesUniqID` is an opaque hash: follow the `self` link). */
export const invoiceSchema = z.looseObject({
  ...itemMeta,
  InvoiceId: z.number(),
  InvoiceNumber: z.string(),
  InvoiceCurrency: z.string(),
  InvoiceAmount: z.number(),
  InvoiceDate: z.string(),
  BusinessUnit: optString,
  Supplier: z.string(),
  SupplierNumber: optString,
  SupplierSite: optString,
  InvoiceType: optString,
  Description: optString,
  ValidationStatus: optString,
  ApprovalStatus: optString,
  PaidStatus: optString,
  CanceledFlag: z.boolean().nullish(),
  PaymentCurrency: optString,
  ...whoColumns,
  invoiceLines: childArray(invoiceLineSchema),
  invoiceInstallments: childArray(invoiceInstallmentSchema),
});
/** A payables invoice. */
export type Invoice = z.infer<typeof invoiceSchema>;

/** A line of an invoice create (documented example fields). */
export interface InvoiceLineCreate {
  /** Line number. */
  LineNumber: number;
  /** `Item`, `Freight`, `Miscellaneous`, `Tax`. */
  LineType: string;
  /** Line amount. */
  LineAmount: number;
  /** Quantity (PO-matched lines). */
  Quantity?: number;
  /** Unit price. */
  UnitPrice?: number;
  /** Description. */
  Description?: string;
  /** Matched PO number. */
  PurchaseOrderNumber?: string;
  /** Matched PO line. */
  PurchaseOrderLineNumber?: number;
  /** Matched PO schedule. */
  PurchaseOrderScheduleLineNumber?: number;
  /** Distribution combination, e.g. `101.10.8110.000`. */
  DistributionCombination?: string;
  /** Other attributes. */
  [attribute: string]: unknown;
}

/** Body of `POST /invoices` (deep insert of lines allowed). */
export interface InvoiceCreate {
  /** Supplier invoice number. */
  InvoiceNumber: string;
  /** Currency code. */
  InvoiceCurrency: string;
  /** Total amount. */
  InvoiceAmount: number;
  /** Invoice date `YYYY-MM-DD`. */
  InvoiceDate: string;
  /** Business unit name. */
  BusinessUnit: string;
  /** Supplier name. */
  Supplier: string;
  /** Supplier site. */
  SupplierSite: string;
  /** Invoice group. */
  InvoiceGroup?: string;
  /** Description. */
  Description?: string;
  /** Lines created with the header. */
  invoiceLines?: InvoiceLineCreate[];
  /** Other attributes. */
  [attribute: string]: unknown;
}

/** Body of an invoice update. */
export type InvoiceUpdate = Partial<Omit<InvoiceCreate, 'invoiceLines'>>;
