import { InvalidInputError, isNotFoundError } from '@ml-connector/core';
import { CheckpointUnreadableError, contentHash, type SourceIdentity, type SourcePage, type SyncSource } from '@ml-connector/core/sync';
import { decodePollCursor, type Invoice, type JaggaerClient } from '@ml-connector/jaggaer-j1p';

/** Options of {@link createApprovedInvoiceSource}. */
export interface ApprovedInvoiceSourceOptions {
  readonly jaggaer: JaggaerClient;
  /** Invoices per page handed to the engine (one poll with `maxInvoices`). @default 100 */
  readonly pageSize?: number;
  /** Records per JAGGAER list request (at least 2). @default 100 */
  readonly listPageSize?: number;
  /** First run only: start from invoices changed at or after this instant instead of the whole history. */
  readonly since?: string;
  /** Look-back window of the poll cursor (late commits, clock skew). @default the client's (2 min) */
  readonly lookbackMs?: number;
  /** Invoices fetched at once for their lines. @default the client's (4) */
  readonly lineConcurrency?: number;
  /**
   * First length of the time slices a backlog is read in (`lastUpdateTo`); halved after a slice with more than a
   * page of invoices, doubled after a sparse one. @default one day
   */
  readonly sliceMs?: number;
  /** Clock, epoch ms. @default Date.now */
  readonly now?: () => number;
}

const DAY_MS = 86_400_000;
const MIN_SLICE_MS = 60_000;
const MAX_SLICE_MS = 366 * DAY_MS;

/**
 * The source's cursor: the JAGGAER poll cursor (`p`), where the next time slice starts (`b`, epoch ms), its length
 * (`s`) and, while a slice is being finished, its end (`u`).
 */
interface SliceCursor {
  readonly p?: string;
  readonly s: number;
  readonly b?: number;
  readonly u?: number;
}

const CURSOR_PREFIX = 'bc-invoices:v1:';

function encodeSliceCursor(cursor: SliceCursor): string {
  return CURSOR_PREFIX + JSON.stringify(cursor);
}

function decodeSliceCursor(text: string): SliceCursor {
  const unreadable = (cause?: unknown) =>
    new CheckpointUnreadableError('the saved bc-invoices cursor cannot be read', cause === undefined ? {} : { cause });
  if (!text.startsWith(CURSOR_PREFIX)) throw unreadable();
  let parsed: SliceCursor;
  try {
    parsed = JSON.parse(text.slice(CURSOR_PREFIX.length)) as SliceCursor;
    if (parsed.p !== undefined) decodePollCursor(parsed.p);
  } catch (error) {
    throw unreadable(error);
  }
  if (!Number.isFinite(parsed.s) || parsed.s <= 0 || [parsed.b, parsed.u].some((ms) => ms !== undefined && !Number.isFinite(ms))) throw unreadable();
  return parsed;
}

/** The fields whose change must reach Business Central; `lastUpdate` and payment status are left out on purpose. */
function versionOf(invoice: Invoice): string {
  return contentHash({
    supplier: invoice.supplier?.supplierNumber,
    supplierInvoiceNumber: invoice.supplierInvoiceNumber,
    invoiceType: invoice.invoiceType,
    invoiceDate: invoice.invoiceDate,
    dueDate: invoice.dueDate,
    total: invoice.total,
    codingSplits: invoice.codingSplits,
    lines: invoice.lines.map(({ raw: _raw, matchStatus: _match, ...line }) => line),
  });
}

/** Business identifiers the audit is searchable by: JAGGAER invoice number and id, supplier invoice and number, PO numbers. */
export function invoiceBusinessIds(invoice: Invoice): string[] {
  const ids = [invoice.invoiceNumber, invoice.supplierInvoiceNumber, invoice.supplier?.supplierNumber, ...invoice.lines.map((line) => line.poNumber)];
  return [...new Set(ids.filter((id): id is string => typeof id === 'string' && id !== ''))];
}

