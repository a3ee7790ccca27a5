/**
 * Server-side ADF validation, written independently of the client's builder: the document must be
 * `{ type: 'doc', version: 1, content: [...] }` with known node types, non-empty text, and marks only on text.
 * Rules from developer.atlassian.com/cloud/jira/platform/apis/document/structure/ (subset of nodes).
 */
const BLOCKS = new Set(['paragraph', 'heading', 'bulletList', 'orderedList', 'codeBlock', 'rule', 'blockquote', 'panel', 'table', 'mediaSingle']);
const INLINE = new Set(['text', 'hardBreak', 'mention', 'emoji', 'inlineCard', 'date', 'status']);
const MARKS = new Set(['strong', 'em', 'code', 'strike', 'underline', 'link', 'subsup', 'textColor']);
const CHILDREN: Record<string, Set<string>> = {
  doc: BLOCKS,
  paragraph: INLINE,
  heading: INLINE,
  bulletList: new Set(['listItem']),
  orderedList: new Set(['listItem']),
  listItem: new Set(['paragraph', 'bulletList', 'orderedList', 'codeBlock']),
  codeBlock: new Set(['text']),
  blockquote: new Set(['paragraph', 'bulletList', 'orderedList']),
  panel: new Set(['paragraph', 'heading', 'bulletList', 'orderedList']),
};

/** Returns a problem description, or undefined when `value` is a valid ADF document. */
export function adfProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an object';
  const doc = value as Record<string, unknown>;
  if (doc.type !== 'doc') return 'root type must be doc';
  if (doc.version !== 1) return 'version must be 1';
  return nodeProblem(doc, 'doc', 0);
}

function nodeProblem(node: Record<string, unknown>, type: string, depth: number): string | undefined {
  if (depth > 50) return 'nesting too deep';
  if (type === 'text') {
    if (typeof node.text !== 'string' || node.text.length === 0) return 'text nodes need non-empty text';
    if (node.marks !== undefined) {
      if (!Array.isArray(node.marks)) return 'marks must be an array';
      for (const mark of node.marks as unknown[]) {
        const m = mark as { type?: unknown; attrs?: { href?: unknown } };
        if (typeof m?.type !== 'string' || !MARKS.has(m.type)) return `unknown mark ${String(m?.type)}`;
        if (m.type === 'link' && typeof m.attrs?.href !== 'string') return 'link marks need attrs.href';
      }
    }
    return undefined;
  }
  if (type === 'heading') {
    const level = (node.attrs as { level?: unknown } | undefined)?.level;
    if (typeof level !== 'number' || level < 1 || level > 6) return 'heading needs attrs.level 1-6';
  }
  const allowed = CHILDREN[type];
  if (node.content === undefined) return type === 'bulletList' || type === 'orderedList' || type === 'listItem' ? `${type} needs content` : undefined;
  if (!Array.isArray(node.content)) return `${type}.content must be an array`;
  if (!allowed) return node.content.length === 0 ? undefined : `${type} takes no content`;
  for (const child of node.content as unknown[]) {
    if (typeof child !== 'object' || child === null) return `${type} has a non-object child`;
    const c = child as Record<string, unknown>;
    if (typeof c.type !== 'string' || !allowed.has(c.type)) return `${String(c.type)} is not allowed in ${type}`;
    const problem = nodeProblem(c, c.type, depth + 1);
    if (problem) return problem;
  }
  return undefined;
}

/** Plain text of an ADF node, for text search. */
export function adfText(node: unknown): string {
  if (typeof node !== 'object' || node === null) return '';
  const n = node as { type?: unknown; text?: unknown; content?: unknown };
  if (n.type === 'text') return typeof n.text === 'string' ? n.text : '';
  return Array.isArray(n.content) ? n.content.map(adfText).join(' ') : '';
}
