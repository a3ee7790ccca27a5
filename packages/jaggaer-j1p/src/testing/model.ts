/**
 * Records the sandbox keeps. They are compact on purpose (100,000 invoices must fit comfortably in memory); the
 * router renders them into JAGGAER's wire shapes on the way out. Timestamps are epoch milliseconds (UTC), money is
 * plain numbers rounded to cents.
 */

import type { JaggaerCatalogItem } from './catalog.js';

/** A coding segment of the chart of accounts as the sandbox models it. */
export type CodingSegment = 'account' | 'department' | 'project';

/** Accounting coding (one split at 100 %): the `splittableFieldSetGroupList` internalName/value pairs. */
export interface CodingAssignment {
  /** GL account, e.g. `8110`. */
  account: string;
  /** Department dimension, e.g. `ADM`. */
  department: string;
  /** Project dimension, e.g. `P-100`. */
  project: string;
}

/** One part of a split coding: the share of the line and where it goes. */
export interface CodingSplitAssignment {
  /** Share of the line amount in percent; the splits of a line add up to 100. */
  percentage: number;
  /** Coding of this share. */
  coding: CodingAssignment;
}

/** A supplier company profile (JAGGAER Advanced `companyprofiles`). */
export interface JaggaerSupplier {
  /** JAGGAER's internal company id (`bravoId`); also the invoice header's `supplier.id`. */
  bravoId: number;
  /** The ERP's supplier number (`extCode`, invoice `supplier.supplierNumber`), e.g. `V00001` (= BC vendor number). */
  supplierNumber: string;
  /** Company name. */
  companyName: string;
  /** ERP number of the parent company, when this supplier belongs to a hierarchy. */
  parentSupplierNumber?: string;
  /** Profile status. */
  status: 'ACTIVE' | 'INACTIVE';
  /** DUNS number, or `DNP` (did not provide) as in JAGGAER's own samples. */
  duns: string;
  /** ISO 3166 country code. */
  isoCountry: string;
  /** City. */
  city: string;
  /** Tax / fiscal code, when known. */
  fiscalCode?: string;
  /** Business e-mail, when known. */
  bizEmail?: string;
  /** Business phone, when known. */
  bizPhone?: string;
  /** Payment terms code (e.g. `Net 30`), rendered under the sandbox's `supplierPaymentTermsField` (UNCONFIRMED). */
  paymentTermsCode?: string;
  /** The super user: the profile's main contact (`userName`, `userSurName`, `userEmail`, `userPhone`). */
  superUser?: JaggaerSupplierUser;
  /** Sub users (`returnSubUser.subUser`, rendered for `comp=USER`). */
  subUsers?: JaggaerSupplierUser[];
  /** Last modification, epoch ms (`LASTMODTIME`). */
  lastModTime: number;
}

/** A user of a supplier company (its super user or a sub user). */
export interface JaggaerSupplierUser {
  /** First name. */
  name?: string;
  /** Last name. */
  surname?: string;
  /** E-mail. */
  email?: string;
  /** Phone. */
  phone?: string;
  /** Mobile phone. */
  mobilePhone?: string;
  /** Sub users: JAGGAER user id. */
  userId?: string;
  /** Sub users: login. */
  login?: string;
}

/** A chart-of-accounts coding value that JAGGAER users may pick (read-only for them; maintained by the ERP). */
export interface JaggaerCodingValue {
  /** Which segment this value belongs to. */
  segment: CodingSegment;
  /** The code, e.g. `8110`, `ADM`, `P-100`. */
  code: string;
  /** Display description. */
  description: string;
  /** Inactive values stay visible on old documents but cannot be chosen. */
  active: boolean;
  /** Last modification, epoch ms. */
  lastModTime: number;
}

/** One purchase-order line. */
export interface JaggaerPurchaseOrderLine {
  /** 1-based line number. */
  lineNumber: number;
  /** Item description. */
  description: string;
  /** Ordered quantity. */
  quantity: number;
  /** Unit price in the order currency. */
  unitPrice: number;
  /** Unit of measure, e.g. `EA`. */
  unitOfMeasure: string;
  /** Accounting coding of the line. */
  coding: CodingAssignment;
}

