import { DataError, type MappingSet } from '@ml-connector/core/sync';
import type { Invoice } from '@ml-connector/jaggaer-j1p';
import { mapInvoice } from '../bc-invoices/mapper.ts';

/** One F&O pending invoice line: one coding split of one JAGGAER line, coded to a main account + dimensions. */
export interface FoInvoiceDraftLine {
  /** `InvoiceLineNumber`, 1-based. */
  readonly lineNumber: number;
  readonly mainAccount: string;
  /** F&O financial dimension name → value (`Department` → `ADM`). */
  readonly dimensions: Readonly<Record<string, string>>;
  readonly description: string;
  /** Invoiced quantity (`ReceiveNow`). */
  readonly quantity: number;
  readonly unitPrice: number;
  readonly amount: number;
}

/** What fo-invoices writes: a pending vendor invoice in one legal entity, as plain data. */
export interface FoInvoiceDraft {
  /** JAGGAER invoice id (also the header reference `JAG-<id>`, which makes a lost write findable). */
  readonly sourceId: string;
  /** F&O legal entity (`dataAreaId`), from the JAGGAER business unit. */
  readonly legalEntity: string;
  readonly vendorAccount: string;
  /** The supplier's own invoice number (`InvoiceNumber`): with the vendor, the natural key. */
  readonly invoiceNumber: string;
  /** `YYYY-MM-DD`. */
  readonly invoiceDate: string;
  /** `YYYY-MM-DD`. */
  readonly dueDate?: string;
  readonly currency: string;
  /** JAGGAER's approval, carried as `IsApproved` and in the description. */
  readonly approvalStatus: string;
  readonly lines: readonly FoInvoiceDraftLine[];
}

/** F&O's `VendInvoiceId` extended data type holds 20 characters (UNCONFIRMED for every release; configurable below). */
export const FO_INVOICE_NUMBER_LENGTH = 20;

const round2 = (value: number): number => Math.round(value * 100) / 100;

/** The deterministic header reference of a JAGGAER invoice's pending F&O invoice. */
export const headerReferenceOf = (sourceId: string): string => `JAG-${sourceId}`;

/**
 * Maps an approved JAGGAER invoice to an F&O pending vendor invoice: the shared invoice mapping (supplier →
 * vendor, coding splits → lines, account and dimension crosswalks, currency) plus the business unit → legal
 * entity crosswalk and the approval status. Throws {@link DataError} (review queue) for what must be fixed first.
 */
export function mapFoInvoice(invoice: Invoice, mappings: MappingSet, invoiceNumberLength = FO_INVOICE_NUMBER_LENGTH): FoInvoiceDraft {
  const businessUnit = invoice.businessUnit;
  if (!businessUnit) throw new DataError('missing-business-unit', 'the invoice names no business unit, so its F&O legal entity is unknown', { field: 'businessUnit' });
  const legalEntity = mappings.lookupString('business-unit-legal-entity', businessUnit, { field: 'businessUnit' }).toLowerCase();
  const base = mapInvoice(invoice, mappings);
  if (base.vendorInvoiceNumber.length > invoiceNumberLength) {
    throw new DataError('field-too-long', `supplier invoice number "${base.vendorInvoiceNumber}" is longer than F&O's ${invoiceNumberLength} characters`, { field: 'supplierInvoiceNumber' });
  }
  if (!base.invoiceDate) throw new DataError('missing-invoice-date', 'the invoice has no invoice date', { field: 'invoiceDate' });
  if (!base.currencyCode) throw new DataError('invalid-mapping', 'currency.csv must map to an F&O currency code, not the local-currency marker', { field: 'total.currency' });
  return {
    sourceId: base.sourceId,
    legalEntity,
    vendorAccount: base.vendorNumber,
    invoiceNumber: base.vendorInvoiceNumber,
    invoiceDate: base.invoiceDate,
    ...(base.dueDate ? { dueDate: base.dueDate } : {}),
    currency: base.currencyCode,
    approvalStatus: invoice.workflowStatus ?? 'Approved',
    lines: base.lines.map((line, index) => ({
      lineNumber: index + 1,
      mainAccount: line.accountNumber,
      dimensions: line.dimensions,
      description: line.description2 ? `${line.description} ${line.description2}`.slice(0, 100) : line.description,
      quantity: line.quantity,
      unitPrice: line.unitCost,
      amount: round2(line.quantity * line.unitCost),
    })),
  };
}
