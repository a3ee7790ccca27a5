/**
 * The emulator's reader of `$filter`, `$orderby` and key predicates, strict per OData version the way the real
 * endpoints are: v4 refuses v3 literals (`datetime'…'`, `12.5M`) and v3 refuses v4 ones (bare ISO dates, bare
 * GUIDs, `contains`). Operands are type-checked against the published EDM types.
 */

/** A typed value read from a literal or a field. */
export interface TypedValue {
  /** EDM type, or `null` for the null literal. */
  readonly type: string | null;
  /** JavaScript value: string, number, boolean, or epoch ms for dates and times. */
  readonly value: unknown;
}

/** A bad query; the router answers 400 with this message. */
export class ODataSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ODataSyntaxError';
  }
}

type Token = { kind: 'literal'; value: TypedValue } | { kind: 'name'; text: string } | { kind: 'punct'; text: '(' | ')' | ',' };

const NUMERIC = new Set(['Edm.Int32', 'Edm.Int64', 'Edm.Decimal', 'Edm.Double']);

function tokenize(text: string, version: 'v4' | 'v3'): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const quoted = (start: number): [string, number] => {
    let value = '';
    let j = start + 1;
    for (;;) {
      if (j >= text.length) throw new ODataSyntaxError(`Unterminated string literal at position ${start} in '${text}'.`);
      if (text[j] === "'") {
        if (text[j + 1] === "'") {
          value += "'";
          j += 2;
          continue;
        }
        return [value, j + 1];
      }
      value += text[j];
      j += 1;
    }
  };
  while (i < text.length) {
    const rest = text.slice(i);
    const char = text[i] as string;
    if (char === ' ') {
      i += 1;
      continue;
    }
    if (char === '(' || char === ')' || char === ',') {
      tokens.push({ kind: 'punct', text: char });
      i += 1;
      continue;
    }
    if (char === "'") {
      const [value, end] = quoted(i);
      tokens.push({ kind: 'literal', value: { type: 'Edm.String', value } });
      i = end;
      continue;
    }
    const prefixed = /^(guid|datetime|datetimeoffset|time|X|binary)'/.exec(rest);
    if (prefixed) {
      const prefix = prefixed[1] as string;
      if (version === 'v4' && prefix !== 'binary') {
        throw new ODataSyntaxError(`Syntax error at position ${i} in '${text}': ${prefix}'…' literals are OData v3 syntax; this is an OData v4 endpoint.`);
      }
      const [value, end] = quoted(i + prefix.length);
      const type = { guid: 'Edm.Guid', datetime: 'Edm.DateTime', datetimeoffset: 'Edm.DateTimeOffset', time: 'Edm.Time', X: 'Edm.Binary', binary: 'Edm.Binary' }[prefix] as string;
      let parsed: unknown = value;
      if (type === 'Edm.DateTime') {
        if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?$/.test(value)) throw new ODataSyntaxError(`Unrecognized 'Edm.DateTime' literal 'datetime'${value}''.`);
        parsed = Date.parse(`${value}Z`);
      } else if (type === 'Edm.DateTimeOffset') {
        parsed = Date.parse(value);
        if (Number.isNaN(parsed)) throw new ODataSyntaxError(`Unrecognized 'Edm.DateTimeOffset' literal 'datetimeoffset'${value}''.`);
      } else if (type === 'Edm.Guid') parsed = value.toLowerCase();
      tokens.push({ kind: 'literal', value: { type, value: parsed } });
      i = end;
      continue;
    }
    const dateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})/.exec(rest);
    const dateOnly = /^\d{4}-\d{2}-\d{2}(?![\dT])/.exec(rest);
    const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i.exec(rest);
    if (dateTime || dateOnly || guid) {
      if (version === 'v3') {
        throw new ODataSyntaxError(`Syntax error at position ${i} in '${text}': write dates as datetime'…' and GUIDs as guid'…' on this OData v3 endpoint.`);
      }
      if (dateTime) {
        tokens.push({ kind: 'literal', value: { type: 'Edm.DateTimeOffset', value: Date.parse(dateTime[0]) } });
        i += dateTime[0].length;
      } else if (dateOnly) {
        tokens.push({ kind: 'literal', value: { type: 'Edm.Date', value: dateOnly[0] } });
        i += dateOnly[0].length;
      } else if (guid) {
        tokens.push({ kind: 'literal', value: { type: 'Edm.Guid', value: guid[0].toLowerCase() } });
        i += guid[0].length;
      }
      continue;
    }
    const number = /^-?\d+(\.\d+)?([eE][+-]?\d+)?([MmLlDdFf])?/.exec(rest);
    if (number && !/^[A-Za-z_]/.test(rest.slice(number[0].length))) {
      const suffix = number[3];
      if (suffix !== undefined && version === 'v4') {
        throw new ODataSyntaxError(`Syntax error at position ${i + number[0].length - 1} in '${text}': OData v4 numbers carry no type suffix ('${suffix}').`);
      }
      const digits = suffix === undefined ? number[0] : number[0].slice(0, -1);
      const type = suffix === undefined
        ? number[1] !== undefined || number[2] !== undefined ? 'Edm.Decimal' : 'Edm.Int32'
        : ({ m: 'Edm.Decimal', l: 'Edm.Int64', d: 'Edm.Double', f: 'Edm.Double' }[suffix.toLowerCase()] as string);
      if (version === 'v3' && suffix === undefined && number[1] !== undefined) {
        // OData v3 reads an unsuffixed fraction as Edm.Double.
        tokens.push({ kind: 'literal', value: { type: 'Edm.Double', value: Number(digits) } });
      } else {
        tokens.push({ kind: 'literal', value: { type, value: Number(digits) } });
      }
      i += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(rest);
    if (name) {
      const word = name[0];
      if (word === 'true' || word === 'false') tokens.push({ kind: 'literal', value: { type: 'Edm.Boolean', value: word === 'true' } });
      else if (word === 'null') tokens.push({ kind: 'literal', value: { type: null, value: null } });
      else tokens.push({ kind: 'name', text: word });
      i += word.length;
      continue;
    }
    throw new ODataSyntaxError(`Syntax error at position ${i} in '${text}'.`);
  }
  return tokens;
}

