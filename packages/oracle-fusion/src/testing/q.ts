/**
 * The emulator's own parser and evaluator of ADF `q` expressions (framework version 2+), written independently
 * of the client's builder so tests can check one against the other.
 *
 * Grammar: `expr := or; or := and ('or' and)*; and := unary ('and' unary)*; unary := 'not' unary | '(' expr ')' | cond;`
 * `cond := attr (op literal | 'LIKE' literal | 'IN' '(' literal (',' literal)* ')' | 'BETWEEN' literal 'AND' literal | 'IS' ['NOT'] 'NULL')`.
 * Keywords are case-insensitive; strings are single-quoted with `''` for a quote (UNCONFIRMED).
 */

/** A parse failure; the router answers it with 400. */
export class QSyntaxError extends Error {}

/** A parsed `q` expression. */
export type QNode =
  | { kind: 'and' | 'or'; left: QNode; right: QNode }
  | { kind: 'not'; inner: QNode }
  | { kind: 'cmp'; attr: string; op: '=' | '!=' | '<>' | '<' | '<=' | '>' | '>='; value: Literal }
  | { kind: 'like'; attr: string; pattern: string }
  | { kind: 'in'; attr: string; values: Literal[] }
  | { kind: 'between'; attr: string; low: Literal; high: Literal }
  | { kind: 'null'; attr: string; negated: boolean };

/** A literal in a `q` expression: a string or a number. */
export type Literal = string | number;
type Token = { t: 'word'; v: string } | { t: 'str'; v: string } | { t: 'num'; v: number } | { t: 'op'; v: string } | { t: 'punct'; v: '(' | ')' | ',' };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new QSyntaxError('unterminated string literal');
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
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ t: 'punct', v: c });
      i++;
    } else if (/[<>=!]/.test(c)) {
      const two = text.slice(i, i + 2);
      if (['<=', '>=', '!=', '<>'].includes(two)) {
        tokens.push({ t: 'op', v: two });
        i += 2;
      } else if (c === '!') {
        throw new QSyntaxError('"!" must be followed by "="');
      } else {
        tokens.push({ t: 'op', v: c });
        i++;
      }
    } else if (/[-0-9]/.test(c)) {
      const m = /^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/.exec(text.slice(i));
      if (!m) throw new QSyntaxError(`unexpected "${c}" at ${i}`);
      tokens.push({ t: 'num', v: Number(m[0]) });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i)) as RegExpExecArray;
      tokens.push({ t: 'word', v: m[0] });
      i += m[0].length;
    } else {
      throw new QSyntaxError(`unexpected "${c}" at ${i}`);
    }
  }
  return tokens;
}

/** Parses a `q` expression, throwing {@link QSyntaxError} with a position hint. */
export function parseQ(text: string): QNode {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const isWord = (w: string) => {
    const t = peek();
    return t?.t === 'word' && t.v.toLowerCase() === w;
  };
  const expectWord = (w: string) => {
    if (!isWord(w)) throw new QSyntaxError(`expected ${w.toUpperCase()}`);
    pos++;
  };
  const literal = (): Literal => {
    const t = tokens[pos++];
    if (t?.t === 'str' || t?.t === 'num') return t.v;
    throw new QSyntaxError('expected a quoted string or a number');
  };
  const condition = (): QNode => {
    const attrToken = tokens[pos++];
    if (attrToken?.t !== 'word') throw new QSyntaxError('expected an attribute name');
    const attr = attrToken.v;
    const t = peek();
    if (t?.t === 'op') {
      pos++;
      return { kind: 'cmp', attr, op: t.v as '=', value: literal() };
    }
    if (isWord('like')) {
      pos++;
      const pattern = literal();
      if (typeof pattern !== 'string') throw new QSyntaxError('LIKE needs a quoted pattern');
      return { kind: 'like', attr, pattern };
    }
    if (isWord('in')) {
      pos++;
      if (peek()?.v !== '(') throw new QSyntaxError('IN needs a parenthesised list');
      pos++;
      const values = [literal()];
      while (peek()?.v === ',') {
        pos++;
        values.push(literal());
      }
      if (peek()?.v !== ')') throw new QSyntaxError('expected ")" after the IN list');
      pos++;
      return { kind: 'in', attr, values };
    }
    if (isWord('between')) {
      pos++;
      const low = literal();
      expectWord('and');
      return { kind: 'between', attr, low, high: literal() };
    }
    if (isWord('is')) {
      pos++;
      const negated = isWord('not');
      if (negated) pos++;
      expectWord('null');
      return { kind: 'null', attr, negated };
    }
    throw new QSyntaxError(`expected an operator after ${attr}`);
  };
  const unary = (): QNode => {
    if (isWord('not')) {
      pos++;
      return { kind: 'not', inner: unary() };
    }
    if (peek()?.v === '(') {
      pos++;
      const inner = or();
      if (peek()?.v !== ')') throw new QSyntaxError('expected ")"');
      pos++;
      return inner;
    }
    return condition();
  };
  const and = (): QNode => {
    let left = unary();
    while (isWord('and')) {
      pos++;
      left = { kind: 'and', left, right: unary() };
    }
    return left;
  };
  const or = (): QNode => {
    let left = and();
    while (isWord('or')) {
      pos++;
      left = { kind: 'or', left, right: and() };
    }
    return left;
  };
  const tree = or();
  if (pos !== tokens.length) throw new QSyntaxError('unexpected text after the expression');
  return tree;
}

