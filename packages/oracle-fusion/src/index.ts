/**
 * `@ml-connector/oracle-fusion`: a typed client for Oracle Fusion Cloud ERP REST (Financials and Procurement):
 * suppliers, payables invoices, purchase orders, account combinations and value sets, receipts; the ADF REST
 * framework (`q` builder, `fields`, `expand`, `orderBy`, offset paging, `Upsert-Mode`); incremental reads by
 * `LastUpdateDate`; bulk import through the ERP integrations service. The emulator lives in
 * `@ml-connector/oracle-fusion/testing`.
 *
 * @packageDocumentation
 */
export { type OracleFusionClient, createOracleFusionClient } from './client.js';
export {
  type OracleFusionClientOptions,
  type OracleFusionCredentials,
  type OracleFusionSecretCredentials,
  type OracleFusionAssertionCredentials,
  type OracleFusionBasicCredentials,
  type OracleFusionEndpoints,
  ORACLE_FUSION_DEFAULTS,
  resolveEndpoints,
} from './options.js';
export { type OracleErrorDetail, oracleErrorDetails, ImportJobFailedError, isImportJobFailedError } from './errors.js';
export {
  type QValue,
  type QExpression,
  type QComparison,
  type QBuilder,
  type QInput,
  type Attr,
  qBuilder,
  formatQValue,
  resolveQ,
  formatOrderBy,
  formatExpand,
  formatFields,
} from './query.js';
export {
  type ReadOptions,
  type ListOptions,
  type OraclePage,
  type ItemRef,
  type UpdateOptions,
  type ReadableCollection,
  type WritableCollection,
  RESOURCE_ITEM_TYPE,
  ACTION_TYPE,
  selfHref,
} from './resources/collection.js';
export { type PollOptions, type PollBatch, pollModified, decodePollCursor } from './resources/incremental.js';
export type { SuppliersResource } from './resources/suppliers.js';
export type { InvoicesResource } from './resources/invoices.js';
export type { PurchaseOrdersResource, AcknowledgeOptions } from './resources/purchase-orders.js';
export type { AccountsResource } from './resources/accounts.js';
export type { ReceiptsResource } from './resources/receipts.js';
export {
  type ErpIntegrationsResource,
  type EssJobStatus,
  type ImportProgress,
  type ImportRowError,
  type ImportResult,
  type ImportBulkDataOptions,
  parseExecutionDetails,
} from './resources/erp-integrations.js';
export {
  childArray, collectionSchema, linkSchema, type Link, itemContextSchema, type ItemMeta, type OracleItem,
  itemMeta, timestamp, optString, optNumber, whoColumns, supplierSiteSchema, type SupplierSite,
  supplierContactSchema, type SupplierContact, supplierAddressSchema, type SupplierAddress, supplierSchema,
  type Supplier, type SupplierCreate, type SupplierUpdate, invoiceDistributionSchema, type InvoiceDistribution,
  invoiceLineSchema, type InvoiceLine, invoiceInstallmentSchema, type InvoiceInstallment, invoiceSchema,
  type Invoice, type InvoiceLineCreate, type InvoiceCreate, type InvoiceUpdate, poDistributionSchema,
  type PurchaseOrderDistribution, poScheduleSchema, type PurchaseOrderSchedule, poLineSchema,
  type PurchaseOrderLine, purchaseOrderSchema, type PurchaseOrder, accountCombinationSchema,
  type AccountCombination, valueSetValueSchema, type ValueSetValue, type ValueSetValueCreate, type ValueSetValueUpdate, receiptLineSchema, type ReceiptLine,
  receiptSchema, type Receipt, type ReceiptCreate,
} from './schemas/index.js';
