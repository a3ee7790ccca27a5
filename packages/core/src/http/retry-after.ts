/**
 * Reads how long the server asked us to wait, in milliseconds, from (in order of precedence)
 * `retry-after-ms`, `x-ms-retry-after-ms` (both milliseconds, Azure/Microsoft) and `Retry-After`
 * (delta-seconds or an HTTP-date). Negative or past values become 0; unparseable values are ignored.
 *
 * @param headers - Response headers.
 * @param now - Current time in epoch ms, used to turn an HTTP-date into a delay.
 * @returns The delay in ms, or `undefined` when no usable header is present.
 */
export function parseRetryAfter(headers: Headers, now: number = Date.now()): number | undefined {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const ms = parseNonNegativeNumber(headers.get(name));
    if (ms !== undefined) return Math.ceil(ms);
  }
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const seconds = parseNonNegativeNumber(value);
  if (seconds !== undefined) return Math.ceil(seconds * 1000);
  // HTTP-date (IMF-fixdate, RFC 850 or asctime): Date.parse understands all three.
  if (!/[a-z]/i.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function parseNonNegativeNumber(value: string | null): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (!/^-?\d+(?:\.\d+)?$/.test(text)) return undefined;
  return Math.max(0, Number(text));
}
