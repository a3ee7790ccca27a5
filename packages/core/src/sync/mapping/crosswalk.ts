import { InvalidInputError } from '../../errors/index.js';

/**
 * What a crosswalk maps a key to: one string (supplier number → vendor number) or a record of named strings
 * (GL code → `{ account: '8110' }`, coding segment value → `{ dimension: 'DEPARTMENT', value: 'ADM' }`).
 */
export type CrosswalkValue = string | Readonly<Record<string, string>>;

/**
 * What a lookup of a key the table lacks returns: `'error'` (default) throws `MissingMappingError` so the record
 * goes to review; `'identity'` returns the key itself, for systems that share ids; `{ default }` returns that value.
 */
export type CrosswalkFallback = 'error' | 'identity' | { readonly default: CrosswalkValue };

/**
 * The tables every Business Central ⇄ JAGGAER flow uses. Any other name works too; these are the conventional
 * file names (`gl-account.csv`, …) that `loadMappingSet` finds them under.
 */
export type StandardCrosswalkName =
  | 'supplier-vendor'
  | 'gl-account'
  | 'coding-dimension'
  | 'unit-of-measure'
  | 'currency'
  | 'tax-code'
  | 'payment-terms';

/** The {@link StandardCrosswalkName}s, in a stable order. */
export const STANDARD_CROSSWALK_NAMES: readonly StandardCrosswalkName[] = Object.freeze([
  'supplier-vendor',
  'gl-account',
  'coding-dimension',
  'unit-of-measure',
  'currency',
  'tax-code',
  'payment-terms',
]);

/** One row of a crosswalk as written: a key and what it maps to. */
export interface CrosswalkEntry {
  readonly key: string;
  readonly value: CrosswalkValue;
}

/** A crosswalk as written, before validation and key normalisation. Turn it into a {@link Crosswalk} with {@link defineCrosswalk}. */
export interface CrosswalkDefinition {
  /** Table name, e.g. `gl-account`; a {@link StandardCrosswalkName} or any other name. */
  readonly name: StandardCrosswalkName | (string & {});
  /** Version of the table's content (a date, a revision); recorded with the set's version in the audit. */
  readonly version: string;
  /** The rows. Keys that collide (after trimming and case folding) must map to the same value. */
  readonly entries: readonly CrosswalkEntry[];
  /** Whether `abc` and `ABC` are different keys. Default `true`. */
  readonly caseSensitive?: boolean;
  /** Whether leading and trailing white space of keys and values is dropped (on load and on lookup). Default `true`. */
  readonly trim?: boolean;
  /** What a lookup of a missing key does. Default `'error'`. */
  readonly fallback?: CrosswalkFallback;
  /** Where the table comes from (a file path), named in `MissingMappingError` messages. */
  readonly source?: string;
}

/** A validated crosswalk table: keys normalised, duplicates checked. Build one with {@link defineCrosswalk}. */
export interface Crosswalk {
  readonly name: string;
  readonly version: string;
  /** Rows keyed by the normalised key (trimmed when `trim`, upper-cased when not `caseSensitive`). */
  readonly entries: ReadonlyMap<string, CrosswalkValue>;
  readonly caseSensitive: boolean;
  readonly trim: boolean;
  readonly fallback: CrosswalkFallback;
  /** Where the table comes from, when known. */
  readonly source: string | undefined;
}

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Renders a key or value for a message, short and unambiguous. */
export function showText(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

/** The key as the table stores it: trimmed when `trim`, upper-cased when not `caseSensitive`. */
export function normaliseKey(table: Pick<Crosswalk, 'caseSensitive' | 'trim'>, key: string): string {
  const trimmed = table.trim ? key.trim() : key;
  return table.caseSensitive ? trimmed : trimmed.toUpperCase();
}

function sameValue(a: CrosswalkValue, b: CrosswalkValue): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}

