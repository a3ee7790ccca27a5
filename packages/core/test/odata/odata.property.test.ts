import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  appendKeyPredicate,
  edm,
  type FilterBuilder,
  type FilterExpression,
  formatKeyPredicate,
  formatLiteral,
  InvalidInputError,
  odataFilter,
  odataQuery,
} from '@ml-connector/core';
import { type FilterNode, parseFilter, parseKeyPredicate, tokenize } from './independent-parser.js';

/** Characters that break naive escaping: quotes, URL delimiters, percent escapes, whitespace and non-ASCII. */
const hostileText = fc.string({
  unit: fc.constantFrom("'", "''", '"', '&', '#', '%', '%27', '%20', '+', ' ', '?', '=', ';', '/', '(', ')', ',', '$', '\\', '\n', '\t', '\0', 'é', '😀', 'a', 'Z', '9'),
});
/** Any well-formed string: ASCII-heavy, full Unicode (astral planes included) and hostile mixes. */
const anyText = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), hostileText);
const identifier = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,11}$/).filter((name) => !['and', 'or', 'not', 'eq', 'ne', 'gt', 'ge', 'lt', 'le', 'in'].includes(name));

describe('property: string values survive $filter, encoding and decoding exactly', () => {
  it('eq(property, s) → query string → URLSearchParams → independent parser yields s; other parameters intact', () => {
    fc.assert(
      fc.property(anyText, anyText, fc.nat({ max: 10_000 }), (value, company, top) => {
        const query = odataQuery<{ name: string }>().filter((f) => f.eq('name', value)).top(top).param('company', company).count();
        const serialised = query.toString();
        const decoded = new URLSearchParams(serialised);

        expect([...decoded.keys()]).toEqual(['$filter', '$top', '$count', 'company']);
        expect(decoded.get('$top')).toBe(String(top));
        expect(decoded.get('$count')).toBe('true');
        expect(decoded.get('company')).toBe(company);
        expect(parseFilter(decoded.get('$filter') ?? '')).toEqual({
          kind: 'compare',
          operator: 'eq',
          left: { kind: 'property', path: 'name' },
          right: { kind: 'string', value },
        });
        // Nothing that ends a parameter or the query survives unescaped.
        expect(serialised.split('&')).toHaveLength(4);
        expect(serialised).not.toMatch(/[#+ ?]/);
        // The builder's own URLSearchParams view agrees with what the server will decode.
        expect([...query.toSearchParams()]).toEqual([...decoded]);
      }),
      { numRuns: 500 },
    );
  });

  it('formatLiteral(s) reads back as exactly one string token equal to s', () => {
    fc.assert(
      fc.property(anyText, (value) => {
        expect(tokenize(formatLiteral(value))).toEqual([{ kind: 'string', value }]);
      }),
      { numRuns: 500 },
    );
  });

  it('strings with unpaired surrogates are rejected instead of being mangled', () => {
    const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
    // fc.string() yields ASCII here, so the surrogate can never pair up with a neighbour.
    fc.assert(
      fc.property(fc.string(), loneSurrogate, fc.string(), (before, surrogate, after) => {
        expect(() => formatLiteral(before + surrogate + after)).toThrow(InvalidInputError);
        expect(() => odataQuery().param('company', before + surrogate).toString()).toThrow(InvalidInputError);
      }),
    );
  });
});

/** A random boolean expression, described independently of the builder. */
type Condition =
  | { kind: 'eq' | 'contains'; property: string; value: string }
  | { kind: 'and' | 'or'; children: Condition[] }
  | { kind: 'not'; child: Condition };

const conditionArbitrary = fc.letrec<{ condition: Condition }>((tie) => ({
  condition: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ kind: fc.constantFrom('eq' as const, 'contains' as const), property: identifier, value: anyText }),
    fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), children: fc.array(tie('condition'), { minLength: 2, maxLength: 3 }) }),
    fc.record({ kind: fc.constant('not' as const), child: tie('condition') }),
  ),
})).condition;

function build(f: FilterBuilder<Record<string, unknown>>, condition: Condition): FilterExpression {
  switch (condition.kind) {
    case 'eq':
      return f.eq(condition.property, condition.value);
    case 'contains':
      return f.contains(condition.property, condition.value);
    case 'and':
      return f.and(...condition.children.map((child) => build(f, child)));
    case 'or':
      return f.or(...condition.children.map((child) => build(f, child)));
    case 'not':
      return f.not(build(f, condition.child));
  }
}

