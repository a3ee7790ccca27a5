import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRetryAfter } from '@ml-connector/core';

const h = (init: Record<string, string>) => new Headers(init);
const NOW = Date.parse('2026-11-21T10:00:00Z');

describe('parseRetryAfter', () => {
  it('reads delta-seconds as milliseconds', () => {
    expect(parseRetryAfter(h({ 'retry-after': '120' }), NOW)).toBe(120_000);
    expect(parseRetryAfter(h({ 'retry-after': ' 15 ' }), NOW)).toBe(15_000);
    expect(parseRetryAfter(h({ 'retry-after': '0' }), NOW)).toBe(0);
  });
  it('ignores values outside the RFC 9110 grammar: negative or fractional seconds, ISO 8601, dates without GMT', () => {
    for (const value of ['-5', '1.5', '2026-11-21T10:00:30Z', '2026-11-21 10:00:30', 'Sat, 21 Nov 2026 10:00:30 +0000', 'Sat, 21 Nov 2026 10:00:30 EST', 'Sat, 31 Feb 2026 10:00:30 GMT', '+3', '1e3']) {
      expect([value, parseRetryAfter(h({ 'retry-after': value }), NOW)]).toEqual([value, undefined]);
    }
  });
  it('reads all three HTTP-date forms (IMF-fixdate, RFC 850, asctime) as GMT', () => {
    expect(parseRetryAfter(h({ 'retry-after': 'Sat, 21 Nov 2026 10:00:30 GMT' }), NOW)).toBe(30_000);
    expect(parseRetryAfter(h({ 'retry-after': 'Saturday, 21-Nov-26 10:00:30 GMT' }), NOW)).toBe(30_000);
    expect(parseRetryAfter(h({ 'retry-after': 'Sat Nov 21 10:00:30 2026' }), NOW)).toBe(30_000);
    expect(parseRetryAfter(h({ 'retry-after': 'Tue Dec  1 10:00:00 2026' }), NOW)).toBe(10 * 86_400_000);
  });
  it('reads an HTTP-date relative to now and clamps the past to 0', () => {
    expect(parseRetryAfter(h({ 'retry-after': 'Sat, 21 Nov 2026 10:00:30 GMT' }), NOW)).toBe(30_000);
    expect(parseRetryAfter(h({ 'retry-after': 'Sat, 21 Nov 2026 09:00:00 GMT' }), NOW)).toBe(0);
  });
  it('prefers retry-after-ms, then x-ms-retry-after-ms, over Retry-After', () => {
    expect(parseRetryAfter(h({ 'retry-after': '10', 'retry-after-ms': '250' }), NOW)).toBe(250);
    expect(parseRetryAfter(h({ 'retry-after': '10', 'x-ms-retry-after-ms': '750' }), NOW)).toBe(750);
    expect(parseRetryAfter(h({ 'retry-after-ms': '5', 'x-ms-retry-after-ms': '750' }), NOW)).toBe(5);
  });
  it('ignores garbage', () => {
    expect(parseRetryAfter(h({ 'retry-after-ms': '-5', 'retry-after': '2' }), NOW)).toBe(2_000);
    expect(parseRetryAfter(h({ 'retry-after': 'soon' }), NOW)).toBeUndefined();
    expect(parseRetryAfter(h({ 'retry-after': '12abc' }), NOW)).toBeUndefined();
    expect(parseRetryAfter(h({}), NOW)).toBeUndefined();
    expect(parseRetryAfter(h({ 'retry-after-ms': 'x', 'retry-after': '2' }), NOW)).toBe(2_000);
  });
  it('property: any delta-seconds value round-trips', () => {
    fc.assert(fc.property(fc.nat({ max: 10_000_000 }), (n) => parseRetryAfter(h({ 'retry-after': String(n) }), NOW) === n * 1000));
  });
  it('property: any HTTP-date yields max(0, date - now) at second precision', () => {
    fc.assert(
      fc.property(fc.integer({ min: -86_400, max: 86_400 * 30 }), (offset) => {
        const date = new Date(NOW + offset * 1000).toUTCString();
        return parseRetryAfter(h({ 'retry-after': date }), NOW) === Math.max(0, offset * 1000);
      }),
    );
  });
  it('property: the same instant in all three HTTP-date forms yields the same delay', () => {
    const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const two = (n: number) => String(n).padStart(2, '0');
    fc.assert(
      fc.property(fc.integer({ min: -86_400, max: 86_400 * 365 * 20 }), (offset) => {
        const d = new Date(NOW + offset * 1000);
        const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
        const day = days[d.getUTCDay()] as string;
        const month = months[d.getUTCMonth()] as string;
        const rfc850 = `${day}, ${two(d.getUTCDate())}-${month}-${two(d.getUTCFullYear() % 100)} ${time} GMT`;
        const asctime = `${day.slice(0, 3)} ${month} ${String(d.getUTCDate()).padStart(2, ' ')} ${time} ${d.getUTCFullYear()}`;
        const expected = Math.max(0, offset * 1000);
        return [d.toUTCString(), rfc850, asctime].every((value) => parseRetryAfter(h({ 'retry-after': value }), NOW) === expected);
      }),
    );
  });
  it('property: arbitrary header text never throws and never yields a negative delay', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        let headers: Headers;
        try {
          headers = h({ 'retry-after': text });
        } catch {
          return true; // not a legal header value; fetch would never deliver it
        }
        const v = parseRetryAfter(headers, NOW);
        return v === undefined || (Number.isFinite(v) && v >= 0);
      }),
    );
  });
});

describe('parseRetryAfter in another time zone', () => {
  const original = process.env.TZ;
  afterEach(() => {
    if (original === undefined) delete process.env.TZ;
    else process.env.TZ = original;
  });
  it('reads every HTTP-date form as GMT in America/New_York', () => {
    process.env.TZ = 'America/New_York';
    // The zone change must have taken effect, or this test would prove nothing.
    expect(new Date(NOW).getTimezoneOffset()).toBe(300);
    for (const value of ['Sat, 21 Nov 2026 10:00:30 GMT', 'Saturday, 21-Nov-26 10:00:30 GMT', 'Sat Nov 21 10:00:30 2026']) {
      expect([value, parseRetryAfter(h({ 'retry-after': value }), NOW)]).toEqual([value, 30_000]);
    }
  });
});
