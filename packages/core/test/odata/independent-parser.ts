// A deliberately separate, minimal reader for `$filter` text and key predicates. It shares no code with the
// builders, so the property tests check the builders against an independent reading of the OData grammar.

/** A lexical token of `$filter` / key predicate text. */
export type Token =
  | { kind: 'string'; value: string }
  | { kind: 'number'; text: string }
  | { kind: 'name'; text: string }
  | { kind: 'punct'; text: '(' | ')' | ',' | '=' };

/** Splits OData expression text into tokens; a string literal ends at a single quote, `''` stands for `'`. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i] as string;
    if (char === ' ') {
      i += 1;
    } else if (char === "'") {
      let value = '';
      i += 1;
      for (;;) {
        if (i >= text.length) throw new Error(`unterminated string literal in ${text}`);
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        value += text[i];
        i += 1;
      }
      tokens.push({ kind: 'string', value });
    } else if (char === '(' || char === ')' || char === ',' || char === '=') {
      tokens.push({ kind: 'punct', text: char });
      i += 1;
    } else {
      const match = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[A-Za-z_$][A-Za-z0-9_./$]*)/.exec(text.slice(i));
      if (!match) throw new Error(`unexpected character ${JSON.stringify(char)} at ${i} in ${text}`);
      tokens.push(/^-?\d/.test(match[0]) ? { kind: 'number', text: match[0] } : { kind: 'name', text: match[0] });
      i += match[0].length;
    }
  }
  return tokens;
}

/** The expression tree read by {@link parseFilter}; `and`/`or` are flattened, since both are associative. */
export type FilterNode =
  | { kind: 'and' | 'or'; children: FilterNode[] }
  | { kind: 'not'; child: FilterNode }
  | { kind: 'compare'; operator: string; left: FilterNode; right: FilterNode }
  | { kind: 'call'; name: string; args: FilterNode[] }
  | { kind: 'property'; path: string }
  | { kind: 'string'; value: string }
  | { kind: 'number'; text: string };

const COMPARISONS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);

/** Parses `$filter` text with OData precedence: or < and < comparison < not < primary. */
export function parseFilter(text: string): FilterNode {
  const tokens = tokenize(text);
  let position = 0;
  const peek = () => tokens[position];
  const isName = (name: string) => {
    const token = peek();
    return token?.kind === 'name' && token.text === name;
  };
  const expectPunct = (punct: string) => {
    const token = tokens[position++];
    if (token?.kind !== 'punct' || token.text !== punct) throw new Error(`expected ${punct} at token ${position - 1} in ${text}`);
  };
  const flatten = (kind: 'and' | 'or', nodes: FilterNode[]): FilterNode =>
    nodes.length === 1 ? (nodes[0] as FilterNode) : { kind, children: nodes.flatMap((n) => (n.kind === kind ? n.children : [n])) };

  const parseOr = (): FilterNode => {
    const nodes = [parseAnd()];
    while (isName('or')) {
      position += 1;
      nodes.push(parseAnd());
    }
    return flatten('or', nodes);
  };
  const parseAnd = (): FilterNode => {
    const nodes = [parseComparison()];
    while (isName('and')) {
      position += 1;
      nodes.push(parseComparison());
    }
    return flatten('and', nodes);
  };
  const parseComparison = (): FilterNode => {
    const left = parseUnary();
    const token = peek();
    if (token?.kind === 'name' && COMPARISONS.has(token.text)) {
      position += 1;
      return { kind: 'compare', operator: token.text, left, right: parseUnary() };
    }
    return left;
  };
  const parseUnary = (): FilterNode => {
    if (isName('not')) {
      position += 1;
      return { kind: 'not', child: parseUnary() };
    }
    return parsePrimary();
  };
  const parsePrimary = (): FilterNode => {
    const token = tokens[position++];
    if (!token) throw new Error(`unexpected end of ${text}`);
    if (token.kind === 'string') return { kind: 'string', value: token.value };
    if (token.kind === 'number') return { kind: 'number', text: token.text };
    if (token.kind === 'punct' && token.text === '(') {
      const inner = parseOr();
      expectPunct(')');
      return inner;
    }
    if (token.kind === 'name') {
      const next = peek();
      if (next?.kind === 'punct' && next.text === '(') {
        position += 1;
        const args = [parseOr()];
        while (peek()?.kind === 'punct' && (peek() as { text: string }).text === ',') {
          position += 1;
          args.push(parseOr());
        }
        expectPunct(')');
        return { kind: 'call', name: token.text, args };
      }
      return { kind: 'property', path: token.text };
    }
    throw new Error(`unexpected ${JSON.stringify(token)} in ${text}`);
  };

  const tree = parseOr();
  if (position !== tokens.length) throw new Error(`trailing tokens in ${text}`);
  return tree;
}

/** Reads a key predicate: `('a')` → `'a'` as a string token, `(k='v',n=1)` → `{ k: 'v', n: '1' }`. */
export function parseKeyPredicate(text: string): string | Record<string, string> {
  const tokens = tokenize(text);
  const literal = (token: Token | undefined): string => {
    if (token?.kind === 'string') return token.value;
    if (token?.kind === 'number') return token.text;
    throw new Error(`expected a literal in ${text}`);
  };
  if (tokens[0]?.kind !== 'punct' || tokens.at(-1)?.kind !== 'punct') throw new Error(`not parenthesised: ${text}`);
  const inner = tokens.slice(1, -1);
  if (inner.length === 1) return literal(inner[0]);
  const key: Record<string, string> = {};
  for (let i = 0; i < inner.length; i += 4) {
    const [name, equals, value, separator] = inner.slice(i, i + 4);
    if (name?.kind !== 'name' || equals?.kind !== 'punct' || equals.text !== '=') throw new Error(`bad key part in ${text}`);
    if (separator !== undefined && (separator.kind !== 'punct' || separator.text !== ',')) throw new Error(`bad separator in ${text}`);
    key[name.text] = literal(value);
  }
  return key;
}
