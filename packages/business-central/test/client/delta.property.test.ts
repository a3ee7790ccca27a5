import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ModifiedSinceCursor,
  advanceModifiedSinceCursor,
  deltaQueryFrom,
  startModifiedSinceCursor,
  undeliveredRecords,
} from '@ml-connector/business-central';
import { type Harness, createHarness } from './helpers.js';

const T0 = Date.UTC(2026, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString();

/** One write: record `id` stamped `stamp` (ms after T0), visible once its transaction commits `lag` ms later. */
interface Write {
  id: string;
  stamp: number;
  lag: number;
}

describe('delta reads with a cursor (readChanges)', () => {
  it('delivers every final state exactly once despite ties, late commits, any row order and any poll times', () => {
    const lookBackMs = 1_000;
    fc.assert(
      fc.property(
        fc.array(fc.record({ id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), stamp: fc.integer({ min: 0, max: 40 }).map((n) => n * 50), lag: fc.integer({ min: 0, max: lookBackMs }) }), {
          maxLength: 40,
        }),
        fc.array(fc.integer({ min: 0, max: 4_000 }), { minLength: 1, maxLength: 12 }),
        fc.integer(),
        (writes: Write[], pollTimes, shuffleSeed) => {
          // Stamps per record only grow (BC stamps SystemModifiedAt at write time).
          const byId = new Map<string, Write[]>();
          for (const w of writes) byId.set(w.id, [...(byId.get(w.id) ?? []), w]);
          for (const list of byId.values()) list.sort((x, y) => x.stamp - y.stamp);
          const stateAt = (now: number) =>
            [...byId.entries()].flatMap(([id, list]) => {
              const committed = list.filter((w) => w.stamp + w.lag <= now);
              const last = committed.at(-1);
              return last ? [{ id, lastModifiedDateTime: iso(T0 + last.stamp) }] : [];
            });
          let cursor: ModifiedSinceCursor = startModifiedSinceCursor(iso(T0));
          const delivered: string[] = [];
          let rng = shuffleSeed;
          const polls = [...pollTimes.sort((x, y) => x - y), 10_000]; // a final poll after every commit
          for (const now of polls) {
            const from = Date.parse(deltaQueryFrom(cursor, lookBackMs));
            const rows = stateAt(now).filter((r) => Date.parse(r.lastModifiedDateTime) >= from);
            // The server's order is not the caller's business: shuffle deterministically.
            rows.sort(() => ((rng = (rng * 1103515245 + 12345) | 0) & 1 ? 1 : -1));
            const fresh = undeliveredRecords(cursor, rows);
            delivered.push(...fresh.map((r) => `${r.id}@${r.lastModifiedDateTime}`));
            cursor = advanceModifiedSinceCursor(cursor, fresh, lookBackMs);
          }
          expect(new Set(delivered).size).toBe(delivered.length);
          for (const finalState of stateAt(Number.MAX_SAFE_INTEGER)) {
            expect(delivered).toContain(`${finalState.id}@${finalState.lastModifiedDateTime}`);
          }
          // The cursor only remembers its look-back window.
          const floor = Date.parse(cursor.highWater) - cursor.lookBackMs;
          expect(cursor.seen.every(([, at]) => Date.parse(at) >= floor)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('loses the record stamped exactly at the mark with a plain gt, not with readChanges', () => {
    // The old way: the next read asks for `gt highWater` and misses B, stamped like A but committed later.
    const a = { id: 'a', lastModifiedDateTime: iso(T0 + 500) };
    const b = { id: 'b', lastModifiedDateTime: iso(T0 + 500) };
    const naive = [a, b].filter((r) => Date.parse(r.lastModifiedDateTime) > Date.parse(a.lastModifiedDateTime));
    expect(naive).toEqual([]);
    let cursor = advanceModifiedSinceCursor(startModifiedSinceCursor(iso(T0)), undeliveredRecords(startModifiedSinceCursor(iso(T0)), [a]));
    const fresh = undeliveredRecords(cursor, [a, b]);
    expect(fresh).toEqual([b]);
    cursor = advanceModifiedSinceCursor(cursor, fresh);
    expect(undeliveredRecords(cursor, [a, b])).toEqual([]);
  });

  it('does not redeliver when the look-back is widened later', () => {
    const old = { id: 'old', lastModifiedDateTime: iso(T0 + 100) };
    const start = startModifiedSinceCursor(iso(T0));
    const cursor = advanceModifiedSinceCursor(start, undeliveredRecords(start, [old]), 1_000);
    const later = advanceModifiedSinceCursor(cursor, [{ id: 'x', lastModifiedDateTime: iso(T0 + 5_000) }], 1_000);
    // Widening to an hour queries further back, but `old` lies before the tracked window: not delivered again.
    expect(Date.parse(deltaQueryFrom(later, 3_600_000))).toBeLessThan(T0);
    expect(undeliveredRecords(later, [old])).toEqual([]);
  });
});

describe('readChanges against the sandbox', () => {
  let h: Harness;
  afterEach(() => h?.sandbox.close());

  it('catches a vendor stamped at the same instant as the last one read, and delivers each change once', async () => {
    let clock = Date.UTC(2026, 5, 1, 12);
    h = createHarness({ now: () => clock });
    const vendors = h.client.company(h.sandbox.companyId).vendors;
    const first = await vendors.readChanges(new Date(clock - 1));
    expect(first.items).toEqual([]);
    const a = await vendors.create({ displayName: 'Tie A' });
    const second = await vendors.readChanges(first.cursor);
    expect(second.items.map((v) => v.id)).toEqual([a.id]);
    const b = await vendors.create({ displayName: 'Tie B' }); // same clock: same lastModifiedDateTime as A
    const third = await vendors.readChanges(second.cursor);
    expect(third.items.map((v) => v.id)).toEqual([b.id]);
    expect((await vendors.readChanges(third.cursor)).items).toEqual([]);
    clock += 60_000;
    const changed = await vendors.update(a.id, { displayName: 'Tie A2' }, { etag: a.etag! });
    const fourth = await vendors.readChanges(third.cursor);
    expect(fourth.items.map((v) => [v.id, v.displayName])).toEqual([[changed.id, 'Tie A2']]);
    const sent = h.apiRequests().at(-1)!.url.searchParams.get('$filter');
    expect(sent).toMatch(/^lastModifiedDateTime ge 2026-06-01T11:5\d:00/);
  });
});
