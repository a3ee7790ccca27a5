/**
 * The emulator's JQL: a lexer, parser and evaluator for a useful subset of Jira's grammar, written independently
 * of the client's builder. Supported: fields `project`, `issuetype`/`type`, `status`, `key`/`issueKey`/`id`,
 * `summary`, `description`, `text`, `labels`, `cf[N]` and custom field names; operators `= != IN NOT IN ~ !~
 * IS EMPTY/NULL IS NOT EMPTY/NULL > >= < <=`; `AND`, `OR`, `NOT`, parentheses; `ORDER BY field [ASC|DESC], …`.
 * String escapes: `\" \' \\ \n \r \t \uXXXX` and `\ ` (Jira's JqlLexer). Errors carry Jira's messages.
 */
import { JiraEmulatorError } from './errors.js';

type Token =
  | { t: 'str'; v: string; quoted: boolean }
  | { t: 'op'; v: string }
  | { t: 'lp' }
  | { t: 'rp' }
  | { t: 'comma' }
  | { t: 'cf'; v: string };

/** A parsed clause tree. */
export type JqlNode =
  | { kind: 'and'; children: JqlNode[] }
  | { kind: 'or'; children: JqlNode[] }
  | { kind: 'not'; child: JqlNode }
  | { kind: 'term'; field: string; op: string; values: Array<{ v: string; quoted: boolean }>; empty?: boolean };

/** A parsed query. */
export interface ParsedJql {
  where: JqlNode | undefined;
  orderBy: Array<{ field: string; desc: boolean }>;
}

const bad = (message: string) => new JiraEmulatorError(400, { errorMessages: [message], errors: {}, warningMessages: [] });

function lex(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '(') (out.push({ t: 'lp' }), i++);
    else if (c === ')') (out.push({ t: 'rp' }), i++);
    else if (c === ',') (out.push({ t: 'comma' }), i++);
    else if (c === '"' || c === "'") {
      let v = '';
      i++;
      for (;;) {
        if (i >= input.length) throw bad(`Error in the JQL Query: The quoted string '${v}' has not been completed.`);
        const d = input[i] as string;
        if (d === c) {
          i++;
          break;
        }
        if (d === '\\') {
          const e = input[i + 1];
          const map: Record<string, string> = { '"': '"', "'": "'", '\\': '\\', n: '\n', r: '\r', t: '\t', ' ': ' ' };
          if (e !== undefined && e in map) {
            v += map[e];
            i += 2;
          } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(input.slice(i + 2, i + 6))) {
            v += String.fromCharCode(parseInt(input.slice(i + 2, i + 6), 16));
            i += 6;
          } else throw bad(`Error in the JQL Query: '\\${e ?? ''}' is an illegal JQL escape sequence.`);
          continue;
        }
        v += d;
        i++;
      }
      out.push({ t: 'str', v, quoted: true });
    } else if (/[!=~<>]/.test(c)) {
      const two = input.slice(i, i + 2);
      if (['!=', '!~', '>=', '<='].includes(two)) (out.push({ t: 'op', v: two }), (i += 2));
      else if (['=', '~', '<', '>'].includes(c)) (out.push({ t: 'op', v: c }), i++);
      else throw bad(`Error in the JQL Query: The character '${c}' is a reserved JQL character.`);
    } else {
      const m = /^cf\[(\d+)\]/i.exec(input.slice(i));
      if (m) {
        out.push({ t: 'cf', v: m[1] as string });
        i += m[0].length;
        continue;
      }
      const w = /^[^\s()",'=!~<>[\]{}]+/.exec(input.slice(i));
      if (!w) throw bad(`Error in the JQL Query: The character '${c}' is a reserved JQL character. You must enclose it in a string or use the escape '\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}' instead.`);
      out.push({ t: 'str', v: w[0], quoted: false });
      i += w[0].length;
    }
  }
  return out;
}

const word = (tok: Token | undefined, w: string) => tok?.t === 'str' && !tok.quoted && tok.v.toLowerCase() === w;

