import { InvalidInputError } from '../errors/index.js';
import { type EdmLiteral, formatLiteral, type ODataDialect, type ODataDialectOptions, type ODataValue, resolveDialect } from './literals.js';
import { assertPropertyPath } from './names.js';
import type { PropertyPath, PropertyPathOfType, PropertyType, RelatedEntity } from './types.js';

/**
 * How tightly an expression binds, following the OData operator precedence table. A child expression is
 * parenthesised only when it binds more loosely than its parent requires.
 */
const Precedence = {
  /** Raw text of unknown shape: always parenthesised when combined. */
  Raw: 0,
  Or: 1,
  And: 2,
  Comparison: 3,
  Not: 4,
  /** Function calls, lambdas and parenthesised groups. */
  Primary: 5,
} as const;

/** A boolean `$filter` expression built by {@link odataFilter} or {@link rawFilter}; combine with `and`/`or`/`not`. */
export class FilterExpression {
  /** The expression as OData text, before percent-encoding. */
  readonly text: string;
  /** @internal Binding strength, used to add parentheses only where needed. */
  readonly precedence: number;

  /** @internal Use {@link odataFilter} or {@link rawFilter}. */
  constructor(text: string, precedence: number) {
    this.text = text;
    this.precedence = precedence;
    Object.freeze(this);
  }

  /** The expression as OData text. */
  toString(): string {
    return this.text;
  }
}

/**
 * A non-boolean operand such as another property or a function result (`tolower(name)`, `length(name)`).
 * `V` is the operand's value type, so comparisons against it are type checked.
 */
export class FilterOperand<V = unknown> {
  /** The operand as OData text, before percent-encoding. */
  readonly text: string;
  /** Type-only marker carrying `V`; never set at runtime. */
  declare readonly valueType?: V;

  /** @internal Use the functions of {@link FilterBuilder}. */
  constructor(text: string) {
    this.text = text;
    Object.freeze(this);
  }
}

/** Maps a property's declared type to the values it may be compared with. */
export type ComparableLiteral<V> = V extends string
  ? V | Date
  : V extends number | bigint
    ? number | bigint
    : V extends boolean
      ? boolean
      : V extends Date
        ? Date
        : ODataValue;

/**
 * What a property of type `V` can be compared with: a matching JavaScript value, any `edm.*()` literal,
 * `null`, or another operand. Strings also accept a Date, since JSON entity types declare timestamps as strings.
 */
export type FilterValue<V> = unknown extends V
  ? ODataValue | FilterOperand
  : ComparableLiteral<NonNullable<V>> | EdmLiteral | FilterOperand<V> | FilterOperand<unknown> | null;

/** A comparison operator (`eq`, `ne`, `gt`, …) typed over the properties of `T`. */
export interface FilterComparison<T> {
  /** Compares the property at `property` with `value`. */
  <P extends PropertyPath<T>>(property: P, value: FilterValue<PropertyType<T, P>>): FilterExpression;
  /** Compares an operand such as `f.toLower('name')` with `value`. */
  <V>(operand: FilterOperand<V>, value: FilterValue<V>): FilterExpression;
}

/** Where a string function reads its text from: a string property or a string-valued operand. */
export type StringSource<T> = PropertyPathOfType<T, string> | FilterOperand<string> | FilterOperand<unknown>;
/** The text a string function searches for. */
export type SearchText = string | EdmLiteral | FilterOperand<string> | FilterOperand<unknown>;

/**
 * Builds `$filter` expressions for entity type `T`, with property names and value types checked by TypeScript.
 * Obtain one through {@link odataFilter} or the query builder's `filter(f => …)`.
 */
