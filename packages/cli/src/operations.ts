import { InvalidInputError } from '@ml-connector/core';
import type { AuditEvent, RecordKey, ReviewItem, ReviewState, RunRecord, SyncStore } from '@ml-connector/core/sync';

/** Flows that have state in the store (from its runs), newest first. */
export async function knownFlows(store: SyncStore): Promise<string[]> {
  const runs = await store.listRuns({ limit: 10_000 });
  return [...new Set(runs.map((run) => run.flow))];
}

/**
 * The audit trail of a business identifier (invoice, PO or vendor number) or, when none carries it, of a record id
 * (source id), oldest first.
 */
export async function auditTrail(store: SyncStore, id: string, flow?: string): Promise<AuditEvent[]> {
  const byBusinessId = await store.queryAudit({ businessId: id, ...(flow ? { flow } : {}), limit: 10_000 });
  if (byBusinessId.length > 0) return byBusinessId;
  const flows = flow ? [flow] : await knownFlows(store);
  const events: AuditEvent[] = [];
  for (const name of flows) {
    // A record id is not indexed across flows: page through the flow's trail.
    let afterSeq = 0;
    for (;;) {
      const page = await store.queryAudit({ flow: name, afterSeq, limit: 5_000 });
      events.push(...page.filter((event) => event.sourceId === id));
      if (page.length < 5_000) break;
      afterSeq = page.at(-1)!.seq;
    }
  }
  return events.sort((a, b) => a.seq - b.seq);
}

/** Review items, filtered. */
export function listReviewItems(store: SyncStore, query: { flow?: string; state?: ReviewState | readonly ReviewState[]; reason?: string; businessId?: string }): Promise<ReviewItem[]> {
  return store.listReview({ ...query, limit: 10_000 });
}

/**
 * Finds the one review item of a record id (source id) or business identifier.
 *
 * @throws InvalidInputError when none or several match (several: name the flow).
 */
export async function findReviewItem(store: SyncStore, id: string, flow?: string): Promise<ReviewItem> {
  const all = await store.listReview({ ...(flow ? { flow } : {}), limit: 10_000 });
  let matches = all.filter((item) => item.sourceId === id);
  if (matches.length === 0) matches = all.filter((item) => item.businessIds.includes(id));
  if (matches.length === 0) throw new InvalidInputError(`no review item for "${id}"${flow ? ` in ${flow}` : ''}: \`ml-connector review list\` shows the queue`, { field: 'id' });
  if (matches.length > 1) {
    throw new InvalidInputError(`"${id}" matches ${matches.length} review items (${matches.map((m) => `${m.flow}/${m.sourceId}`).join(', ')}): add --flow`, { field: 'flow' });
  }
  return matches[0]!;
}

/** The record key of a review item. */
export const keyOf = (item: RecordKey): RecordKey => ({ flow: item.flow, sourceSystem: item.sourceSystem, sourceId: item.sourceId });

/** Runs, newest first. */
export function listRuns(store: SyncStore, query: { flow?: string; limit?: number }): Promise<RunRecord[]> {
  return store.listRuns({ ...(query.flow ? { flow: query.flow } : {}), limit: query.limit ?? 20 });
}

/** What a replay argument selects: one record when a review item has that source id, else a reason. */
export async function replayTarget(store: SyncStore, target: string, flow?: string): Promise<{ flow: string; sourceId?: string; reason?: string; count: number }> {
  const open = await store.listReview({ ...(flow ? { flow } : {}), state: ['open', 'retrying'], limit: 10_000 });
  const records = open.filter((item) => item.sourceId === target || item.businessIds.includes(target));
  if (records.length === 1) return { flow: records[0]!.flow, sourceId: records[0]!.sourceId, count: 1 };
  if (records.length > 1) throw new InvalidInputError(`"${target}" matches ${records.length} open review items in ${[...new Set(records.map((r) => r.flow))].join(', ')}: add --flow`, { field: 'flow' });
  const byReason = open.filter((item) => item.reason === target);
  if (byReason.length === 0) throw new InvalidInputError(`no open review item has record id or reason "${target}": \`ml-connector review list\` shows the queue`, { field: 'target' });
  const flows = [...new Set(byReason.map((item) => item.flow))];
  if (flows.length > 1) throw new InvalidInputError(`reason "${target}" has open items in ${flows.join(', ')}: add --flow`, { field: 'flow' });
  return { flow: flows[0]!, reason: target, count: byReason.length };
}
