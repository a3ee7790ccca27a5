/**
 * `@ml-connector/business-central`: a typed client for the Microsoft Dynamics 365 Business Central online
 * API v2.0 — companies, vendors, G/L accounts, dimensions, purchase invoices (drafts, deep insert, explicit
 * posting) and orders, delta reads, JSON `$batch` and webhooks — on `@ml-connector/core`'s transport.
 * The emulator lives in `@ml-connector/business-central/testing`.
 *
 * @packageDocumentation
 */
export { type BusinessCentralClient, type BusinessCentralCompany, createBusinessCentralClient } from './client.js';
export {
  type BusinessCentralClientOptions,
  type BusinessCentralSecretCredentials,
  type BusinessCentralCertificateCredentials,
  type BusinessCentralEndpoints,
  BUSINESS_CENTRAL_DEFAULTS,
  resolveEndpoints,
} from './options.js';
export { BUSINESS_CENTRAL_LIMITS, BUSINESS_CENTRAL_THROTTLE_DEFAULTS } from './rate-limits.js';
export { ReadOnlyEntityError, isReadOnlyEntityError, WebhookNotSupportedError, isWebhookNotSupportedError } from './errors.js';
export {
  WEBHOOK_ENABLED_RESOURCES,
  type WebhookEnabledResource,
  isWebhookEnabledResource,
  handleValidationRequest,
  parseNotifications,
  type ParseNotificationsOptions,
  type WebhookSignal,
} from './webhooks.js';
export type { ListOptions, GetOptions, EtagOptions } from './resources/shared.js';
export type { ReadableEntitySet, DeltaReadableEntitySet } from './resources/entity-set.js';
export {
  type ModifiedSinceCursor,
  DEFAULT_DELTA_LOOK_BACK_MS,
  startModifiedSinceCursor,
  deltaQueryFrom,
  undeliveredRecords,
  advanceModifiedSinceCursor,
  isModifiedSinceCursor,
} from './resources/delta.js';
export type { ReadOnlyEntitySet } from './resources/read-only.js';
export type { CompaniesResource } from './resources/companies.js';
export type { VendorsResource, DeleteOptions } from './resources/vendors.js';
export {
  BUSINESS_CENTRAL_LOOKUP_DEFAULTS,
  type FindByKeysOptions,
  VENDOR_REFERENCE_FIELDS,
  type VendorReference,
  ACCOUNT_REFERENCE_FIELDS,
  type AccountReference,
  DIMENSION_REFERENCE_FIELDS,
  type DimensionReference,
  DIMENSION_VALUE_REFERENCE_FIELDS,
  type DimensionValueReference,
  CURRENCY_REFERENCE_FIELDS,
  type CurrencyReference,
  type AccountsResource,
  type DimensionsResource,
  type DimensionValuesResource,
  type CurrenciesResource,
} from './resources/lookups.js';
export {
  type VendorReferenceStatusOptions,
  vendorReferenceStatus,
  accountReferenceStatus,
  dimensionValueReferenceStatus,
  type BusinessCentralReferenceResolverOptions,
  businessCentralReferenceResolvers,
} from './preflight.js';
export {
  type PurchaseInvoicesResource,
  type PurchaseInvoiceLinesResource,
  type FindByVendorInvoiceNumberOptions,
  PAID_STATUS,
  isPaid,
} from './resources/purchase-invoices.js';
export type { PurchaseOrdersResource } from './resources/purchase-orders.js';
export type { DimensionSetLinesResource } from './resources/dimension-set-lines.js';
export type { AttachmentsResource, PdfDocumentResource } from './resources/attachments.js';
export type { WebhooksResource, CreateSubscriptionOptions, RenewIfExpiringOptions, RenewResult } from './resources/subscriptions.js';
export {
  type BatchResource,
  type BatchOperation,
  type BatchOptions,
  type BatchResult,
  type BatchEntitySet,
  type BatchWritableEntitySet,
  BatchRolledBackError,
} from './resources/batch.js';
export {
  type PurchaseOrderStatus,
  type AccountType,
  type ItemType,
  type DimensionSetLineParentType,
  type UnknownEnumMember,
  decodeEnumMember,
  encodeEnumMember,
  ENUM_FIELDS,
  type CodedSetupFields,
  type Currency,
  type CurrencyFields,
  type PaymentTerm,
  type PaymentTermFields,
  type PaymentMethod,
  type PaymentMethodFields,
  type TaxGroup,
  type TaxGroupFields,
  type UnitOfMeasure,
  type UnitOfMeasureFields,
  type Item,
  type ItemFields,
  type DefaultDimension,
  type DefaultDimensionFields,
  type Attachment,
  type AttachmentFields,
  type PdfDocumentFields,
  currencySchema,
  paymentTermSchema,
  paymentMethodSchema,
  taxGroupSchema,
  unitOfMeasureSchema,
  itemSchema,
  defaultDimensionSchema,
  attachmentSchema,
  pdfDocumentSchema,
} from './schemas/index.js';
export {
  type Entity,
  type EntityMeta,
  type V1CommonFields,
  type Company,
  type CompanyFields,
  type Vendor,
  type VendorFields,
  type VendorBlocked,
  type VendorCreate,
  type VendorUpdate,
  type Account,
  type AccountFields,
  type Dimension,
  type DimensionFields,
  type DimensionValue,
  type DimensionValueFields,
  type DimensionSetLine,
  type DimensionSetLineInput,
  type PurchaseInvoice,
  type PurchaseInvoiceFields,
  type PurchaseInvoiceStatus,
  type PurchaseInvoiceCreate,
  type PurchaseInvoiceUpdate,
  type PurchaseInvoiceLine,
  type PurchaseInvoiceLineFields,
  type PurchaseInvoiceLineCreate,
  type PurchaseInvoiceLineUpdate,
  type DocumentLineType,
  type PurchaseOrder,
  type PurchaseOrderFields,
  type PurchaseOrderLine,
  type PurchaseOrderLineFields,
  type Subscription,
  type SubscriptionFields,
  VENDOR_READ_ONLY_FIELDS,
  PURCHASE_INVOICE_READ_ONLY_FIELDS,
  PURCHASE_INVOICE_LINE_READ_ONLY_FIELDS,
  DIMENSION_SET_LINE_READ_ONLY_FIELDS,
  companySchema,
  vendorSchema,
  accountSchema,
  dimensionSchema,
  dimensionValueSchema,
  dimensionSetLineSchema,
  purchaseInvoiceSchema,
  purchaseInvoiceLineSchema,
  purchaseOrderSchema,
  purchaseOrderLineSchema,
  subscriptionSchema,
} from './schemas/index.js';
