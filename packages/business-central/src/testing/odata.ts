/**
 * A small OData v4 query evaluator for the emulator: `$filter` (eq ne gt ge lt le, and or not, parentheses,
 * string literals with doubled quotes, GUIDs, dates, date-times, numbers, booleans, null, contains/startswith/
 * endswith/tolower/toupper), `$orderby`, `$select`, `$expand` (nested options), `$top`, `$skip`, `$count`.
 * Anything else is rejected with a 400, never silently ignored, except OData 4.01's `in`, which BC itself is
 * reported to ignore (see {@link FilterRules}). Independent of core's OData builder on purpose.
 */
import { bcErrors } from './errors.js';
import type { FieldSpec, FieldType, NavSpec } from './model.js';

/** What a query is evaluated against: field specs, navigation properties and the EDM type name. */
export interface QueryTarget {
  type: string;
  fields: Readonly<Record<string, FieldSpec>>;
  nav: Readonly<Record<string, NavSpec>>;
}

/** Parsed `$expand` item. */
export interface ExpandItem {
  nav: string;
  options: QueryOptions;
}

/** One `$orderby` term. */
export interface OrderTerm {
  field: string;
  type: FieldType;
  descending: boolean;
}

/** Parsed query options. */
export interface QueryOptions {
  filter?: (get: (field: string) => unknown) => boolean;
  orderby?: OrderTerm[];
  select?: string[];
  expand?: ExpandItem[];
  top?: number;
  skip?: number;
  count?: boolean;
  skiptoken?: string;
}

/**
 * How the emulator treats two things Business Central's OData stack limits in `$filter`:
 * - `inOperator`: OData 4.01's `field in (…)`. BCDOCS (`use-filter-expressions-in-odata-uris`) lists it but notes
 *   it works only with `$schemaversion=2.1` on published web services; on API v2.0 it is reported to be silently
 *   ignored, returning the unfiltered table (microsoft/ALAppExtensions#25734, `items?$filter=number in (…)`;
 *   microsoft/AL#7761 for ODataV4 queries). `'ignore'` (default) does that: the `in` term matches every row.
 *   `'reject'` answers 400 with BC's error envelope; `'support'` evaluates it. UNCONFIRMED which one a given
 *   BC version does, hence configurable.
 * - `maxNodes`: ASP.NET OData's `MaxNodeCount` (default 100), which BC reports as "The node count limit of '100'
 *   has been exceeded" for long `or` chains (community report on a BC API page, 2024). Nodes are counted as
 *   OData WebApi's `FilterQueryValidator` does: every operator, literal, function call and property access, a
 *   property access counting its `$it` source too, so `number eq 'V1'` is 4 nodes and an `or` chain of 20 such
 *   terms is 99. The status and code of that error are UNCONFIRMED (400 `BadRequest` here).
 */
export interface FilterRules {
  /** What `field in (…)` does: match every row (`ignore`), answer 400 (`reject`) or evaluate it (`support`). */
  inOperator: 'ignore' | 'reject' | 'support';
  /** Most nodes a `$filter` may have (`MaxNodeCount`). */
  maxNodes: number;
}

/** The defaults of {@link FilterRules}. */
export const DEFAULT_FILTER_RULES: Readonly<FilterRules> = Object.freeze({ inOperator: 'ignore', maxNodes: 100 });

const SUPPORTED_TOP = new Set(['$filter', '$orderby', '$select', '$expand', '$top', '$skip', '$count', '$skiptoken', '$format', '$schemaversion']);
const SUPPORTED_NESTED = new Set(['$filter', '$orderby', '$select', '$expand', '$top', '$skip']);

/**
 * Parses the query options of a request against `target`. `resolveNav` gives the target of a navigation
 * property (for nested `$expand` options).
 */
