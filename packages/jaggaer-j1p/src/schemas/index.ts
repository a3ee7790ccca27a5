export { listOf, envelopeSchema, pagedEnvelopeSchema, readCoding, readCodingSplits, commonCoding, type CodingSplit } from './common.js';
export {
  invoiceHeaderSchema,
  invoiceLineSchema,
  invoiceRecordSchema,
  invoiceResponseSchema,
  invoiceListResponseSchema,
  ocrImportResponseSchema,
  paymentStatusResponseSchema,
  type InvoiceRecord,
  type Invoice,
  type InvoiceLine,
  type InvoiceSupplier,
  toInvoice,
} from './invoice.js';
export {
  companyInfoSchema,
  companyDataSchema,
  companyListResponseSchema,
  companyUpsertResponseSchema,
  subUserSchema,
  type Supplier,
  type SupplierContact,
  DEFAULT_SUPPLIER_PAYMENT_TERMS_FIELD,
  toSupplier,
} from './supplier.js';
export {
  codingValueSchema,
  codingValueListResponseSchema,
  codingValueUpsertResponseSchema,
  type CodingSegment,
  type CodingValue,
  type CodingValueUpsertCounts,
  toCodingValue,
  toUpsertCounts,
} from './coding-value.js';
export {
  purchaseOrderSchema,
  purchaseOrderLineSchema,
  purchaseOrderListResponseSchema,
  purchaseOrderUpsertResponseSchema,
  type PurchaseOrder,
  type PurchaseOrderLine,
  toPurchaseOrder,
} from './purchase-order.js';