/** A compiled `$filter`: a predicate over records (published field names). */
export type FilterPredicate = (record: (name: string) => TypedValue) => boolean;

type Node =
  | { kind: 'value'; value: TypedValue }
  | { kind: 'field'; name: string }
  | { kind: 'call'; name: string; args: Node[] }
  | { kind: 'binary'; op: string; left: Node; right: Node }
  | { kind: 'not'; operand: Node };

const COMPARISONS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const FUNCTIONS_V4 = new Set(['contains', 'startswith', 'endswith', 'tolower', 'toupper', 'trim', 'length', 'indexof']);
const FUNCTIONS_V3 = new Set(['substringof', 'startswith', 'endswith', 'tolower', 'toupper', 'trim', 'length', 'indexof']);

/** Parses `$filter` text against the published field types (`fieldType(name)` is undefined for unknown fields). */
export function parseFilter(text: string, version: 'v4' | 'v3', fieldType: (name: string) => string | undefined, entityType: string): FilterPredicate {
  const tokens = tokenize(text, version);
  let position = 0;
  const peek = () => tokens[position];
  const isName = (word: string) => {
    const token = peek();
    return token?.kind === 'name' && token.text === word;
  };
  const expect = (punct: string) => {
    const token = tokens[position];
    if (token?.kind !== 'punct' || token.text !== punct) throw new ODataSyntaxError(`Syntax error in '${text}': '${punct}' expected.`);
    position += 1;
  };
  const primary = (): Node => {
    const token = tokens[position];
    if (!token) throw new ODataSyntaxError(`Syntax error in '${text}': expression expected at the end.`);
    position += 1;
    if (token.kind === 'literal') return { kind: 'value', value: token.value };
    if (token.kind === 'punct') {
      if (token.text !== '(') throw new ODataSyntaxError(`Syntax error in '${text}': unexpected '${token.text}'.`);
      const inner = orExpression();
      expect(')');
      return inner;
    }
    if (token.text === 'not') return { kind: 'not', operand: primary() };
    const next = peek();
    if (next?.kind === 'punct' && next.text === '(') {
      const functions = version === 'v4' ? FUNCTIONS_V4 : FUNCTIONS_V3;
      if (!functions.has(token.text)) throw new ODataSyntaxError(`An unknown function with name '${token.text}' was found.`);
      position += 1;
      const args: Node[] = [orExpression()];
      while (peek()?.kind === 'punct' && (peek() as { text: string }).text === ',') {
        position += 1;
        args.push(orExpression());
      }
      expect(')');
      return { kind: 'call', name: token.text, args };
    }
    if (fieldType(token.text) === undefined) throw new ODataSyntaxError(`Could not find a property named '${token.text}' on type '${entityType}'.`);
    return { kind: 'field', name: token.text };
  };
  const comparison = (): Node => {
    const left = primary();
    const token = peek();
    if (token?.kind === 'name' && COMPARISONS.has(token.text)) {
      position += 1;
      return { kind: 'binary', op: token.text, left, right: primary() };
    }
    if (token?.kind === 'name' && token.text === 'in') throw new ODataSyntaxError(`The 'in' operator is not supported by this endpoint.`);
    return left;
  };
  const andExpression = (): Node => {
    let left = comparison();
    while (isName('and')) {
      position += 1;
      left = { kind: 'binary', op: 'and', left, right: comparison() };
    }
    return left;
  };
  function orExpression(): Node {
    let left = andExpression();
    while (isName('or')) {
      position += 1;
      left = { kind: 'binary', op: 'or', left, right: andExpression() };
    }
    return left;
  }
  const root = orExpression();
  if (position < tokens.length) throw new ODataSyntaxError(`Syntax error at token ${position + 1} in '${text}'.`);

  const typeOf = (node: Node): string | null => {
    switch (node.kind) {
      case 'value':
        return node.value.type;
      case 'field':
        return fieldType(node.name) ?? null;
      case 'call':
        return ['length', 'indexof'].includes(node.name) ? 'Edm.Int32' : ['tolower', 'toupper', 'trim'].includes(node.name) ? 'Edm.String' : 'Edm.Boolean';
      default:
        return 'Edm.Boolean';
    }
  };
  const fieldsOf = (node: Node): Set<string> => {
    if (node.kind === 'field') return new Set([node.name]);
    if (node.kind === 'value') return new Set();
    const children = node.kind === 'binary' ? [node.left, node.right] : node.kind === 'not' ? [node.operand] : node.args;
    return new Set(children.flatMap((child) => [...fieldsOf(child)]));
  };
  const check = (node: Node): void => {
    if (node.kind === 'binary') {
      check(node.left);
      check(node.right);
      // BCDOCS odata-known-limitations: OR across different fields is refused.
      if (node.op === 'or' && fieldsOf(node).size > 1) {
        throw new ODataSyntaxError("An error occurred while processing this request. The 'OR' operator is not supported on distinct fields on an OData filter.");
      }
      if (COMPARISONS.has(node.op)) {
        const [a, b] = [typeOf(node.left), typeOf(node.right)];
        const compatible = a === null || b === null || a === b || (NUMERIC.has(a) && NUMERIC.has(b));
        if (!compatible) {
          throw new ODataSyntaxError(`A binary operator with incompatible types was detected. Found operand types '${a}' and '${b}' for operator kind '${node.op}'.`);
        }
      }
    } else if (node.kind === 'not') check(node.operand);
    else if (node.kind === 'call') node.args.forEach(check);
  };
  check(root);

  const evaluate = (node: Node, record: (name: string) => TypedValue): unknown => {
    switch (node.kind) {
      case 'value':
        return node.value.value;
      case 'field':
        return record(node.name).value;
      case 'not':
        return !evaluate(node.operand, record);
      case 'call': {
        const args = node.args.map((arg) => evaluate(arg, record));
        const s = (index: number) => String(args[index] ?? '');
        switch (node.name) {
          case 'contains':
            return s(0).includes(s(1));
          case 'substringof':
            return s(1).includes(s(0));
          case 'startswith':
            return s(0).startsWith(s(1));
          case 'endswith':
            return s(0).endsWith(s(1));
          case 'tolower':
            return s(0).toLowerCase();
          case 'toupper':
            return s(0).toUpperCase();
          case 'trim':
            return s(0).trim();
          case 'length':
            return s(0).length;
          default:
            return s(0).indexOf(s(1));
        }
      }
      case 'binary': {
        if (node.op === 'and') return Boolean(evaluate(node.left, record)) && Boolean(evaluate(node.right, record));
        if (node.op === 'or') return Boolean(evaluate(node.left, record)) || Boolean(evaluate(node.right, record));
        const [l, r] = [evaluate(node.left, record), evaluate(node.right, record)];
        if (l === null || r === null) return node.op === 'eq' ? l === r : node.op === 'ne' ? l !== r : false;
        const order = compareValues(l, r);
        return { eq: order === 0, ne: order !== 0, gt: order > 0, ge: order >= 0, lt: order < 0, le: order <= 0 }[node.op];
      }
    }
  };
  return (record) => Boolean(evaluate(root, record));
}

