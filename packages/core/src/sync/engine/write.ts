import type { TargetDocument, WriteContext } from '../flow.js';
import type { LedgerEntry, LedgerEntryInput } from '../store/types.js';
import { errorCodeOf } from './classify.js';
import { failRecord, ledgerInputFor, sendToReview, skipDuplicate } from './outcomes.js';
import { type RecordWork, takeAudit } from './record-work.js';
import { resolveReviewOf } from './review.js';
import type { RunContext } from './run-context.js';

function writeContext(run: RunContext, work: RecordWork): WriteContext {
  return { signal: run.inFlightSignal, logger: run.config.logger, identity: work.identity };
}

/** Stores the write's result: ledger `confirmed` with the target's id and version, audit, review resolved, lease released. */
async function confirm(
  run: RunContext,
  work: RecordWork,
  base: LedgerEntryInput | LedgerEntry | undefined,
  document: TargetDocument,
  outcome: 'created' | 'updated',
  written: { requestId?: string | undefined; adopted?: boolean; unchanged?: boolean | undefined },
): Promise<void> {
  const entry = ledgerInputFor(run, work, base, { state: 'confirmed', targetId: document.id, targetVersion: document.version });
  const resolved = await resolveReviewOf(run, work);
  const event = written.unchanged
    ? run.audit(work.key, 'skipped-duplicate', work.businessIds, { targetId: document.id, detail: `${run.flow.target.system} had nothing to change for source version ${work.version}; nothing sent` })
    : run.audit(work.key, outcome === 'updated' ? 'updated' : 'written', work.businessIds, {
        targetId: document.id,
        requestId: written.requestId,
        payload: run.config.redact(work.payload),
        ...(written.adopted ? { detail: 'found by natural key after an attempt with an unknown outcome; adopted, not written again' } : {}),
      });
  await run.commit({ ledger: [{ entry, releaseLease: true }], audit: [...takeAudit(work), event, ...resolved.audit], review: resolved.review });
  work.leaseReleased = true;
  work.needsWrite = false;
  work.settled = true;
  run.recordOutcome(work.key, written.unchanged ? 'skipped' : outcome, work.businessIds, { targetId: document.id });
}

/**
 * The write of one claimed record. The ledger decides: `confirmed` at this version is skipped; a known target id
 * is read and updated unless the document is locked (then review `target-posted`); an earlier attempt without a
 * target id (`sent`, `unknown`, `failed`) is first looked up by natural key and adopted when found as the payload
 * says (the target's `diff` finds nothing), else completed by an update (review when locked). The ledger
 * says `sent` before the target is called, so a crash leaves a trace the next run resolves by lookup.
 */
async function writeClaimed(run: RunContext, work: RecordWork, ledger: LedgerEntry | undefined): Promise<void> {
  const { target } = run.flow;
  const context = writeContext(run, work);
  const payload = work.payload as unknown;
  if (ledger?.state === 'confirmed' && ledger.sourceVersion === work.version) return skipDuplicate(run, work, ledger);

  let existing: TargetDocument | undefined;
  let base: LedgerEntryInput | LedgerEntry | undefined = ledger;
  try {
    if (ledger?.targetId) {
      existing = await target.get(ledger.targetId, context);
      if (!existing) {
        return sendToReview(run, work, {
          state: 'open', reason: 'target-missing', step: 'sent-to-review', outcome: 'review',
          detail: `${target.system} document ${ledger.targetId} written for this record no longer exists`,
        });
      }
    } else if (ledger && ledger.state !== 'pending') {
      existing = await target.find(payload, context);
      // A write of several requests (a deep insert, then dimensions) can land only in part: what was found is
      // compared with the payload, and a difference is completed by an update instead of being adopted as written.
      const differences = existing && ledger.sourceVersion === work.version ? (target.diff?.(existing, payload) ?? []) : [];
      const found = differences.length > 0 ? `found, differing in ${differences.map((change) => change.path).join(', ')},` : existing ? 'found' : 'not found';
      work.pendingAudit.push(
        run.audit(work.key, 'looked-up', work.businessIds, {
          targetId: existing?.id,
          detail: `${found} by natural key ${target.naturalKey(payload)} after a ${ledger.state} attempt`,
        }),
      );
      if (existing) {
        // The earlier attempt landed: remember it against the version it wrote.
        base = ledgerInputFor(run, work, ledger, { state: 'confirmed', sourceVersion: ledger.sourceVersion, targetId: existing.id, targetVersion: existing.version });
        if (ledger.sourceVersion === work.version && differences.length === 0) return confirm(run, work, base, existing, 'created', { adopted: true });
      }
    }
  } catch (error) {
    return failRecord(run, work, error);
  }

  if (existing?.locked) {
    return sendToReview(run, work, {
      state: 'open', reason: 'target-posted', step: 'sent-to-review', outcome: 'review',
      detail: `${target.system} document ${existing.id} is ${existing.lockedReason ?? 'locked'}; source version ${work.version} was not applied`,
      ledger: base === ledger ? undefined : { entry: base as LedgerEntryInput, releaseLease: true },
    });
  }

  const sent = ledgerInputFor(run, work, base, {
    state: 'sent',
    targetId: existing?.id ?? base?.targetId,
    naturalKey: target.naturalKey(payload),
    attempts: (base?.attempts ?? 0) + 1,
  });
  await run.commit({ ledger: [{ entry: sent, expectedRevision: ledger?.revision ?? 0 }], audit: takeAudit(work) });
  let result;
  try {
    result = existing ? await target.update(existing, payload, context) : await target.create(payload, context);
  } catch (error) {
    return failRecord(run, work, error, sent);
  }
  run.noteNotAuthFailure();
  return confirm(run, work, sent, result.document, existing ? 'updated' : 'created', { requestId: result.requestId, unchanged: result.unchanged });
}

/** Claims the record's lease, writes it, and releases the lease if no commit did. */
export async function writeRecord(run: RunContext, work: RecordWork): Promise<void> {
  const { store, owner, leaseMs, now } = run.config;
  const claim = await store.claim(work.key, owner, leaseMs, now());
  if (!claim.claimed) {
    run.warn('record-leased', `${work.key.sourceId} is held by ${claim.owner} until ${new Date(claim.leaseExpiresAt).toISOString()}; left for a later run`);
    return;
  }
  try {
    await writeClaimed(run, work, claim.entry);
  } finally {
    if (!work.leaseReleased) await store.release(work.key, owner).catch(() => false);
  }
}

/** Dry run: what the write would do, from a lookup and the target's diff; nothing is written anywhere. */
export async function previewRecord(run: RunContext, work: RecordWork): Promise<void> {
  const { target } = run.flow;
  const payload = work.payload as unknown;
  try {
    const targetId = work.ledger?.targetId;
    const existing = targetId ? await target.get(targetId, writeContext(run, work)) : await target.find(payload, writeContext(run, work));
    const changes = target.diff?.(existing, payload) ?? [];
    work.settled = true;
    if (existing?.locked) {
      run.recordOutcome(work.key, 'review', work.businessIds, { targetId: existing.id, reason: 'target-posted', changes });
      return;
    }
    run.counts[existing ? 'updated' : 'created']++;
    // A document found by natural key without a ledger entry was not written by this engine's store.
    const reason = existing && !work.ledger ? 'exists-without-ledger-entry' : undefined;
    run.recordOutcome(work.key, 'dry-run', work.businessIds, { targetId: existing?.id, reason, changes });
  } catch (error) {
    work.settled = true;
    run.recordOutcome(work.key, 'failed', work.businessIds, { reason: errorCodeOf(error) });
  }
}
