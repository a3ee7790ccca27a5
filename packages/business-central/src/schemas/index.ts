export {
  collectionSchema, type V1CommonFields, type EntityMeta, type Entity, odataEtag, guid, isoDate, isoDateTime,
  type Conforms
} from './common.js';
export {
  decodeEnumMember, encodeEnumMember, enumMember, encodeEnumFields, type PurchaseInvoiceStatus,
  type PurchaseOrderStatus, type DocumentLineType, type VendorBlocked, type AccountType, type ItemType,
  type DimensionSetLineParentType, type UnknownEnumMember, ENUM_FIELDS
} from './enums.js';
export {
  type CompanyCommonFields, type CompanyFields, type Company, companySchema
} from './company.js';
export {
  type VendorCommonFields, type VendorFields, type Vendor, VENDOR_READ_ONLY_FIELDS, type VendorCreate,
  type VendorUpdate, vendorSchema
} from './vendor.js';
export {
  type AccountCommonFields, type AccountFields, type Account, accountSchema
} from './account.js';
export {
  type DimensionCommonFields, type DimensionFields, type Dimension, type DimensionValueCommonFields,
  type DimensionValueFields, type DimensionValue, dimensionSchema, dimensionValueSchema,
  type DimensionSetLineCommonFields, type DimensionSetLine, DIMENSION_SET_LINE_READ_ONLY_FIELDS,
  type DimensionSetLineInput, dimensionSetLineSchema
} from './dimension.js';
export {
  type PurchaseInvoiceCommonFields, type PurchaseInvoiceLineCommonFields, type PurchaseInvoiceLineFields,
  type PurchaseInvoiceLine, type PurchaseInvoiceFields, type PurchaseInvoice,
  PURCHASE_INVOICE_READ_ONLY_FIELDS, PURCHASE_INVOICE_LINE_READ_ONLY_FIELDS, type PurchaseInvoiceLineCreate,
  type PurchaseInvoiceLineUpdate, type PurchaseInvoiceCreate, type PurchaseInvoiceUpdate,
  purchaseInvoiceLineSchema, purchaseInvoiceSchema
} from './purchase-invoice.js';
export {
  type PurchaseOrderLineFields, type PurchaseOrderLine, type PurchaseOrderFields, type PurchaseOrder,
  purchaseOrderLineSchema, purchaseOrderSchema
} from './purchase-order.js';
export {
  type SubscriptionFields, type Subscription, subscriptionSchema, notificationSchema, notificationBodySchema
} from './subscription.js';
export {
  type CodedSetupFields, type CurrencyFields, type Currency, currencySchema, type PaymentTermFields,
  type PaymentTerm, paymentTermSchema, type PaymentMethodFields, type PaymentMethod, paymentMethodSchema,
  type TaxGroupFields, type TaxGroup, taxGroupSchema, type UnitOfMeasureFields, type UnitOfMeasure,
  unitOfMeasureSchema, type ItemFields, type Item, itemSchema, type DefaultDimensionFields,
  type DefaultDimension, defaultDimensionSchema, type AttachmentFields, type Attachment, attachmentSchema,
  type PdfDocumentFields, pdfDocumentSchema
} from './setup.js';
