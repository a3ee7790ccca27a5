import { InvalidInputError } from '../errors/index.js';
import { IDENTIFIER } from './names.js';

const EDM_LITERAL_BRAND = Symbol.for('@ml-connector/core/EdmLiteral');

/**
 * A value already formatted as an OData literal of a stated EDM type. Build one with {@link edm} when the
 * JavaScript type alone cannot say which EDM type the server expects (a GUID, a date, an enum member, …).
 */
export class EdmLiteral {
  /** The EDM type this literal was formatted as, e.g. `Edm.Guid`. */
  readonly edmType: string;
  /** The literal exactly as it appears in a URL before percent-encoding, e.g. `'O''Brien'`. */
  readonly text: string;

  /** Prefer the {@link edm} factories, which validate the value; this constructor trusts `text`. */
  constructor(edmType: string, text: string) {
    this.edmType = edmType;
    this.text = text;
    Object.defineProperty(this, EDM_LITERAL_BRAND, { value: true, enumerable: false });
    Object.freeze(this);
  }

  /** The literal text, so literals can be interpolated into raw fragments. */
  toString(): string {
    return this.text;
  }
}

/** True for an {@link EdmLiteral}, also one created by another installed copy of this package. */
export function isEdmLiteral(value: unknown): value is EdmLiteral {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[EDM_LITERAL_BRAND] === true;
}

/**
 * Values the builders accept wherever an OData literal is expected. Plain JavaScript values are mapped to
 * an EDM type by {@link formatLiteral}; use {@link edm} for any other type.
 */
export type ODataValue = string | number | bigint | boolean | null | Date | EdmLiteral;

/**
 * Which OData protocol version's literal syntax to write. `v4` (default) is Business Central, F&O and NAV's
 * `/ODataV4/` endpoint; `v3` is the `/OData/` endpoint of older Dynamics NAV versions, where typed literals
 * carry a prefix or suffix: `guid'…'`, `datetime'…'`, `datetimeoffset'…'`, `123.45M`, `123L`.
 */
export type ODataDialect = 'v4' | 'v3';

/** Options of {@link formatLiteral} and the key and filter builders. */
export interface ODataDialectOptions {
  /** Literal syntax to write. Default `v4`. */
  dialect?: ODataDialect;
}

/** Validates a dialect option, so a typo cannot silently fall back to v4 syntax. */
export function resolveDialect(options: ODataDialectOptions | undefined): ODataDialect {
  const dialect = options?.dialect ?? 'v4';
  if (dialect !== 'v4' && dialect !== 'v3') {
    throw new InvalidInputError(`dialect must be "v4" or "v3", got ${JSON.stringify(dialect)}`, { field: 'dialect' });
  }
  return dialect;
}

const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_PATTERN = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,12})?)?$/;
const DATE_TIME_OFFSET_PATTERN =
  /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2}(?:\.\d{1,12})?)?)(?:Z|[+-](\d{2}):(\d{2}))$/;
const DATE_TIME_PATTERN = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?)$/;
const DECIMAL_PATTERN = /^([+-]?)(\d*)(?:\.(\d*))?$/;
const INTEGER_PATTERN = /^[+-]?\d+$/;
const QUALIFIED_NAME_PATTERN = new RegExp(`^${IDENTIFIER}(?:\\.${IDENTIFIER})+$`, 'u');
const ENUM_MEMBER_PATTERN = new RegExp(`^(?:${IDENTIFIER}|-?\\d+)(?:,(?:${IDENTIFIER}|-?\\d+))*$`, 'u');
// With the `u` flag a surrogate class only matches unpaired halves, which UTF-8 (and so a URL) cannot carry.
const LONE_SURROGATE_PATTERN = /[\uD800-\uDFFF]/u;

