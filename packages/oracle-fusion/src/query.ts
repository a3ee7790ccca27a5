import { InvalidInputError } from '@ml-connector/core';

/**
 * A value in a `q` expression: strings (quoted and escaped), finite numbers, booleans (sent as `'true'`/`'false'`
 * strings, UNCONFIRMED) and `Date`s (sent as ISO-8601 UTC strings, e.g. `'2026-01-15T10:20:30.000Z'`).
 */
export type QValue = string | number | boolean | Date;

/** One built `q` expression (framework version 2+ syntax). Combine with {@link QBuilder.and}/{@link QBuilder.or}. */
export interface QExpression {
  /** The expression text as sent in `q=`. */
  readonly text: string;
  /** Brand: only the builder creates expressions, so every value in one is escaped. */
  readonly __q: true;
}

/** Comparison operators of the ADF REST expression syntax. */
export type QComparison = '=' | '!=' | '<' | '<=' | '>' | '>=';

/**
 * Typed builder for Oracle ADF REST `q` filters in the expanded expression syntax (`REST-Framework-Version` 2 or
 * later): `Attr = 'value' and (Amount > 10 or Status in ('A','B'))`. Attribute names are checked, values escaped.
 *
 * String literals are single-quoted with an embedded `'` doubled (`'O''Brien'`), the SQL convention ADF's
 * expression parser follows. The escaping rule is UNCONFIRMED in Oracle's public docs; the emulator parses `q`
 * independently and a property test proves any string survives build → parse.
 */
export interface QBuilder<T = Record<string, unknown>> {
  /** `attr = value`. */
  eq(attribute: Attr<T>, value: QValue): QExpression;
  /** `attr != value`. */
  ne(attribute: Attr<T>, value: QValue): QExpression;
  /** `attr < value`. */
  lt(attribute: Attr<T>, value: QValue): QExpression;
  /** `attr <= value`. */
  le(attribute: Attr<T>, value: QValue): QExpression;
  /** `attr > value`. */
  gt(attribute: Attr<T>, value: QValue): QExpression;
  /** `attr >= value`. */
  ge(attribute: Attr<T>, value: QValue): QExpression;
  /** `attr LIKE 'pattern'` with `%` and `_` wildcards; pass a pattern, not a value (nothing is escaped but quotes). */
  like(attribute: Attr<T>, pattern: string): QExpression;
  /** `attr LIKE 'value%'`: `%`/`_` in `prefix` are not escapable in ADF (UNCONFIRMED), so they are refused. */
  startsWith(attribute: Attr<T>, prefix: string): QExpression;
  /** `attr IN ('a','b')` (at least one value). */
  in(attribute: Attr<T>, values: readonly QValue[]): QExpression;
  /** `attr BETWEEN low AND high` (inclusive). */
  between(attribute: Attr<T>, low: QValue, high: QValue): QExpression;
  /** `attr IS NULL`. */
  isNull(attribute: Attr<T>): QExpression;
  /** `attr IS NOT NULL`. */
  isNotNull(attribute: Attr<T>): QExpression;
  /** All of the expressions (parenthesised). */
  and(...expressions: QExpression[]): QExpression;
  /** Any of the expressions (parenthesised). */
  or(...expressions: QExpression[]): QExpression;
  /** Negation: `not (expr)`. */
  not(expression: QExpression): QExpression;
}

/** Attribute names a builder accepts: the model's keys (any string for untyped builders). */
export type Attr<T> = Extract<keyof T, string>;

const ATTRIBUTE = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?$/;

function expr(text: string): QExpression {
  return { text, __q: true };
}

function checkAttribute(attribute: unknown): string {
  if (typeof attribute !== 'string' || !ATTRIBUTE.test(attribute)) {
    throw new InvalidInputError(
      `q attribute must be an attribute name such as "InvoiceNumber" (letters, digits, "_"; one optional child "lines.Amount"); got ${JSON.stringify(attribute)}`,
      { field: 'q.attribute' },
    );
  }
  return attribute;
}

/** Formats one `q` literal: `'text'` with `'` doubled, or a plain finite number. */
export function formatQValue(value: QValue): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new InvalidInputError(`q numbers must be finite; got ${value}`, { field: 'q.value' });
    return String(value);
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new InvalidInputError('q dates must be valid Date objects', { field: 'q.value' });
    return quote(value.toISOString());
  }
  if (typeof value === 'boolean') return quote(String(value));
  if (typeof value !== 'string') {
    throw new InvalidInputError(`q values must be strings, numbers, booleans or Dates; got ${typeof value}`, { field: 'q.value' });
  }
  return quote(value);
}

function quote(text: string): string {
  // Control characters cannot be represented reliably in a query parameter the ADF parser reads.
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(text)) {
    throw new InvalidInputError('q string values must not contain control characters', { field: 'q.value' });
  }
  return `'${text.replaceAll("'", "''")}'`;
}