function cleanValue(value: unknown, trim: boolean, where: string): CrosswalkValue {
  if (typeof value === 'string') {
    const text = trim ? value.trim() : value;
    if (text === '') throw new InvalidInputError(`${where}: the value is empty; fill it in or remove the row`, { field: where });
    return text;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidInputError(`${where}: the value must be a string or an object of strings`, { field: where });
  }
  const entries = Object.entries(value);
  if (entries.length === 0) throw new InvalidInputError(`${where}: the value has no fields; give at least one`, { field: where });
  const out: Record<string, string> = {};
  for (const [field, text] of entries) {
    if (typeof text !== 'string') throw new InvalidInputError(`${where}.${field} must be a string`, { field: `${where}.${field}` });
    const cleaned = trim ? text.trim() : text;
    if (cleaned === '') throw new InvalidInputError(`${where}.${field} is empty; fill it in or remove the row`, { field: `${where}.${field}` });
    out[field] = cleaned;
  }
  return Object.freeze(out);
}

function checkFallback(fallback: unknown, trim: boolean, table: string): CrosswalkFallback {
  if (fallback === undefined || fallback === 'error' || fallback === 'identity') return fallback ?? 'error';
  if (typeof fallback === 'object' && fallback !== null && 'default' in fallback) {
    return Object.freeze({ default: cleanValue((fallback as { default: unknown }).default, trim, `${table}.fallback.default`) });
  }
  throw new InvalidInputError(`Crosswalk ${showText(table)}: fallback must be "error", "identity" or { default: value }`, { field: 'fallback' });
}

/**
 * Validates a crosswalk and normalises its keys. Rows whose keys collide (after trimming and, when not
 * `caseSensitive`, case folding) must map to the same value: a conflicting duplicate is an error, never a silent
 * last-wins. Row labels in messages (`rows[3]`) can be replaced by `rowLabel` (a loader passes file lines).
 *
 * @throws InvalidInputError naming the table, the row and what to fix.
 */
export function defineCrosswalk(definition: CrosswalkDefinition, rowLabel: (index: number) => string = (i) => `entries[${i}]`): Crosswalk {
  if (typeof definition !== 'object' || definition === null) {
    throw new InvalidInputError('defineCrosswalk needs { name, version, entries }', { field: 'definition' });
  }
  const { name, version } = definition;
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    throw new InvalidInputError(`Crosswalk name ${showText(name)} must be letters, digits, ".", "_" or "-", e.g. "gl-account"`, { field: 'name' });
  }
  if (typeof version !== 'string' || version.trim() === '') {
    throw new InvalidInputError(`Crosswalk ${showText(name)} needs a non-empty version (a date or revision)`, { field: 'version' });
  }
  const caseSensitive = definition.caseSensitive ?? true;
  const trim = definition.trim ?? true;
  if (typeof caseSensitive !== 'boolean' || typeof trim !== 'boolean') {
    throw new InvalidInputError(`Crosswalk ${showText(name)}: caseSensitive and trim must be booleans`, { field: 'caseSensitive' });
  }
  if (!Array.isArray(definition.entries)) {
    throw new InvalidInputError(`Crosswalk ${showText(name)}: entries must be an array of { key, value }`, { field: 'entries' });
  }
  const shape = { caseSensitive, trim };
  const entries = new Map<string, CrosswalkValue>();
  const firstRow = new Map<string, number>();
  definition.entries.forEach((entry: CrosswalkEntry, index: number) => {
    const where = `${definition.source ?? `Crosswalk ${showText(name)}`} ${rowLabel(index)}`;
    if (typeof entry !== 'object' || entry === null || typeof entry.key !== 'string') {
      throw new InvalidInputError(`${where}: each row needs a string key`, { field: rowLabel(index) });
    }
    const key = normaliseKey(shape, entry.key);
    if (key === '') throw new InvalidInputError(`${where}: the key is empty; fill it in or remove the row`, { field: rowLabel(index) });
    const value = cleanValue(entry.value, trim, where);
    const previous = entries.get(key);
    if (previous !== undefined) {
      if (!sameValue(previous, value)) {
        throw new InvalidInputError(
          `${where}: key ${showText(entry.key)} is already mapped by ${rowLabel(firstRow.get(key) ?? 0)} to ${showText(previous)}, here to ${showText(value)}; keep one row${caseSensitive ? '' : ' (keys are compared ignoring case)'}`,
          { field: rowLabel(index) },
        );
      }
      return;
    }
    entries.set(key, value);
    firstRow.set(key, index);
  });
  return Object.freeze({
    name,
    version,
    entries,
    caseSensitive,
    trim,
    fallback: checkFallback(definition.fallback, trim, name),
    source: definition.source,
  });
}
