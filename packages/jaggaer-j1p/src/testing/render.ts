import { formatCompactTimestamp, parseJaggaerTimestamp } from '../dates.js';
import type {
  CodingAssignment,
  JaggaerCodingValue,
  JaggaerInvoice,
  JaggaerPurchaseOrder,
  JaggaerSupplier,
} from './model.js';
import type { JaggaerStore } from './store.js';

// One date grammar for client and sandbox: the sandbox parses and formats exactly what the client does.

/** Formats epoch ms as JAGGAER Advanced's `YYYYMMDDHHMMSS` (UTC), as the client's `formatCompactTimestamp` does. */
export const formatJaTimestamp = (ms: number): string => formatCompactTimestamp(ms);
/** Parses ISO 8601 and `YYYYMMDD[HHMMSS]` (UTC) like the client's `parseJaggaerTimestamp`; `undefined` when invalid. */
export const parseJaggaerDate = (text: string): number | undefined => parseJaggaerTimestamp(text);

/** Renders coding the way JAGGAER's invoice sample does: one split group with internalName/value pairs. */
export function renderCoding(store: JaggaerStore, coding: CodingAssignment) {
  return {
    splittableFieldSetGroup: [
      {
        splittableFieldIndexSet: [
          {
            context: 'Line',
            splittableFieldIndexList: {
              splittableFieldIndex: [
                {
                  customFieldValueList: {
                    customFieldValue: (['account', 'department', 'project'] as const).map((segment) => {
                      const known = store.codingValue(segment, coding[segment]);
                      return known
                        ? { internalName: segment, value: coding[segment], description: known.description }
                        : { internalName: segment, value: coding[segment] };
                    }),
                  },
                },
              ],
            },
          },
        ],
      },
    ],
  };
}

const address = (code: string, city: string) => ({
  address: {
    addressLineList: { addressLine: [{ lineNumber: 1, addressLine: '1 Main Street' }] },
    city,
    country: 'United States',
    isoCountryCode: 'US',
    addressCode: code,
  },
});

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Renders an invoice as `{header, lineList:{invoiceLine:[…]}}` (shape of UCLALibrary/jaggaer-api `invoice_sample.json`). */
export function renderInvoice(store: JaggaerStore, invoice: JaggaerInvoice) {
  const supplier = store.supplier(invoice.supplierNumber);
  const hasPo = invoice.lines.some((l) => l.poNumber);
  const allPo = invoice.lines.length > 0 && invoice.lines.every((l) => l.poNumber);
  const total = round2(invoice.lines.reduce((sum, l) => sum + Math.round(l.quantity * l.unitPrice * 100), 0) / 100);
  const terms = /(\d+)/.exec(invoice.paymentTermsCode)?.[1];
  const header: Record<string, unknown> = {
    invoiceId: invoice.invoiceId,
    validationStatus: 'Unneeded',
    lastUpdate: new Date(invoice.lastUpdate).toISOString(),
    paymentStatus: invoice.paymentStatus,
    invoiceName: `${invoice.invoiceDate.slice(0, 10)} ${invoice.invoiceNumber}`,
    invoiceNumber: invoice.invoiceNumber,
    originalInvoiceNumber: invoice.invoiceNumber,
    invoiceType: invoice.invoiceType,
    invoiceLineType: allPo ? 'PO' : 'Non-PO',
    invoiceSource: invoice.invoiceSource,
    invoiceDate: invoice.invoiceDate,
    invoiceCreateDate: invoice.invoiceDate,
    dueDate: invoice.dueDate,
    businessUnit: invoice.businessUnit,
    supplier: {
      id: supplier?.bravoId,
      name: supplier?.companyName,
      supplierNumber: invoice.supplierNumber,
      duns: supplier?.duns ?? 'DNP',
    },
    supplierInvoiceNumber: invoice.supplierInvoiceNumber,
    billTo: address('US01-AP', 'Chicago'),
    shipTo: address('US01-MAIN', 'Chicago'),
    remitTo: address('REMIT-001', supplier?.city || 'Chicago'),
    terms: { discount: {}, days: 0, type: 'Net', daysAfter: Number(terms ?? 30), standardPaymentTermsCode: invoice.paymentTermsCode },
    payment: { method: 'Unknown', paidByExternalPaymentProcessor: 'false' },
    accountingDate: invoice.invoiceDate,
    matchStatus: allPo ? 'Matched' : 'Do Not Match',
    workflowStatus: invoice.workflowStatus,
    nonPOInvoice: hasPo ? 'false' : 'true',
    containsNonPOLines: allPo ? 'false' : 'true',
    taxCharge1: 0,
    taxCharge2: 0,
    shippingCharge: 0,
    handlingCharge: 0,
    discountAmount: 0,
    total: { currency: invoice.currency, value: total },
  };
  if (invoice.paymentDate !== undefined) header.paymentDate = invoice.paymentDate;
  if (invoice.paymentReference !== undefined) header.paymentReference = invoice.paymentReference;
  if (invoice.notes !== undefined) header.notes = invoice.notes;
  if (invoice.headerCoding) header.splittableFieldSetGroupList = renderCoding(store, invoice.headerCoding);
  return {
    header,
    lineList: {
      invoiceLine: invoice.lines.map((line) => {
        const rendered: Record<string, unknown> = {
          lineId: line.lineId,
          lineNumber: line.lineNumber,
          item: {
            description: line.description,
            unitOfMeasure: { dimension: line.unitOfMeasure },
            productType: 'NonCatalogItem',
          },
          businessUnit: invoice.businessUnit,
        };
        if (line.poNumber) {
          rendered.poNumber = line.poNumber;
          rendered.poLineNumber = line.poLineNumber;
        }
        Object.assign(rendered, {
          quantity: line.quantity,
          unitPrice: line.unitPrice,
          taxable: 'false',
          taxCharge1: 0,
          taxCharge2: 0,
          shippingCharge: 0,
          handlingCharge: 0,
          discountAmount: 0,
          matchStatus: line.poNumber ? 'Matched' : 'Do Not Match',
        });
        if (line.coding) rendered.splittableFieldSetGroupList = renderCoding(store, line.coding);
        return rendered;
      }),
    },
  };
}

