import { z } from 'zod';
import { type Conforms, type Entity, type V1CommonFields, guid, isoDate, isoDateTime, odataEtag } from './common.js';
import { documentLineFields } from './document-line.js';
import { type DimensionSetLine, type DimensionSetLineInput, dimensionSetLineSchema } from './dimension.js';
import { type DocumentLineType, type PurchaseInvoiceStatus, type UnknownEnumMember, enumMember } from './enums.js';

/** Purchase invoice fields that v1.0 and v2.0 share (v1.0 OpenAPI schema `purchaseInvoice`). */
export type PurchaseInvoiceCommonFields = V1CommonFields<
  'purchaseInvoice',
  | 'id'
  | 'number'
  | 'invoiceDate'
  | 'dueDate'
  | 'vendorInvoiceNumber'
  | 'vendorId'
  | 'vendorNumber'
  | 'vendorName'
  | 'payToName'
  | 'payToContact'
  | 'payToVendorId'
  | 'payToVendorNumber'
  | 'shipToName'
  | 'shipToContact'
  | 'currencyId'
  | 'currencyCode'
  | 'pricesIncludeTax'
  | 'discountAmount'
  | 'discountAppliedBeforeTax'
  | 'totalAmountExcludingTax'
  | 'totalTaxAmount'
  | 'totalAmountIncludingTax'
  | 'lastModifiedDateTime'
>;

/** Purchase invoice line fields that v1.0 and v2.0 share (v1.0 OpenAPI schema `purchaseInvoiceLine`). */
export type PurchaseInvoiceLineCommonFields = V1CommonFields<
  'purchaseInvoiceLine',
  | 'id'
  | 'documentId'
  | 'sequence'
  | 'itemId'
  | 'accountId'
  | 'lineType'
  | 'description'
  | 'unitCost'
  | 'quantity'
  | 'discountAmount'
  | 'discountPercent'
  | 'discountAppliedBeforeTax'
  | 'amountExcludingTax'
  | 'taxCode'
  | 'taxPercent'
  | 'totalTaxAmount'
  | 'amountIncludingTax'
  | 'invoiceDiscountAllocation'
  | 'netAmount'
  | 'netTaxAmount'
  | 'netAmountIncludingTax'
  | 'expectedReceiptDate'
>;

/** Purchase invoice line fields as modelled by this client (v2.0). */
export interface PurchaseInvoiceLineFields extends Omit<PurchaseInvoiceLineCommonFields, 'lineType'> {
  /** Line type, decoded (`Fixed_x0020_Asset` → `Fixed Asset`); an unknown member is kept as its text. */
  lineType: DocumentLineType | UnknownEnumMember;
  /** v2.0: number of the item/account/… the line refers to (v1.0 has the `lineDetails` complex type instead). */
  lineObjectNumber?: string;
  /** v2.0: second description line. */
  description2?: string;
  /** v2.0: unit of measure id (v1.0: `unitOfMeasure` complex type). */
  unitOfMeasureId?: string;
  /** v2.0: unit of measure code. */
  unitOfMeasureCode?: string;
  /** v2.0: item variant. */
  itemVariantId?: string;
  /** v2.0: location. */
  locationId?: string;
  /** v2.0: dimension set lines, present when expanded. */
  dimensionSetLines?: DimensionSetLine[];
}
/** A purchase invoice line. */
export type PurchaseInvoiceLine = Entity<PurchaseInvoiceLineFields>;

/** Purchase invoice fields as modelled by this client (v2.0). */
export interface PurchaseInvoiceFields extends PurchaseInvoiceCommonFields {
  /** Status, decoded (`In_x0020_Review` → `In Review`); `'Paid'` once fully paid (see `isPaid`). */
  status: PurchaseInvoiceStatus | UnknownEnumMember;
  /** v2.0: posting date. */
  postingDate?: string;
  /** v2.0: purchaser code. */
  purchaser?: string;
  /** v2.0: id of the purchase order the invoice was created from (read-only). */
  orderId?: string;
  /** v2.0: number of that order (read-only). */
  orderNumber?: string;
  /** v2.0: global dimension 1 value code. */
  shortcutDimension1Code?: string;
  /** v2.0: global dimension 2 value code. */
  shortcutDimension2Code?: string;
  /** v2.0 flat buy-from address (v1.0: `buyFromAddress` object). */
  buyFromAddressLine1?: string;
  /** v2.0 flat buy-from address. */
  buyFromAddressLine2?: string;
  /** v2.0 flat buy-from address. */
  buyFromCity?: string;
  /** v2.0 flat buy-from address. */
  buyFromCountry?: string;
  /** v2.0 flat buy-from address. */
  buyFromState?: string;
  /** v2.0 flat buy-from address. */
  buyFromPostCode?: string;
  /** v2.0: lines, present when expanded. */
  purchaseInvoiceLines?: PurchaseInvoiceLine[];
  /** v2.0: dimension set lines, present when expanded. */
  dimensionSetLines?: DimensionSetLine[];
}
/** A purchase invoice. */
export type PurchaseInvoice = Entity<PurchaseInvoiceFields>;

/**
 * Purchase invoice fields Business Central computes or controls. The client removes them (and any `@odata.*`
 * annotation and `etag`) from POST/PATCH bodies, so an entity read earlier can be edited and sent back.
 */
export const PURCHASE_INVOICE_READ_ONLY_FIELDS = [
  'id',
  'number',
  'orderId',
  'orderNumber',
  'status',
  // Editable = false on APIV2PurchaseInvoices.Page.al: BC fills them from the vendor.
  'vendorName',
  'payToName',
  'payToContact',
  'payToAddressLine1',
  'payToAddressLine2',
  'payToCity',
  'payToCountry',
  'payToState',
  'payToPostCode',
  'discountAppliedBeforeTax',
  'totalAmountExcludingTax',
  'totalTaxAmount',
  'totalAmountIncludingTax',
  'lastModifiedDateTime',
] as const;

