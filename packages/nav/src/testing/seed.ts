import { InvalidInputError } from '@ml-connector/core';
import { createSeededRandom } from '@ml-connector/core/testing';
import type { NavTableName } from './model.js';

/** A stored record: standard NAV field names (as published by default) to values. */
export type NavRecordData = Record<string, unknown>;

/** Seed data of the emulated company, table by table. */
export type NavSeed = Record<NavTableName, NavRecordData[]>;

/** Options of {@link generateNavSeed}. */
export interface NavSeedOptions {
  /** PRNG seed. Default `1`. */
  seed?: number | string;
  /** Number of vendors `V00001`…; matches the JAGGAER emulator's default suppliers. Default 25. */
  vendors?: number;
  /** Number of purchase orders `106001`…. Default 5. */
  purchaseOrders?: number;
  /** Instant the data is stamped around (epoch ms). Default 2026-01-01T00:00:00Z. */
  until?: number;
}

/** Name of the seeded company (shared convention with the Business Central and JAGGAER emulators). */
export const NAV_SEED_COMPANY = 'CRONUS USA, Inc.';

/**
 * The seeded chart of accounts, the same numbers as the JAGGAER emulator's coding values and the Business Central
 * emulator: `[number, name, accountType, blocked, directPosting, incomeBalance]`. 8190 is blocked, 8100 is a
 * heading and 2110 forbids direct posting; 9999 (JAGGAER's unknown account) does not exist.
 */
export const NAV_SEED_ACCOUNTS: readonly (readonly [string, string, 'Posting' | 'Heading', boolean, boolean, 'Income Statement' | 'Balance Sheet'])[] = [
  ['2110', 'Accounts Payable', 'Posting', false, false, 'Balance Sheet'],
  ['8100', 'Operating Expenses', 'Heading', false, false, 'Income Statement'],
  ['8110', 'Office Supplies', 'Posting', false, true, 'Income Statement'],
  ['8120', 'Software Subscriptions', 'Posting', false, true, 'Income Statement'],
  ['8130', 'Consulting Services', 'Posting', false, true, 'Income Statement'],
  ['8140', 'Travel', 'Posting', false, true, 'Income Statement'],
  ['8150', 'Freight', 'Posting', false, true, 'Income Statement'],
  ['8160', 'Repairs and Maintenance', 'Posting', false, true, 'Income Statement'],
  ['8170', 'Utilities', 'Posting', false, true, 'Income Statement'],
  ['8180', 'Marketing', 'Posting', false, true, 'Income Statement'],
  ['8190', 'Legacy Expenses', 'Posting', true, true, 'Income Statement'],
];

/** Dimensions and values shared with the JAGGAER emulator's departments and projects (DEPARTMENT = shortcut 1, PROJECT = shortcut 2). */
export const NAV_SEED_DIMENSIONS: Readonly<Record<'DEPARTMENT' | 'PROJECT' | 'AREA', readonly (readonly [string, string])[]>> = {
  // Shortcut dimension 3 (General Ledger Setup) of the emulated company, as in CRONUS.
  AREA: [
    ['10', 'Europe North (EU)'],
    ['20', 'Europe South'],
    ['30', 'America'],
  ],
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

/** Payment terms: `[code, description, due date calculation]`. `NET 30` is JAGGAER's `Net 30`. */
export const NAV_SEED_PAYMENT_TERMS: readonly (readonly [string, string, string])[] = [
  ['NET 30', 'Net 30 days', '30D'],
  ['14 DAYS', 'Net 14 days', '14D'],
  ['COD', 'Cash on delivery', '0D'],
];

/** Journal template/batches that exist: lines can only be created in these. */
export const NAV_SEED_JOURNAL_BATCHES: readonly (readonly [string, string])[] = [
  ['GENERAL', 'DEFAULT'],
  ['GENERAL', 'MLCONNECT'],
];

// The JAGGAER emulator's supplier names are a pure function of the supplier number; the same tables give the
// same names here without depending on that package.
const NAME_FIRST = ['Acme', 'Summit', 'Northwind', 'Blue Ridge', 'Contoso', 'Fabrikam', 'Redwood', 'Silverline', 'Granite', 'Harbor', 'Pioneer', 'Lakeside', 'Evergreen', 'Ironclad', 'Meridian', 'Crescent', 'Keystone'];
const NAME_SECOND = ['Office Supply', 'Software', 'Consulting', 'Travel', 'Logistics', 'Maintenance', 'Energy', 'Marketing', 'Industrial', 'Print', 'Facilities', 'Data'];
const NAME_SUFFIX = ['Inc.', 'LLC', 'Corp.', 'Co.', 'Group', 'Ltd.'];

/** The name of the n-th seeded vendor (1-based), equal to the JAGGAER emulator's supplier of the same number. */
export function navSeedVendorName(n: number): string {
  const i = n - 1;
  const first = NAME_FIRST[i % NAME_FIRST.length] as string;
  const second = NAME_SECOND[Math.floor(i / NAME_FIRST.length) % NAME_SECOND.length] as string;
  const suffix = NAME_SUFFIX[i % NAME_SUFFIX.length] as string;
  const round = Math.floor(i / (NAME_FIRST.length * NAME_SECOND.length));
  return `${first} ${second}${round > 0 ? ` ${round + 1}` : ''} ${suffix}`;
}

/** Vendor number of the n-th seeded vendor: `V00001`, the JAGGAER emulator's supplier number. */
export const navSeedVendorNumber = (n: number): string => `V${String(n).padStart(5, '0')}`;

const DAY = 86_400_000;

function count(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 0 || v > 1_000_000) throw new InvalidInputError(`${name} must be a whole number between 0 and 1,000,000`, { field: name });
  return v;
}

