import { ENTITY_DEFS, type EntityDef, type EntitySetName } from './model.js';
import type { BusinessCentralSeed, DimensionSetLineRecord, EntityRecord } from './seed.js';

/** Sets a {@link BusinessCentralSeed} holds as arrays (everything but `company`), in load order. */
const SEED_SETS = [
  'vendors',
  'accounts',
  'dimensions',
  'dimensionValues',
  'purchaseInvoices',
  'purchaseInvoiceLines',
  'purchaseOrders',
  'purchaseOrderLines',
  'currencies',
  'items',
  'taxGroups',
  'paymentTerms',
  'paymentMethods',
  'unitsOfMeasure',
  'defaultDimensions',
  'attachments',
  'subscriptions',
] as const satisfies readonly (EntitySetName & keyof BusinessCentralSeed)[];

/** A change the store recorded, used for webhook notifications. */
export interface ChangeEvent {
  set: EntitySetName;
  companyId: string;
  id: string;
  changeType: 'created' | 'updated' | 'deleted';
  /** Epoch ms of the change. */
  at: number;
  /** For document lines: the header's id. */
  documentId?: string;
}

const LINE_SETS: readonly LineSet[] = ['purchaseInvoiceLines', 'purchaseOrderLines'];
/** Entity sets that hold document lines. */
export type LineSet = 'purchaseInvoiceLines' | 'purchaseOrderLines';

/** Read access to one emulated table, for test assertions. */
export interface TableView {
  /** Number of records. */
  readonly size: number;
  /** The record with this key, as the API would serialise it (without `@odata.etag`). */
  get(id: string): Record<string, unknown> | undefined;
  /** All records in default order, serialised. */
  all(): Record<string, unknown>[];
}

/**
 * The emulator's data: one map per entity set, row versions for ETags, an index of lines by document, and an
 * undo journal so `Isolation: snapshot` batches can roll back. Records are replaced, never mutated, on update.
 */
export class BusinessCentralStore {
  /** Raw tables (records include emulator-internal `$` fields). */
  readonly tables: Record<EntitySetName, Map<string, EntityRecord>>;
  private rowVersion = 41_000_000;
  private readonly linesByDocument: Record<LineSet, Map<string, Set<string>>> = {
    purchaseInvoiceLines: new Map(),
    purchaseOrderLines: new Map(),
  };
  private readonly sortedCache = new Map<EntitySetName, EntityRecord[]>();
  private journal: (() => void)[] | undefined;
  private pendingEvents: ChangeEvent[] = [];
  private readonly listeners: ((events: ChangeEvent[]) => void)[] = [];
  /** Counters for numbering new documents. */
  readonly counters = { draftInvoice: 0, postedInvoice: 0, order: 0, vendor: 0 };

  /** Loads `seed` (one company) and derives header totals from the seeded lines. */
  constructor(
    seed: BusinessCentralSeed,
    private readonly now: () => number,
  ) {
    const companyId = seed.company.id as string;
    const tables = {} as Record<EntitySetName, Map<string, EntityRecord>>;
    for (const set of Object.keys(ENTITY_DEFS) as EntitySetName[]) tables[set] = new Map();
    this.tables = tables;
    let maxVersion = this.rowVersion - 1;
    const load = (set: EntitySetName, records: readonly EntityRecord[]) => {
      const table = tables[set];
      for (const record of records) {
        // A snapshot keeps row versions (so ETags survive a restart) and attachment bytes as base64.
        const stored: EntityRecord = { ...record, $v: typeof record.$v === 'number' ? record.$v : this.rowVersion++ };
        maxVersion = Math.max(maxVersion, stored.$v as number);
        if (typeof stored.$content === 'string') stored.$content = new Uint8Array(Buffer.from(stored.$content, 'base64'));
        if (set !== 'companies') stored.$company = companyId;
        table.set(stored[ENTITY_DEFS[set].key] as string, stored);
        if (set === 'purchaseInvoiceLines' || set === 'purchaseOrderLines') this.indexLine(set, stored);
      }
    };
    load('companies', [seed.company]);
    for (const set of SEED_SETS) load(set, seed[set] ?? []);
    this.rowVersion = maxVersion + 1;
    if (seed.counters) {
      Object.assign(this.counters, seed.counters);
    } else {
      for (const invoice of seed.purchaseInvoices) {
        if (String(invoice.number).startsWith('PI-')) this.counters.draftInvoice++;
        else this.counters.postedInvoice++;
      }
      this.counters.order = seed.purchaseOrders.length;
      this.counters.vendor = seed.vendors.length;
    }
    // Header totals are derived from lines, exactly like BC's FlowFields.
    for (const header of seed.purchaseInvoices) this.recomputeTotalsQuietly('purchaseInvoices', header.id as string);
    for (const header of seed.purchaseOrders) this.recomputeTotalsQuietly('purchaseOrders', header.id as string);
  }

