import { createSeededRandom, type SeededRandom } from '@ml-connector/core/testing';
import { InvalidInputError } from '@ml-connector/core';

/** A stored entity: its API fields plus emulator-internal fields prefixed with `$`. */
export type EntityRecord = Record<string, unknown> & { id?: string };

/** One `dimensionSetLine` as stored on a document or document line. */
export interface DimensionSetLineRecord {
  /** Dimension id. */
  id: string;
  /** Dimension code, e.g. `DEPARTMENT`. */
  code: string;
  /** Dimension value id. */
  valueId: string;
  /** Dimension value code, e.g. `IT`. */
  valueCode: string;
}

/** Options of {@link generateBusinessCentralSeed}. */
export interface BusinessCentralSeedOptions {
  /** PRNG seed; the same seed always produces the same data (ids included). Default `1`. */
  seed?: number | string;
  /**
   * Number of vendor numbers `V00001…` to consider. Default 25, the JAGGAER sandbox's supplier count; the numbers
   * in {@link SEED_UNMAPPED_SUPPLIERS} are skipped (a deliberate gap).
   */
  vendors?: number;
  /** Number of existing purchase invoices (mix of Draft, Open and Paid). Default 30. */
  invoices?: number;
  /** Number of purchase orders (`PO-00001…`). Default 20, the JAGGAER sandbox's purchase order count. */
  purchaseOrders?: number;
}

/** Deterministic seed data of one Business Central company. */
export interface BusinessCentralSeed {
  /** The company "CRONUS USA, Inc.". */
  company: EntityRecord;
  /** Vendors `V00001…`. */
  vendors: EntityRecord[];
  /** G/L accounts of {@link SEED_ACCOUNTS}. */
  accounts: EntityRecord[];
  /** DEPARTMENT and PROJECT. */
  dimensions: EntityRecord[];
  /** Values of {@link SEED_DIMENSIONS}. */
  dimensionValues: EntityRecord[];
  /** Headers; lines are in {@link BusinessCentralSeed.purchaseInvoiceLines} (linked by `documentId`). */
  purchaseInvoices: EntityRecord[];
  /** Account lines of the invoices, with DEPARTMENT (and sometimes PROJECT) dimensions. */
  purchaseInvoiceLines: EntityRecord[];
  /** Purchase orders `PO-00001…`. */
  purchaseOrders: EntityRecord[];
  /** Account lines of the orders. */
  purchaseOrderLines: EntityRecord[];
  /** Foreign currencies (`EUR`, `GBP`, `CAD`); the local currency `USD` is not a row, as in BC. */
  currencies?: EntityRecord[];
  /** Items of {@link SEED_ITEMS}. */
  items?: EntityRecord[];
  /** Tax groups. */
  taxGroups?: EntityRecord[];
  /** Payment terms. */
  paymentTerms?: EntityRecord[];
  /** Payment methods. */
  paymentMethods?: EntityRecord[];
  /** Units of measure (`EA` is the JAGGAER sandbox's unit). */
  unitsOfMeasure?: EntityRecord[];
  /** Vendor default dimensions, copied onto new documents of the vendor. */
  defaultDimensions?: EntityRecord[];
  /** Document attachments (in a snapshot: `$content` as base64). */
  attachments?: EntityRecord[];
  /** Webhook subscriptions. */
  subscriptions?: EntityRecord[];
  /**
   * Number series positions (last number used), as a snapshot carries them so new numbers never collide with
   * numbers already used. Default: derived from the seeded documents and vendors.
   */
  counters?: BusinessCentralNumberSeries;
}

/** Last numbers used by the emulator's number series (`PI-…`, `PPI-…`, `PO-…`, `V…`). */
export interface BusinessCentralNumberSeries {
  /** Draft purchase invoices `PI-…`. */
  draftInvoice: number;
  /** Posted purchase invoices `PPI-…`. */
  postedInvoice: number;
  /** Purchase orders `PO-…`. */
  order: number;
  /** Vendors `V…`. */
  vendor: number;
}

/**
 * JAGGAER supplier numbers that deliberately have NO Business Central vendor, so invoices from them land in the
 * review queue ("no vendor mapping"). Every other JAGGAER sandbox supplier `V00001…V00025` exists as a vendor with
 * the same number and name.
 */
