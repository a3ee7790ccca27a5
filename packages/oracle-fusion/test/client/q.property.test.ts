import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isInvalidInputError } from '@ml-connector/core';
import { qBuilder } from '@ml-connector/oracle-fusion';
import { evaluateQ, parseQ } from '@ml-connector/oracle-fusion/testing';
import { createHarness } from '../helpers.js';

const q = qBuilder<{ Description: string; Amount: number }>();
// Printable text, including quotes, semicolons, parentheses, keywords and non-BMP characters; control characters are refused by design.
// Fragments that stress the grammar are mixed into random code points so quotes and keywords are common.
const fragment = fc.oneof(fc.constantFrom("'", "''", ';', '(', ')', ' and ', ' OR ', '%', '_', ',', '=', '\\', '"', 'é', '😀', ' '), fc.string({ unit: 'binary', maxLength: 3 }));
const text = fc
  .array(fragment, { maxLength: 12 })
  .map((parts) => parts.join(''))
  .filter((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(s));

describe('q builder ⇄ emulator parser', () => {
  it('any string survives build → parse → evaluate, and matches nothing else', () => {
    fc.assert(
      fc.property(text, text, (value, other) => {
        const tree = parseQ(q.eq('Description', value).text);
        expect(evaluateQ(tree, { Description: value })).toBe(true);
        if (other !== value) expect(evaluateQ(tree, { Description: other })).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('composed expressions keep their meaning (and/or/not/in/between)', () => {
    fc.assert(
      fc.property(text, text, fc.integer({ min: -1000, max: 1000 }), (a, b, n) => {
        const e = q.or(q.and(q.eq('Description', a), q.ge('Amount', n)), q.not(q.in('Description', [a, b])));
        const tree = parseQ(e.text);
        const record = { Description: a, Amount: n };
        expect(evaluateQ(tree, record)).toBe(true);
        expect(evaluateQ(parseQ(q.between('Amount', n - 1, n + 1).text), record)).toBe(true);
        expect(evaluateQ(tree, { Description: b, Amount: n - 1 })).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('any string survives a round trip through the sandbox over HTTP', async () => {
    const { client, sandbox } = createHarness();
    const supplier = sandbox.store.collections.suppliers?.[0];
    await fc.assert(
      fc.asyncProperty(text, async (value) => {
        if (supplier) supplier.attrs.TaxpayerId = value;
        const found = await client.suppliers.list({ q: (b) => b.eq('TaxpayerId', value), onlyData: true }).toArray({ limit: 5 });
        expect(found.map((s) => s.SupplierId)).toEqual([supplier?.attrs.SupplierId]);
      }),
      { numRuns: 40 },
    );
  });

  it('refuses bad attributes, control characters, non-finite numbers and LIKE wildcards in prefixes', () => {
    const untyped = qBuilder();
    for (const bad of [() => untyped.eq('A B', 'x'), () => untyped.eq("x' or '1'='1", 'x'), () => q.eq('Description', 'a\u0001'), () => q.eq('Amount', Number.NaN), () => q.startsWith('Description', '50%'), () => q.in('Description', []), () => q.and()]) {
      let error: unknown;
      try {
        bad();
      } catch (e) {
        error = e;
      }
      expect(isInvalidInputError(error)).toBe(true);
    }
    expect(q.eq('Description', "O'Brien").text).toBe("Description = 'O''Brien'");
  });
});
