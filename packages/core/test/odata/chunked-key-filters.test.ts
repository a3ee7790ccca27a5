import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkedKeyFilters, DEFAULT_MAX_URL_LENGTH, InvalidInputError, odataQuery, rawFilter } from '@ml-connector/core';
import { type FilterNode, parseFilter, tokenize } from './independent-parser.js';

const BASE = 'https://api.example.test/v2.0/tenant/sandbox/api/v2.0/companies(6f9619ff-8b86-d011-b42d-00c04fc964ff)/vendors';

/** The request URL exactly as fetch sends it: the query builder's encoding, then WHATWG URL serialisation. */
const requestUrl = (filter: string, select = ['id', 'number', 'blocked']) =>
  new URL(odataQuery().select(...select).filter(rawFilter(filter)).toUrl(BASE)).href;
const baseUrlLength = (select = ['id', 'number', 'blocked']) => new URL(odataQuery().select(...select).toUrl(BASE)).href.length;

/** Values read back from an `or` chain of `eq`s with the independent parser. */
function orValues(filter: string, field: string): string[] {
  const tree = parseFilter(filter);
  const terms: FilterNode[] = tree.kind === 'or' ? tree.children : [tree];
  return terms.map((term) => {
    if (term.kind !== 'compare' || term.operator !== 'eq' || term.left.kind !== 'property' || term.left.path !== field || term.right.kind !== 'string') {
      throw new Error(`unexpected term in ${filter}`);
    }
    return term.right.value;
  });
}

/** Values read back from `field in ('a','b')` with the independent tokenizer. */
function inValues(filter: string, field: string): string[] {
  const tokens = tokenize(filter);
  const [name, op, open, ...rest] = tokens;
  expect(name).toEqual({ kind: 'name', text: field });
  expect(op).toEqual({ kind: 'name', text: 'in' });
  expect(open).toEqual({ kind: 'punct', text: '(' });
  expect(rest.at(-1)).toEqual({ kind: 'punct', text: ')' });
  return rest.slice(0, -1).flatMap((token, index) => {
    if (index % 2 === 1) {
      expect(token).toEqual({ kind: 'punct', text: ',' });
      return [];
    }
    if (token.kind !== 'string') throw new Error(`unexpected token in ${filter}`);
    return [token.value];
  });
}

describe('chunkedKeyFilters', () => {
  it('writes an or chain by default and OData 4.01 in on request, with quotes doubled', () => {
    expect(chunkedKeyFilters('number', ['V1', "O'Brien"])).toEqual(["number eq 'V1' or number eq 'O''Brien'"]);
    expect(chunkedKeyFilters('number', ['V1', "O'Brien"], { operator: 'in' })).toEqual(["number in ('V1','O''Brien')"]);
    expect(chunkedKeyFilters('number', [])).toEqual([]);
  });

  it('deduplicates values and keeps the order of first appearance', () => {
    expect(chunkedKeyFilters('code', ['B', 'A', 'B', 'A', 'C'], { operator: 'in' })).toEqual(["code in ('B','A','C')"]);
  });

  it('splits 500 numbers into requests under 2,048 URL characters by default', () => {
    const numbers = Array.from({ length: 500 }, (_, i) => `V${String(i).padStart(5, '0')}`);
    const filters = chunkedKeyFilters('number', numbers, { baseUrlLength: baseUrlLength() });
    expect(DEFAULT_MAX_URL_LENGTH).toBe(2048);
    expect(filters.length).toBeGreaterThan(1);
    for (const filter of filters) expect(requestUrl(filter).length).toBeLessThanOrEqual(2048);
    // Greedy packing: a chunk is only closed when the next value would not fit.
    for (const filter of filters.slice(0, -1)) expect(requestUrl(`${filter} or number eq 'V99999'`).length).toBeGreaterThan(2048);
    expect(filters.flatMap((f) => orValues(f, 'number'))).toEqual(numbers);
  });

  it('bounds the number of values per chunk when asked (node-count limits)', () => {
    const filters = chunkedKeyFilters('number', Array.from({ length: 45 }, (_, i) => `V${i}`), { maxValuesPerChunk: 20 });
    expect(filters.map((f) => orValues(f, 'number').length)).toEqual([20, 20, 5]);
  });

  it('refuses a value whose filter alone is longer than the limit, bad fields and bad options', () => {
    expect(() => chunkedKeyFilters('number', ['x'.repeat(100)], { maxUrlLength: 80 })).toThrow(InvalidInputError);
    expect(() => chunkedKeyFilters('number', ['x'.repeat(100)], { maxUrlLength: 80 })).toThrow(/raise maxUrlLength/);
    expect(() => chunkedKeyFilters('number eq 1 or x', ['a'])).toThrow(InvalidInputError);
    expect(() => chunkedKeyFilters('number', ['a'], { operator: 'has' as never })).toThrow(InvalidInputError);
    expect(() => chunkedKeyFilters('number', ['a'], { operator: 'in', dialect: 'v3' })).toThrow(/no "in" operator/);
    expect(() => chunkedKeyFilters('number', ['a'], { maxValuesPerChunk: 0 })).toThrow(InvalidInputError);
    expect(() => chunkedKeyFilters('number', ['\uD800'])).toThrow(InvalidInputError);
  });

  it('formats non-string keys with core literal formatting', () => {
    expect(chunkedKeyFilters('lineNo', [10000, 20000])).toEqual(['lineNo eq 10000 or lineNo eq 20000']);
    expect(chunkedKeyFilters('id', [1n, 2n], { operator: 'in' })).toEqual(['id in (1,2)']);
  });
});

/** Keys that stress escaping and encoding: quotes, URL delimiters, percent signs, spaces and non-ASCII. */
const hostileKey = fc.string({
  unit: fc.constantFrom("'", '"', '&', '#', '%', '%27', '+', ' ', '?', '=', ',', '(', ')', '/', 'é', '😀', 'a', 'Z', '9'),
  minLength: 1,
  maxLength: 12,
});

describe('property: chunkedKeyFilters', () => {
  it('puts every value in exactly one chunk, keeps every URL within the limit, and round-trips escaping', () => {
    fc.assert(
      fc.property(
        fc.array(hostileKey, { maxLength: 80 }),
        fc.constantFrom<'or' | 'in'>('or', 'in'),
        fc.integer({ min: 300, max: 1500 }),
        fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
        (values, operator, maxUrlLength, maxValuesPerChunk) => {
          const base = baseUrlLength();
          const filters = chunkedKeyFilters('number', values, {
            operator,
            baseUrlLength: base,
            maxUrlLength,
            ...(maxValuesPerChunk ? { maxValuesPerChunk } : {}),
          });
          const seen: string[] = [];
          for (const filter of filters) {
            const url = requestUrl(filter);
            expect(url.length).toBeLessThanOrEqual(maxUrlLength);
            // What the server decodes is exactly the filter text.
            expect(new URL(url).searchParams.get('$filter')).toBe(filter);
            const chunk = operator === 'or' ? orValues(filter, 'number') : inValues(filter, 'number');
            if (maxValuesPerChunk) expect(chunk.length).toBeLessThanOrEqual(maxValuesPerChunk);
            seen.push(...chunk);
          }
          expect(seen).toEqual([...new Set(values)]);
        },
      ),
      { numRuns: 200 },
    );
  });
});