export const SEED_UNMAPPED_SUPPLIERS: readonly string[] = Object.freeze(['V00025']);
/** Vendors blocked with `All` (documents for them are refused): a second review-queue case. */
export const SEED_BLOCKED_VENDORS: readonly string[] = Object.freeze(['V00024']);
/**
 * Vendors with a default DEPARTMENT dimension (`[vendorNumber, valueCode]`). BC copies it onto every new
 * document of the vendor, so POSTing a DEPARTMENT dimension set line for such a document collides (use
 * `dimensionSetLines(…).upsert`).
 */
export const SEED_VENDOR_DEFAULT_DIMENSIONS: readonly (readonly [string, string])[] = Object.freeze([
  ['V00001', 'ADM'],
  ['V00002', 'IT'],
  ['V00003', 'SALES'],
]);
/** Seeded items: `[number, displayName, baseUnitOfMeasureCode, unitCost]`. */
export const SEED_ITEMS: readonly (readonly [string, string, string, number])[] = Object.freeze([
  ['1000', 'Copy paper A4, 5 reams', 'EA', 24.5],
  ['1001', 'Toner cartridge', 'EA', 89],
  ['1002', 'Desk organiser set', 'EA', 35.75],
]);

// The JAGGAER sandbox's supplier name grammar (packages/jaggaer-j1p/src/testing/seed.ts, sandboxSupplierName):
// repeated here, not imported, so the two packages share data by identifiers only.
const SUPPLIER_FIRST = ['Acme', 'Summit', 'Northwind', 'Blue Ridge', 'Contoso', 'Fabrikam', 'Redwood', 'Silverline', 'Granite', 'Harbor', 'Pioneer', 'Lakeside', 'Evergreen', 'Ironclad', 'Meridian', 'Crescent', 'Keystone'];
const SUPPLIER_SECOND = ['Office Supply', 'Software', 'Consulting', 'Travel', 'Logistics', 'Maintenance', 'Energy', 'Marketing', 'Industrial', 'Print', 'Facilities', 'Data'];
const SUPPLIER_SUFFIX = ['Inc.', 'LLC', 'Corp.', 'Co.', 'Group', 'Ltd.'];

/** The display name of vendor `V{n}`: the same name the JAGGAER sandbox gives supplier `V{n}`. */
export function seedVendorName(n: number): string {
  const i = n - 1;
  const first = SUPPLIER_FIRST[i % SUPPLIER_FIRST.length] as string;
  const second = SUPPLIER_SECOND[Math.floor(i / SUPPLIER_FIRST.length) % SUPPLIER_SECOND.length] as string;
  const suffix = SUPPLIER_SUFFIX[i % SUPPLIER_SUFFIX.length] as string;
  const round = Math.floor(i / (SUPPLIER_FIRST.length * SUPPLIER_SECOND.length));
  return `${first} ${second}${round > 0 ? ` ${round + 1}` : ''} ${suffix}`;
}

/** Name of the single seeded company (shared convention with the JAGGAER emulator). */
export const SEED_COMPANY_NAME = 'CRONUS USA, Inc.';

/**
 * The seeded chart of accounts: `[number, displayName, accountType, blocked, directPosting, category]`.
 * 8190 is blocked, 8100 is a heading and 2110 (Accounts Payable) forbids direct posting, so clients can prove
 * they never code an invoice line to an account that cannot take it.
 */
export const SEED_ACCOUNTS: readonly (readonly [string, string, 'Posting' | 'Heading', boolean, boolean, string])[] = [
  ['2110', 'Accounts Payable', 'Posting', false, false, 'Liabilities'],
  ['8100', 'Operating Expenses', 'Heading', false, false, 'Expense'],
  ['8110', 'Office Supplies', 'Posting', false, true, 'Expense'],
  ['8120', 'Software Subscriptions', 'Posting', false, true, 'Expense'],
  ['8130', 'Consulting Services', 'Posting', false, true, 'Expense'],
  ['8140', 'Travel', 'Posting', false, true, 'Expense'],
  ['8150', 'Freight', 'Posting', false, true, 'Expense'],
  ['8160', 'Repairs and Maintenance', 'Posting', false, true, 'Expense'],
  ['8170', 'Utilities', 'Posting', false, true, 'Expense'],
  ['8180', 'Marketing', 'Posting', false, true, 'Expense'],
  ['8190', 'Legacy Expenses', 'Posting', true, true, 'Expense'],
];