/** Parses JQL. Throws JiraEmulatorError(400) with Jira-style messages. */
export function parseJql(input: string): ParsedJql {
  const toks = lex(input);
  let p = 0;
  const peek = () => toks[p];
  const take = () => toks[p++];

  const parseOr = (): JqlNode => {
    const children = [parseAnd()];
    while (word(peek(), 'or')) (take(), children.push(parseAnd()));
    return children.length === 1 ? (children[0] as JqlNode) : { kind: 'or', children };
  };
  const parseAnd = (): JqlNode => {
    const children = [parseNot()];
    while (word(peek(), 'and')) (take(), children.push(parseNot()));
    return children.length === 1 ? (children[0] as JqlNode) : { kind: 'and', children };
  };
  const parseNot = (): JqlNode => {
    if (word(peek(), 'not')) return (take(), { kind: 'not', child: parseNot() });
    if (peek()?.t === 'lp') {
      take();
      const inner = parseOr();
      if (take()?.t !== 'rp') throw bad("Error in the JQL Query: Expecting ')' before the end of the query.");
      return inner;
    }
    return parseTerm();
  };
  const value = (): { v: string; quoted: boolean } => {
    const tok = take();
    if (tok?.t !== 'str') throw bad('Error in the JQL Query: Expecting either a value, list or function but got the end of the query.');
    return { v: tok.v, quoted: tok.quoted };
  };
  const parseTerm = (): JqlNode => {
    const f = take();
    let field: string;
    if (f?.t === 'cf') field = `cf[${f.v}]`;
    else if (f?.t === 'str') field = f.v;
    else throw bad('Error in the JQL Query: Expecting a field name.');
    const o = take();
    let op: string;
    if (o?.t === 'op') op = o.v;
    else if (word(o, 'in')) op = 'in';
    else if (word(o, 'not') && word(peek(), 'in')) (take(), (op = 'not in'));
    else if (word(o, 'is')) {
      op = word(peek(), 'not') ? (take(), 'is not') : 'is';
      const v = take();
      if (!(word(v, 'empty') || word(v, 'null'))) throw bad("Error in the JQL Query: Expecting 'EMPTY' or 'NULL' after 'IS'.");
      return { kind: 'term', field, op, values: [], empty: true };
    } else throw bad(`Error in the JQL Query: Expecting operator but got '${o && 'v' in o ? o.v : 'the end of the query'}'.`);
    if (op === 'in' || op === 'not in') {
      if (take()?.t !== 'lp') throw bad("Error in the JQL Query: Expecting '(' after IN.");
      const values = [value()];
      while (peek()?.t === 'comma') (take(), values.push(value()));
      if (take()?.t !== 'rp') throw bad("Error in the JQL Query: Expecting ')' to close the list.");
      return { kind: 'term', field, op, values };
    }
    const v = peek();
    if ((op === '=' || op === '!=') && (word(v, 'empty') || word(v, 'null'))) {
      take();
      return { kind: 'term', field, op: op === '=' ? 'is' : 'is not', values: [], empty: true };
    }
    return { kind: 'term', field, op, values: [value()] };
  };

  let where: JqlNode | undefined;
  if (toks.length > 0 && !(word(peek(), 'order') && word(toks[p + 1], 'by'))) where = parseOr();
  const orderBy: ParsedJql['orderBy'] = [];
  if (word(peek(), 'order')) {
    take();
    if (!word(take(), 'by')) throw bad("Error in the JQL Query: Expecting 'by' after 'order'.");
    do {
      if (peek()?.t === 'comma') take();
      const f = take();
      const field = f?.t === 'cf' ? `cf[${f.v}]` : f?.t === 'str' ? f.v : undefined;
      if (!field) throw bad('Error in the JQL Query: Expecting a field name after ORDER BY.');
      let desc = false;
      if (word(peek(), 'desc')) (take(), (desc = true));
      else if (word(peek(), 'asc')) take();
      orderBy.push({ field, desc });
    } while (peek()?.t === 'comma');
  }
  if (p < toks.length) {
    const rest = toks[p];
    throw bad(`Error in the JQL Query: Expecting either 'OR' or 'AND' but got '${rest && 'v' in rest ? rest.v : ')'}'.`);
  }
  return { where, orderBy };
}

/** How the evaluator sees one field of one issue. */
export interface FieldAccess {
  /** Kind decides the allowed operators: `text` supports only `~ !~ IS`, like Jira's text fields. */
  kind: 'text' | 'exact' | 'number' | 'list' | 'date';
  /** Values to compare: names, ids, keys (exact), text (text), numbers. */
  values(): Array<string | number>;
  /** Display name for messages. */
  name: string;
  /** Checks a literal against the field's domain (e.g. project exists); returns an error message or undefined. */
  checkValue?(value: string): string | undefined;
  /** Date fields: a JQL date literal as epoch ms (see `jql-dates.ts`), undefined when it is not one. */
  dateOf?(literal: string): number | undefined;
}

