import { createSyncEngine, openSqliteSyncStore } from '@ml-connector/core/sync';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { invoice, outcomeUnknown, unauthorized } from './engine-fakes.js';
import { checkLedgerProperty } from './engine-property.js';
import { setup } from './engine-setup.js';

// The engine's guarantees on the embedded default store (SQLite, in memory here).
describe('sync engine on SQLite', () => {
  const stores: { close(): Promise<void> }[] = [];
  const open = async () => {
    const store = await openSqliteSyncStore({ path: ':memory:' });
    stores.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });

  it('creates, then creates nothing on a re-read, then updates a changed version', async () => {
    const t = setup([invoice('1'), invoice('2'), invoice('3')], { store: await open() });
    expect((await t.engine.run(t.flow)).counts).toMatchObject({ created: 3 });
    await t.store.deleteCheckpoint(t.stream);
    expect((await t.engine.run(t.flow)).counts).toMatchObject({ created: 0, skipped: 3 });
    t.source.put(invoice('2', { version: 2, amount: 5 }));
    expect((await t.engine.run(t.flow)).counts).toMatchObject({ updated: 1, created: 0 });
    expect(t.target.docs.size).toBe(3);
    expect((await t.engine.audit({ businessId: 'INV-2' })).map((e) => e.step)).toEqual([
      'received', 'mapped', 'written', 'received', 'skipped-duplicate', 'received', 'mapped', 'updated',
    ]);
  });

  it('recovers a crash between sent and confirmed with one document', async () => {
    const t = setup([invoice('1'), invoice('2')], { store: await open() });
    t.target.failures.push({ op: 'create', number: 'INV-1', error: () => new Error('killed'), hang: true, afterWrite: true });
    void t.engine.run(t.flow);
    await vi.waitFor(() => expect(t.target.hangs).toBe(1));
    t.clock.advance(5 * 60_000 + 1);
    const restarted = createSyncEngine({ store: t.store, now: t.clock.now, owner: 'runner-2' });
    await restarted.run(t.flow);
    expect(t.target.byNumber('INV-1')).toHaveLength(1);
    expect(t.target.docs.size).toBe(2);
    expect(await t.store.getLedgerEntry(t.key('1'))).toMatchObject({ state: 'confirmed' });
  });

  it('keeps unknown outcomes and missing mappings in the queue and completes them once', async () => {
    const t = setup([invoice('1'), invoice('2', { gl: '9999' })], { store: await open() });
    t.target.failures.push({ op: 'create', number: 'INV-1', error: outcomeUnknown, afterWrite: true });
    await t.engine.run(t.flow);
    expect((await t.engine.reviews()).map((r) => [r.sourceId, r.state, r.reason]).sort()).toEqual([
      ['1', 'retrying', 'outcome-unknown'],
      ['2', 'open', 'missing-mapping'],
    ]);
    t.accounts.set('9999', 'A-6000');
    await t.engine.run(t.flow);
    await t.engine.replay(t.flow, { reason: 'missing-mapping' });
    expect(t.target.calls.create).toBe(2);
    expect((await t.engine.reviews()).every((r) => r.state === 'resolved')).toBe(true);
  });

  it('stops on repeated auth failures without saving the checkpoint', async () => {
    const t = setup([invoice('1'), invoice('2'), invoice('3')], { store: await open(), concurrency: 1 });
    t.source.pageSize = 3;
    for (let i = 0; i < 3; i++) t.target.failures.push({ op: 'create', error: unauthorized });
    const summary = await t.engine.run(t.flow);
    expect(summary.status).toBe('failed');
    expect(await t.store.getCheckpoint(t.stream)).toBeUndefined();
    expect((await t.engine.runs())[0]).toMatchObject({ status: 'failed', counts: { failed: 3 } });
  });

  it('dry run leaves the SQLite store empty', async () => {
    const t = setup([invoice('1'), invoice('2', { gl: 'x' })], { store: await open() });
    await t.engine.run(t.flow, { dryRun: true });
    expect([await t.store.listLedger({ flow: t.flow.name }), await t.store.queryAudit({}), await t.store.listReview(), await t.store.listRuns()]).toEqual([[], [], [], []]);
    expect(await t.store.getCheckpoint(t.stream)).toBeUndefined();
  });

  it('holds the ledger property', async () => {
    await checkLedgerProperty(open, 15);
  });
});
