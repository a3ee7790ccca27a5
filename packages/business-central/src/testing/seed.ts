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
  /** Number of vendors (`V00001…`). Default 20. */
  vendors?: number;
  /** Number of existing purchase invoices (mix of Draft, Open and Paid). Default 30. */
  invoices?: number;
  /** Number of purchase orders (`PO-00001…`). Default 10. */
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

/** The seeded dimensions and their values (DEPARTMENT is shortcut dimension 1, PROJECT shortcut dimension 2). */
export const SEED_DIMENSIONS: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  DEPARTMENT: [
    ['ADM', 'Administration'],
    ['PROD', 'Production'],
    ['SALES', 'Sales'],
    ['IT', 'IT'],
  ],
  PROJECT: [
    ['P-100', 'Project 100'],
    ['P-200', 'Project 200'],
    ['P-300', 'Project 300'],
  ],
};

const NAME_FIRST = ['Fabrikam', 'Contoso', 'Northwind', 'Litware', 'Adatum', 'Tailspin', 'Wingtip', 'Proseware', 'Lucerne', 'Alpine', 'Coho', 'Fourth Coffee', 'Woodgrove', 'Trey', 'Graphic Design', 'Margie'];
const NAME_SECOND = ['Office Supply', 'Software', 'Consulting', 'Logistics', 'Freight', 'Maintenance', 'Energy', 'Media', 'Travel', 'Industrial', 'Paper', 'Systems'];
const NAME_SUFFIX = ['Inc.', 'LLC', 'Corp.', 'Ltd.', 'Group'];
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
 * Generates deterministic Business Central seed data: one company "CRONUS USA, Inc.", vendors `V00001…`,
 * the G/L accounts of {@link SEED_ACCOUNTS}, DEPARTMENT/PROJECT dimensions, purchase orders `PO-00001…` and
 * purchase invoices (about 30 % Draft `PI-000001…`, 55 % Open and 15 % Paid `PPI-000001…`) with 1–3 account
 * lines each carrying DEPARTMENT (and sometimes PROJECT) dimensions. Runs in well under a second for
 * 100,000 invoices; records store only non-default fields.
 */
export function generateBusinessCentralSeed(options: BusinessCentralSeedOptions = {}): BusinessCentralSeed {
  const vendorCount = count('vendors', options.vendors, 20);
  const invoiceCount = count('invoices', options.invoices, 30);
  const orderCount = count('purchaseOrders', options.purchaseOrders, 10);
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
  for (let i = 1; i <= vendorCount; i++) {
    const [city, state, postalCode] = random.pick(CITIES);
    const displayName = `${random.pick(NAME_FIRST)} ${random.pick(NAME_SECOND)} ${random.pick(NAME_SUFFIX)}`;
    vendors.push({
      id: guid(),
      number: `V${pad(i, 5)}`,
      displayName,
      addressLine1: `${random.int(1, 9999)} Main Street`,
      city,
      state,
      postalCode,
      phoneNumber: `555-${pad(random.int(0, 9999), 4)}`,
      email: `ap@${displayName.split(' ')[0]?.toLowerCase() ?? 'vendor'}.example.com`,
      lastModifiedDateTime: iso(SEED_EPOCH - 300 * DAY + i * 60_000),
    });
  }

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
    const vendor = vendors[random.int(0, vendorCount - 1)] as EntityRecord;
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
    const vendor = vendors[random.int(0, vendorCount - 1)] as EntityRecord;
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

  return { company, vendors, accounts, dimensions, dimensionValues, purchaseInvoices, purchaseInvoiceLines, purchaseOrders, purchaseOrderLines };
}
