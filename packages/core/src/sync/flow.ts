import type { Logger } from '../logging/index.js';
import type { AuditEvent, AuditQuery, RecordKey, ReviewItem, ReviewQuery, RunCounts, RunRecord, RunStatus, SyncStore } from './store/types.js';

/** Context handed to a source while it reads. */
export interface ReadContext {
  /** Aborted when the run stops; pass it to every request. */
  readonly signal: AbortSignal;
  readonly logger: Logger;
}

/** One page read from a source and the cursor that resumes after it. */
export interface SourcePage<S> {
  readonly records: readonly S[];
  /** Serialised cursor positioned after this page; saved as the stream's checkpoint once the page is settled. */
  readonly cursor: string;
}

/** Who a source record is. */
export interface SourceIdentity {
  /** The record's id in the source system. */
  readonly id: string;
  /** Its version (ETag, timestamp, revision). Omit to let the engine use a hash of the record's content. */
  readonly version?: string;
  /** Business identifiers (invoice number, PO number, vendor number) the audit is searchable by. */
  readonly businessIds?: readonly string[];
  /**
   * Set by a source when the record as read is the echo of a write a flow made (this flow or the one syncing the
   * other way): the version read equals the target version a ledger kept after that write. The engine skips it
   * (`skipped`, audit `skipped-duplicate` with this text as detail) instead of writing it back, so two-way syncs
   * do not loop. Ignored on replays.
   */
  readonly echoOf?: string;
}

/**
 * Where a flow reads from: one stream of one system, read page by page from a saved cursor.
 * The source owns its look-back window (clock skew, late commits); the engine's ledger makes re-reads harmless.
 */
export interface SyncSource<S> {
  /** Source system name (`jaggaer`, `business-central`, …). */
  readonly system: string;
  /** Stream name, unique within the flow. */
  readonly stream: string;
  /**
   * JSON-serialisable description of what the stream selects (filters, statuses). The checkpoint is keyed by a
   * hash of it, so a changed query starts a new cursor instead of resuming a cursor that means something else.
   */
  readonly query: unknown;
  /**
   * Reads pages after `cursor` (undefined: from the beginning). A cursor the source cannot parse must throw
   * {@link CheckpointUnreadableError}; the engine then backfills from the beginning with a warning.
   */
  read(cursor: string | undefined, context: ReadContext): AsyncIterable<SourcePage<S>>;
  /** Re-reads one record for a replay; undefined when it is gone. Without it, replays use the review snapshot. */
  fetch?(sourceId: string, context: ReadContext): Promise<S | undefined>;
  /** Identity of a record. */
  identify(record: S): SourceIdentity;
}

/** Context handed to a flow's mapper. */
export interface MapContext {
  readonly signal: AbortSignal;
  readonly logger: Logger;
  /** The record's identity. */
  readonly identity: SourceIdentity;
}

/** A reference a mapped document makes to a target-side record that must exist and be usable. */
export interface ReferenceRef {
  /** Kind of record (`vendor`, `account`, `dimensionValue`, `currency`, …): selects the resolver. */
  readonly kind: string;
  /** Its key in the target (vendor number, account number, `DEPARTMENT/ADM`, `EUR`). */
  readonly key: string;
  /** Where in the document it is used, for the review detail (`lines[2].accountNumber`). */
  readonly field?: string;
}

/** What the target says about one reference. */
export interface ReferenceStatus {
  readonly exists: boolean;
  /** False when it exists but cannot be used (blocked, direct posting not allowed, closed). */
  readonly usable: boolean;
  /** Why it is not usable, in plain words. */
  readonly reason?: string;
}

/**
 * Looks up many references of one kind in as few requests as possible (batched filters). Resolves a status for
 * every key; a key missing from the result counts as not existing.
 */
export type ReferenceResolver = (keys: readonly string[], context: ReadContext) => Promise<ReadonlyMap<string, ReferenceStatus>>;

