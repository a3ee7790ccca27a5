import type { NavFieldSpec, NavPageSpec, NavTableName } from './model.js';
import type { NavRecordData, NavSeed } from './seed.js';

/** An error the emulator answers with: HTTP status, NAV error code and message. */
export class NavEmulatorError extends Error {
  /** HTTP status. */
  readonly status: number;
  /** NAV error code, e.g. `Internal_RecordNotFound`. */
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'NavEmulatorError';
    this.status = status;
    this.code = code;
  }
}

/** A stored record and its row version (the ETag is derived from it). */
export interface StoredRecord {
  /** Field values by standard field name. */
  data: NavRecordData;
  /** Row version: the company's next one on every insert and change (see {@link NavStore.etag}). */
  version: number;
}

/**
 * The hidden field a {@link NavStore.snapshotAll} keeps each record's row version in: NAV's SQL `timestamp` column,
 * which no page publishes.
 */
const ROW_VERSION_FIELD = 'timestamp';

const KEYS: Record<NavTableName, readonly string[]> = {
  Vendor: ['No'],
  PaymentTerms: ['Code'],
  PurchaseHeader: ['Document_Type', 'No'],
  PurchaseLine: ['Document_Type', 'Document_No', 'Line_No'],
  GenJournalLine: ['Journal_Template_Name', 'Journal_Batch_Name', 'Line_No'],
  GenJournalBatch: ['Journal_Template_Name', 'Name'],
  GLAccount: ['No'],
  Dimension: ['Code'],
  DimensionValue: ['Dimension_Code', 'Code'],
  Contact: ['No'],
  ContactBusinessRelation: ['Contact_No', 'Business_Relation_Code'],
};

/** Human captions of fields in NAV's messages (`Buy_from_Vendor_No` → `Buy-from Vendor No.`). */
const CAPTIONS: Record<string, string> = {
  No: 'No.',
  Buy_from_Vendor_No: 'Buy-from Vendor No.',
  Pay_to_Vendor_No: 'Pay-to Vendor No.',
  Payment_Terms_Code: 'Payment Terms Code',
  Shortcut_Dimension_1_Code: 'Shortcut Dimension 1 Code',
  Shortcut_Dimension_2_Code: 'Shortcut Dimension 2 Code',
  Account_No: 'Account No.',
  Primary_Contact_No: 'Primary Contact No.',
  Company_No: 'Company No.',
};
const TABLE_CAPTIONS: Record<NavTableName, string> = {
  Vendor: 'Vendor',
  PaymentTerms: 'Payment Terms',
  PurchaseHeader: 'Purchase Header',
  PurchaseLine: 'Purchase Line',
  GenJournalLine: 'Gen. Journal Line',
  GenJournalBatch: 'Gen. Journal Batch',
  GLAccount: 'G/L Account',
  Dimension: 'Dimension',
  DimensionValue: 'Dimension Value',
  Contact: 'Contact',
  ContactBusinessRelation: 'Contact Business Relation',
};
const caption = (field: string) => CAPTIONS[field] ?? field.replaceAll('_', ' ');

const DAY = 86_400_000;

/** The emulator's General Ledger Setup shortcut dimensions 1–8 (CRONUS: DEPARTMENT, PROJECT, then AREA…). */
export const NAV_DEFAULT_SHORTCUT_DIMENSIONS: readonly string[] = ['DEPARTMENT', 'PROJECT', 'AREA'];

/** Company settings the store's rules depend on. */
export interface NavStoreSettings {
  /**
   * General Ledger Setup's shortcut dimensions 1–8 (dimension codes; `''` or absent for none). Shortcut 1 and 2 are
   * the global dimensions of the pages' `Shortcut_Dimension_1/2_Code` fields.
   */
  readonly shortcutDimensions?: readonly string[];
  /**
   * Marketing Setup's "Bus. Rel. Code for Vendors": when set, creating a vendor creates its company contact and the
   * business relation linking them (NAV's documented behaviour); `''` turns that off.
   */
  readonly vendorBusinessRelationCode?: string;
}

/** In-memory tables of one company, with NAV's validation rules for the pages the emulator publishes. */
export class NavStore {
  readonly #tables: Record<NavTableName, StoredRecord[]>;
  readonly #now: () => number;
  readonly #shortcuts: readonly string[];
  readonly #vendorRelation: string;
  readonly #listeners: ((table: NavTableName, changeType: 'created' | 'updated' | 'deleted', data: NavRecordData) => void)[] = [];
  #clock = 0;
  #rowVersion = 0;

