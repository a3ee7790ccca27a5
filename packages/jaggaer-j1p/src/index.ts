/**
 * `@ml-connector/jaggaer-j1p`: a typed client for the JAGGAER ONE (J1P) public API — invoices (get, list, poll, OCR
 * import, payment status), supplier company profiles with hierarchy, chart-of-accounts coding values and purchase
 * orders — on the customer's tenant host, with Keycloak client-credentials auth, retries and paging from
 * `@ml-connector/core`. An emulator for tests and examples is exported from `@ml-connector/jaggaer-j1p/testing`.
 *
 * @packageDocumentation
 */
export { type JaggaerClient, createJaggaerClient } from './client.js';
export { type JaggaerClientOptions, JAGGAER_CLIENT_DEFAULTS } from './options.js';
export {
  type JaggaerPaths,
  type KeycloakLayout,
  DEFAULT_JAGGAER_PATHS,
  DEFAULT_JAGGAER_REALM,
  resolveJaggaerPaths,
  expandJaggaerPath,
  keycloakTokenPath,
  keycloakPathLayouts,
} from './paths.js';
export { type InvoiceListParameterNames, DEFAULT_INVOICE_LIST_PARAMETERS, resolveInvoiceListParameters } from './query-parameters.js';
export {
  JaggaerReturnCodeError,
  isJaggaerReturnCodeError,
  DuplicateSupplierInvoiceError,
  isDuplicateSupplierInvoiceError,
} from './errors.js';
export { type JaggaerDateInput, parseJaggaerTimestamp, formatCompactTimestamp } from './dates.js';
export {
  type PollState,
  type ChangePage,
  type ChangePageRequest,
  type PollChangesOptions,
  type PollChangesResult,
  pollChanges,
  encodePollCursor,
  decodePollCursor,
} from './polling.js';
export type { CallOptions, OperationCode, UpsertOptions } from './resources/shared.js';
export type {
  InvoicesResource,
  InvoiceListOptions,
  InvoicePollOptions,
  InvoicePollResult,
  OcrInvoiceImport,
  OcrInvoiceLineInput,
  OcrImportResult,
  InvoicePaymentStatus,
  PaymentStatusUpdate,
  PaymentStatusResult,
  WithLinesOptions,
} from './resources/invoices.js';
export type { SuppliersResource, SupplierInput, SupplierUpsertResult, SupplierListOptions } from './resources/suppliers.js';
export type { CodingValuesResource, CodingValueInput, CodingValueListOptions } from './resources/coding-values.js';
export type { CatalogItemsResource, CatalogItemInput, CatalogItemListOptions, CatalogItemUpsertCounts } from './resources/catalog-items.js';
export { type CatalogItem, catalogItemSchema, catalogItemListResponseSchema, toCatalogItem } from './schemas/catalog-item.js';
export type {
  PurchaseOrdersResource,
  PurchaseOrderInput,
  PurchaseOrderLineInput,
  PurchaseOrderUpsertResult,
  PurchaseOrderListOptions,
} from './resources/purchase-orders.js';
export type {
  Invoice,
  InvoiceLine,
  InvoiceSupplier,
  InvoiceRecord,
  Supplier,
  SupplierContact,
  CodingSegment,
  CodingSplit,
  CodingValue,
  CodingValueUpsertCounts,
  PurchaseOrder,
  PurchaseOrderLine,
} from './schemas/index.js';
export {
  invoiceRecordSchema,
  invoiceListResponseSchema,
  companyDataSchema,
  companyListResponseSchema,
  DEFAULT_SUPPLIER_PAYMENT_TERMS_FIELD,
  codingValueSchema,
  codingValueListResponseSchema,
  purchaseOrderSchema,
  purchaseOrderListResponseSchema,
  readCodingSplits,
  commonCoding,
} from './schemas/index.js';
