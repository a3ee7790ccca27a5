import { DataError, type MappingSet } from '@ml-connector/core/sync';
import type { CodingSplit, Invoice, InvoiceLine } from '@ml-connector/jaggaer-j1p';
import { LOCAL_CURRENCY } from './mappings.ts';

/** One Business Central purchase invoice line: one coding split of one JAGGAER line. */
export interface InvoiceDraftLine {
  /** G/L account number (`lineType: 'Account'`, `lineObjectNumber`). */
  readonly accountNumber: string;
  /** JAGGAER item description (BC `description`, 100 characters). */
  readonly description: string;
  /** JAGGAER purchase order reference `PO <number>/<line>` (BC `description2`, 50 characters); see the README. */
  readonly description2?: string;
  readonly quantity: number;
  readonly unitCost: number;
  /** Business Central unit of measure code. */
  readonly unitOfMeasureCode?: string;
  /** Dimension code → dimension value code. */
  readonly dimensions: Readonly<Record<string, string>>;
}

/** What the flow writes: a draft purchase invoice, as plain data (the audit stores it, dry runs diff it). */
export interface InvoiceDraft {
  /** JAGGAER invoice id (kept for the duplicate check against the ledger). */
  readonly sourceId: string;
  readonly vendorNumber: string;
  /** The supplier's own invoice number (JAGGAER `supplierInvoiceNumber`). With the vendor, the natural key. */
  readonly vendorInvoiceNumber: string;
  /** `YYYY-MM-DD`. */
  readonly invoiceDate?: string;
  /** `YYYY-MM-DD`. */
  readonly dueDate?: string;
  /** Business Central currency code; empty for the company's local currency. */
  readonly currencyCode: string;
  readonly lines: readonly InvoiceDraftLine[];
}

/** Field lengths of the AL tables behind the API page (Purchase Header / Purchase Line). */
const MAX = { vendorInvoiceNumber: 35, description: 100, description2: 50 } as const;

const round2 = (value: number): number => Math.round(value * 100) / 100;
const dateOnly = (value: string | undefined): string | undefined => (value ? value.slice(0, 10) : undefined);

/** Shares of a line's amount per split: the split's own amount, else its percentage (rounding rest on the last split). */
function splitAmounts(lineAmount: number, splits: readonly CodingSplit[], field: string): number[] {
  if (splits.every((split) => split.amount !== undefined)) return splits.map((split) => round2(split.amount!));
  const percentages = splits.map((split) => split.percentage ?? (splits.length === 1 ? 100 : undefined));
  if (percentages.some((p) => p === undefined)) {
    throw new DataError('invalid-coding', `a split of ${field} has neither an amount nor a percentage`, { field });
  }
  const total = percentages.reduce<number>((sum, p) => sum + p!, 0);
  if (Math.abs(total - 100) > 0.001) throw new DataError('invalid-coding', `the splits of ${field} add up to ${total} %, not 100 %`, { field });
  const amounts = percentages.map((p) => round2((lineAmount * p!) / 100));
  const rest = round2(lineAmount - amounts.reduce((sum, a) => sum + a, 0));
  amounts[amounts.length - 1] = round2(amounts.at(-1)! + rest);
  return amounts;
}

function poReference(line: InvoiceLine): string | undefined {
  if (!line.poNumber) return undefined;
  return `PO ${line.poNumber}${line.poLineNumber ? `/${line.poLineNumber}` : ''}`.slice(0, MAX.description2);
}

/**
 * Maps an approved JAGGAER invoice to a Business Central draft purchase invoice with the crosswalk tables:
 * supplier → vendor, currency, and for each coding split of each line one BC line (account, dimensions, amount
 * from the split). Throws {@link DataError} (review queue) for what must be fixed first.
 */