  /** Registers a listener for every insert, modify and delete (the webhook emulation uses it). */
  onChange(listener: (table: NavTableName, changeType: 'created' | 'updated' | 'deleted', data: NavRecordData) => void): void {
    this.#listeners.push(listener);
  }

  #emit(table: NavTableName, changeType: 'created' | 'updated' | 'deleted', data: NavRecordData): void {
    for (const listener of this.#listeners) listener(table, changeType, data);
  }

  constructor(seed: NavSeed, now: () => number, settings: NavStoreSettings = {}) {
    this.#now = now;
    this.#shortcuts = settings.shortcutDimensions ?? NAV_DEFAULT_SHORTCUT_DIMENSIONS;
    this.#vendorRelation = settings.vendorBusinessRelationCode ?? 'VEN';
    // A snapshot's records carry their row versions (ETags survive a restore, as NAV's survive a service restart);
    // seed records without one get the next.
    const load = (data: NavRecordData): StoredRecord => {
      const { [ROW_VERSION_FIELD]: stored, ...fields } = data;
      return { data: fields, version: typeof stored === 'number' && Number.isSafeInteger(stored) && stored > 0 ? stored : 0 };
    };
    this.#tables = Object.fromEntries((Object.keys(KEYS) as NavTableName[]).map((table) => [table, (seed[table] ?? []).map(load)])) as Record<NavTableName, StoredRecord[]>;
    const records = (Object.keys(KEYS) as NavTableName[]).flatMap((table) => this.#tables[table]);
    this.#rowVersion = Math.max(0, ...records.map((record) => record.version));
    for (const record of records) if (record.version === 0) record.version = this.nextRowVersion();
    for (const table of Object.keys(KEYS) as NavTableName[]) this.#sort(table);
  }

  /**
   * The company's next row version, for a record inserted or changed. NAV's SQL `timestamp` (row version): one
   * counter for the database, bumped on every insert and update, stored with the record ("How to: Use a Timestamp
   * Field", https://learn.microsoft.com/dynamics-nav/how-to--use-a-timestamp-field; "New TimeStamp fields in
   * Microsoft Dynamics NAV 2016", Dynamics NAV team blog, 2016-04-06).
   */
  nextRowVersion(): number {
    this.#rowVersion += 1;
    return this.#rowVersion;
  }

  /** Records of `table` in primary-key order. */
  rows(table: NavTableName): readonly StoredRecord[] {
    return this.#tables[table];
  }

  /** Plain copies of a table's records, for test assertions. */
  snapshot(table: NavTableName): NavRecordData[] {
    return this.#tables[table].map((r) => ({ ...r.data }));
  }

  /**
   * Plain copies of every table, in the shape of {@link NavSeed} (what the constructor loads back), each record with
   * its row version in the hidden `timestamp` field.
   */
  snapshotAll(): NavSeed {
    return Object.fromEntries(
      (Object.keys(KEYS) as NavTableName[]).map((table) => [table, this.#tables[table].map((record): NavRecordData => ({ ...structuredClone(record.data), [ROW_VERSION_FIELD]: record.version }))]),
    ) as NavSeed;
  }

  /** The key fields of a table. */
  keysOf(table: NavTableName): readonly string[] {
    return KEYS[table];
  }

  /** Finds one record by its full key. */
  find(table: NavTableName, key: NavRecordData): StoredRecord | undefined {
    return this.#tables[table].find((r) => KEYS[table].every((k) => r.data[k] === key[k]));
  }

  /**
   * The ETag of a record: opaque, changes with every modification (NAV's form: W/"base64"), derived from the record's
   * row version, which is unique in the company and kept across snapshot and restore, so an ETag never comes back.
   */
  etag(table: NavTableName, record: StoredRecord): string {
    const key = KEYS[table].map((k) => String(record.data[k])).join(';');
    const inner = `'${key.length};${Buffer.from(key).toString('base64')}${record.version};${record.version * 7919};'`;
    return `W/"${Buffer.from(inner).toString('base64')}"`;
  }

  #sort(table: NavTableName): void {
    const keys = KEYS[table];
    this.#tables[table].sort((a, b) => {
      for (const k of keys) {
        const [x, y] = [a.data[k], b.data[k]];
        if (x === y) continue;
        if (typeof x === 'number' && typeof y === 'number') return x - y;
        return String(x) < String(y) ? -1 : 1;
      }
      return 0;
    });
  }