/**
 * The seeded dimensions and their values (DEPARTMENT is shortcut dimension 1, PROJECT shortcut dimension 2): the
 * JAGGAER sandbox's `department` and `project` coding segment values, same codes and descriptions.
 */
export const SEED_DIMENSIONS: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  DEPARTMENT: [
    ['ADM', 'Administration'],
    ['PROD', 'Production'],
    ['SALES', 'Sales'],
    ['IT', 'Information Technology'],
  ],
  PROJECT: [
    ['P-100', 'ERP Rollout'],
    ['P-200', 'Warehouse Expansion'],
    ['P-300', 'Website Relaunch'],
  ],
};

const CITIES: readonly (readonly [string, string, string])[] = [
  ['Atlanta', 'GA', '31772'],
  ['Chicago', 'IL', '61236'],
  ['Miami', 'FL', '37125'],
  ['Seattle', 'WA', '98101'],
  ['Denver', 'CO', '80201'],
  ['Boston', 'MA', '02108'],
];
const LINE_TEXT: Readonly<Record<string, string>> = {
  '8110': 'Printer paper and toner',
  '8120': 'Annual software licence',
  '8130': 'Consulting hours',
  '8140': 'Travel expenses',
  '8150': 'Freight charges',
  '8160': 'Equipment repair',
  '8170': 'Electricity',
  '8180': 'Advertising campaign',
};
const EXPENSE_ACCOUNTS = ['8110', '8120', '8130', '8140', '8150', '8160', '8170', '8180'];
const DEPARTMENTS = ['ADM', 'PROD', 'SALES', 'IT'];
const PROJECTS = ['P-100', 'P-200', 'P-300'];

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex32 = (n: number) => (HEX[(n >>> 24) & 255] as string) + HEX[(n >>> 16) & 255] + HEX[(n >>> 8) & 255] + HEX[n & 255];

