/**
 * `@ml-connector/d365-fo`: a typed client for Microsoft Dynamics 365 Finance & Operations OData data entities —
 * vendors, main accounts, financial dimensions and account structures, released products, purchase orders,
 * pending and posted vendor invoices — pinned to a legal entity, with multipart `$batch` changesets, business
 * events and the Data management package API, on `@ml-connector/core`'s transport.
 * The emulator lives in `@ml-connector/d365-fo/testing`.
 *
 * @packageDocumentation
 */
export { type FinanceOperationsClient, type FinanceOperationsLegalEntity, type FinanceOperationsCrossCompany, createFinanceOperationsClient, entitySetSpecs } from './client.js';
export {
  type FinanceOperationsClientOptions,
  type FinanceOperationsSecretCredentials,
  type FinanceOperationsCertificateCredentials,
  type FinanceOperationsEndpoints,
  FINANCE_OPERATIONS_DEFAULTS,
  resolveEndpoints,
  normaliseLegalEntity,
} from './options.js';
export { FINANCE_OPERATIONS_LIMITS, FINANCE_OPERATIONS_THROTTLE_DEFAULTS } from './rate-limits.js';
export {
  PostedInvoiceError,
  isPostedInvoiceError,
  LegalEntityMismatchError,
  isLegalEntityMismatchError,
  RecordNotReadableError,
  isRecordNotReadableError,
  DataManagementJobError,
  isDataManagementJobError,
  ChangesetRolledBackError,
  isChangesetRolledBackError,
} from './errors.js';
export type { ListOptions, GetOptions, EtagOptions, CompanyScope, EntitySetSpec } from './resources/shared.js';
export type { ReadableEntitySet, WritableEntitySet } from './resources/entity-set.js';
export type { BatchResource, BatchOperation, BatchPart, BatchResult } from './resources/batch.js';
export type {
  VendorInvoicesResource,
  VendorInvoiceHeaderKey,
  VendorInvoiceLineKey,
  InvoiceLookup,
  CreateWithLinesResult,
} from './resources/vendor-invoices.js';
export { type LedgerCoding, type CodingProblem, type CodingValidation, type LedgerReference, validateLedgerCoding } from './resources/account-structures.js';
export {
  collectionSchema, type EntityMeta, type Entity, odataEtag, noYes, type NoYes, foDateTime, dataAreaId,
  type CdmEntityName, type CdmAttribute, type CdmFields, type KnownFields, type FieldsOf, type VendorField,
  vendorOnHoldStatus, vendorSchema, type VendorFields, type Vendor, type VendorCreate, type VendorUpdate,
  type MainAccountField, mainAccountSchema, type MainAccountFields, type MainAccount,
  type DimensionAttributeField, dimensionAttributeSchema, type DimensionAttributeFields,
  type DimensionAttribute, type FinancialDimensionValueField, financialDimensionValueSchema,
  type FinancialDimensionValueFields, type FinancialDimensionValue, accountStructureRuleSchema,
  type AccountStructureRule, purchaseOrderStatus, documentApprovalStatus, type PurchaseOrderHeaderField,
  purchaseOrderHeaderSchema, type PurchaseOrderHeaderFields, type PurchaseOrderHeader,
  type PurchaseOrderLineField, purchaseOrderLineSchema, type PurchaseOrderLineFields, type PurchaseOrderLine,
  releasedProductSchema, type ReleasedProductFields, type ReleasedProduct, type VendorInvoiceHeaderField,
  vendorInvoiceHeaderSchema, type VendorInvoiceHeaderFields, type VendorInvoiceHeader,
  type VendorInvoiceHeaderCreate, type VendorInvoiceLineField, vendorInvoiceLineSchema,
  type VendorInvoiceLineFields, type VendorInvoiceLine, type VendorInvoiceLineCreate,
  postedVendorInvoiceSchema, type PostedVendorInvoiceFields, type PostedVendorInvoice,
} from './schemas/index.js';
export {
  BUSINESS_EVENT_IDS,
  businessEventEnvelopeSchema,
  type BusinessEvent,
  BusinessEventValidationError,
  isBusinessEventValidationError,
  parseBusinessEvent,
  parseBusinessEventMessage,
  type ProcessedEventStore,
  createMemoryEventStore,
  type BusinessEventHandlerOptions,
  createBusinessEventHandler,
  type ResolveOptions,
  type ResolvedBusinessEvent,
  resolveBusinessEvent,
} from './business-events.js';
export { type DataManagementResource, type ExecutionStatus, type DataManagementProgress, type WaitOptions, type ImportErrorKey, type PackageRecord, type ReadPackageOptions, dataManagementResource } from './data-management.js';
export {
  type CustomServiceOperation, type CustomServicesResource, type CompleteWorkItemInput, type CompleteWorkItemResult, DEFAULT_WORKFLOW_SERVICE_OPERATION,
  CustomServiceError, isCustomServiceError, completeWorkItemResultSchema,
} from './resources/services.js';
export { CDM_ATTRIBUTES } from './generated/cdm-fields.js';
export { type DimensionDisplayFormat, parseDimensionDisplayValue, formatDimensionDisplayValue } from './display-values.js';