const INT32_MIN = -(2n ** 31n);
const INT32_MAX = 2n ** 31n - 1n;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** A short, safe rendering of a rejected value for error messages. */
function show(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (value instanceof Date) return `Date(${Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString()})`;
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  return Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function invalid(field: string, message: string): InvalidInputError {
  return new InvalidInputError(message, { field });
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function isCalendarDate(text: string): boolean {
  const match = DATE_PATTERN.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function isTimeOfDay(text: string): boolean {
  const match = TIME_PATTERN.exec(text);
  if (!match) return false;
  return Number(match[1]) < 24 && Number(match[2]) < 60 && (match[3] === undefined || Number(match[3]) < 60);
}

/** Rewrites JavaScript's exponent notation (`1e-7`, `1.5e+21`) as plain digits, which every OData server parses. */
function withoutExponent(numeral: string): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]?\d+)$/i.exec(numeral);
  if (!match) return numeral;
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match;
  const digits = whole + fraction;
  const point = whole.length + Number(exponent);
  let plain: string;
  if (point <= 0) plain = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) plain = digits + '0'.repeat(point - digits.length);
  else plain = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return sign + plain.replace(/^0+(?=\d)/, '');
}

/** Rejects unpaired surrogates, which cannot be encoded as UTF-8 and would make `encodeURIComponent` throw. */
export function assertWellFormedText(value: string, field: string): void {
  if (LONE_SURROGATE_PATTERN.test(value)) {
    throw invalid(field, `${field} contains an unpaired UTF-16 surrogate, which cannot be sent in a URL; remove or replace it`);
  }
}

function toBigInt(value: unknown, edmType: string, field: string): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      throw invalid(
        field,
        `${edmType} value ${show(value)} is not a safe integer; pass a whole number between ±(2^53−1), or a bigint or digit string for larger values`,
      );
    }
    return BigInt(value);
  }
  if (typeof value === 'string' && INTEGER_PATTERN.test(value)) return BigInt(value);
  throw invalid(field, `${edmType} value ${show(value)} is not an integer; pass a bigint, a safe integer number or a digit string like "-42"`);
}

function integerLiteral(value: unknown, edmType: string, min: bigint, max: bigint): EdmLiteral {
  const integer = toBigInt(value, edmType, edmType);
  if (integer < min || integer > max) {
    throw invalid(edmType, `${edmType} value ${show(value)} is out of range; it must lie between ${min} and ${max}`);
  }
  return new EdmLiteral(edmType, integer.toString());
}

function stringLiteral(value: string, field = 'Edm.String'): EdmLiteral {
  if (typeof value !== 'string') throw invalid(field, `${field} must be a string, got ${show(value)}`);
  assertWellFormedText(value, field);
  return new EdmLiteral('Edm.String', `'${value.replaceAll("'", "''")}'`);
}

function decimalLiteral(value: number | string | bigint): EdmLiteral {
  if (typeof value === 'bigint') return new EdmLiteral('Edm.Decimal', value.toString());
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw invalid('Edm.Decimal', `Edm.Decimal value ${show(value)} is not a finite number; pass a finite number or a decimal string`);
    }
    return new EdmLiteral('Edm.Decimal', withoutExponent(String(value)));
  }
  const match = typeof value === 'string' ? DECIMAL_PATTERN.exec(value) : null;
  if (!match || (!match[2] && !match[3])) {
    throw invalid(
      'Edm.Decimal',
      `Edm.Decimal value ${show(value)} is not a decimal number; write it with digits, an optional sign and an optional "." (e.g. "-12.50"), without exponent or thousands separators`,
    );
  }
  const [, sign = '', whole = '', fraction = ''] = match;
  const text = `${sign === '-' ? '-' : ''}${whole || '0'}${fraction ? `.${fraction}` : ''}`;
  return new EdmLiteral('Edm.Decimal', text);
}

function doubleLiteral(value: number): EdmLiteral {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalid('Edm.Double', `Edm.Double value ${show(value)} is not a finite number; pass a finite number`);
  }
  return new EdmLiteral('Edm.Double', String(value));
}

function guidLiteral(value: string): EdmLiteral {
  if (typeof value !== 'string' || !GUID_PATTERN.test(value)) {
    throw invalid(
      'Edm.Guid',
      `Edm.Guid value ${show(value)} is not a GUID; pass 32 hex digits grouped 8-4-4-4-12 without braces, e.g. "6f9619ff-8b86-d011-b42d-00c04fc964ff"`,
    );
  }
  return new EdmLiteral('Edm.Guid', value);
}

