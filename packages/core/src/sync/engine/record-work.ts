import type { SourceIdentity } from '../flow.js';
import type { AuditEventInput, LedgerEntry, RecordKey, ReviewItem } from '../store/types.js';
import type { RecordOrigin } from './run-context.js';

/** A source record handed to the engine, with where it came from. */
export interface RecordInput<S = unknown> {
  readonly record: S;
  readonly origin: RecordOrigin;
  /** Fields merged over the mapped document (replays). */
  readonly override?: Readonly<Record<string, unknown>> | undefined;
  /** The review item the record was taken from (retries, replays). */
  readonly review?: ReviewItem | undefined;
}

/** One record on its way through a run. */
export interface RecordWork<S = unknown, P = unknown> {
  readonly input: RecordInput<S>;
  readonly key: RecordKey;
  readonly identity: SourceIdentity;
  /** The source version: the identity's, else a content hash. */
  readonly version: string;
  readonly businessIds: readonly string[];
  /** The ledger entry as read when the record was received. */
  ledger: LedgerEntry | undefined;
  /** The mapped document (override applied), once mapped. */
  payload: P | undefined;
  /** True while the record still has to be preflighted and written. */
  needsWrite: boolean;
  /** True once the record's outcome is stored (or, in a dry run, reported). */
  settled: boolean;
  /** True once a commit released the record's lease. */
  leaseReleased: boolean;
  /** Audit events not yet committed; they go out with the record's next store change. */
  pendingAudit: AuditEventInput[];
}

/** Takes the record's pending audit events, leaving none. */
export function takeAudit(work: RecordWork): AuditEventInput[] {
  const events = work.pendingAudit;
  work.pendingAudit = [];
  return events;
}
