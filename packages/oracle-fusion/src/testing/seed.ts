import { InvalidInputError } from '@ml-connector/core';
import { createSeededRandom } from '@ml-connector/core/testing';
import { type OracleFusionData, type StoredRecord, oracleTimestamp, record } from './store.js';

/** Natural-account segment values shared with the JAGGAER sandbox's coding values (same codes). */
export const SEED_NATURAL_ACCOUNTS: readonly { code: string; description: string }[] = Object.freeze([
  { code: '8110', description: 'Office Supplies' },
  { code: '8120', description: 'Software Subscriptions' },
  { code: '8130', description: 'Consulting Services' },
  { code: '8140', description: 'Travel' },
  { code: '8150', description: 'Freight' },
  { code: '8160', description: 'Repairs and Maintenance' },
  { code: '8170', description: 'Utilities' },
  { code: '8180', description: 'Marketing' },
]);
/** Account that exists but is disabled (JAGGAER's sandbox codes some invoices to it). */
export const SEED_DISABLED_ACCOUNT = '8190';
/** Cost-center segment values, matching the JAGGAER sandbox's department codes. */
export const SEED_COST_CENTERS: readonly { code: string; description: string }[] = Object.freeze([
  { code: 'ADM', description: 'Administration' },
  { code: 'PROD', description: 'Production' },
  { code: 'SALES', description: 'Sales' },
  { code: 'IT', description: 'Information Technology' },
]);
/** Company segment of every seeded combination. */
export const SEED_COMPANY_SEGMENT = '101';
/** Value set of cost centers. */
export const SEED_COST_CENTER_VALUE_SET = 'XX_COST_CENTER';
/** Value set of natural accounts. */
export const SEED_ACCOUNT_VALUE_SET = 'XX_ACCOUNT';
/** Procurement business unit (same name as JAGGAER's sandbox business unit). */
export const SEED_BUSINESS_UNIT = 'US01';
/** Site name of every seeded supplier. */
export const SEED_SUPPLIER_SITE = 'US01-MAIN';
/** Latest seeded `LastUpdateDate` bound: 2026-01-01, like the JAGGAER seed. */
export const SEED_UNTIL = Date.UTC(2026, 0, 1);

/** Supplier number of the n-th seeded supplier: `V00001`, the same numbers JAGGAER's sandbox uses. */
export const seedSupplierNumber = (n: number) => `V${String(n).padStart(5, '0')}`;
/** Order number of the n-th seeded PO: `PO-00001`, as in JAGGAER's sandbox. */
export const seedPoNumber = (n: number) => `PO-${String(n).padStart(5, '0')}`;
/** SupplierId of the n-th seeded supplier. */
export const seedSupplierId = (n: number) => 300_000_001_000_000 + n;

/** Options of {@link generateOracleFusionSeed}. */
export interface OracleFusionSeedOptions {
  /** PRNG seed. Default `1`. */
  seed?: number | string;
  /** Suppliers `V00001`…. Default 25 (as JAGGAER's default seed). */
  suppliers?: number;
  /** Purchase orders. Default 20. */
  purchaseOrders?: number;
  /** Payables invoices. Default 30. */
  invoices?: number;
}

const DAY = 86_400_000;
const NAMES = ['Acme', 'Summit', 'Northwind', 'Blue Ridge', 'Contoso', 'Fabrikam', 'Redwood', 'Silverline'];

function count(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 0 || v > 100_000) throw new InvalidInputError(`${name} must be a whole number from 0 to 100,000; got ${value}`, { field: name });
  return v;
}