  #stampModified(table: NavTableName, data: NavRecordData): void {
    if (table === 'Contact') {
      data['Last_Date_Modified'] = new Date(Math.max(this.#now(), this.#clock)).toISOString().slice(0, 10);
      return;
    }
    if (table !== 'Vendor') return;
    // Strictly increasing even when the clock stands still (fake timers), like a row version.
    const at = Math.max(this.#now(), this.#clock + 1);
    this.#clock = at;
    data['Last_Modified_Date_Time'] = new Date(at).toISOString();
    data['Last_Date_Modified'] = new Date(at).toISOString().slice(0, 10);
  }

  #relationError(table: NavTableName, field: string, value: unknown, related: NavTableName): NavEmulatorError {
    return new NavEmulatorError(
      400,
      'Application_DialogException',
      `The field ${caption(field)} of table ${TABLE_CAPTIONS[table]} contains a value (${String(value)}) that cannot be found in the related table (${TABLE_CAPTIONS[related]}).`,
    );
  }

  #testField(table: NavTableName, record: NavRecordData, field: string, expected: string, actual: string): NavEmulatorError {
    const key = KEYS[table].map((k) => `${caption(k)}=${String(record[k])}`).join(', ');
    return new NavEmulatorError(
      400,
      'Application_DialogException',
      `${caption(field)} must be equal to '${expected}'  in ${TABLE_CAPTIONS[table]}: ${key}. Current value is '${actual}'.`,
    );
  }

  /** Validates field values against the page's field specs: lengths, options, relations (NAV's OnValidate basics). */
  validateFields(page: NavPageSpec, values: NavRecordData): void {
    for (const [field, value] of Object.entries(values)) {
      const spec = page.fields[field] as NavFieldSpec;
      if ((spec.type === 'Code' || spec.type === 'Text') && typeof value === 'string' && spec.length !== undefined && value.length > spec.length) {
        throw new NavEmulatorError(
          400,
          'Application_StringExceededLength',
          `The length of the string is ${value.length}, but it must be less than or equal to ${spec.length} characters. Value: ${value}`,
        );
      }
      if (spec.type === 'Option' && !(spec.options ?? []).includes(String(value))) {
        throw new NavEmulatorError(
          400,
          'Application_DialogException',
          `${String(value)} is not a valid option for ${caption(field)}. Valid options are: ${(spec.options ?? []).map((o) => o.trim()).join(',')}`,
        );
      }
      if (spec.relation && value !== '' && value !== null) {
        const { table, field: relatedField, where = {} } = spec.relation;
        const exists = this.#tables[table].some((r) => r.data[relatedField] === value && Object.entries(where).every(([k, v]) => r.data[k] === v));
        if (!exists) throw this.#relationError(page.table, field, value, table);
      }
    }
  }

