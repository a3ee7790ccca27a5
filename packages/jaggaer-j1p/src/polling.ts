import { InvalidInputError, ResponseValidationError } from '@ml-connector/core';

/** What the poller asks for: records changed at or after `updatedSince` (inclusive), from 1-based `startAt`. */
export interface ChangePageRequest {
  /** Inclusive lower bound of the last-change timestamp, epoch ms; `undefined` for everything. */
  updatedSince: number | undefined;
  /** 1-based position within that result. */
  startAt: number;
  /** Records per page. */
  pageSize: number;
  /** Cancels the request. */
  signal?: AbortSignal;
}

/** One page of a change listing, with the startAt/totRecords counters. */
export interface ChangePage<T> {
  /** Records in the server's order (any order: the public J1P sample lists by invoice id, not by last change). */
  items: T[];
  /** Total matching records for this query. */
  totRecords: number;
}

/**
 * Where a poll resumes. Every record changed at or after `windowStartMs` that was delivered is named in `seen`;
 * anything older counts as delivered.
 */
export interface PollState {
  /** Highest last-change timestamp delivered so far, epoch ms (the high-water mark). */
  sinceMs?: number;
  /**
   * Start of the look-back window the state covers, epoch ms: the high-water mark minus the look-back in force when
   * the state was written. Recorded so that a later change of the look-back cannot redeliver anything. Absent in
   * states from `j1p-poll:v1` cursors (then `sinceMs - lookbackMs` is used).
   */
  windowStartMs?: number;
  /** `id@epochMs` keys of records delivered with a timestamp at or after `windowStartMs`. */
  seen: string[];
}

/** Options of {@link pollChanges}. */
export interface PollChangesOptions {
  /** Where to resume. */
  state: PollState;
  /** How far before the high-water mark the next poll looks again for late-committed changes, in ms. */
  lookbackMs: number;
  /** Records per page (at least 2, so consecutive pages can overlap by one record). */
  pageSize: number;
  /** Deliver at most this many records (the rest come with the next poll). */
  maxItems?: number;
  /** Query from this instant instead of the state's window (a first poll from a caller-given `since`). */
  startFrom?: number;
  /** Full re-reads of the window allowed when the listing shifted under the poll. Default 2. */
  maxRescans?: number;
  /** Cancels the poll. */
  signal?: AbortSignal;
}

/** Outcome of {@link pollChanges}. */
export interface PollChangesResult<T> {
  /** New or changed records, each once (its latest version), ordered by (last change, id). */
  items: T[];
  /** State to persist for the next poll. */
  state: PollState;
  /** False when `maxItems` cut the poll short: poll again at once. */
  complete: boolean;
  /**
   * False when the listing kept shifting while it was read (records may have been skipped). The window was then not
   * advanced, so the next poll reads it again and finds them; nothing needs to be done.
   */
  settled: boolean;
  /** Page requests this poll made. */
  requests: number;
}

const CURSOR_V1 = 'j1p-poll:v1:';
const CURSOR_V2 = 'j1p-poll:v2:';

