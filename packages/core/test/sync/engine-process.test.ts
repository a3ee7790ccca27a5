import { describe, expect, it } from 'vitest';
import { createSyncEngine } from '@ml-connector/core/sync';
import { invoice } from './engine-fakes.js';
import { setup } from './engine-setup.js';

describe('sync engine: process (the per-record entry point of queue workers)', () => {
  it('writes the given records through the ledger without reading the source or saving a checkpoint', async () => {
    const t = setup([invoice('9')]);
    const summary = await t.engine.process(t.flow, [invoice('1'), invoice('2')], { onEvent: t.onEvent });
    expect(summary).toMatchObject({ status: 'completed', counts: { read: 2, created: 2 }, unsettled: [] });
    expect(t.target.docs.size).toBe(2);
    expect(await t.store.getCheckpoint(t.stream)).toBeUndefined();
    expect((await t.engine.audit({ record: t.key('1') })).map((e) => e.step)).toEqual(['received', 'mapped', 'written']);
    expect((await t.engine.runs({ flow: t.flow.name }))[0]).toMatchObject({ id: summary.runId, status: 'completed' });
  });

  it('skips a record processed before: a re-delivered job writes nothing', async () => {
    const t = setup();
    await t.engine.process(t.flow, [invoice('1')]);
    const again = await t.engine.process(t.flow, [invoice('1')]);
    expect(again.counts).toMatchObject({ read: 1, created: 0, skipped: 1 });
    expect(t.target.calls.create).toBe(1);
  });

  it('reports a record another worker holds as unsettled, and settles it once the lease expires', async () => {
    const t = setup();
    await t.store.claim(t.key('1'), 'dead-worker', 60_000, t.clock.now());
    const held = await t.engine.process(t.flow, [invoice('1'), invoice('2')]);
    expect(held.unsettled).toEqual(['1']);
    expect(held.counts.created).toBe(1);
    t.clock.advance(60_000);
    const later = await t.engine.process(t.flow, [invoice('1')]);
    expect(later).toMatchObject({ unsettled: [], counts: { created: 1 } });
    expect(t.target.byNumber('INV-1')).toHaveLength(1);
  });

  it('routes a record whose mapping fails to review; it is settled, not unsettled', async () => {
    const t = setup([], { accounts: new Map() });
    const summary = await t.engine.process(t.flow, [invoice('1')]);
    expect(summary).toMatchObject({ unsettled: [], counts: { review: 1 } });
    expect(await t.store.getReview(t.key('1'))).toMatchObject({ state: 'open' });
  });

  it('refuses something that is not an array of records', async () => {
    const t = setup();
    const engine = createSyncEngine({ store: t.store });
    await expect(engine.process(t.flow, 'nope' as never)).rejects.toMatchObject({ field: 'records' });
  });
});