function dateTimeOffsetLiteral(value: Date | string): EdmLiteral {
  if (value instanceof Date) {
    const time = value.getTime();
    const year = value.getUTCFullYear();
    if (Number.isNaN(time) || year < 0 || year > 9999) {
      throw invalid('Edm.DateTimeOffset', `Edm.DateTimeOffset value ${show(value)} is not a valid date between years 0 and 9999`);
    }
    return new EdmLiteral('Edm.DateTimeOffset', value.toISOString());
  }
  const match = typeof value === 'string' ? DATE_TIME_OFFSET_PATTERN.exec(value) : null;
  const valid =
    match !== null &&
    isCalendarDate(match[1] ?? '') &&
    isTimeOfDay(match[2] ?? '') &&
    (match[3] === undefined || (Number(match[3]) <= 14 && Number(match[4]) < 60));
  if (!valid) {
    throw invalid(
      'Edm.DateTimeOffset',
      `Edm.DateTimeOffset value ${show(value)} is not an ISO 8601 timestamp with offset; pass a Date or a string like "2024-01-31T08:30:00Z" or "2024-01-31T08:30:00+01:00"`,
    );
  }
  return new EdmLiteral('Edm.DateTimeOffset', value);
}

function dateLiteral(value: Date | string): EdmLiteral {
  if (value instanceof Date) {
    const year = value.getUTCFullYear();
    if (Number.isNaN(value.getTime()) || year < 0 || year > 9999) {
      throw invalid('Edm.Date', `Edm.Date value ${show(value)} is not a valid date between years 0 and 9999`);
    }
    return new EdmLiteral('Edm.Date', value.toISOString().slice(0, 10));
  }
  if (typeof value !== 'string' || !isCalendarDate(value)) {
    throw invalid('Edm.Date', `Edm.Date value ${show(value)} is not a calendar date; pass a Date or a string like "2024-01-31" (YYYY-MM-DD)`);
  }
  return new EdmLiteral('Edm.Date', value);
}

function timeOfDayLiteral(value: string): EdmLiteral {
  if (typeof value !== 'string' || !isTimeOfDay(value)) {
    throw invalid('Edm.TimeOfDay', `Edm.TimeOfDay value ${show(value)} is not a time of day; pass a string like "13:45" or "13:45:30.5"`);
  }
  return new EdmLiteral('Edm.TimeOfDay', value);
}

function booleanLiteral(value: boolean): EdmLiteral {
  if (typeof value !== 'boolean') throw invalid('Edm.Boolean', `Edm.Boolean value must be true or false, got ${show(value)}`);
  return new EdmLiteral('Edm.Boolean', String(value));
}

function enumLiteral(enumType: string, member: string): EdmLiteral {
  if (typeof enumType !== 'string' || !QUALIFIED_NAME_PATTERN.test(enumType)) {
    throw invalid(
      'enumType',
      `Enum type ${show(enumType)} is not a namespace-qualified name; pass e.g. "Microsoft.Dynamics.DataEntities.NoYes"`,
    );
  }
  if (typeof member !== 'string' || !ENUM_MEMBER_PATTERN.test(member)) {
    throw invalid(
      'enumMember',
      `Enum member ${show(member)} of ${enumType} is not a member name; pass a name like "Yes", a number, or comma-separated flags`,
    );
  }
  return new EdmLiteral(enumType, `${enumType}'${member}'`);
}

function binaryLiteral(value: Uint8Array): EdmLiteral {
  if (!(value instanceof Uint8Array)) throw invalid('Edm.Binary', `Edm.Binary value must be a Uint8Array, got ${show(value)}`);
  const base64url = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64url');
  return new EdmLiteral('Edm.Binary', `binary'${base64url}'`);
}

/** `2024-01-31T08:30:00.000Z` → `2024-01-31T08:30:00` (UTC wall clock, no offset, no zero milliseconds). */
function utcWallClock(value: Date): string {
  return value.toISOString().slice(0, -1).replace(/\.000$/, '');
}

