import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { createMappingSet, diffFields, type FieldChange, parseCrosswalkCsv, parseCrosswalkJson } from '@ml-connector/core/sync';
import { describe, expect, it } from 'vitest';

/** Cell text that stresses CSV quoting: delimiters, quotes, CR/LF, a BOM, white space and non-ASCII. */
const cell = fc
  .string({ unit: fc.constantFrom(',', '"', '""', '\n', '\r\n', '\r', '\uFEFF', ' ', '\t', ';', "'", 'é', '😀', 'a', 'Z', '0', '9'), minLength: 1, maxLength: 10 })
  .filter((text) => text.trim() !== '');
/** Distinct keys (after trimming, the loaders' default). */
const rows = fc.uniqueArray(fc.tuple(cell, cell, cell), { minLength: 1, maxLength: 25, selector: ([key]) => key.trim() });

describe('property: crosswalk files round-trip', () => {
  it('CSV written by csv-stringify (any quoting, CRLF or LF, with or without a BOM) reads back exactly', () => {
    fc.assert(
      fc.property(rows, fc.boolean(), fc.constantFrom('\n', '\r\n'), fc.boolean(), (data, bom, eol, quoteAll) => {
        const text = stringify([['key', 'account', 'note'], ...data], { bom, record_delimiter: eol === '\n' ? 'unix' : 'windows', quoted: quoteAll });
        const set = createMappingSet({ tables: [parseCrosswalkCsv(text, { name: 'gl-account' })] });
        for (const [key, account, note] of data) {
          expect(set.lookupRecord('gl-account', key)).toEqual({ account: account.trim(), note: note.trim() });
        }
        expect(set.table('gl-account').entries.size).toBe(data.length);
      }),
      { numRuns: 150 },
    );
  });

  it('JSON documents read back exactly, without trimming when trim is false', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(fc.string({ minLength: 1 }), fc.string({ minLength: 1 })), { maxLength: 25, selector: ([key]) => key }), (data) => {
        const usable = data.filter(([key, value]) => key !== '' && value !== '');
        const text = JSON.stringify({ version: 'v1', trim: false, entries: usable.map(([key, value]) => ({ key, value: { account: value } })) }, null, 2);
        const set = createMappingSet({ tables: [parseCrosswalkJson(text, { name: 'gl-account' })] });
        for (const [key, value] of usable) expect(set.lookupRecord('gl-account', key)).toEqual({ account: value });
      }),
      { numRuns: 150 },
    );
  });
});

type Segment = string | number;

/** Reads `lines[0].amount` / `meta["@odata.etag"]` back into segments, independently of the implementation. */
function segments(path: string): Segment[] {
  const out: Segment[] = [];
  const pattern = /^(?:\.?([A-Za-z_$][A-Za-z0-9_$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\])/;
  let rest = path;
  while (rest !== '') {
    const match = pattern.exec(rest);
    if (!match) throw new Error(`unreadable path ${path}`);
    out.push(match[1] ?? (match[2] !== undefined ? Number(match[2]) : (JSON.parse(match[3] as string) as string)));
    rest = rest.slice(match[0].length);
  }
  return out;
}

/** Applies changes to a deep copy of `before`, creating containers on the way as the path says. */
function apply(before: unknown, changes: readonly FieldChange[]): unknown {
  let root: unknown = structuredClone(before);
  for (const change of changes) {
    const path = segments(change.path);
    if (path.length === 0) {
      root = structuredClone(change.after);
      continue;
    }
    const first = path[0] as Segment;
    if (typeof root !== 'object' || root === null || Array.isArray(root) !== (typeof first === 'number')) root = typeof first === 'number' ? [] : {};
    let node = root as Record<string | number, unknown>;
    path.forEach((segment, index) => {
      const value = (index === path.length - 1 ? structuredClone(change.after) : node[segment]) as unknown;
      const next = path[index + 1];
      const container =
        index === path.length - 1 || (typeof value === 'object' && value !== null && Array.isArray(value) === (typeof next === 'number'))
          ? value
          : typeof next === 'number'
            ? []
            : {};
      Object.defineProperty(node, segment, { value: container, writable: true, enumerable: true, configurable: true });
      node = container as Record<string | number, unknown>;
    });
  }
  return root;
}

/** Every leaf of `value` (empty containers included) with its path segments. */
function leaves(value: unknown, path: Segment[] = []): [Segment[], unknown][] {
  if (Array.isArray(value)) return value.length === 0 ? [[path, value]] : value.flatMap((item, i) => leaves(item, [...path, i]));
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value);
    return keys.length === 0 ? [[path, value]] : keys.flatMap((key) => leaves((value as Record<string, unknown>)[key], [...path, key]));
  }
  return [[path, value]];
}

