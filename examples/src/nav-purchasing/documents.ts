import { isNotFoundError } from '@ml-connector/core';
import { DataError, diffFields, type FieldChange, type ReferenceRef, type TargetDocument } from '@ml-connector/core/sync';
import type { NavClient } from '@ml-connector/nav';

/** One NAV purchase document line the flows write: a G/L account line with the shortcut dimensions. */
export interface NavDraftLine {
  readonly accountNumber: string;
  readonly description: string;
  readonly quantity: number;
  readonly directUnitCost: number;
  /** Shortcut dimension 1 (cost center; `DEPARTMENT` in the emulator). */
  readonly departmentCode?: string;
  /** Shortcut dimension 2 (`PROJECT` in the emulator). */
  readonly projectCode?: string;
  /** Shortcut dimensions 3–8 (`ShortcutDimCode3`…; `AREA` is shortcut 3 in the emulator). */
  readonly shortcutDimension3Code?: string;
  readonly shortcutDimension4Code?: string;
  readonly shortcutDimension5Code?: string;
  readonly shortcutDimension6Code?: string;
  readonly shortcutDimension7Code?: string;
  readonly shortcutDimension8Code?: string;
}

/** The line fields of shortcut dimensions 3–8, in order. */
export const MORE_SHORTCUT_FIELDS = [
  'shortcutDimension3Code',
  'shortcutDimension4Code',
  'shortcutDimension5Code',
  'shortcutDimension6Code',
  'shortcutDimension7Code',
  'shortcutDimension8Code',
] as const;
type MoreShortcutField = (typeof MORE_SHORTCUT_FIELDS)[number];

/** A NAV purchase document as the flows write it (plain data: the audit stores it, dry runs diff it). */
export interface NavDocumentDraft {
  readonly vendorNumber: string;
  /** `Vendor_Order_No` of an order (the JAGGAER PO number) or `Vendor_Invoice_No` of an invoice. With the vendor, the natural key. */
  readonly reference: string;
  /** `YYYY-MM-DD`. */
  readonly documentDate?: string;
  /** `YYYY-MM-DD`. */
  readonly dueDate?: string;
  /** NAV currency code; empty for the local currency. */
  readonly currencyCode: string;
  readonly lines: readonly NavDraftLine[];
}

/** Which dimensions NAV's shortcut dimension fields hold (General Ledger Setup, Shortcut Dimension 1–8 Code). */
export interface ShortcutDimensions {
  /** Default `DEPARTMENT` (the cost center). */
  readonly first: string;
  /** Default `PROJECT`. */
  readonly second: string;
  /**
   * Shortcut dimensions 3, 4, … (up to 8), written through the purchase line pages' `ShortcutDimCode3`… fields;
   * `''` for a shortcut General Ledger Setup leaves empty. Default none.
   */
  readonly more?: readonly string[];
}

/** NAV's default shortcut dimensions in the emulator (and in CRONUS). */
export const DEFAULT_SHORTCUT_DIMENSIONS: ShortcutDimensions = { first: 'DEPARTMENT', second: 'PROJECT' };

/** Field lengths of NAV's Purchase Header / Purchase Line. */
export const NAV_MAX = { reference: 35, description: 50 } as const;

/** Every shortcut as `[line field, dimension code]`, the unset ones (`''`) left out. */
function shortcutSlots(shortcuts: ShortcutDimensions): [keyof NavDraftLine, string][] {
  const more = (shortcuts.more ?? []).slice(0, MORE_SHORTCUT_FIELDS.length);
  return [
    ['departmentCode', shortcuts.first],
    ['projectCode', shortcuts.second],
    ...more.flatMap((dimension, index): [keyof NavDraftLine, string][] => (dimension ? [[MORE_SHORTCUT_FIELDS[index] as MoreShortcutField, dimension]] : [])),
  ];
}

/**
 * The shortcut dimension fields of a line from mapped dimensions: shortcut 1 and 2 and, when configured, 3–8. A
 * dimension that is no shortcut at all cannot be written through the published pages (standard NAV publishes no
 * dimension set entries page), so it is a `DataError`.
 */
