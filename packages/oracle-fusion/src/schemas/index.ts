export {
  childArray, collectionSchema, linkSchema, type Link, itemContextSchema, type ItemMeta, type OracleItem,
  itemMeta, timestamp, optString, optNumber, whoColumns,
} from './common.js';
export {
  supplierSiteSchema, type SupplierSite, supplierContactSchema, type SupplierContact, supplierAddressSchema,
  type SupplierAddress, supplierSchema, type Supplier, type SupplierCreate, type SupplierUpdate,
} from './supplier.js';
export {
  invoiceDistributionSchema, type InvoiceDistribution, invoiceLineSchema, type InvoiceLine,
  invoiceInstallmentSchema, type InvoiceInstallment, invoiceSchema, type Invoice, type InvoiceLineCreate,
  type InvoiceCreate, type InvoiceUpdate,
} from './invoice.js';
export {
  poDistributionSchema, type PurchaseOrderDistribution, poScheduleSchema, type PurchaseOrderSchedule,
  poLineSchema, type PurchaseOrderLine, purchaseOrderSchema, type PurchaseOrder,
} from './purchase-order.js';
export {
  accountCombinationSchema, type AccountCombination, valueSetValueSchema, type ValueSetValue, type ValueSetValueCreate, type ValueSetValueUpdate,
} from './account.js';
export {
  receiptLineSchema, type ReceiptLine, receiptSchema, type Receipt, type ReceiptCreate,
} from './receipt.js';
