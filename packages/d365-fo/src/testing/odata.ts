/**
 * A small evaluator for the F&O subset of OData query options (FODOCS `data-entities/odata.md`): `$filter` with
 * `eq ne gt ge lt le and or not ( )`, string literals with `*` wildcards on `eq`/`ne`, numbers, booleans, `null`,
 * enum literals `Microsoft.Dynamics.DataEntities.Type'Member'` (only `eq`/`ne`, and comparing an enum field to a
 * plain string is refused as F&O does); `$select`, `$orderby`, `$top`, `$skip`, `$count`. The operators `in`
 * and `has` and the string functions are refused with 400 (listed as unsupported by that doc; current builds
 * UNCONFIRMED).
 */
import { FoEmulatorError, foErrors } from './errors.js';

/** The F&O enum namespace. */
export const ENUM_NAMESPACE = 'Microsoft.Dynamics.DataEntities';

type Value = { kind: 'string'; value: string } | { kind: 'number'; value: number } | { kind: 'boolean'; value: boolean } | { kind: 'null' } | { kind: 'enum'; type: string; member: string };
type Node =
  | { op: 'and' | 'or'; left: Node; right: Node }
  | { op: 'not'; operand: Node }
  | { op: 'cmp'; cmp: string; field: string; value: Value };

/** Field metadata the evaluator needs: which fields are enums, and of which type. */
export interface FieldTypes {
  /** Enum type name (without namespace) by field name. */
  readonly enums: Readonly<Record<string, string>>;
}

const TOKEN = /\s*(?:(\()|(\))|('(?:[^']|'')*')|([A-Za-z_][\w.]*'(?:[^']|'')*')|(-?\d+(?:\.\d+)?)|([A-Za-z_][\w/]*))/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let index = 0;
  while (index < text.length) {
    if (/^\s*$/.test(text.slice(index))) break;
    TOKEN.lastIndex = index;
    const match = TOKEN.exec(text);
    if (!match) throw foErrors.badRequest(`Syntax error at position ${index} in '${text}'.`);
    tokens.push(match[0].trim());
    index = TOKEN.lastIndex;
  }
  return tokens;
}

function literal(token: string): Value {
  if (token.startsWith("'")) return { kind: 'string', value: token.slice(1, -1).replaceAll("''", "'") };
  const enumMatch = /^([A-Za-z_][\w.]*)'((?:[^']|'')*)'$/.exec(token);
  if (enumMatch) {
    const qualified = enumMatch[1] as string;
    if (!qualified.startsWith(`${ENUM_NAMESPACE}.`)) throw foErrors.badRequest(`The enum type '${qualified}' is not a known type in namespace ${ENUM_NAMESPACE}.`);
    return { kind: 'enum', type: qualified.slice(ENUM_NAMESPACE.length + 1), member: (enumMatch[2] as string).replaceAll("''", "'") };
  }
  if (/^-?\d/.test(token)) return { kind: 'number', value: Number(token) };
  if (token === 'true' || token === 'false') return { kind: 'boolean', value: token === 'true' };
  if (token === 'null') return { kind: 'null' };
  throw foErrors.badRequest(`Unexpected token '${token}' where a literal was expected.`);
}

/** Parses a `$filter` expression. */
export function parseFilter(text: string): Node {
  const tokens = tokenize(text);
  let position = 0;
  const peek = () => tokens[position];
  const next = () => tokens[position++];
  const primary = (): Node => {
    const token = next();
    if (token === undefined) throw foErrors.badRequest(`Unexpected end of $filter '${text}'.`);
    if (token === '(') {
      const inner = or();
      if (next() !== ')') throw foErrors.badRequest(`')' expected in $filter '${text}'.`);
      return inner;
    }
    if (token === 'not') return { op: 'not', operand: primary() };
    if (peek() === '(') throw foErrors.badRequest(`The function '${token}' is not supported by this service.`);
    const cmp = next();
    if (cmp === 'in' || cmp === 'has') throw foErrors.badRequest(`The operator '${cmp}' is not supported.`);
    if (!cmp || !['eq', 'ne', 'gt', 'ge', 'lt', 'le'].includes(cmp)) throw foErrors.badRequest(`A comparison operator was expected after '${token}' in $filter '${text}'.`);
    const value = next();
    if (value === undefined) throw foErrors.badRequest(`A value was expected after '${cmp}'.`);
    return { op: 'cmp', cmp, field: token, value: literal(value) };
  };
  const and = (): Node => {
    let left = primary();
    while (peek() === 'and') {
      next();
      left = { op: 'and', left, right: primary() };
    }
    return left;
  };
  const or = (): Node => {
    let left = and();
    while (peek() === 'or') {
      next();
      left = { op: 'or', left, right: and() };
    }
    return left;
  };
  const tree = or();
  if (position !== tokens.length) throw foErrors.badRequest(`Unexpected '${tokens[position]}' in $filter '${text}'.`);
  return tree;
}

function wildcard(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'string' && typeof b === 'string') return a.localeCompare(b, 'en', { sensitivity: 'accent' });
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