export function shortcutFields(dimensions: Readonly<Record<string, string>>, shortcuts: ShortcutDimensions, field: string): Partial<NavDraftLine> {
  const slots = shortcutSlots(shortcuts);
  const out: Record<string, string> = {};
  for (const [dimension, value] of Object.entries(dimensions)) {
    const slot = slots.find(([, code]) => code === dimension);
    if (!slot) {
      throw new DataError(
        'unsupported-dimension',
        `dimension ${dimension} is not a shortcut dimension (${slots.map(([, code]) => code).join(', ')}); NAV's published purchase pages carry only those. ` +
          'Make it a shortcut dimension in General Ledger Setup and list it in NAV_SHORTCUT_DIMENSIONS',
        { field },
      );
    }
    out[slot[0]] = value;
  }
  return out as Partial<NavDraftLine>;
}

/** The references a draft makes: vendor, accounts and dimension values, for the engine's preflight. */
export function draftReferences(draft: NavDocumentDraft, shortcuts: ShortcutDimensions): ReferenceRef[] {
  const refs: ReferenceRef[] = [{ kind: 'vendor', key: draft.vendorNumber, field: 'vendorNumber' }];
  draft.lines.forEach((line, index) => {
    refs.push({ kind: 'account', key: line.accountNumber, field: `lines[${index}].accountNumber` });
    for (const [lineField, dimension] of shortcutSlots(shortcuts)) {
      const value = line[lineField];
      if (typeof value === 'string' && value) refs.push({ kind: 'dimensionValue', key: `${dimension}/${value}`, field: `lines[${index}].${lineField}` });
    }
  });
  return refs;
}

/** The natural key of a document in NAV: vendor number + reference. */
export const documentNaturalKey = (draft: Pick<NavDocumentDraft, 'vendorNumber' | 'reference'>): string => `${draft.vendorNumber}/${draft.reference}`;

/**
 * The line fields as NAV takes them. Shortcut dimensions 3–8 are sent only when the line (or `previous`, the line
 * it replaces, to clear them) has them, so an instance whose General Ledger Setup defines none never sees them.
 */
export function lineInput(line: NavDraftLine, previous?: NavDraftLine) {
  const more: Record<string, string> = {};
  for (const field of MORE_SHORTCUT_FIELDS) if (line[field] || previous?.[field]) more[field] = line[field] ?? '';
  return {
    type: 'G/L Account',
    number: line.accountNumber,
    description: line.description,
    quantity: line.quantity,
    directUnitCost: line.directUnitCost,
    departmentCode: line.departmentCode ?? '',
    projectCode: line.projectCode ?? '',
    ...more,
  };
}

/** A NAV line read back, in the draft's shape (for comparing and diffing). */
function draftLineOf(line: Record<string, unknown>): NavDraftLine {
  return {
    accountNumber: String(line['number'] ?? ''),
    description: String(line['description'] ?? ''),
    quantity: Number(line['quantity'] ?? 0),
    directUnitCost: Number(line['directUnitCost'] ?? 0),
    ...(line['departmentCode'] ? { departmentCode: String(line['departmentCode']) } : {}),
    ...(line['projectCode'] ? { projectCode: String(line['projectCode']) } : {}),
    ...Object.fromEntries(MORE_SHORTCUT_FIELDS.filter((field) => line[field]).map((field) => [field, String(line[field])])),
  };
}

const sameLine = (a: NavDraftLine, b: NavDraftLine) => JSON.stringify(lineInput(a, b)) === JSON.stringify(lineInput(b, a));

/** Which NAV purchase document a target writes. */
export type NavDocumentKind = 'order' | 'invoice';

/** The resource and reference field of a kind. */
function resourceOf(nav: NavClient, kind: NavDocumentKind) {
  return kind === 'order'
    ? { resource: nav.purchaseOrders, referenceField: 'vendorOrderNumber' as const }
    : { resource: nav.purchaseInvoices, referenceField: 'vendorInvoiceNumber' as const };
}

/** The header fields the flows set. */
function headerInput(kind: NavDocumentKind, draft: NavDocumentDraft): Record<string, unknown> {
  const referenceField = kind === 'order' ? 'vendorOrderNumber' : 'vendorInvoiceNumber';
  return {
    vendorNumber: draft.vendorNumber,
    [referenceField]: draft.reference,
    ...(draft.documentDate ? { documentDate: draft.documentDate } : {}),
    ...(draft.dueDate ? { dueDate: draft.dueDate } : {}),
    currencyCode: draft.currencyCode,
  };
}

/** A NAV header with its lines, as read. */
export interface NavDocumentState {
  readonly header: Record<string, unknown> & { number: string; etag?: string };
  readonly lines: readonly (Record<string, unknown> & { lineNumber: number; etag?: string })[];
}

