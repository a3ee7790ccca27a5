import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isInvalidInputError } from '../../src/index.js';
import {
  type AuditEventInput, type LedgerEntryInput, type RecordKey, type ReviewItemInput, type RunRecord, type StoreChange,
  type SyncStore, isStoreConflictError,
} from '../../src/sync/index.js';

/** Options of {@link describeSyncStoreContract}. */
export interface SyncStoreContractOptions {
  /** Runs of each property test (default 100); slower stores pass fewer. */
  readonly propertyRuns?: number;
}

const FLOW = 'bc-invoices';
const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T00:01:00.000Z';
const T2 = '2026-01-01T00:02:00.000Z';

export const recordKey = (sourceId: string, flow = FLOW): RecordKey => ({ flow, sourceSystem: 'jaggaer', sourceId });

export const ledgerEntry = (sourceId: string, fields: Partial<LedgerEntryInput> = {}): LedgerEntryInput => ({
  ...recordKey(sourceId),
  sourceVersion: 'v1',
  targetSystem: 'business-central',
  state: 'pending',
  businessIds: [],
  attempts: 0,
  ...fields,
});

export const auditEvent = (sourceId: string, fields: Partial<AuditEventInput> = {}): AuditEventInput => ({
  ...recordKey(sourceId),
  runId: 'run-1',
  step: 'received',
  at: T0,
  businessIds: [],
  ...fields,
});

export const reviewItem = (sourceId: string, fields: Partial<ReviewItemInput> = {}): ReviewItemInput => ({
  ...recordKey(sourceId),
  state: 'open',
  reason: 'missing-mapping',
  detail: 'map supplier S-1 to a vendor',
  businessIds: [],
  attempts: 0,
  ...fields,
});