export interface FilterBuilder<T> {
  /** `property eq value`. `null` compares with the null literal. */
  eq: FilterComparison<T>;
  /** `property ne value`. */
  ne: FilterComparison<T>;
  /** `property gt value`. */
  gt: FilterComparison<T>;
  /** `property ge value`. */
  ge: FilterComparison<T>;
  /** `property lt value`. */
  lt: FilterComparison<T>;
  /** `property le value`. */
  le: FilterComparison<T>;
  /**
   * `property in (v1,v2,…)`. Servers without OData 4.01 `in` support (older F&O builds) need
   * `f.or(...values.map((v) => f.eq(property, v)))` instead. The v3 dialect writes that or-chain itself.
   */
  in<P extends PropertyPath<T>>(property: P, values: readonly FilterValue<PropertyType<T, P>>[]): FilterExpression;
  /** All conditions hold; `or` children are parenthesised. */
  and(...conditions: FilterExpression[]): FilterExpression;
  /** Any condition holds. */
  or(...conditions: FilterExpression[]): FilterExpression;
  /** Negates a condition, parenthesising it unless it is a single function call. */
  not(condition: FilterExpression): FilterExpression;
  /** `contains(source,text)`; `substringof(text,source)` in the v3 dialect. */
  contains(source: StringSource<T>, text: SearchText): FilterExpression;
  /** `startswith(source,text)`. */
  startsWith(source: StringSource<T>, text: SearchText): FilterExpression;
  /** `endswith(source,text)`. */
  endsWith(source: StringSource<T>, text: SearchText): FilterExpression;
  /** `tolower(source)`, for case-insensitive comparisons. */
  toLower(source: StringSource<T>): FilterOperand<string>;
  /** `toupper(source)`. */
  toUpper(source: StringSource<T>): FilterOperand<string>;
  /** `trim(source)`. */
  trim(source: StringSource<T>): FilterOperand<string>;
  /** `length(source)`. */
  length(source: StringSource<T>): FilterOperand<number>;
  /** `indexof(source,text)`: zero-based position, or -1. */
  indexOf(source: StringSource<T>, text: SearchText): FilterOperand<number>;
  /** Another property as an operand, to compare two properties: `f.gt('shipDate', f.prop('orderDate'))`. */
  prop<P extends PropertyPath<T>>(property: P): FilterOperand<PropertyType<T, P>>;
  /**
   * `collection/any(x:…)`: at least one element matches. Without a predicate, `collection/any()` tests for a
   * non-empty collection. The predicate receives a builder scoped to the element type.
   */
  any<P extends PropertyPathOfType<T, readonly unknown[]>>(
    collection: P,
    predicate?: (element: FilterBuilder<RelatedEntity<T, P>>) => FilterExpression,
  ): FilterExpression;
  /** `collection/all(x:…)`: every element matches. */
  all<P extends PropertyPathOfType<T, readonly unknown[]>>(
    collection: P,
    predicate: (element: FilterBuilder<RelatedEntity<T, P>>) => FilterExpression,
  ): FilterExpression;
  /** A raw fragment, inserted verbatim and parenthesised when combined; see {@link rawFilter}. */
  raw(text: string): FilterExpression;
}

function assertExpression(value: unknown, field: string): asserts value is FilterExpression {
  if (!(value instanceof FilterExpression)) {
    throw new InvalidInputError(
      `${field} must be a filter expression built with the filter builder; wrap hand-written text in rawFilter("…")`,
      { field },
    );
  }
}

function wrap(expression: FilterExpression, minimum: number): string {
  return expression.precedence < minimum ? `(${expression.text})` : expression.text;
}

function combine(operator: 'and' | 'or', precedence: number, conditions: FilterExpression[]): FilterExpression {
  if (conditions.length === 0) {
    throw new InvalidInputError(`${operator}() needs at least one condition`, { field: operator });
  }
  conditions.forEach((condition, index) => assertExpression(condition, `${operator}() condition ${index + 1}`));
  if (conditions.length === 1) return conditions[0] as FilterExpression;
  return new FilterExpression(conditions.map((c) => wrap(c, precedence)).join(` ${operator} `), precedence);
}

/**
 * Wraps hand-written `$filter` text, for constructs the builder does not model. The text is sent verbatim
 * (still percent-encoded), so never build it from user input: use the builder's literals for values.
 */
export function rawFilter(text: string): FilterExpression {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new InvalidInputError('rawFilter text must be a non-empty string', { field: 'rawFilter' });
  }
  return new FilterExpression(text, Precedence.Raw);
}

/**
 * Creates a builder whose property paths are prefixed by `variable` (inside a lambda), whose lambdas nest at
 * `depth`, and which writes literals and functions in `dialect` syntax.
 */
