import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '@ml-connector/core';

const h = (init: Record<string, string>) => new Headers(init);
const NOW = Date.parse('2026-11-21T10:00:00Z');

describe('parseRetryAfter', () => {
  it('reads delta-seconds, including fractions, as milliseconds', () => {
    expect(parseRetryAfter(h({ 'retry-after': '120' }), NOW)).toBe(120_000);
    expect(parseRetryAfter(h({ 'retry-after': ' 1.5 ' }), NOW)).toBe(1_500);
    expect(parseRetryAfter(h({ 'retry-after': '0' }), NOW)).toBe(0);
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
  it('clamps negative values and ignores garbage', () => {
    expect(parseRetryAfter(h({ 'retry-after': '-5' }), NOW)).toBe(0);
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
