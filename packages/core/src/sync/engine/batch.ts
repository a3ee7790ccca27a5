import type { SourceIdentity } from '../flow.js';
import type { ReviewItem } from '../store/types.js';
import { safeMessageOf } from './classify.js';
import { failRecord, sendToReview } from './outcomes.js';
import { runBounded } from './pool.js';
import { type ReferenceCache, preflightBatch } from './preflight.js';
import { identifyRecord, receiveRecord } from './receive.js';
import type { RecordInput, RecordWork } from './record-work.js';
import type { RunContext } from './run-context.js';
import { previewRecord, writeRecord } from './write.js';

/** Identities of a batch; the last occurrence of an id wins (it is the newest read). */
function identifyBatch(run: RunContext, inputs: readonly RecordInput[]): { input: RecordInput; identity: SourceIdentity }[] | undefined {
  const byId = new Map<string, { input: RecordInput; identity: SourceIdentity }>();
  try {
    for (const input of inputs) {
      const identity = identifyRecord(run, input.record);
      byId.delete(identity.id);
      byId.set(identity.id, { input, identity });
    }
  } catch (error) {
    run.stop('configuration-error', `a record could not be identified; run stopped: ${safeMessageOf(error)}`);
    return undefined;
  }
  return [...byId.values()];
}

/** Runs one record's step; a failure the engine could not route (the store failed) leaves it unsettled, with a warning. */
async function settleGuarded(run: RunContext, sourceId: string, step: () => Promise<unknown>): Promise<void> {
  try {
    await step();
  } catch (error) {
    run.warn('record-not-settled', `${sourceId} could not be settled and will be read again: ${safeMessageOf(error)}`);
  }
}

/**
 * Takes a batch (a page, or items of the review queue) through the engine: receive and map each record with
 * bounded concurrency, preflight the references of the whole batch at once, then write. Resolves true when
 * every record of the batch is settled, which is when its page may be acknowledged. `unsettled`, when given,
 * receives the source ids left unsettled (leased elsewhere, store failure, run stopped).
 */
export async function processBatch(run: RunContext, inputs: readonly RecordInput[], cache: ReferenceCache, unsettled?: string[]): Promise<boolean> {
  const identified = identifyBatch(run, inputs);
  if (!identified) return false;
  const { concurrency, logger } = run.config;
  const works: (RecordWork | undefined)[] = [];
  const allReceived = await runBounded(identified, concurrency, () => run.mayStartRecord(), ({ input, identity }, index) =>
    settleGuarded(run, identity.id, async () => {
      works[index] = await receiveRecord(run, input, identity);
    }),
  );

  const toCheck = works.filter((work): work is RecordWork => work?.needsWrite === true);
  if (toCheck.length > 0 && run.mayWrite()) {
    const verdicts = await preflightBatch(run.flow.target, toCheck.map((work) => work.payload), cache, { signal: run.inFlightSignal, logger });
    await runBounded(toCheck, concurrency, () => true, async (work, index) => {
      const verdict = verdicts[index];
      if (!verdict || verdict.ok) return;
      await settleGuarded(run, work.key.sourceId, () =>
        'error' in verdict
          ? failRecord(run, work, verdict.error)
          : sendToReview(run, work, {
              state: 'open', step: 'preflight-failed', outcome: 'review',
              reason: verdict.failed[0]?.reason ?? 'preflight-failed',
              detail: verdict.failed.map((failure) => failure.detail).join('; '),
            }),
      );
    });
  }

  const writable = toCheck.filter((work) => work.needsWrite);
  const allWritten = await runBounded(writable, concurrency, () => run.mayWrite(), (work) =>
    settleGuarded(run, work.key.sourceId, () => (run.dryRun ? previewRecord(run, work) : writeRecord(run, work))),
  );
  identified.forEach(({ identity }, index) => {
    if (works[index]?.settled !== true) unsettled?.push(identity.id);
  });
  return allReceived && allWritten && identified.every((_, index) => works[index]?.settled === true);
}

/**
 * The source records of review items: re-read with `source.fetch` when the source has it, else the item's
 * snapshot. An item whose record the source no longer has stays in review (`source-missing`).
 */
export async function loadQueued(
  run: RunContext,
  items: readonly ReviewItem[],
  origin: 'retry' | 'replay',
  override?: Readonly<Record<string, unknown>>,
): Promise<RecordInput[]> {
  const { source } = run.flow;
  const inputs: (RecordInput | undefined)[] = [];
  await runBounded(items, run.config.concurrency, () => !run.signal.aborted, async (item, index) => {
    try {
      const record = source.fetch ? await source.fetch(item.sourceId, { signal: run.signal, logger: run.config.logger }) : item.sourceRecord;
      if (record !== undefined) {
        inputs[index] = { record, origin, override: override ?? item.override, review: item };
        return;
      }
      const { createdAt: _c, updatedAt: _u, ...rest } = item;
      await run.commit({
        review: [{ ...rest, state: 'open', reason: 'source-missing', detail: `${source.system} no longer returns record ${item.sourceId}` }],
        audit: [run.audit(item, 'sent-to-review', item.businessIds, { code: 'source-missing', detail: 'the source no longer has the record' })],
      });
    } catch (error) {
      run.warn('review-item-not-loaded', `${item.sourceId} could not be re-read and stays in the queue: ${safeMessageOf(error)}`);
    }
  });
  return inputs.filter((input): input is RecordInput => input !== undefined);
}
