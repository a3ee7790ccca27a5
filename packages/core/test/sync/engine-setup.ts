import { type SyncEvent, type SyncStore, createMemorySyncStore, createSyncEngine } from '@ml-connector/core/sync';
import { type AccountMapping, FakeSource, FakeTarget, type Invoice, fakeClock, invoiceFlow } from './engine-fakes.js';

/** An engine over a memory store with a fake clock, the fake source and target, and the events it emitted. */
export function setup(records: readonly Invoice[] = [], options: { store?: SyncStore; accounts?: AccountMapping; concurrency?: number } = {}) {
  const clock = fakeClock();
  const store = options.store ?? createMemorySyncStore();
  const source = new FakeSource(records);
  const target = new FakeTarget();
  const accounts: AccountMapping = options.accounts ?? new Map([['6000', 'A-6000'], ['7000', 'A-7000']]);
  const flow = invoiceFlow(source, target, accounts);
  const engine = createSyncEngine({ store, now: clock.now, owner: 'runner-1', concurrency: options.concurrency });
  const events: SyncEvent[] = [];
  const onEvent = (event: SyncEvent) => void events.push(event);
  const key = (sourceId: string) => ({ flow: flow.name, sourceSystem: source.system, sourceId });
  const stream = `${flow.name}/${source.system}/${source.stream}`;
  return { clock, store, source, target, accounts, flow, engine, events, onEvent, key, stream };
}