export function parseQueryOptions(
  params: Iterable<[string, string]>,
  target: QueryTarget,
  resolveNav: (nav: NavSpec) => QueryTarget,
  nested = false,
  rules: Readonly<FilterRules> = DEFAULT_FILTER_RULES,
): QueryOptions {
  const options: QueryOptions = {};
  for (const [rawName, value] of params) {
    const name = rawName.trim();
    if (!name.startsWith('$')) continue; // custom parameters such as `company` are handled by the router
    const allowed = nested ? SUPPORTED_NESTED : SUPPORTED_TOP;
    if (!allowed.has(name)) throw bcErrors.querySyntax(`The query parameter '${name}' is not supported`);
    switch (name) {
      case '$filter':
        options.filter = compileFilter(value, target, rules);
        break;
      case '$orderby':
        options.orderby = parseOrderBy(value, target);
        break;
      case '$select':
        options.select = parseSelect(value, target);
        break;
      case '$expand':
        options.expand = parseExpand(value, target, resolveNav, rules);
        break;
      case '$top':
      case '$skip': {
        if (!/^\d+$/.test(value.trim())) throw bcErrors.querySyntax(`Invalid value '${value}' for ${name} query option found. The ${name} query option requires a non-negative integer value`);
        options[name === '$top' ? 'top' : 'skip'] = Number(value.trim());
        break;
      }
      case '$count': {
        const v = value.trim().toLowerCase();
        if (v !== 'true' && v !== 'false') throw bcErrors.querySyntax(`'${value}' is not a valid count option`);
        options.count = v === 'true';
        break;
      }
      case '$skiptoken':
        options.skiptoken = value;
        break;
      case '$format':
        if (value.trim().toLowerCase() !== 'json') throw bcErrors.querySyntax(`The $format '${value}' is not supported`);
        break;
      case '$schemaversion':
        break;
    }
  }
  return options;
}

function fieldOf(target: QueryTarget, name: string): FieldSpec {
  const spec = target.fields[name];
  if (!spec) throw bcErrors.querySyntax(`Could not find a property named '${name}' on type 'Microsoft.NAV.${target.type}'`);
  return spec;
}

/** Splits on `sep` at parenthesis depth 0, outside quotes. */
export function splitTopLevel(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'") quoted = !quoted;
    else if (!quoted && ch === '(') depth++;
    else if (!quoted && ch === ')') depth--;
    else if (!quoted && depth === 0 && ch === sep) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0 || quoted) throw bcErrors.querySyntax(`Syntax error: unbalanced parentheses or quotes in '${text}'`);
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

function parseSelect(value: string, target: QueryTarget): string[] {
  const fields = splitTopLevel(value, ',');
  for (const f of fields) {
    if (f === '*') continue;
    if (!target.fields[f] && !target.nav[f]) fieldOf(target, f);
  }
  return fields;
}

function parseOrderBy(value: string, target: QueryTarget): OrderTerm[] {
  return splitTopLevel(value, ',').map((term) => {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:\s+(asc|desc))?$/i.exec(term);
    if (!m) throw bcErrors.querySyntax(`Syntax error in $orderby term '${term}'`);
    const field = m[1] as string;
    return { field, type: fieldOf(target, field).type, descending: (m[2] ?? 'asc').toLowerCase() === 'desc' };
  });
}

function parseExpand(value: string, target: QueryTarget, resolveNav: (nav: NavSpec) => QueryTarget, rules: Readonly<FilterRules>): ExpandItem[] {
  return splitTopLevel(value, ',').map((item) => {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*(?:\((.*)\))?$/s.exec(item);
    if (!m) throw bcErrors.querySyntax(`Syntax error in $expand item '${item}'`);
    const navName = m[1] as string;
    const nav = target.nav[navName];
    if (!nav) throw bcErrors.querySyntax(`Could not find a property named '${navName}' on type 'Microsoft.NAV.${target.type}'`);
    const inner = m[2] ?? '';
    const pairs = splitTopLevel(inner, ';').map((opt): [string, string] => {
      const eq = opt.indexOf('=');
      if (eq < 0) throw bcErrors.querySyntax(`Syntax error in $expand options '${opt}'`);
      return [opt.slice(0, eq).trim(), opt.slice(eq + 1)];
    });
    return { nav: navName, options: parseQueryOptions(pairs, resolveNav(nav), resolveNav, true, rules) };
  });
}

// ---------------------------------------------------------------------------------------------------------
// $filter

type Token =
  | { t: 'str'; v: string }
  | { t: 'num'; v: number }
  | { t: 'guid'; v: string }
  | { t: 'date'; v: string }
  | { t: 'datetime'; v: string }
  | { t: 'id'; v: string }
  | { t: '(' }
  | { t: ')' }
  | { t: ',' };

const GUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/;
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2})/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}(?![\dT])/;
const NUM_RE = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w-])/;
const ID_RE = /^[A-Za-z_][A-Za-z0-9_]*/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ t: ch });
      i++;
      continue;
    }
    if (ch === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw bcErrors.querySyntax(`There is an unterminated string literal at position ${i} in '${text}'`);
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i];
        i++;
      }
      tokens.push({ t: 'str', v: value });
      continue;
    }
    const rest = text.slice(i);
    let m: RegExpExecArray | null;
    if ((m = GUID_RE.exec(rest))) tokens.push({ t: 'guid', v: m[0].toLowerCase() });
    else if ((m = DATETIME_RE.exec(rest))) tokens.push({ t: 'datetime', v: m[0] });
    else if ((m = DATE_RE.exec(rest))) tokens.push({ t: 'date', v: m[0] });
    else if ((m = NUM_RE.exec(rest))) tokens.push({ t: 'num', v: Number(m[0]) });
    else if ((m = ID_RE.exec(rest))) {
      if (rest[m[0].length] === "'") throw bcErrors.querySyntax(`Typed literal '${m[0]}'...' is not supported in OData v4; write the value without a type prefix`);
      if (rest[m[0].length] === '/') throw bcErrors.querySyntax(`Navigation paths in $filter are not supported by the emulator (at '${m[0]}/')`);
      tokens.push({ t: 'id', v: m[0] });
    } else throw bcErrors.querySyntax(`Syntax error at position ${i} in '${text}'`);
    i += (m as RegExpExecArray)[0].length;
  }
  return tokens;
}

/** A typed value node in the compiled filter. */
interface ValueNode {
  type: FieldType | 'null';
  /** Literal (true) or property (false). */
  literal: boolean;
  eval: (get: (field: string) => unknown) => unknown;
  describe: string;
  /** Nodes OData's validator counts for this operand (a property access 2: itself and its `$it` source). */
  nodes: number;
}

const COMPARISON = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const UNSUPPORTED_OPS = new Set(['has', 'add', 'sub', 'mul', 'div', 'mod', 'any', 'all']);
const STRING_BOOL_FUNCS = new Set(['contains', 'startswith', 'endswith']);
const STRING_FUNCS = new Set(['tolower', 'toupper', 'trim']);

const EDM: Record<string, string> = {
  string: 'Edm.String',
  guid: 'Edm.Guid',
  number: 'Edm.Decimal',
  int: 'Edm.Int32',
  boolean: 'Edm.Boolean',
  date: 'Edm.Date',
  datetime: 'Edm.DateTimeOffset',
  null: 'null',
};

/** Normalises a stored or literal value of `type` to a comparable JS value. */
function normalise(type: FieldType | 'null', value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'guid':
      return String(value).toLowerCase();
    case 'date':
      return Date.parse(`${String(value).slice(0, 10)}T00:00:00Z`);
    case 'datetime':
      return Date.parse(String(value));
    default:
      return value;
  }
}