/** The tree an OData parser must read back for `condition`, with `and`/`or` flattened. */
function expectedTree(condition: Condition): FilterNode {
  switch (condition.kind) {
    case 'eq':
      return { kind: 'compare', operator: 'eq', left: { kind: 'property', path: condition.property }, right: { kind: 'string', value: condition.value } };
    case 'contains':
      return { kind: 'call', name: 'contains', args: [{ kind: 'property', path: condition.property }, { kind: 'string', value: condition.value }] };
    case 'and':
    case 'or': {
      const kind = condition.kind;
      return { kind, children: condition.children.map(expectedTree).flatMap((n) => (n.kind === kind ? n.children : [n])) };
    }
    case 'not':
      return { kind: 'not', child: expectedTree(condition.child) };
  }
}

describe('property: and/or/not parenthesisation preserves meaning', () => {
  it('any expression tree reads back as the same tree after encoding and decoding', () => {
    fc.assert(
      fc.property(conditionArbitrary, (condition) => {
        const query = odataQuery().filter(odataFilter((f) => build(f, condition))).top(1);
        const decoded = new URLSearchParams(query.toString());
        expect(parseFilter(decoded.get('$filter') ?? '')).toEqual(expectedTree(condition));
        expect(decoded.get('$top')).toBe('1');
      }),
      { numRuns: 300 },
    );
  });
});

describe('property: key predicates', () => {
  const keyValue = fc.oneof(
    anyText.filter((text) => text !== ''),
    fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  );

  it('composite keys read back with every name and value', () => {
    fc.assert(
      fc.property(fc.dictionary(identifier, keyValue, { minKeys: 1, maxKeys: 4 }), (key) => {
        const expected = Object.fromEntries(Object.entries(key).map(([name, value]) => [name, String(value)]));
        const parsed = parseKeyPredicate(formatKeyPredicate(key));
        expect(parsed).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('single keys read back, and an appended predicate stays inside its path segment', () => {
    fc.assert(
      fc.property(keyValue, (key) => {
        const predicate = formatKeyPredicate(key);
        expect(parseKeyPredicate(predicate)).toBe(String(key));
        const url = new URL(appendKeyPredicate('VendorsV2', key), 'http://127.0.0.1/data/');
        expect(url.search).toBe('');
        expect(url.hash).toBe('');
        expect(url.pathname.startsWith('/data/VendorsV2(')).toBe(true);
        expect(decodeURIComponent(url.pathname.slice('/data/VendorsV2'.length))).toBe(predicate);
      }),
      { numRuns: 300 },
    );
  });
});

describe('property: numeric literals', () => {
  it('decimals from any finite number are plain digits that parse back to the same number', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        const text = edm.decimal(value).text;
        expect(text).toMatch(/^-?\d+(?:\.\d+)?$/);
        expect(Number(text)).toBe(value === 0 ? 0 : value);
      }),
      { numRuns: 1000 },
    );
  });

  it('decimal strings keep their digits (scale included) and only lose a leading "+"', () => {
    const digits = fc.string({ unit: fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '7', '8', '9'), minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(fc.constantFrom('', '-', '+'), digits, fc.option(digits, { nil: undefined }), (sign, whole, fraction) => {
        const input = `${sign}${whole}${fraction === undefined ? '' : `.${fraction}`}`;
        const expected = `${sign === '-' ? '-' : ''}${whole}${fraction === undefined ? '' : `.${fraction}`}`;
        expect(edm.decimal(input).text).toBe(expected);
      }),
    );
  });

  it('Int64 round-trips every value in range, from bigint, digit string and safe number', () => {
    const min = -(2n ** 63n);
    const max = 2n ** 63n - 1n;
    fc.assert(
      fc.property(fc.bigInt({ min, max }), fc.nat({ max: 3 }), (value, zeros) => {
        expect(edm.int64(value).text).toBe(value.toString());
        const padded = `${value < 0n ? '-' : '+'}${'0'.repeat(zeros)}${(value < 0n ? -value : value).toString()}`;
        expect(BigInt(edm.int64(padded).text)).toBe(value);
        if (value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)) {
          expect(edm.int64(Number(value)).text).toBe(value.toString());
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('Int64 rejects every value out of range', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 2n ** 80n }), fc.boolean(), (excess, negative) => {
        const value = negative ? -(2n ** 63n) - excess : 2n ** 63n - 1n + excess;
        expect(() => edm.int64(value)).toThrow(/out of range/);
        expect(() => edm.int64(value.toString())).toThrow(/out of range/);
      }),
    );
  });
});
