import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isInvalidInputError } from '@ml-connector/core';
import { JQL_RESERVED_WORDS, jql, jqlField, jqlPhrase, jqlRaw, jqlString } from '@ml-connector/jira';
import { parseJql } from '@ml-connector/jira/testing';

// The sandbox's JQL lexer (written independently of the builder, after Jira's JqlLexer escapes) is the oracle.
const RESERVED_CHARS = [' ', '"', "'", '=', '!', '<', '>', '(', ')', '~', ',', '[', ']', '{', '}', '\\', '\n', '\t', '\r', '\u0000', '\u007f', '|', '&', '*', '%', '+', '.', ';', '?', '#', '@', '^', '$', '/'];
const hostile = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom(...JQL_RESERVED_WORDS),
  fc.array(fc.constantFrom(...RESERVED_CHARS, 'and', 'or', 'not', 'order by', 'empty', 'null', 'in'), { maxLength: 12 }).map((a) => a.join('')),
);

type Term = { kind: 'term'; field: string; op: string; values: Array<{ v: string }> };

describe('JQL escaping (property tests)', () => {
  it('any value round-trips as exactly one string literal', () => {
    fc.assert(
      fc.property(hostile, (value) => {
        const parsed = parseJql(jql`summary ~ ${value}`);
        expect(parsed.orderBy).toEqual([]);
        const term = parsed.where as Term;
        expect(term.kind).toBe('term');
        expect(term.values.map((v) => v.v)).toEqual([value]);
      }),
      { numRuns: 2000 },
    );
  });

  it('values cannot add clauses or ORDER BY: the structure stays two terms joined by AND', () => {
    fc.assert(
      fc.property(hostile, hostile, fc.array(hostile, { minLength: 1, maxLength: 4 }), (a, b, list) => {
        const parsed = parseJql(jql`project = ${a} AND status IN ${list} ORDER BY ${jqlField('created')} DESC`);
        const where = parsed.where as { kind: string; children: Term[] };
        expect(where.kind).toBe('and');
        expect(where.children.map((c) => [c.field, c.op])).toEqual([
          ['project', '='],
          ['status', 'in'],
        ]);
        expect(where.children[0]?.values.map((v) => v.v)).toEqual([a]);
        expect(where.children[1]?.values.map((v) => v.v)).toEqual(list);
        expect(parsed.orderBy).toEqual([{ field: 'created', desc: true }]);
        expect(jqlString(b).text.startsWith('"')).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('phrases stay one literal holding one quoted Lucene phrase whose unescaped text is the input', () => {
    fc.assert(
      fc.property(hostile.filter((s) => s.trim() !== ''), (text) => {
        const term = parseJql(jql`text ~ ${jqlPhrase(text)}`).where as Term;
        const literal = term.values[0]?.v ?? '';
        expect(literal.startsWith('"') && literal.endsWith('"')).toBe(true);
        const inner = literal.slice(1, -1);
        // Every Lucene syntax character inside is escaped, so the phrase cannot end early.
        expect(/(^|[^\\])(\\\\)*"/.test(inner)).toBe(false);
        expect(inner.replace(/\\(.)/gs, '$1')).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });

  it('field names: custom ids become cf[N], reserved words and odd names are quoted', () => {
    expect(jqlField('customfield_10050').text).toBe('cf[10050]');
    expect(jqlField('status').text).toBe('status');
    expect(jqlField('order').text).toBe('"order"');
    expect(jqlField('ML Document Key').text).toBe('"ML Document Key"');
    fc.assert(
      fc.property(hostile.filter((s) => s.trim() !== ''), (name) => {
        const term = parseJql(`${jqlField(name).text} = "x"`).where as Term;
        expect(term.field).toBe(name);
      }),
      { numRuns: 500 },
    );
  });

  it('rejects what it cannot express safely', () => {
    expect(() => jql`x in ${[]}`).toThrow(/at least one value/);
    const notFinite = (() => {
      try {
        return jql`x = ${Number.NaN}`;
      } catch (error) {
        return error;
      }
    })();
    expect(isInvalidInputError(notFinite)).toBe(true);
    expect(() => jql`x = ${{} as never}`).toThrow(/Cannot put/);
    expect(jql`priority = ${3} AND ${jqlRaw('resolution IS EMPTY')}`).toBe('priority = 3 AND resolution IS EMPTY');
  });
});