  /**
   * The whole state as JSON-serialisable seed data ({@link BusinessCentralSeed}, with row versions, `$` internals,
   * attachment bytes as base64 and the number series), which `createBusinessCentralSandbox({ data })` loads back.
   */
  snapshot(): BusinessCentralSeed {
    const rows = (set: EntitySetName): EntityRecord[] =>
      [...this.tables[set].values()].map((record) => {
        const copy = structuredClone(record);
        if (copy.$content instanceof Uint8Array) copy.$content = Buffer.from(copy.$content).toString('base64');
        return copy;
      });
    const [company] = rows('companies');
    if (!company) throw new Error('emulator bug: no company to snapshot');
    const out = { company, counters: { ...this.counters } } as BusinessCentralSeed;
    for (const set of SEED_SETS) (out as unknown as Record<string, EntityRecord[]>)[set] = rows(set);
    return out;
  }

  /** Subscribes to committed change events. */
  onChange(listener: (events: ChangeEvent[]) => void): void {
    this.listeners.push(listener);
  }

  /** Next row version (drives ETags). */
  nextVersion(): number {
    return this.rowVersion++;
  }

  /** The stored record with this key, if any. */
  get(set: EntitySetName, id: string): EntityRecord | undefined {
    return this.tables[set].get(id);
  }

  /** All records of a set in default order (BC's primary-key order, id as tie-break); cached until a write. */
  sorted(set: EntitySetName): EntityRecord[] {
    let cached = this.sortedCache.get(set);
    if (!cached) {
      const def = ENTITY_DEFS[set];
      cached = [...this.tables[set].values()].sort((a, b) => compareByOrder(def, a, b));
      this.sortedCache.set(set, cached);
    }
    return cached;
  }

  /** Lines of one document, in sequence order. */
  linesOf(set: LineSet, documentId: string): EntityRecord[] {
    const ids = this.linesByDocument[set].get(documentId);
    if (!ids) return [];
    const table = this.tables[set];
    return [...ids].map((id) => table.get(id) as EntityRecord).sort((a, b) => (a.sequence as number) - (b.sequence as number));
  }

  /** Inserts a record (stamping row version and `lastModifiedDateTime`). */
  insert(set: EntitySetName, record: EntityRecord): EntityRecord {
    const def = ENTITY_DEFS[set];
    const stored: EntityRecord = { ...record, $v: this.rowVersion++ };
    if ('lastModifiedDateTime' in def.fields) stored.lastModifiedDateTime = new Date(this.now()).toISOString();
    const key = stored[def.key] as string;
    this.tables[set].set(key, stored);
    if (set === 'purchaseInvoiceLines' || set === 'purchaseOrderLines') this.indexLine(set, stored);
    this.sortedCache.delete(set);
    this.journal?.push(() => {
      this.tables[set].delete(key);
      if (set === 'purchaseInvoiceLines' || set === 'purchaseOrderLines') this.unindexLine(set, stored);
      this.sortedCache.delete(set);
    });
    this.emit(set, stored, 'created');
    return stored;
  }

  /** Replaces a record with `changes` applied (new row version, new `lastModifiedDateTime`). */
  update(set: EntitySetName, key: string, changes: Record<string, unknown>, options: { silent?: boolean } = {}): EntityRecord {
    const def = ENTITY_DEFS[set];
    const table = this.tables[set];
    const old = table.get(key);
    if (!old) throw new Error(`emulator bug: update of missing ${set}(${key})`);
    const next: EntityRecord = { ...old, ...changes, $v: this.rowVersion++ };
    if ('lastModifiedDateTime' in def.fields) next.lastModifiedDateTime = new Date(this.now()).toISOString();
    table.set(key, next);
    this.sortedCache.delete(set);
    this.journal?.push(() => {
      table.set(key, old);
      this.sortedCache.delete(set);
    });
    if (!options.silent) this.emit(set, next, 'updated');
    return next;
  }

  /** Deletes a record (and, for document headers, their lines). */
  remove(set: EntitySetName, key: string): void {
    const table = this.tables[set];
    const old = table.get(key);
    if (!old) return;
    if (set === 'purchaseInvoices') for (const line of this.linesOf('purchaseInvoiceLines', key)) this.remove('purchaseInvoiceLines', line.id as string);
    if (set === 'purchaseOrders') for (const line of this.linesOf('purchaseOrderLines', key)) this.remove('purchaseOrderLines', line.id as string);
    table.delete(key);
    if (set === 'purchaseInvoiceLines' || set === 'purchaseOrderLines') this.unindexLine(set, old);
    this.sortedCache.delete(set);
    this.journal?.push(() => {
      table.set(key, old);
      if (set === 'purchaseInvoiceLines' || set === 'purchaseOrderLines') this.indexLine(set, old);
      this.sortedCache.delete(set);
    });
    this.emit(set, old, 'deleted');
  }

