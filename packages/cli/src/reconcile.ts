import Table from 'cli-table3';
import { createBusinessCentralClient, type BusinessCentralClientOptions, type BusinessCentralCompany } from '@ml-connector/business-central';
import { InvalidInputError } from '@ml-connector/core';
import type { SyncStore } from '@ml-connector/core/sync';
import { createFinanceOperationsClient, type FinanceOperationsClientOptions } from '@ml-connector/d365-fo';
import { createJaggaerClient, type Invoice, type JaggaerClient, type JaggaerClientOptions } from '@ml-connector/jaggaer-j1p';
import { createNavClient, type NavClientOptions } from '@ml-connector/nav';
import { createOracleFusionClient, type OracleFusionClientOptions } from '@ml-connector/oracle-fusion';
import type { OperatorConnections } from './systems.js';

/** One field that differs between a source record and the target record written from it. */
export interface FieldDifference {
  /** Source record id. */
  readonly sourceId: string;
  /** Target record id. */
  readonly targetId: string;
  readonly field: string;
  readonly source: string;
  readonly target: string;
}

/** One side of a reconciliation: record count and, for invoices, the total amount. */
export interface ReconciliationSide {
  /** `jaggaer`, `business-central`, `finance-operations`, `nav` or `oracle-fusion`. */
  readonly system: string;
  /** Name for people (`Business Central`). */
  readonly label: string;
  /** Records in the period (invoices) or in all (vendors). */
  readonly records: number;
  /** Sum of the invoice totals, rounded to cents (0 for vendors). */
  readonly amount: number;
}

/** Result of {@link reconcileInvoices}: one flow, one period. */
export interface ReconciliationReport {
  readonly flow: string;
  /** What is compared: invoices (by invoice date in the period) or vendors (all of them). */
  readonly kind: 'invoices' | 'vendors';
  /** First and last day (inclusive), `YYYY-MM-DD`. */
  readonly period: { readonly from: string; readonly to: string };
  readonly source: ReconciliationSide;
  readonly target: ReconciliationSide;
  /** Records found on both sides (by the flow's ledger, else by their business key). */
  readonly matched: number;
  /** Source records (id and number) with no target record. */
  readonly sourceOnly: readonly string[];
  /** Target records (id and number) with no source record. */
  readonly targetOnly: readonly string[];
  /** For invoices: vendor numbers in the target that no source supplier carries, and the reverse. */
  readonly vendorsOnlyInTarget: readonly string[];
  readonly vendorsOnlyInSource: readonly string[];
  readonly differences: readonly FieldDifference[];
  /** No record on one side only and no field difference. */
  readonly balanced: boolean;
}

/** Options of {@link reconcileInvoices}. */
export interface ReconcileOptions {
  readonly connections: OperatorConnections;
  /** The engine's store: its ledger pairs source and target records. */
  readonly store: SyncStore;
  /** `YYYY-MM` or `YYYY-MM-DD..YYYY-MM-DD`, by invoice date (ignored for vendors). */
  readonly period: string;
  /** Flow to reconcile, one of {@link RECONCILABLE_FLOWS}. Default `bc-invoices`. */
  readonly flow?: string;
  /** JAGGAER workflow status of the invoices the flow moves. Default `Approved`; `any` compares every invoice. */
  readonly sourceStatus?: string;
  /** F&O legal entities to read (default: those in the flow's ledger, and the client's default company, else `usmf`). */
  readonly legalEntities?: readonly string[];
}

/** A record of either side, reduced to what a reconciliation compares. */
interface ReconcileRecord {
  readonly id: string;
  /** Number people know it by: shown next to the id for a source record, alone for a target record (it names the target). */
  readonly number: string;
  /** Business key pairing records the ledger does not (supplier invoice number, vendor number). */
  readonly key: string;
  readonly amount: number;
  /** Compared fields (a field empty on either side is not compared). */
  readonly fields: Readonly<Record<string, string>>;
}

interface Side {
  readonly system: string;
  readonly label: string;
  records(): Promise<ReconcileRecord[]>;
  /** Vendor numbers of this side (invoice flows). */
  vendors?(): Promise<Set<string>>;
}

