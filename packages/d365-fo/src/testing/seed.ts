import { InvalidInputError } from '@ml-connector/core';
import { createSeededRandom } from '@ml-connector/core/testing';
import type { DataManagementSnapshot } from './dmf.js';
import type { EntitySetName } from './model.js';

/**
 * Seed data shared with the JAGGAER emulator's default seed by matching ids (no package dependency):
 * suppliers `V00001`… are vendors in `usmf`; GL accounts 8110–8180 are active main accounts, 8190 exists but
 * is suspended (JAGGAER's "blocked in the ERP" account), 9999 does not exist; the Department (ADM, PROD, SALES,
 * IT) and Project (P-100, P-200, P-300) dimension values match JAGGAER's coding values; purchase orders are
 * `PO-00001`…; JAGGAER business unit `US01` maps to legal entity `usmf`.
 */
export const SEED_LEGAL_ENTITIES = Object.freeze(['usmf', 'demf'] as const);
/** Chart of accounts shared by the seeded legal entities. */
export const SEED_CHART_OF_ACCOUNTS = 'Shared';
/** Expense accounts (match JAGGAER's `SANDBOX_ACCOUNTS`). */
export const SEED_ACCOUNTS: readonly { id: string; name: string }[] = Object.freeze([
  { id: '8110', name: 'Office Supplies' },
  { id: '8120', name: 'Software Subscriptions' },
  { id: '8130', name: 'Consulting Services' },
  { id: '8140', name: 'Travel' },
  { id: '8150', name: 'Freight' },
  { id: '8160', name: 'Repairs and Maintenance' },
  { id: '8170', name: 'Utilities' },
  { id: '8180', name: 'Marketing' },
]);
/** Main account that exists but is suspended. */
export const SEED_SUSPENDED_ACCOUNT = '8190';
/** Balance sheet account outside every account structure rule that names dimensions. */
export const SEED_PAYABLES_ACCOUNT = '2110';
/** Dimension values by dimension name (match JAGGAER's departments and projects). */
export const SEED_DIMENSIONS: Readonly<Record<string, readonly { value: string; description: string }[]>> = Object.freeze({
  Department: [
    { value: 'ADM', description: 'Administration' },
    { value: 'PROD', description: 'Production' },
    { value: 'SALES', description: 'Sales' },
    { value: 'IT', description: 'Information Technology' },
  ],
  Project: [
    { value: 'P-100', description: 'ERP Rollout' },
    { value: 'P-200', description: 'Warehouse Expansion' },
    { value: 'P-300', description: 'Website Relaunch' },
  ],
});
/** Department value that exists but is suspended. */
export const SEED_SUSPENDED_DEPARTMENT = 'OLD';

/** Options of {@link generateFinanceOperationsSeed}. */
export interface FinanceOperationsSeedOptions {
  /** PRNG seed. Default `1`. */
  seed?: number | string;
  /** Vendors in `usmf` (`V00001`…). Default 25 (JAGGAER's default supplier count). */
  vendors?: number;
  /** Confirmed purchase orders in `usmf` (`PO-00001`…). Default 20. */
  purchaseOrders?: number;
  /** Released products in `usmf` (`ITEM-0001`…). Default 30. */
  products?: number;
  /** Posted vendor invoices in `usmf` (`PINV-00001`…). Default 5. */
  postedInvoices?: number;
}

/** Seed rows by entity set. */
export type FinanceOperationsSeed = Partial<Record<EntitySetName, Record<string, unknown>[]>>;

/** Next numbers of the sandbox's own number sequences (`VIH-…` header references, `APINV…` vouchers). */
export interface FinanceOperationsNumberSequences {
  /** Next pending invoice header reference number (`VIH-000001` is 1). */
  headerReference: number;
  /** Next voucher number of a posted invoice (`APINV900001` is 1). */
  voucher: number;
}

/**
 * Seed rows plus the number sequences and the Data management state (data projects, change tracking, jobs and
 * package blobs): what `snapshot()` of the sandbox returns and its `data` option loads back. Rows keep their
 * `$version` (so ETags and change tracking survive a restart).
 */
export type FinanceOperationsSnapshot = FinanceOperationsSeed & { numberSequences?: FinanceOperationsNumberSequences; dataManagement?: DataManagementSnapshot };

const vendorNumber = (n: number) => `V${String(n).padStart(5, '0')}`;
const poNumber = (n: number) => `PO-${String(n).padStart(5, '0')}`;
const itemNumber = (n: number) => `ITEM-${String(n).padStart(4, '0')}`;