/** A purchase order pushed from the ERP. */
export interface JaggaerPurchaseOrder {
  /** JAGGAER's internal id. */
  purchaseOrderId: number;
  /** ERP purchase-order number, the natural key, e.g. `PO-00001`. */
  poNumber: string;
  /** ERP supplier number. */
  supplierNumber: string;
  /** Business unit internal name, e.g. `US01`. */
  businessUnit: string;
  /** ISO currency code. */
  currency: string;
  /** Order date, ISO date-time. */
  orderDate: string;
  /** Order status. */
  status: 'Open' | 'Closed' | 'Cancelled';
  /** Lines. */
  lines: JaggaerPurchaseOrderLine[];
  /** Last modification, epoch ms. */
  lastModTime: number;
}

/** Workflow states the sandbox's invoices move through (JAGGAER shows more; these are the ones flows care about). */
export type InvoiceWorkflowStatus = 'Pending Approval' | 'Approved' | 'Rejected' | 'Completed';

/** Payment states the sandbox accepts (UNCONFIRMED list; JAGGAER's sample shows `Payable`). */
export type InvoicePaymentStatus = 'Unpaid' | 'Payable' | 'Partially Paid' | 'Paid';

/** One invoice line. */
export interface JaggaerInvoiceLine {
  /** JAGGAER's internal line id. */
  lineId: number;
  /** 1-based line number. */
  lineNumber: number;
  /** Item description. */
  description: string;
  /** Invoiced quantity. */
  quantity: number;
  /** Unit price. */
  unitPrice: number;
  /** Unit of measure. */
  unitOfMeasure: string;
  /** Purchase order the line matches, if any. */
  poNumber?: string;
  /** Purchase-order line number (a string on the wire, as in JAGGAER's sample). */
  poLineNumber?: string;
  /** Line-level coding; absent when the invoice is coded at header level or the line is split. */
  coding?: CodingAssignment;
  /** Split coding (e.g. 60 % to one account, 40 % to another); when present, `coding` is absent. */
  splits?: CodingSplitAssignment[];
}

/** A supplier invoice in JAGGAER Invoicing (`ji`). */
export interface JaggaerInvoice {
  /** JAGGAER's numeric invoice id (path parameter of the single-invoice route). */
  invoiceId: number;
  /** JAGGAER invoice number, e.g. `INV-0000001`. */
  invoiceNumber: string;
  /** The supplier's own invoice number; unique per supplier. */
  supplierInvoiceNumber: string;
  /** ERP supplier number. */
  supplierNumber: string;
  /** `Invoice` or `Credit memo`. */
  invoiceType: 'Invoice' | 'Credit memo';
  /** How the invoice entered JAGGAER. */
  invoiceSource: 'Manual' | 'Automated' | 'OCR';
  /** Invoice date, ISO date-time. */
  invoiceDate: string;
  /** Due date, ISO date-time. */
  dueDate: string;
  /** Payment terms code, e.g. `Net 30`. */
  paymentTermsCode: string;
  /** Business unit internal name. */
  businessUnit: string;
  /** ISO currency code. */
  currency: string;
  /** Approval workflow status. */
  workflowStatus: InvoiceWorkflowStatus;
  /** Payment status. */
  paymentStatus: InvoicePaymentStatus;
  /** Payment date set through the payment-status route, ISO date. */
  paymentDate?: string;
  /** Payment reference set through the payment-status route. */
  paymentReference?: string;
  /** Header-level coding (applies to every line); absent when lines carry their own. */
  headerCoding?: CodingAssignment;
  /** Notes (OCR import). */
  notes?: string;
  /** OCR batch id the invoice came with. */
  batchId?: string;
  /** Lines. */
  lines: JaggaerInvoiceLine[];
  /** Last update, epoch ms; list queries sort and filter on it. */
  lastUpdate: number;
}

/** A complete sandbox data set. */
export interface JaggaerSeed {
  /** The single business unit, `US01`. */
  businessUnits: string[];
  /** Supplier company profiles. */
  suppliers: JaggaerSupplier[];
  /** Coding values. */
  codingValues: JaggaerCodingValue[];
  /** Purchase orders. */
  purchaseOrders: JaggaerPurchaseOrder[];
  /** Invoices, ordered by `invoiceId`. */
  invoices: JaggaerInvoice[];
  /** Catalog items (absent in older snapshots). */
  catalogItems?: JaggaerCatalogItem[];
}
