/**
 * A small typed builder for Atlassian Document Format (ADF), the JSON document model Jira Cloud REST v3 uses for
 * issue descriptions, comments and rich-text custom fields. Bodies are built from typed nodes, never raw strings,
 * so user text can never inject markup. Node and mark names follow developer.atlassian.com/cloud/jira/platform/
 * apis/document/structure/ (version 1).
 */
import { InvalidInputError } from '@ml-connector/core';

/** An inline mark: bold, italic, inline code, strike-through or a link. */
export type AdfMark =
  | { type: 'strong' }
  | { type: 'em' }
  | { type: 'code' }
  | { type: 'strike' }
  | { type: 'link'; attrs: { href: string; title?: string } };

/** A run of text with optional marks. ADF requires the text to be non-empty. */
export interface AdfText {
  /** Node type. */
  type: 'text';
  /** The text, verbatim (never parsed as markup). */
  text: string;
  /** Formatting of the run. */
  marks?: AdfMark[];
}

/** A line break inside a paragraph. */
export interface AdfHardBreak {
  /** Node type. */
  type: 'hardBreak';
}

/** Inline content of paragraphs and headings. */
export type AdfInline = AdfText | AdfHardBreak;

/** A paragraph. */
export interface AdfParagraph {
  /** Node type. */
  type: 'paragraph';
  /** Inline content; absent for an empty paragraph. */
  content?: AdfInline[];
}

/** A heading of level 1–6. */
export interface AdfHeading {
  /** Node type. */
  type: 'heading';
  /** Heading level. */
  attrs: { level: 1 | 2 | 3 | 4 | 5 | 6 };
  /** Inline content. */
  content?: AdfInline[];
}

/** One item of a bullet or ordered list. */
export interface AdfListItem {
  /** Node type. */
  type: 'listItem';
  /** The item's paragraphs and nested lists. */
  content: Array<AdfParagraph | AdfBulletList | AdfOrderedList>;
}

/** A bullet list. */
export interface AdfBulletList {
  /** Node type. */
  type: 'bulletList';
  /** The items. */
  content: AdfListItem[];
}

/** An ordered list. */
export interface AdfOrderedList {
  /** Node type. */
  type: 'orderedList';
  /** Number of the first item. */
  attrs?: { order: number };
  /** The items. */
  content: AdfListItem[];
}

/** A code block; its text carries no marks. */
export interface AdfCodeBlock {
  /** Node type. */
  type: 'codeBlock';
  /** Language for highlighting. */
  attrs?: { language?: string };
  /** The code as one unmarked text node. */
  content?: AdfText[];
}

/** A horizontal rule. */
export interface AdfRule {
  /** Node type. */
  type: 'rule';
}

/** Block nodes a document may contain. */
export type AdfBlock = AdfParagraph | AdfHeading | AdfBulletList | AdfOrderedList | AdfCodeBlock | AdfRule;

/** An ADF document (`{ type: 'doc', version: 1, content }`), the only accepted shape for rich-text bodies. */
export interface AdfDocument {
  /** Root node type. */
  type: 'doc';
  /** ADF version; always 1. */
  version: 1;
  /** Top-level blocks. */
  content: AdfBlock[];
}

/** Inline input: a plain string (one text node) or a ready inline node. Empty strings are dropped. */
export type InlineInput = string | AdfInline;

/** Options of `adf.text`. */
export interface TextMarks {
  /** Bold. */
  strong?: boolean;
  /** Italic. */
  em?: boolean;
  /** Inline code. */
  code?: boolean;
  /** Struck through. */
  strike?: boolean;
  /** Makes the text a link; must be an http(s) or mailto URL. */
  href?: string;
}

const SAFE_LINK = /^(https?:\/\/|mailto:)/i;

function checkHref(href: string): string {
  if (typeof href !== 'string' || !SAFE_LINK.test(href)) {
    throw new InvalidInputError(`ADF link href must be an http(s) or mailto URL, got ${JSON.stringify(href)}`, { field: 'href' });
  }
  return href;
}

function inline(parts: readonly InlineInput[], where: string): AdfInline[] {
  const out: AdfInline[] = [];
  for (const part of parts) {
    if (typeof part === 'string') {
      if (part !== '') out.push({ type: 'text', text: part });
    } else if (part && (part.type === 'text' || part.type === 'hardBreak')) {
      if (part.type === 'text' && part.text === '') continue;
      out.push(part);
    } else {
      throw new InvalidInputError(`${where} accepts strings and adf.text()/adf.hardBreak() nodes only`, { field: where });
    }
  }
  return out;
}

function withContent<T extends { content?: AdfInline[] }>(node: T, content: AdfInline[]): T {
  return content.length > 0 ? { ...node, content } : node;
}

function listItems(items: ReadonlyArray<InlineInput | readonly InlineInput[] | AdfListItem>): AdfListItem[] {
  if (items.length === 0) throw new InvalidInputError('A list needs at least one item', { field: 'items' });
  return items.map((item) => {
    if (typeof item === 'object' && item !== null && !Array.isArray(item) && (item as AdfListItem).type === 'listItem') return item as AdfListItem;
    const parts = Array.isArray(item) ? (item as InlineInput[]) : [item as InlineInput];
    return { type: 'listItem', content: [adf.paragraph(...parts)] };
  });
}

/**
 * ADF node builders. Every function returns a plain JSON node; `adf.doc` assembles a document.
 *
 * Example:
 *
 * {@includeCode ../examples/client.ts#adf}
 */