/** Deterministic GUID (v4 layout) from the seeded PRNG. */
export function seededGuid(random: SeededRandom): string {
  const a = hex32((random.next() * 4294967296) >>> 0);
  const b = hex32((random.next() * 4294967296) >>> 0);
  const c = hex32((random.next() * 4294967296) >>> 0);
  const d = hex32((random.next() * 4294967296) >>> 0);
  const variant = '89ab'[parseInt(c[0] as string, 16) & 3] as string;
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4, 8)}${d}`;
}

const pad = (value: number, width: number) => String(value).padStart(width, '0');
const round2 = (value: number) => Math.round(value * 100) / 100;
const DAY = 86_400_000;
/** Seed "today": all seeded dates lie before it. */
const SEED_EPOCH = Date.UTC(2026, 0, 1);

function count(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 0 || v > 1_000_000) {
    throw new InvalidInputError(`${name} must be an integer between 0 and 1,000,000, got ${value}`, { field: name });
  }
  return v;
}

/**
 * Generates deterministic Business Central seed data. The default seed describes the same company as the JAGGAER
 * sandbox's default seed (`@ml-connector/jaggaer-j1p/testing`), matched by identifiers only:
 * - every JAGGAER supplier `V00001…V00025` is a vendor with the same number and name ({@link seedVendorName}),
 *   except the deliberate gaps that feed a review queue: {@link SEED_UNMAPPED_SUPPLIERS} (`V00025`, no vendor)
 *   and {@link SEED_BLOCKED_VENDORS} (`V00024`, blocked `All`);
 * - every JAGGAER GL code (`8110…8180`) is a postable G/L account with the same description; `8190` (the JAGGAER
 *   sandbox's blocked account) is blocked and `9999` (its unknown account) does not exist;
 * - the `department` and `project` coding values are DEPARTMENT and PROJECT dimension values (same codes and
 *   descriptions); the purchase order numbers `PO-00001…PO-00020` exist (their vendors and lines are BC's own);
 * - unit of measure `EA` and payment terms `NET 30` (JAGGAER's `Net 30`) exist; `V00001…V00003` carry a default DEPARTMENT ({@link SEED_VENDOR_DEFAULT_DIMENSIONS}).
 *
 * Also: one company "CRONUS USA, Inc.", vendors `V00001…`,
 * the G/L accounts of {@link SEED_ACCOUNTS}, DEPARTMENT/PROJECT dimensions, purchase orders `PO-00001…` and
 * purchase invoices (about 30 % Draft `PI-000001…`, 55 % Open and 15 % Paid `PPI-000001…`) with 1–3 account
 * lines each carrying DEPARTMENT (and sometimes PROJECT) dimensions. Runs in well under a second for
 * 100,000 invoices; records store only non-default fields.
 */
export function generateBusinessCentralSeed(options: BusinessCentralSeedOptions = {}): BusinessCentralSeed {
  const vendorNumbers = count('vendors', options.vendors, 25);
  const invoiceCount = count('invoices', options.invoices, 30);
  const orderCount = count('purchaseOrders', options.purchaseOrders, 20);
  const vendorCount = Array.from({ length: vendorNumbers }, (_, i) => `V${pad(i + 1, 5)}`).filter((no) => !SEED_UNMAPPED_SUPPLIERS.includes(no)).length;
  if (vendorCount === 0 && (invoiceCount > 0 || orderCount > 0)) {
    throw new InvalidInputError('invoices and purchaseOrders need at least one vendor; set vendors >= 1', { field: 'vendors' });
  }
  const random = createSeededRandom(options.seed ?? 1);
  const guid = () => seededGuid(random);
  const iso = (ms: number) => new Date(ms).toISOString();
  const dayCache = new Map<number, string>();
  // 100k invoices share ~365 distinct days: format each day once.
  const date = (ms: number) => {
    const day = Math.floor(ms / DAY);
    let text = dayCache.get(day);
    if (text === undefined) dayCache.set(day, (text = new Date(day * DAY).toISOString().slice(0, 10)));
    return text;
  };
  const stampOf = (dayMs: number, seconds: number) =>
    `${date(dayMs)}T${pad(Math.floor(seconds / 3600), 2)}:${pad(Math.floor(seconds / 60) % 60, 2)}:${pad(seconds % 60, 2)}.000Z`;

  const companyId = guid();
  const company: EntityRecord = {
    id: companyId,
    systemVersion: '27.0.38460.41133',
    timestamp: 1,
    name: SEED_COMPANY_NAME,
    displayName: SEED_COMPANY_NAME,
    businessProfileId: '',
    systemCreatedAt: iso(SEED_EPOCH - 400 * DAY),
    systemCreatedBy: '00000000-0000-0000-0000-000000000001',
    systemModifiedAt: iso(SEED_EPOCH - 400 * DAY),
    systemModifiedBy: '00000000-0000-0000-0000-000000000001',
  };
  const modified = iso(SEED_EPOCH - 365 * DAY);

  const accounts = SEED_ACCOUNTS.map(([number, displayName, accountType, blocked, directPosting, category]) => ({
    id: guid(),
    number,
    displayName,
    category,
    accountType,
    blocked,
    directPosting,
    lastModifiedDateTime: modified,
  }));
  const accountByNumber = new Map(accounts.map((a) => [a.number, a]));

  const dimensions: EntityRecord[] = [];
  const dimensionValues: EntityRecord[] = [];
  const dimValue = new Map<string, { dimId: string; valueId: string }>();
  for (const [code, values] of Object.entries(SEED_DIMENSIONS)) {
    const dimId = guid();
    dimensions.push({ id: dimId, code, displayName: code === 'DEPARTMENT' ? 'Department' : 'Project', lastModifiedDateTime: modified });
    for (const [valueCode, valueName] of values) {
      const valueId = guid();
      dimensionValues.push({ id: valueId, code: valueCode, dimensionId: dimId, displayName: valueName, lastModifiedDateTime: modified, $dimensionCode: code });
      dimValue.set(`${code}/${valueCode}`, { dimId, valueId });
    }
  }
  const dimLine = (code: string, valueCode: string): DimensionSetLineRecord => {
    const ids = dimValue.get(`${code}/${valueCode}`) as { dimId: string; valueId: string };
    return { id: ids.dimId, code, valueId: ids.valueId, valueCode };
  };

  const vendors: EntityRecord[] = [];
  const blockable: EntityRecord[] = [];
  for (let i = 1; i <= vendorNumbers; i++) {
    const [city, state, postalCode] = random.pick(CITIES);
    const displayName = seedVendorName(i);
    const number = `V${pad(i, 5)}`;
    const id = guid();
    if (SEED_UNMAPPED_SUPPLIERS.includes(number)) continue;
    const vendor: EntityRecord = {
      id,
      number,
      displayName,
      addressLine1: `${random.int(1, 9999)} Main Street`,
      city,
      state,
      postalCode,
      phoneNumber: `555-${pad(random.int(0, 9999), 4)}`,
      email: `ap@${displayName.split(' ')[0]?.toLowerCase() ?? 'vendor'}.example.com`,
      lastModifiedDateTime: iso(SEED_EPOCH - 300 * DAY + i * 60_000),
    };
    vendors.push(vendor);
    if (SEED_BLOCKED_VENDORS.includes(number)) blockable.push(vendor);
  }
  // Documents are only generated for vendors that can take them; blocked vendors are set after generation.
  const active = vendors.filter((v) => !blockable.includes(v));
  const pickVendor = () => (active.length > 0 ? active : vendors)[random.int(0, (active.length > 0 ? active : vendors).length - 1)] as EntityRecord;

  const makeLines = (
    documentId: string,
    documentNumber: string,
    costField: 'unitCost' | 'directUnitCost',
    out: EntityRecord[],
    stamp: string,
  ) => {
    const lineCount = random.int(1, 3);
    for (let l = 1; l <= lineCount; l++) {
      const accountNo = random.pick(EXPENSE_ACCOUNTS);
      const account = accountByNumber.get(accountNo) as EntityRecord;
      const quantity = random.int(1, 20);
      const unit = round2(random.int(500, 250_000) / 100);
      const amount = round2(quantity * unit);
      const dims = [dimLine('DEPARTMENT', random.pick(DEPARTMENTS))];
      if (random.chance(0.4)) dims.push(dimLine('PROJECT', random.pick(PROJECTS)));
      out.push({
        id: guid(),
        documentId,
        sequence: l * 10000,
        lineType: 'Account',
        accountId: account.id,
        lineObjectNumber: accountNo,
        description: LINE_TEXT[accountNo],
        quantity,
        [costField]: unit,
        amountExcludingTax: amount,
        amountIncludingTax: amount,
        netAmount: amount,
        netAmountIncludingTax: amount,
        lastModifiedDateTime: stamp,
        $documentNumber: documentNumber,
        $dims: dims,
      });
    }
  };

  const purchaseOrders: EntityRecord[] = [];
  const purchaseOrderLines: EntityRecord[] = [];
  for (let i = 1; i <= orderCount; i++) {
    const vendor = pickVendor();
    const orderMs = SEED_EPOCH - random.int(1, 200) * DAY;
    const id = guid();
    const number = `PO-${pad(i, 5)}`;
    const stamp = iso(orderMs + 3_600_000);
    purchaseOrders.push({
      id,
      number,
      orderDate: date(orderMs),
      postingDate: date(orderMs),
      vendorId: vendor.id,
      vendorNumber: vendor.number,
      vendorName: vendor.displayName,
      payToVendorId: vendor.id,
      payToVendorNumber: vendor.number,
      payToName: vendor.displayName,
      status: random.chance(0.8) ? 'Open' : 'Draft',
      lastModifiedDateTime: stamp,
    });
    makeLines(id, number, 'directUnitCost', purchaseOrderLines, stamp);
  }

  const purchaseInvoices: EntityRecord[] = [];
  const purchaseInvoiceLines: EntityRecord[] = [];
  let draftNo = 0;
  let postedNo = 0;
  for (let i = 1; i <= invoiceCount; i++) {
    const vendor = pickVendor();
    const invoiceMs = SEED_EPOCH - random.int(1, 365) * DAY;
    const roll = random.next();
    const status = roll < 0.3 ? 'Draft' : roll < 0.85 ? 'Open' : 'Paid';
    const number = status === 'Draft' ? `PI-${pad(++draftNo, 6)}` : `PPI-${pad(++postedNo, 6)}`;
    const id = guid();
    const stamp = stampOf(invoiceMs, i % 86_400);
    const header: EntityRecord = {
      id,
      number,
      invoiceDate: date(invoiceMs),
      postingDate: date(invoiceMs),
      dueDate: date(invoiceMs + 30 * DAY),
      vendorInvoiceNumber: `${vendor.number as string}-INV-${pad(i, 6)}`,
      vendorId: vendor.id,
      vendorNumber: vendor.number,
      vendorName: vendor.displayName,
      payToVendorId: vendor.id,
      payToVendorNumber: vendor.number,
      payToName: vendor.displayName,
      status,
      lastModifiedDateTime: stamp,
    };
    if (i <= orderCount && random.chance(0.3)) {
      const order = purchaseOrders[i - 1] as EntityRecord;
      header.orderId = order.id;
      header.orderNumber = order.number;
    }
    purchaseInvoices.push(header);
    makeLines(id, number, 'unitCost', purchaseInvoiceLines, stamp);
  }

  for (const vendor of blockable) vendor.blocked = 'All';

  const setup = (code: string, displayName: string, extra: Record<string, unknown> = {}): EntityRecord => ({
    id: guid(),
    code,
    displayName,
    ...extra,
    lastModifiedDateTime: modified,
  });
  const currencies = [
    setup('CAD', 'Canadian dollar', { symbol: '$' }),
    setup('EUR', 'Euro', { symbol: '€' }),
    setup('GBP', 'Pound Sterling', { symbol: '£' }),
  ];
  const paymentTerms = [
    setup('14 DAYS', 'Net 14 days', { dueDateCalculation: '14D' }),
    setup('30 DAYS', 'Net 30 days', { dueDateCalculation: '30D' }),
    setup('COD', 'Cash on delivery', { dueDateCalculation: '0D' }),
    // The JAGGAER sandbox's invoices carry payment terms "Net 30"; BC codes are upper case.
    setup('NET 30', 'Net 30', { dueDateCalculation: '30D' }),
  ];
  const paymentMethods = [setup('BANK', 'Bank Transfer'), setup('CASH', 'Cash'), setup('CHECK', 'Check')];
  const taxGroups = [setup('MATERIALS', 'Taxable Olympic Materials'), setup('NONTAXABLE', 'Nontaxable'), setup('SUPPLIES', 'Taxable Olympic Supplies')];
  const unitsOfMeasure = [
    setup('BOX', 'Box', { internationalStandardCode: 'BX' }),
    setup('EA', 'Each', { internationalStandardCode: 'EA' }),
    setup('HOUR', 'Hour', { internationalStandardCode: 'HUR' }),
    setup('PCS', 'Piece', { internationalStandardCode: 'H87' }),
  ];
  const unitByCode = new Map(unitsOfMeasure.map((u) => [u.code, u]));
  const items = SEED_ITEMS.map(([number, displayName, unit, unitCost]) => ({
    id: guid(),
    number,
    displayName,
    type: 'Inventory',
    unitCost,
    baseUnitOfMeasureCode: unit,
    baseUnitOfMeasureId: unitByCode.get(unit)?.id,
    lastModifiedDateTime: modified,
  }));
  const defaultDimensions: EntityRecord[] = [];
  for (const [vendorNumber, valueCode] of SEED_VENDOR_DEFAULT_DIMENSIONS) {
    const vendor = vendors.find((v) => v.number === vendorNumber);
    if (!vendor) continue;
    const line = dimLine('DEPARTMENT', valueCode);
    defaultDimensions.push({
      id: guid(),
      parentType: 'Vendor',
      parentId: vendor.id,
      dimensionId: line.id,
      dimensionCode: line.code,
      dimensionValueId: line.valueId,
      dimensionValueCode: line.valueCode,
      postingValidation: 'Code Mandatory',
      lastModifiedDateTime: modified,
    });
  }

  return {
    company,
    vendors,
    accounts,
    dimensions,
    dimensionValues,
    purchaseInvoices,
    purchaseInvoiceLines,
    purchaseOrders,
    purchaseOrderLines,
    currencies,
    items,
    taxGroups,
    paymentTerms,
    paymentMethods,
    unitsOfMeasure,
    defaultDimensions,
  };
}