/**
 * Generates deterministic data of one NAV company: vendors `V00001`… named like the JAGGAER emulator's suppliers
 * (every fifth vendor from V00005 pays through V00001–V00003, `Pay-to Vendor No.`; V00007 is blocked `All`),
 * the shared chart of accounts and dimensions, payment terms, journal batches and released/open purchase orders.
 */
export function generateNavSeed(options: NavSeedOptions = {}): NavSeed {
  const vendorCount = count('vendors', options.vendors, 25);
  const orderCount = count('purchaseOrders', options.purchaseOrders, 5);
  if (vendorCount === 0 && orderCount > 0) throw new InvalidInputError('purchaseOrders need at least one vendor', { field: 'vendors' });
  const until = options.until ?? Date.parse('2026-01-01T00:00:00Z');
  const random = createSeededRandom(options.seed ?? 1);
  const iso = (ms: number) => new Date(ms).toISOString();
  const day = (ms: number) => iso(ms).slice(0, 10);

  const vendors: NavRecordData[] = [];
  for (let n = 1; n <= vendorCount; n++) {
    const modified = until - random.int(1, 300) * DAY;
    const name = navSeedVendorName(n);
    vendors.push({
      No: navSeedVendorNumber(n),
      Name: name,
      Address: `${random.int(1, 999)} Main Street`,
      City: random.pick(['Atlanta', 'Chicago', 'Denver', 'Seattle', 'Boston']),
      Country_Region_Code: 'US',
      Blocked: n === 7 ? 'All' : ' ',
      Payment_Terms_Code: 'NET 30',
      Pay_to_Vendor_No: n >= 5 && n % 5 === 0 ? navSeedVendorNumber(((n / 5 - 1) % 3) + 1) : '',
      Contact: `${random.pick(['Alex', 'Sam', 'Robin', 'Jordan', 'Casey'])} ${random.pick(['Miller', 'Garcia', 'Chen', 'Okafor', 'Novak'])}`,
      E_Mail: `ap@${name.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example`,
      Phone_No: `+1 555 ${String(random.int(100, 999))} ${String(random.int(1000, 9999))}`,
      Currency_Code: '',
      Balance_LCY: 0,
      Last_Date_Modified: day(modified),
      Last_Modified_Date_Time: iso(modified),
    });
  }

  // Contacts (no random draws, so the rest of the data set is unchanged): each vendor's company contact CT000001…,
  // its business relation (VEN) and a person CT000101… as the vendor's Primary Contact No.
  const contacts: NavRecordData[] = [];
  const relations: NavRecordData[] = [];
  vendors.forEach((vendor, index) => {
    const company = `CT${String(index + 1).padStart(6, '0')}`;
    const person = `CT${String(index + 101).padStart(6, '0')}`;
    const name = String(vendor['Name']);
    const personName = String(vendor['Contact']);
    contacts.push(
      { No: company, Type: 'Company', Name: name, Company_No: company, Company_Name: name, E_Mail: vendor['E_Mail'], Phone_No: vendor['Phone_No'], Mobile_Phone_No: '', Last_Date_Modified: vendor['Last_Date_Modified'] },
      {
        No: person, Type: 'Person', Name: personName, Company_No: company, Company_Name: name,
        E_Mail: `${personName.toLowerCase().replace(/[^a-z]+/g, '.')}@${String(vendor['E_Mail']).split('@')[1]}`, Phone_No: vendor['Phone_No'], Mobile_Phone_No: '',
        Last_Date_Modified: vendor['Last_Date_Modified'],
      },
    );
    relations.push({ Contact_No: company, Business_Relation_Code: 'VEN', Link_to_Table: 'Vendor', No: vendor['No'] });
    vendor['Primary_Contact_No'] = person;
  });

  const accounts = NAV_SEED_ACCOUNTS.map(([No, Name, Account_Type, Blocked, Direct_Posting, Income_Balance]) => ({
    No,
    Name,
    Account_Type,
    Blocked,
    Direct_Posting,
    Income_Balance,
    Balance: 0,
  }));
  const dimensions = Object.keys(NAV_SEED_DIMENSIONS).map((Code) => ({ Code, Name: Code.charAt(0) + Code.slice(1).toLowerCase(), Blocked: false }));
  const dimensionValues = Object.entries(NAV_SEED_DIMENSIONS).flatMap(([Dimension_Code, values]) =>
    values.map(([Code, Name]) => ({ Dimension_Code, Code, Name, Blocked: false })),
  );

  const headers: NavRecordData[] = [];
  const lines: NavRecordData[] = [];
  for (let i = 0; i < orderCount; i++) {
    const vendor = vendors[random.int(0, Math.min(vendorCount, 6) - 1)] as NavRecordData;
    const orderDate = until - random.int(5, 60) * DAY;
    const No = String(106_001 + i);
    const lineCount = random.int(1, 3);
    let amount = 0;
    for (let l = 1; l <= lineCount; l++) {
      const account = NAV_SEED_ACCOUNTS[random.int(2, 9)]?.[0] as string;
      const quantity = random.int(1, 10);
      const cost = random.int(1_000, 50_000) / 100;
      const lineAmount = Math.round(quantity * cost * 100) / 100;
      amount += lineAmount;
      lines.push({
        Document_Type: 'Order',
        Document_No: No,
        Line_No: l * 10_000,
        Type: 'G/L Account',
        No: account,
        Description: `Seeded line ${l}`,
        Quantity: quantity,
        Direct_Unit_Cost: cost,
        Line_Amount: lineAmount,
        Shortcut_Dimension_1_Code: random.pick(['ADM', 'PROD', 'SALES', 'IT']),
        Shortcut_Dimension_2_Code: '',
      });
    }
    headers.push({
      Document_Type: 'Order',
      No,
      Buy_from_Vendor_No: vendor['No'],
      Buy_from_Vendor_Name: vendor['Name'],
      Posting_Date: day(orderDate),
      Document_Date: day(orderDate),
      Order_Date: day(orderDate),
      Due_Date: day(orderDate + 30 * DAY),
      Payment_Terms_Code: 'NET 30',
      Currency_Code: '',
      Status: i % 2 === 0 ? 'Released' : 'Open',
      Shortcut_Dimension_1_Code: '',
      Shortcut_Dimension_2_Code: '',
      Vendor_Order_No: '',
      Amount: Math.round(amount * 100) / 100,
    });
  }

  return {
    Vendor: vendors,
    PaymentTerms: NAV_SEED_PAYMENT_TERMS.map(([Code, Description, Due_Date_Calculation]) => ({ Code, Description, Due_Date_Calculation })),
    PurchaseHeader: headers,
    PurchaseLine: lines,
    GenJournalLine: [],
    GenJournalBatch: NAV_SEED_JOURNAL_BATCHES.map(([Journal_Template_Name, Name]) => ({ Journal_Template_Name, Name })),
    GLAccount: accounts,
    Dimension: dimensions,
    DimensionValue: dimensionValues,
    Contact: contacts,
    ContactBusinessRelation: relations,
  };
}