export const runRecord = (id: string, fields: Partial<RunRecord> = {}): RunRecord => ({
  id,
  flow: FLOW,
  status: 'running',
  startedAt: T0,
  counts: { read: 0, created: 0, updated: 0, skipped: 0, review: 0, failed: 0 },
  ...fields,
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

/**
 * The behaviour every {@link SyncStore} must have. Call it from a test file with a factory that opens a fresh,
 * empty store; every test closes the store it opened.
 */
export function describeSyncStoreContract(name: string, open: () => Promise<SyncStore>, options: SyncStoreContractOptions = {}): void {
  const propertyRuns = options.propertyRuns ?? 100;

  describe(`SyncStore contract: ${name}`, () => {
    let store: SyncStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    describe('checkpoints', () => {
      it('saves, replaces and deletes a stream checkpoint, stamped with the commit time', async () => {
        expect(await store.getCheckpoint('s')).toBeUndefined();
        await store.commit({ checkpoint: { stream: 's', queryHash: 'h1', value: 'c1' } }, T0);
        expect(await store.getCheckpoint('s')).toEqual({ stream: 's', queryHash: 'h1', value: 'c1', updatedAt: T0 });
        await store.commit({ checkpoint: { stream: 's', queryHash: 'h2', value: 'c2' } }, T1);
        expect(await store.getCheckpoint('s')).toEqual({ stream: 's', queryHash: 'h2', value: 'c2', updatedAt: T1 });
        expect(await store.getCheckpoint('other')).toBeUndefined();
        expect(await store.deleteCheckpoint('s')).toBe(true);
        expect(await store.deleteCheckpoint('s')).toBe(false);
        expect(await store.getCheckpoint('s')).toBeUndefined();
      });
    });

    describe('ledger', () => {
      it('creates an entry at revision 1 and increments the revision on every write, keeping createdAt', async () => {
        await store.commit({ ledger: [{ entry: ledgerEntry('1'), expectedRevision: 0 }] }, T0);
        expect(await store.getLedgerEntry(recordKey('1'))).toEqual({ ...ledgerEntry('1'), revision: 1, createdAt: T0, updatedAt: T0 });
        await store.commit({ ledger: [{ entry: ledgerEntry('1', { state: 'sent', attempts: 1 }), expectedRevision: 1 }] }, T1);
        await store.commit({ ledger: [{ entry: ledgerEntry('1', { state: 'confirmed', targetId: 'bc-9', attempts: 1 }) }] }, T2);
        expect(await store.getLedgerEntry(recordKey('1'))).toEqual({
          ...ledgerEntry('1', { state: 'confirmed', targetId: 'bc-9', attempts: 1 }),
          revision: 3,
          createdAt: T0,
          updatedAt: T2,
        });
        expect(await store.getLedgerEntry(recordKey('2'))).toBeUndefined();
      });

      it('keeps every optional field and leaves absent ones absent', async () => {
        const full = ledgerEntry('1', {
          targetId: 't', targetVersion: 'W/"1"', naturalKey: 'V-1|INV-1', businessIds: ['INV-1', 'PO-1'], lastErrorCode: 'E',
          lastErrorMessage: 'm', state: 'failed', attempts: 2,
        });
        await store.commit({ ledger: [{ entry: full }, { entry: ledgerEntry('2') }] }, T0);
        expect(await store.getLedgerEntry(recordKey('1'))).toMatchObject(full);
        const bare = (await store.getLedgerEntry(recordKey('2')))!;
        for (const field of ['targetId', 'targetVersion', 'naturalKey', 'lastErrorCode', 'lastErrorMessage', 'leaseOwner', 'leaseExpiresAt']) {
          expect(Object.keys(bare)).not.toContain(field);
        }
      });

      it('refuses a compare-and-set against a newer revision with StoreConflictError', async () => {
        await store.commit({ ledger: [{ entry: ledgerEntry('1'), expectedRevision: 0 }] }, T0);
        for (const expectedRevision of [0, 2]) {
          const error = await rejection(store.commit({ ledger: [{ entry: ledgerEntry('1', { state: 'sent' }), expectedRevision }] }, T1));
          expect(isStoreConflictError(error)).toBe(true);
        }
        expect(isStoreConflictError(await rejection(store.commit({ ledger: [{ entry: ledgerEntry('9'), expectedRevision: 1 }] }, T1)))).toBe(true);
        expect(await store.getLedgerEntry(recordKey('1'))).toMatchObject({ state: 'pending', revision: 1, updatedAt: T0 });
        expect(await store.getLedgerEntry(recordKey('9'))).toBeUndefined();
      });

      it('applies two writes of one record in one change in order', async () => {
        await store.commit(
          { ledger: [{ entry: ledgerEntry('1'), expectedRevision: 0 }, { entry: ledgerEntry('1', { state: 'sent' }), expectedRevision: 1 }] },
          T0,
        );
        expect(await store.getLedgerEntry(recordKey('1'))).toMatchObject({ state: 'sent', revision: 2 });
      });

      it('lists a flow ordered by source id, filtered by state, paged by afterSourceId', async () => {
        const ids = ['b', 'a', 'd', 'c', 'e'];
        await store.commit(
          {
            ledger: [
              ...ids.map((id, i) => ({ entry: ledgerEntry(id, { state: i % 2 === 0 ? ('failed' as const) : ('confirmed' as const) }) })),
              { entry: { ...ledgerEntry('a'), flow: 'other-flow' } },
            ],
          },
          T0,
        );
        expect((await store.listLedger({ flow: FLOW })).map((e) => e.sourceId)).toEqual(['a', 'b', 'c', 'd', 'e']);
        expect((await store.listLedger({ flow: FLOW, states: ['failed'] })).map((e) => e.sourceId)).toEqual(['b', 'd', 'e']);
        expect((await store.listLedger({ flow: FLOW, states: ['failed', 'confirmed'] })).length).toBe(5);
        expect(await store.listLedger({ flow: FLOW, states: [] })).toEqual([]);
        const pages: string[][] = [];
        let after: string | undefined;
        for (;;) {
          const page = await store.listLedger({ flow: FLOW, limit: 2, ...(after === undefined ? {} : { afterSourceId: after }) });
          if (page.length === 0) break;
          pages.push(page.map((e) => e.sourceId));
          after = page.at(-1)!.sourceId;
        }
        expect(pages).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
        expect((await store.listLedger({ flow: 'other-flow' })).map((e) => e.flow)).toEqual(['other-flow']);
        expect(await store.listLedger({ flow: 'nobody' })).toEqual([]);
      });

      it('returns copies: changing a result or an input after the commit changes nothing stored', async () => {
        const input = { ...ledgerEntry('1'), businessIds: ['INV-1'] };
        await store.commit({ ledger: [{ entry: input }] }, T0);
        (input.businessIds as string[]).push('mutated');
        const read = (await store.getLedgerEntry(recordKey('1')))!;
        (read.businessIds as string[]).push('mutated');
        ((await store.listLedger({ flow: FLOW }))[0]!.businessIds as string[]).length = 0;
        expect((await store.getLedgerEntry(recordKey('1')))!.businessIds).toEqual(['INV-1']);
      });

      it('returns copies of checkpoints, audit events, review items and runs too', async () => {
        const payload = { lines: [1] };
        await store.commit(
          {
            checkpoint: { stream: 's', queryHash: 'h', value: 'c' }, audit: [auditEvent('1', { payload, businessIds: ['A'] })],
            review: [reviewItem('1', { sourceRecord: { n: 1 }, override: { o: 1 } })], run: runRecord('r', { stats: { x: 1 } }),
          },
          T0,
        );
        payload.lines.push(2);
        type Loose = Record<string, any>;
        const vandalise = (value: unknown) => {
          const v = value as Loose;
          for (const name of Object.keys(v)) {
            if (Array.isArray(v[name])) v[name].push('x');
            else if (typeof v[name] === 'object' && v[name] !== null) v[name].mutated = true;
            else v[name] = 'mutated';
          }
        };
        vandalise(await store.getCheckpoint('s'));
        for (const event of await store.queryAudit({})) vandalise(event);
        vandalise(await store.getReview(recordKey('1')));
        for (const item of await store.listReview()) vandalise(item);
        vandalise(await store.getRun('r'));
        for (const run of await store.listRuns()) vandalise(run);
        expect(await store.getCheckpoint('s')).toEqual({ stream: 's', queryHash: 'h', value: 'c', updatedAt: T0 });
        expect((await store.queryAudit({}))[0]).toMatchObject({ payload: { lines: [1] }, businessIds: ['A'], step: 'received' });
        expect(await store.getReview(recordKey('1'))).toMatchObject({ sourceRecord: { n: 1 }, override: { o: 1 }, state: 'open', businessIds: [] });
        expect(await store.getRun('r')).toEqual(runRecord('r', { stats: { x: 1 } }));
      });
    });

    describe('commit is all or nothing', () => {
      it('a conflicting ledger write leaves no audit event, review item, checkpoint, run or other ledger write behind', async () => {
        await store.commit({ ledger: [{ entry: ledgerEntry('taken') }], audit: [auditEvent('taken')] }, T0);
        const before = await store.queryAudit({});
        const change: StoreChange = {
          ledger: [{ entry: ledgerEntry('fresh'), expectedRevision: 0 }, { entry: ledgerEntry('taken', { state: 'sent' }), expectedRevision: 0 }],
          audit: [auditEvent('fresh', { businessIds: ['INV-7'] }), auditEvent('taken', { step: 'written' })],
          review: [reviewItem('fresh')],
          checkpoint: { stream: 's', queryHash: 'h', value: 'c' },
          run: runRecord('run-1'),
        };
        expect(isStoreConflictError(await rejection(store.commit(change, T1)))).toBe(true);
        expect(await store.queryAudit({})).toEqual(before);
        expect(await store.queryAudit({ businessId: 'INV-7' })).toEqual([]);
        expect(await store.getLedgerEntry(recordKey('fresh'))).toBeUndefined();
        expect(await store.getLedgerEntry(recordKey('taken'))).toMatchObject({ state: 'pending', revision: 1 });
        expect(await store.getReview(recordKey('fresh'))).toBeUndefined();
        expect(await store.getCheckpoint('s')).toBeUndefined();
        expect(await store.getRun('run-1')).toBeUndefined();
        // The failed change used no sequence number a reader could have seen.
        await store.commit({ audit: [auditEvent('fresh')] }, T2);
        const after = await store.queryAudit({});
        expect(after).toHaveLength(2);
        expect(after[1]!.seq).toBeGreaterThan(after[0]!.seq);
      });

      it('refuses invalid input with InvalidInputError naming the field, before applying anything', async () => {
        const cases: Array<[StoreChange, string]> = [
          [{ audit: [auditEvent('1'), { ...auditEvent('2'), step: 'teleported' as never }] }, 'change.audit[1].step'],
          [{ audit: [auditEvent('1', { payload: { n: 1n } })] }, 'change.audit[0].payload'],
          [{ ledger: [{ entry: ledgerEntry('1', { state: 'done' as never }) }] }, 'change.ledger[0].entry.state'],
          [{ ledger: [{ entry: ledgerEntry('1', { attempts: -1 }) }] }, 'change.ledger[0].entry.attempts'],
          [{ ledger: [{ entry: { ...ledgerEntry('1'), sourceId: '' } }] }, 'change.ledger[0].entry.sourceId'],
          [{ review: [reviewItem('1', { businessIds: 'INV-1' as never })] }, 'change.review[0].businessIds'],
          [{ run: runRecord('r', { status: 'paused' as never }) }, 'change.run.status'],
        ];
        for (const [change, field] of cases) {
          const error = await rejection(store.commit({ ...change, checkpoint: { stream: 's', queryHash: 'h', value: 'c' } }, T0));
          expect(isInvalidInputError(error), field).toBe(true);
          expect((error as { field?: string }).field).toBe(field);
        }
        expect(await store.queryAudit({})).toEqual([]);
        expect(await store.getCheckpoint('s')).toBeUndefined();
      });
    });

    describe('record leases', () => {
      const key = recordKey('1');

      it('grants a free record, refuses another owner until expiry, and extends for the holder', async () => {
        expect(await store.claim(key, 'a', 1000, 10_000)).toEqual({ claimed: true, entry: undefined, leaseExpiresAt: 11_000 });
        expect(await store.claim(key, 'b', 1000, 10_999)).toEqual({ claimed: false, owner: 'a', leaseExpiresAt: 11_000 });
        expect(await store.claim(key, 'a', 5000, 10_500)).toMatchObject({ claimed: true, leaseExpiresAt: 15_500 });
        expect(await store.claim(key, 'b', 1000, 15_499)).toMatchObject({ claimed: false, owner: 'a' });
        // Expired at exactly its expiry time.
        expect(await store.claim(key, 'b', 1000, 15_500)).toMatchObject({ claimed: true, leaseExpiresAt: 16_500 });
        expect(await store.claim(key, 'a', 1000, 15_600)).toMatchObject({ claimed: false, owner: 'b' });
      });

      it('hands back the ledger entry with the lease, and keeps the lease across writes until releaseLease', async () => {
        await store.commit({ ledger: [{ entry: ledgerEntry('1') }] }, T0);
        const claim = await store.claim(key, 'a', 1000, 0);
        expect(claim).toEqual({ claimed: true, entry: expect.objectContaining({ revision: 1, leaseOwner: 'a', leaseExpiresAt: 1000 }), leaseExpiresAt: 1000 });
        await store.commit({ ledger: [{ entry: ledgerEntry('1', { state: 'sent' }), expectedRevision: 1 }] }, T1);
        expect(await store.getLedgerEntry(key)).toMatchObject({ state: 'sent', leaseOwner: 'a', leaseExpiresAt: 1000 });
        expect((await store.listLedger({ flow: FLOW }))[0]).toMatchObject({ leaseOwner: 'a' });
        await store.commit({ ledger: [{ entry: ledgerEntry('1', { state: 'confirmed' }), expectedRevision: 2, releaseLease: true }] }, T2);
        const released = (await store.getLedgerEntry(key))!;
        expect(released).toMatchObject({ state: 'confirmed', revision: 3 });
        expect(released.leaseOwner).toBeUndefined();
        expect(await store.claim(key, 'b', 1000, 1)).toMatchObject({ claimed: true });
      });

      it('releases only for the holder; claims do not change the revision', async () => {
        await store.claim(key, 'a', 1000, 0);
        expect(await store.release(key, 'b')).toBe(false);
        expect(await store.claim(key, 'b', 1000, 1)).toMatchObject({ claimed: false });
        expect(await store.release(key, 'a')).toBe(true);
        expect(await store.release(key, 'a')).toBe(false);
        expect(await store.claim(key, 'b', 1000, 2)).toMatchObject({ claimed: true, entry: undefined });
        expect(await store.getLedgerEntry(key)).toBeUndefined();
        // Leases are per record.
        expect(await store.claim(recordKey('2'), 'a', 1000, 2)).toMatchObject({ claimed: true });
        expect(await store.claim({ ...key, flow: 'other' }, 'a', 1000, 2)).toMatchObject({ claimed: true });
      });

      it('refuses bad arguments with InvalidInputError', async () => {
        for (const call of [
          () => store.claim(key, '', 1000, 0),
          () => store.claim(key, 'a', 0, 0),
          () => store.claim(key, 'a', 1000, Number.NaN),
          () => store.claim({ ...key, sourceSystem: '' }, 'a', 1000, 0),
          () => store.release(undefined as never, 'a'),
        ]) {
          expect(isInvalidInputError(await rejection(call()))).toBe(true);
        }
      });
    });

    describe('audit', () => {
      it('assigns increasing sequence numbers, keeps `at` as given and returns oldest first', async () => {
        await store.commit({ audit: [auditEvent('1', { at: T2 }), auditEvent('1', { step: 'mapped', at: T0 })] }, T1);
        await store.commit({ audit: [auditEvent('2', { runId: 'run-2', payload: { lines: [{ amount: 1.5 }] }, code: 'c', detail: 'd', targetId: 't', requestId: 'q' })] }, T2);
        const events = await store.queryAudit({});
        expect(events.map((e) => [e.sourceId, e.step, e.at])).toEqual([['1', 'received', T2], ['1', 'mapped', T0], ['2', 'received', T0]]);
        expect(events[0]!.seq).toBeLessThan(events[1]!.seq);
        expect(events[1]!.seq).toBeLessThan(events[2]!.seq);
        expect(events[2]).toEqual({
          ...auditEvent('2', { runId: 'run-2', payload: { lines: [{ amount: 1.5 }] }, code: 'c', detail: 'd', targetId: 't', requestId: 'q' }),
          seq: events[2]!.seq,
        });
        expect(Object.keys(events[0]!)).not.toContain('payload');
      });

      it('filters by flow, record, run and afterSeq, ANDed, with a limit', async () => {
        await store.commit(
          {
            audit: [
              auditEvent('1'), auditEvent('2'), auditEvent('1', { step: 'mapped', runId: 'run-2' }),
              { ...auditEvent('1'), flow: 'other-flow' }, { ...auditEvent('1'), sourceSystem: 'coupa' },
            ],
          },
          T0,
        );
        const all = await store.queryAudit({});
        expect(all).toHaveLength(5);
        expect((await store.queryAudit({ flow: FLOW })).length).toBe(4);
        expect((await store.queryAudit({ record: recordKey('1') })).map((e) => e.step)).toEqual(['received', 'mapped']);
        expect((await store.queryAudit({ runId: 'run-2' })).map((e) => e.seq)).toEqual([all[2]!.seq]);
        expect((await store.queryAudit({ record: recordKey('1'), runId: 'run-1' })).length).toBe(1);
        expect(await store.queryAudit({ record: recordKey('1'), flow: 'other-flow' })).toEqual([]);
        expect((await store.queryAudit({ afterSeq: all[1]!.seq })).map((e) => e.seq)).toEqual(all.slice(2).map((e) => e.seq));
        expect((await store.queryAudit({ limit: 2 })).map((e) => e.seq)).toEqual(all.slice(0, 2).map((e) => e.seq));
        expect((await store.queryAudit({ afterSeq: all[0]!.seq, limit: 2 })).map((e) => e.seq)).toEqual(all.slice(1, 3).map((e) => e.seq));
      });

      it('returns at most 1,000 events when no limit is given', async () => {
        await store.commit({ audit: Array.from({ length: 1003 }, (_, i) => auditEvent(String(i))) }, T0);
        const page = await store.queryAudit({});
        expect(page).toHaveLength(1000);
        expect(await store.queryAudit({ afterSeq: page.at(-1)!.seq })).toHaveLength(3);
      });

      it('finds every event of every record that ever carried a business id (exact match)', async () => {
        await store.commit({ audit: [auditEvent('1', { businessIds: ['INV-1', 'PO-7'] }), auditEvent('2', { businessIds: ['INV-10'] })] }, T0);
        // Later events of record 1 no longer carry the id; record 3 carries it only in its ledger entry; record 4 only in review.
        await store.commit({ audit: [auditEvent('1', { step: 'written' }), auditEvent('3'), auditEvent('4')] }, T1);
        await store.commit({ ledger: [{ entry: ledgerEntry('3', { businessIds: ['INV-1'] }) }], review: [reviewItem('4', { businessIds: ['INV-1'] })] }, T1);
        await store.commit({ audit: [auditEvent('3', { step: 'written' }), { ...auditEvent('1'), flow: 'other-flow' }] }, T2);
        expect((await store.queryAudit({ businessId: 'INV-1' })).map((e) => `${e.sourceId}:${e.step}`)).toEqual([
          '1:received', '1:written', '3:received', '4:received', '3:written',
        ]);
        expect((await store.queryAudit({ businessId: 'PO-7' })).map((e) => e.sourceId)).toEqual(['1', '1']);
        expect((await store.queryAudit({ businessId: 'INV-1', runId: 'nope' }))).toEqual([]);
        expect(await store.queryAudit({ businessId: 'INV' })).toEqual([]);
        expect(await store.queryAudit({ businessId: 'inv-1' })).toEqual([]);
      });

      it('refuses a bad query with InvalidInputError', async () => {
        for (const query of [{ limit: 0 }, { limit: 1.5 }, { afterSeq: Number.NaN }, { record: { flow: FLOW } as never }]) {
          expect(isInvalidInputError(await rejection(store.queryAudit(query)))).toBe(true);
        }
      });
    });

    describe('review queue', () => {
      it('upserts by record, keeping createdAt and the queue position', async () => {
        await store.commit({ review: [reviewItem('1'), reviewItem('2', { reason: 'unknown-vendor' })] }, T0);
        await store.commit({ review: [reviewItem('1', { state: 'retrying', attempts: 1, override: { vendorNumber: 'V-2' }, sourceRecord: { id: '1', total: 12.5 } })] }, T1);
        expect(await store.getReview(recordKey('1'))).toEqual({
          ...reviewItem('1', { state: 'retrying', attempts: 1, override: { vendorNumber: 'V-2' }, sourceRecord: { id: '1', total: 12.5 } }),
          createdAt: T0,
          updatedAt: T1,
        });
        expect((await store.listReview()).map((r) => r.sourceId)).toEqual(['1', '2']);
        expect(await store.getReview(recordKey('3'))).toBeUndefined();
      });

      it('filters by flow, one or several states, reason, business id and limit', async () => {
        await store.commit(
          {
            review: [
              reviewItem('1', { businessIds: ['INV-1'] }), reviewItem('2', { state: 'retrying', reason: 'unknown-vendor' }),
              reviewItem('3', { state: 'resolved' }), { ...reviewItem('4'), flow: 'other-flow' },
            ],
          },
          T0,
        );
        await store.commit({ ledger: [{ entry: ledgerEntry('3', { businessIds: ['INV-1'] }) }] }, T0);
        const ids = async (query: Parameters<SyncStore['listReview']>[0]) => (await store.listReview(query)).map((r) => r.sourceId);
        expect(await ids({})).toEqual(['1', '2', '3', '4']);
        expect(await ids({ flow: FLOW })).toEqual(['1', '2', '3']);
        expect(await ids({ state: 'open' })).toEqual(['1', '4']);
        expect(await ids({ state: ['open', 'retrying'], flow: FLOW })).toEqual(['1', '2']);
        expect(await ids({ state: [] })).toEqual([]);
        expect(await ids({ reason: 'unknown-vendor' })).toEqual(['2']);
        expect(await ids({ businessId: 'INV-1' })).toEqual(['1', '3']);
        expect(await ids({ businessId: 'INV-1', state: 'resolved' })).toEqual(['3']);
        expect(await ids({ limit: 2 })).toEqual(['1', '2']);
        expect(isInvalidInputError(await rejection(store.listReview({ state: 'closed' as never })))).toBe(true);
      });
    });

    describe('runs', () => {
      it('upserts runs by id and lists them newest first, by flow, with a limit', async () => {
        await store.commit({ run: runRecord('r1', { startedAt: T0 }) }, T0);
        await store.commit({ run: runRecord('r2', { startedAt: T1, flow: 'other-flow' }) }, T1);
        await store.commit({ run: runRecord('r3', { startedAt: T2 }) }, T2);
        const finished = runRecord('r1', {
          startedAt: T0, status: 'completed', finishedAt: T1, counts: { read: 3, created: 2, updated: 0, skipped: 1, review: 0, failed: 0 },
          stats: { requests: 4 },
        });
        await store.commit({ run: finished }, T2);
        expect(await store.getRun('r1')).toEqual(finished);
        expect(await store.getRun('nope')).toBeUndefined();
        expect((await store.listRuns()).map((r) => r.id)).toEqual(['r3', 'r2', 'r1']);
        expect((await store.listRuns({ flow: FLOW })).map((r) => r.id)).toEqual(['r3', 'r1']);
        expect((await store.listRuns({ limit: 1 })).map((r) => r.id)).toEqual(['r3']);
        const aborted = runRecord('r4', { startedAt: T2, status: 'aborted', error: 'stopped' });
        await store.commit({ run: aborted }, T2);
        expect((await store.listRuns({ limit: 2 })).map((r) => r.id)).toEqual(['r4', 'r3']);
        expect(await store.getRun('r4')).toEqual(aborted);
      });
    });

    describe('named leases', () => {
      it('acquires, refuses others until expiry, extends for the holder, releases only for the holder', async () => {
        expect(await store.acquireLease('runner:bc-invoices', 'a', 1000, 0)).toBe(true);
        expect(await store.acquireLease('runner:bc-invoices', 'b', 1000, 999)).toBe(false);
        expect(await store.acquireLease('scheduler', 'b', 1000, 999)).toBe(true);
        expect(await store.acquireLease('runner:bc-invoices', 'a', 1000, 900)).toBe(true);
        expect(await store.acquireLease('runner:bc-invoices', 'b', 1000, 1899)).toBe(false);
        expect(await store.acquireLease('runner:bc-invoices', 'b', 1000, 1900)).toBe(true);
        expect(await store.releaseLease('runner:bc-invoices', 'a')).toBe(false);
        expect(await store.releaseLease('runner:bc-invoices', 'b')).toBe(true);
        expect(await store.releaseLease('runner:bc-invoices', 'b')).toBe(false);
        expect(await store.acquireLease('runner:bc-invoices', 'a', 1000, 1901)).toBe(true);
        expect(isInvalidInputError(await rejection(store.acquireLease('x', 'a', -1, 0)))).toBe(true);
      });
    });

    describe('key-value areas', () => {
      it('keeps values per namespace', async () => {
        const vault = store.keyValue('vault');
        const other = store.keyValue('other');
        expect(await vault.get('k')).toBeUndefined();
        await vault.set('k', 'v1');
        await vault.set('b', 'x');
        await vault.set('k', 'v2');
        expect(await vault.get('k')).toBe('v2');
        expect(await other.get('k')).toBeUndefined();
        expect(await vault.keys()).toEqual(['b', 'k']);
        expect(await store.keyValue('vault').get('b')).toBe('x');
        expect(await vault.delete('k')).toBe(true);
        expect(await vault.delete('k')).toBe(false);
        expect(await vault.keys()).toEqual(['b']);
        expect(await other.keys()).toEqual([]);
      });
    });

    describe('properties', () => {
      it('claims, releases and commits by several owners agree with a model: one unexpired holder, revisions increase', async () => {
        const owners = ['a', 'b', 'c'] as const;
        const op = fc.oneof(
          fc.record({ kind: fc.constant('claim' as const), record: fc.nat(1), owner: fc.constantFrom(...owners), leaseMs: fc.integer({ min: 1, max: 50 }), advance: fc.nat(40) }),
          fc.record({ kind: fc.constant('release' as const), record: fc.nat(1), owner: fc.constantFrom(...owners) }),
          fc.record({ kind: fc.constant('commit' as const), record: fc.nat(1), stale: fc.boolean(), release: fc.boolean() }),
        );
        await fc.assert(
          fc.asyncProperty(fc.array(op, { maxLength: 30 }), async (ops) => {
            const s = await open();
            try {
              let now = 1000;
              const leases = new Map<number, { owner: string; expiresAt: number }>();
              const revisions = new Map<number, number>();
              for (const o of ops) {
                const key = recordKey(`r${o.record}`);
                if (o.kind === 'claim') {
                  now += o.advance;
                  const held = leases.get(o.record);
                  const result = await s.claim(key, o.owner, o.leaseMs, now);
                  if (held && held.owner !== o.owner && held.expiresAt > now) {
                    expect(result).toEqual({ claimed: false, owner: held.owner, leaseExpiresAt: held.expiresAt });
                  } else {
                    expect(result).toMatchObject({ claimed: true, leaseExpiresAt: now + o.leaseMs });
                    if (result.claimed) expect(result.entry?.revision).toBe(revisions.get(o.record));
                    leases.set(o.record, { owner: o.owner, expiresAt: now + o.leaseMs });
                  }
                } else if (o.kind === 'release') {
                  const held = leases.get(o.record)?.owner === o.owner;
                  expect(await s.release(key, o.owner)).toBe(held);
                  if (held) leases.delete(o.record);
                } else {
                  const revision = revisions.get(o.record) ?? 0;
                  const write = { entry: ledgerEntry(`r${o.record}`, { attempts: revision }), expectedRevision: o.stale ? revision + 1 : revision, releaseLease: o.release };
                  const committed = s.commit({ ledger: [write], audit: [auditEvent(`r${o.record}`)] }, T0);
                  if (o.stale) {
                    expect(isStoreConflictError(await rejection(committed))).toBe(true);
                  } else {
                    await committed;
                    revisions.set(o.record, revision + 1);
                    if (o.release) leases.delete(o.record);
                  }
                }
                for (const record of [0, 1]) {
                  const entry = await s.getLedgerEntry(recordKey(`r${record}`));
                  expect(entry?.revision).toBe(revisions.get(record));
                  if (entry) {
                    const lease = leases.get(record);
                    expect(entry.leaseOwner).toBe(lease?.owner);
                    expect(entry.leaseExpiresAt).toBe(lease?.expiresAt);
                  }
                }
              }
              const committedCount = [...revisions.values()].reduce((a, b) => a + b, 0);
              expect(await s.queryAudit({})).toHaveLength(committedCount);
            } finally {
              await s.close();
            }
          }),
          { numRuns: propertyRuns },
        );
      });

      it('gives back any JSON payload and business id through audit and review as JSON would', async () => {
        const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 });
        const payload = fc.jsonValue({ maxDepth: 3, stringUnit: 'grapheme' });
        await fc.assert(
          fc.asyncProperty(fc.uniqueArray(text, { maxLength: 4 }), payload, payload, async (businessIds, body, sourceRecord) => {
            const s = await open();
            try {
              const sourceId = businessIds[0] ?? 'x';
              const override = { field: body };
              await s.commit(
                { audit: [auditEvent(sourceId, { businessIds, payload: body })], review: [reviewItem(sourceId, { businessIds, sourceRecord, override })] },
                T0,
              );
              const asJson = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
              const [event] = await s.queryAudit({ record: recordKey(sourceId) });
              expect(event!.businessIds).toEqual(businessIds);
              expect(event!.payload).toEqual(asJson(body));
              const item = (await s.getReview(recordKey(sourceId)))!;
              expect(item.sourceRecord).toEqual(asJson(sourceRecord));
              expect(item.override).toEqual(asJson(override));
              for (const id of businessIds) {
                expect((await s.queryAudit({ businessId: id })).map((e) => e.sourceId)).toEqual([sourceId]);
                expect((await s.listReview({ businessId: id })).map((r) => r.sourceId)).toEqual([sourceId]);
              }
            } finally {
              await s.close();
            }
          }),
          { numRuns: propertyRuns },
        );
      });
    });
  });
}
