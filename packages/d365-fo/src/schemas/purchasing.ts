import { z } from 'zod';
import { type CdmFields, type Entity, type FieldsOf, dataAreaId, foDateTime, noYes, odataEtag, foEnum } from './common.js';

/** `PurchaseOrderStatus` enum members (`PurchStatus`). */
export const purchaseOrderStatus = foEnum(['Backorder', 'Received', 'Invoiced', 'Canceled', 'None']);
/** `DocumentApprovalStatus` enum members (`VersioningDocumentState`); `Confirmed` is the confirmed order. */
export const documentApprovalStatus = foEnum(['Draft', 'InReview', 'Rejected', 'Approved', 'InExternalReview', 'Confirmed', 'Finalized']);

/** `PurchaseOrderHeadersV2` fields modelled by this client (CDM `PurchPurchaseOrderHeaderV2Entity`). */
export type PurchaseOrderHeaderField = CdmFields<
  'PurchPurchaseOrderHeaderV2Entity',
  | 'dataAreaId'
  | 'PurchaseOrderNumber'
  | 'PurchaseOrderName'
  | 'OrderVendorAccountNumber'
  | 'InvoiceVendorAccountNumber'
  | 'PurchaseOrderStatus'
  | 'DocumentApprovalStatus'
  | 'CurrencyCode'
  | 'RequestedDeliveryDate'
  | 'AccountingDate'
  | 'PaymentTermsName'
  | 'DefaultLedgerDimensionDisplayValue'
>;

/** zod schema of one `PurchaseOrderHeadersV2` record. */
export const purchaseOrderHeaderSchema = z.looseObject({
  ...odataEtag,
  dataAreaId,
  PurchaseOrderNumber: z.string(),
  PurchaseOrderName: z.string().optional(),
  OrderVendorAccountNumber: z.string(),
  InvoiceVendorAccountNumber: z.string().optional(),
  PurchaseOrderStatus: purchaseOrderStatus,
  DocumentApprovalStatus: documentApprovalStatus,
  CurrencyCode: z.string(),
  RequestedDeliveryDate: foDateTime.optional(),
  AccountingDate: foDateTime.optional(),
  PaymentTermsName: z.string().optional(),
  DefaultLedgerDimensionDisplayValue: z.string().optional(),
} satisfies Record<PurchaseOrderHeaderField | '@odata.etag', z.ZodType>);
/** Modelled purchase order header fields. */
export type PurchaseOrderHeaderFields = FieldsOf<typeof purchaseOrderHeaderSchema>;
/** A purchase order header. */
export type PurchaseOrderHeader = Entity<PurchaseOrderHeaderFields>;

/** `PurchaseOrderLinesV2` fields modelled by this client (CDM `PurchPurchaseOrderLineV2Entity`). */
export type PurchaseOrderLineField = CdmFields<
  'PurchPurchaseOrderLineV2Entity',
  | 'dataAreaId'
  | 'PurchaseOrderNumber'
  | 'LineNumber'
  | 'ItemNumber'
  | 'LineDescription'
  | 'ProcurementProductCategoryName'
  | 'OrderedPurchaseQuantity'
  | 'PurchaseUnitSymbol'
  | 'PurchasePrice'
  | 'LineAmount'
  | 'MainAccountId'
  | 'PurchaseOrderLineStatus'
  | 'DefaultLedgerDimensionDisplayValue'
>;

/** zod schema of one `PurchaseOrderLinesV2` record. */
export const purchaseOrderLineSchema = z.looseObject({
  ...odataEtag,
  dataAreaId,
  PurchaseOrderNumber: z.string(),
  LineNumber: z.number().int(),
  ItemNumber: z.string().optional(),
  LineDescription: z.string().optional(),
  ProcurementProductCategoryName: z.string().optional(),
  OrderedPurchaseQuantity: z.number(),
  PurchaseUnitSymbol: z.string().optional(),
  PurchasePrice: z.number(),
  LineAmount: z.number(),
  MainAccountId: z.string().optional(),
  PurchaseOrderLineStatus: purchaseOrderStatus,
  DefaultLedgerDimensionDisplayValue: z.string().optional(),
} satisfies Record<PurchaseOrderLineField | '@odata.etag', z.ZodType>);
/** Modelled purchase order line fields. */
export type PurchaseOrderLineFields = FieldsOf<typeof purchaseOrderLineSchema>;
/** A purchase order line. */
export type PurchaseOrderLine = Entity<PurchaseOrderLineFields>;

/**
 * `ReleasedProductsV2` (entity `EcoResReleasedProductV2Entity`): catalog items. No CDM definition was available
 * here, so the field names are UNCONFIRMED (taken from the commonly documented entity shape).
 */
export const releasedProductSchema = z.looseObject({
  ...odataEtag,
  dataAreaId,
  ItemNumber: z.string(),
  ProductName: z.string().optional(),
  SearchName: z.string().optional(),
  ProductType: z.string().optional(),
  ItemModelGroupId: z.string().optional(),
  PurchaseUnitSymbol: z.string().optional(),
  PurchasePrice: z.number().optional(),
  ProcurementProductCategoryName: z.string().optional(),
});
/** Modelled released product fields. */
export type ReleasedProductFields = FieldsOf<typeof releasedProductSchema>;
/** A released product. */
export type ReleasedProduct = Entity<ReleasedProductFields>;