interface FlowPlan {
  readonly kind: 'invoices' | 'vendors';
  /** Ledger coordinates: the flow that wrote the target and its source system. */
  readonly ledgerFlow: string;
  readonly ledgerSourceSystem: string;
  /** Target record id from a ledger target id (default: the same). */
  readonly targetIdOf?: (ledgerTargetId: string) => string;
  readonly source: Side;
  readonly target: Side;
}

/**
 * Flows `reconcile` knows, with their aliases. Invoices: JAGGAER → Business Central, F&O and NAV, Oracle → JAGGAER.
 * Vendors: NAV ⇄ JAGGAER (nav-vendors) and Business Central → JAGGAER (bc-master-data).
 */
export const RECONCILABLE_FLOWS: Readonly<Record<string, string>> = Object.freeze({
  'bc-invoices': 'bc-invoices',
  'fo-invoices': 'fo-invoices',
  'nav-purchasing': 'nav-purchasing.invoices',
  'nav-purchasing.invoices': 'nav-purchasing.invoices',
  'oracle-to-jaggaer': 'oracle-invoices-to-jaggaer',
  'oracle-invoices-to-jaggaer': 'oracle-invoices-to-jaggaer',
  'nav-vendors': 'nav-vendors.to-nav',
  'nav-vendors.to-nav': 'nav-vendors.to-nav',
  'bc-master-data': 'bc-master-data.vendors',
  'bc-master-data.vendors': 'bc-master-data.vendors',
});

function parsePeriod(period: string): { from: string; to: string } {
  const month = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(period);
  if (month) {
    const last = new Date(Date.UTC(Number(month[1]), Number(month[2]), 0)).getUTCDate();
    return { from: `${period}-01`, to: `${period}-${String(last).padStart(2, '0')}` };
  }
  const range = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(period);
  if (range && range[1]! <= range[2]!) return { from: range[1]!, to: range[2]! };
  throw new InvalidInputError(`--period must be YYYY-MM or YYYY-MM-DD..YYYY-MM-DD, got "${period}"`, { field: 'period' });
}

const cents = (value: number) => Math.round(value * 100) / 100;
const money = (value: unknown) => (value === undefined || value === null || value === '' ? '' : cents(Number(value)).toFixed(2));
const day = (value: unknown) => (typeof value === 'string' ? value.slice(0, 10) : '');
const text = (value: unknown) => (value === undefined || value === null ? '' : String(value));

/** An invoice of either side as a reconcile record: its compared fields normalised (text, day, total to 2 decimals). */
function invoiceRecord(invoice: { id: string; number: string; key: string; vendorInvoiceNumber: unknown; invoiceDate: unknown; total: unknown; currency: unknown }): ReconcileRecord {
  return {
    id: invoice.id,
    number: invoice.number,
    key: invoice.key,
    amount: Number(invoice.total ?? 0),
    fields: { vendorInvoiceNumber: text(invoice.vendorInvoiceNumber), invoiceDate: day(invoice.invoiceDate), total: money(invoice.total), currency: text(invoice.currency) },
  };
}

function need<T>(value: T | undefined, what: string, variable: string): T {
  if (value === undefined) throw new InvalidInputError(`reconcile of this flow needs ${what} configured (or the running emulators)`, { field: variable });
  return value;
}

async function businessCentralCompany(connections: OperatorConnections): Promise<BusinessCentralCompany> {
  const bc = createBusinessCentralClient(need(connections.businessCentral, 'Business Central', 'BC_TENANT_ID') as BusinessCentralClientOptions);
  let companyId = connections.businessCentralCompanyId;
  if (!companyId) {
    const companies = await bc.companies.list().toArray({ limit: 100 });
    if (companies.length !== 1) throw new InvalidInputError(`the environment has ${companies.length} companies: set BC_COMPANY_ID`, { field: 'BC_COMPANY_ID' });
    companyId = companies[0]!.id;
  }
  return bc.company(companyId);
}

/** Approved (or `status`) JAGGAER invoices in the period, as the invoice flows read them. */
function jaggaerInvoices(jaggaer: JaggaerClient, status: string, inPeriod: (date: unknown) => boolean): Side {
  const of = (invoice: Invoice): ReconcileRecord =>
    invoiceRecord({
      id: invoice.invoiceId,
      number: invoice.invoiceNumber ?? invoice.supplierInvoiceNumber ?? 'no number',
      key: invoice.supplierInvoiceNumber ?? '',
      vendorInvoiceNumber: invoice.supplierInvoiceNumber,
      invoiceDate: invoice.invoiceDate,
      total: invoice.total?.value,
      currency: invoice.total?.currency,
    });
  return {
    system: 'jaggaer',
    label: 'JAGGAER',
    async records() {
      const found: ReconcileRecord[] = [];
      for await (const invoice of jaggaer.invoices.list(status === 'any' ? {} : { status })) if (inPeriod(invoice.invoiceDate)) found.push(of(invoice));
      return found;
    },
    vendors: () => jaggaerSupplierNumbers(jaggaer),
  };
}

