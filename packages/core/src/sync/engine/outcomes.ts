import { isInvalidInputError } from '../../errors/index.js';
import type { RecordOutcome } from '../flow.js';
import type { AuditStep, LedgerEntry, LedgerEntryInput, LedgerWrite, ReviewState } from '../store/types.js';
import { classifyFailure, errorCodeOf, isAuthFailure, outcomeMayBeWritten, reviewReasonOf, safeMessageOf } from './classify.js';
import { type RecordWork, takeAudit } from './record-work.js';
import { resolveReviewOf, reviewItemFor } from './review.js';
import type { RunContext } from './run-context.js';

/** The ledger content of `work` on top of `base` (the entry it replaces), with `fields` changed. */
export function ledgerInputFor(
  run: RunContext,
  work: RecordWork,
  base: LedgerEntry | LedgerEntryInput | undefined,
  fields: Partial<LedgerEntryInput> & Pick<LedgerEntryInput, 'state'>,
): LedgerEntryInput {
  return {
    ...work.key,
    sourceVersion: work.version,
    targetSystem: run.flow.target.system,
    targetId: base?.targetId,
    targetVersion: base?.targetVersion,
    naturalKey: base?.naturalKey,
    businessIds: work.businessIds,
    attempts: base?.attempts ?? 0,
    ...fields,
  };
}

/** How a record leaves the run when it goes to the review queue. */
export interface ReviewRouting {
  readonly state: ReviewState;
  readonly reason: string;
  readonly detail: string;
  readonly step: AuditStep;
  readonly outcome: RecordOutcome;
  /** A ledger change committed with it. */
  readonly ledger?: LedgerWrite | undefined;
}

/** Stores the record's review item (with its audit and an optional ledger change) and settles it. */
export async function sendToReview(run: RunContext, work: RecordWork, routing: ReviewRouting): Promise<void> {
  const item = await reviewItemFor(run, work, routing.state, routing.reason, routing.detail);
  const event = run.audit(work.key, routing.step, work.businessIds, { code: routing.reason, detail: item.detail });
  await run.commit({
    ...(routing.ledger ? { ledger: [routing.ledger] } : {}),
    review: [item],
    audit: [...takeAudit(work), event],
  });
  work.needsWrite = false;
  work.settled = true;
  run.recordOutcome(work.key, routing.outcome, work.businessIds, { reason: routing.reason });
}

/** Records that the record is already written at this version. */
export async function skipDuplicate(run: RunContext, work: RecordWork, ledger: Pick<LedgerEntry, 'targetId'>, detail?: string): Promise<void> {
  const resolved = work.input.origin === 'read' ? { review: [], audit: [] } : await resolveReviewOf(run, work);
  const event = run.audit(work.key, 'skipped-duplicate', work.businessIds, {
    targetId: ledger.targetId,
    detail: detail ?? `already written at source version ${work.version}`,
  });
  await run.commit({ audit: [...takeAudit(work), event, ...resolved.audit], review: resolved.review });
  work.needsWrite = false;
  work.settled = true;
  run.recordOutcome(work.key, 'skipped', work.businessIds, { targetId: ledger.targetId });
}

/**
 * Routes a failure by its class. `sent` is the ledger entry committed before the target call, when the failure
 * came from that call: it then becomes `failed` (or `unknown` when the write may have happened).
 * - retryable (and auth failures below the limit): review `retrying`, the next run takes it first;
 * - data: review `open`;
 * - fatal (configuration, or the auth-failure limit reached): the run stops and the record stays unsettled.
 */
export async function failRecord(run: RunContext, work: RecordWork, error: unknown, sent?: LedgerEntryInput): Promise<void> {
  const message = safeMessageOf(error);
  const code = errorCodeOf(error);
  const failureClass = classifyFailure(error);
  const ledger: LedgerWrite | undefined = sent
    ? {
        entry: { ...sent, state: outcomeMayBeWritten(error) ? 'unknown' : 'failed', lastErrorCode: code, lastErrorMessage: message },
        releaseLease: true,
      }
    : undefined;
  if (ledger) work.leaseReleased = true;

  const authFailure = isAuthFailure(error);
  if (authFailure ? run.noteAuthFailure(message) : failureClass === 'fatal') {
    if (isInvalidInputError(error)) run.stop('configuration-error', `configuration error; run stopped: ${message}`);
    const event = run.audit(work.key, 'failed', work.businessIds, { code, detail: message });
    await run.commit({ ...(ledger ? { ledger: [ledger] } : {}), audit: [...takeAudit(work), event] });
    work.needsWrite = false;
    run.recordOutcome(work.key, 'failed', work.businessIds, { reason: code });
    return;
  }
  if (!authFailure) run.noteNotAuthFailure();
  if (failureClass === 'data') {
    await sendToReview(run, work, { state: 'open', reason: reviewReasonOf(error), detail: message, step: 'sent-to-review', outcome: 'review', ledger });
    return;
  }
  await sendToReview(run, work, {
    state: 'retrying',
    reason: reviewReasonOf(error),
    detail: `${message} (retried by the next run)`,
    step: 'failed',
    outcome: 'failed',
    ledger,
  });
}
