import { InvalidInputError } from '@ml-connector/core';
import { createSeededRandom } from '@ml-connector/core/testing';
import type {
  CodingAssignment,
  InvoiceWorkflowStatus,
  JaggaerCodingValue,
  JaggaerInvoice,
  JaggaerInvoiceLine,
  JaggaerPurchaseOrder,
  JaggaerSeed,
  JaggaerSupplier,
} from './model.js';

/** GL accounts preloaded as coding values and used on seeded invoices (shared with the Business Central sandbox). */
export const SANDBOX_ACCOUNTS: readonly { code: string; description: string }[] = Object.freeze([
  { code: '8110', description: 'Office Supplies' },
  { code: '8120', description: 'Software Subscriptions' },
  { code: '8130', description: 'Consulting Services' },
  { code: '8140', description: 'Travel' },
  { code: '8150', description: 'Freight' },
  { code: '8160', description: 'Repairs and Maintenance' },
  { code: '8170', description: 'Utilities' },
  { code: '8180', description: 'Marketing' },
]);

/** Department dimension values. */
export const SANDBOX_DEPARTMENTS: readonly { code: string; description: string }[] = Object.freeze([
  { code: 'ADM', description: 'Administration' },
  { code: 'PROD', description: 'Production' },
  { code: 'SALES', description: 'Sales' },
  { code: 'IT', description: 'Information Technology' },
]);

/** Project dimension values. */
export const SANDBOX_PROJECTS: readonly { code: string; description: string }[] = Object.freeze([
  { code: 'P-100', description: 'ERP Rollout' },
  { code: 'P-200', description: 'Warehouse Expansion' },
  { code: 'P-300', description: 'Website Relaunch' },
]);

/** Account some seeded invoices carry that is blocked in the ERP (Business Central), so flows can prove they refuse it. */
export const SANDBOX_BLOCKED_ACCOUNT = '8190';
/** Account some seeded invoices carry that does not exist in the ERP at all. */
export const SANDBOX_UNKNOWN_ACCOUNT = '9999';
/** The seeded business unit's internal name. */
export const SANDBOX_BUSINESS_UNIT = 'US01';

/**
 * Every seeded invoice whose 0-based index `i` has `i % 50 === 17` has its first line coded to
 * {@link SANDBOX_BLOCKED_ACCOUNT} (2 %); `i % 97 === 41` gets {@link SANDBOX_UNKNOWN_ACCOUNT} (about 1 %). Index-based,
 * so the same invoices are affected for every seed.
 */
export const SANDBOX_SPECIAL_CODING_RULE = Object.freeze({ blockedEvery: 50, blockedOffset: 17, unknownEvery: 97, unknownOffset: 41 });

/**
 * Seeded invoices whose 0-based index `i` has `i % 20 === 3` have their first line split two ways (about 5 % of
 * invoices, fewer where the invoice is coded at header level or carries a blocked/unknown account, which are left
 * unsplit): the first share keeps the line's coding, the second goes to the next account of {@link SANDBOX_ACCOUNTS}
 * (8180 wraps to 8110) with the same department and project. Shares cycle through 60/40, 50/50, 70/30 and 75/25 by
 * `Math.floor(i / 20) % 4`. Index-based and drawn after the random data, so the rest of the seed is unchanged.
 */
export const SANDBOX_SPLIT_CODING_RULE = Object.freeze({
  every: 20,
  offset: 3,
  shares: Object.freeze([Object.freeze([60, 40]), Object.freeze([50, 50]), Object.freeze([70, 30]), Object.freeze([75, 25])]),
});

/** Options of {@link generateJaggaerSeed}. */
export interface JaggaerSeedOptions {
  /** PRNG seed; the same seed and sizes always give the same data. Default `1`. */
  seed?: number | string;
  /** Number of suppliers (`V00001`…). Default 25. */
  suppliers?: number;
  /** Number of invoices (`INV-0000001`…). Default 200. Needs at least one supplier. */
  invoices?: number;
  /** Number of purchase orders (`PO-00001`…). Default 20. Needs at least one supplier. */
  purchaseOrders?: number;
  /**
   * Latest `lastUpdate` the seed may produce, epoch ms. Seeded timestamps spread over the 365 days before it.
   * Default `2026-01-01T00:00:00Z` — fixed, so the data does not depend on the wall clock.
   */
  until?: number;
}