async function jaggaerSupplierNumbers(jaggaer: JaggaerClient): Promise<Set<string>> {
  const numbers = new Set<string>();
  for await (const supplier of jaggaer.suppliers.list()) if (supplier.supplierNumber) numbers.add(supplier.supplierNumber);
  return numbers;
}

/** The F&O legal entities an fo-invoices ledger wrote to. */
async function ledgerLegalEntities(store: SyncStore, flow: string, sourceIds: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const sourceId of sourceIds) {
    const entry = await store.getLedgerEntry({ flow, sourceSystem: 'jaggaer', sourceId });
    if (entry?.targetId) found.add(entry.targetId.slice(0, entry.targetId.indexOf('/')));
  }
  return [...found].filter(Boolean);
}

async function planOf(flow: string, options: ReconcileOptions, inPeriod: (date: unknown) => boolean): Promise<FlowPlan> {
  const { connections } = options;
  const status = options.sourceStatus ?? 'Approved';
  const jaggaer = () => createJaggaerClient(need(connections.jaggaer, 'JAGGAER', 'JAGGAER_HOST') as JaggaerClientOptions);
  switch (flow) {
    case 'bc-invoices': {
      const company = await businessCentralCompany(connections);
      return {
        kind: 'invoices',
        ledgerFlow: flow,
        ledgerSourceSystem: 'jaggaer',
        source: jaggaerInvoices(jaggaer(), status, inPeriod),
        target: {
          system: 'business-central',
          label: 'Business Central',
          async records() {
            const found: ReconcileRecord[] = [];
            for await (const invoice of company.purchaseInvoices.list()) {
              if (!inPeriod(invoice.invoiceDate)) continue;
              found.push(
                invoiceRecord({
                  id: invoice.id,
                  number: `${String(invoice.number)} (${invoice.vendorInvoiceNumber})`,
                  key: invoice.vendorInvoiceNumber ?? '',
                  vendorInvoiceNumber: invoice.vendorInvoiceNumber,
                  invoiceDate: invoice.invoiceDate,
                  total: invoice.totalAmountIncludingTax ?? 0,
                  // Business Central leaves the currency code empty for the local currency: then it is not compared.
                  currency: invoice.currencyCode,
                }),
              );
            }
            return found;
          },
          async vendors() {
            const numbers = new Set<string>();
            for await (const vendor of company.vendors.list()) numbers.add(vendor.number);
            return numbers;
          },
        },
      };
    }
    case 'fo-invoices': {
      const foOptions = need(connections.financeOperations, 'Finance & Operations', 'FO_ENVIRONMENT_URL');
      const fo = createFinanceOperationsClient(foOptions as FinanceOperationsClientOptions);
      const source = jaggaerInvoices(jaggaer(), status, inPeriod);
      let entities: string[] | undefined;
      const legalEntities = async (sourceIds: readonly string[]) =>
        (entities ??= options.legalEntities?.length
          ? [...options.legalEntities]
          : [...new Set([...(await ledgerLegalEntities(options.store, flow, sourceIds)), foOptions.defaultLegalEntity ?? 'usmf'].map((e) => e.toLowerCase()))]);
      let sourceRecords: ReconcileRecord[] | undefined;
      const cachedSource: Side = { ...source, records: async () => (sourceRecords ??= await source.records()) };
      return {
        kind: 'invoices',
        ledgerFlow: flow,
        ledgerSourceSystem: 'jaggaer',
        // `<legalEntity>/<headerReference>?vendor=…&invoice=…` → `<legalEntity>/<headerReference>`.
        targetIdOf: (id) => id.split('?')[0]!,
        source: cachedSource,
        target: {
          system: 'finance-operations',
          label: 'Finance & Operations',
          async records() {
            const found: ReconcileRecord[] = [];
            for (const id of await legalEntities((await cachedSource.records()).map((r) => r.id))) {
              const company = fo.legalEntity(id);
              const totals = new Map<string, number>();
              for await (const line of company.vendorInvoices.lines.list()) totals.set(line.HeaderReference, (totals.get(line.HeaderReference) ?? 0) + Number(line.Amount ?? 0));
              for await (const header of company.vendorInvoices.headers.list()) {
                if (!inPeriod(header.InvoiceDate)) continue;
                const total = totals.get(header.HeaderReference) ?? 0;
                found.push(
                  invoiceRecord({
                    id: `${id}/${header.HeaderReference}`,
                    number: `${id}/${header.HeaderReference} (${header.InvoiceNumber}, pending)`,
                    key: header.InvoiceNumber,
                    vendorInvoiceNumber: header.InvoiceNumber,
                    invoiceDate: header.InvoiceDate,
                    total,
                    currency: header.Currency,
                  }),
                );
              }
              // Posted invoices have left VendorInvoiceHeaders; the ledger still names the pending header, so they pair by number.
              for await (const posted of company.vendorInvoices.posted.list()) {
                if (!inPeriod(posted.InvoiceDate)) continue;
                found.push(
                  invoiceRecord({
                    id: `${id}/posted/${posted.LedgerVoucher}`,
                    number: `${id} ${posted.InvoiceId} (posted, voucher ${posted.LedgerVoucher})`,
                    key: posted.InvoiceId,
                    vendorInvoiceNumber: posted.InvoiceId,
                    invoiceDate: posted.InvoiceDate,
                    total: posted.InvoiceAmount,
                    currency: posted.CurrencyCode,
                  }),
                );
              }
            }
            return found;
          },
          async vendors() {
            const numbers = new Set<string>();
            for (const id of await legalEntities((await cachedSource.records()).map((r) => r.id))) for await (const vendor of fo.legalEntity(id).vendors.list()) numbers.add(vendor.VendorAccountNumber);
            return numbers;
          },
        },
      };
    }
    case 'nav-purchasing.invoices': {
      const nav = createNavClient(need(connections.nav, 'Dynamics NAV', 'NAV_URL') as NavClientOptions);
      return {
        kind: 'invoices',
        ledgerFlow: flow,
        ledgerSourceSystem: 'jaggaer',
        source: jaggaerInvoices(jaggaer(), status, inPeriod),
        target: {
          system: 'nav',
          label: 'Dynamics NAV',
          async records() {
            const found: ReconcileRecord[] = [];
            for await (const invoice of nav.purchaseInvoices.list()) {
              if (!inPeriod(invoice.documentDate)) continue;
              let total = 0;
              for await (const line of nav.purchaseInvoices.lines.list(String(invoice.number))) total += Number(line.lineAmount ?? 0);
              found.push(
                invoiceRecord({
                  id: String(invoice.number),
                  number: `${String(invoice.number)} (${text(invoice.vendorInvoiceNumber)})`,
                  key: text(invoice.vendorInvoiceNumber),
                  vendorInvoiceNumber: invoice.vendorInvoiceNumber,
                  invoiceDate: invoice.documentDate,
                  total,
                  // NAV leaves the currency code empty for the local currency: then it is not compared.
                  currency: invoice.currencyCode,
                }),
              );
            }
            return found;
          },
          async vendors() {
            const numbers = new Set<string>();
            for await (const vendor of nav.vendors.list()) numbers.add(String(vendor.number));
            return numbers;
          },
        },
      };
    }
    case 'oracle-invoices-to-jaggaer': {
      const oracle = createOracleFusionClient(need(connections.oracleFusion, 'Oracle Fusion', 'ORACLE_HOST') as OracleFusionClientOptions);
      const client = jaggaer();
      return {
        kind: 'invoices',
        ledgerFlow: flow,
        ledgerSourceSystem: 'oracle-fusion',
        source: {
          system: 'oracle-fusion',
          label: 'Oracle Fusion',
          async records() {
            const found: ReconcileRecord[] = [];
            for await (const invoice of oracle.invoices.list()) {
              // Canceled invoices are not imported: they are not expected in JAGGAER.
              if (!inPeriod(invoice.InvoiceDate) || invoice.CanceledFlag) continue;
              found.push(
                invoiceRecord({
                  id: String(invoice.InvoiceId),
                  number: invoice.InvoiceNumber,
                  key: `${text(invoice.SupplierNumber)}/${invoice.InvoiceNumber}`,
                  vendorInvoiceNumber: invoice.InvoiceNumber,
                  invoiceDate: invoice.InvoiceDate,
                  total: invoice.InvoiceAmount,
                  currency: invoice.InvoiceCurrency,
                }),
              );
            }
            return found;
          },
          async vendors() {
            const numbers = new Set<string>();
            for await (const supplier of oracle.suppliers.list({ fields: ['SupplierId', 'SupplierNumber'] })) if (supplier.SupplierNumber) numbers.add(String(supplier.SupplierNumber));
            return numbers;
          },
        },
        target: {
          system: 'jaggaer',
          label: 'JAGGAER',
          async records() {
            const found: ReconcileRecord[] = [];
            for await (const invoice of client.invoices.list()) {
              if (!inPeriod(invoice.invoiceDate)) continue;
              found.push(
                invoiceRecord({
                  id: invoice.invoiceId,
                  number: `${invoice.invoiceId} (${text(invoice.supplierInvoiceNumber)})`,
                  key: `${text(invoice.supplier?.supplierNumber)}/${text(invoice.supplierInvoiceNumber)}`,
                  vendorInvoiceNumber: invoice.supplierInvoiceNumber,
                  invoiceDate: invoice.invoiceDate,
                  total: invoice.total?.value,
                  currency: invoice.total?.currency,
                }),
              );
            }
            return found;
          },
          vendors: () => jaggaerSupplierNumbers(client),
        },
      };
    }
    case 'nav-vendors.to-nav':
    case 'bc-master-data.vendors': {
      const client = jaggaer();
      const suppliers: Side = {
        system: 'jaggaer',
        label: 'JAGGAER',
        async records() {
          const found: ReconcileRecord[] = [];
          for await (const supplier of client.suppliers.list()) {
            if (!supplier.supplierNumber) continue;
            found.push({ id: supplier.supplierNumber, number: `${supplier.supplierNumber} (${supplier.bravoId})`, key: supplier.supplierNumber, amount: 0, fields: { number: supplier.supplierNumber, name: text(supplier.companyName) } });
          }
          return found;
        },
      };
      if (flow === 'nav-vendors.to-nav') {
        const nav = createNavClient(need(connections.nav, 'Dynamics NAV', 'NAV_URL') as NavClientOptions);
        return {
          kind: 'vendors',
          ledgerFlow: flow,
          ledgerSourceSystem: 'jaggaer',
          source: suppliers,
          target: {
            system: 'nav',
            label: 'Dynamics NAV',
            async records() {
              const found: ReconcileRecord[] = [];
              for await (const vendor of nav.vendors.list()) found.push({ id: String(vendor.number), number: String(vendor.number), key: String(vendor.number), amount: 0, fields: { number: String(vendor.number), name: text(vendor.name) } });
              return found;
            },
          },
        };
      }
      const company = await businessCentralCompany(connections);
      return {
        kind: 'vendors',
        ledgerFlow: flow,
        ledgerSourceSystem: 'business-central',
        source: {
          system: 'business-central',
          label: 'Business Central',
          async records() {
            const found: ReconcileRecord[] = [];
            for await (const vendor of company.vendors.list()) found.push({ id: vendor.id, number: vendor.number, key: vendor.number, amount: 0, fields: { number: vendor.number, name: text(vendor.displayName) } });
            return found;
          },
        },
        target: suppliers,
      };
    }
    default:
      throw new InvalidInputError(`reconcile knows ${Object.keys(RECONCILABLE_FLOWS).join(', ')}; got "${flow}"`, { field: 'flow' });
  }
}

