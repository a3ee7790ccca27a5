import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  appendKeyPredicate,
  buildODataQuery,
  edm,
  formatKeyPredicate,
  formatLiteral,
  InvalidInputError,
  odataFilter,
  odataQuery,
} from '@ml-connector/core';

// An independent reader of OData v3 literal text (ABNF of OData v3 URI conventions §5.1.1.x), sharing no code
// with the builders: it decides the EDM type from the prefix/suffix and returns the value it denotes.
type V3Value =
  | { type: 'string'; value: string }
  | { type: 'guid'; value: string }
  | { type: 'datetime'; value: string }
  | { type: 'datetimeoffset'; value: string }
  | { type: 'decimal'; value: string }
  | { type: 'int64'; value: bigint }
  | { type: 'int32'; value: number }
  | { type: 'double'; value: number };

function readV3Literal(text: string): V3Value {
  const quoted = /^(guid|datetime|datetimeoffset)?'((?:[^']|'')*)'$/.exec(text);
  if (quoted) {
    const inner = (quoted[2] ?? '').replaceAll("''", "'");
    const prefix = quoted[1];
    if (prefix === undefined) return { type: 'string', value: inner };
    return { type: prefix as 'guid' | 'datetime' | 'datetimeoffset', value: inner };
  }
  if (/^-?\d+(\.\d+)?[Mm]$/.test(text)) return { type: 'decimal', value: text.slice(0, -1) };
  if (/^-?\d+L$/.test(text)) return { type: 'int64', value: BigInt(text.slice(0, -1)) };
  if (/^-?\d+$/.test(text)) {
    const value = Number(text);
    if (value < -(2 ** 31) || value > 2 ** 31 - 1) throw new Error(`${text} is outside Int32 but has no L suffix`);
    return { type: 'int32', value };
  }
  if (/^-?[\d.e+-]+d$/i.test(text)) return { type: 'double', value: Number(text.slice(0, -1)) };
  throw new Error(`not an OData v3 literal: ${text}`);
}

/** Splits `(a=x,b=y)` respecting quotes. */
function readKeyPredicate(text: string): Record<string, V3Value> {
  expect(text.startsWith('(') && text.endsWith(')')).toBe(true);
  const body = text.slice(1, -1);
  const parts: string[] = [];
  let current = '';
  let inQuote = false;
  for (const char of body) {
    if (char === "'") inQuote = !inQuote;
    if (char === ',' && !inQuote) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return Object.fromEntries(
    parts.map((part) => {
      const eq = part.indexOf('=');
      return [part.slice(0, eq), readV3Literal(part.slice(eq + 1))];
    }),
  );
}

const v3 = { dialect: 'v3' } as const;
const anyText = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: fc.constantFrom("'", "''", '%', '&', '#', ' ', 'M', 'L', 'guid', '(', ')', ',', '=') }));
const guid = fc.uuid();
const instant = fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true });

describe('property: OData v3 dialect literals read back as the same type and value', () => {
  it('strings keep v4 quoting and survive a v3 filter, encoding and decoding', () => {
    fc.assert(
      fc.property(anyText, (value) => {
        expect(readV3Literal(formatLiteral(value, 'value', v3))).toEqual({ type: 'string', value });
        const query = odataQuery<{ Name: string }>(v3).filter((f) => f.eq('Name', value));
        const decoded = new URLSearchParams(query.toString()).get('$filter') ?? '';
        expect(decoded.startsWith('Name eq ')).toBe(true);
        expect(readV3Literal(decoded.slice('Name eq '.length))).toEqual({ type: 'string', value });
      }),
      { numRuns: 300 },
    );
  });

  it("guids become guid'…' in v3 and stay bare in v4", () => {
    fc.assert(
      fc.property(guid, (value) => {
        expect(readV3Literal(formatLiteral(edm.guid(value), 'id', v3))).toEqual({ type: 'guid', value });
        expect(formatLiteral(edm.guid(value))).toBe(value);
      }),
    );
  });

  it('non-integer numbers become Edm.Decimal with an M suffix and the exact same value', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n)), (value) => {
        const read = readV3Literal(formatLiteral(value, 'amount', v3));
        expect(read.type).toBe('decimal');
        expect(Number(read.value)).toBe(value);
      }),
      { numRuns: 300 },
    );
  });

  it('integers stay unsuffixed inside Int32 and get L beyond it; bigints always get L', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (integer, big) => {
        const read = readV3Literal(formatLiteral(integer, 'n', v3));
        if (integer >= -(2 ** 31) && integer <= 2 ** 31 - 1) expect(read).toEqual({ type: 'int32', value: integer });
        else expect(read).toEqual({ type: 'int64', value: BigInt(integer) });
        expect(readV3Literal(formatLiteral(big, 'n', v3))).toEqual({ type: 'int64', value: big });
        expect(readV3Literal(formatLiteral(edm.int64(big), 'n', v3))).toEqual({ type: 'int64', value: big });
        expect(formatLiteral(big)).toBe(big.toString());
      }),
      { numRuns: 300 },
    );
  });

  it("Dates become datetime'…' (UTC wall clock) in v3, denoting the same instant", () => {
    fc.assert(
      fc.property(instant, (value) => {
        const read = readV3Literal(formatLiteral(value, 'since', v3));
        expect(read.type).toBe('datetime');
        expect(read.value).not.toMatch(/Z|[+-]\d{2}:\d{2}$/);
        expect(new Date(`${read.value}Z`).getTime()).toBe(value.getTime());
        // edm.dateTimeOffset keeps its offset in v3.
        const offset = readV3Literal(formatLiteral(edm.dateTimeOffset(value), 'since', v3));
        expect(offset).toEqual({ type: 'datetimeoffset', value: value.toISOString() });
      }),
      { numRuns: 300 },
    );
  });

  it('composite keys (NAV document keys) read back part by part in v3', () => {
    fc.assert(
      fc.property(anyText.filter((s) => s !== ''), fc.integer({ min: 0, max: 2_000_000_000 }), guid, (no, lineNo, id) => {
        const predicate = formatKeyPredicate({ Document_Type: 'Order', Document_No: no, Line_No: lineNo, Id: edm.guid(id) }, v3);
        expect(readKeyPredicate(predicate)).toEqual({
          Document_Type: { type: 'string', value: 'Order' },
          Document_No: { type: 'string', value: no },
          Line_No: { type: 'int32', value: lineNo },
          Id: { type: 'guid', value: id },
        });
        const path = appendKeyPredicate('PurchaseLines', { Document_Type: 'Order', Document_No: no }, v3);
        expect(decodeURIComponent(path.slice('PurchaseLines'.length))).toBe(formatKeyPredicate({ Document_Type: 'Order', Document_No: no }, v3));
        expect(path.slice('PurchaseLines'.length)).not.toMatch(/[?#/ ]/);
      }),
      { numRuns: 300 },
    );
  });

  it('v3 `in` is an or-chain of eq over the same values, and contains is substringof with swapped arguments', () => {
    fc.assert(
      fc.property(fc.array(anyText, { minLength: 1, maxLength: 5 }), anyText, (values, needle) => {
        const inText = odataFilter<{ No: string }>((f) => f.in('No', values), v3).text;
        const chain = values.map((v) => `No eq ${formatLiteral(v)}`).join(' or ');
        expect(inText).toBe(`(${chain})`);
        const contains = odataFilter<{ Name: string }>((f) => f.contains('Name', needle), v3).text;
        expect(contains).toBe(`substringof(${formatLiteral(needle)},Name)`);
        expect(odataFilter<{ Name: string }>((f) => f.contains('Name', needle)).text).toBe(`contains(Name,${formatLiteral(needle)})`);
      }),
      { numRuns: 200 },
    );
  });
});