/** A document as it exists in the target. */
export interface TargetDocument {
  readonly id: string;
  /** ETag or timestamp after the last change. */
  readonly version?: string;
  /** True when the target forbids changes (a posted invoice): a changed source record then goes to review. */
  readonly locked: boolean;
  /** Why it is locked, in plain words. */
  readonly lockedReason?: string;
  /** Its current fields, for `diff` (dry runs, and checking a document found after an interrupted write). */
  readonly snapshot?: Readonly<Record<string, unknown>>;
}

/** What a target write returned. */
export interface WriteResult {
  readonly document: TargetDocument;
  /** The target's request id, recorded in the audit. */
  readonly requestId?: string;
  /**
   * True when the write sent nothing: the target already held what the payload says, or the flow's conflict policy
   * kept the target's newer values. The ledger is confirmed at this version, the audit says `skipped-duplicate`,
   * and the record counts as skipped, not created or updated.
   */
  readonly unchanged?: boolean;
}

/** Context handed to a target while it writes. */
export interface WriteContext extends ReadContext {
  readonly identity: SourceIdentity;
}

/** One field a write would change. */
export interface FieldChange {
  /** Dotted path (`lines[0].amount`). */
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

/**
 * Where a flow writes to. Targets without idempotency keys are protected by the engine's ledger and by
 * {@link SyncTarget.find}, which looks a document up by its natural key before a write whose outcome is unknown.
 */
export interface SyncTarget<P> {
  /** Target system name. */
  readonly system: string;
  /** The document's natural key in the target (Business Central: vendor number + `vendorInvoiceNumber`). */
  naturalKey(payload: P): string;
  /** References to check before any write of the batch. */
  references?(payload: P): readonly ReferenceRef[];
  /** One resolver per reference kind. */
  readonly resolvers?: Readonly<Record<string, ReferenceResolver>>;
  /** Finds the document by natural key; undefined when there is none. */
  find(payload: P, context: WriteContext): Promise<TargetDocument | undefined>;
  /** Reads a document by id (the ledger's `targetId`); undefined when it is gone. */
  get(targetId: string, context: WriteContext): Promise<TargetDocument | undefined>;
  create(payload: P, context: WriteContext): Promise<WriteResult>;
  /** Brings an unlocked document in line with `payload`. */
  update(current: TargetDocument, payload: P, context: WriteContext): Promise<WriteResult>;
  /**
   * Field-level difference between the document (undefined: not there yet) and `payload`: the dry run's diff, and
   * the check of a document found by natural key after an interrupted write (a difference means the write landed
   * only in part, and the engine completes it with `update`). Without it, a found document is adopted as written.
   */
  diff?(current: TargetDocument | undefined, payload: P): readonly FieldChange[];
}

/** A flow: read from one source, map each record, preflight references, write into one target. */
export interface SyncFlow<S, P> {
  /** Unique flow name; keys the ledger, checkpoints and audit. */
  readonly name: string;
  readonly source: SyncSource<S>;
  /** Maps a source record; throws {@link DataError} (or a subclass) when data must be fixed first. */
  map(record: S, context: MapContext): P | Promise<P>;
  readonly target: SyncTarget<P>;
  /** Version of the mapping tables in use, recorded with every `mapped` audit event. */
  readonly mappingVersion?: string;
}

/** What happened to one record in a run. */
export type RecordOutcome = 'created' | 'updated' | 'skipped' | 'review' | 'failed' | 'dry-run';

/** Typed progress events of a run. */
export type SyncEvent =
  | { readonly type: 'run-started'; readonly runId: string; readonly flow: string; readonly dryRun: boolean }
  | { readonly type: 'page-read'; readonly runId: string; readonly records: number }
  | {
      readonly type: 'record';
      readonly runId: string;
      readonly key: RecordKey;
      readonly outcome: RecordOutcome;
      readonly businessIds: readonly string[];
      readonly targetId?: string;
      /** Review reason or error code. */
      readonly reason?: string;
      /** Dry runs: what the write would change. */
      readonly changes?: readonly FieldChange[];
    }
  | { readonly type: 'checkpoint-saved'; readonly runId: string; readonly stream: string }
  | { readonly type: 'warning'; readonly runId: string; readonly code: string; readonly message: string }
  | { readonly type: 'run-finished'; readonly summary: RunSummary };

/** Options of one run. */
export interface RunOptions {
  /** Stops the run gracefully: no new records start; in-flight records finish; the checkpoint is saved. */
  readonly signal?: AbortSignal;
  /**
   * Maps, preflights and diffs against the target, writes nothing anywhere (target, ledger, checkpoint). The run's
   * `created` and `updated` counts then say what would be written.
   */
  readonly dryRun?: boolean;
  /** Stop after this many records (the checkpoint covers only settled pages). */
  readonly maxRecords?: number;
  /** Receives progress events synchronously; must not throw. */
  readonly onEvent?: (event: SyncEvent) => void;
}

/** Which review items a replay takes. */
export interface ReplaySelection {
  /** One record. */
  readonly sourceId?: string;
  /** Every open or retrying item with this reason. */
  readonly reason?: string;
  /** Fields merged over the mapped document before the write; recorded in the audit. */
  readonly override?: Readonly<Record<string, unknown>>;
}

/** Result of a run or replay. */
export interface RunSummary {
  readonly runId: string;
  readonly flow: string;
  readonly status: RunStatus;
  readonly counts: RunCounts;
  readonly durationMs: number;
  readonly dryRun: boolean;
  /** Why the run stopped early, when it did. */
  readonly error?: string;
}

/** Result of {@link SyncEngine.process}. */
export interface ProcessSummary extends RunSummary {
  /**
   * Source ids of the given records that were not settled (leased by another worker, a store failure, the run
   * stopped): offer them again later. Empty when every record was written, skipped or put in the review queue.
   */
  readonly unsettled: readonly string[];
}

/** Options of {@link SyncEngine.schedule}. */
export interface ScheduleOptions extends Omit<RunOptions, 'maxRecords' | 'dryRun'> {
  /** Pause between the end of one run and the start of the next. */
  readonly intervalMs: number;
}

/**
 * Moves records through flows with nothing lost and nothing written twice. Created by `createSyncEngine`.
 */
export interface SyncEngine {
  /** The store behind the engine. */
  readonly store: SyncStore;
  /** Runs a flow once: retries records the review queue holds as `retrying`, then reads new pages. */
  run<S, P>(flow: SyncFlow<S, P>, options?: RunOptions): Promise<RunSummary>;
  /** Runs a flow until `signal` aborts, waiting `intervalMs` between runs. */
  schedule<S, P>(flow: SyncFlow<S, P>, options: ScheduleOptions): Promise<void>;
  /** Replays review items after a fix, with the ledger's guarantees. */
  replay<S, P>(flow: SyncFlow<S, P>, selection: ReplaySelection, options?: Omit<RunOptions, 'maxRecords'>): Promise<RunSummary>;
  /**
   * Takes the given source records through the same per-record path as a run (receive, map, preflight, write
   * through the ledger, audit, review), as one recorded run, without reading the source or saving a checkpoint.
   * The entry point of queue workers: a producer reads the stream and enqueues records, workers process them.
   */
  process<S, P>(flow: SyncFlow<S, P>, records: readonly S[], options?: Omit<RunOptions, 'maxRecords'>): Promise<ProcessSummary>;
  /** Audit events. */
  audit(query: AuditQuery): Promise<AuditEvent[]>;
  /** Review items. */
  reviews(query?: ReviewQuery): Promise<ReviewItem[]>;
  /** Marks a review item resolved (fixed elsewhere) or ignored, with an audit event. */
  settleReview(key: RecordKey, state: 'resolved' | 'ignored', note?: string): Promise<void>;
  /** Past runs, newest first. */
  runs(query?: { flow?: string; limit?: number }): Promise<RunRecord[]>;
}