/**
 * Reconciles one flow: invoices of one period (by invoice date) of the source against the target documents the flow
 * wrote (JAGGAER → Business Central, F&O or NAV; Oracle → JAGGAER), or every vendor (nav-vendors, bc-master-data).
 * Records pair through the flow's ledger, falling back on their business key (supplier invoice number, vendor
 * number). Reports counts and amounts on each side, records (and, for invoices, vendors) on one side only, and the
 * field differences of each pair.
 */
export async function reconcileInvoices(options: ReconcileOptions): Promise<ReconciliationReport> {
  const requested = options.flow ?? 'bc-invoices';
  const flow = RECONCILABLE_FLOWS[requested];
  if (!flow) throw new InvalidInputError(`reconcile knows ${Object.keys(RECONCILABLE_FLOWS).join(', ')}; got "${requested}"`, { field: 'flow' });
  const period = parsePeriod(options.period);
  const plan = await planOf(flow, options, (date) => typeof date === 'string' && date.slice(0, 10) >= period.from && date.slice(0, 10) <= period.to);
  const [sourceRecords, targetRecords] = [await plan.source.records(), await plan.target.records()];
  const targetById = new Map(targetRecords.map((t) => [t.id, t]));
  const paired = new Set<string>();
  const sourceOnly: string[] = [];
  const differences: FieldDifference[] = [];
  for (const record of sourceRecords) {
    const entry = await options.store.getLedgerEntry({ flow: plan.ledgerFlow, sourceSystem: plan.ledgerSourceSystem, sourceId: record.id });
    let target = entry?.targetId ? targetById.get(plan.targetIdOf ? plan.targetIdOf(entry.targetId) : entry.targetId) : undefined;
    if (target && paired.has(target.id)) target = undefined;
    target ??= record.key ? targetRecords.find((t) => !paired.has(t.id) && t.key === record.key) : undefined;
    if (!target) {
      sourceOnly.push(`${record.id} (${record.number})`);
      continue;
    }
    paired.add(target.id);
    for (const [field, value] of Object.entries(record.fields)) {
      const other = target.fields[field];
      if (value !== '' && other !== undefined && other !== '' && value !== other) differences.push({ sourceId: record.id, targetId: target.id, field, source: value, target: other });
    }
  }
  const targetOnly = targetRecords.filter((t) => !paired.has(t.id)).map((t) => t.number);
  const [sourceVendors, targetVendors] = plan.kind === 'invoices' ? [await plan.source.vendors?.(), await plan.target.vendors?.()] : [undefined, undefined];
  const side = (s: Side, records: readonly ReconcileRecord[]): ReconciliationSide => ({ system: s.system, label: s.label, records: records.length, amount: cents(records.reduce((sum, r) => sum + r.amount, 0)) });
  return {
    flow,
    kind: plan.kind,
    period,
    source: side(plan.source, sourceRecords),
    target: side(plan.target, targetRecords),
    matched: paired.size,
    sourceOnly,
    targetOnly,
    vendorsOnlyInTarget: sourceVendors && targetVendors ? [...targetVendors].filter((v) => !sourceVendors.has(v)).sort() : [],
    vendorsOnlyInSource: sourceVendors && targetVendors ? [...sourceVendors].filter((v) => !targetVendors.has(v)).sort() : [],
    differences,
    balanced: sourceOnly.length === 0 && targetOnly.length === 0 && differences.length === 0,
  };
}