describe('OData v3 dialect: examples and refusals', () => {
  it('writes the documented v3 forms', () => {
    expect(formatLiteral(edm.decimal('123.45'), 'x', v3)).toBe('123.45M');
    expect(formatLiteral(123.45, 'x', v3)).toBe('123.45M');
    expect(formatLiteral(123n, 'x', v3)).toBe('123L');
    expect(formatLiteral(edm.int64(123), 'x', v3)).toBe('123L');
    expect(formatLiteral(edm.int32(123), 'x', v3)).toBe('123');
    expect(formatLiteral(edm.double(1.5), 'x', v3)).toBe('1.5d');
    expect(formatLiteral(edm.date('2024-01-31'), 'x', v3)).toBe("datetime'2024-01-31T00:00'");
    expect(formatLiteral(edm.dateTime('2024-01-31T08:30:00'), 'x', v3)).toBe("datetime'2024-01-31T08:30:00'");
    expect(formatLiteral(new Date('2024-01-31T08:30:00Z'), 'x', v3)).toBe("datetime'2024-01-31T08:30:00'");
    expect(formatLiteral(edm.dateTimeOffset('2024-01-31T08:30:00+01:00'), 'x', v3)).toBe("datetimeoffset'2024-01-31T08:30:00+01:00'");
    expect(formatLiteral(edm.timeOfDay('13:45:30'), 'x', v3)).toBe("time'PT13H45M30S'");
    expect(formatLiteral(edm.binary(new Uint8Array([0xde, 0xad])), 'x', v3)).toBe("X'DEAD'");
    expect(formatKeyPredicate({ Document_Type: 'Order', No: '106001' }, v3)).toBe("(Document_Type='Order',No='106001')");
  });

  it('leaves v4 output unchanged by default', () => {
    expect(formatLiteral(123.45)).toBe('123.45');
    expect(formatLiteral(new Date('2024-01-31T08:30:00Z'))).toBe('2024-01-31T08:30:00.000Z');
    expect(odataQuery().count().toString()).toBe('$count=true');
    expect(odataQuery({ dialect: 'v4' }).count().toString()).toBe('$count=true');
  });

  it('maps $count to $inlinecount and refuses what v3 lacks, saying what to do', () => {
    expect(odataQuery(v3).count().toString()).toBe('$inlinecount=allpages');
    expect(buildODataQuery({ count: true, filter: (f) => f.eq('Amount', 1.5) }, v3).toString()).toBe(
      '$filter=Amount%20eq%201.5M&$inlinecount=allpages',
    );
    expect(() => odataQuery(v3).search('x')).toThrow(/no \$search/);
    expect(() => odataQuery<{ Lines: { No: string }[] }>(v3).expand('Lines', (l) => l.top(1))).toThrow(InvalidInputError);
    expect(odataQuery<{ Lines: { No: string }[] }>(v3).expand('Lines').toString()).toBe('$expand=Lines');
    expect(() => formatLiteral(edm.enum('NAV.Blocked', 'All'), 'Blocked', v3)).toThrow(/no enum types.*edm\.string\('All'\)/);
    expect(() => formatLiteral(edm.dateTime('2024-01-31T08:30:00'))).toThrow(/does not exist in OData v4/);
    expect(() => edm.dateTime('2024-01-31T08:30:00Z')).toThrow(InvalidInputError);
    expect(() => formatLiteral('x', 'x', { dialect: 'v2' as never })).toThrow(/dialect must be "v4" or "v3"/);
    expect(() => odataQuery({ dialect: 'V3' as never })).toThrow(InvalidInputError);
  });
});