export function mapInvoice(invoice: Invoice, mappings: MappingSet): InvoiceDraft {
  if (invoice.workflowStatus !== undefined && invoice.workflowStatus !== 'Approved') {
    throw new DataError('not-approved', `invoice ${invoice.invoiceNumber ?? invoice.invoiceId} is ${invoice.workflowStatus}, not Approved`, { field: 'workflowStatus' });
  }
  if (invoice.invoiceType && invoice.invoiceType !== 'Invoice') {
    throw new DataError('unsupported-document-type', `${invoice.invoiceType} documents become purchase credit memos, which this flow does not write`, { field: 'invoiceType' });
  }
  const supplierNumber = invoice.supplier?.supplierNumber;
  if (!supplierNumber) throw new DataError('missing-supplier', 'the invoice names no supplier number', { field: 'supplier.supplierNumber' });
  const vendorNumber = mappings.lookupString('supplier-vendor', supplierNumber, { field: 'supplier.supplierNumber' });
  const vendorInvoiceNumber = invoice.supplierInvoiceNumber?.trim();
  if (!vendorInvoiceNumber) throw new DataError('missing-vendor-invoice-number', 'the invoice has no supplier invoice number', { field: 'supplierInvoiceNumber' });
  if (vendorInvoiceNumber.length > MAX.vendorInvoiceNumber) {
    throw new DataError('field-too-long', `supplier invoice number "${vendorInvoiceNumber}" is longer than Business Central's ${MAX.vendorInvoiceNumber} characters`, { field: 'supplierInvoiceNumber' });
  }
  const currency = invoice.total?.currency;
  if (!currency) throw new DataError('missing-currency', 'the invoice total has no currency', { field: 'total.currency' });
  const mappedCurrency = mappings.lookupString('currency', currency, { field: 'total.currency' });
  const currencyCode = mappedCurrency === LOCAL_CURRENCY ? '' : mappedCurrency;
  if (invoice.lines.length === 0) throw new DataError('no-lines', 'the invoice has no lines', { field: 'lines' });

  const lines: InvoiceDraftLine[] = [];
  invoice.lines.forEach((line, lineIndex) => {
    const field = `lines[${lineIndex}]`;
    const splits = line.codingSplits.length > 0 ? line.codingSplits : invoice.codingSplits;
    if (splits.length === 0) throw new DataError('missing-coding', `line ${line.lineNumber ?? lineIndex + 1} has no accounting coding`, { field: `${field}.coding` });
    const quantity = line.quantity ?? 0;
    const unitPrice = line.unitPrice ?? 0;
    const unsplit = splits.length === 1 && splits[0]!.amount === undefined && (splits[0]!.percentage ?? 100) === 100;
    const amounts = unsplit ? [] : splitAmounts(round2(quantity * unitPrice), splits, field);
    let unitOfMeasureCode: string | undefined;
    if (line.unitOfMeasure) {
      unitOfMeasureCode = mappings.lookupString('unit-of-measure', line.unitOfMeasure, { field: `${field}.unitOfMeasure` });
    }
    splits.forEach((split, splitIndex) => {
      const splitField = splits.length > 1 ? `${field}.codingSplits[${splitIndex}]` : field;
      const account = split.values.account;
      if (!account) throw new DataError('missing-coding', `${splitField} has no account segment`, { field: `${splitField}.account` });
      const accountNumber = mappings.lookupString('gl-account', account, { field: `${splitField}.account` });
      // Every other coding segment is a dimension: an unmapped segment value sends the invoice to review rather
      // than dropping part of its coding.
      const dimensions: Record<string, string> = {};
      for (const [segment, value] of Object.entries(split.values)) {
        if (segment === 'account' || value === '') continue;
        const mapped = mappings.lookupRecord('coding-dimension', `${segment}/${value}`, { field: `${splitField}.${segment}` });
        if (!mapped['dimension'] || !mapped['value']) {
          throw new DataError('invalid-mapping', `coding-dimension row ${segment}/${value} needs both a dimension and a value`, { field: `${splitField}.${segment}` });
        }
        dimensions[mapped['dimension']] = mapped['value'];
      }
      const description = (line.description ?? `Line ${line.lineNumber ?? lineIndex + 1}`).slice(0, MAX.description);
      const share = splits.length > 1 && split.percentage !== undefined ? ` (${split.percentage} %)` : '';
      const reference = poReference(line);
      lines.push({
        accountNumber,
        description: `${description.slice(0, MAX.description - share.length)}${share}`,
        ...(reference ? { description2: reference } : {}),
        ...(unsplit ? { quantity, unitCost: unitPrice } : { quantity: 1, unitCost: amounts[splitIndex]! }),
        ...(unitOfMeasureCode ? { unitOfMeasureCode } : {}),
        dimensions,
      });
    });
  });
  const invoiceDate = dateOnly(invoice.invoiceDate);
  const dueDate = dateOnly(invoice.dueDate);
  return {
    sourceId: invoice.invoiceId,
    vendorNumber,
    vendorInvoiceNumber,
    ...(invoiceDate ? { invoiceDate } : {}),
    ...(dueDate ? { dueDate } : {}),
    currencyCode,
    lines,
  };
}
