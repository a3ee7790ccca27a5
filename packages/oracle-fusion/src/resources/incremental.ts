import { InvalidInputError } from '@ml-connector/core';
import { type QExpression, type QInput, qBuilder, resolveQ } from '../query.js';
import type { OracleItem } from '../schemas/common.js';
import type { ReadableCollection, ReadOptions } from './collection.js';

/** Options of {@link pollModified}. */
export interface PollOptions<T> extends ReadOptions {
  /** Cursor saved from a previous batch; start from `since` when absent. */
  cursor?: string;
  /** First poll only: read records with `LastUpdateDate >= since`. Default: everything. */
  since?: Date | string;
  /**
   * Re-read this far behind the high-water mark, for records committed late with an earlier timestamp (clock skew,
   * long transactions). Records already delivered are skipped by id and timestamp. Default 5 minutes.
   */
  lookBackMs?: number;
  /** Items per page. Default 100. */
  pageSize?: number;
  /** Extra filter combined with the timestamp condition. */
  q?: QInput<T>;
}

/** One batch of changed records and the cursor to save once they are processed. */
export interface PollBatch<T> {
  /** New or changed records not delivered before, oldest first. */
  items: OracleItem<T>[];
  /** Persist after processing `items`; pass as `cursor` to resume. */
  cursor: string;
}

interface CursorState {
  v: 1;
  /** High-water mark: the greatest LastUpdateDate delivered, epoch ms. */
  hw: number;
  /** `id@timestamp` of records delivered inside the look-back window. */
  seen: [string, number][];
}

const DEFAULT_LOOK_BACK_MS = 5 * 60_000;

function parseTime(value: unknown, what: string): number {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new InvalidInputError(`${what} must be an ISO-8601 timestamp; got ${JSON.stringify(value)}`, { field: what });
  return ms;
}

/** Decodes a cursor string, with a clear error for a corrupted or foreign value. */
export function decodePollCursor(cursor: string): { highWaterMark: Date; seen: number } {
  const state = decode(cursor);
  return { highWaterMark: new Date(state.hw), seen: state.seen.length };
}

function decode(cursor: string): CursorState {
  try {
    const state = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorState;
    // JSON turns the -Infinity of a cursor that has delivered nothing into null.
    if (state.v === 1 && state.hw === null) return { ...state, hw: Number.NEGATIVE_INFINITY };
    if (state.v === 1 && Number.isFinite(state.hw) && Array.isArray(state.seen)) return state;
  } catch {
    // falls through to the error below
  }
  throw new InvalidInputError('cursor is not a cursor returned by pollModified(); start again with since', { field: 'cursor' });
}

const encode = (state: CursorState) => Buffer.from(JSON.stringify(state)).toString('base64url');

/**
 * Reads records changed since a cursor, ordered by `LastUpdateDate` then `keyAttribute`, and yields them in batches
 * with a resumable cursor (high-water mark + ids delivered at and just below it).
 *
 * Paging is keyset paging on (`LastUpdateDate`, key), never a growing offset: after a page ending at (t, k) the next
 * page is `LastUpdateDate > t or (LastUpdateDate >= t and key > k)`. So records sharing one `LastUpdateDate` across
 * a page boundary are neither lost nor repeated (however long the run of equal timestamps), and a record updated
 * during the poll (it moves behind the position) is delivered again with its new timestamp, in this poll.
 */
export async function* pollModified<T extends { LastUpdateDate?: string | null | undefined }>(
  resource: ReadableCollection<T>,
  keyAttribute: Extract<keyof T, string>,
  options: PollOptions<T> = {},
): AsyncGenerator<PollBatch<T>, void, undefined> {
  const lookBackMs = options.lookBackMs ?? DEFAULT_LOOK_BACK_MS;
  if (!Number.isFinite(lookBackMs) || lookBackMs < 0) throw new InvalidInputError(`lookBackMs must be 0 or more; got ${lookBackMs}`, { field: 'lookBackMs' });
  const pageSize = options.pageSize ?? 100;
  const state: CursorState =
    options.cursor !== undefined
      ? decode(options.cursor)
      : { v: 1, hw: options.since === undefined ? Number.NEGATIVE_INFINITY : options.since instanceof Date ? options.since.getTime() : parseTime(options.since, 'since'), seen: [] };
  const seen = new Set(state.seen.map(([id, t]) => `${id}@${t}`));
  const extra = resolveQ(options.q);
  const q = qBuilder<T>();

  // Keyset paging on (LastUpdateDate, key): after a page ending at (t, k) the next query asks for
  // `LastUpdateDate > t or (LastUpdateDate >= t and key > k)`. No offset is used, so a record that changes while a
  // run of equal timestamps is being paged (it moves behind the anchor) shifts nothing: every record of the run is
  // still read, and the changed one again with its new timestamp.
  const floor0 = Number.isFinite(state.hw) ? state.hw - lookBackMs : Number.NEGATIVE_INFINITY;
  let after: { time: number; key: string | number } | undefined;
  for (;;) {
    const attr = 'LastUpdateDate' as Extract<keyof T, string>;
    let timeQ: QExpression | undefined;
    if (after) {
      timeQ = q.or(q.gt(attr, new Date(after.time)), q.and(q.ge(attr, new Date(after.time)), q.gt(keyAttribute, after.key)));
    } else if (Number.isFinite(floor0)) {
      timeQ = q.ge(attr, new Date(floor0));
    }
    const filter = timeQ && extra ? `(${timeQ.text}) and (${extra})` : (timeQ?.text ?? extra);
    const pages = resource.list({
      ...options,
      // The cursor needs the timestamp and the key even when the caller narrows the attributes.
      ...(options.fields ? { fields: [...new Set([...options.fields, 'LastUpdateDate', keyAttribute])] } : {}),
      ...(filter !== undefined ? { q: { text: filter, __q: true } } : {}),
      orderBy: ['LastUpdateDate:asc', `${keyAttribute}:asc`],
      pageSize,
    });
    // One page per query: the next query continues after the last (timestamp, key) seen.
    const iterator = pages.byPage();
    const next = await iterator.next();
    await iterator.return?.();
    if (next.done) return;
    const page = next.value;
    if (page.items.length === 0) {
      yield { items: [], cursor: encode(state) };
      return;
    }
    const fresh: OracleItem<T>[] = [];
    for (const item of page.items) {
      const t = parseTime(item.LastUpdateDate, 'LastUpdateDate');
      const key = `${String(item[keyAttribute])}@${t}`;
      if (seen.has(key)) continue;
      seen.add(key);
      fresh.push(item);
      if (t > state.hw || !Number.isFinite(state.hw)) state.hw = t;
    }
    const last = page.items.at(-1) as OracleItem<T>;
    const lastKey = last[keyAttribute] as unknown;
    if (typeof lastKey !== 'string' && typeof lastKey !== 'number') {
      throw new InvalidInputError(`${keyAttribute} must be a string or number attribute to page on; got ${JSON.stringify(lastKey)}`, { field: 'keyAttribute' });
    }
    after = { time: parseTime(last.LastUpdateDate, 'LastUpdateDate'), key: lastKey };
    // Keep only what the look-back window can return again.
    const floor = state.hw - lookBackMs;
    for (const k of seen) if (Number(k.slice(k.lastIndexOf('@') + 1)) < floor) seen.delete(k);
    state.seen = [...seen].map((k) => [k.slice(0, k.lastIndexOf('@')), Number(k.slice(k.lastIndexOf('@') + 1))]);
    if (fresh.length || page.continuationToken === undefined) yield { items: fresh, cursor: encode(state) };
    if (page.continuationToken === undefined) return;
  }
}