/** Compiles a `$filter` expression into a predicate over field getters. */
export function compileFilter(
  text: string,
  target: QueryTarget,
  rules: Readonly<FilterRules> = DEFAULT_FILTER_RULES,
): (get: (field: string) => unknown) => boolean {
  const tokens = tokenize(text);
  let pos = 0;
  let nodes = 0;
  const peek = () => tokens[pos];
  const isWord = (word: string) => {
    const tok = peek();
    return tok?.t === 'id' && tok.v.toLowerCase() === word;
  };
  const expect = (t: '(' | ')' | ',') => {
    if (peek()?.t !== t) throw bcErrors.querySyntax(`'${t}' expected at position ${pos} in '${text}'`);
    pos++;
  };

  type Bool = (get: (field: string) => unknown) => boolean;

  const parseOr = (): Bool => {
    let left = parseAnd();
    while (isWord('or')) {
      pos++;
      nodes++;
      const l = left;
      const r = parseAnd();
      left = (get) => l(get) || r(get);
    }
    return left;
  };
  const parseAnd = (): Bool => {
    let left = parseUnary();
    while (isWord('and')) {
      pos++;
      nodes++;
      const l = left;
      const r = parseUnary();
      left = (get) => l(get) && r(get);
    }
    return left;
  };
  const parseUnary = (): Bool => {
    if (isWord('not')) {
      pos++;
      nodes++;
      const inner = parseUnary();
      return (get) => !inner(get);
    }
    return parseComparison();
  };
  const parseComparison = (): Bool => {
    if (peek()?.t === '(') {
      // Parenthesised boolean expression.
      pos++;
      const inner = parseOr();
      expect(')');
      return inner;
    }
    const left = parseValue();
    const opTok = peek();
    if (opTok?.t === 'id' && COMPARISON.has(opTok.v.toLowerCase())) {
      pos++;
      nodes++;
      const right = parseValue();
      return comparison(opTok.v.toLowerCase(), left, right);
    }
    if (opTok?.t === 'id' && opTok.v === 'in') {
      pos++;
      return inList(left);
    }
    if (opTok?.t === 'id' && UNSUPPORTED_OPS.has(opTok.v.toLowerCase())) {
      throw bcErrors.querySyntax(`The operator '${opTok.v}' is not supported`);
    }
    if (left.type === 'boolean') return (get) => left.eval(get) === true;
    throw bcErrors.querySyntax(`Comparison operator expected after '${left.describe}' in '${text}'`);
  };
  const parseValue = (): ValueNode => {
    const tok = peek();
    if (!tok) throw bcErrors.querySyntax(`Expression expected at position ${pos} in '${text}'`);
    pos++;
    switch (tok.t) {
      case 'str':
        return literal({ type: 'string', literal: true, eval: () => tok.v, describe: `'${tok.v}'`, nodes: 1 });
      case 'num':
        return literal({ type: Number.isInteger(tok.v) ? 'int' : 'number', literal: true, eval: () => tok.v, describe: String(tok.v), nodes: 1 });
      case 'guid':
        return literal({ type: 'guid', literal: true, eval: () => tok.v, describe: tok.v, nodes: 1 });
      case 'date':
        return literal({ type: 'date', literal: true, eval: () => tok.v, describe: tok.v, nodes: 1 });
      case 'datetime':
        return literal({ type: 'datetime', literal: true, eval: () => tok.v, describe: tok.v, nodes: 1 });
      case 'id': {
        const word = tok.v;
        const lower = word.toLowerCase();
        if (lower === 'true' || lower === 'false') return literal({ type: 'boolean', literal: true, eval: () => lower === 'true', describe: lower, nodes: 1 });
        if (lower === 'null') return literal({ type: 'null', literal: true, eval: () => null, describe: 'null', nodes: 1 });
        if (peek()?.t === '(') return parseCall(word);
        const spec = fieldOf(target, word);
        nodes += 2;
        return { type: spec.type, literal: false, eval: (get) => get(word), describe: word, nodes: 2 };
      }
      default:
        throw bcErrors.querySyntax(`Expression expected at position ${pos - 1} in '${text}'`);
    }
  };
  const parseCall = (name: string): ValueNode => {
    const lower = name.toLowerCase();
    if (!STRING_BOOL_FUNCS.has(lower) && !STRING_FUNCS.has(lower)) {
      throw bcErrors.querySyntax(`The function '${name}' is not supported`);
    }
    expect('(');
    nodes++;
    const args: ValueNode[] = [parseValue()];
    while (peek()?.t === ',') {
      pos++;
      args.push(parseValue());
    }
    expect(')');
    for (const arg of args) {
      if (arg.type !== 'string' && arg.type !== 'null') {
        throw bcErrors.querySyntax(`No function signature for the function with name '${name}' matches the specified arguments (${EDM[arg.type]})`);
      }
    }
    const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));
    if (STRING_FUNCS.has(lower)) {
      if (args.length !== 1) throw bcErrors.querySyntax(`The function '${name}' takes one argument`);
      const a = args[0] as ValueNode;
      const fn = lower === 'tolower' ? (s: string) => s.toLowerCase() : lower === 'toupper' ? (s: string) => s.toUpperCase() : (s: string) => s.trim();
      return { type: 'string', literal: false, eval: (get) => fn(str(a.eval(get))), describe: `${name}(${a.describe})`, nodes: 1 + a.nodes };
    }
    if (args.length !== 2) throw bcErrors.querySyntax(`The function '${name}' takes two arguments`);
    const [a, b] = args as [ValueNode, ValueNode];
    const test =
      lower === 'contains'
        ? (x: string, y: string) => x.includes(y)
        : lower === 'startswith'
          ? (x: string, y: string) => x.startsWith(y)
          : (x: string, y: string) => x.endsWith(y);
    return { type: 'boolean', literal: false, eval: (get) => test(str(a.eval(get)), str(b.eval(get))), describe: `${name}(...)`, nodes: 1 + a.nodes + b.nodes };
  };
  const literal = (node: ValueNode): ValueNode => {
    nodes += node.nodes;
    return node;
  };
  /** `left in (v1, v2, …)`: one InNode for the validator, which does not descend into it. */
  const inList = (left: ValueNode): Bool => {
    if (rules.inOperator === 'reject') throw bcErrors.querySyntax(`The operator 'in' is not supported`);
    nodes -= left.nodes;
    nodes++;
    expect('(');
    const items: ValueNode[] = [];
    const before = nodes;
    for (;;) {
      items.push(parseValue());
      if (peek()?.t !== ',') break;
      pos++;
    }
    expect(')');
    nodes = before;
    if (rules.inOperator === 'ignore') return () => true;
    const tests = items.map((item) => comparison('eq', left, item));
    return (get) => tests.some((test) => test(get));
  };

  const comparison = (op: string, left: ValueNode, right: ValueNode): Bool => {
    const type = unify(op, left, right);
    const l = (get: (field: string) => unknown) => normalise(type, left.eval(get));
    const r = (get: (field: string) => unknown) => normalise(type, right.eval(get));
    const cmp = (a: unknown, b: unknown): number => {
      if (typeof a === 'number' && typeof b === 'number') return a - b;
      const sa = String(a);
      const sb = String(b);
      return sa < sb ? -1 : sa > sb ? 1 : 0;
    };
    switch (op) {
      case 'eq':
        return (get) => l(get) === r(get);
      case 'ne':
        return (get) => l(get) !== r(get);
      default:
        return (get) => {
          const a = l(get);
          const b = r(get);
          if (a === null || b === null) return false;
          const c = cmp(a, b);
          return op === 'gt' ? c > 0 : op === 'ge' ? c >= 0 : op === 'lt' ? c < 0 : c <= 0;
        };
    }
  };

  const unify = (op: string, left: ValueNode, right: ValueNode): FieldType | 'null' => {
    const numeric = (t: string) => t === 'number' || t === 'int';
    if (left.type === 'null') return right.type;
    if (right.type === 'null') return left.type;
    if (left.type === right.type) return left.type;
    if (numeric(left.type) && numeric(right.type)) return 'number';
    // A literal may be written as a string for GUIDs/dates (BC accepts both forms).
    const prop = !left.literal ? left : right;
    const lit = left.literal ? left : right;
    if (lit.literal && !prop.literal) {
      if (prop.type === 'guid' && lit.type === 'string' && GUID_RE.test(String(lit.eval(() => undefined)))) return 'guid';
      if (prop.type === 'date' && lit.type === 'datetime') return 'date';
      if (prop.type === 'datetime' && lit.type === 'date') return 'datetime';
    }
    throw bcErrors.querySyntax(
      `A binary operator with incompatible types was detected. Found operand types '${EDM[left.type]}' and '${EDM[right.type]}' for operator kind '${op}'`,
    );
  };

  const predicate = parseOr();
  if (pos < tokens.length) throw bcErrors.querySyntax(`Syntax error at position ${pos} in '${text}'`);
  if (nodes > rules.maxNodes) {
    throw bcErrors.badRequest(
      `The node count limit of '${rules.maxNodes}' has been exceeded. To increase the limit, set the 'MaxNodeCount' property on EnableQueryAttribute or ODataValidationSettings`,
    );
  }
  return predicate;
}

/** Compares two values of a field type for `$orderby`. */
export function compareTyped(type: FieldType, a: unknown, b: unknown): number {
  const x = normalise(type, a);
  const y = normalise(type, b);
  if (x === y) return 0;
  if (x === null) return -1;
  if (y === null) return 1;
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  if (typeof x === 'boolean' && typeof y === 'boolean') return x ? 1 : -1;
  const sx = String(x);
  const sy = String(y);
  return sx < sy ? -1 : sx > sy ? 1 : 0;
}