function dateTimeLiteral(value: Date | string): EdmLiteral {
  if (value instanceof Date) {
    const year = value.getUTCFullYear();
    if (Number.isNaN(value.getTime()) || year < 0 || year > 9999) {
      throw invalid('Edm.DateTime', `Edm.DateTime value ${show(value)} is not a valid date between years 0 and 9999`);
    }
    return new EdmLiteral('Edm.DateTime', `datetime'${utcWallClock(value)}'`);
  }
  const match = typeof value === 'string' ? DATE_TIME_PATTERN.exec(value) : null;
  if (!match || !isCalendarDate(match[1] ?? '') || !isTimeOfDay(match[2] ?? '')) {
    throw invalid(
      'Edm.DateTime',
      `Edm.DateTime value ${show(value)} is not a date and time without offset; pass a Date (sent as UTC) or a string like "2024-01-31T08:30:00"`,
    );
  }
  return new EdmLiteral('Edm.DateTime', `datetime'${value}'`);
}

/** `13:45:30.5` → `PT13H45M30.5S`, the OData v3 `Edm.Time` (duration) form of a time of day. */
function timeOfDayAsDuration(text: string): string {
  const [hours = '0', minutes = '0', seconds] = text.split(':');
  return `PT${Number(hours)}H${Number(minutes)}M${seconds === undefined ? '' : `${seconds.replace(/^0(?=\d)/, '')}S`}`;
}

/**
 * Rewrites a literal in OData v3 syntax. Types that v3 lacks are mapped to their v3 counterparts
 * (`Edm.Date` → `datetime'…T00:00'`, `Edm.TimeOfDay` → `time'PT…'`); enum members have no v3 form.
 */
function toV3(literal: EdmLiteral, field: string): string {
  const { edmType, text } = literal;
  switch (edmType) {
    case 'Edm.Guid':
      return `guid'${text}'`;
    case 'Edm.DateTimeOffset':
      return `datetimeoffset'${text}'`;
    case 'Edm.Date':
      return `datetime'${text}T00:00'`;
    case 'Edm.TimeOfDay':
      return `time'${timeOfDayAsDuration(text)}'`;
    case 'Edm.Decimal':
      return `${text}M`;
    case 'Edm.Int64':
      return `${text}L`;
    case 'Edm.Double':
      return `${text}d`;
    case 'Edm.Binary':
      return `X'${Buffer.from(text.slice("binary'".length, -1), 'base64url').toString('hex').toUpperCase()}'`;
    default:
      if (QUALIFIED_NAME_PATTERN.test(edmType) && !edmType.startsWith('Edm.')) {
        throw invalid(
          field,
          `${field}: OData v3 has no enum types, so ${edmType} members cannot be sent; compare the member name as a string instead, e.g. edm.string('${text.slice(edmType.length + 1, -1)}')`,
        );
      }
      return text;
  }
}

/** A number literal in v3 syntax: Int32 range unsuffixed, larger integers `L`, fractions `M` (Edm.Decimal). */
function v3Number(value: number, field: string): string {
  if (Number.isInteger(value)) {
    return BigInt(value) >= INT32_MIN && BigInt(value) <= INT32_MAX ? String(value) : `${value}L`;
  }
  return toV3(decimalLiteral(value), field);
}

/**
 * Factories for typed OData literals. Each validates its input and throws `InvalidInputError` saying what to
 * fix, so a bad value fails before the request is sent instead of as a vague server-side 400.
 *
 * Example:
 *
 * {@includeCode ../../examples/transport.ts#edm}
 */
