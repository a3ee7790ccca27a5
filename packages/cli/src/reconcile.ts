import Table from 'cli-table3';
import { createBusinessCentralClient, type BusinessCentralClientOptions } from '@ml-connector/business-central';
import { InvalidInputError } from '@ml-connector/core';
import type { SyncStore } from '@ml-connector/core/sync';
import { createJaggaerClient, type JaggaerClientOptions } from '@ml-connector/jaggaer-j1p';
import type { OperatorConnections } from './systems.js';

/** One field that differs between a JAGGAER invoice and the Business Central invoice written from it. */
export interface FieldDifference {
  /** JAGGAER invoice id. */
  readonly sourceId: string;
  /** Business Central purchase invoice id. */
  readonly targetId: string;
  readonly field: string;
  readonly source: string;
  readonly target: string;
}

/** One side of a reconciliation: invoice count and total amount. */
export interface ReconciliationSide {
  readonly invoices: number;
  /** Sum of the invoice totals, rounded to cents. */
  readonly amount: number;
}

/** Result of {@link reconcileInvoices}: one flow, one period. */
export interface ReconciliationReport {
  readonly flow: string;
  /** First and last day (inclusive), `YYYY-MM-DD`. */
  readonly period: { readonly from: string; readonly to: string };
  readonly source: ReconciliationSide & { readonly system: 'jaggaer' };
  readonly target: ReconciliationSide & { readonly system: 'business-central' };
  /** Invoices found on both sides (by the flow's ledger, else by supplier invoice number). */
  readonly matched: number;
  /** JAGGAER invoice ids (with their numbers) with no Business Central invoice. */
  readonly sourceOnly: readonly string[];
  /** Business Central invoice numbers with no JAGGAER invoice. */
  readonly targetOnly: readonly string[];
  /** Vendor numbers in Business Central that no JAGGAER supplier carries, and the reverse. */
  readonly vendorsOnlyInTarget: readonly string[];
  readonly vendorsOnlyInSource: readonly string[];
  readonly differences: readonly FieldDifference[];
  /** No invoice on one side only and no field difference. */
  readonly balanced: boolean;
}

/** Options of {@link reconcileInvoices}. */
export interface ReconcileOptions {
  readonly connections: OperatorConnections;
  /** The engine's store: its ledger pairs source and target invoices. */
  readonly store: SyncStore;
  /** `YYYY-MM` or `YYYY-MM-DD..YYYY-MM-DD`, by invoice date. */
  readonly period: string;
  /** Flow whose ledger pairs the invoices. Default `bc-invoices`. */
  readonly flow?: string;
  /** JAGGAER workflow status of the invoices the flow moves. Default `Approved`; `any` compares every invoice. */
  readonly sourceStatus?: string;
}

function parsePeriod(period: string): { from: string; to: string } {
  const month = /^(\d{4})-(\d{2})$/.exec(period);
  if (month) {
    const last = new Date(Date.UTC(Number(month[1]), Number(month[2]), 0)).getUTCDate();
    return { from: `${period}-01`, to: `${period}-${String(last).padStart(2, '0')}` };
  }
  const range = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(period);
  if (range && range[1]! <= range[2]!) return { from: range[1]!, to: range[2]! };
  throw new InvalidInputError(`--period must be YYYY-MM or YYYY-MM-DD..YYYY-MM-DD, got "${period}"`, { field: 'period' });
}

const cents = (value: number) => Math.round(value * 100) / 100;

/**
 * Reconciles one period of the bc-invoices flow: JAGGAER invoices in the flow's status (by invoice date) against Business Central
 * purchase invoices, paired through the flow's ledger (falling back on the supplier invoice number). Reports counts
 * and amounts on each side, invoices and vendors present on one side only, and field differences of each pair.
 */