export const adf = Object.freeze({
  /** A document of the given blocks. An empty document is valid (Jira shows an empty field). */
  doc(...blocks: AdfBlock[]): AdfDocument {
    for (const block of blocks) {
      if (typeof block !== 'object' || block === null || typeof (block as { type?: unknown }).type !== 'string') {
        throw new InvalidInputError('adf.doc() accepts block nodes (adf.paragraph(), adf.heading(), …); wrap text in adf.paragraph()', {
          field: 'blocks',
        });
      }
    }
    return { type: 'doc', version: 1, content: blocks };
  },
  /** A text node with optional marks. Throws for empty text (ADF forbids it). */
  text(text: string, marks: TextMarks = {}): AdfText {
    if (typeof text !== 'string' || text === '') throw new InvalidInputError('ADF text must be a non-empty string', { field: 'text' });
    const list: AdfMark[] = [];
    if (marks.strong) list.push({ type: 'strong' });
    if (marks.em) list.push({ type: 'em' });
    if (marks.strike) list.push({ type: 'strike' });
    if (marks.code) list.push({ type: 'code' });
    if (marks.href !== undefined) list.push({ type: 'link', attrs: { href: checkHref(marks.href) } });
    return list.length > 0 ? { type: 'text', text, marks: list } : { type: 'text', text };
  },
  /** A line break inside a paragraph. */
  hardBreak(): AdfHardBreak {
    return { type: 'hardBreak' };
  },
  /** A paragraph of strings and inline nodes. */
  paragraph(...parts: InlineInput[]): AdfParagraph {
    return withContent<AdfParagraph>({ type: 'paragraph' }, inline(parts, 'paragraph'));
  },
  /** A heading of level 1–6. */
  heading(level: 1 | 2 | 3 | 4 | 5 | 6, ...parts: InlineInput[]): AdfHeading {
    if (![1, 2, 3, 4, 5, 6].includes(level)) throw new InvalidInputError(`heading level must be 1-6, got ${level}`, { field: 'level' });
    return withContent<AdfHeading>({ type: 'heading', attrs: { level } }, inline(parts, 'heading'));
  },
  /** A bullet list; each item is a string, an array of inline parts, or a ready list item. */
  bulletList(items: ReadonlyArray<InlineInput | readonly InlineInput[] | AdfListItem>): AdfBulletList {
    return { type: 'bulletList', content: listItems(items) };
  },
  /** An ordered list; each item is a string, an array of inline parts, or a ready list item. */
  orderedList(items: ReadonlyArray<InlineInput | readonly InlineInput[] | AdfListItem>): AdfOrderedList {
    return { type: 'orderedList', content: listItems(items) };
  },
  /** A code block holding `code` verbatim. */
  codeBlock(code: string, language?: string): AdfCodeBlock {
    const node: AdfCodeBlock = { type: 'codeBlock', ...(language ? { attrs: { language } } : {}) };
    return code === '' ? node : { ...node, content: [{ type: 'text', text: code }] };
  },
  /** A horizontal rule. */
  rule(): AdfRule {
    return { type: 'rule' };
  },
  /**
   * Plain text as a document: blank lines separate paragraphs, single line breaks become hard breaks.
   * The text is never interpreted as markup.
   */
  fromPlainText(text: string): AdfDocument {
    if (typeof text !== 'string') throw new InvalidInputError('fromPlainText expects a string', { field: 'text' });
    const paragraphs = text
      .replace(/\r\n?/g, '\n')
      .split(/\n{2,}/)
      .filter((p) => p.trim() !== '')
      .map((p) => {
        const parts: InlineInput[] = [];
        p.split('\n').forEach((line, i) => {
          if (i > 0) parts.push({ type: 'hardBreak' });
          parts.push(line);
        });
        return adf.paragraph(...parts);
      });
    return { type: 'doc', version: 1, content: paragraphs };
  },
});

/** True when `value` has the shape of an ADF document root (`type: 'doc'`, `version: 1`, `content` array). */
export function isAdfDocument(value: unknown): value is AdfDocument {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return v.type === 'doc' && v.version === 1 && Array.isArray(v.content);
}

/**
 * Throws InvalidInputError unless `value` is an ADF document; raw strings get a message pointing at the builder.
 * Used before any rich-text body is sent, so Jira's own 400 for a string description never happens.
 */
export function assertAdfDocument(value: unknown, field: string): AdfDocument {
  if (typeof value === 'string') {
    throw new InvalidInputError(
      `${field} must be an Atlassian Document Format document, not a string: build it with adf.doc(adf.paragraph(...)) or adf.fromPlainText(text)`,
      { field },
    );
  }
  if (!isAdfDocument(value)) {
    throw new InvalidInputError(`${field} must be an ADF document ({ type: 'doc', version: 1, content: [...] }); use the adf builder`, { field });
  }
  return value;
}

/** Extracts the plain text of an ADF document (paragraphs separated by blank lines), e.g. to compare bodies. */
export function adfToPlainText(node: unknown): string {
  if (typeof node !== 'object' || node === null) return '';
  const n = node as { type?: unknown; text?: unknown; content?: unknown };
  if (n.type === 'text') return typeof n.text === 'string' ? n.text : '';
  if (n.type === 'hardBreak') return '\n';
  const children = Array.isArray(n.content) ? n.content.map(adfToPlainText) : [];
  if (n.type === 'doc' || n.type === 'bulletList' || n.type === 'orderedList' || n.type === 'listItem') return children.join('\n\n');
  return children.join('');
}
