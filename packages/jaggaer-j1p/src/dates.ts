import { InvalidInputError } from '@ml-connector/core';

/** A point in time the client accepts: a `Date`, ISO 8601 text, `YYYYMMDD` or `YYYYMMDDHHMMSS` (UTC), or epoch ms. */
export type JaggaerDateInput = Date | string | number;

/**
 * Parses the timestamp forms JAGGAER sends: ISO 8601 (`lastUpdate` of ji/v1 invoices) and JAGGAER Advanced's compact
 * `YYYYMMDD[HHMMSS]` (`lastModTime`, read as UTC; the tenant time zone is UNCONFIRMED). Returns epoch ms, or
 * `undefined` when the text is none of these.
 */
export function parseJaggaerTimestamp(text: string | undefined | null): number | undefined {
  if (typeof text !== 'string') return undefined;
  const t = text.trim();
  const compact = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2}))?$/.exec(t);
  if (compact) {
    const [, y, mo, d, h = '00', mi = '00', s = '00'] = compact;
    const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
    const back = new Date(ms);
    const valid = back.getUTCMonth() === Number(mo) - 1 && back.getUTCDate() === Number(d) && Number(h) < 24 && Number(mi) < 60 && Number(s) < 60;
    return valid ? ms : undefined;
  }
  if (!/^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(t)) return undefined;
  const ms = Date.parse(t.length === 10 ? `${t}T00:00:00Z` : t);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Converts a {@link JaggaerDateInput} to epoch ms. @throws InvalidInputError naming `field`. */
export function toEpochMs(value: JaggaerDateInput, field: string): number {
  const ms =
    value instanceof Date ? value.getTime() : typeof value === 'number' ? value : parseJaggaerTimestamp(value);
  if (ms === undefined || !Number.isFinite(ms)) {
    throw new InvalidInputError(`${field} must be a Date, epoch milliseconds or an ISO 8601 / YYYYMMDD[HHMMSS] timestamp`, { field });
  }
  return ms;
}

/** Formats epoch ms as JAGGAER Advanced's `YYYYMMDDHHMMSS` (UTC), as `flt=LASTMODTIME>=…` expects. */
export function formatCompactTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** A compact or ISO timestamp normalised to ISO 8601 (UTC), or the text unchanged when it cannot be parsed. */
export function normaliseTimestamp(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const ms = parseJaggaerTimestamp(text);
  return ms === undefined ? text : new Date(ms).toISOString();
}