/** Evaluates a parsed filter against a record (F&O compares strings case-insensitively). */
export function evaluate(node: Node, record: Record<string, unknown>, types: FieldTypes): boolean {
  switch (node.op) {
    case 'and':
      return evaluate(node.left, record, types) && evaluate(node.right, record, types);
    case 'or':
      return evaluate(node.left, record, types) || evaluate(node.right, record, types);
    case 'not':
      return !evaluate(node.operand, record, types);
    default: {
      if (!(node.field in record)) throw foErrors.badRequest(`Could not find a property named '${node.field}' on type 'Microsoft.Dynamics.DataEntities.${String(record.$type ?? 'Entity')}'.`);
      const actual = record[node.field];
      const enumType = types.enums[node.field];
      const { value } = node;
      if (enumType !== undefined) {
        if (value.kind !== 'enum') throw foErrors.badRequest(`A binary operator with incompatible types was detected. Found operand types '${ENUM_NAMESPACE}.${enumType}' and '${value.kind === 'string' ? 'Edm.String' : `Edm.${value.kind}`}' for operator kind '${node.cmp}'.`);
        if (value.type !== enumType) throw foErrors.badRequest(`A binary operator with incompatible types was detected. Found operand types '${ENUM_NAMESPACE}.${enumType}' and '${ENUM_NAMESPACE}.${value.type}'.`);
        if (node.cmp !== 'eq' && node.cmp !== 'ne') throw foErrors.badRequest(`Only 'eq' and 'ne' are supported on enum fields; got '${node.cmp}'.`);
        return (actual === value.member) === (node.cmp === 'eq');
      }
      if (value.kind === 'enum') throw foErrors.badRequest(`A binary operator with incompatible types was detected. '${node.field}' is not an enum field.`);
      const expected = value.kind === 'null' ? null : value.value;
      if (node.cmp === 'eq' || node.cmp === 'ne') {
        let equal: boolean;
        if (typeof expected === 'string' && typeof actual === 'string') equal = expected.includes('*') ? wildcard(expected).test(actual) : actual.toLowerCase() === expected.toLowerCase();
        else equal = (actual ?? null) === expected;
        return equal === (node.cmp === 'eq');
      }
      if (actual === null || actual === undefined || expected === null) return false;
      const c = compare(actual, expected);
      return node.cmp === 'gt' ? c > 0 : node.cmp === 'ge' ? c >= 0 : node.cmp === 'lt' ? c < 0 : c <= 0;
    }
  }
}

/** Parsed collection query options. */
export interface CollectionQuery {
  filter: Node | undefined;
  orderBy: { field: string; desc: boolean }[];
  top: number | undefined;
  skip: number;
  select: string[] | undefined;
  count: boolean;
  crossCompany: boolean;
}

function nonNegative(name: string, text: string | null): number | undefined {
  if (text === null) return undefined;
  if (!/^\d+$/.test(text)) throw foErrors.badRequest(`Invalid value '${text}' for ${name}: a non-negative integer is expected.`);
  return Number(text);
}

/** Reads the query options F&O supports from a URL's search params. */
export function parseCollectionQuery(query: URLSearchParams): CollectionQuery {
  const filterText = query.get('$filter');
  const orderBy = (query.get('$orderby') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((item) => {
      const [field = '', direction = 'asc'] = item.split(/\s+/);
      if (!['asc', 'desc'].includes(direction)) throw foErrors.badRequest(`Invalid $orderby direction '${direction}'.`);
      return { field, desc: direction === 'desc' };
    });
  const select = query.get('$select');
  const crossCompany = query.get('cross-company');
  if (crossCompany !== null && !['true', 'false'].includes(crossCompany.toLowerCase())) throw foErrors.badRequest(`cross-company must be true or false, got '${crossCompany}'.`);
  return {
    filter: filterText ? parseFilter(filterText) : undefined,
    orderBy,
    top: nonNegative('$top', query.get('$top')),
    skip: nonNegative('$skip', query.get('$skip')) ?? 0,
    select: select ? select.split(',').map((s) => s.trim()) : undefined,
    count: query.get('$count') === 'true',
    crossCompany: crossCompany?.toLowerCase() === 'true',
  };
}

/** Applies `$orderby` (falling back to `keys`) to rows. */
export function sortRows<R extends Record<string, unknown>>(rows: R[], orderBy: CollectionQuery["orderBy"], keys: readonly string[]): R[] {
  const order = orderBy.length > 0 ? orderBy : keys.map((field) => ({ field, desc: false }));
  return [...rows].sort((a, b) => {
    for (const { field, desc } of order) {
      const c = compare(a[field], b[field]);
      if (c !== 0) return desc ? -c : c;
    }
    return 0;
  });
}

/** Keeps `$select`ed fields (plus the etag annotation). */
export function project(row: Record<string, unknown>, select: string[] | undefined): Record<string, unknown> {
  if (!select) return row;
  const out: Record<string, unknown> = {};
  if (row['@odata.etag'] !== undefined) out['@odata.etag'] = row['@odata.etag'];
  for (const field of select) {
    if (!(field in row)) throw foErrors.badRequest(`Could not find a property named '${field}' for $select.`);
    out[field] = row[field];
  }
  return out;
}

export { FoEmulatorError };