/** Orders two values of one type. */
export function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const [x, y] = [String(a), String(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Parses a key predicate `('V1')` or `(Document_Type='Order',No='106001')` into published field → value. */
export function parseKeyPredicate(text: string, keys: readonly string[], version: 'v4' | 'v3'): Record<string, unknown> {
  if (!text.startsWith('(') || !text.endsWith(')')) throw new ODataSyntaxError(`Bad key segment '${text}'.`);
  // Split on commas outside quotes; each part is `value` or `Name=value`.
  const parts: string[] = [];
  let current = '';
  let inQuote = false;
  for (const char of text.slice(1, -1)) {
    if (char === "'") inQuote = !inQuote;
    if (char === ',' && !inQuote) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  const literal = (source: string): unknown => {
    const read = tokenize(source, version);
    if (read.length !== 1 || read[0]?.kind !== 'literal') throw new ODataSyntaxError(`Bad key value '${source}'.`);
    return read[0].value.value;
  };
  if (parts.length === 1 && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(parts[0] as string)) {
    if (keys.length !== 1) throw new ODataSyntaxError(`The key of this entity set has ${keys.length} parts; name them: (${keys.map((k) => `${k}=…`).join(',')}).`);
    return { [keys[0] as string]: literal(parts[0] as string) };
  }
  const out: Record<string, unknown> = {};
  for (const part of parts) {
    const eq = part.indexOf('=');
    const name = part.slice(0, eq);
    if (!keys.includes(name)) throw new ODataSyntaxError(`'${name}' is not a key property; the key is (${keys.join(',')}).`);
    out[name] = literal(part.slice(eq + 1));
  }
  if (Object.keys(out).length !== keys.length) throw new ODataSyntaxError(`The key needs all of (${keys.join(',')}).`);
  return out;
}
