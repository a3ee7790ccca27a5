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
  /** Records in ascending order of last change. */
  items: T[];
  /** Total matching records for this query. */
  totRecords: number;
}

/** Where a poll resumes: the high-water mark and the keys already delivered inside the look-back window. */
export interface PollState {
  /** Highest last-change timestamp delivered so far, epoch ms. */
  sinceMs?: number;
  /** `id@epochMs` keys of records delivered with a timestamp inside the look-back window before `sinceMs`. */
  seen: string[];
}

/** Options of {@link pollChanges}. */
export interface PollChangesOptions {
  /** Where to resume. */
  state: PollState;
  /** How far before the high-water mark to look again for late-committed changes, in ms. */
  lookbackMs: number;
  /** Records per page. */
  pageSize: number;
  /** Stop after delivering this many records (the rest come with the next poll). */
  maxItems?: number;
  /** Query from this instant instead of `state.sinceMs - lookbackMs` (a first poll from a caller-given `since`). */
  startFrom?: number;
  /** Cancels the poll. */
  signal?: AbortSignal;
}

/** Outcome of {@link pollChanges}. */
export interface PollChangesResult<T> {
  /** New or changed records, each once (latest version), in the order seen. */
  items: T[];
  /** State to persist for the next poll. */
  state: PollState;
  /** False when `maxItems` cut the poll short; poll again right away. */
  complete: boolean;
}

const CURSOR_PREFIX = 'j1p-poll:v1:';

/** Encodes a {@link PollState} as an opaque, persistable string. */
export function encodePollCursor(state: PollState): string {
  return CURSOR_PREFIX + Buffer.from(JSON.stringify({ s: state.sinceMs ?? null, k: state.seen }), 'utf8').toString('base64url');
}

/** Decodes a cursor from {@link encodePollCursor}. @throws InvalidInputError for anything else. */
export function decodePollCursor(cursor: string): PollState {
  const bad = () =>
    new InvalidInputError('cursor is not a poll cursor returned by invoices.poll(); pass it unchanged, or start again with since', { field: 'cursor' });
  if (typeof cursor !== 'string' || !cursor.startsWith(CURSOR_PREFIX)) throw bad();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor.slice(CURSOR_PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  const p = parsed as { s?: unknown; k?: unknown };
  if (typeof p !== 'object' || p === null || !(p.s === null || Number.isFinite(p.s)) || !Array.isArray(p.k) || !p.k.every((k) => typeof k === 'string')) {
    throw bad();
  }
  return p.s === null ? { seen: p.k as string[] } : { sinceMs: p.s as number, seen: p.k as string[] };
}

/**
 * Polls a change listing without missing or repeating records, even when many records share one timestamp and when
 * records change while the poll pages through them.
 *
 * Keyset paging: each page query restarts at the last timestamp seen (inclusive) instead of advancing an offset, so a
 * record that moves to the end of the listing because it changed mid-poll cannot shift another one out of view.
 * Offsets are used only inside a block of records sharing one timestamp. Records are deduplicated by `id@timestamp`,
 * and the query starts `lookbackMs` before the high-water mark so changes committed late with an older timestamp are
 * still picked up; keys inside that window are carried in the state so they are not delivered twice.
 *
 * Requires the listing to be sorted by ascending last-change time (the sandbox is; J1P's order is UNCONFIRMED): a page
 * out of order raises ResponseValidationError rather than risking a silent gap.
 */
export async function pollChanges<T>(
  fetchPage: (request: ChangePageRequest) => Promise<ChangePage<T>>,
  keyOf: (item: T) => { id: string; ms: number },
  options: PollChangesOptions,
): Promise<PollChangesResult<T>> {
  const { state, lookbackMs, pageSize, maxItems, signal, startFrom } = options;
  const seen = new Set(state.seen);
  const delivered = new Map<string, { item: T; ms: number }>();
  const windowKeys = new Map<string, number>(); // every key met this poll (and before), with its timestamp
  for (const key of state.seen) {
    const ms = Number(key.slice(key.lastIndexOf('@') + 1));
    if (Number.isFinite(ms)) windowKeys.set(key, ms);
  }
  let highWater = state.sinceMs;
  let from = startFrom ?? (state.sinceMs === undefined ? undefined : state.sinceMs - lookbackMs);
  let startAt = 1;
  let complete = true;

  outer: for (let guard = 0; ; guard++) {
    if (guard > 1_000_000) throw new ResponseValidationError('Polling made no progress; the listing keeps returning the same records.');
    const page = await fetchPage({ updatedSince: from, startAt, pageSize, ...(signal ? { signal } : {}) });
    let previous = -Infinity;
    for (const item of page.items) {
      const { id, ms } = keyOf(item);
      if (ms < previous) {
        throw new ResponseValidationError(
          'The change listing is not sorted by ascending last update, so keyset polling could miss records. ' +
            'Configure the endpoint to sort by lastUpdate, or poll with a short interval and a large lookbackMs.',
        );
      }
      previous = ms;
      if (from !== undefined && ms < from) continue; // a server that ignores sub-second bounds
      const key = `${id}@${ms}`;
      if (seen.has(key)) continue;
      if (maxItems !== undefined && !delivered.has(id) && delivered.size >= maxItems) {
        complete = false;
        break outer;
      }
      seen.add(key);
      windowKeys.set(key, ms);
      // A record that changed during the poll is delivered once, as its latest version.
      delivered.delete(id);
      delivered.set(id, { item, ms });
      highWater = highWater === undefined ? ms : Math.max(highWater, ms);
    }
    const fetched = page.items.length;
    if (fetched === 0 || startAt - 1 + fetched >= page.totRecords) break;
    const last = previous;
    if (from !== undefined && last === from) {
      startAt += fetched; // a whole page inside one timestamp: step through the block by offset
    } else {
      from = last;
      startAt = 1;
    }
  }

  const floor = highWater === undefined ? -Infinity : highWater - lookbackMs;
  const nextSeen = [...windowKeys].filter(([, ms]) => ms >= floor).map(([key]) => key);
  return {
    items: [...delivered.values()].map((d) => d.item),
    state: highWater === undefined ? { seen: nextSeen } : { sinceMs: highWater, seen: nextSeen },
    complete,
  };
}
