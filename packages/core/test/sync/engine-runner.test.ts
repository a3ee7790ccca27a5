import { contentHash, createMemorySyncStore, createSyncEngine } from '@ml-connector/core/sync';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { invoice } from './engine-fakes.js';
import { setup } from './engine-setup.js';

describe('sync engine: runner and checkpoints', () => {
  afterEach(() => void vi.useRealTimers());

  it('on abort starts no new record, finishes the writes in flight and saves only fully settled pages', async () => {
    const t = setup(['1', '2', '3', '4', '5', '6'].map((id) => invoice(id)));
    const controller = new AbortController();
    const create = t.target.create.bind(t.target);
    t.target.create = async (payload) => {
      // Abort while INV-3 (page 2) is being written: its write must still complete.
      if (payload.number === 'INV-3') controller.abort();
      return create(payload);
    };
    const summary = await t.engine.run(t.flow, { signal: controller.signal, onEvent: t.onEvent });
    expect(summary.status).toBe('aborted');
    expect(t.target.byNumber('INV-3')).toHaveLength(1);
    expect(await t.store.getLedgerEntry(t.key('3'))).toMatchObject({ state: 'confirmed' });
    expect(t.target.byNumber('INV-5')).toHaveLength(0);
    // Page 2 (INV-3, INV-4) completed in flight; page 3 never started.
    expect(await t.store.getCheckpoint(t.stream)).toMatchObject({ value: '4' });
    expect((await t.engine.runs())[0]).toMatchObject({ status: 'aborted', counts: { created: 4 } });

    const rest = await t.engine.run(t.flow);
    expect(rest.counts).toMatchObject({ read: 2, created: 2 });
    expect(t.target.docs.size).toBe(6);
  });

  it('does not acknowledge a page cut short by an abort', async () => {
    const t = setup(['1', '2', '3', '4'].map((id) => invoice(id)), { concurrency: 1 });
    t.source.pageSize = 4;
    const controller = new AbortController();
    const map = t.flow.map;
    const flow = { ...t.flow, map: (record: Parameters<typeof map>[0], context: Parameters<typeof map>[1]) => {
      if (record.id === '2') controller.abort();
      return map(record, context);
    } };
    const summary = await t.engine.run(flow, { signal: controller.signal });
    expect(summary).toMatchObject({ status: 'aborted', counts: { read: 2, created: 2 } });
    expect(await t.store.getCheckpoint(t.stream)).toBeUndefined();
  });

  it('dry run maps, preflights, looks up and diffs, and writes nothing anywhere', async () => {
    const t = setup([invoice('1'), invoice('2', { gl: 'none' }), invoice('3', { vendor: 'V9' })]);
    const summary = await t.engine.run(t.flow, { dryRun: true, onEvent: t.onEvent });
    expect(summary).toMatchObject({ dryRun: true, status: 'completed', counts: { read: 3, created: 1, review: 2 } });
    const records = t.events.filter((e) => e.type === 'record');
    expect(records.find((e) => e.key.sourceId === '1')).toMatchObject({
      outcome: 'dry-run',
      changes: expect.arrayContaining([{ path: 'amount', after: 100 }, { path: 'account', after: 'A-6000' }]),
    });
    expect(records.find((e) => e.key.sourceId === '2')).toMatchObject({ outcome: 'review', reason: 'missing-mapping' });
    expect(records.find((e) => e.key.sourceId === '3')).toMatchObject({ outcome: 'review', reason: 'unknown-vendor' });
    expect(t.target.calls).toMatchObject({ create: 0, update: 0, find: 1 });
    expect(t.target.docs.size).toBe(0);
    expect(await t.store.listLedger({ flow: t.flow.name })).toEqual([]);
    expect(await t.store.queryAudit({})).toEqual([]);
    expect(await t.store.listReview()).toEqual([]);
    expect(await t.store.listRuns()).toEqual([]);
    expect(await t.store.getCheckpoint(t.stream)).toBeUndefined();
  });

  it('dry run after a change shows the field-level diff of the update', async () => {
    const t = setup([invoice('1')]);
    await t.engine.run(t.flow);
    t.source.put(invoice('1', { version: 2, amount: 300 }));
    await t.engine.run(t.flow, { dryRun: true, onEvent: t.onEvent });
    expect(t.events.find((e) => e.type === 'record')).toMatchObject({ outcome: 'dry-run', changes: [{ path: 'amount', before: 100, after: 300 }] });
    expect(t.target.byNumber('INV-1')[0]?.[1].payload.amount).toBe(100);
  });

  it('ignores a checkpoint saved for another query, with a warning', async () => {
    const t = setup([invoice('1'), invoice('2'), invoice('3')]);
    await t.engine.run(t.flow);
    expect(t.source.reads).toEqual([undefined]);
    await t.engine.run(t.flow);
    expect(t.source.reads).toEqual([undefined, '3']);
    t.source.query = { status: 'approved', since: '2026-01-01' };
    const summary = await t.engine.run(t.flow, { onEvent: t.onEvent });
    expect(t.source.reads.at(-1)).toBeUndefined();
    expect(t.events.find((e) => e.type === 'warning')).toMatchObject({ code: 'checkpoint-query-changed' });
    expect(summary.counts).toMatchObject({ read: 3, skipped: 3, created: 0 });
    expect(await t.store.getCheckpoint(t.stream)).toMatchObject({ queryHash: contentHash(t.source.query) });
  });

  it('backfills from the beginning with a warning when the saved cursor is unreadable', async () => {
    const t = setup([invoice('1'), invoice('2')]);
    await t.store.commit({ checkpoint: { stream: t.stream, queryHash: contentHash(t.source.query), value: 'garbage' } }, new Date(0).toISOString());
    const summary = await t.engine.run(t.flow, { onEvent: t.onEvent });
    expect(summary.status).toBe('completed');
    expect(t.source.reads).toEqual(['garbage', undefined]);
    expect(t.events.find((e) => e.type === 'warning')).toMatchObject({ code: 'checkpoint-unreadable' });
    expect(t.target.docs.size).toBe(2);
    expect(await t.store.getCheckpoint(t.stream)).toMatchObject({ value: '2' });
  });

  it('stops after maxRecords and acknowledges only whole pages', async () => {
    const t = setup(['1', '2', '3', '4', '5'].map((id) => invoice(id)));
    const summary = await t.engine.run(t.flow, { maxRecords: 3 });
    expect(summary.counts).toMatchObject({ read: 3, created: 3 });
    expect(await t.store.getCheckpoint(t.stream)).toMatchObject({ value: '2' });
  });

  it('schedules runs on an interval until aborted, one scheduler per flow', async () => {
    vi.useFakeTimers();
    const t = setup([invoice('1')]);
    const other = createSyncEngine({ store: t.store, now: t.clock.now, owner: 'runner-2' });
    const controller = new AbortController();
    const runs: string[] = [];
    const onEvent = (owner: string) => (event: { type: string }) => void (event.type === 'run-started' && runs.push(owner));
    const first = t.engine.schedule(t.flow, { intervalMs: 60_000, signal: controller.signal, onEvent: onEvent('runner-1') });
    const second = other.schedule(t.flow, { intervalMs: 60_000, signal: controller.signal, onEvent: onEvent('runner-2') });
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toEqual(['runner-1']);
    t.source.put(invoice('2'));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(runs).toEqual(['runner-1', 'runner-1']);
    expect(t.target.docs.size).toBe(2);
    controller.abort();
    await vi.advanceTimersByTimeAsync(0);
    await Promise.all([first, second]);
    expect((await t.engine.runs()).every((run) => run.status === 'completed')).toBe(true);
    // The lease is released: another scheduler can take the flow now.
    expect(await t.store.acquireLease('flow:bc-invoices', 'runner-3', 1_000, t.clock.now())).toBe(true);
  });

  it('lets another scheduler take over when the lease holder is gone', async () => {
    const store = createMemorySyncStore();
    const t = setup([invoice('1')], { store });
    await store.acquireLease('flow:bc-invoices', 'dead-runner', 10_000, t.clock.now());
    const controller = new AbortController();
    t.clock.advance(10_001);
    const events: string[] = [];
    const done = t.engine.schedule(t.flow, { intervalMs: 1_000, signal: controller.signal, onEvent: (e) => {
      events.push(e.type);
      if (e.type === 'run-finished') controller.abort();
    } });
    await done;
    expect(events).toContain('run-finished');
    expect(t.target.docs.size).toBe(1);
  });

  it('stops a scheduled run at the next page when another scheduler took the flow lease', async () => {
    const t = setup([invoice('1'), invoice('2'), invoice('3'), invoice('4')]);
    const engine = createSyncEngine({ store: t.store, now: t.clock.now, owner: 'runner-1', leaseMs: 1_000 });
    t.source.onPage = (index) => {
      if (index !== 1) return;
      t.clock.advance(10_000); // this scheduler stalled past its lease ...
      void t.store.acquireLease('flow:bc-invoices', 'runner-2', 60_000, t.clock.now()); // ... and another took over
    };
    const controller = new AbortController();
    const events: { type: string; code?: string; summary?: { status: string } }[] = [];
    await engine.schedule(t.flow, { intervalMs: 1_000, signal: controller.signal, onEvent: (e) => {
      events.push(e);
      if (e.type === 'run-finished') controller.abort();
    } });
    expect(events.find((e) => e.type === 'warning')).toMatchObject({ code: 'lease-lost' });
    expect(events.at(-1)).toMatchObject({ type: 'run-finished', summary: { status: 'failed' } });
    expect(t.target.docs.size).toBe(2);
    expect(await t.store.getCheckpoint(t.stream)).toMatchObject({ value: '2' });
  });
});