export async function reconcileInvoices(options: ReconcileOptions): Promise<ReconciliationReport> {
  const { connections, store } = options;
  const flow = options.flow ?? 'bc-invoices';
  const period = parsePeriod(options.period);
  if (!connections.businessCentral || !connections.jaggaer) {
    throw new InvalidInputError('reconcile needs both Business Central and JAGGAER configured (or the running emulators)', { field: 'BC_TENANT_ID' });
  }
  const inPeriod = (date: string | undefined) => date !== undefined && date.slice(0, 10) >= period.from && date.slice(0, 10) <= period.to;
  const bc = createBusinessCentralClient(connections.businessCentral as BusinessCentralClientOptions);
  const jaggaer = createJaggaerClient(connections.jaggaer as JaggaerClientOptions);
  let companyId = connections.businessCentralCompanyId;
  if (!companyId) {
    const companies = await bc.companies.list().toArray({ limit: 100 });
    if (companies.length !== 1) throw new InvalidInputError(`the environment has ${companies.length} companies: set BC_COMPANY_ID`, { field: 'BC_COMPANY_ID' });
    companyId = companies[0]!.id;
  }
  const company = bc.company(companyId);

  const sourceInvoices = [];
  const status = options.sourceStatus ?? 'Approved';
  for await (const invoice of jaggaer.invoices.list(status === 'any' ? {} : { status })) if (inPeriod(invoice.invoiceDate)) sourceInvoices.push(invoice);
  const targetInvoices = [];
  for await (const invoice of company.purchaseInvoices.list()) if (inPeriod(invoice.invoiceDate)) targetInvoices.push(invoice);
  const vendorNumbers = new Set<string>();
  for await (const vendor of company.vendors.list()) vendorNumbers.add(vendor.number);
  const supplierNumbers = new Set<string>();
  for await (const supplier of jaggaer.suppliers.list()) if (supplier.supplierNumber) supplierNumbers.add(supplier.supplierNumber);

  const targetById = new Map(targetInvoices.map((t) => [t.id, t]));
  const pairedTargets = new Set<string>();
  const sourceOnly: string[] = [];
  const differences: FieldDifference[] = [];
  for (const invoice of sourceInvoices) {
    const entry = await store.getLedgerEntry({ flow, sourceSystem: 'jaggaer', sourceId: invoice.invoiceId });
    let target = entry?.targetId ? targetById.get(entry.targetId) : undefined;
    target ??= targetInvoices.find((t) => !pairedTargets.has(t.id) && t.vendorInvoiceNumber === invoice.supplierInvoiceNumber);
    if (!target) {
      sourceOnly.push(`${invoice.invoiceId} (${invoice.invoiceNumber ?? invoice.supplierInvoiceNumber ?? 'no number'})`);
      continue;
    }
    pairedTargets.add(target.id);
    const diff = (field: string, source: unknown, targetValue: unknown) => {
      if (String(source ?? '') !== String(targetValue ?? '')) differences.push({ sourceId: invoice.invoiceId, targetId: target.id, field, source: String(source ?? ''), target: String(targetValue ?? '') });
    };
    diff('vendorInvoiceNumber', invoice.supplierInvoiceNumber, target.vendorInvoiceNumber);
    diff('invoiceDate', invoice.invoiceDate?.slice(0, 10), target.invoiceDate);
    if (invoice.total?.value !== undefined) diff('totalAmountIncludingTax', cents(invoice.total.value).toFixed(2), cents(Number(target.totalAmountIncludingTax ?? 0)).toFixed(2));
    // Business Central leaves the currency code empty for the local currency.
    if (target.currencyCode) diff('currencyCode', invoice.total?.currency, target.currencyCode);
  }
  const targetOnly = targetInvoices.filter((t) => !pairedTargets.has(t.id)).map((t) => `${String(t.number)} (${t.vendorInvoiceNumber})`);
  return {
    flow,
    period,
    source: { system: 'jaggaer', invoices: sourceInvoices.length, amount: cents(sourceInvoices.reduce((sum, i) => sum + (i.total?.value ?? 0), 0)) },
    target: { system: 'business-central', invoices: targetInvoices.length, amount: cents(targetInvoices.reduce((sum, i) => sum + Number(i.totalAmountIncludingTax ?? 0), 0)) },
    matched: pairedTargets.size,
    sourceOnly,
    targetOnly,
    vendorsOnlyInTarget: [...vendorNumbers].filter((v) => !supplierNumbers.has(v)).sort(),
    vendorsOnlyInSource: [...supplierNumbers].filter((s) => !vendorNumbers.has(s)).sort(),
    differences,
    balanced: sourceOnly.length === 0 && targetOnly.length === 0 && differences.length === 0,
  };
}

