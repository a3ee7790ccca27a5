import { InvalidInputError } from '../errors/index.js';
import { encodePathSegment } from './encoding.js';
import { type EdmLiteral, formatLiteral, isEdmLiteral, type ODataDialectOptions, type ODataValue } from './literals.js';
import { assertIdentifier } from './names.js';

/** One key value: any literal except `null`, since keys are never null. */
export type KeyValue = Exclude<ODataValue, null>;

/**
 * An entity key: a single value for single-property keys (`('abc')`, `(42)`, `(guid)`), or an object of
 * property → value for composite keys such as F&O's `{ dataAreaId: 'usmf', VendorAccountNumber: 'V-1' }`.
 */
export type EntityKey = KeyValue | Readonly<Record<string, KeyValue>>;

function formatKeyValue(value: unknown, field: string, options: ODataDialectOptions | undefined): string {
  if (value === undefined || value === null || value === '') {
    throw new InvalidInputError(`${field} is ${value === '' ? 'empty' : String(value)}; every key part needs a value`, { field });
  }
  return formatLiteral(value as ODataValue, field, options);
}

function isSingleValue(key: EntityKey): key is KeyValue {
  return typeof key !== 'object' || key instanceof Date || isEdmLiteral(key);
}

/**
 * Formats an entity key as an OData key predicate, e.g. `('abc')` or `(dataAreaId='usmf',VendorAccountNumber='V-1')`,
 * using the literal rules of {@link formatLiteral}. The result is unencoded OData text; see
 * {@link appendKeyPredicate} for a URL-ready path. With `{ dialect: 'v3' }` values use OData v3 literal syntax,
 * e.g. NAV's `PurchaseHeader(Document_Type='Order',No='106001')` or `Items(guid'…')`.
 */
export function formatKeyPredicate(key: EntityKey, options?: ODataDialectOptions): string {
  if (key === null || key === undefined) {
    throw new InvalidInputError(`key is ${String(key)}; pass the entity's key value or an object of key properties`, { field: 'key' });
  }
  if (isSingleValue(key)) return `(${formatKeyValue(key, 'key', options)})`;
  const entries = Object.entries(key as Record<string, KeyValue | EdmLiteral>);
  if (entries.length === 0) {
    throw new InvalidInputError('key has no properties; pass at least one key property and its value', { field: 'key' });
  }
  const parts = entries.map(([name, value]) => {
    assertIdentifier(name, 'key property');
    return `${name}=${formatKeyValue(value, `key.${name}`, options)}`;
  });
  return `(${parts.join(',')})`;
}

/**
 * Appends a key predicate to an entity set path, percent-encoding the predicate so that characters such as
 * `?`, `#`, `%`, `/` and spaces in key values cannot escape the path segment.
 *
 * Example:
 *
 * {@includeCode ../../examples/transport.ts#appendKeyPredicate}
 */
export function appendKeyPredicate(entitySetPath: string, key: EntityKey, options?: ODataDialectOptions): string {
  if (typeof entitySetPath !== 'string' || entitySetPath.trim() === '' || /[?#]/.test(entitySetPath)) {
    throw new InvalidInputError('entitySetPath must be a non-empty path without "?" or "#", e.g. "VendorsV2"', {
      field: 'entitySetPath',
    });
  }
  return entitySetPath.replace(/\/+$/, '') + encodePathSegment(formatKeyPredicate(key, options), 'key');
}