  /** Inserts a record through a page: assigns numbers, fills defaults, applies NAV's rules. */
  insert(page: NavPageSpec, values: NavRecordData): StoredRecord {
    const table = page.table;
    const data: NavRecordData = { ...this.#defaults(page), ...values, ...(page.fixed ?? {}) };
    this.#assignNumber(table, data);
    this.validateFields(page, values);
    this.#onInsert(table, data);
    if (this.find(table, data)) {
      const key = KEYS[table].map((k) => `${caption(k)}='${String(data[k])}'`).join(',');
      throw new NavEmulatorError(400, 'Internal_EntityWithSameKeyExists', `The record in table ${TABLE_CAPTIONS[table]} already exists. Identification fields and values: ${key}`);
    }
    this.#stampModified(table, data);
    const record = { data, version: this.nextRowVersion() };
    this.#tables[table].push(record);
    this.#sort(table);
    this.#recalculate(table, data);
    this.#emit(table, 'created', data);
    if (table === 'Vendor' && this.#vendorRelation) this.#createVendorContact(data);
    return record;
  }

  /** NAV's CustVendBank-Update on a new vendor: a company contact with the vendor's name and a business relation. */
  #createVendorContact(vendor: NavRecordData): void {
    const No = this.#nextContactNumber();
    const contact: NavRecordData = {
      No, Type: 'Company', Name: vendor['Name'] ?? '', Company_No: No, Company_Name: vendor['Name'] ?? '', E_Mail: vendor['E_Mail'] ?? '',
      Phone_No: vendor['Phone_No'] ?? '', Mobile_Phone_No: '', Last_Date_Modified: '0001-01-01',
    };
    this.#stampModified('Contact', contact);
    this.#tables.Contact.push({ data: contact, version: this.nextRowVersion() });
    this.#sort('Contact');
    this.#tables.ContactBusinessRelation.push({ data: { Contact_No: No, Business_Relation_Code: this.#vendorRelation, Link_to_Table: 'Vendor', No: vendor['No'] }, version: this.nextRowVersion() });
    this.#sort('ContactBusinessRelation');
  }

  /** Modifies a record through a page. */
  modify(page: NavPageSpec, record: StoredRecord, changes: NavRecordData): void {
    this.validateFields(page, changes);
    const next = { ...record.data, ...changes };
    this.#onModify(page.table, record.data, next);
    record.data = next;
    record.version = this.nextRowVersion();
    this.#stampModified(page.table, record.data);
    this.#recalculate(page.table, record.data);
    this.#emit(page.table, 'updated', record.data);
  }

  /** Deletes a record through a page. */
  remove(page: NavPageSpec, record: StoredRecord): void {
    if (page.table === 'PurchaseLine') this.#requireOpen(record.data);
    this.#tables[page.table] = this.#tables[page.table].filter((r) => r !== record);
    if (page.table === 'PurchaseHeader') {
      this.#tables.PurchaseLine = this.#tables.PurchaseLine.filter(
        (l) => !(l.data['Document_Type'] === record.data['Document_Type'] && l.data['Document_No'] === record.data['No']),
      );
    }
    this.#recalculate(page.table, record.data);
    this.#emit(page.table, 'deleted', record.data);
  }