  /** Recomputes a document header's totals from its lines (a line change modifies the header too). */
  recomputeTotals(set: 'purchaseInvoices' | 'purchaseOrders', id: string): void {
    const changes = this.totalsOf(set, id);
    if (changes) this.update(set, id, changes);
  }

  private recomputeTotalsQuietly(set: 'purchaseInvoices' | 'purchaseOrders', id: string): void {
    const changes = this.totalsOf(set, id);
    const old = this.tables[set].get(id);
    if (changes && old) this.tables[set].set(id, { ...old, ...changes });
  }

  private totalsOf(set: 'purchaseInvoices' | 'purchaseOrders', id: string): Record<string, unknown> | undefined {
    const header = this.tables[set].get(id);
    if (!header) return undefined;
    const lines = this.linesOf(set === 'purchaseInvoices' ? 'purchaseInvoiceLines' : 'purchaseOrderLines', id);
    let net = 0;
    let tax = 0;
    for (const line of lines) {
      net += (line.amountExcludingTax as number | undefined) ?? 0;
      tax += (line.totalTaxAmount as number | undefined) ?? 0;
    }
    const discount = (header.discountAmount as number | undefined) ?? 0;
    const excl = round2(net - discount);
    return { totalAmountExcludingTax: excl, totalTaxAmount: round2(tax), totalAmountIncludingTax: round2(excl + tax) };
  }

  /**
   * Runs `work` atomically: if it throws, every change it made is undone and its change events dropped.
   * Nests (a deep insert inside an `Isolation: snapshot` batch rolls back only itself unless the batch fails).
   */
  atomically<T>(work: () => T): T {
    const outer = this.journal !== undefined;
    if (!outer) this.journal = [];
    const journal = this.journal as (() => void)[];
    const mark = journal.length;
    const eventMark = this.pendingEvents.length;
    try {
      const result = work();
      if (!outer) {
        this.journal = undefined;
        this.flushEvents();
      }
      return result;
    } catch (error) {
      this.undoTo(journal, mark);
      this.pendingEvents.length = eventMark;
      if (!outer) this.journal = undefined;
      throw error;
    }
  }

  /** Starts recording undo steps (for `Isolation: snapshot` batches). Events are held until commit. */
  begin(): void {
    this.journal = [];
  }

  /** Keeps the changes made since {@link begin} and releases their events. */
  commit(): void {
    this.journal = undefined;
    this.flushEvents();
  }

  /** Undoes every change made since {@link begin} and drops their events. */
  rollback(): void {
    const steps = this.journal ?? [];
    this.journal = undefined;
    this.undoTo(steps, 0);
    this.pendingEvents = [];
  }

  private undoTo(steps: (() => void)[], mark: number): void {
    while (steps.length > mark) (steps.pop() as () => void)();
  }

  private emit(set: EntitySetName, record: EntityRecord, changeType: ChangeEvent['changeType']): void {
    const companyId = (record.$company as string | undefined) ?? '';
    const event: ChangeEvent = { set, companyId, id: record[ENTITY_DEFS[set].key] as string, changeType, at: this.now() };
    if (typeof record.documentId === 'string') event.documentId = record.documentId;
    this.pendingEvents.push(event);
    if (!this.journal) this.flushEvents();
  }

  private flushEvents(): void {
    if (this.pendingEvents.length === 0) return;
    const events = this.pendingEvents;
    this.pendingEvents = [];
    for (const listener of this.listeners) listener(events);
  }

  private indexLine(set: LineSet, line: EntityRecord): void {
    const documentId = line.documentId as string;
    let ids = this.linesByDocument[set].get(documentId);
    if (!ids) this.linesByDocument[set].set(documentId, (ids = new Set()));
    ids.add(line.id as string);
  }

  private unindexLine(set: LineSet, line: EntityRecord): void {
    this.linesByDocument[set].get(line.documentId as string)?.delete(line.id as string);
  }
}

/** Dimension set lines stored on a record. */
export function dimsOf(record: EntityRecord): DimensionSetLineRecord[] {
  return (record.$dims as DimensionSetLineRecord[] | undefined) ?? [];
}

/** Weak ETag in BC's shape: `W/"` + base64 of `'<len>;<rowversion>;00;'` + `"`. */
export function etagOf(record: EntityRecord): string {
  const version = String(record.$v);
  return `W/"${Buffer.from(`'${version.length};${version};00;'`).toString('base64')}"`;
}

/** Compares two records by a definition's default order, id last. */
export function compareByOrder(def: EntityDef, a: EntityRecord, b: EntityRecord): number {
  for (const field of def.order) {
    const c = compareValues(a[field], b[field]);
    if (c !== 0) return c;
  }
  return compareValues(a[def.key], b[def.key]);
}

/** Total order over emulator values: undefined/null first, numbers numerically, strings by code unit. */
export function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return -1;
  if (b === undefined || b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Rounds to cents like BC's amount rounding precision (0.01). */
export function round2(value: number): number {
  return Math.round((value + Number.EPSILON) * 100) / 100;
}