/** The report as text tables. */
export function renderReconciliationTable(report: ReconciliationReport): string {
  const summary = new Table({ head: ['', 'JAGGAER', 'Business Central'], style: { head: [], border: [] } });
  summary.push(['invoices', report.source.invoices, report.target.invoices], ['amount', report.source.amount.toFixed(2), report.target.amount.toFixed(2)], ['matched', report.matched, report.matched]);
  summary.push(['on one side only', report.sourceOnly.length, report.targetOnly.length], ['vendors on one side only', report.vendorsOnlyInSource.length, report.vendorsOnlyInTarget.length]);
  let text = `Reconciliation of ${report.flow}, ${report.period.from} to ${report.period.to}\n${summary.toString()}\n`;
  if (report.differences.length > 0) {
    const diffs = new Table({ head: ['JAGGAER invoice', 'BC invoice', 'field', 'JAGGAER', 'Business Central'], style: { head: [], border: [] } });
    for (const d of report.differences) diffs.push([d.sourceId, d.targetId, d.field, d.source, d.target]);
    text += `Field differences:\n${diffs.toString()}\n`;
  }
  if (report.sourceOnly.length > 0) text += `Only in JAGGAER: ${report.sourceOnly.join(', ')}\n`;
  if (report.targetOnly.length > 0) text += `Only in Business Central: ${report.targetOnly.join(', ')}\n`;
  if (report.vendorsOnlyInTarget.length > 0) text += `Vendors only in Business Central: ${report.vendorsOnlyInTarget.join(', ')}\n`;
  if (report.vendorsOnlyInSource.length > 0) text += `Suppliers only in JAGGAER: ${report.vendorsOnlyInSource.join(', ')}\n`;
  return `${text}${report.balanced ? 'Balanced.' : 'Not balanced.'}\n`;
}

const csvCell = (value: string | number) => {
  const text = String(value);
  // Quote per RFC 4180; a leading = + - @ is neutralised so spreadsheets do not run it as a formula.
  const safe = /^[=+\-@\t\r]/.test(text) && !/^-?\d/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** The report as CSV: one row per finding (`kind,key,field,jaggaer,business_central`). */
export function renderReconciliationCsv(report: ReconciliationReport): string {
  const rows: Array<Array<string | number>> = [['kind', 'key', 'field', 'jaggaer', 'business_central']];
  rows.push(['count', `${report.period.from}..${report.period.to}`, 'invoices', report.source.invoices, report.target.invoices]);
  rows.push(['amount', `${report.period.from}..${report.period.to}`, 'total', report.source.amount.toFixed(2), report.target.amount.toFixed(2)]);
  for (const id of report.sourceOnly) rows.push(['invoice-only-in-jaggaer', id, '', id, '']);
  for (const id of report.targetOnly) rows.push(['invoice-only-in-business-central', id, '', '', id]);
  for (const v of report.vendorsOnlyInSource) rows.push(['vendor-only-in-jaggaer', v, '', v, '']);
  for (const v of report.vendorsOnlyInTarget) rows.push(['vendor-only-in-business-central', v, '', '', v]);
  for (const d of report.differences) rows.push(['field-difference', `${d.sourceId}→${d.targetId}`, d.field, d.source, d.target]);
  return `${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

const html = (value: string | number) => String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The report as one self-contained HTML page (inline style, no script, no external resource). */
export function renderReconciliationHtml(report: ReconciliationReport): string {
  const list = (title: string, items: readonly string[]) =>
    items.length === 0 ? '' : `<h2>${html(title)} (${items.length})</h2><ul>${items.map((i) => `<li>${html(i)}</li>`).join('')}</ul>`;
  const diffs =
    report.differences.length === 0
      ? ''
      : `<h2>Field differences (${report.differences.length})</h2><table><tr><th>JAGGAER invoice</th><th>BC invoice</th><th>field</th><th>JAGGAER</th><th>Business Central</th></tr>${report.differences
          .map((d) => `<tr><td>${html(d.sourceId)}</td><td>${html(d.targetId)}</td><td>${html(d.field)}</td><td>${html(d.source)}</td><td>${html(d.target)}</td></tr>`)
          .join('')}</table>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Reconciliation ${html(report.flow)} ${html(report.period.from)}–${html(report.period.to)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem;color:#1b1f24}table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #c8ccd0;padding:4px 10px;text-align:left}
th{background:#f2f4f6}.ok{color:#1a7f37}.bad{color:#cf222e}</style></head><body>
<h1>Reconciliation of ${html(report.flow)}</h1><p>${html(report.period.from)} to ${html(report.period.to)}: <strong class="${report.balanced ? 'ok' : 'bad'}">${report.balanced ? 'balanced' : 'not balanced'}</strong></p>
<table><tr><th></th><th>JAGGAER</th><th>Business Central</th></tr>
<tr><td>invoices</td><td>${report.source.invoices}</td><td>${report.target.invoices}</td></tr>
<tr><td>amount</td><td>${report.source.amount.toFixed(2)}</td><td>${report.target.amount.toFixed(2)}</td></tr>
<tr><td>matched</td><td>${report.matched}</td><td>${report.matched}</td></tr></table>
${diffs}${list('Only in JAGGAER', report.sourceOnly)}${list('Only in Business Central', report.targetOnly)}${list('Suppliers only in JAGGAER', report.vendorsOnlyInSource)}${list('Vendors only in Business Central', report.vendorsOnlyInTarget)}
</body></html>
`;
}
