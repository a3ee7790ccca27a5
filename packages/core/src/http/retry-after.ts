/**
 * Reads how long the server asked us to wait, in milliseconds, from (in order of precedence)
 * `retry-after-ms`, `x-ms-retry-after-ms` (both milliseconds, Azure/Microsoft) and `Retry-After`
 * (RFC 9110 §10.2.3: delta-seconds, or an HTTP-date in any of its three forms, always GMT).
 * A date in the past means 0. Values outside the grammar (negative or fractional seconds, ISO 8601
 * dates, local times) are ignored, so the client's own backoff applies.
 *
 * @param headers - Response headers.
 * @param now - Current time in epoch ms, used to turn an HTTP-date into a delay.
 * @returns The delay in ms, or `undefined` when no usable header is present.
 */
export function parseRetryAfter(headers: Headers, now: number = Date.now()): number | undefined {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const value = headers.get(name);
    if (value !== null && /^\s*\d+(?:\.\d+)?\s*$/.test(value)) return Math.ceil(Number(value));
  }
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = parseHttpDate(text, now);
  return at === undefined ? undefined : Math.max(0, at - now);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY = '(Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const LONG_DAY = '(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTH = `(${MONTHS.join('|')})`;
const TIME = '(\\d\\d):(\\d\\d):(\\d\\d)';
/** IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`. */
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d\\d) ${MONTH} (\\d{4}) ${TIME} GMT$`);
/** Obsolete RFC 850: `Sunday, 06-Nov-94 08:49:37 GMT`. */
const RFC_850 = new RegExp(`^${LONG_DAY}, (\\d\\d)-${MONTH}-(\\d\\d) ${TIME} GMT$`);
/** Obsolete asctime: `Sun Nov  6 08:49:37 1994` (GMT by definition, though it names no zone). */
const ASCTIME = new RegExp(`^${DAY} ${MONTH} ( \\d|\\d\\d) ${TIME} (\\d{4})$`);

/**
 * Parses an RFC 9110 HTTP-date as GMT, whatever the machine's time zone (`Date.parse` would read asctime
 * as local time and also accept ISO 8601 and other forms the grammar excludes). Returns epoch ms.
 */
function parseHttpDate(text: string, now: number): number | undefined {
  let m = IMF_FIXDATE.exec(text);
  if (m) return utc(Number(m[4]), m[3] as string, Number(m[2]), m[5], m[6], m[7]);
  m = RFC_850.exec(text);
  if (m) {
    // RFC 9110: a two-digit year more than 50 years in the future is the most recent past year with those digits.
    const currentYear = new Date(now).getUTCFullYear();
    let year = Math.floor(currentYear / 100) * 100 + Number(m[4]);
    if (year > currentYear + 50) year -= 100;
    return utc(year, m[3] as string, Number(m[2]), m[5], m[6], m[7]);
  }
  m = ASCTIME.exec(text);
  if (m) return utc(Number(m[7]), m[2] as string, Number((m[3] as string).trim()), m[4], m[5], m[6]);
  return undefined;
}

function utc(year: number, month: string, day: number, h?: string, mi?: string, s?: string): number | undefined {
  const monthIndex = MONTHS.indexOf(month);
  const [hours, minutes, seconds] = [Number(h), Number(mi), Number(s)];
  // 60 is a leap second; Date.UTC rolls it into the next minute, as good as it gets.
  if (day < 1 || day > 31 || hours > 23 || minutes > 59 || seconds > 60) return undefined;
  const at = Date.UTC(year, monthIndex, day, hours, minutes, seconds);
  // Reject impossible dates (31 Feb) rather than rolling them into the next month.
  return new Date(at).getUTCDate() === day || seconds === 60 ? at : undefined;
}
