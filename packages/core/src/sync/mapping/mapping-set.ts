import { createHash } from 'node:crypto';
import { type ConnectorErrorOptions, InvalidInputError, hasErrorKind } from '../../errors/index.js';
import { DataError } from '../errors.js';
import { type Crosswalk, type CrosswalkValue, type StandardCrosswalkName, normaliseKey, showText } from './crosswalk.js';

/**
 * A key has no row in a crosswalk table whose fallback is `'error'`. A {@link DataError} with reason
 * `missing-mapping`: the engine sends the record to review; add the row and replay.
 */
export class MissingMappingError extends DataError {
  /** Literal class name, kept under minification. */
  static override readonly kind: string = 'MissingMappingError';
  /** The table that lacks the key. */
  readonly table: string;
  /** The key as looked up. */
  readonly key: string;
  /** Where the table comes from (a file path), when known. */
  readonly source: string | undefined;
  constructor(table: string, key: string, options: ConnectorErrorOptions & { field?: string; source?: string } = {}) {
    const where = options.field ? ` (field ${options.field})` : '';
    const fix = options.source ? `add a row for ${showText(key)} to the file ${options.source}` : `add a row for ${showText(key)} to the "${table}" table`;
    const { source: _source, ...errorOptions } = options;
    super('missing-mapping', `No mapping for ${showText(key)} in crosswalk table "${table}"${where}: ${fix}, then replay the record`, errorOptions);
    this.table = table;
    this.key = key;
    this.source = options.source;
  }
}

/** True for {@link MissingMappingError}, from any installed copy of the package. */
export const isMissingMappingError = (error: unknown): error is MissingMappingError => hasErrorKind(error, 'MissingMappingError');

/** Options of a lookup. */
export interface LookupOptions {
  /** The document field the key came from (`lines[1].glCode`), named in the error and the review item. */
  readonly field?: string;
}

/** Options of {@link createMappingSet}. */
export interface MappingSetOptions {
  /** The tables; names must be unique. */
  readonly tables: readonly Crosswalk[];
}

/** A set of crosswalk tables a flow's mapper looks keys up in. Create it with {@link createMappingSet}. */
export interface MappingSet {
  /**
   * Stable hash (SHA-256, hex) of every table's name, version, rules and entries, independent of table and row
   * order. Give it to `SyncFlow.mappingVersion` so the audit records which mapping produced each document.
   */
  readonly version: string;
  /** Table names, sorted. */
  readonly names: readonly string[];
  /** One table; `InvalidInputError` when the set has no such table. */
  table(name: StandardCrosswalkName | (string & {})): Crosswalk;
  /** True when the set has the table. */
  has(name: string): boolean;
  /**
   * Looks `key` up in `table`, applying the table's trimming, case rule and fallback.
   * @throws MissingMappingError when the key has no row and the fallback is `'error'`.
   * @throws InvalidInputError when the set has no such table (a configuration error, not a data error).
   */
  lookup(table: StandardCrosswalkName | (string & {}), key: string, options?: LookupOptions): CrosswalkValue;
  /** {@link MappingSet.lookup} for tables of plain strings; `InvalidInputError` when the row holds a record. */
  lookupString(table: StandardCrosswalkName | (string & {}), key: string, options?: LookupOptions): string;
  /**
   * {@link MappingSet.lookup} for tables of records; returns the row's fields. `InvalidInputError` when the row holds
   * a plain string (including the `'identity'` fallback, which returns the key).
   */
  lookupRecord(table: StandardCrosswalkName | (string & {}), key: string, options?: LookupOptions): Readonly<Record<string, string>>;
  /** Like {@link MappingSet.lookup}, but undefined instead of the fallback and without throwing for a missing key. */
  find(table: StandardCrosswalkName | (string & {}), key: string): CrosswalkValue | undefined;
}

/** JSON with object keys sorted, so equal content hashes equally whatever the insertion order. */
function canonical(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

/** Hash of the tables' content, independent of table and row order. */
export function mappingVersion(tables: readonly Crosswalk[]): string {
  const hash = createHash('sha256');
  for (const table of [...tables].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const rows = [...table.entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    hash.update(canonical({ name: table.name, version: table.version, caseSensitive: table.caseSensitive, trim: table.trim, fallback: table.fallback, rows }));
    hash.update('\n');
  }
  return hash.digest('hex');
}

/**
 * Creates a {@link MappingSet} over crosswalk tables (from `defineCrosswalk`, `parseCrosswalkJson`,
 * `parseCrosswalkCsv` or `loadMappingSet`).
 *
 * @throws InvalidInputError when two tables share a name.
 */
export function createMappingSet(options: MappingSetOptions): MappingSet {
  const tables = new Map<string, Crosswalk>();
  if (typeof options !== 'object' || options === null || !Array.isArray(options.tables)) {
    throw new InvalidInputError('createMappingSet needs { tables: Crosswalk[] }', { field: 'tables' });
  }
  for (const table of options.tables) {
    if (typeof table !== 'object' || table === null || !(table.entries instanceof Map)) {
      throw new InvalidInputError('createMappingSet tables must be built with defineCrosswalk or a crosswalk loader', { field: 'tables' });
    }
    const other = tables.get(table.name);
    if (other) {
      throw new InvalidInputError(
        `Two crosswalk tables are named "${table.name}"${other.source || table.source ? ` (${other.source ?? 'in code'} and ${table.source ?? 'in code'})` : ''}; rename or merge one`,
        { field: 'tables' },
      );
    }
    tables.set(table.name, table);
  }
  const version = mappingVersion([...tables.values()]);
  const names = Object.freeze([...tables.keys()].sort());

  const tableOf = (name: string): Crosswalk => {
    const table = tables.get(name);
    if (!table) {
      throw new InvalidInputError(`No crosswalk table "${name}" is loaded (tables: ${names.join(', ') || 'none'}); add the file ${name}.csv or ${name}.json`, {
        field: 'table',
      });
    }
    return table;
  };
  const find = (name: string, key: string): CrosswalkValue | undefined => {
    const table = tableOf(name);
    if (typeof key !== 'string') throw new InvalidInputError(`Lookup key in "${name}" must be a string, got ${typeof key}`, { field: 'key' });
    return table.entries.get(normaliseKey(table, key));
  };
  const lookup = (name: string, key: string, lookupOptions: LookupOptions = {}): CrosswalkValue => {
    const found = find(name, key);
    if (found !== undefined) return found;
    const table = tableOf(name);
    if (table.fallback === 'identity') return table.trim ? key.trim() : key;
    if (table.fallback !== 'error') return table.fallback.default;
    throw new MissingMappingError(name, key, {
      ...(lookupOptions.field !== undefined ? { field: lookupOptions.field } : {}),
      ...(table.source !== undefined ? { source: table.source } : {}),
    });
  };
  const set: MappingSet = {
    version,
    names,
    table: tableOf,
    has: (name: string) => tables.has(name),
    lookup,
    find,
    lookupString(name, key, lookupOptions) {
      const value = lookup(name, key, lookupOptions);
      if (typeof value !== 'string') {
        throw new InvalidInputError(`Crosswalk "${name}" maps ${showText(key)} to a record (${Object.keys(value).join(', ')}); use lookupRecord`, { field: 'table' });
      }
      return value;
    },
    lookupRecord(name, key, lookupOptions) {
      const value = lookup(name, key, lookupOptions);
      if (typeof value === 'string') {
        throw new InvalidInputError(`Crosswalk "${name}" maps ${showText(key)} to a plain string; use lookupString`, { field: 'table' });
      }
      return value;
    },
  };
  return Object.freeze(set);
}
