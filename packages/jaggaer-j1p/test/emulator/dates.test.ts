import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatJaTimestamp, parseJaggaerDate } from '@ml-connector/jaggaer-j1p/testing';

const instants = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2099, 11, 31) });

describe('JAGGAER date parsing', () => {
  it('round-trips YYYYMMDDHHMMSS to the second', () => {
    fc.assert(
      fc.property(instants, (ms) => {
        expect(parseJaggaerDate(formatJaTimestamp(ms))).toBe(Math.floor(ms / 1000) * 1000);
      }),
    );
  });

  it('round-trips ISO 8601 and reads YYYYMMDD as UTC midnight', () => {
    fc.assert(
      fc.property(instants, (ms) => {
        const iso = new Date(ms).toISOString();
        expect(parseJaggaerDate(iso)).toBe(ms);
        expect(parseJaggaerDate(formatJaTimestamp(ms).slice(0, 8))).toBe(Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))));
      }),
    );
  });

  it('rejects anything else instead of guessing', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const parsed = parseJaggaerDate(text);
        if (parsed !== undefined) expect(/^\s*\d{4}(-?\d{2}){2}/.test(text)).toBe(true);
      }),
    );
    for (const bad of ['20260230', '2026-13-01', '20261301120000', '20260101256000', 'yesterday', '']) {
      expect(parseJaggaerDate(bad)).toBeUndefined();
    }
  });
});
