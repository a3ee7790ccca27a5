import { InvalidInputError } from '@ml-connector/core';

/**
 * Where a delta read stands: the high-water mark (largest `lastModifiedDateTime` delivered), the look-back it was
 * built with, and the records already delivered inside that look-back. Plain JSON: persist it between runs.
 *
 * Why a look-back: a record whose `lastModifiedDateTime` equals the mark, or one whose transaction committed
 * after a later record was read (BC stamps `SystemModifiedAt` when the row is written, not when the transaction
 * commits), is missed by `gt mark`. The next read asks for `ge mark - lookBack` and drops what `seen` lists.
 */
export interface ModifiedSinceCursor {
  /** Largest `lastModifiedDateTime` delivered so far (ISO 8601). */
  readonly highWater: string;
  /** Look-back in ms this cursor tracks; records older than `highWater - lookBackMs` count as delivered. */
  readonly lookBackMs: number;
  /** Delivered records inside the look-back: `[id, lastModifiedDateTime]`. A newer timestamp is a new change. */
  readonly seen: readonly (readonly [string, string])[];
}

/** Default look-back of {@link ModifiedSinceCursor}: 5 minutes. How late BC commits can be is UNCONFIRMED. */
export const DEFAULT_DELTA_LOOK_BACK_MS = 5 * 60_000;

const ms = (value: string, field: string): number => {
  const parsed = Date.parse(value);
  if (!Number.isFinite(parsed)) throw new InvalidInputError(`${field} must be an ISO 8601 timestamp, got ${JSON.stringify(value)}`, { field });
  return parsed;
};

/** True for a {@link ModifiedSinceCursor} (as opposed to a Date or timestamp). */
export function isModifiedSinceCursor(value: unknown): value is ModifiedSinceCursor {
  return typeof value === 'object' && value !== null && !(value instanceof Date) && 'highWater' in value && 'seen' in value;
}

/** A cursor that delivers everything changed at or after `since`. */
export function startModifiedSinceCursor(since: Date | string, lookBackMs = DEFAULT_DELTA_LOOK_BACK_MS): ModifiedSinceCursor {
  checkLookBack(lookBackMs);
  const highWater = since instanceof Date && Number.isFinite(since.getTime()) ? since.toISOString() : new Date(ms(String(since), 'since')).toISOString();
  // Nothing seen yet and a look-back of 0 before the start: `since` itself is inclusive.
  return { highWater, lookBackMs: 0, seen: [] };
}

function checkLookBack(lookBackMs: number): void {
  if (!Number.isFinite(lookBackMs) || lookBackMs < 0) {
    throw new InvalidInputError(`lookBackMs must be a number of milliseconds >= 0, got ${lookBackMs}`, { field: 'lookBackMs' });
  }
}

/** The instant to query from (`lastModifiedDateTime ge …`): the mark minus the look-back in force. */
export function deltaQueryFrom(cursor: ModifiedSinceCursor, lookBackMs = cursor.lookBackMs): string {
  checkLookBack(lookBackMs);
  return new Date(ms(cursor.highWater, 'cursor.highWater') - Math.max(lookBackMs, cursor.lookBackMs)).toISOString();
}

/**
 * Keeps the records `cursor` has not delivered yet: inside the cursor's own look-back and not listed in `seen`
 * with the same timestamp. Records older than the tracked look-back count as delivered (so widening the look-back
 * later does not redeliver them). Duplicates within `records` are dropped too.
 */
export function undeliveredRecords<R extends { id: string; lastModifiedDateTime: string }>(cursor: ModifiedSinceCursor, records: readonly R[]): R[] {
  const floor = ms(cursor.highWater, 'cursor.highWater') - cursor.lookBackMs;
  const seen = new Set(cursor.seen.map(([id, at]) => `${id}|${ms(at, 'cursor.seen')}`));
  const out: R[] = [];
  for (const record of records) {
    const at = ms(record.lastModifiedDateTime, 'lastModifiedDateTime');
    const key = `${record.id}|${at}`;
    if (at < floor || seen.has(key)) continue;
    seen.add(key);
    out.push(record);
  }
  return out;
}

/** The cursor after delivering `delivered`: new mark, the look-back to track, and `seen` pruned to it. */
export function advanceModifiedSinceCursor(
  cursor: ModifiedSinceCursor,
  delivered: readonly { id: string; lastModifiedDateTime: string }[],
  lookBackMs = Math.max(cursor.lookBackMs, DEFAULT_DELTA_LOOK_BACK_MS),
): ModifiedSinceCursor {
  checkLookBack(lookBackMs);
  let high = ms(cursor.highWater, 'cursor.highWater');
  for (const record of delivered) high = Math.max(high, ms(record.lastModifiedDateTime, 'lastModifiedDateTime'));
  const floor = high - lookBackMs;
  const seen = new Map<string, readonly [string, string]>();
  for (const entry of [...cursor.seen, ...delivered.map((r) => [r.id, r.lastModifiedDateTime] as const)]) {
    const at = ms(entry[1], 'lastModifiedDateTime');
    if (at >= floor) seen.set(`${entry[0]}|${at}`, [entry[0], new Date(at).toISOString()]);
  }
  return { highWater: new Date(high).toISOString(), lookBackMs, seen: [...seen.values()] };
}
