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
  /** Row version, bumped on every change. */
  version: number;
}

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
};
const caption = (field: string) => CAPTIONS[field] ?? field.replaceAll('_', ' ');

const DAY = 86_400_000;

/** In-memory tables of one company, with NAV's validation rules for the pages the emulator publishes. */
export class NavStore {
  readonly #tables: Record<NavTableName, StoredRecord[]>;
  readonly #now: () => number;
  readonly #listeners: ((table: NavTableName, changeType: 'created' | 'updated' | 'deleted', data: NavRecordData) => void)[] = [];
  #clock = 0;

  /** Registers a listener for every insert, modify and delete (the webhook emulation uses it). */
  onChange(listener: (table: NavTableName, changeType: 'created' | 'updated' | 'deleted', data: NavRecordData) => void): void {
    this.#listeners.push(listener);
  }

  #emit(table: NavTableName, changeType: 'created' | 'updated' | 'deleted', data: NavRecordData): void {
    for (const listener of this.#listeners) listener(table, changeType, data);
  }

  constructor(seed: NavSeed, now: () => number) {
    this.#now = now;
    this.#tables = Object.fromEntries(
      (Object.keys(KEYS) as NavTableName[]).map((table) => [table, (seed[table] ?? []).map((data) => ({ data: { ...data }, version: 1 }))]),
    ) as Record<NavTableName, StoredRecord[]>;
    for (const table of Object.keys(KEYS) as NavTableName[]) this.#sort(table);
  }

  /** Records of `table` in primary-key order. */
  rows(table: NavTableName): readonly StoredRecord[] {
    return this.#tables[table];
  }

  /** Plain copies of a table's records, for test assertions. */
  snapshot(table: NavTableName): NavRecordData[] {
    return this.#tables[table].map((r) => ({ ...r.data }));
  }

  /** Plain copies of every table, in the shape of {@link NavSeed} (what the constructor loads back). */
  snapshotAll(): NavSeed {
    return Object.fromEntries((Object.keys(KEYS) as NavTableName[]).map((table) => [table, structuredClone(this.snapshot(table))])) as NavSeed;
  }

  /** The key fields of a table. */
  keysOf(table: NavTableName): readonly string[] {
    return KEYS[table];
  }

  /** Finds one record by its full key. */
  find(table: NavTableName, key: NavRecordData): StoredRecord | undefined {
    return this.#tables[table].find((r) => KEYS[table].every((k) => r.data[k] === key[k]));
  }

  /** The ETag of a record: opaque, changes with every modification (NAV's form: W/"base64"). */
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
    const record = { data, version: 1 };
    this.#tables[table].push(record);
    this.#sort(table);
    this.#recalculate(table, data);
    this.#emit(table, 'created', data);
    return record;
  }

  /** Modifies a record through a page. */
  modify(page: NavPageSpec, record: StoredRecord, changes: NavRecordData): void {
    this.validateFields(page, changes);
    const next = { ...record.data, ...changes };
    this.#onModify(page.table, record.data, next);
    record.data = next;
    record.version += 1;
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
    if (table === 'PurchaseHeader' && !data['No']) {
      // No. series of the CRONUS demo data: orders 106001…, invoices 107001… (UNCONFIRMED per deployment).
      const base = data['Document_Type'] === 'Order' ? 106_000 : 107_000;
      const numbers = this.#tables.PurchaseHeader.filter((r) => r.data['Document_Type'] === data['Document_Type']).map((r) => Number(r.data['No']) || 0);
      data['No'] = String(Math.max(base, ...numbers) + 1);
    }
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
  }

  #checkLine(data: NavRecordData): void {
    if (data['Type'] === 'G/L Account' && data['No']) this.#checkAccount('PurchaseLine', data, 'No');
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