/** Resolves a field name of the query to its accessor for an issue, or undefined when unknown. */
export type FieldResolver = (field: string) => ((issue: unknown) => FieldAccess) | undefined;

/** Tokens of text for `~`: lower-case words. */
export function textTokens(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

function textMatches(haystack: string, query: string): boolean {
  const tokens = textTokens(haystack);
  const phrase = /^\s*"([\s\S]*)"\s*$/.exec(query);
  if (phrase) {
    const inner = (phrase[1] as string).replace(/\\(.)/g, '$1');
    const want = textTokens(inner);
    if (want.length === 0) return false;
    for (let i = 0; i + want.length <= tokens.length; i++) if (want.every((w, j) => tokens[i + j] === w)) return true;
    return false;
  }
  const terms = textTokens(query.replace(/\\(.)/g, '$1').replace(/\*(?=\s|$)/g, ' *'));
  const words = query.replace(/\\(.)/g, '$1').split(/\s+/).filter(Boolean);
  if (terms.length === 0) return false;
  return words.every((w) => {
    const prefix = w.endsWith('*');
    const ts = textTokens(w);
    return ts.every((t, idx) => tokens.some((h) => (prefix && idx === ts.length - 1 ? h.startsWith(t) : h === t)));
  });
}

/** Validates the query's fields, operators and values once (Jira reports these before searching). */
export function validateJql(parsed: ParsedJql, resolve: FieldResolver, sample: unknown): void {
  const visit = (node: JqlNode | undefined): void => {
    if (!node) return;
    if (node.kind === 'and' || node.kind === 'or') return node.children.forEach(visit);
    if (node.kind === 'not') return visit(node.child);
    const accessor = resolve(node.field);
    if (!accessor) throw bad(`Field '${node.field}' does not exist or you do not have permission to view it.`);
    const access = accessor(sample);
    const op = node.op;
    const textOps = ['~', '!~', 'is', 'is not'];
    if (access.kind === 'text' && !textOps.includes(op)) {
      throw bad(`The operator '${op.toUpperCase()}' is not supported by the '${node.field}' field.`);
    }
    if (access.kind !== 'text' && (op === '~' || op === '!~')) {
      throw bad(`The operator '${op}' is not supported by the '${node.field}' field.`);
    }
    for (const v of node.values) {
      const problem = access.checkValue?.(v.v);
      if (problem) throw bad(problem);
    }
  };
  visit(parsed.where);
}

/** True when the issue matches the clause tree. */
export function matches(node: JqlNode | undefined, issue: unknown, resolve: FieldResolver): boolean {
  if (!node) return true;
  if (node.kind === 'and') return node.children.every((c) => matches(c, issue, resolve));
  if (node.kind === 'or') return node.children.some((c) => matches(c, issue, resolve));
  if (node.kind === 'not') return !matches(node.child, issue, resolve);
  const access = (resolve(node.field) as (issue: unknown) => FieldAccess)(issue);
  const have = access.values();
  const eq = (a: string | number, b: string) => (typeof a === 'number' ? a === Number(b) : a.toLowerCase() === b.toLowerCase());
  switch (node.op) {
    case 'is':
      return have.length === 0;
    case 'is not':
      return have.length > 0;
    case '~':
      return have.some((h) => textMatches(String(h), node.values[0]?.v ?? ''));
    case '!~':
      return !have.some((h) => textMatches(String(h), node.values[0]?.v ?? ''));
    case '=':
    case 'in':
      return node.values.some((v) => have.some((h) => eq(h, v.v)));
    case '!=':
    case 'not in':
      return have.length > 0 && !node.values.some((v) => have.some((h) => eq(h, v.v)));
    default: {
      const target = node.values[0]?.v ?? '';
      return have.some((h) => {
        const a = access.kind === 'date' ? Date.parse(String(h)) : Number(h);
        const b = access.kind === 'date' ? (access.dateOf?.(target) ?? Number.NaN) : Number(target);
        if (Number.isNaN(a) || Number.isNaN(b)) return false;
        return node.op === '>' ? a > b : node.op === '>=' ? a >= b : node.op === '<' ? a < b : a <= b;
      });
    }
  }
}
