import { InvalidInputError } from '../errors/index.js';
import { encodeQueryName, encodeQueryValue } from './encoding.js';
import { type ODataDialectOptions, type ODataValue, formatLiteral, resolveDialect } from './literals.js';
import { assertPropertyPath } from './names.js';

/**
 * Default longest request URL, in characters after percent-encoding, that {@link chunkedKeyFilters} produces.
 * IIS answers 404.14 above 4,096 characters of URL and 404.15 above 2,048 characters of query string
 * (`requestFiltering/requestLimits` defaults `maxUrl` and `maxQueryString`); keeping the whole URL at 2,048
 * stays under both. Raise it only for a server known to accept more.
 */
export const DEFAULT_MAX_URL_LENGTH = 2048;

/** Options of {@link chunkedKeyFilters}. */
export interface ChunkedKeyFiltersOptions extends ODataDialectOptions {
  /**
   * `'or'` (default) writes `field eq 'a' or field eq 'b'`, which every OData server understands. `'in'` writes
   * OData 4.01's `field in ('a','b')`: shorter, but servers without it may refuse it or, like Business Central's
   * API v2.0, silently ignore it and return everything. Not available in the v3 dialect.
   */
  readonly operator?: 'or' | 'in';
  /**
   * Length of the request URL as it will be sent without the `$filter` parameter: origin, path and every other
   * query parameter such as `$select`, serialised as `fetch` sends it (`new URL(url).href.length`). Default 0,
   * which only bounds the filter itself.
   */
  readonly baseUrlLength?: number;
  /** Longest request URL allowed, `$filter` included. Default {@link DEFAULT_MAX_URL_LENGTH} (2,048). */
  readonly maxUrlLength?: number;
  /**
   * Most values in one chunk, for servers that also bound a filter's size (ASP.NET OData's `MaxNodeCount`
   * default of 100 nodes fits 20 `eq` terms joined by `or`). Default unlimited.
   */
  readonly maxValuesPerChunk?: number;
}

const FILTER_PARAMETER = `${encodeQueryName('$filter', 'parameter name')}=`;

function positiveInteger(value: unknown, field: string, minimum: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum) {
    throw new InvalidInputError(`${field} must be an integer >= ${minimum}, got ${String(value)}`, { field });
  }
  return value;
}

/**
 * Splits a lookup of many keys into as few `$filter` expressions as fit the server's URL limit, each testing
 * `field` against a share of `values`: `field eq 'a' or field eq 'b'` (default) or `field in ('a','b')`.
 * Values are deduplicated (by their literal), formatted and escaped with {@link formatLiteral} (quotes doubled),
 * and the length is measured exactly as the request goes out: encoded like `odataQuery().toString()` does, then
 * with the `'` → `%27` that `fetch`'s URL parser adds in http(s) query strings, so each request URL
 * (`baseUrlLength` + `?` or `&` + `$filter=` + the encoded filter) stays within `maxUrlLength`.
 * Returns one filter text per request, in the order of the values' first appearance; none for no values.
 *
 * @throws InvalidInputError for a bad field or option, a value that cannot be a literal, or a value whose filter
 * alone does not fit the limit.
 */
export function chunkedKeyFilters(field: string, values: readonly ODataValue[], options: ChunkedKeyFiltersOptions = {}): string[] {
  assertPropertyPath(field, 'chunkedKeyFilters field');
  if (field === '*') throw new InvalidInputError('chunkedKeyFilters field must be a property, not "*"', { field: 'field' });
  if (!Array.isArray(values)) throw new InvalidInputError('chunkedKeyFilters values must be an array', { field: 'values' });
  const dialect = resolveDialect(options);
  const operator = options.operator ?? 'or';
  if (operator !== 'or' && operator !== 'in') {
    throw new InvalidInputError(`operator must be "or" or "in", got ${JSON.stringify(operator)}`, { field: 'operator' });
  }
  if (operator === 'in' && dialect === 'v3') {
    throw new InvalidInputError('OData v3 has no "in" operator; use operator: "or"', { field: 'operator' });
  }
  const maxUrlLength = positiveInteger(options.maxUrlLength ?? DEFAULT_MAX_URL_LENGTH, 'maxUrlLength', 1);
  const baseUrlLength = positiveInteger(options.baseUrlLength ?? 0, 'baseUrlLength', 0);
  const maxValues = options.maxValuesPerChunk === undefined ? Infinity : positiveInteger(options.maxValuesPerChunk, 'maxValuesPerChunk', 1);

  const literals = [...new Set(values.map((value, index) => formatLiteral(value, `values[${index}]`, { dialect })))];
  if (literals.length === 0) return [];

  // Percent-encoding works character by character, so the encoded length of a joined text is the sum of its
  // parts: each chunk is measured without encoding it again. The WHATWG URL parser behind fetch escapes the
  // quotes encodeQueryValue leaves readable (`'` is in the special-query percent-encode set): 2 more each.
  const encoded = (text: string) => encodeQueryValue(text, 'values').length + 2 * (text.split("'").length - 1);
  const budget = maxUrlLength - baseUrlLength - 1 - FILTER_PARAMETER.length;
  const term = operator === 'or' ? (literal: string) => `${field} eq ${literal}` : (literal: string) => literal;
  const separator = encoded(operator === 'or' ? ' or ' : ',');
  const frame = operator === 'or' ? 0 : encoded(`${field} in (`) + encoded(')');

  const chunks: string[][] = [];
  let current: string[] = [];
  let used = frame;
  for (const literal of literals) {
    const cost = encoded(term(literal));
    if (frame + cost > budget) {
      throw new InvalidInputError(
        `The filter for value ${literal.length > 60 ? `${literal.slice(0, 60)}…` : literal} alone needs ${baseUrlLength + 1 + FILTER_PARAMETER.length + frame + cost} URL characters, more than maxUrlLength ${maxUrlLength}; shorten the value or raise maxUrlLength`,
        { field: 'values' },
      );
    }
    const extra = current.length === 0 ? cost : separator + cost;
    if (current.length > 0 && (used + extra > budget || current.length >= maxValues)) {
      chunks.push(current);
      current = [];
      used = frame;
    }
    used += current.length === 0 ? cost : separator + cost;
    current.push(literal);
  }
  chunks.push(current);
  return chunks.map((chunk) => (operator === 'or' ? chunk.map(term).join(' or ') : `${field} in (${chunk.join(',')})`));
}