function combine(op: 'and' | 'or', expressions: QExpression[]): QExpression {
  if (expressions.length === 0) throw new InvalidInputError(`${op}() needs at least one expression`, { field: 'q' });
  for (const e of expressions) {
    if (e?.__q !== true) throw new InvalidInputError(`${op}() takes expressions built by the q builder`, { field: 'q' });
  }
  if (expressions.length === 1) return expressions[0] as QExpression;
  return expr(expressions.map((e) => `(${e.text})`).join(` ${op} `));
}

/** Creates a {@link QBuilder}; type it with the model to check attribute names at compile time. */
export function qBuilder<T = Record<string, unknown>>(): QBuilder<T> {
  const cmp = (op: QComparison) => (attribute: Attr<T>, value: QValue) => expr(`${checkAttribute(attribute)} ${op} ${formatQValue(value)}`);
  return {
    eq: cmp('='),
    ne: cmp('!='),
    lt: cmp('<'),
    le: cmp('<='),
    gt: cmp('>'),
    ge: cmp('>='),
    like: (attribute, pattern) => expr(`${checkAttribute(attribute)} LIKE ${formatQValue(pattern)}`),
    startsWith: (attribute, prefix) => {
      if (typeof prefix !== 'string' || /[%_]/.test(prefix)) {
        throw new InvalidInputError('startsWith() prefixes must not contain "%" or "_" (ADF LIKE has no escape); use like() with a pattern', {
          field: 'q.value',
        });
      }
      return expr(`${checkAttribute(attribute)} LIKE ${formatQValue(`${prefix}%`)}`);
    },
    in: (attribute, values) => {
      if (!Array.isArray(values) || values.length === 0) throw new InvalidInputError('in() needs at least one value', { field: 'q.value' });
      return expr(`${checkAttribute(attribute)} IN (${values.map(formatQValue).join(', ')})`);
    },
    between: (attribute, low, high) => expr(`${checkAttribute(attribute)} BETWEEN ${formatQValue(low)} AND ${formatQValue(high)}`),
    isNull: (attribute) => expr(`${checkAttribute(attribute)} IS NULL`),
    isNotNull: (attribute) => expr(`${checkAttribute(attribute)} IS NOT NULL`),
    and: (...expressions) => combine('and', expressions),
    or: (...expressions) => combine('or', expressions),
    not: (expression) => {
      if (expression?.__q !== true) throw new InvalidInputError('not() takes an expression built by the q builder', { field: 'q' });
      return expr(`not (${expression.text})`);
    },
  };
}

/** A `q` filter: a built expression, or a function receiving the builder. */
export type QInput<T> = QExpression | ((q: QBuilder<T>) => QExpression);

/** Resolves a {@link QInput} to its text. */
export function resolveQ<T>(input: QInput<T> | undefined): string | undefined {
  if (input === undefined) return undefined;
  const built = typeof input === 'function' ? input(qBuilder<T>()) : input;
  if (built?.__q !== true) throw new InvalidInputError('q must be built with the q builder (qBuilder() or a (q) => … function)', { field: 'q' });
  return built.text;
}

const ORDER = /^[A-Za-z_][A-Za-z0-9_]*(?::(?:asc|desc))?$/;

/** Formats `orderBy` (`Attr:asc,Other:desc`), checking each part. */
export function formatOrderBy(orderBy: readonly string[] | undefined): string | undefined {
  if (orderBy === undefined || orderBy.length === 0) return undefined;
  for (const part of orderBy) {
    if (typeof part !== 'string' || !ORDER.test(part)) {
      throw new InvalidInputError(`orderBy entries look like "LastUpdateDate:asc" or "InvoiceId"; got ${JSON.stringify(part)}`, { field: 'orderBy' });
    }
  }
  return orderBy.join(',');
}

const NAME_LIST = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Formats `expand` (child resource names, or `all`). */
export function formatExpand(expand: readonly string[] | 'all' | undefined): string | undefined {
  if (expand === undefined) return undefined;
  if (expand === 'all') return 'all';
  for (const name of expand) {
    if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_.]*$/.test(name)) {
      throw new InvalidInputError(`expand entries are child resource names such as "lines" or "lines.schedules"; got ${JSON.stringify(name)}`, { field: 'expand' });
    }
  }
  return expand.length ? expand.join(',') : undefined;
}

/** Formats `fields` (`A,B` or, with children, `A,B;lines:C,D`). */
export function formatFields(fields: readonly string[] | undefined, childFields?: Record<string, readonly string[]>): string | undefined {
  const parts: string[] = [];
  const check = (name: string) => {
    if (typeof name !== 'string' || !NAME_LIST.test(name)) {
      throw new InvalidInputError(`fields entries are attribute names; got ${JSON.stringify(name)}`, { field: 'fields' });
    }
    return name;
  };
  if (fields?.length) parts.push(fields.map(check).join(','));
  for (const [child, names] of Object.entries(childFields ?? {})) parts.push(`${check(child)}:${names.map(check).join(',')}`);
  return parts.length ? parts.join(';') : undefined;
}
