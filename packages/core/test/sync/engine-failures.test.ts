import { InvalidInputError } from '@ml-connector/core';
import { StoreConflictError, createSyncEngine } from '@ml-connector/core/sync';
import { describe, expect, it, vi } from 'vitest';
import { invoice, outcomeUnknown, rateLimited, rejected, unauthorized } from './engine-fakes.js';
import { setup } from './engine-setup.js';

describe('sync engine: failures', () => {
  it('parks a retryable failure as a retrying review item, moves the checkpoint on, and retries it first next run', async () => {
    const t = setup([invoice('1'), invoice('2')]);
    t.target.failures.push({ op: 'create', number: 'INV-1', error: rateLimited });
    const first = await t.engine.run(t.flow);
    expect(first.counts).toMatchObject({ created: 1, failed: 1 });
    expect(await t.store.getLedgerEntry(t.key('1'))).toMatchObject({ state: 'failed', attempts: 1, lastErrorCode: 'RATE_LIMITED' });
    expect(await t.store.getReview(t.key('1'))).toMatchObject({ state: 'retrying', reason: 'retry-exhausted' });
    expect(await t.store.getCheckpoint(t.stream)).toMatchObject({ value: '2' });

    const second = await t.engine.run(t.flow);
    expect(second.counts).toMatchObject({ read: 1, created: 1, failed: 0 });
    expect(t.target.byNumber('INV-1')).toHaveLength(1);
    expect(await t.store.getLedgerEntry(t.key('1'))).toMatchObject({ state: 'confirmed', attempts: 2 });
    expect(await t.store.getReview(t.key('1'))).toMatchObject({ state: 'resolved', attempts: 1 });
    const steps = (await t.engine.audit({ record: t.key('1') })).map((e) => e.step);
    expect(steps).toEqual(['received', 'mapped', 'failed', 'received', 'mapped', 'looked-up', 'written', 'resolved']);
  });

  it('looks up a write with an unknown outcome by natural key and adopts it instead of creating again', async () => {
    const t = setup([invoice('1')]);
    t.target.failures.push({ op: 'create', error: outcomeUnknown, afterWrite: true });
    await t.engine.run(t.flow);
    expect(await t.store.getLedgerEntry(t.key('1'))).toMatchObject({ state: 'unknown', lastErrorCode: 'OUTCOME_UNKNOWN' });
    expect(await t.store.getReview(t.key('1'))).toMatchObject({ state: 'retrying', reason: 'outcome-unknown' });

    const second = await t.engine.run(t.flow);
    expect(second.counts).toMatchObject({ created: 1 });
    expect(t.target.calls.create).toBe(1);
    expect(t.target.docs.size).toBe(1);
    const [docId] = [...t.target.docs.keys()];
    expect(await t.store.getLedgerEntry(t.key('1'))).toMatchObject({ state: 'confirmed', targetId: docId });
    const trail = await t.engine.audit({ record: t.key('1'), runId: second.runId });
    expect(trail.find((e) => e.step === 'looked-up')).toMatchObject({ targetId: docId });
    expect(trail.find((e) => e.step === 'written')?.detail).toMatch(/adopted/);
  });

  it('completes a write that landed only in part: the document found by natural key differs, so it is updated, not adopted', async () => {
    const t = setup([invoice('1')]);
    t.target.failures.push({ op: 'create', error: outcomeUnknown, afterWrite: true, landed: { amount: 0 } });
    await t.engine.run(t.flow);
    expect(await t.store.getLedgerEntry(t.key('1'))).toMatchObject({ state: 'unknown' });

    const second = await t.engine.run(t.flow);
    expect(second.counts).toMatchObject({ created: 0, updated: 1 });
    expect(t.target.calls).toMatchObject({ create: 1, update: 1 });
    const [docId, doc] = [...t.target.docs][0]!;
    expect(doc.payload.amount).toBe(invoice('1').amount);
    expect(await t.store.getLedgerEntry(t.key('1'))).toMatchObject({ state: 'confirmed', targetId: docId });
    const trail = await t.engine.audit({ record: t.key('1'), runId: second.runId });
    expect(trail.find((e) => e.step === 'looked-up')?.detail).toMatch(/found, differing in amount,/);
    expect(trail.map((e) => e.step)).toContain('updated');

    // A third run has nothing left to do.
    expect((await t.engine.run(t.flow)).counts).toMatchObject({ created: 0, updated: 0 });
    expect(t.target.calls).toMatchObject({ create: 1, update: 1 });
  });

  it('sends a part-landed document that was posted meanwhile to review instead of adopting it', async () => {
    const t = setup([invoice('1')]);
    t.target.failures.push({ op: 'create', error: outcomeUnknown, afterWrite: true, landed: { amount: 0 } });
    await t.engine.run(t.flow);
    t.target.lock('INV-1');
    const second = await t.engine.run(t.flow);
    expect(second.counts).toMatchObject({ created: 0, updated: 0, review: 1 });
    expect(t.target.calls.update).toBe(0);
    expect(await t.store.getReview(t.key('1'))).toMatchObject({ state: 'open', reason: 'target-posted' });
  });

  it('survives a crash between sent and confirmed: a fresh engine adopts the document, never a second create', async () => {
    const t = setup([invoice('1'), invoice('2'), invoice('3')]);
    t.source.pageSize = 3;
    t.target.failures.push({ op: 'create', number: 'INV-2', error: () => new Error('killed'), hang: true, afterWrite: true });
    // The first process dies while INV-2's create is in flight (the target already stored it).
    void t.engine.run(t.flow);
    await vi.waitFor(() => expect(t.target.docs.size).toBe(3));
    expect(await t.store.getLedgerEntry(t.key('2'))).toMatchObject({ state: 'sent' });
    expect(await t.store.getCheckpoint(t.stream)).toBeUndefined();

    t.clock.advance(5 * 60_000 + 1); // the dead process's lease expires
    const restarted = createSyncEngine({ store: t.store, now: t.clock.now, owner: 'runner-2' });
    const summary = await restarted.run(t.flow);
    expect(summary.counts).toMatchObject({ read: 3, skipped: 2, created: 1 });
    expect(t.target.byNumber('INV-2')).toHaveLength(1);
    expect(t.target.docs.size).toBe(3);
    expect(t.target.calls.create).toBe(3);
    expect(await t.store.getLedgerEntry(t.key('2'))).toMatchObject({ state: 'confirmed' });
    expect(await t.store.getCheckpoint(t.stream)).toMatchObject({ value: '3' });
  });

  it('leaves a record another live engine holds for a later run, without acknowledging its page', async () => {
    const t = setup([invoice('1')]);
    await t.store.claim(t.key('1'), 'someone-else', 60_000, t.clock.now());
    const summary = await t.engine.run(t.flow, { onEvent: t.onEvent });
    expect(t.target.docs.size).toBe(0);
    expect(t.events.find((e) => e.type === 'warning')).toMatchObject({ code: 'record-leased' });
    expect(await t.store.getCheckpoint(t.stream)).toBeUndefined();
    expect(summary.status).toBe('completed');
  });

  it('sends a record the target rejects to review (open) and goes on with the batch', async () => {
    const t = setup([invoice('1'), invoice('2')]);
    t.target.failures.push({ op: 'create', number: 'INV-1', error: rejected });
    const summary = await t.engine.run(t.flow);
    expect(summary.counts).toMatchObject({ created: 1, review: 1 });
    expect(await t.store.getReview(t.key('1'))).toMatchObject({ state: 'open', reason: 'target-rejected' });
    expect(await t.store.getLedgerEntry(t.key('1'))).toMatchObject({ state: 'failed', lastErrorCode: 'VALIDATION_FAILED' });
    expect(await t.store.getCheckpoint(t.stream)).toMatchObject({ value: '2' });
  });

  it('stops after 3 authentication failures in a row and acknowledges nothing of the page', async () => {
    const t = setup([invoice('1'), invoice('2'), invoice('3'), invoice('4')], { concurrency: 1 });
    t.source.pageSize = 4;
    for (let i = 0; i < 4; i++) t.target.failures.push({ op: 'create', error: unauthorized });
    const summary = await t.engine.run(t.flow, { onEvent: t.onEvent });
    expect(summary.status).toBe('failed');
    expect(summary.error).toMatch(/3 authentication failures in a row/);
    expect(t.events.find((e) => e.type === 'warning')).toMatchObject({ code: 'auth-failure-limit' });
    expect(t.events.at(-1)).toMatchObject({ type: 'run-finished', summary: { status: 'failed' } });
    expect(t.target.calls.create).toBe(3);
    expect(await t.store.getCheckpoint(t.stream)).toBeUndefined();
    expect((await t.engine.runs())[0]).toMatchObject({ status: 'failed', error: summary.error });

    const next = await t.engine.run(t.flow);
    expect(next.status).toBe('completed');
    expect(t.target.docs.size).toBe(4);
  });

  it('counts auth failures only in a row: a success in between resets the streak', async () => {
    const t = setup(['1', '2', '3', '4', '5'].map((id) => invoice(id)), { concurrency: 1 });
    t.source.pageSize = 5;
    t.target.failures.push(
      { op: 'create', number: 'INV-1', error: unauthorized },
      { op: 'create', number: 'INV-2', error: unauthorized },
      { op: 'create', number: 'INV-4', error: unauthorized },
      { op: 'create', number: 'INV-5', error: unauthorized },
    );
    const summary = await t.engine.run(t.flow);
    expect(summary.status).toBe('completed');
    expect(summary.counts).toMatchObject({ created: 1, failed: 4 });
    expect(await t.engine.reviews({ state: 'retrying', reason: 'auth-failed' })).toHaveLength(4);
  });

  it('stops at once on a configuration error', async () => {
    const t = setup([invoice('1'), invoice('2')]);
    const flow = { ...t.flow, map: () => { throw new InvalidInputError('company id is not set', { field: 'companyId' }); } };
    const summary = await t.engine.run(flow, { onEvent: t.onEvent });
    expect(summary.status).toBe('failed');
    expect(summary.error).toMatch(/configuration error.*company id is not set/);
    expect(await t.store.getCheckpoint(t.stream)).toBeUndefined();
    expect(await t.engine.reviews()).toEqual([]);
  });

  it('fails the run with a clear error when the source cannot be read, saving nothing of the broken page', async () => {
    const t = setup([invoice('1'), invoice('2'), invoice('3')]);
    t.source.onPage = (index) => {
      if (index === 1) throw rateLimited();
    };
    const summary = await t.engine.run(t.flow);
    expect(summary).toMatchObject({ status: 'failed', counts: { created: 2 } });
    expect(summary.error).toMatch(/Too many requests/);
    expect(await t.store.getCheckpoint(t.stream)).toMatchObject({ value: '2' });
  });

  it('leaves a record unsettled, with a warning, when the store refuses its change, and reads the page again next run', async () => {
    const t = setup([invoice('1'), invoice('2')]);
    const commit = t.store.commit.bind(t.store);
    let refused = false;
    t.store.commit = async (change, now) => {
      if (!refused && change.ledger?.some((write) => write.entry.sourceId === '2' && write.entry.state === 'sent')) {
        refused = true;
        throw new StoreConflictError('revision 1 expected, found 2');
      }
      return commit(change, now);
    };
    const summary = await t.engine.run(t.flow, { onEvent: t.onEvent });
    expect(summary.counts).toMatchObject({ created: 1 });
    expect(t.events.find((e) => e.type === 'warning')).toMatchObject({ code: 'record-not-settled' });
    expect(await t.store.getCheckpoint(t.stream)).toBeUndefined();
    expect((await t.store.claim(t.key('2'), 'other', 1_000, t.clock.now())).claimed).toBe(true);
    await t.store.release(t.key('2'), 'other');

    expect((await t.engine.run(t.flow)).counts).toMatchObject({ created: 1, skipped: 1 });
    expect(t.target.docs.size).toBe(2);
  });
});