const DAY = 86_400_000;
/** Default upper bound of seeded timestamps. */
export const SANDBOX_SEED_UNTIL = Date.UTC(2026, 0, 1);

const NAME_FIRST = ['Acme', 'Summit', 'Northwind', 'Blue Ridge', 'Contoso', 'Fabrikam', 'Redwood', 'Silverline', 'Granite', 'Harbor', 'Pioneer', 'Lakeside', 'Evergreen', 'Ironclad', 'Meridian', 'Crescent', 'Keystone'];
const NAME_SECOND = ['Office Supply', 'Software', 'Consulting', 'Travel', 'Logistics', 'Maintenance', 'Energy', 'Marketing', 'Industrial', 'Print', 'Facilities', 'Data'];
const NAME_SUFFIX = ['Inc.', 'LLC', 'Corp.', 'Co.', 'Group', 'Ltd.'];
const CITIES = ['Chicago', 'Seattle', 'Atlanta', 'Denver', 'Boston', 'Austin', 'Phoenix', 'Portland'];
const ITEMS: Record<string, readonly string[]> = {
  '8110': ['Copy paper A4, 5 reams', 'Toner cartridge', 'Desk organiser set'],
  '8120': ['SaaS subscription, monthly', 'Software licence renewal', 'Cloud storage plan'],
  '8130': ['Consulting hours', 'Implementation workshop', 'Advisory retainer'],
  '8140': ['Airfare', 'Hotel stay', 'Car rental'],
  '8150': ['Inbound freight', 'Courier delivery', 'Pallet shipping'],
  '8160': ['HVAC repair', 'Forklift maintenance', 'Plumbing service'],
  '8170': ['Electricity', 'Water and sewer', 'Natural gas'],
  '8180': ['Trade show booth', 'Online advertising', 'Printed brochures'],
};

/**
 * The deterministic name of the n-th sandbox supplier (1-based): a pure function of `n`, independent of the seed, so
 * other sandboxes (Business Central vendors `V00001`…) can produce the same names.
 */
export function sandboxSupplierName(n: number): string {
  const i = n - 1;
  const first = NAME_FIRST[i % NAME_FIRST.length] as string;
  const second = NAME_SECOND[Math.floor(i / NAME_FIRST.length) % NAME_SECOND.length] as string;
  const suffix = NAME_SUFFIX[i % NAME_SUFFIX.length] as string;
  const round = Math.floor(i / (NAME_FIRST.length * NAME_SECOND.length));
  return `${first} ${second}${round > 0 ? ` ${round + 1}` : ''} ${suffix}`;
}

/** Formats a sandbox supplier number: `V00001`. */
export const sandboxSupplierNumber = (n: number) => `V${String(n).padStart(5, '0')}`;
/** Formats a sandbox invoice number: `INV-0000001`. */
export const sandboxInvoiceNumber = (n: number) => `INV-${String(n).padStart(7, '0')}`;
/** Formats a sandbox purchase-order number: `PO-00001`. */
export const sandboxPoNumber = (n: number) => `PO-${String(n).padStart(5, '0')}`;

/** First `invoiceId` of seeded invoices; ids are consecutive in `invoiceNumber` order. */
export const SANDBOX_FIRST_INVOICE_ID = 2_500_001;
const FIRST_BRAVO_ID = 1_000_001;
const FIRST_PO_ID = 700_001;

function checkCount(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 0 || v > 10_000_000) {
    throw new InvalidInputError(`${name} must be a whole number between 0 and 10,000,000, got ${value}`, { field: name });
  }
  return v;
}

const cents = (n: number) => Math.round(n * 100) / 100;
const isoDay = (ms: number) => `${new Date(Math.floor(ms / DAY) * DAY).toISOString().slice(0, 10)}T00:00:00.000Z`;