/**
 * JAGGAER approved invoices as a sync source: `invoices.poll` with its cursor (high-water mark, look-back window
 * and the keys already delivered in it), `maxInvoices` per page and lines fetched for each invoice.
 */
export function createApprovedInvoiceSource(options: ApprovedInvoiceSourceOptions): SyncSource<Invoice> {
  const { jaggaer } = options;
  const pageSize = options.pageSize ?? 100;
  const query = { status: 'Approved', since: options.since ?? null };
  const initialSliceMs = options.sliceMs ?? DAY_MS;
  if (options.since !== undefined && !Number.isFinite(Date.parse(options.since))) {
    throw new InvalidInputError(`since must be an ISO 8601 instant, got "${options.since}"`, { field: 'since' });
  }
  const now = options.now ?? Date.now;
  return {
    system: 'jaggaer',
    stream: 'approved-invoices',
    query,
    async *read(cursor, context): AsyncIterable<SourcePage<Invoice>> {
      let state: SliceCursor = cursor === undefined ? { s: initialSliceMs, ...(options.since ? { b: Date.parse(options.since) } : {}) } : decodeSliceCursor(cursor);
      // A slice runs from `b` (where the previous one ended, or `since`) for `s` ms, or to `u` while one is being
      // finished; once it reaches the present the poll is unbounded. A first run over the whole history (no since)
      // starts unbounded and slices from its high-water mark on.
      const poll = (at: SliceCursor) => {
        const until = at.u ?? (at.b === undefined ? undefined : at.b + at.s);
        const bounded = until !== undefined && until < now();
        const result = jaggaer.invoices.poll({
          status: 'Approved',
          ...(at.p !== undefined ? { cursor: at.p } : options.since ? { since: options.since } : {}),
          ...(bounded ? { until: new Date(until) } : {}),
          maxInvoices: pageSize,
          ...(options.listPageSize ? { pageSize: options.listPageSize } : {}),
          ...(options.lookbackMs !== undefined ? { lookbackMs: options.lookbackMs } : {}),
          ...(options.lineConcurrency ? { concurrency: options.lineConcurrency } : {}),
          withLines: true,
          signal: context.signal,
        });
        // Read ahead: the next page is fetched while the engine writes this one; a failure surfaces when awaited.
        result.catch(() => {});
        return { result, until, bounded };
      };
      let next = poll(state);
      for (;;) {
        const { until, bounded } = next;
        const result = await next.result;
        const highWater = decodePollCursor(result.cursor).sinceMs;
        if (!bounded) {
          // Unbounded: either caught up (done) or a first run cut short by the page size (slice from here on).
          state = { p: result.cursor, s: state.s, ...(highWater !== undefined ? { b: highWater } : {}) };
        } else if (!result.complete) {
          // More in this slice than one page: finish it, and make the next slice shorter.
          state = { p: result.cursor, s: Math.max(MIN_SLICE_MS, Math.floor(state.s / 2)), b: state.b ?? until!, u: until! };
        } else {
          // Everything up to `until` is delivered; a sparse slice makes the next one longer.
          const sparse = result.invoices.length < pageSize / 4;
          state = { p: result.cursor, s: sparse ? Math.min(MAX_SLICE_MS, state.s * 2) : state.s, b: until! };
        }
        const last = !bounded && result.complete;
        if (!last) next = poll(state);
        yield { records: result.invoices, cursor: encodeSliceCursor(state) };
        if (last) return;
      }
    },
    async fetch(sourceId, context) {
      try {
        return await jaggaer.invoices.get(sourceId, { signal: context.signal });
      } catch (error) {
        if (isNotFoundError(error)) return undefined;
        throw error;
      }
    },
    identify(invoice): SourceIdentity {
      return { id: invoice.invoiceId, version: versionOf(invoice), businessIds: invoiceBusinessIds(invoice) };
    },
  };
}