/** `VendorInvoiceHeaders` fields modelled by this client (CDM `VendorInvoiceHeaderEntity`, pending invoices). */
export type VendorInvoiceHeaderField = CdmFields<
  'VendorInvoiceHeaderEntity',
  | 'dataAreaId'
  | 'HeaderReference'
  | 'InvoiceNumber'
  | 'VendorAccount'
  | 'InvoiceAccount'
  | 'InvoiceDate'
  | 'DueDate'
  | 'Date'
  | 'Currency'
  | 'InvoiceDescription'
  | 'PurchaseOrderNumber'
  | 'IsApproved'
  | 'ApprovedBy'
  | 'VendorInvoiceReviewStatus'
  | 'DimensionDisplayValue'
  | 'IsOnHold'
>;

/** zod schema of one `VendorInvoiceHeaders` record. */
export const vendorInvoiceHeaderSchema = z.looseObject({
  ...odataEtag,
  dataAreaId,
  HeaderReference: z.string(),
  InvoiceNumber: z.string(),
  VendorAccount: z.string(),
  InvoiceAccount: z.string().optional(),
  InvoiceDate: foDateTime,
  DueDate: foDateTime.optional(),
  Date: foDateTime.optional(),
  Currency: z.string(),
  InvoiceDescription: z.string().optional(),
  PurchaseOrderNumber: z.string().optional(),
  IsApproved: noYes,
  ApprovedBy: z.string().optional(),
  VendorInvoiceReviewStatus: z.string().optional(),
  DimensionDisplayValue: z.string().optional(),
  IsOnHold: noYes.optional(),
} satisfies Record<VendorInvoiceHeaderField | '@odata.etag', z.ZodType>);
/** Modelled pending vendor invoice header fields. */
export type VendorInvoiceHeaderFields = FieldsOf<typeof vendorInvoiceHeaderSchema>;
/** A pending vendor invoice header. */
export type VendorInvoiceHeader = Entity<VendorInvoiceHeaderFields>;
/** Body of `vendorInvoices.create()`: `HeaderReference` is assigned by F&O when omitted. */
export type VendorInvoiceHeaderCreate = Partial<Omit<VendorInvoiceHeaderFields, 'dataAreaId'>> &
  Pick<VendorInvoiceHeaderFields, 'InvoiceNumber' | 'VendorAccount' | 'InvoiceDate' | 'Currency'>;

/** `VendorInvoiceLines` fields modelled by this client (CDM `VendorInvoiceLineEntity`). */
export type VendorInvoiceLineField = CdmFields<
  'VendorInvoiceLineEntity',
  | 'dataAreaId'
  | 'HeaderReference'
  | 'InvoiceLineNumber'
  | 'LineNumber'
  | 'ItemNumber'
  | 'LineDescription'
  | 'ProcurementCategoryName'
  | 'MainAccountDisplayValue'
  | 'DimensionDisplayValue'
  | 'ReceiveNow'
  | 'UnitPrice'
  | 'Amount'
  | 'PurchaseOrder'
  | 'PurchLineNumber'
>;

/** zod schema of one `VendorInvoiceLines` record. `ReceiveNow` is the invoiced quantity. */
export const vendorInvoiceLineSchema = z.looseObject({
  ...odataEtag,
  dataAreaId,
  HeaderReference: z.string(),
  InvoiceLineNumber: z.number().int(),
  LineNumber: z.number().optional(),
  ItemNumber: z.string().optional(),
  LineDescription: z.string().optional(),
  ProcurementCategoryName: z.string().optional(),
  MainAccountDisplayValue: z.string().optional(),
  DimensionDisplayValue: z.string().optional(),
  ReceiveNow: z.number(),
  UnitPrice: z.number(),
  Amount: z.number(),
  PurchaseOrder: z.string().optional(),
  PurchLineNumber: z.number().optional(),
} satisfies Record<VendorInvoiceLineField | '@odata.etag', z.ZodType>);
/** Modelled pending vendor invoice line fields. */
export type VendorInvoiceLineFields = FieldsOf<typeof vendorInvoiceLineSchema>;
/** A pending vendor invoice line. */
export type VendorInvoiceLine = Entity<VendorInvoiceLineFields>;
/** Body of a new invoice line (`HeaderReference` and `dataAreaId` are added by the client). */
export type VendorInvoiceLineCreate = Partial<Omit<VendorInvoiceLineFields, 'dataAreaId' | 'HeaderReference'>> &
  Pick<VendorInvoiceLineFields, 'InvoiceLineNumber' | 'ReceiveNow' | 'UnitPrice' | 'Amount'>;

/**
 * A posted vendor invoice from the posted invoice journal (`VendInvoiceJour`), read through the entity set named
 * by `postedInvoiceEntitySet` (default `VendInvoiceJourBiEntities`; entity and field names UNCONFIRMED).
 * Posted invoices are read-only.
 */
export const postedVendorInvoiceSchema = z.looseObject({
  ...odataEtag,
  dataAreaId,
  InvoiceId: z.string(),
  InvoiceAccount: z.string(),
  OrderAccount: z.string().optional(),
  InvoiceDate: foDateTime,
  InvoiceAmount: z.number(),
  CurrencyCode: z.string(),
  PurchId: z.string().optional(),
  LedgerVoucher: z.string(),
});
/** Posted vendor invoice fields. */
export type PostedVendorInvoiceFields = FieldsOf<typeof postedVendorInvoiceSchema>;
/** A posted vendor invoice (read-only). */
export type PostedVendorInvoice = Entity<PostedVendorInvoiceFields>;