/** Purchase invoice line fields Business Central computes; removed from POST/PATCH bodies. */
export const PURCHASE_INVOICE_LINE_READ_ONLY_FIELDS = [
  'id',
  'discountAppliedBeforeTax',
  'amountExcludingTax',
  'taxPercent',
  'totalTaxAmount',
  'amountIncludingTax',
  'invoiceDiscountAllocation',
  'netAmount',
  'netTaxAmount',
  'netAmountIncludingTax',
] as const;

/** A purchase invoice line to create: writable fields plus optional dimension set lines (deep insert). */
export type PurchaseInvoiceLineCreate = Partial<
  Omit<PurchaseInvoiceLineFields, (typeof PURCHASE_INVOICE_LINE_READ_ONLY_FIELDS)[number] | 'dimensionSetLines' | 'lineType'>
> & {
  /** Only the known members: a typo such as `'Acount'` fails to compile. Sent encoded (`Fixed_x0020_Asset`). */
  lineType?: DocumentLineType;
  dimensionSetLines?: DimensionSetLineInput[];
} & Record<string, unknown>;
/**
 * Fields to change on a purchase invoice line (navigation properties cannot be deep-updated; BC refuses a
 * change of `lineObjectNumber` once set, and of `sequence` and `documentId`).
 */
export type PurchaseInvoiceLineUpdate = Partial<
  Omit<PurchaseInvoiceLineFields, (typeof PURCHASE_INVOICE_LINE_READ_ONLY_FIELDS)[number] | 'dimensionSetLines'>
> &
  Record<string, unknown>;

/** A draft purchase invoice to create, with lines and dimension set lines inserted in the same request. */
export type PurchaseInvoiceCreate = Partial<
  Omit<PurchaseInvoiceFields, (typeof PURCHASE_INVOICE_READ_ONLY_FIELDS)[number] | 'purchaseInvoiceLines' | 'dimensionSetLines'>
> & {
  /** Lines created together with the header (deep insert). */
  purchaseInvoiceLines?: PurchaseInvoiceLineCreate[];
  /** Header dimensions created together with the header (deep insert). */
  dimensionSetLines?: DimensionSetLineInput[];
} & Record<string, unknown>;
/** Fields to change on a draft purchase invoice. Lines are changed through `lines(invoiceId)`. */
export type PurchaseInvoiceUpdate = Partial<
  Omit<PurchaseInvoiceFields, (typeof PURCHASE_INVOICE_READ_ONLY_FIELDS)[number] | 'purchaseInvoiceLines' | 'dimensionSetLines'>
> &
  Record<string, unknown>;

/** zod schema of a purchase invoice line response. */
export const purchaseInvoiceLineSchema = z.looseObject({
  ...documentLineFields,
  description2: z.string().optional(),
  unitOfMeasureId: guid.optional(),
  unitOfMeasureCode: z.string().optional(),
  unitCost: z.number(),
  quantity: z.number(),
  discountAmount: z.number(),
  discountPercent: z.number(),
  discountAppliedBeforeTax: z.boolean(),
  amountExcludingTax: z.number(),
  taxCode: z.string(),
  taxPercent: z.number(),
  totalTaxAmount: z.number(),
  amountIncludingTax: z.number(),
  invoiceDiscountAllocation: z.number(),
  netAmount: z.number(),
  netTaxAmount: z.number(),
  netAmountIncludingTax: z.number(),
  expectedReceiptDate: isoDate,
  itemVariantId: guid.optional(),
  locationId: guid.optional(),
});

/** zod schema of a purchase invoice response. */
export const purchaseInvoiceSchema = z.looseObject({
  ...odataEtag,
  id: guid,
  number: z.string(),
  postingDate: isoDate.optional(),
  invoiceDate: isoDate,
  dueDate: isoDate,
  vendorInvoiceNumber: z.string(),
  vendorId: guid,
  vendorNumber: z.string(),
  vendorName: z.string(),
  payToName: z.string(),
  payToContact: z.string(),
  payToVendorId: guid,
  payToVendorNumber: z.string(),
  shipToName: z.string(),
  shipToContact: z.string(),
  buyFromAddressLine1: z.string().optional(),
  buyFromAddressLine2: z.string().optional(),
  buyFromCity: z.string().optional(),
  buyFromCountry: z.string().optional(),
  buyFromState: z.string().optional(),
  buyFromPostCode: z.string().optional(),
  shortcutDimension1Code: z.string().optional(),
  shortcutDimension2Code: z.string().optional(),
  currencyId: guid,
  currencyCode: z.string(),
  orderId: guid.optional(),
  orderNumber: z.string().optional(),
  purchaser: z.string().optional(),
  pricesIncludeTax: z.boolean(),
  discountAmount: z.number(),
  discountAppliedBeforeTax: z.boolean(),
  totalAmountExcludingTax: z.number(),
  totalTaxAmount: z.number(),
  totalAmountIncludingTax: z.number(),
  status: enumMember<PurchaseInvoiceStatus>(),
  lastModifiedDateTime: isoDateTime,
  purchaseInvoiceLines: z.array(purchaseInvoiceLineSchema).optional(),
  dimensionSetLines: z.array(dimensionSetLineSchema).optional(),
});

type _PurchaseInvoiceChecks = [
  Conforms<z.infer<typeof purchaseInvoiceSchema>, PurchaseInvoiceCommonFields>,
  Conforms<z.infer<typeof purchaseInvoiceLineSchema>, PurchaseInvoiceLineCommonFields>,
];