/** The preloaded coding values: every account, department and project above, active. */
export function sandboxCodingValues(lastModTime: number): JaggaerCodingValue[] {
  return [
    ...SANDBOX_ACCOUNTS.map((a) => ({ segment: 'account' as const, ...a, active: true, lastModTime })),
    ...SANDBOX_DEPARTMENTS.map((d) => ({ segment: 'department' as const, ...d, active: true, lastModTime })),
    ...SANDBOX_PROJECTS.map((p) => ({ segment: 'project' as const, ...p, active: true, lastModTime })),
  ];
}

const FIRST_NAMES = ['Ana', 'Ben', 'Chloe', 'Dev', 'Elif', 'Femi', 'Greta'];
const LAST_NAMES = ['Lopez', 'Schmidt', 'Tanaka', 'Patel', 'Yilmaz', 'Adeyemi', 'Larsen'];

/**
 * The seed's contacts and payment terms of supplier `n`: a super user (the main contact), a sub user for every third
 * supplier, and payment terms `Net 14` for every sixth supplier, `Net 30` otherwise.
 */
export function sandboxSupplierProfileExtras(n: number): Pick<JaggaerSupplier, 'superUser' | 'subUsers' | 'paymentTermsCode'> {
  const first = FIRST_NAMES[n % FIRST_NAMES.length] as string;
  const last = LAST_NAMES[(n * 3) % LAST_NAMES.length] as string;
  const domain = sandboxSupplierName(n).toLowerCase().replace(/[^a-z0-9]+/g, '');
  return {
    superUser: { name: first, surname: last, email: `${first.toLowerCase()}.${last.toLowerCase()}@${domain}.example`, phone: `+1 555 01${String(n).padStart(2, '0')}` },
    ...(n % 3 === 0 ? { subUsers: [{ name: 'Accounts', surname: 'Receivable', email: `ar@${domain}.example`, login: `ar.${n}`, userId: String(90_000 + n) }] } : {}),
    paymentTermsCode: n % 6 === 0 ? 'Net 14' : 'Net 30',
  };
}

/**
 * Generates a deterministic JAGGAER data set: suppliers `V00001`… (about 15 % below one of the first three as
 * parent), one business unit `US01`, coding values, purchase orders `PO-00001`… and invoices `INV-0000001`… with 1–5
 * coded lines each (about a quarter coded at header level), USD, `paymentStatus` `Unpaid`, `workflowStatus` about
 * 80 % `Approved`, 12 % `Pending Approval`, 8 % `Rejected`, `lastUpdate` spread over the year before `until`.
 * See {@link SANDBOX_SPECIAL_CODING_RULE} for the invoices coded to blocked / unknown accounts and
 * {@link SANDBOX_SPLIT_CODING_RULE} for the split-coded lines.
 * Generates 100,000 invoices in well under a second.
 *
 * **Identifiers other sandboxes align with** (the Business Central sandbox seeds the same company). These are stable:
 * the same for every `seed`, and kept across releases.
 * - Suppliers: `V00001` … `V{n}` for `suppliers: n` (default 25: `V00001`–`V00025`), named by
 *   {@link sandboxSupplierName}; JAGGAER ids (`bravoId`) 1000001…; parents only among `V00001`–`V00003`.
 * - GL accounts (coding segment `account`): `8110` Office Supplies, `8120` Software Subscriptions, `8130` Consulting
 *   Services, `8140` Travel, `8150` Freight, `8160` Repairs and Maintenance, `8170` Utilities, `8180` Marketing
 *   ({@link SANDBOX_ACCOUNTS}); invoices also carry `8190` ({@link SANDBOX_BLOCKED_ACCOUNT}, meant to be blocked in
 *   the ERP) and `9999` ({@link SANDBOX_UNKNOWN_ACCOUNT}, meant to be missing there), which are not JAGGAER coding
 *   values.
 * - Segment `department`: `ADM`, `PROD`, `SALES`, `IT` ({@link SANDBOX_DEPARTMENTS}).
 * - Segment `project`: `P-100`, `P-200`, `P-300` ({@link SANDBOX_PROJECTS}).
 * - Business unit `US01`; currency `USD`; payment terms `Net 30`.
 * - Purchase orders `PO-00001` … (default 20), invoices `INV-0000001` … with ids from 2500001
 *   ({@link SANDBOX_FIRST_INVOICE_ID}), lines ids from 9000001.
 */