/** Encodes a {@link PollState} as an opaque, persistable string. */
export function encodePollCursor(state: PollState): string {
  const body = { h: state.sinceMs ?? null, w: state.windowStartMs ?? null, k: state.seen };
  return CURSOR_V2 + Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

const finiteOrNull = (value: unknown) => value === null || value === undefined || Number.isFinite(value);

/** Decodes a cursor from {@link encodePollCursor} (also the older `j1p-poll:v1:` form). @throws InvalidInputError for anything else. */
export function decodePollCursor(cursor: string): PollState {
  const bad = () =>
    new InvalidInputError('cursor is not a poll cursor returned by invoices.poll(); pass it unchanged, or start again with since', { field: 'cursor' });
  if (typeof cursor !== 'string') throw bad();
  const v1 = cursor.startsWith(CURSOR_V1);
  if (!v1 && !cursor.startsWith(CURSOR_V2)) throw bad();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor.slice(CURSOR_V2.length), 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (typeof parsed !== 'object' || parsed === null) throw bad();
  const p = parsed as { s?: unknown; h?: unknown; w?: unknown; k?: unknown };
  const high = v1 ? p.s : p.h;
  const window = v1 ? null : p.w;
  if (!finiteOrNull(high) || !finiteOrNull(window) || !Array.isArray(p.k) || !p.k.every((k) => typeof k === 'string')) throw bad();
  const state: PollState = { seen: p.k as string[] };
  if (typeof high === 'number') state.sinceMs = high;
  if (typeof window === 'number') state.windowStartMs = window;
  return state;
}

const DIGITS = /^\d+$/;

/** Orders ids numerically when both are digit strings (JAGGAER invoice ids), else as text. */
export function compareIds(a: string, b: string): number {
  if (DIGITS.test(a) && DIGITS.test(b)) {
    const x = a.replace(/^0+(?=\d)/, '');
    const y = b.replace(/^0+(?=\d)/, '');
    if (x.length !== y.length) return x.length - y.length;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

const keyMs = (key: string) => Number(key.slice(key.lastIndexOf('@') + 1));

interface Candidate<T> {
  item: T;
  id: string;
  ms: number;
}

interface Scan<T> {
  /** Every record read, in reading order. */
  rows: Candidate<T>[];
  /** False when the listing shifted while it was read, so records may have been skipped. */
  stable: boolean;
}

/**
 * Polls a change listing that is NOT sorted by last change (J1P's public list sample is ordered by invoice id) without
 * missing or repeating records, whatever the order, the ties and the precision of the server's `updatedSince` filter.
 *
 * Each poll reads every page of one time window, from the window start (high-water mark minus look-back) to the end
 * of the listing, then orders and deduplicates client-side by (last change, id). Records already delivered inside
 * the window are named in the state, so the overlap delivers nothing twice; records older than the window start are
 * dropped client-side, so a server whose filter is coarser than its timestamps (second or day precision) only costs
 * extra reading. Progress never depends on the filter: a poll reads `totRecords` records once, so it ends after
 * `ceil(totRecords / (pageSize - 1)) + 1` requests per read (consecutive pages overlap by one record to detect a
 * listing that shifts while it is read; such a window is read again, up to `maxRescans` times, and otherwise left
 * where it was so that the next poll reads it again).
 *
 * Changes committed late with an older timestamp are found while they are inside the look-back window; set it above
 * the longest commit delay plus the time one poll takes. Two changes of one record that share one timestamp value
 * (possible only on a server with coarse timestamps) look like one version: the one read first is delivered.
 */
export async function pollChanges<T>(
  fetchPage: (request: ChangePageRequest) => Promise<ChangePage<T>>,
  keyOf: (item: T) => { id: string; ms: number },
  options: PollChangesOptions,
): Promise<PollChangesResult<T>> {
  const { state, lookbackMs, pageSize, maxItems, signal, startFrom } = options;
  const maxRescans = options.maxRescans ?? 2;
  if (!Number.isSafeInteger(pageSize) || pageSize < 2) {
    throw new InvalidInputError(`pageSize must be a whole number of at least 2 for polling, got ${String(pageSize)}`, { field: 'pageSize' });
  }
  const windowStart =
    startFrom ?? state.windowStartMs ?? (state.sinceMs === undefined ? undefined : state.sinceMs - lookbackMs);
  const seen = new Set(state.seen);
  let requests = 0;

  const scan = async (): Promise<Scan<T>> => {
    const rows: Candidate<T>[] = [];
    let total: number | undefined;
    let startAt = 1;
    let overlapId: string | undefined;
    for (;;) {
      const page = await fetchPage({ updatedSince: windowStart, startAt, pageSize, ...(signal ? { signal } : {}) });
      requests++;
      total ??= page.totRecords;
      if (page.totRecords !== total) return { rows, stable: false };
      const keyed = page.items.map((item) => ({ item, ...keyOf(item) }));
      if (overlapId !== undefined) {
        // The first record must be the last one of the previous page; anything else means the listing shifted.
        if (keyed[0]?.id !== overlapId) return { rows, stable: false };
        keyed.shift();
      }
      rows.push(...keyed);
      const fetched = page.items.length;
      const end = startAt - 1 + fetched;
      if (fetched === 0) return { rows, stable: end >= total };
      if (end >= total) return { rows, stable: true };
      // Overlap by one record; a page of one record (a server that clamps to 1) cannot overlap and simply advances.
      if (fetched >= 2) {
        startAt = end;
        overlapId = keyed.at(-1)?.id ?? overlapId;
      } else {
        startAt = end + 1;
        overlapId = undefined;
      }
    }
  };

  const latest = new Map<string, Candidate<T>>();
  const metKeys = new Map<string, number>();
  let stable = false;
  for (let attempt = 0; attempt <= maxRescans && !stable; attempt++) {
    const result = await scan();
    stable = result.stable;
    for (const row of result.rows) {
      if (!Number.isFinite(row.ms)) throw new ResponseValidationError(`Record ${row.id} has no usable last-change timestamp`);
      if (windowStart !== undefined && row.ms < windowStart) continue; // a filter coarser than the timestamps
      const key = `${row.id}@${row.ms}`;
      metKeys.set(key, row.ms);
      if (seen.has(key)) continue;
      const known = latest.get(row.id);
      if (!known || row.ms > known.ms) latest.set(row.id, row);
    }
  }

  // A record changed during the poll is delivered once, as its latest version; older versions count as seen.
  const ordered = [...latest.values()].sort((a, b) => a.ms - b.ms || compareIds(a.id, b.id));
  const cut = maxItems !== undefined && ordered.length > maxItems;
  const delivered = cut ? ordered.slice(0, maxItems) : ordered;
  for (const c of delivered) seen.add(`${c.id}@${c.ms}`);
  for (const [key, ms] of metKeys) {
    const pending = latest.get(key.slice(0, key.lastIndexOf('@')));
    if (pending === undefined || ms < pending.ms) seen.add(key);
  }

  let highWater = state.sinceMs;
  for (const c of delivered) highWater = highWater === undefined ? c.ms : Math.max(highWater, c.ms);
  // An unstable read may have skipped records anywhere in the window: keep the window where it was.
  const candidateStart = stable && highWater !== undefined ? highWater - lookbackMs : windowStart;
  let nextWindowStart =
    windowStart === undefined ? candidateStart : candidateStart === undefined ? windowStart : Math.max(windowStart, candidateStart);
  // Records cut off by maxItems must stay inside the next window, even below an older high-water mark (late commits).
  const firstPending = cut ? ordered[delivered.length]?.ms : undefined;
  if (firstPending !== undefined && (nextWindowStart === undefined || nextWindowStart > firstPending)) nextWindowStart = firstPending;
  const nextSeen = [...seen].filter((key) => nextWindowStart === undefined || keyMs(key) >= nextWindowStart);
  const nextState: PollState = { seen: nextSeen };
  if (highWater !== undefined) nextState.sinceMs = highWater;
  if (nextWindowStart !== undefined) nextState.windowStartMs = nextWindowStart;
  return { items: delivered.map((c) => c.item), state: nextState, complete: !cut, settled: stable, requests };
}