export const edm = Object.freeze({
  /** `Edm.String`: single quotes are doubled; percent-encoding happens later, when the query string is built. */
  string: (value: string): EdmLiteral => stringLiteral(value),
  /** `Edm.Guid`: validated 8-4-4-4-12 hex, unquoted. */
  guid: (value: string): EdmLiteral => guidLiteral(value),
  /** `Edm.DateTimeOffset`: a Date (sent in UTC) or an ISO 8601 string with `Z` or a `±hh:mm` offset. */
  dateTimeOffset: (value: Date | string): EdmLiteral => dateTimeOffsetLiteral(value),
  /**
   * `Edm.DateTime` (OData v3 only, e.g. NAV's `/OData/` endpoint types Date and DateTime fields so): a Date (sent
   * as its UTC wall clock) or `YYYY-MM-DDThh:mm[:ss[.fffffff]]` without offset. Refused in a v4 query.
   */
  dateTime: (value: Date | string): EdmLiteral => dateTimeLiteral(value),
  /** `Edm.Date`: `YYYY-MM-DD`; a Date contributes its UTC calendar day. */
  date: (value: Date | string): EdmLiteral => dateLiteral(value),
  /** `Edm.TimeOfDay`: `hh:mm[:ss[.fffffff]]`. */
  timeOfDay: (value: string): EdmLiteral => timeOfDayLiteral(value),
  /** `Edm.Decimal`: from a number, bigint or decimal string; always plain digits, never exponent notation. */
  decimal: (value: number | string | bigint): EdmLiteral => decimalLiteral(value),
  /** `Edm.Double`: a finite number (exponent notation allowed, as the OData grammar permits for doubles). */
  double: (value: number): EdmLiteral => doubleLiteral(value),
  /** `Edm.Int32`: a safe integer, bigint or digit string within the 32-bit range. */
  int32: (value: number | bigint | string): EdmLiteral => integerLiteral(value, 'Edm.Int32', INT32_MIN, INT32_MAX),
  /** `Edm.Int64`: a safe integer, bigint or digit string within the 64-bit range; use bigint or string beyond 2^53. */
  int64: (value: number | bigint | string): EdmLiteral => integerLiteral(value, 'Edm.Int64', INT64_MIN, INT64_MAX),
  /** `Edm.Boolean`. */
  boolean: (value: boolean): EdmLiteral => booleanLiteral(value),
  /** The `null` literal. */
  null: (): EdmLiteral => new EdmLiteral('null', 'null'),
  /** An enum member, `Namespace.Type'Member'`, e.g. F&O's `Microsoft.Dynamics.DataEntities.NoYes'Yes'`. */
  enum: (enumType: string, member: string): EdmLiteral => enumLiteral(enumType, member),
  /** `Edm.Binary`: `binary'…'` with base64url content. */
  binary: (value: Uint8Array): EdmLiteral => binaryLiteral(value),
});

/**
 * Formats any accepted value as an OData literal. Plain values map to a type by their JavaScript type:
 * string → `Edm.String`, integer number → `Edm.Int64`-style integer, other finite number → `Edm.Decimal`,
 * bigint → `Edm.Int64`, boolean, `null`, Date → `Edm.DateTimeOffset`. {@link EdmLiteral}s pass through.
 *
 * With `{ dialect: 'v3' }` the same values are written in OData v3 syntax: `guid'…'`, `datetimeoffset'…'`,
 * decimals as `12.5M`, integers beyond the Int32 range and bigints as `123L`, and a Date as `datetime'…'` (its
 * UTC wall clock), because v3 services such as NAV's `/OData/` endpoint type date fields as `Edm.DateTime`.
 *
 * @param field - Names the argument in error messages, e.g. `filter.value`.
 */
export function formatLiteral(value: ODataValue, field = 'value', options?: ODataDialectOptions): string {
  const dialect = resolveDialect(options);
  if (isEdmLiteral(value)) {
    if (dialect === 'v3') return toV3(value, field);
    if (value.edmType === 'Edm.DateTime') {
      throw invalid(field, `${field}: Edm.DateTime does not exist in OData v4; use edm.dateTimeOffset() or edm.date() for a v4 service`);
    }
    return value.text;
  }
  if (value === null) return 'null';
  if (value instanceof Date) return dialect === 'v3' ? dateTimeLiteral(value).text : dateTimeOffsetLiteral(value).text;
  switch (typeof value) {
    case 'string':
      return stringLiteral(value, field).text;
    case 'bigint': {
      const text = integerLiteral(value, 'Edm.Int64', INT64_MIN, INT64_MAX).text;
      return dialect === 'v3' ? `${text}L` : text;
    }
    case 'boolean':
      return String(value);
    case 'number':
      if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
        throw invalid(
          field,
          `${field} ${show(value)} is an integer beyond 2^53 and has already lost precision; pass it as a bigint or edm.int64("…")`,
        );
      }
      if (!Number.isFinite(value)) {
        throw invalid(field, `${field} ${show(value)} is not a finite number; OData literals cannot express NaN or Infinity`);
      }
      if (dialect === 'v3') return v3Number(value, field);
      return Number.isInteger(value) ? String(value) : decimalLiteral(value).text;
    default:
      throw invalid(
        field,
        `${field} ${show(value)} cannot be sent as an OData literal; pass a string, number, bigint, boolean, null, Date or an edm.*() literal`,
      );
  }
}
