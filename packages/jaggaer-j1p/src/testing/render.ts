import { formatCompactTimestamp, parseJaggaerTimestamp } from '../dates.js';
import type {
  CodingAssignment,
  CodingSplitAssignment,
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

const codingPairs = (store: JaggaerStore, coding: CodingAssignment) =>
  (['account', 'department', 'project'] as const).map((segment) => {
    const known = store.codingValue(segment, coding[segment]);
    return known
      ? { internalName: segment, value: coding[segment], description: known.description }
      : { internalName: segment, value: coding[segment] };
  });

/**
 * Renders coding the way JAGGAER's invoice sample does: one split group with internalName/value pairs. A split
 * coding has one `splittableFieldIndex` per split, each with its `percentage` and `amount` (of `lineAmount`, cents
 * rounded, the last split taking the remainder); those two field names are UNCONFIRMED (the public sample has no split).
 */
export function renderCoding(store: JaggaerStore, coding: CodingAssignment | readonly CodingSplitAssignment[], lineAmount = 0) {
  const splits = Array.isArray(coding) ? (coding as readonly CodingSplitAssignment[]) : undefined;
  let left = Math.round(lineAmount * 100);
  const indexes = splits
    ? splits.map((split, i) => {
        const cents = i === splits.length - 1 ? left : Math.round((lineAmount * 100 * split.percentage) / 100);
        left -= cents;
        return { percentage: split.percentage, amount: cents / 100, customFieldValueList: { customFieldValue: codingPairs(store, split.coding) } };
      })
    : [{ customFieldValueList: { customFieldValue: codingPairs(store, coding as CodingAssignment) } }];
  return {
    splittableFieldSetGroup: [
      { splittableFieldIndexSet: [{ context: 'Line', splittableFieldIndexList: { splittableFieldIndex: indexes } }] },
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

/** An epoch-ms timestamp as ISO 8601, cut to `precisionMs` (1 keeps milliseconds, as J1P's samples show). */
export const renderTimestamp = (ms: number, precisionMs = 1) => new Date(Math.floor(ms / precisionMs) * precisionMs).toISOString();

/**
 * Renders an invoice as `{header, lineList:{invoiceLine:[…]}}` (shape of UCLALibrary/jaggaer-api `invoice_sample.json`),
 * with `lastUpdate` cut to `timestampPrecisionMs`; `{header}` only when `withLines` is false (list entries, as the
 * public list sample).
 */
export function renderInvoice(store: JaggaerStore, invoice: JaggaerInvoice, timestampPrecisionMs = 1, withLines = true) {
  const supplier = store.supplier(invoice.supplierNumber);
  const hasPo = invoice.lines.some((l) => l.poNumber);
  const allPo = invoice.lines.length > 0 && invoice.lines.every((l) => l.poNumber);
  const total = round2(invoice.lines.reduce((sum, l) => sum + Math.round(l.quantity * l.unitPrice * 100), 0) / 100);
  const terms = /(\d+)/.exec(invoice.paymentTermsCode)?.[1];
  const header: Record<string, unknown> = {
    invoiceId: invoice.invoiceId,
    validationStatus: 'Unneeded',
    lastUpdate: renderTimestamp(invoice.lastUpdate, timestampPrecisionMs),
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
  if (!withLines) return { header };
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
        if (line.splits?.length) rendered.splittableFieldSetGroupList = renderCoding(store, line.splits, line.quantity * line.unitPrice);
        else if (line.coding) rendered.splittableFieldSetGroupList = renderCoding(store, line.coding);
        return rendered;
      }),
    },
  };
}

/**
 * Renders a supplier as a `returnCompanyData` entry (`{returnCompanyInfo:{…}}`, field names as in public JAGGAER
 * Advanced clients). `parentExtCode` and `parentBravoId` are UNCONFIRMED.
 */
export function renderCompany(store: JaggaerStore, supplier: JaggaerSupplier, options: { paymentTermsField?: string; users?: boolean } = {}) {
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
  if (supplier.bizPhone !== undefined) info.bizPhone = supplier.bizPhone;
  const user = supplier.superUser ?? {};
  const userFields: [string, string | undefined][] = [
    ['userName', user.name], ['userSurName', user.surname], ['userEmail', user.email], ['userPhone', user.phone], ['userMobPhone', user.mobilePhone],
  ];
  for (const [key, value] of userFields) if (value !== undefined) info[key] = value;
  if (supplier.paymentTermsCode !== undefined) info[options.paymentTermsField ?? 'paymentTermsCode'] = supplier.paymentTermsCode;
  if (parent) {
    info.parentExtCode = parent.supplierNumber;
    info.parentBravoId = String(parent.bravoId);
  }
  if (!options.users) return { returnCompanyInfo: info };
  // Sub users as public integrations read them (`comp=USER`): `{subUser:[{name, surname, email, login, userId, …}]}`.
  const subUser = (supplier.subUsers ?? []).map((u) => {
    const out: Record<string, string> = {};
    const pairs: [string, string | undefined][] = [
      ['name', u.name], ['surname', u.surname], ['email', u.email], ['login', u.login], ['userId', u.userId], ['phoneNumber', u.phone], ['mobilePhoneNumber', u.mobilePhone],
    ];
    for (const [key, value] of pairs) if (value !== undefined) out[key] = value;
    return out;
  });
  return { returnCompanyInfo: info, returnSubUser: { subUser } };
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
