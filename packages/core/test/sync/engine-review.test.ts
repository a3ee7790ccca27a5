import { createSyncEngine } from '@ml-connector/core/sync';
import { describe, expect, it } from 'vitest';
import { invoice, rateLimited } from './engine-fakes.js';
import { setup } from './engine-setup.js';

describe('sync engine: preflight, review queue and replay', () => {
  it('sends a record with a missing mapping to review while the others go through; replay after the fix completes it once', async () => {
    const t = setup([invoice('1'), invoice('2', { gl: '9999' }), invoice('3')]);
    const first = await t.engine.run(t.flow);
    expect(first.counts).toMatchObject({ created: 2, review: 1 });
    const [item] = await t.engine.reviews({ reason: 'missing-mapping' });
    expect(item).toMatchObject({ sourceId: '2', state: 'open', businessIds: ['INV-2', 'V1'], sourceRecord: { id: '2', gl: '9999' } });
    expect(item?.detail).toMatch(/GL code 9999/);
    expect(await t.store.getCheckpoint(t.stream)).toMatchObject({ value: '3' });

    t.accounts.set('9999', 'A-7000');
    const replay = await t.engine.replay(t.flow, { reason: 'missing-mapping' });
    expect(replay.counts).toMatchObject({ read: 1, created: 1 });
    expect(t.target.byNumber('INV-2')).toHaveLength(1);
    expect(await t.store.getReview(t.key('2'))).toMatchObject({ state: 'resolved', attempts: 1 });

    const again = await t.engine.replay(t.flow, { sourceId: '2' });
    expect(again.counts).toMatchObject({ created: 0, skipped: 1 });
    expect(t.target.calls.create).toBe(3);
    const steps = (await t.engine.audit({ record: t.key('2') })).map((e) => e.step);
    expect(steps).toEqual(['received', 'sent-to-review', 'received', 'replayed', 'mapped', 'written', 'resolved', 'received', 'replayed', 'skipped-duplicate']);
  });

  it('merges a replay override over the mapped document and records it in the audit', async () => {
    const t = setup([invoice('1')]);
    t.target.vendors.delete('V1');
    await t.engine.run(t.flow);
    expect(await t.store.getReview(t.key('1'))).toMatchObject({ reason: 'unknown-vendor' });

    const summary = await t.engine.replay(t.flow, { sourceId: '1', override: { vendor: 'V2' } });
    expect(summary.counts.created).toBe(1);
    expect(t.target.byNumber('INV-1')[0]?.[1].payload).toMatchObject({ vendor: 'V2', amount: 100 });
    const replayed = (await t.engine.audit({ record: t.key('1'), runId: summary.runId })).find((e) => e.step === 'replayed');
    expect(replayed).toMatchObject({ payload: { vendor: 'V2' } });
    expect(replayed?.detail).toMatch(/override of vendor/);
  });

  it('preflights a page with one resolver call per kind, naming the field and key of every failing reference', async () => {
    const t = setup([invoice('1'), invoice('2', { vendor: 'V9' }), invoice('3', { gl: '7000' }), invoice('4', { vendor: 'V2' })]);
    t.source.pageSize = 4;
    t.target.accounts.set('A-7000', { exists: true, usable: false, reason: 'direct posting is not allowed' });
    const summary = await t.engine.run(t.flow);
    expect(summary.counts).toMatchObject({ created: 2, review: 2 });
    expect(t.target.resolverCalls).toEqual([
      { kind: 'vendor', keys: ['V1', 'V9', 'V2'] },
      { kind: 'account', keys: ['A-6000', 'A-7000'] },
    ]);
    const unknown = await t.store.getReview(t.key('2'));
    expect(unknown).toMatchObject({ state: 'open', reason: 'unknown-vendor' });
    expect(unknown?.detail).toBe("vendor = vendor 'V9' does not exist in the target");
    const blocked = await t.store.getReview(t.key('3'));
    expect(blocked).toMatchObject({ reason: 'blocked-account' });
    expect(blocked?.detail).toBe("account = account 'A-7000' exists but cannot be used: direct posting is not allowed");
    expect((await t.engine.audit({ record: t.key('3') })).map((e) => e.step)).toEqual(['received', 'mapped', 'preflight-failed']);
    expect(t.target.calls.create).toBe(2);
  });

  it('asks resolvers again only for references not already known usable in the run', async () => {
    const t = setup([invoice('1'), invoice('2'), invoice('3', { vendor: 'V2' }), invoice('4', { vendor: 'V9' })]);
    await t.engine.run(t.flow);
    expect(t.target.resolverCalls).toEqual([
      { kind: 'vendor', keys: ['V1'] },
      { kind: 'account', keys: ['A-6000'] },
      { kind: 'vendor', keys: ['V2', 'V9'] },
    ]);
  });

  it('marks review items resolved or ignored by hand, with an audit event', async () => {
    const t = setup([invoice('1', { gl: 'x' }), invoice('2', { gl: 'y' })]);
    await t.engine.run(t.flow);
    await t.engine.settleReview(t.key('1'), 'ignored', 'duplicate of INV-7, entered by hand');
    await t.engine.settleReview(t.key('2'), 'resolved');
    expect((await t.engine.reviews()).map((r) => [r.sourceId, r.state])).toEqual([['1', 'ignored'], ['2', 'resolved']]);
    expect((await t.engine.audit({ record: t.key('1') })).at(-1)).toMatchObject({ step: 'ignored', detail: 'duplicate of INV-7, entered by hand', code: 'missing-mapping' });
    await expect(t.engine.replay(t.flow, { reason: 'missing-mapping' })).resolves.toMatchObject({ counts: { read: 0 } });
    await expect(t.engine.settleReview(t.key('9'), 'resolved')).rejects.toThrow(/no review item/);
  });

  it('keeps secrets out of review snapshots and audit payloads', async () => {
    const t = setup([invoice('1', { gl: 'nope', apiPassword: 'hunter2-secret' }), invoice('2', { apiPassword: 'hunter2-secret' })]);
    const flow = { ...t.flow, map: async (record: Parameters<typeof t.flow.map>[0], context: Parameters<typeof t.flow.map>[1]) => ({ ...(await t.flow.map(record, context)), clientSecret: record.apiPassword }) };
    await t.engine.run(flow);
    const stored = JSON.stringify([await t.engine.reviews(), await t.engine.audit({}), await t.store.listLedger({ flow: t.flow.name })]);
    expect(stored).not.toContain('hunter2-secret');
    expect(stored).toContain('[REDACTED]');
  });

  it('keeps secrets echoed in error messages out of the ledger, review queue, audit and logs', async () => {
    const t = setup([invoice('1'), invoice('2')]);
    const logged: unknown[] = [];
    const log = (fields: unknown, message?: string) => void logged.push(fields, message);
    const engine = createSyncEngine({ store: t.store, now: t.clock.now, logger: { debug: log, info: log, warn: log, error: log } });
    t.target.failures.push({ op: 'create', number: 'INV-1', error: () => new Error('proxy said: client_secret=s3cr3t-value Bearer eyJhbGciOi.secret.token') });
    t.target.failures.push({ op: 'create', number: 'INV-2', error: () => new Error('Authorization: Bearer eyJhbGciOi.secret.token') });
    await engine.run(t.flow, { onEvent: (event) => void logged.push(event) });
    const stored = JSON.stringify([await t.store.listLedger({ flow: t.flow.name }), await engine.reviews(), await engine.audit({}), logged]);
    expect(stored).toContain('unexpected-error');
    expect(stored).not.toContain('s3cr3t-value');
    expect(stored).not.toContain('eyJhbGciOi.secret.token');
  });

  it('retries from the stored snapshot when the source cannot fetch one record', async () => {
    const t = setup([invoice('1')]);
    const { system, stream, query } = t.source;
    const withoutFetch = { system, stream, query, read: t.source.read.bind(t.source), identify: t.source.identify.bind(t.source) };
    const flow = { ...t.flow, source: withoutFetch };
    t.target.failures.push({ op: 'create', error: rateLimited });
    await t.engine.run(flow);
    expect(await t.store.getReview(t.key('1'))).toMatchObject({ state: 'retrying', sourceRecord: invoice('1') });
    const second = await t.engine.run(flow);
    expect(second.counts).toMatchObject({ read: 1, created: 1 });
    expect(t.target.byNumber('INV-1')).toHaveLength(1);
  });

  it('keeps a queued record the source no longer has in review as source-missing', async () => {
    const t = setup([invoice('1')]);
    t.target.failures.push({ op: 'create', error: rateLimited });
    await t.engine.run(t.flow);
    t.source.log.length = 0;
    const second = await t.engine.run(t.flow);
    expect(second.counts.read).toBe(0);
    expect(await t.store.getReview(t.key('1'))).toMatchObject({ state: 'open', reason: 'source-missing' });
    expect(t.target.docs.size).toBe(0);
  });
});