export function generateJaggaerSeed(options: JaggaerSeedOptions = {}): JaggaerSeed {
  const supplierCount = checkCount('suppliers', options.suppliers, 25);
  const invoiceCount = checkCount('invoices', options.invoices, 200);
  const poCount = checkCount('purchaseOrders', options.purchaseOrders, 20);
  const until = options.until ?? SANDBOX_SEED_UNTIL;
  if (!Number.isFinite(until)) throw new InvalidInputError('until must be an epoch-millisecond number', { field: 'until' });
  if (supplierCount === 0 && (invoiceCount > 0 || poCount > 0)) {
    throw new InvalidInputError('invoices and purchaseOrders need at least one supplier; set suppliers >= 1', { field: 'suppliers' });
  }
  const random = createSeededRandom(options.seed ?? 1);
  const from = until - 365 * DAY;

  const suppliers: JaggaerSupplier[] = new Array(supplierCount);
  for (let i = 0; i < supplierCount; i++) {
    const n = i + 1;
    const hasParent = n > 3 && supplierCount > 3 && random.chance(0.15);
    const supplier: JaggaerSupplier = {
      bravoId: FIRST_BRAVO_ID + i,
      supplierNumber: sandboxSupplierNumber(n),
      companyName: sandboxSupplierName(n),
      status: 'ACTIVE',
      duns: random.chance(0.3) ? 'DNP' : String(100_000_000 + random.int(0, 899_999_999)),
      isoCountry: 'US',
      city: random.pick(CITIES),
      lastModTime: from + random.int(0, 30) * DAY,
    };
    if (hasParent) supplier.parentSupplierNumber = sandboxSupplierNumber(random.int(1, 3));
    // Contacts and payment terms come from the number, not the random stream, so the rest of the data set is unchanged.
    Object.assign(supplier, sandboxSupplierProfileExtras(n));
    suppliers[i] = supplier;
  }

  const coding = (): CodingAssignment => ({
    account: (SANDBOX_ACCOUNTS[random.int(0, SANDBOX_ACCOUNTS.length - 1)] as { code: string }).code,
    department: (SANDBOX_DEPARTMENTS[random.int(0, SANDBOX_DEPARTMENTS.length - 1)] as { code: string }).code,
    project: (SANDBOX_PROJECTS[random.int(0, SANDBOX_PROJECTS.length - 1)] as { code: string }).code,
  });

  const purchaseOrders: JaggaerPurchaseOrder[] = new Array(poCount);
  const posBySupplier = new Map<string, JaggaerPurchaseOrder[]>();
  for (let i = 0; i < poCount; i++) {
    const supplier = suppliers[random.int(0, supplierCount - 1)] as JaggaerSupplier;
    const orderDate = from + random.int(0, 300) * DAY;
    const lineCount = random.int(1, 3);
    const lines = new Array(lineCount);
    for (let l = 0; l < lineCount; l++) {
      const c = coding();
      lines[l] = {
        lineNumber: l + 1,
        description: random.pick(ITEMS[c.account] as readonly string[]),
        quantity: random.int(1, 20),
        unitPrice: cents(random.int(500, 200_000) / 100),
        unitOfMeasure: 'EA',
        coding: c,
      };
    }
    const po: JaggaerPurchaseOrder = {
      purchaseOrderId: FIRST_PO_ID + i,
      poNumber: sandboxPoNumber(i + 1),
      supplierNumber: supplier.supplierNumber,
      businessUnit: SANDBOX_BUSINESS_UNIT,
      currency: 'USD',
      orderDate: isoDay(orderDate),
      status: 'Open',
      lines,
      lastModTime: orderDate,
    };
    purchaseOrders[i] = po;
    const list = posBySupplier.get(supplier.supplierNumber);
    if (list) list.push(po);
    else posBySupplier.set(supplier.supplierNumber, [po]);
  }

  const invoices: JaggaerInvoice[] = new Array(invoiceCount);
  const perSupplierCounter = new Map<string, number>();
  const { blockedEvery, blockedOffset, unknownEvery, unknownOffset } = SANDBOX_SPECIAL_CODING_RULE;
  let lineId = 9_000_001;
  for (let i = 0; i < invoiceCount; i++) {
    const supplier = suppliers[random.int(0, supplierCount - 1)] as JaggaerSupplier;
    const k = (perSupplierCounter.get(supplier.supplierNumber) ?? 0) + 1;
    perSupplierCounter.set(supplier.supplierNumber, k);
    const lastUpdate = Math.floor((from + random.next() * 365 * DAY) / 1000) * 1000;
    const invoiceDate = lastUpdate - random.int(0, 10) * DAY;
    const roll = random.next();
    const workflowStatus: InvoiceWorkflowStatus = roll < 0.8 ? 'Approved' : roll < 0.92 ? 'Pending Approval' : 'Rejected';
    const headerLevel = random.chance(0.25);
    const headerCoding = headerLevel ? coding() : undefined;
    const supplierPos = posBySupplier.get(supplier.supplierNumber);
    const po = supplierPos && random.chance(0.3) ? random.pick(supplierPos) : undefined;
    const lineCount = po ? po.lines.length : random.int(1, 5);
    const lines: JaggaerInvoiceLine[] = new Array(lineCount);
    for (let l = 0; l < lineCount; l++) {
      const poLine = po?.lines[l];
      const c = poLine ? { ...poLine.coding } : coding();
      const line: JaggaerInvoiceLine = {
        lineId: lineId++,
        lineNumber: l + 1,
        description: poLine ? poLine.description : random.pick(ITEMS[c.account] as readonly string[]),
        quantity: poLine ? poLine.quantity : random.int(1, 20),
        unitPrice: poLine ? poLine.unitPrice : cents(random.int(500, 200_000) / 100),
        unitOfMeasure: 'EA',
      };
      if (po) {
        line.poNumber = po.poNumber;
        line.poLineNumber = String(l + 1);
      }
      if (!headerCoding) line.coding = c;
      lines[l] = line;
    }
    const special = i % blockedEvery === blockedOffset ? '8190' : i % unknownEvery === unknownOffset ? '9999' : undefined;
    if (special) {
      if (headerCoding) headerCoding.account = special;
      else (lines[0] as JaggaerInvoiceLine & { coding: CodingAssignment }).coding.account = special;
    }
    const invoice: JaggaerInvoice = {
      invoiceId: SANDBOX_FIRST_INVOICE_ID + i,
      invoiceNumber: sandboxInvoiceNumber(i + 1),
      supplierInvoiceNumber: `${supplier.supplierNumber.slice(1)}-${String(k).padStart(5, '0')}`,
      supplierNumber: supplier.supplierNumber,
      invoiceType: 'Invoice',
      invoiceSource: random.chance(0.5) ? 'Manual' : 'Automated',
      invoiceDate: isoDay(invoiceDate),
      dueDate: isoDay(invoiceDate + 30 * DAY),
      paymentTermsCode: 'Net 30',
      businessUnit: SANDBOX_BUSINESS_UNIT,
      currency: 'USD',
      workflowStatus,
      paymentStatus: 'Unpaid',
      lines,
      lastUpdate,
    };
    if (headerCoding) invoice.headerCoding = headerCoding;
    const first = lines[0];
    if (!special && first?.coding && i % SANDBOX_SPLIT_CODING_RULE.every === SANDBOX_SPLIT_CODING_RULE.offset) {
      const [a, b] = SANDBOX_SPLIT_CODING_RULE.shares[Math.floor(i / SANDBOX_SPLIT_CODING_RULE.every) % SANDBOX_SPLIT_CODING_RULE.shares.length] as readonly number[];
      const at = SANDBOX_ACCOUNTS.findIndex((acc) => acc.code === first.coding?.account);
      const next = (SANDBOX_ACCOUNTS[(at + 1) % SANDBOX_ACCOUNTS.length] as { code: string }).code;
      first.splits = [
        { percentage: a as number, coding: first.coding },
        { percentage: b as number, coding: { ...first.coding, account: next } },
      ];
      delete first.coding;
    }
    invoices[i] = invoice;
  }

  return {
    businessUnits: [SANDBOX_BUSINESS_UNIT],
    suppliers,
    codingValues: sandboxCodingValues(from),
    purchaseOrders,
    invoices,
  };
}
