/**
 * JQL date literals as Jira Cloud reads them ("Advanced search reference – fields": created, updated): absolute
 * `yyyy/MM/dd HH:mm`, `yyyy-MM-dd HH:mm`, `yyyy/MM/dd`, `yyyy-MM-dd`, read in the searching user's profile time
 * zone, or a period relative to now (`-5d`, `-4w 2d`, `+1h`, `-30m`; units w, d, h, m). Minute precision: a
 * literal names the start of a minute, so `updated >= "2026/11/30 09:15"` also matches 09:15:59.
 */

const ABSOLUTE = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/;
const PERIOD = /^([+-])?\s*((?:\d+\s*[wdhm]\s*)+)$/i;
const UNIT_MS: Record<string, number> = { w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000, m: 60_000 };

/** Jira's message for a literal it cannot read as a date. */
export function invalidDateMessage(value: string, field: string): string {
  return `Date value '${value}' for field '${field}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`;
}

/** Offset of `timeZone` from UTC at `epochMs`, in ms (positive east of Greenwich). */
const formats = new Map<string, Intl.DateTimeFormat>();
function zoneOffsetMs(epochMs: number, timeZone: string): number {
  let format = formats.get(timeZone);
  if (!format) formats.set(timeZone, (format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })));
  const parts = format.formatToParts(epochMs);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return wall - Math.floor(epochMs / 1000) * 1000;
}

/** Epoch ms of a wall-clock time in `timeZone`. */
export function zonedTimeToEpoch(fields: { year: number; month: number; day: number; hour: number; minute: number }, timeZone: string): number {
  const wall = Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute);
  // Two passes settle the offset around a daylight-saving change.
  const first = wall - zoneOffsetMs(wall, timeZone);
  return wall - zoneOffsetMs(first, timeZone);
}

/** Reads a JQL date literal; `undefined` when it is not one. */
export function parseJqlDate(value: string, options: { timeZone: string; now: number }): number | undefined {
  const text = value.trim();
  const absolute = ABSOLUTE.exec(text);
  if (absolute) {
    const [year, month, day, hour, minute] = absolute.slice(1).map((part) => (part === undefined ? 0 : Number(part))) as [number, number, number, number, number];
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return undefined;
    return zonedTimeToEpoch({ year, month, day, hour, minute }, options.timeZone);
  }
  const period = PERIOD.exec(text);
  if (period) {
    let total = 0;
    for (const [, amount, unit] of (period[2] as string).matchAll(/(\d+)\s*([wdhm])/gi)) total += Number(amount) * (UNIT_MS[(unit as string).toLowerCase()] as number);
    return options.now + (period[1] === '-' ? -total : total);
  }
  return undefined;
}