const scope = (report: ReconciliationReport) => (report.kind === 'vendors' ? 'all vendors' : `${report.period.from} to ${report.period.to}`);

/** The report as text tables. */
export function renderReconciliationTable(report: ReconciliationReport): string {
  const { source, target } = report;
  const summary = new Table({ head: ['', source.label, target.label], style: { head: [], border: [] } });
  summary.push([report.kind, source.records, target.records]);
  if (report.kind === 'invoices') summary.push(['amount', source.amount.toFixed(2), target.amount.toFixed(2)]);
  summary.push(['matched', report.matched, report.matched], ['on one side only', report.sourceOnly.length, report.targetOnly.length]);
  if (report.kind === 'invoices') summary.push(['vendors on one side only', report.vendorsOnlyInSource.length, report.vendorsOnlyInTarget.length]);
  let out = `Reconciliation of ${report.flow}, ${scope(report)}\n${summary.toString()}\n`;
  if (report.differences.length > 0) {
    const diffs = new Table({ head: [`${source.label} record`, `${target.label} record`, 'field', source.label, target.label], style: { head: [], border: [] } });
    for (const d of report.differences) diffs.push([d.sourceId, d.targetId, d.field, d.source, d.target]);
    out += `Field differences:\n${diffs.toString()}\n`;
  }
  if (report.sourceOnly.length > 0) out += `Only in ${source.label}: ${report.sourceOnly.join(', ')}\n`;
  if (report.targetOnly.length > 0) out += `Only in ${target.label}: ${report.targetOnly.join(', ')}\n`;
  if (report.vendorsOnlyInTarget.length > 0) out += `Vendors only in ${target.label}: ${report.vendorsOnlyInTarget.join(', ')}\n`;
  if (report.vendorsOnlyInSource.length > 0) out += `Vendors only in ${source.label}: ${report.vendorsOnlyInSource.join(', ')}\n`;
  return `${out}${report.balanced ? 'Balanced.' : 'Not balanced.'}\n`;
}

