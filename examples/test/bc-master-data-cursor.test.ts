import {
  type DeltaReadableEntitySet,
  type ModifiedSinceCursor,
  advanceModifiedSinceCursor,
  deltaQueryFrom,
  isModifiedSinceCursor,
  startModifiedSinceCursor,
  undeliveredRecords,
} from '@ml-connector/business-central';
import { silentLogger } from '@ml-connector/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBcDeltaSource } from '../src/bc-master-data/delta-source.ts';

interface Row {
  id: string;
  lastModifiedDateTime: string;
}

/** An entity set over an in-memory table whose readChanges works as the client's (same delta helpers). */
function tableOf(rows: Row[]): DeltaReadableEntitySet<Row> {
  return {
    async readChanges(from: ModifiedSinceCursor | Date | string, options: { lookBackMs?: number } = {}) {
      const lookBackMs = options.lookBackMs ?? 300_000;
      const cursor = isModifiedSinceCursor(from) ? from : startModifiedSinceCursor(from, lookBackMs);
      const since = Date.parse(deltaQueryFrom(cursor, lookBackMs));
      const selected = rows
        .filter((row) => Date.parse(row.lastModifiedDateTime) >= since)
        .sort((a, b) => Date.parse(a.lastModifiedDateTime) - Date.parse(b.lastModifiedDateTime));
      const items = undeliveredRecords(cursor, selected);
      return { items: items as never, cursor: advanceModifiedSinceCursor(cursor, items, lookBackMs) };
    },
  } as unknown as DeltaReadableEntitySet<Row>;
}

const context = { signal: new AbortController().signal, logger: silentLogger };
const BASE = Date.parse('2026-01-01T00:00:00.000Z');

describe('bc-master-data delta source paging', () => {
  it('a run stopped after any page and resumed from that page cursor delivers every change exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 600_000 }), { minLength: 1, maxLength: 60 }),
        fc.array(fc.integer({ min: 0, max: 900_000 }), { maxLength: 30 }),
        fc.integer({ min: 1, max: 9 }),
        fc.nat(),
        async (offsets, laterOffsets, pageSize, stopSeed) => {
          const rows: Row[] = offsets.map((offset, i) => ({ id: `r${i}`, lastModifiedDateTime: new Date(BASE + offset).toISOString() }));
          const source = createBcDeltaSource<Row, Row>('test', { stream: 'rows', entitySet: tableOf(rows), pageSize, lookBackMs: 120_000 });
          const delivered: string[] = [];
          const key = (row: Row) => `${row.id}@${row.lastModifiedDateTime}`;
          // First run: settle pages up to a random one, then "crash" (the rest is never settled).
          const pages = [];
          for await (const page of source.read(undefined, context)) pages.push(page);
          const stopAfter = stopSeed % pages.length;
          for (const page of pages.slice(0, stopAfter + 1)) delivered.push(...page.records.map(key));
          let cursor = pages[stopAfter]!.cursor;
          // Changes made meanwhile: some rows change again (later timestamps), some arrive late inside the look-back.
          const maxSeen = Math.max(...offsets);
          laterOffsets.forEach((offset, i) => {
            const id = `r${i % rows.length}`;
            const at = new Date(BASE + maxSeen - 100_000 + offset).toISOString();
            const row = rows.find((r) => r.id === id)!;
            if (Date.parse(at) > Date.parse(row.lastModifiedDateTime)) row.lastModifiedDateTime = at;
          });
          // Resume, then poll until nothing new.
          for (let round = 0; round < 3; round++) {
            for await (const page of source.read(cursor, context)) {
              delivered.push(...page.records.map(key));
              cursor = page.cursor;
            }
          }
          // Every row's latest version was delivered, and no version twice.
          expect(new Set(delivered).size).toBe(delivered.length);
          for (const row of rows) expect(delivered).toContain(key(row));
        },
      ),
      { numRuns: 150 },
    );
  });
});