/**
 * Renders a supplier as a `returnCompanyData` entry (`{returnCompanyInfo:{…}}`, field names as in public JAGGAER
 * Advanced clients). `parentExtCode` and `parentBravoId` are UNCONFIRMED.
 */
export function renderCompany(store: JaggaerStore, supplier: JaggaerSupplier) {
  const parent = supplier.parentSupplierNumber ? store.supplier(supplier.parentSupplierNumber) : undefined;
  const info: Record<string, unknown> = {
    bravoId: String(supplier.bravoId),
    companyName: supplier.companyName,
    extCode: supplier.supplierNumber,
    extUniqueCode: supplier.supplierNumber,
    type: 'SELLER',
    status: supplier.status,
    dAndBCode: supplier.duns,
    city: supplier.city,
    isoCountry: supplier.isoCountry,
    currency: 'USD',
    lastModTime: formatJaTimestamp(supplier.lastModTime),
  };
  if (supplier.fiscalCode !== undefined) info.fiscalCode = supplier.fiscalCode;
  if (supplier.bizEmail !== undefined) info.bizEmail = supplier.bizEmail;
  if (parent) {
    info.parentExtCode = parent.supplierNumber;
    info.parentBravoId = String(parent.bravoId);
  }
  return { returnCompanyInfo: info };
}

/** Renders a coding value (UNCONFIRMED shape). */
export function renderCodingValue(value: JaggaerCodingValue) {
  return {
    segment: value.segment,
    code: value.code,
    description: value.description,
    active: value.active,
    lastModTime: formatJaTimestamp(value.lastModTime),
  };
}

/** Renders a purchase order (UNCONFIRMED shape, mirroring the create body). */
export function renderPurchaseOrder(po: JaggaerPurchaseOrder) {
  return {
    purchaseOrderId: po.purchaseOrderId,
    poNumber: po.poNumber,
    supplier: { supplierNumber: po.supplierNumber },
    businessUnit: { internalName: po.businessUnit },
    currency: po.currency,
    orderDate: po.orderDate,
    status: po.status,
    lastModTime: formatJaTimestamp(po.lastModTime),
    lineList: {
      poLine: po.lines.map((l) => ({
        lineNumber: l.lineNumber,
        description: l.description,
        quantity: l.quantity,
        unitPrice: l.unitPrice,
        unitOfMeasure: l.unitOfMeasure,
        coding: { ...l.coding },
      })),
    },
  };
}
