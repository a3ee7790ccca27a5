import { type EntitySetName, ENTITY_DEFS } from './model.js';

/** One stored record (API field names); `$version` drives the ETag. */
export type StoredRecord = Record<string, unknown> & { $version: number };

/** Builds the lookup key of a record from its key fields. */
export function keyOf(set: EntitySetName, record: Record<string, unknown>): string {
  return ENTITY_DEFS[set].keys.map((k) => String(record[k] ?? '').toLowerCase()).join('\u0000');
}

/**
 * In-memory tables of the emulator. Supports snapshots so a `$batch` changeset can be rolled back as a whole.
 */
export class FinanceOperationsStore {
  /** Tables by entity set. */
  tables: Record<EntitySetName, Map<string, StoredRecord>>;
  private sequence = 1;

  constructor(seed: Partial<Record<EntitySetName, readonly Record<string, unknown>[]>>) {
    this.tables = Object.fromEntries((Object.keys(ENTITY_DEFS) as EntitySetName[]).map((set) => [set, new Map()])) as FinanceOperationsStore['tables'];
    let maxVersion = 0;
    for (const [set, rows] of Object.entries(seed) as [EntitySetName, Record<string, unknown>[]][]) {
      for (const row of rows) {
        const record = this.insert(set, row);
        // Rows from a snapshot keep their version, so ETags survive a restart.
        if (typeof row.$version === 'number') record.$version = row.$version;
        maxVersion = Math.max(maxVersion, record.$version);
      }
    }
    this.sequence = Math.max(this.sequence, maxVersion + 1);
  }

  /** Next ETag version. */
  nextVersion(): number {
    return this.sequence++;
  }

  /** Inserts a record (overwriting one with the same key). */
  insert(set: EntitySetName, row: Record<string, unknown>): StoredRecord {
    const record = { ...row, $version: this.nextVersion() } as StoredRecord;
    this.tables[set].set(keyOf(set, record), record);
    return record;
  }

  /** Finds a record by key fields. */
  get(set: EntitySetName, key: Record<string, unknown>): StoredRecord | undefined {
    return this.tables[set].get(keyOf(set, key));
  }

  /** Removes a record. */
  delete(set: EntitySetName, key: Record<string, unknown>): boolean {
    return this.tables[set].delete(keyOf(set, key));
  }

  /** All records of a set. */
  all(set: EntitySetName): StoredRecord[] {
    return [...this.tables[set].values()];
  }

  /** A deep-enough copy of every table, for changeset rollback. */
  snapshot(): FinanceOperationsStore['tables'] {
    return Object.fromEntries(Object.entries(this.tables).map(([set, table]) => [set, new Map([...table].map(([k, v]) => [k, { ...v }]))])) as FinanceOperationsStore['tables'];
  }

  /** Restores a snapshot taken with `snapshot()`. */
  restore(snapshot: FinanceOperationsStore['tables']): void {
    this.tables = snapshot;
  }
}

/** The weak ETag F&O-style, from a record's version. */
export function etagOf(record: StoredRecord): string {
  return `W/"${Buffer.from(`1,${record.$version}`).toString('base64')}"`;
}

/** A record as the API shows it: with `@odata.etag`, without internals. */
export function serialise(record: StoredRecord): Record<string, unknown> {
  const out: Record<string, unknown> = { '@odata.etag': etagOf(record) };
  for (const [k, v] of Object.entries(record)) if (!k.startsWith('$')) out[k] = v;
  return out;
}
