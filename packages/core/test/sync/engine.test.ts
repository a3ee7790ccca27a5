import { InvalidInputError } from '@ml-connector/core';
import { contentHash, createMemorySyncStore, createSyncEngine } from '@ml-connector/core/sync';
import { describe, expect, it } from 'vitest';
import { invoice } from './engine-fakes.js';
import { setup } from './engine-setup.js';

describe('sync engine: writing through the ledger', () => {
  it('creates one document per record, audits every step and saves the checkpoint after each page', async () => {
    const t = setup([invoice('1'), invoice('2'), invoice('3', { vendor: 'V2' })]);
    const summary = await t.engine.run(t.flow, { onEvent: t.onEvent });

    expect(summary).toMatchObject({ status: 'completed', dryRun: false, counts: { read: 3, created: 3, updated: 0, skipped: 0, review: 0, failed: 0 } });
    expect(t.target.docs.size).toBe(3);
    const ledger = await t.store.getLedgerEntry(t.key('1'));
    expect(ledger).toMatchObject({ state: 'confirmed', sourceVersion: '1', targetSystem: 'business-central', naturalKey: 'V1/INV-1', attempts: 1, businessIds: ['INV-1', 'V1'] });
    expect(ledger?.targetId).toBe(t.target.byNumber('INV-1')[0]?.[0]);
    expect(ledger?.targetVersion).toBe('W/"1"');

    const trail = await t.engine.audit({ record: t.key('1') });
    expect(trail.map((e) => e.step)).toEqual(['received', 'mapped', 'written']);
    expect(trail[2]).toMatchObject({ targetId: ledger?.targetId, requestId: `req-${ledger?.targetId}`, runId: summary.runId, payload: { number: 'INV-1', account: 'A-6000' } });
    expect(await t.engine.audit({ businessId: 'INV-3' })).toHaveLength(3);

    expect(await t.store.getCheckpoint(t.stream)).toMatchObject({ value: '3', queryHash: contentHash({ status: 'approved' }) });
    expect(t.events.filter((e) => e.type === 'checkpoint-saved')).toHaveLength(2);
    expect(t.events.map((e) => e.type)).toEqual(['run-started', 'page-read', 'record', 'record', 'checkpoint-saved', 'page-read', 'record', 'checkpoint-saved', 'run-finished']);
    const [run] = await t.engine.runs({ flow: t.flow.name });
    expect(run).toMatchObject({ id: summary.runId, status: 'completed', counts: summary.counts });
  });

  it('creates nothing on a second run, even when the source re-reads everything (look-back)', async () => {
    const t = setup([invoice('1'), invoice('2'), invoice('3')]);
    await t.engine.run(t.flow);
    await t.store.deleteCheckpoint(t.stream);
    const again = await t.engine.run(t.flow);
    expect(again.counts).toMatchObject({ read: 3, created: 0, updated: 0, skipped: 3 });
    expect(t.target.calls.create).toBe(3);
    expect((await t.engine.audit({ record: t.key('2'), runId: again.runId })).map((e) => e.step)).toEqual(['received', 'skipped-duplicate']);
  });

  it('updates the draft when the source version changes, and keeps one document', async () => {
    const t = setup([invoice('1'), invoice('2')]);
    await t.engine.run(t.flow);
    t.source.put(invoice('1', { version: 2, amount: 250 }));
    const second = await t.engine.run(t.flow);
    expect(second.counts).toMatchObject({ read: 1, created: 0, updated: 1 });
    const docs = t.target.byNumber('INV-1');
    expect(docs).toHaveLength(1);
    expect(docs[0]?.[1].payload.amount).toBe(250);
    expect(await t.store.getLedgerEntry(t.key('1'))).toMatchObject({ state: 'confirmed', sourceVersion: '2', targetVersion: 'W/"2"', attempts: 2 });
    expect((await t.engine.audit({ record: t.key('1'), runId: second.runId })).map((e) => e.step)).toEqual(['received', 'mapped', 'updated']);
  });

  it('counts a write the target reports unchanged as skipped, confirms the new version and audits that nothing was sent', async () => {
    const t = setup([invoice('1')]);
    await t.engine.run(t.flow);
    t.target.reportUnchanged = true;
    t.source.put(invoice('1', { version: 2 })); // a new source version with the same content
    const second = await t.engine.run(t.flow);
    expect(second.counts).toMatchObject({ read: 1, created: 0, updated: 0, skipped: 1 });
    expect(t.target.calls.update).toBe(1);
    expect(await t.store.getLedgerEntry(t.key('1'))).toMatchObject({ state: 'confirmed', sourceVersion: '2' });
    const trail = await t.engine.audit({ record: t.key('1'), runId: second.runId });
    expect(trail.at(-1)).toMatchObject({ step: 'skipped-duplicate', detail: expect.stringMatching(/nothing to change for source version 2; nothing sent/) });
  });

  it('never modifies a posted document: the change goes to review as target-posted', async () => {
    const t = setup([invoice('1')]);
    await t.engine.run(t.flow);
    t.target.lock('INV-1');
    t.source.put(invoice('1', { version: 2, amount: 999 }));
    const summary = await t.engine.run(t.flow);
    expect(summary.counts).toMatchObject({ updated: 0, review: 1 });
    expect(t.target.calls.update).toBe(0);
    expect(t.target.byNumber('INV-1')[0]?.[1].payload.amount).toBe(100);
    const [item] = await t.engine.reviews({ flow: t.flow.name });
    expect(item).toMatchObject({ sourceId: '1', state: 'open', reason: 'target-posted', businessIds: ['INV-1', 'V1'] });
    expect(item?.detail).toContain('posted');
    expect(await t.store.getLedgerEntry(t.key('1'))).toMatchObject({ state: 'confirmed', sourceVersion: '1' });
    expect(await t.store.getCheckpoint(t.stream)).toMatchObject({ value: '2' });
  });

  it('skips a record its source marks as an echo of a write (two-way syncs), with an audit event, and writes it when the mark is gone', async () => {
    const t = setup([invoice('1'), invoice('2')]);
    const echoes = new Set(['2']);
    const flow = {
      ...t.flow,
      source: Object.assign(Object.create(t.source), {
        identify: (r: { id: string; version: number }) => ({ id: r.id, version: String(r.version), ...(echoes.has(r.id) ? { echoOf: 'flow other, target version W/"7"' } : {}) }),
      }),
    };
    const first = await t.engine.run(flow);
    expect(first.counts).toMatchObject({ read: 2, created: 1, skipped: 1 });
    expect(t.target.byNumber('INV-2')).toHaveLength(0);
    const trail = await t.engine.audit({ record: t.key('2') });
    expect(trail.map((e) => e.step)).toEqual(['received', 'skipped-duplicate']);
    expect(trail[1]?.detail).toBe('echo of flow other, target version W/"7"; not written back');
    echoes.clear();
    t.source.put(invoice('2', { version: 2 }));
    expect((await t.engine.run(flow)).counts).toMatchObject({ created: 1, skipped: 0 });
  });

  it('uses a content hash as the version when the source has none', async () => {
    const t = setup([invoice('1')]);
    const flow = { ...t.flow, source: Object.assign(Object.create(t.source), { identify: (r: { id: string }) => ({ id: r.id }) }) };
    await t.engine.run(flow);
    expect((await t.store.getLedgerEntry(t.key('1')))?.sourceVersion).toBe(contentHash(invoice('1')));
  });

  it('keeps at most `concurrency` writes in flight', async () => {
    const t = setup(Array.from({ length: 12 }, (_, i) => invoice(String(i))), { concurrency: 3 });
    t.source.pageSize = 12;
    let inFlight = 0;
    let peak = 0;
    const create = t.target.create.bind(t.target);
    t.target.create = async (payload) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      return create(payload);
    };
    await t.engine.run(t.flow);
    expect(t.target.docs.size).toBe(12);
    expect(peak).toBe(3);
  });

  it('refuses bad options and flows with InvalidInputError that names the field', async () => {
    expect(() => createSyncEngine({} as never)).toThrow(InvalidInputError);
    expect(() => createSyncEngine({ store: createMemorySyncStore(), concurrency: 0 })).toThrow(/concurrency must be a positive integer/);
    expect(() => createSyncEngine({ store: createMemorySyncStore(), leaseMs: -1 })).toThrow(/leaseMs/);
    const t = setup();
    await expect(t.engine.run({ ...t.flow, name: '' })).rejects.toThrow(/non-empty name/);
    await expect(t.engine.run({ ...t.flow, map: undefined as never })).rejects.toThrow(/map/);
    await expect(t.engine.replay(t.flow, {})).rejects.toThrow(/exactly one of sourceId/);
    await expect(t.engine.replay(t.flow, { sourceId: 'nope' })).rejects.toThrow(/no review item/);
    await expect(t.engine.schedule(t.flow, { intervalMs: 0 })).rejects.toThrow(/intervalMs/);
  });
});