function at(value: unknown, path: readonly Segment[]): unknown {
  return path.reduce<unknown>((node, segment) => (typeof node === 'object' && node !== null ? (node as Record<string | number, unknown>)[segment] : undefined), value);
}

/** Documents shaped like a write: nested records, arrays of lines, amounts, odd keys. */
const documentValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
    fc.integer(),
    fc.string({ maxLength: 6 }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom('amount', 'lines', 'code', '@odata.etag', 'a b', '0', '__proto__'), fc.string({ maxLength: 4 })), tie('value'), {
      maxKeys: 4,
    }),
  ),
})).value;

describe('property: diffFields', () => {
  it('finds nothing between a document and itself (or a copy)', () => {
    fc.assert(
      fc.property(documentValue, (x) => {
        expect(diffFields(x, x)).toEqual([]);
        expect(diffFields(structuredClone(x), x)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('applying the changes to before yields after on every compared field (numbers within the tolerance)', () => {
    fc.assert(
      fc.property(documentValue, documentValue, fc.constantFrom(0, 0.005, 0.5), (before, after, numberTolerance) => {
        const changes = diffFields(before, after, { numberTolerance });
        const result = apply(before, changes);
        for (const [path, expected] of leaves(after)) {
          const actual = at(result, path);
          if (typeof expected === 'number' && typeof actual === 'number') {
            expect(Math.abs(actual - expected) < numberTolerance || Object.is(actual, expected) || actual === expected).toBe(true);
          } else if (typeof expected === 'object' && expected !== null) {
            // An empty container: the result holds one of the same kind.
            expect(Array.isArray(actual)).toBe(Array.isArray(expected));
            expect(typeof actual).toBe('object');
          } else {
            expect(actual).toEqual(expected);
          }
        }
        // Only fields of `after` are reported, and no field twice.
        const paths = changes.map((c) => c.path);
        expect(new Set(paths).size).toBe(paths.length);
      }),
      { numRuns: 300 },
    );
  });
});

describe('diffFields', () => {
  it('reports dotted and indexed paths, ignores fields only before has, and tolerates currency rounding', () => {
    const before = { vendorNumber: 'V1', lines: [{ amount: 10, description: 'Rent' }, { amount: 5 }], etag: 'W/"1"' };
    const after = { vendorNumber: 'V2', lines: [{ amount: 10.004, description: 'Rent' }, { amount: 5.5, account: '8110' }] };
    expect(diffFields(before, after)).toEqual([
      { path: 'vendorNumber', before: 'V1', after: 'V2' },
      { path: 'lines[1].amount', before: 5, after: 5.5 },
      { path: 'lines[1].account', after: '8110' },
    ]);
    expect(diffFields(before, after, { numberTolerance: 0 })).toContainEqual({ path: 'lines[0].amount', before: 10, after: 10.004 });
    expect(diffFields(undefined, { a: { 'b.c': 1 } })).toEqual([{ path: 'a["b.c"]', after: 1 }]);
    expect(() => diffFields({}, {}, { numberTolerance: -1 })).toThrow(/numberTolerance/);
  });
});