export function createFilterBuilder<T>(variable?: string, depth = 0, dialect: ODataDialect = 'v4'): FilterBuilder<T> {
  const path = (property: unknown, field: string): string => {
    assertPropertyPath(property, field);
    return variable === undefined ? property : `${variable}/${property}`;
  };
  const operand = (source: unknown, field: string): string =>
    source instanceof FilterOperand ? source.text : path(source, field);
  const value = (input: unknown, field: string): string =>
    input instanceof FilterOperand ? input.text : formatLiteral(input as ODataValue, field, { dialect });

  const comparison =
    (operator: string): FilterComparison<T> =>
    (left: unknown, right: unknown) =>
      new FilterExpression(
        `${operand(left, `${operator}() property`)} ${operator} ${value(right, `${operator}() value`)}`,
        Precedence.Comparison,
      );
  const stringTest = (name: string) => (source: unknown, text: unknown) =>
    new FilterExpression(`${name}(${operand(source, `${name}() source`)},${value(text, `${name}() text`)})`, Precedence.Primary);
  const stringFunction = (name: string) => (source: unknown) => new FilterOperand<string>(`${name}(${operand(source, `${name}() source`)})`);
  const lambda = (name: 'any' | 'all', collection: unknown, predicate: unknown): FilterExpression => {
    const target = path(collection, `${name}() collection`);
    if (predicate === undefined && name === 'any') return new FilterExpression(`${target}/any()`, Precedence.Primary);
    if (typeof predicate !== 'function') {
      throw new InvalidInputError(`${name}() needs a predicate function, e.g. (line) => line.eq('quantity', 1)`, { field: name });
    }
    const elementVariable = depth === 0 ? 'x' : `x${depth}`;
    const condition: unknown = predicate(createFilterBuilder(elementVariable, depth + 1, dialect));
    assertExpression(condition, `${name}() predicate result`);
    return new FilterExpression(`${target}/${name}(${elementVariable}:${condition.text})`, Precedence.Primary);
  };

  return {
    eq: comparison('eq'),
    ne: comparison('ne'),
    gt: comparison('gt'),
    ge: comparison('ge'),
    lt: comparison('lt'),
    le: comparison('le'),
    in: (property, values) => {
      if (!Array.isArray(values) || values.length === 0) {
        throw new InvalidInputError('in() needs a non-empty array of values', { field: 'in() values' });
      }
      const target = path(property, 'in() property');
      const literals = values.map((v, index) => value(v, `in() value ${index + 1}`));
      // OData v3 has no `in`: the equivalent or-chain, parenthesised so it combines like one comparison.
      if (dialect === 'v3') return new FilterExpression(`(${literals.map((l) => `${target} eq ${l}`).join(' or ')})`, Precedence.Primary);
      return new FilterExpression(`${target} in (${literals.join(',')})`, Precedence.Comparison);
    },
    and: (...conditions) => combine('and', Precedence.And, conditions),
    or: (...conditions) => combine('or', Precedence.Or, conditions),
    not: (condition) => {
      assertExpression(condition, 'not() condition');
      return new FilterExpression(`not ${wrap(condition, Precedence.Not)}`, Precedence.Not);
    },
    // OData v3 spells contains(a,b) as substringof(b,a).
    contains:
      dialect === 'v3'
        ? (source, text) =>
            new FilterExpression(`substringof(${value(text, 'contains() text')},${operand(source, 'contains() source')})`, Precedence.Primary)
        : stringTest('contains'),
    startsWith: stringTest('startswith'),
    endsWith: stringTest('endswith'),
    toLower: stringFunction('tolower'),
    toUpper: stringFunction('toupper'),
    trim: stringFunction('trim'),
    length: (source) => new FilterOperand<number>(`length(${operand(source, 'length() source')})`),
    indexOf: (source, text) =>
      new FilterOperand<number>(`indexof(${operand(source, 'indexof() source')},${value(text, 'indexof() text')})`),
    prop: (property) => new FilterOperand(path(property, 'prop()')),
    any: (collection, predicate) => lambda('any', collection, predicate),
    all: (collection, predicate) => lambda('all', collection, predicate),
    raw: rawFilter,
  };
}

/**
 * Builds a typed `$filter` expression for entity type `T`.
 *
 * Example:
 *
 * {@includeCode ../../examples/transport.ts#odataFilter}
 *
 * With `{ dialect: 'v3' }` literals use OData v3 syntax, `contains` becomes `substringof` and `in` an or-chain.
 */
export function odataFilter<T = Record<string, unknown>>(
  build: (f: FilterBuilder<T>) => FilterExpression,
  options?: ODataDialectOptions,
): FilterExpression {
  const expression: unknown = build(createFilterBuilder<T>(undefined, 0, resolveDialect(options)));
  assertExpression(expression, 'filter');
  return expression;
}