/** Attributes a parsed expression refers to (the router checks them against the resource). */
export function attributesOf(node: QNode): string[] {
  switch (node.kind) {
    case 'and':
    case 'or':
      return [...attributesOf(node.left), ...attributesOf(node.right)];
    case 'not':
      return attributesOf(node.inner);
    default:
      return [node.attr];
  }
}

const ISO = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Compares an attribute value with a literal: numbers numerically, ISO timestamps as instants, else as strings. */
export function compareValues(actual: unknown, literal: Literal): number | undefined {
  if (actual === null || actual === undefined) return undefined;
  if (typeof actual === 'number') {
    const n = typeof literal === 'number' ? literal : Number(literal);
    return Number.isNaN(n) ? undefined : Math.sign(actual - n);
  }
  const text = typeof actual === 'boolean' ? String(actual) : String(actual);
  if (typeof literal === 'string' && ISO.test(text) && ISO.test(literal)) {
    const a = Date.parse(text);
    const b = Date.parse(literal);
    if (!Number.isNaN(a) && !Number.isNaN(b)) return Math.sign(a - b);
  }
  const other = String(literal);
  return text < other ? -1 : text > other ? 1 : 0;
}

function likeToRegExp(pattern: string): RegExp {
  let source = '';
  for (const ch of pattern) source += ch === '%' ? '.*' : ch === '_' ? '.' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${source}$`, 's');
}

/** Evaluates a parsed expression against one record's attributes. */
export function evaluateQ(node: QNode, record: Record<string, unknown>): boolean {
  switch (node.kind) {
    case 'and':
      return evaluateQ(node.left, record) && evaluateQ(node.right, record);
    case 'or':
      return evaluateQ(node.left, record) || evaluateQ(node.right, record);
    case 'not':
      return !evaluateQ(node.inner, record);
    case 'null': {
      const v = record[node.attr];
      const isNull = v === null || v === undefined;
      return node.negated ? !isNull : isNull;
    }
    case 'like': {
      const v = record[node.attr];
      return v !== null && v !== undefined && likeToRegExp(node.pattern).test(String(v));
    }
    case 'in':
      return node.values.some((value) => compareValues(record[node.attr], value) === 0);
    case 'between': {
      const low = compareValues(record[node.attr], node.low);
      const high = compareValues(record[node.attr], node.high);
      return low !== undefined && high !== undefined && low >= 0 && high <= 0;
    }
    case 'cmp': {
      const c = compareValues(record[node.attr], node.value);
      // Comparisons with null are unknown, hence false, as in SQL.
      if (c === undefined) return false;
      switch (node.op) {
        case '=':
          return c === 0;
        case '!=':
        case '<>':
          return c !== 0;
        case '<':
          return c < 0;
        case '<=':
          return c <= 0;
        case '>':
          return c > 0;
        case '>=':
          return c >= 0;
      }
    }
  }
  return false;
}