  #defaults(page: NavPageSpec): NavRecordData {
    const out: NavRecordData = {};
    for (const [field, spec] of Object.entries(page.fields)) {
      out[field] =
        spec.type === 'Decimal' || spec.type === 'Integer' ? 0
        : spec.type === 'Boolean' ? false
        : spec.type === 'Option' ? (spec.options?.[0] ?? ' ')
        : spec.type === 'Date' ? '0001-01-01'
        : spec.type === 'DateTime' ? '0001-01-01T00:00:00Z'
        : '';
    }
    if (page.table === 'PurchaseHeader') out['Status'] = 'Open';
    return out;
  }

  #assignNumber(table: NavTableName, data: NavRecordData): void {
    if (table === 'Vendor' && !data['No']) {
      const max = Math.max(0, ...this.#tables.Vendor.map((r) => Number(/^V(\d+)$/.exec(String(r.data['No']))?.[1] ?? 0)));
      data['No'] = `V${String(max + 1).padStart(5, '0')}`;
    }
    if (table === 'Contact' && !data['No']) data['No'] = this.#nextContactNumber();
    if (table === 'PurchaseHeader' && !data['No']) {
      // No. series of the CRONUS demo data: orders 106001…, invoices 107001… (UNCONFIRMED per deployment).
      const base = data['Document_Type'] === 'Order' ? 106_000 : 107_000;
      const numbers = this.#tables.PurchaseHeader.filter((r) => r.data['Document_Type'] === data['Document_Type']).map((r) => Number(r.data['No']) || 0);
      data['No'] = String(Math.max(base, ...numbers) + 1);
    }
  }

  #nextContactNumber(): string {
    // The CRONUS contact number series CT000001… (UNCONFIRMED per deployment).
    const max = Math.max(0, ...this.#tables.Contact.map((r) => Number(/^CT(\d+)$/.exec(String(r.data['No']))?.[1] ?? 0)));
    return `CT${String(max + 1).padStart(6, '0')}`;
  }

  /** The company contact of a vendor: the contact of its business relation with Link to Table = Vendor. */
  companyContactOfVendor(vendorNo: unknown): string | undefined {
    return this.#tables.ContactBusinessRelation.find((r) => r.data['Link_to_Table'] === 'Vendor' && r.data['No'] === vendorNo)?.data['Contact_No'] as string | undefined;
  }

  #vendor(no: unknown): NavRecordData | undefined {
    return this.#tables.Vendor.find((r) => r.data['No'] === no)?.data;
  }

  #requireOpen(line: NavRecordData): void {
    const header = this.find('PurchaseHeader', { Document_Type: line['Document_Type'], No: line['Document_No'] });
    if (!header) {
      throw new NavEmulatorError(400, 'Application_DialogException', `The Purchase Header does not exist. Identification fields and values: Document Type='${String(line['Document_Type'])}',No.='${String(line['Document_No'])}'`);
    }
    if (header.data['Status'] !== 'Open') throw this.#testField('PurchaseHeader', header.data, 'Status', 'Open', String(header.data['Status']));
  }

  #checkAccount(table: NavTableName, data: NavRecordData, accountField: string): void {
    const account = this.#tables.GLAccount.find((r) => r.data['No'] === data[accountField])?.data;
    if (!account) throw this.#relationError(table, accountField, data[accountField], 'GLAccount');
    if (account['Blocked'] === true) throw this.#testField('GLAccount', account, 'Blocked', 'No', 'Yes');
    if (account['Account_Type'] !== 'Posting') throw this.#testField('GLAccount', account, 'Account_Type', 'Posting', String(account['Account_Type']));
    if (account['Direct_Posting'] !== true) throw this.#testField('GLAccount', account, 'Direct_Posting', 'Yes', 'No');
  }

  #onInsert(table: NavTableName, data: NavRecordData): void {
    if (table === 'PurchaseHeader') {
      const vendor = this.#vendor(data['Buy_from_Vendor_No']);
      if (!data['Buy_from_Vendor_No'] || !vendor) throw this.#relationError(table, 'Buy_from_Vendor_No', data['Buy_from_Vendor_No'], 'Vendor');
      if (vendor['Blocked'] === 'All') {
        throw new NavEmulatorError(400, 'Application_DialogException', `You cannot create this type of document when Vendor ${String(vendor['No'])} is blocked with type All`);
      }
      data['Buy_from_Vendor_Name'] = vendor['Name'];
      if (!data['Payment_Terms_Code']) data['Payment_Terms_Code'] = vendor['Payment_Terms_Code'];
      const today = new Date(this.#now()).toISOString().slice(0, 10);
      for (const field of ['Posting_Date', 'Document_Date', 'Order_Date']) if (field in data && data[field] === '0001-01-01') data[field] = today;
      if (data['Due_Date'] === '0001-01-01') {
        const terms = this.#tables.PaymentTerms.find((r) => r.data['Code'] === data['Payment_Terms_Code'])?.data;
        const days = Number(/^(\d+)D$/.exec(String(terms?.['Due_Date_Calculation'] ?? ''))?.[1] ?? 0);
        data['Due_Date'] = new Date(Date.parse(String(data['Document_Date'])) + days * DAY).toISOString().slice(0, 10);
      }
    }
    if (table === 'PurchaseLine') {
      this.#requireOpen(data);
      this.#checkLine(data);
    }
    if (table === 'GenJournalLine') {
      const batch = this.find('GenJournalBatch', { Journal_Template_Name: data['Journal_Template_Name'], Name: data['Journal_Batch_Name'] });
      if (!batch) {
        throw new NavEmulatorError(400, 'Application_DialogException', `The Gen. Journal Batch does not exist. Identification fields and values: Journal Template Name='${String(data['Journal_Template_Name'])}',Name='${String(data['Journal_Batch_Name'])}'`);
      }
      this.#checkJournalLine(data);
    }
    if (table === 'Vendor' && data['Pay_to_Vendor_No'] === data['No'] && data['No'] !== '') data['Pay_to_Vendor_No'] = '';
    if (table === 'Vendor' && data['Primary_Contact_No']) this.#checkPrimaryContact(data);
    if (table === 'Contact') this.#checkContact(data);
  }

  /** Vendor."Primary Contact No." OnValidate: the person must belong to the vendor's company contact; copies its name to Contact. */
  #checkPrimaryContact(vendor: NavRecordData): void {
    const contact = this.#tables.Contact.find((r) => r.data['No'] === vendor['Primary_Contact_No'])?.data;
    if (!contact) throw this.#relationError('Vendor', 'Primary_Contact_No', vendor['Primary_Contact_No'], 'Contact');
    const company = this.companyContactOfVendor(vendor['No']);
    if (!company || (contact['Company_No'] !== company && contact['No'] !== company)) {
      throw new NavEmulatorError(400, 'Application_DialogException', `Contact ${String(contact['No'])} ${String(contact['Name'])} is not related to vendor ${String(vendor['No'])} ${String(vendor['Name'])}.`);
    }
    vendor['Contact'] = contact['Name'];
  }

  /** Contact rules: a person's Company No. names a company contact (its name is copied); a company is its own company. */
  #checkContact(data: NavRecordData): void {
    if (data['Type'] === 'Company') {
      data['Company_No'] = data['No'];
      data['Company_Name'] = data['Name'];
      return;
    }
    const company = data['Company_No'] ? this.#tables.Contact.find((r) => r.data['No'] === data['Company_No'] && r.data['Type'] === 'Company')?.data : undefined;
    data['Company_Name'] = company?.['Name'] ?? '';
  }

  /** Purchase Line ShortcutDimCode3..8 (ValidateShortcutDimCode): the value must exist for the dimension set up as that shortcut. */
  #checkShortcutDimensions(data: NavRecordData): void {
    for (let n = 3; n <= 8; n++) {
      const value = data[`ShortcutDimCode${n}`];
      if (value === undefined || value === '' || value === null) continue;
      const dimension = this.#shortcuts[n - 1] ?? '';
      // UNCONFIRMED message: NAV refuses a value for a shortcut dimension General Ledger Setup does not define.
      if (!dimension) throw new NavEmulatorError(400, 'Application_DialogException', `Shortcut Dimension ${n} Code is not set up in General Ledger Setup.`);
      const found = this.#tables.DimensionValue.find((r) => r.data['Dimension_Code'] === dimension && r.data['Code'] === value)?.data;
      if (!found) throw new NavEmulatorError(400, 'Application_DialogException', `The dimension value ${String(value)} has not been set up for dimension ${dimension}.`);
      if (found['Blocked'] === true) throw new NavEmulatorError(400, 'Application_DialogException', `Dimension Value ${dimension} - ${String(value)} is blocked.`);
    }
  }

  #checkLine(data: NavRecordData): void {
    if (data['Type'] === 'G/L Account' && data['No']) this.#checkAccount('PurchaseLine', data, 'No');
    this.#checkShortcutDimensions(data);
    data['Line_Amount'] = Math.round(Number(data['Quantity']) * Number(data['Direct_Unit_Cost']) * 100) / 100;
  }

  #checkJournalLine(data: NavRecordData): void {
    if (data['Account_Type'] === 'G/L Account' && data['Account_No']) this.#checkAccount('GenJournalLine', data, 'Account_No');
    if (data['Account_Type'] === 'Vendor' && data['Account_No'] && !this.#vendor(data['Account_No'])) {
      throw this.#relationError('GenJournalLine', 'Account_No', data['Account_No'], 'Vendor');
    }
  }

  #onModify(table: NavTableName, before: NavRecordData, after: NavRecordData): void {
    if (table === 'PurchaseHeader' && before['Status'] !== 'Open') throw this.#testField('PurchaseHeader', before, 'Status', 'Open', String(before['Status']));
    if (table === 'PurchaseLine') {
      this.#requireOpen(after);
      this.#checkLine(after);
    }
    if (table === 'GenJournalLine') this.#checkJournalLine(after);
    if (table === 'Vendor' && after['Primary_Contact_No'] && after['Primary_Contact_No'] !== before['Primary_Contact_No']) this.#checkPrimaryContact(after);
    if (table === 'Vendor' && !after['Primary_Contact_No'] && before['Primary_Contact_No']) after['Contact'] = '';
    if (table === 'Contact') {
      if (after['Type'] !== before['Type']) throw new NavEmulatorError(400, 'Application_DialogException', `You cannot change the Type of contact ${String(before['No'])} through this page.`);
      this.#checkContact(after);
    }
  }

  #recalculate(table: NavTableName, data: NavRecordData): void {
    if (table !== 'PurchaseLine') return;
    const header = this.find('PurchaseHeader', { Document_Type: data['Document_Type'], No: data['Document_No'] });
    if (!header) return;
    const total = this.#tables.PurchaseLine.filter((l) => l.data['Document_Type'] === data['Document_Type'] && l.data['Document_No'] === data['Document_No']).reduce(
      (sum, l) => sum + Number(l.data['Line_Amount']),
      0,
    );
    header.data['Amount'] = Math.round(total * 100) / 100;
  }
}