function count(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 0 || v > 1_000_000) throw new InvalidInputError(`${name} must be a whole number from 0 to 1,000,000, got ${value}`, { field: name });
  return v;
}

/** Generates the deterministic seed of the F&O emulator. */
export function generateFinanceOperationsSeed(options: FinanceOperationsSeedOptions = {}): FinanceOperationsSeed {
  const random = createSeededRandom(options.seed ?? 1);
  const vendors = count('vendors', options.vendors, 25);
  const orders = count('purchaseOrders', options.purchaseOrders, 20);
  const products = count('products', options.products, 30);
  const posted = count('postedInvoices', options.postedInvoices, 5);
  const when = '2025-12-01T12:00:00Z';
  const empty = '1900-01-01T00:00:00Z';
  const seed: FinanceOperationsSeed = {};
  seed.VendorsV2 = [];
  for (let n = 1; n <= vendors; n++) {
    seed.VendorsV2.push({
      dataAreaId: 'usmf',
      VendorAccountNumber: vendorNumber(n),
      VendorOrganizationName: `Sandbox Supplier ${vendorNumber(n)}`,
      VendorGroupId: n % 3 === 0 ? '30' : '10',
      VendorPartyType: 'Organization',
      CurrencyCode: 'USD',
      DefaultPaymentTermsName: 'Net30',
      PrimaryEmailAddress: `ap@${vendorNumber(n).toLowerCase()}.example`,
      OnHoldStatus: n === 7 ? 'All' : 'No',
      DefaultLedgerDimensionDisplayValue: '',
      InvoiceVendorAccountNumber: '',
      TaxExemptNumber: '',
    });
  }
  // A second company so cross-company reads and company pinning are observable.
  seed.VendorsV2.push(
    ...[1, 2, 3].map((n) => ({ dataAreaId: 'demf', VendorAccountNumber: `DE-${String(n).padStart(3, '0')}`, VendorOrganizationName: `Lieferant ${n} GmbH`, VendorGroupId: '10', VendorPartyType: 'Organization', CurrencyCode: 'EUR', DefaultPaymentTermsName: 'Net30', PrimaryEmailAddress: '', OnHoldStatus: 'No', DefaultLedgerDimensionDisplayValue: '', InvoiceVendorAccountNumber: '', TaxExemptNumber: '' })),
    { dataAreaId: 'demf', VendorAccountNumber: vendorNumber(1), VendorOrganizationName: 'Same number, other company GmbH', VendorGroupId: '10', VendorPartyType: 'Organization', CurrencyCode: 'EUR', DefaultPaymentTermsName: 'Net30', PrimaryEmailAddress: '', OnHoldStatus: 'No', DefaultLedgerDimensionDisplayValue: '', InvoiceVendorAccountNumber: '', TaxExemptNumber: '' },
  );
  const account = (id: string, name: string, type: string, suspended = false) => ({
    ChartOfAccounts: SEED_CHART_OF_ACCOUNTS, MainAccountId: id, Name: name, MainAccountType: type, MainAccountCategory: type === 'Expense' ? 'EXPENSE' : 'AP',
    IsSuspended: suspended ? 'Yes' : 'No', ActiveFrom: empty, ActiveTo: empty, DoNotAllowManualEntry: 'No', DefaultCurrency: '', PostingType: '', DebitCreditDefault: 'None',
  });
  seed.MainAccounts = [...SEED_ACCOUNTS.map((a) => account(a.id, a.name, 'Expense')), account(SEED_SUSPENDED_ACCOUNT, 'Discontinued Expenses', 'Expense', true), account(SEED_PAYABLES_ACCOUNT, 'Accounts Payable', 'Liability')];
  seed.DimensionAttributes = Object.keys(SEED_DIMENSIONS).map((name) => ({ DimensionName: name, ReportColumnName: name, UseValuesFrom: name === 'Department' ? 'OMOperatingUnit' : 'DimensionFinancialTag', DimensionValueMask: '' }));
  seed.FinancialDimensionValues = [
    ...Object.entries(SEED_DIMENSIONS).flatMap(([dimension, values]) =>
      values.map((v) => ({ FinancialDimension: dimension, DimensionValue: v.value, Description: v.description, LegalEntityId: '', ActiveFrom: empty, ActiveTo: empty, IsSuspended: 'No', IsTotal: 'No', IsBlockedForManualEntry: 'No' })),
    ),
    { FinancialDimension: 'Department', DimensionValue: SEED_SUSPENDED_DEPARTMENT, Description: 'Retired department', LegalEntityId: '', ActiveFrom: empty, ActiveTo: empty, IsSuspended: 'Yes', IsTotal: 'No', IsBlockedForManualEntry: 'No' },
    { FinancialDimension: 'Project', DimensionValue: 'DE-P1', Description: 'German project', LegalEntityId: 'demf', ActiveFrom: empty, ActiveTo: empty, IsSuspended: 'No', IsTotal: 'No', IsBlockedForManualEntry: 'No' },
  ];
  seed.AccountStructureRules = [
    { AccountStructure: 'Expense structure', MainAccountFrom: '8000', MainAccountTo: '8999', DimensionName: 'Department', IsRequired: 'Yes', AllowedValues: '*' },
    { AccountStructure: 'Expense structure', MainAccountFrom: '8000', MainAccountTo: '8999', DimensionName: 'Project', IsRequired: 'No', AllowedValues: 'P-100..P-300' },
  ];
  seed.ReleasedProductsV2 = [];
  for (let n = 1; n <= products; n++) {
    seed.ReleasedProductsV2.push({ dataAreaId: 'usmf', ItemNumber: itemNumber(n), ProductName: `Catalog item ${n}`, SearchName: `ITEM${n}`, ProductType: n % 5 === 0 ? 'Service' : 'Item', ItemModelGroupId: 'FIFO', PurchaseUnitSymbol: 'ea', PurchasePrice: random.int(5, 500), ProcurementProductCategoryName: 'Office supplies' });
  }
  seed.PurchaseOrderHeadersV2 = [];
  seed.PurchaseOrderLinesV2 = [];
  for (let n = 1; n <= orders; n++) {
    const vendor = vendorNumber(((n - 1) % Math.max(vendors, 1)) + 1);
    seed.PurchaseOrderHeadersV2.push({ dataAreaId: 'usmf', PurchaseOrderNumber: poNumber(n), PurchaseOrderName: `Order ${n}`, OrderVendorAccountNumber: vendor, InvoiceVendorAccountNumber: vendor, PurchaseOrderStatus: 'Backorder', DocumentApprovalStatus: n % 4 === 0 ? 'Approved' : 'Confirmed', CurrencyCode: 'USD', RequestedDeliveryDate: when, AccountingDate: when, PaymentTermsName: 'Net30', DefaultLedgerDimensionDisplayValue: '' });
    const lineCount = random.int(1, 3);
    for (let line = 1; line <= lineCount; line++) {
      const quantity = random.int(1, 20);
      const price = random.int(10, 300);
      const mainAccount = (SEED_ACCOUNTS[line % SEED_ACCOUNTS.length] as { id: string }).id;
      // Default dimensions in the integration format Department-Project; every 7th order leaves Project blank.
      const department = (SEED_DIMENSIONS.Department as readonly { value: string }[])[(n + line) % 4]!.value;
      const project = n % 7 === 0 ? '' : (SEED_DIMENSIONS.Project as readonly { value: string }[])[(n * line) % 3]!.value;
      seed.PurchaseOrderLinesV2.push({ dataAreaId: 'usmf', PurchaseOrderNumber: poNumber(n), LineNumber: line, ItemNumber: products > 0 ? itemNumber(random.int(1, products)) : '', LineDescription: `Line ${line}`, ProcurementProductCategoryName: 'Office supplies', OrderedPurchaseQuantity: quantity, PurchaseUnitSymbol: 'ea', PurchasePrice: price, LineAmount: quantity * price, MainAccountId: mainAccount, MainAccountIdDisplayValue: mainAccount, PurchaseOrderLineStatus: 'Backorder', DefaultLedgerDimensionDisplayValue: project === '' ? department : `${department}-${project}` });
    }
  }
  seed.VendInvoiceJourBiEntities = [];
  for (let n = 1; n <= posted; n++) {
    seed.VendInvoiceJourBiEntities.push({ dataAreaId: 'usmf', InvoiceId: `PINV-${String(n).padStart(5, '0')}`, InvoiceAccount: vendorNumber(((n - 1) % Math.max(vendors, 1)) + 1), OrderAccount: vendorNumber(((n - 1) % Math.max(vendors, 1)) + 1), InvoiceDate: when, InvoiceAmount: random.int(100, 5000), CurrencyCode: 'USD', PurchId: '', LedgerVoucher: `APINV${String(n).padStart(6, '0')}` });
  }
  seed.VendorInvoiceHeaders = [];
  seed.VendorInvoiceLines = [];
  return seed;
}
