/**
 * JQL building with escaping. Values are always emitted as double-quoted JQL strings, so reserved words
 * (`and`, `order`, `empty`, …) and reserved characters (space, `"`, `'`, `=`, `~`, `(`, `)`, `[`, `]`, …) can
 * never change the query's structure. Pure functions: no I/O.
 */
import { InvalidInputError } from '@ml-connector/core';

/**
 * JQL reserved words (Atlassian "Advanced searching" docs, "Reserved words"). A bare field name equal to one of
 * these must be quoted; values are always quoted anyway.
 */
export const JQL_RESERVED_WORDS: ReadonlySet<string> = new Set(
  (
    'a an abort access add after alias all alter and any are as asc audit avg before begin between boolean break by byte ' +
    'catch cf char character check checkpoint collate collation column commit connect continue count create current date ' +
    'decimal declare decrement default defaults define delete delimiter desc difference distinct divide do double drop else ' +
    'empty encoding end equals escape exclusive exec execute exists explain false fetch file field first float for from ' +
    'function go goto grant greater group having identified if immediate in increment index initial inner inout input insert ' +
    'int integer intersect intersection into is isempty isnull join last left less like limit lock long max min minus mode ' +
    'modify modulo more multiply next noaudit not notin nowait null number object of on option or order outer output power ' +
    'previous prior privileges public raise raw remainder rename resource return returns right row rowid rownum rows select ' +
    'session set share size sqrt start strict string subtract sum synonym table then to trans transaction trigger true uid ' +
    'union unique update user validate values view when whenever where while with'
  ).split(' '),
);

/** Characters Lucene treats as syntax inside a text (`~`) query; escaped inside phrases. */
const LUCENE_SPECIAL = /[+\-&|!(){}[\]^"~*?:\\/]/g;

/** A piece of JQL that is already safe (built by this module or explicitly trusted with {@link jqlRaw}). */
export class JqlFragment {
  /** The JQL text. */
  readonly text: string;
  /** @internal use the builders. */
  constructor(text: string) {
    this.text = text;
  }
  /** The JQL text. */
  toString(): string {
    return this.text;
  }
}

function escapeChar(ch: string): string {
  switch (ch) {
    case '\\':
      return '\\\\';
    case '"':
      return '\\"';
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    default:
      return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  }
}

/** Quotes a value as a JQL string literal: `"…"` with `\`, `"` and control characters escaped. */
export function jqlString(value: string): JqlFragment {
  if (typeof value !== 'string') throw new InvalidInputError(`JQL string value must be a string, got ${typeof value}`, { field: 'value' });
  // eslint-disable-next-line no-control-regex
  return new JqlFragment(`"${value.replace(/[\\"\u0000-\u001f\u007f]/g, escapeChar)}"`);
}

/** A JQL value: strings are quoted; finite numbers are emitted as numbers. */
export function jqlValue(value: string | number): JqlFragment {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new InvalidInputError(`JQL number value must be finite, got ${value}`, { field: 'value' });
    return new JqlFragment(String(value));
  }
  return jqlString(value);
}

/**
 * A field reference: `customfield_10010` becomes `cf[10010]`; a plain identifier that is not a reserved word stays
 * bare; anything else (spaces, reserved words such as `order`) is quoted, as JQL requires for field names.
 */
export function jqlField(name: string): JqlFragment {
  if (typeof name !== 'string' || name.trim() === '') throw new InvalidInputError('JQL field name must be a non-empty string', { field: 'field' });
  const custom = /^customfield_(\d+)$/.exec(name);
  if (custom) return new JqlFragment(`cf[${custom[1]}]`);
  if (/^cf\[\d+\]$/.test(name)) return new JqlFragment(name);
  if (/^[A-Za-z][A-Za-z0-9_]*$/.test(name) && !JQL_RESERVED_WORDS.has(name.toLowerCase())) return new JqlFragment(name);
  return jqlString(name);
}

/**
 * A value for the text-search operator `~` that matches `text` as an exact phrase (words in this order), with
 * Lucene syntax characters escaped. Jira's text search is word-based and ignores punctuation and case, so confirm
 * an exact match client-side (see `search.findByExactText`).
 */
export function jqlPhrase(text: string): JqlFragment {
  if (typeof text !== 'string' || text.trim() === '') throw new InvalidInputError('A JQL phrase needs non-empty text', { field: 'text' });
  return jqlString(`"${text.replace(LUCENE_SPECIAL, (c) => `\\${c}`)}"`);
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
const DATE_PARTS = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;

/**
 * A JQL date-time literal (`"yyyy/MM/dd HH:mm"`) for an instant, written in `timeZone`: Jira reads absolute dates
 * in the searching user's profile time zone (`jira.metadata.myself()`), so format them in that zone. JQL dates
 * have minute precision: the instant is floored to its minute, so `>=` of the literal never misses the instant
 * (and may return a few issues of that minute again; dedupe them).
 */
export function jqlDateTime(epochMs: number, timeZone = 'UTC'): JqlFragment {
  if (typeof epochMs !== 'number' || !Number.isFinite(epochMs)) throw new InvalidInputError(`a JQL date needs a finite epoch in ms, got ${String(epochMs)}`, { field: 'epochMs' });
  let format = dateFormats.get(timeZone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-US', { ...DATE_PARTS, timeZone });
    } catch {
      throw new InvalidInputError(`"${timeZone}" is not an IANA time zone (e.g. Europe/Berlin, UTC)`, { field: 'timeZone' });
    }
    dateFormats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(epochMs).map((part) => [part.type, part.value]));
  return jqlString(`${parts['year']}/${parts['month']}/${parts['day']} ${parts['hour']}:${parts['minute']}`);
}

/** Marks trusted, constant JQL as safe to splice into {@link jql}. Never pass user input here. */
export function jqlRaw(text: string): JqlFragment {
  return new JqlFragment(text);
}

/** What {@link jql} accepts between `${…}`. */
export type JqlInterpolation = JqlFragment | string | number | ReadonlyArray<string | number>;

/**
 * Tagged template that escapes every interpolated value: strings become quoted JQL strings, numbers stay numbers,
 * arrays become `("a", "b")` lists for `IN`, and {@link JqlFragment}s (from `jqlField`, `jqlPhrase`, `jqlRaw`) are
 * spliced as they are.
 *
 * Example:
 *
 * {@includeCode ../examples/client.ts#jql}
 */
export function jql(strings: TemplateStringsArray, ...values: JqlInterpolation[]): string {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return out;
}

function render(value: JqlInterpolation): string {
  if (value instanceof JqlFragment) return value.text;
  if (Array.isArray(value)) {
    if (value.length === 0) throw new InvalidInputError('A JQL list (for IN) needs at least one value', { field: 'values' });
    return `(${value.map((v) => jqlValue(v as string | number).text).join(', ')})`;
  }
  if (typeof value === 'string' || typeof value === 'number') return jqlValue(value).text;
  throw new InvalidInputError(`Cannot put a ${typeof value} into JQL; pass a string, number, array or jqlField()/jqlPhrase()`, { field: 'value' });
}
