export {
  collectionSchema, type EntityMeta, type Entity, odataEtag, noYes, type NoYes, foDateTime, dataAreaId,
  type CdmEntityName, type CdmAttribute, type CdmFields, type KnownFields, type FieldsOf,
} from './common.js';
export {
  type VendorField, vendorOnHoldStatus, vendorSchema, type VendorFields, type Vendor, type VendorCreate,
  type VendorUpdate,
} from './vendor.js';
export {
  type MainAccountField, mainAccountSchema, type MainAccountFields, type MainAccount,
  type DimensionAttributeField, dimensionAttributeSchema, type DimensionAttributeFields,
  type DimensionAttribute, type FinancialDimensionValueField, financialDimensionValueSchema,
  type FinancialDimensionValueFields, type FinancialDimensionValue, accountStructureRuleSchema,
  type AccountStructureRule,
} from './ledger.js';
export {
  purchaseOrderStatus, documentApprovalStatus, type PurchaseOrderHeaderField, purchaseOrderHeaderSchema,
  type PurchaseOrderHeaderFields, type PurchaseOrderHeader, type PurchaseOrderLineField,
  purchaseOrderLineSchema, type PurchaseOrderLineFields, type PurchaseOrderLine, releasedProductSchema,
  type ReleasedProductFields, type ReleasedProduct, type VendorInvoiceHeaderField, vendorInvoiceHeaderSchema,
  type VendorInvoiceHeaderFields, type VendorInvoiceHeader, type VendorInvoiceHeaderCreate,
  type VendorInvoiceLineField, vendorInvoiceLineSchema, type VendorInvoiceLineFields, type VendorInvoiceLine,
  type VendorInvoiceLineCreate, postedVendorInvoiceSchema, type PostedVendorInvoiceFields,
  type PostedVendorInvoice,
} from './purchasing.js';
