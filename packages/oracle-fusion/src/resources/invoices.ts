import type { HttpClient } from '@ml-connector/core';
import {
  type Invoice,
  type InvoiceCreate,
  type InvoiceDistribution,
  type InvoiceInstallment,
  type InvoiceLine,
  type InvoiceUpdate,
  invoiceDistributionSchema,
  invoiceInstallmentSchema,
  invoiceLineSchema,
  invoiceSchema,
} from '../schemas/invoice.js';
import type { OracleItem } from '../schemas/common.js';
import { type ItemRef, type ReadableCollection, RESOURCE_ITEM_TYPE, type WritableCollection, callAction, childPath, collection } from './collection.js';

/** `/invoices` (Payables) with lines, distributions and installments. */
export interface InvoicesResource extends WritableCollection<Invoice, InvoiceCreate, InvoiceUpdate> {
  /** Lines of an invoice. */
  lines(invoice: ItemRef): WritableCollection<InvoiceLine, Record<string, unknown>, Record<string, unknown>>;
  /** Distributions of an invoice line. */
  distributions(line: ItemRef): ReadableCollection<InvoiceDistribution>;
  /** Installments of an invoice. */
  installments(invoice: ItemRef): ReadableCollection<InvoiceInstallment>;
  /**
   * Upsert by `InvoiceId`: `PATCH /invoices` with `Upsert-Mode: true` and the id in the body, which updates the header
   * and nested lines in one call (documented for invoices).
   */
  upsert(body: InvoiceUpdate & { InvoiceId: number; invoiceLines?: Record<string, unknown>[] }, options?: { signal?: AbortSignal }): Promise<OracleItem<Invoice>>;
  /** Finds an invoice by supplier and invoice number (the natural key; duplicates are refused per supplier, UNCONFIRMED). */
  findByNumber(supplierNumber: string, invoiceNumber: string): Promise<OracleItem<Invoice> | undefined>;
  /** `POST /invoices/action/validateInvoice` (collection action): returns the action's `result` text. */
  validate(invoiceNumber: string, businessUnit: string, options?: { signal?: AbortSignal }): Promise<unknown>;
}

/** Creates the invoices resource. */
export function invoicesResource(http: HttpClient): InvoicesResource {
  const base = collection<typeof invoiceSchema, InvoiceCreate, InvoiceUpdate>(http, 'invoices', invoiceSchema, 'invoices');
  return {
    ...base,
    lines: (invoice) => collection(http, childPath(invoice, 'invoiceLines'), invoiceLineSchema, 'invoices.lines'),
    distributions: (line) => collection(http, childPath(line, 'invoiceDistributions'), invoiceDistributionSchema, 'invoices.distributions'),
    installments: (invoice) => collection(http, childPath(invoice, 'invoiceInstallments'), invoiceInstallmentSchema, 'invoices.installments'),
    async upsert(body, options = {}) {
      const response = await http.request({
        method: 'PATCH',
        path: 'invoices',
        json: body,
        headers: { 'content-type': RESOURCE_ITEM_TYPE, 'upsert-mode': 'true' },
        schema: invoiceSchema,
        operation: 'invoices.upsert',
        ...(options.signal ? { signal: options.signal } : {}),
      });
      return response.data;
    },
    findByNumber: (supplierNumber, invoiceNumber) => base.findOne((q) => q.and(q.eq('SupplierNumber', supplierNumber), q.eq('InvoiceNumber', invoiceNumber))),
    validate: (invoiceNumber, businessUnit, options = {}) =>
      callAction(http, new URL('invoices', http.baseUrl).href, 'validateInvoice', { InvoiceNumber: invoiceNumber, BusinessUnit: businessUnit }, options.signal),
  };
}