/** The engine's view of a NAV document: id = document No., version = ETag, locked unless Open. */
export function targetDocumentOf(state: NavDocumentState, extra: Record<string, unknown> = {}): TargetDocument {
  const status = String(state.header['status'] ?? 'Open');
  return {
    id: state.header.number,
    ...(state.header.etag ? { version: state.header.etag } : {}),
    locked: status !== 'Open' && status !== '',
    ...(status !== 'Open' && status !== '' ? { lockedReason: `${status} (reopen it in NAV to let the flow change it)` } : {}),
    snapshot: { header: state.header, lines: state.lines.map(draftLineOf), ...extra },
  };
}

/** Reads, finds and writes NAV purchase documents of one kind (header, then line by line: NAV has no deep insert). */
export function navDocumentStore(nav: NavClient, kind: NavDocumentKind) {
  const { resource, referenceField } = resourceOf(nav, kind);
  const readLines = async (number: string, signal: AbortSignal) =>
    (await resource.lines.list(number, { signal }).toArray({ limit: 10_000 })) as unknown as NavDocumentState['lines'];
  return {
    /** Reads a document and its lines; undefined when it is gone (posted documents leave these pages). */
    async get(number: string, signal: AbortSignal): Promise<NavDocumentState | undefined> {
      try {
        const header = (await resource.get(number, { signal })) as unknown as NavDocumentState['header'];
        return { header, lines: await readLines(number, signal) };
      } catch (error) {
        if (isNotFoundError(error)) return undefined;
        throw error;
      }
    },
    /** The document of this vendor with this reference, with its lines; undefined when there is none. */
    async find(draft: Pick<NavDocumentDraft, 'vendorNumber' | 'reference'>, signal: AbortSignal): Promise<NavDocumentState | undefined> {
      const where = { vendorNumber: draft.vendorNumber, [referenceField]: draft.reference } as never;
      const [header] = (await resource.list({ where, top: 1, signal }).toArray({ limit: 1 })) as unknown as NavDocumentState['header'][];
      return header ? { header, lines: await readLines(header.number, signal) } : undefined;
    },
    /** Creates the header, then its lines. */
    async create(draft: NavDocumentDraft, signal: AbortSignal): Promise<NavDocumentState> {
      const created = await resource.create(headerInput(kind, draft) as never, draft.lines.map((line) => lineInput(line)) as never, { signal });
      return created as unknown as NavDocumentState;
    },
    /** Brings an open document in line with the draft: changed header fields (If-Match), then lines updated, added or deleted. */
    async update(current: NavDocumentState, draft: NavDocumentDraft, signal: AbortSignal): Promise<NavDocumentState> {
      const number = current.header.number;
      const wanted = headerInput(kind, draft);
      const patch = Object.fromEntries(Object.entries(wanted).filter(([field, value]) => field !== 'vendorNumber' && (current.header[field] ?? '') !== value));
      let header = current.header;
      if (Object.keys(patch).length > 0) {
        header = (await resource.update(number, patch as never, { etag: current.header.etag ?? '*', signal })) as unknown as NavDocumentState['header'];
      }
      const lines = [...current.lines];
      for (let index = 0; index < Math.max(lines.length, draft.lines.length); index++) {
        const existing = lines[index];
        const line = draft.lines[index];
        if (existing && line) {
          const before = draftLineOf(existing);
          if (!sameLine(before, line)) {
            await resource.lines.update(number, existing.lineNumber, lineInput(line, before) as never, { etag: existing.etag ?? '*', signal });
          }
        } else if (line) {
          await resource.lines.create(number, lineInput(line) as never, { signal });
        } else if (existing) {
          await resource.lines.delete(number, existing.lineNumber, { etag: existing.etag ?? '*', signal });
        }
      }
      return { header, lines: await readLines(number, signal) };
    },
  };
}

/** Field-level difference between a NAV document (undefined: not there yet) and a draft, for `--dry-run`. */
export function diffDocument(kind: NavDocumentKind, current: TargetDocument | undefined, draft: NavDocumentDraft): readonly FieldChange[] {
  const snapshot = current?.snapshot as { header?: Record<string, unknown>; lines?: NavDraftLine[] } | undefined;
  const before = snapshot
    ? { header: Object.fromEntries(Object.keys(headerInput(kind, draft)).map((field) => [field, snapshot.header?.[field] ?? ''])), lines: snapshot.lines ?? [] }
    : undefined;
  return diffFields(before, { header: headerInput(kind, draft), lines: draft.lines });
}