const csvCell = (value: string | number) => {
  const cell = String(value);
  // Quote per RFC 4180; a leading = + - @ is neutralised so spreadsheets do not run it as a formula.
  const safe = /^[=+\-@\t\r]/.test(cell) && !/^-?\d/.test(cell) ? `'${cell}` : cell;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

const column = (system: string) => system.replace(/-/g, '_');

/** The report as CSV: one row per finding (`kind,key,field,<source system>,<target system>`). */
export function renderReconciliationCsv(report: ReconciliationReport): string {
  const { source, target } = report;
  const span = `${report.period.from}..${report.period.to}`;
  const rows: Array<Array<string | number>> = [['kind', 'key', 'field', column(source.system), column(target.system)]];
  rows.push(['count', report.kind === 'vendors' ? 'all' : span, report.kind, source.records, target.records]);
  if (report.kind === 'invoices') rows.push(['amount', span, 'total', source.amount.toFixed(2), target.amount.toFixed(2)]);
  const singular = report.kind === 'vendors' ? 'vendor' : 'invoice';
  for (const id of report.sourceOnly) rows.push([`${singular}-only-in-${source.system}`, id, '', id, '']);
  for (const id of report.targetOnly) rows.push([`${singular}-only-in-${target.system}`, id, '', '', id]);
  for (const v of report.vendorsOnlyInSource) rows.push([`vendor-only-in-${source.system}`, v, '', v, '']);
  for (const v of report.vendorsOnlyInTarget) rows.push([`vendor-only-in-${target.system}`, v, '', '', v]);
  for (const d of report.differences) rows.push(['field-difference', `${d.sourceId}→${d.targetId}`, d.field, d.source, d.target]);
  return `${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

const html = (value: string | number) => String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The report as one self-contained HTML page (inline style, no script, no external resource). */
export function renderReconciliationHtml(report: ReconciliationReport): string {
  const { source, target } = report;
  const list = (title: string, items: readonly string[]) =>
    items.length === 0 ? '' : `<h2>${html(title)} (${items.length})</h2><ul>${items.map((i) => `<li>${html(i)}</li>`).join('')}</ul>`;
  const diffs =
    report.differences.length === 0
      ? ''
      : `<h2>Field differences (${report.differences.length})</h2><table><tr><th>${html(source.label)} record</th><th>${html(target.label)} record</th><th>field</th><th>${html(source.label)}</th><th>${html(target.label)}</th></tr>${report.differences
          .map((d) => `<tr><td>${html(d.sourceId)}</td><td>${html(d.targetId)}</td><td>${html(d.field)}</td><td>${html(d.source)}</td><td>${html(d.target)}</td></tr>`)
          .join('')}</table>`;
  const amount = report.kind === 'invoices' ? `<tr><td>amount</td><td>${source.amount.toFixed(2)}</td><td>${target.amount.toFixed(2)}</td></tr>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Reconciliation ${html(report.flow)} ${html(scope(report))}</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem;color:#1b1f24}table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #c8ccd0;padding:4px 10px;text-align:left}
th{background:#f2f4f6}.ok{color:#1a7f37}.bad{color:#cf222e}</style></head><body>
<h1>Reconciliation of ${html(report.flow)}</h1><p>${html(scope(report))}: <strong class="${report.balanced ? 'ok' : 'bad'}">${report.balanced ? 'balanced' : 'not balanced'}</strong></p>
<table><tr><th></th><th>${html(source.label)}</th><th>${html(target.label)}</th></tr>
<tr><td>${report.kind}</td><td>${source.records}</td><td>${target.records}</td></tr>
${amount}<tr><td>matched</td><td>${report.matched}</td><td>${report.matched}</td></tr></table>
${diffs}${list(`Only in ${source.label}`, report.sourceOnly)}${list(`Only in ${target.label}`, report.targetOnly)}${list(`Vendors only in ${source.label}`, report.vendorsOnlyInSource)}${list(`Vendors only in ${target.label}`, report.vendorsOnlyInTarget)}
</body></html>
`;
}
