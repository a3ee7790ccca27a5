// The ledger property, shared by the memory and SQLite engine tests.
import { type LedgerState, type StoreChange, type SyncStore, createSyncEngine } from '@ml-connector/core/sync';
import fc from 'fast-check';
import { expect, vi } from 'vitest';
import { FakeSource, FakeTarget, type InjectedFailure, fakeClock, invoice, invoiceFlow, outcomeUnknown, rateLimited, rejected } from './engine-fakes.js';

/** Ledger edges the engine may take; `none` is a record without an entry. */
const ALLOWED: Record<LedgerState | 'none', readonly LedgerState[]> = {
  none: ['sent'],
  pending: ['sent'],
  sent: ['confirmed', 'failed', 'unknown', 'sent'],
  failed: ['sent', 'confirmed'],
  unknown: ['sent', 'confirmed'],
  confirmed: ['sent'],
};

/** Wraps a store so every ledger state change is checked against {@link ALLOWED}. */
function watchLedger(store: SyncStore): { store: SyncStore; illegal: string[] } {
  const states = new Map<string, LedgerState>();
  const illegal: string[] = [];
  const commit = store.commit.bind(store);
  store.commit = async (change: StoreChange, now: string) => {
    await commit(change, now);
    for (const { entry } of change.ledger ?? []) {
      const from = states.get(entry.sourceId) ?? 'none';
      if (from !== entry.state || from === 'sent') {
        if (!ALLOWED[from].includes(entry.state)) illegal.push(`${entry.sourceId}: ${from} -> ${entry.state}`);
      }
      states.set(entry.sourceId, entry.state);
    }
  };
  return { store, illegal };
}

const ids = ['a', 'b', 'c', 'd'];
const failureKinds = {
  retryable: { error: rateLimited },
  retryableAfterWrite: { error: rateLimited, afterWrite: true },
  unknownAfterWrite: { error: outcomeUnknown, afterWrite: true },
  unknownBeforeWrite: { error: outcomeUnknown },
  data: { error: rejected },
  crashAfterWrite: { error: () => new Error('killed'), hang: true, afterWrite: true },
  crashBeforeWrite: { error: () => new Error('killed'), hang: true },
} as const;

type Action =
  | { kind: 'change'; id: string; unmapped: boolean }
  | { kind: 'fail'; op: 'create' | 'update'; failure: keyof typeof failureKinds; id: string }
  | { kind: 'run' }
  | { kind: 'rereadAll' };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('change' as const), id: fc.constantFrom(...ids), unmapped: fc.boolean() }),
  fc.record({
    kind: fc.constant('fail' as const),
    op: fc.constantFrom('create' as const, 'update' as const),
    failure: fc.constantFrom(...(Object.keys(failureKinds) as (keyof typeof failureKinds)[])),
    id: fc.constantFrom(...ids),
  }),
  fc.constant({ kind: 'run' as const }),
  fc.constant({ kind: 'rereadAll' as const }),
);

/**
 * Random interleavings of source versions, missing mappings, failures (retryable, unknown outcome, data, crashes)
 * and runs always end, once the faults stop and the mapping is fixed, with exactly one target document per source
 * record at its latest version, along allowed ledger edges.
 */
export async function checkLedgerProperty(openStore: () => Promise<SyncStore>, numRuns: number): Promise<void> {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 25 }), async (actions) => {
        const clock = fakeClock();
        const { store, illegal } = watchLedger(await openStore());
        const versions = new Map(ids.map((id) => [id, 1]));
        const source = new FakeSource(ids.map((id) => invoice(id)));
        const target = new FakeTarget();
        const accounts = new Map([['6000', 'A-6000']]);
        const flow = invoiceFlow(source, target, accounts);
        let owner = 0;
        // One record in flight, so a "killed" engine stops at the write it hangs in.
        const newEngine = () => createSyncEngine({ store, now: clock.now, owner: `runner-${++owner}`, concurrency: 1 });
        let engine = newEngine();

        /** Runs the engine; when a write hangs (the process is "killed"), a fresh engine takes over the store. */
        const run = async () => {
          const hangsBefore = target.hangs;
          let finished = false;
          const running = engine.run(flow).then(() => void (finished = true));
          await vi.waitFor(() => expect(finished || target.hangs > hangsBefore).toBe(true), { timeout: 5_000, interval: 1 });
          if (finished) return running;
          clock.advance(5 * 60_000 + 1); // the killed engine's leases expire
          engine = newEngine();
        };

        for (const step of actions) {
          if (step.kind === 'change') {
            const version = (versions.get(step.id) ?? 1) + 1;
            versions.set(step.id, version);
            source.put(invoice(step.id, { version, amount: 100 * version, gl: step.unmapped ? '9999' : '6000' }));
          } else if (step.kind === 'fail') {
            const failure: InjectedFailure = { op: step.op, number: `INV-${step.id}`, ...failureKinds[step.failure] };
            target.failures.push(failure);
          } else {
            if (step.kind === 'rereadAll') await store.deleteCheckpoint(`${flow.name}/${source.system}/${source.stream}`);
            await run();
          }
        }
        // Faults stop and the mapping is fixed; retrying items are retried by the next run, data failures replayed.
        target.failures.length = 0;
        accounts.set('9999', 'A-6000');
        await run();
        for (const item of await engine.reviews({ state: 'open' })) await engine.replay(flow, { sourceId: item.sourceId });
        await run();

        expect(illegal).toEqual([]);
        for (const id of ids) {
          const docs = target.byNumber(`INV-${id}`);
          expect(docs, `documents for ${id}`).toHaveLength(1);
          expect(docs[0]?.[1].payload.amount).toBe(100 * (versions.get(id) ?? 1));
          expect(await store.getLedgerEntry({ flow: flow.name, sourceSystem: source.system, sourceId: id })).toMatchObject({
            state: 'confirmed', sourceVersion: String(versions.get(id)), targetId: docs[0]?.[0],
          });
        }
      }),
      { numRuns },
    );
}