/** Generates deterministic seed data. */
export function generateOracleFusionSeed(options: OracleFusionSeedOptions = {}): OracleFusionData {
  const supplierCount = count('suppliers', options.suppliers, 25);
  const poCount = count('purchaseOrders', options.purchaseOrders, 20);
  const invoiceCount = count('invoices', options.invoices, 30);
  if (supplierCount === 0 && poCount + invoiceCount > 0) throw new InvalidInputError('purchaseOrders and invoices need suppliers >= 1', { field: 'suppliers' });
  const random = createSeededRandom(options.seed ?? 1);
  const from = SEED_UNTIL - 365 * DAY;
  let id = 300_000_002_000_000;
  const ts = () => oracleTimestamp(from + random.int(0, 360) * DAY + random.int(0, 86_399) * 1000);
  const who = (t: string) => ({ CreationDate: t, CreatedBy: 'SEED', LastUpdateDate: t, LastUpdatedBy: 'SEED' });

  const suppliers: StoredRecord[] = [];
  for (let n = 1; n <= supplierCount; n++) {
    const t = ts();
    const addressId = ++id;
    suppliers.push(
      record(
        { SupplierId: seedSupplierId(n), SupplierPartyId: ++id, Supplier: `${NAMES[(n - 1) % NAMES.length]} Supplier ${n}`, SupplierNumber: seedSupplierNumber(n), Status: 'ACTIVE', BusinessRelationship: 'SPEND_AUTHORIZED', TaxpayerId: null, DUNSNumber: null, InactiveDate: null, ...who(t) },
        {
          sites: [record({ SupplierSiteId: ++id, SupplierSite: SEED_SUPPLIER_SITE, ProcurementBU: SEED_BUSINESS_UNIT, SupplierAddressId: addressId, SitePurposePurchasingFlag: true, SitePurposePayFlag: true, InactiveDate: null, LastUpdateDate: t })],
          contacts: [record({ SupplierContactId: ++id, FirstName: 'Pat', LastName: `Contact ${n}`, Email: `ap${n}@supplier${n}.example`, PhoneNumber: null, Status: 'ACTIVE', LastUpdateDate: t })],
          addresses: [record({ SupplierAddressId: addressId, AddressName: 'HQ', AddressLine1: `${n} Main Street`, City: 'Chicago', State: 'IL', PostalCode: '60601', Country: 'United States', CountryCode: 'US', LastUpdateDate: t })],
        },
      ),
    );
  }

  const combinations: StoredRecord[] = [];
  for (const cc of SEED_COST_CENTERS) {
    for (const account of [...SEED_NATURAL_ACCOUNTS.map((a) => a.code), SEED_DISABLED_ACCOUNT]) {
      combinations.push(
        record({ _CODE_COMBINATION_ID: ++id, _CHART_OF_ACCOUNTS_ID: 1001, EnabledFlag: account !== SEED_DISABLED_ACCOUNT, AccountType: 'E', StartDateActive: null, EndDateActive: null, Segment1: SEED_COMPANY_SEGMENT, Segment2: cc.code, Segment3: account, Segment4: '000', LastUpdateDate: oracleTimestamp(from) }),
      );
    }
  }
  const values = (items: readonly { code: string; description: string }[], disabled?: string) =>
    items.map((v) => record({ ValueId: ++id, Value: v.code, Description: v.description, EnabledFlag: v.code === disabled ? 'N' : 'Y', StartDateActive: null, EndDateActive: null, SummaryFlag: 'N', LastUpdateDate: oracleTimestamp(from) }));
  const valueSets = [
    record({ ValueSetId: ++id, ValueSetCode: SEED_COST_CENTER_VALUE_SET, Description: 'Cost Center', LastUpdateDate: oracleTimestamp(from) }, { values: values(SEED_COST_CENTERS) }),
    record(
      { ValueSetId: ++id, ValueSetCode: SEED_ACCOUNT_VALUE_SET, Description: 'Natural Account', LastUpdateDate: oracleTimestamp(from) },
      { values: values([...SEED_NATURAL_ACCOUNTS, { code: SEED_DISABLED_ACCOUNT, description: 'Blocked Expense' }], SEED_DISABLED_ACCOUNT) },
    ),
  ];
  const combination = () => `${SEED_COMPANY_SEGMENT}.${random.pick(SEED_COST_CENTERS).code}.${random.pick(SEED_NATURAL_ACCOUNTS).code}.000`;

  const purchaseOrders: StoredRecord[] = [];
  for (let n = 1; n <= poCount; n++) {
    const supplier = suppliers[random.int(0, supplierCount - 1)] as StoredRecord;
    const t = ts();
    const lines: StoredRecord[] = [];
    let total = 0;
    for (let l = 1; l <= random.int(1, 3); l++) {
      const quantity = random.int(1, 20);
      const price = random.int(500, 50_000) / 100;
      const amount = Math.round(quantity * price * 100) / 100;
      total += amount;
      lines.push(
        record(
          { POLineId: ++id, LineNumber: l, Description: `Item ${l}`, Quantity: quantity, Price: price, UOM: 'Each', Amount: amount },
          {
            schedules: [
              record(
                { LineLocationId: ++id, ScheduleNumber: 1, Quantity: quantity, QuantityReceived: 0, QuantityBilled: 0, RequestedDeliveryDate: t.slice(0, 10) },
                { distributions: [record({ PODistributionId: ++id, DistributionNumber: 1, Quantity: quantity, Amount: amount, POChargeAccount: combination() })] },
              ),
            ],
          },
        ),
      );
    }
    purchaseOrders.push(
      record(
        { POHeaderId: ++id, OrderNumber: seedPoNumber(n), Supplier: supplier.attrs.Supplier, SupplierId: supplier.attrs.SupplierId, SupplierSite: SEED_SUPPLIER_SITE, ProcurementBU: SEED_BUSINESS_UNIT, Currency: 'USD', Total: Math.round(total * 100) / 100, Status: 'Open', StatusCode: 'OPEN', AcknowledgmentStatus: null, ...who(t) },
        { lines },
      ),
    );
  }

  const invoices: StoredRecord[] = [];
  for (let n = 1; n <= invoiceCount; n++) {
    const supplier = suppliers[random.int(0, supplierCount - 1)] as StoredRecord;
    const t = ts();
    const amount = random.int(1_000, 500_000) / 100;
    invoices.push(
      record(
        { InvoiceId: ++id, InvoiceNumber: `ORA-${String(n).padStart(6, '0')}`, InvoiceCurrency: 'USD', InvoiceAmount: amount, InvoiceDate: t.slice(0, 10), BusinessUnit: SEED_BUSINESS_UNIT, Supplier: supplier.attrs.Supplier, SupplierNumber: supplier.attrs.SupplierNumber, SupplierSite: SEED_SUPPLIER_SITE, InvoiceType: 'Standard', Description: null, ValidationStatus: 'Validated', ApprovalStatus: 'Approved', PaidStatus: 'Unpaid', CanceledFlag: false, PaymentCurrency: 'USD', ...who(t) },
        {
          invoiceLines: [
            record({ LineNumber: 1, LineType: 'Item', LineAmount: amount, Description: 'Services', Quantity: null, UnitPrice: null, PurchaseOrderNumber: null, PurchaseOrderLineNumber: null, PurchaseOrderScheduleLineNumber: null, DistributionCombination: combination() }, {
              invoiceDistributions: [record({ InvoiceDistributionId: ++id, DistributionLineNumber: 1, DistributionLineType: 'Item', DistributionAmount: amount, DistributionCombination: combination(), AccountingDate: t.slice(0, 10) })],
            }),
          ],
          invoiceInstallments: [record({ InstallmentNumber: 1, DueDate: oracleTimestamp(Date.parse(t) + 30 * DAY).slice(0, 10), GrossAmount: amount, UnpaidAmount: amount, PaymentMethod: 'CHECK', HoldFlag: false })],
        },
      ),
    );
  }
  return { suppliers, invoices, purchaseOrders, accountCombinationsLOV: combinations, valueSets, receivingReceiptRequests: [] };
}
