import { redactText } from '../../errors/index.js';
import type { AuditEventInput, ReviewItem, ReviewItemInput, ReviewState } from '../store/types.js';
import type { RecordWork } from './record-work.js';
import type { RunContext } from './run-context.js';

/** The review item a record is in, as given by the queue (retry, replay) or read from the store. */
async function currentReview(run: RunContext, work: RecordWork): Promise<ReviewItem | undefined> {
  if (work.input.review) return work.input.review;
  if (run.dryRun) return undefined;
  return run.config.store.getReview(work.key);
}

/** A review item for `work` in `state`, keeping the attempts and override of the item it replaces. */
export async function reviewItemFor(run: RunContext, work: RecordWork, state: ReviewState, reason: string, detail: string): Promise<ReviewItemInput> {
  const existing = await currentReview(run, work);
  const fromQueue = work.input.origin !== 'read';
  const override = work.input.override ?? existing?.override;
  return {
    ...work.key,
    state,
    reason,
    detail: redactText(detail),
    businessIds: work.businessIds,
    sourceRecord: run.config.redact(work.input.record),
    ...(override ? { override: run.config.redact(override) as Record<string, unknown> } : {}),
    attempts: (existing?.attempts ?? 0) + (fromQueue ? 1 : 0),
  };
}

/** The change that resolves the record's open or retrying review item after it went through, if it has one. */
export async function resolveReviewOf(run: RunContext, work: RecordWork): Promise<{ review: ReviewItemInput[]; audit: AuditEventInput[] }> {
  const existing = await currentReview(run, work);
  if (!existing || (existing.state !== 'open' && existing.state !== 'retrying')) return { review: [], audit: [] };
  const { createdAt: _created, updatedAt: _updated, ...item } = existing;
  return {
    review: [{ ...item, state: 'resolved', attempts: existing.attempts + (work.input.origin === 'read' ? 0 : 1) }],
    audit: [run.audit(work.key, 'resolved', work.businessIds, { code: existing.reason, detail: 'went through; review item resolved' })],
  };
}
