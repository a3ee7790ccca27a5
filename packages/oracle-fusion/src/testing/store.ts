import { createHash } from 'node:crypto';
import { RESOURCE_DEFS, type ResourceDef } from './model.js';

/** One stored record: its attributes, child collections and version (for the ETag). */
export interface StoredRecord {
  /** Attributes as the API returns them. */
  attrs: Record<string, unknown>;
  /** Child collections by name. */
  children: Record<string, StoredRecord[]>;
  /** Increments on every change; the ETag is derived from it. */
  version: number;
}

/** Formats epoch ms as Oracle does: `2026-01-15T10:20:30.123+00:00`. */
export function oracleTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+00:00');
}

/** Seed data: top-level records per collection. */
export type OracleFusionData = Record<string, StoredRecord[]>;

/** The emulator's record store. */
export class OracleFusionStore {
  /** Records per top-level collection. */
  readonly collections: OracleFusionData;
  private sequence = 300_000_100_000_000;

  constructor(data: OracleFusionData) {
    this.collections = {};
    for (const name of Object.keys(RESOURCE_DEFS)) this.collections[name] = data[name] ?? [];
    // New ids continue after the highest id in the data (a snapshot holds ids this store issued).
    const visit = (records: readonly StoredRecord[]): void => {
      for (const r of records) {
        for (const [attr, value] of Object.entries(r.attrs)) if (attr.endsWith('Id') && typeof value === 'number' && Number.isSafeInteger(value)) this.sequence = Math.max(this.sequence, value);
        for (const children of Object.values(r.children)) visit(children);
      }
    };
    for (const records of Object.values(this.collections)) visit(records);
  }

  /** A deep, JSON-serialisable copy of every collection, in the shape the constructor (and the sandbox's `data`) loads. */
  snapshot(): OracleFusionData {
    return structuredClone(this.collections);
  }

  /** A new 15-digit id, like Fusion's surrogate keys. */
  nextId(): number {
    return ++this.sequence;
  }

  /** The URL key of a record: its key value, or an opaque hash of the path and key (the `…UniqID`). */
  urlKeyOf(def: ResourceDef, record: StoredRecord, parentKey: string): string {
    const key = String(record.attrs[def.keyAttr]);
    if (def.urlKey === 'plain') return key;
    return `00020000000EACED0005770800${createHash('sha256').update(`${parentKey}|${def.keyAttr}|${key}`).digest('hex').slice(0, 40).toUpperCase()}`;
  }

  /** The record's ETag (quoted, opaque). */
  etagOf(record: StoredRecord, urlKey: string): string {
    return `"${createHash('sha256').update(`${urlKey}#${record.version}`).digest('hex').slice(0, 32).toUpperCase()}"`;
  }

  /** Marks a record changed now. */
  touch(record: StoredRecord, now: number, user = 'INTEGRATION.USER'): void {
    record.version++;
    record.attrs.LastUpdateDate = oracleTimestamp(now);
    record.attrs.LastUpdatedBy = user;
  }

  /** A deep copy of a collection's records' attributes (for test assertions). */
  rows(collection: string): Record<string, unknown>[] {
    return (this.collections[collection] ?? []).map((r) => structuredClone(r.attrs));
  }
}

/** Wraps plain attributes (and children) as a stored record. */
export function record(attrs: Record<string, unknown>, children: Record<string, StoredRecord[]> = {}): StoredRecord {
  return { attrs, children, version: 1 };
}
