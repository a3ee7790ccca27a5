import { z } from 'zod';
import { type Entity, guid, isoDate, isoDateTime, odataEtag } from './common.js';
import { documentLineFields } from './document-line.js';
import { type DimensionSetLine, dimensionSetLineSchema } from './dimension.js';
import { type DocumentLineType, type PurchaseOrderStatus, type UnknownEnumMember, enumMember } from './enums.js';

// v1.0 has no purchaseOrders: these models follow the v2.0 resource docs only (BCDOCS dynamics_purchaseorder.md).

/** Purchase order line fields (v2.0 only). */
export interface PurchaseOrderLineFields {
  /** Line id. */
  id: string;
  /** Id of the order. */
  documentId: string;
  /** Line number within the order. */
  sequence: number;
  /** Item id, or the empty GUID. */
  itemId: string;
  /** G/L account id, or the empty GUID. */
  accountId: string;
  /** `Comment`, `Account`, `Item`, … (decoded). */
  lineType: DocumentLineType | UnknownEnumMember;
  /** Number of the item/account the line refers to. */
  lineObjectNumber?: string;
  /** Description. */
  description: string;
  /** Ordered quantity. */
  quantity: number;
  /** Direct unit cost. */
  directUnitCost: number;
  /** Amount excluding tax. */
  amountExcludingTax?: number;
  /** Amount including tax. */
  amountIncludingTax?: number;
  /** Quantity received so far. */
  receivedQuantity: number;
  /** Quantity invoiced so far. */
  invoicedQuantity: number;
  /** Quantity to invoice next. */
  invoiceQuantity?: number;
  /** Quantity to receive next. */
  receiveQuantity?: number;
  /** Expected receipt date. */
  expectedReceiptDate?: string;
  /** Dimension set lines, when expanded. */
  dimensionSetLines?: DimensionSetLine[];
}
/** A purchase order line. */
export type PurchaseOrderLine = Entity<PurchaseOrderLineFields>;

/** Purchase order fields (v2.0 only). */
export interface PurchaseOrderFields {
  /** Order id. */
  id: string;
  /** Order number. */
  number: string;
  /** Order date. */
  orderDate: string;
  /** Posting date. */
  postingDate?: string;
  /** Vendor id. */
  vendorId: string;
  /** Vendor number. */
  vendorNumber: string;
  /** Vendor name. */
  vendorName: string;
  /** Requested receipt date. */
  requestedReceiptDate?: string;
  /** Currency code. */
  currencyCode: string;
  /** Whether everything was received. */
  fullyReceived: boolean;
  /** `Draft`, `In Review`, `Open`, … (decoded). */
  status: PurchaseOrderStatus | UnknownEnumMember;
  /** Totals (read-only). */
  totalAmountExcludingTax: number;
  /** Totals (read-only). */
  totalTaxAmount: number;
  /** Totals (read-only). */
  totalAmountIncludingTax: number;
  /** Last change, for delta reads. */
  lastModifiedDateTime: string;
  /** Lines, when expanded. */
  purchaseOrderLines?: PurchaseOrderLine[];
  /** Dimension set lines, when expanded. */
  dimensionSetLines?: DimensionSetLine[];
}
/** A purchase order. */
export type PurchaseOrder = Entity<PurchaseOrderFields>;

/** zod schema of a purchase order line response. */
export const purchaseOrderLineSchema = z.looseObject({
  ...documentLineFields,
  quantity: z.number(),
  directUnitCost: z.number(),
  amountExcludingTax: z.number().optional(),
  amountIncludingTax: z.number().optional(),
  receivedQuantity: z.number(),
  invoicedQuantity: z.number(),
  invoiceQuantity: z.number().optional(),
  receiveQuantity: z.number().optional(),
  expectedReceiptDate: isoDate.optional(),
});

/** zod schema of a purchase order response. */
export const purchaseOrderSchema = z.looseObject({
  ...odataEtag,
  id: guid,
  number: z.string(),
  orderDate: isoDate,
  postingDate: isoDate.optional(),
  vendorId: guid,
  vendorNumber: z.string(),
  vendorName: z.string(),
  requestedReceiptDate: isoDate.optional(),
  currencyCode: z.string(),
  fullyReceived: z.boolean(),
  status: enumMember<PurchaseOrderStatus>(),
  totalAmountExcludingTax: z.number(),
  totalTaxAmount: z.number(),
  totalAmountIncludingTax: z.number(),
  lastModifiedDateTime: isoDateTime,
  purchaseOrderLines: z.array(purchaseOrderLineSchema).optional(),
  dimensionSetLines: z.array(dimensionSetLineSchema).optional(),
});
