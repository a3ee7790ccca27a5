import { randomUUID } from 'node:crypto';
import { InvalidInputError } from '../../errors/index.js';
import type { SyncEngine, SyncFlow } from '../flow.js';
import type { RecordKey } from '../store/types.js';
import { type SyncEngineOptions, resolveEngineOptions } from './options.js';
import { processRecords, replayFlow, runFlow } from './run.js';
import { scheduleFlow } from './schedule.js';

type AnyFlow = SyncFlow<unknown, unknown>;

/**
 * Creates the sync engine: it reads a flow's source page by page from its checkpoint, maps every record,
 * preflights the references of each page, and writes through the ledger so nothing is lost and nothing is
 * written twice, with an audit trail per record, a review queue and replay.
 *
 * Guarantees: the ledger says `sent` before the target is called, so after a crash the record is looked up by
 * its natural key and adopted, never created twice; a page's checkpoint is saved only once every record of it
 * is settled (written, skipped, or in the review queue); a posted (locked) target document is never modified.
 *
 * Example:
 *
 * {@includeCode ../../../examples/sync.ts#createSyncEngine}
 */
export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const config = resolveEngineOptions(options);
  const { store } = config;
  return {
    store,
    run: (flow, runOptions = {}) => runFlow(config, flow as AnyFlow, runOptions),
    schedule: (flow, scheduleOptions) => scheduleFlow(config, flow as AnyFlow, scheduleOptions, (settings) => runFlow(config, flow as AnyFlow, settings)),
    replay: (flow, selection, replayOptions = {}) => replayFlow(config, flow as AnyFlow, selection, replayOptions),
    process: (flow, records, processOptions = {}) => processRecords(config, flow as AnyFlow, records, processOptions),
    audit: (query) => store.queryAudit(query),
    reviews: (query) => store.listReview(query),
    runs: (query) => store.listRuns(query),
    async settleReview(key: RecordKey, state: 'resolved' | 'ignored', note?: string): Promise<void> {
      if (state !== 'resolved' && state !== 'ignored') {
        throw new InvalidInputError(`settleReview takes 'resolved' or 'ignored', got ${String(state)}`, { field: 'state' });
      }
      const item = await store.getReview(key);
      if (!item) throw new InvalidInputError(`no review item for ${key.flow}/${key.sourceSystem}/${key.sourceId}`, { field: 'key' });
      const { createdAt: _created, updatedAt: _updated, ...rest } = item;
      const at = new Date(config.now()).toISOString();
      await store.commit(
        {
          review: [{ ...rest, state }],
          audit: [{
            flow: key.flow, sourceSystem: key.sourceSystem, sourceId: key.sourceId, runId: `settle-${randomUUID()}`, step: state, at,
            businessIds: item.businessIds, code: item.reason, detail: note ?? `marked ${state} by hand`,
          }],
        },
        at,
      );
    },
  };
}
