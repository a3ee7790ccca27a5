import type { KeyValueStore } from '../../auth/index.js';

/**
 * Identifies one source record inside a flow: the flow's name, the system it is read from and its id there.
 * Every ledger entry, audit event and review item is keyed by it.
 */
export interface RecordKey {
  /** Name of the flow (for example `bc-invoices`). */
  readonly flow: string;
  /** Source system (for example `jaggaer`). */
  readonly sourceSystem: string;
  /** The record's id in the source system. */
  readonly sourceId: string;
}

/** Saved position of one stream. `value` is opaque to the store (the source's cursor, serialised). */
export interface Checkpoint {
  /** Stream name, unique per flow and source (for example `bc-invoices/jaggaer/approved-invoices`). */
  readonly stream: string;
  /** Hash of the stream's query: a checkpoint whose hash differs from the current query is not reused. */
  readonly queryHash: string;
  /** The cursor, serialised by its source. */
  readonly value: string;
  /** ISO 8601 time it was saved. */
  readonly updatedAt: string;
}

/**
 * Where the write of one source record stands.
 * - `pending`: known, not yet sent.
 * - `sent`: a write was started and its outcome is not recorded yet (a crash leaves it here).
 * - `confirmed`: the target acknowledged it; `targetId` is set.
 * - `failed`: the last attempt certainly did not write (the target refused or was never reached).
 * - `unknown`: the last write's outcome is unknown (connection reset after the server may have processed it).
 *
 * `sent` and `unknown` are both resolved by looking the record up in the target by its natural key before any
 * new write.
 */
export type LedgerState = 'pending' | 'sent' | 'confirmed' | 'failed' | 'unknown';

/** The ledger's record of one source record's write into its target. */
export interface LedgerEntry extends RecordKey {
  /** Version of the source record last processed (its version field, or a content hash). */
  readonly sourceVersion: string;
  /** Target system (for example `business-central`). */
  readonly targetSystem: string;
  readonly state: LedgerState;
  /** The target document's id, once known. */
  readonly targetId?: string;
  /** The target's version (ETag or timestamp) after our last write, so echoes of our own writes are recognised. */
  readonly targetVersion?: string;
  /** The target-side natural key (Business Central: vendor number + `vendorInvoiceNumber`). */
  readonly naturalKey?: string;
  /** Business identifiers (invoice number, PO number, vendor number) the record is searchable by. */
  readonly businessIds: readonly string[];
  /** Write attempts made so far. */
  readonly attempts: number;
  /** Code of the last error (an error `code` or review reason), when the last attempt failed. */
  readonly lastErrorCode?: string;
  /** Redacted message of the last error. */
  readonly lastErrorMessage?: string;
  /** Who holds the record's lease (a runner or worker id), while it is being processed. */
  readonly leaseOwner?: string;
  /** Epoch milliseconds the lease expires at. */
  readonly leaseExpiresAt?: number;
  /** Incremented by the store on every change; used for compare-and-set. */
  readonly revision: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Fields a caller sets on a ledger entry; the store maintains `revision`, `createdAt` and `updatedAt`. */
export type LedgerEntryInput = Omit<LedgerEntry, 'revision' | 'createdAt' | 'updatedAt' | 'leaseOwner' | 'leaseExpiresAt'>;

/** One ledger write inside a {@link StoreChange}. */
export interface LedgerWrite {
  /** The entry's new content (the lease is kept unless `releaseLease` is set). */
  readonly entry: LedgerEntryInput;
  /**
   * Compare-and-set: the revision the caller read. The change fails with {@link StoreConflictError} when the
   * stored revision differs; `0` means "must not exist yet". Omit to write unconditionally.
   */
  readonly expectedRevision?: number;
  /** Clears the lease in the same transaction. */
  readonly releaseLease?: boolean;
}

/** A step in a record's life, as recorded in the audit trail. */
export type AuditStep =
  | 'received'
  | 'mapped'
  | 'preflight-failed'
  | 'looked-up'
  | 'written'
  | 'updated'
  | 'skipped-duplicate'
  | 'sent-to-review'
  | 'failed'
  | 'replayed'
  | 'resolved'
  | 'ignored';

/** An audit event as appended; the store assigns `seq` and keeps `at` as given. */
export interface AuditEventInput extends RecordKey {
  /** The run it happened in. */
  readonly runId: string;
  readonly step: AuditStep;
  /** ISO 8601 time. */
  readonly at: string;
  /** Business identifiers, for search (copied from the record). */
  readonly businessIds: readonly string[];
  readonly targetId?: string;
  /** The target's request id (`request-id`, `x-ms-request-id`, …) of the write, when there was one. */
  readonly requestId?: string;
  /** Reason code (review reason or error code). */
  readonly code?: string;
  /** Short human-readable detail, redacted. */
  readonly detail?: string;
  /** Payload (mapped document, diff, override), redacted JSON. */
  readonly payload?: unknown;
}

/** A stored audit event. */
export interface AuditEvent extends AuditEventInput {
  /** Monotonic sequence number, unique in the store: events sort by it. */
  readonly seq: number;
}

/** Filters of {@link SyncStore.queryAudit}; the given fields are ANDed. */
export interface AuditQuery {
  readonly flow?: string;
  /** Events of one record (needs `flow`, `sourceSystem` and `sourceId` together). */
  readonly record?: RecordKey;
  readonly runId?: string;
  /** Every event of every record that carries this business identifier (exact match). */
  readonly businessId?: string;
  /** Only events with `seq` greater than this (paging). */
  readonly afterSeq?: number;
  /** Maximum events returned, oldest first. Default 1,000. */
  readonly limit?: number;
}

/** State of a review item: `open` waits for a person; `retrying` is retried automatically by the next run. */
export type ReviewState = 'open' | 'retrying' | 'resolved' | 'ignored';

/** An item in the review queue: one source record that could not go through. Its id is its {@link RecordKey}. */
export interface ReviewItem extends RecordKey {
  readonly state: ReviewState;
  /** Machine-readable reason (`missing-mapping`, `unknown-vendor`, `blocked-account`, `target-posted`, …). */
  readonly reason: string;
  /** What to fix, in plain words, redacted. */
  readonly detail: string;
  readonly businessIds: readonly string[];
  /** The source record as last read (JSON, redacted), so a replay can run without the source. */
  readonly sourceRecord?: unknown;
  /** Field overrides to apply on the next replay (recorded in the audit when used). */
  readonly override?: Readonly<Record<string, unknown>>;
  /** Times the record was replayed or retried from the queue. */
  readonly attempts: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Fields a caller sets on a review item; the store maintains `createdAt` and `updatedAt`. */
export type ReviewItemInput = Omit<ReviewItem, 'createdAt' | 'updatedAt'>;

/** Filters of {@link SyncStore.listReview}; the given fields are ANDed. */
export interface ReviewQuery {
  readonly flow?: string;
  readonly state?: ReviewState | readonly ReviewState[];
  readonly reason?: string;
  readonly businessId?: string;
  readonly limit?: number;
}

/** Outcome of a run. */
export type RunStatus = 'running' | 'completed' | 'aborted' | 'failed';

/** Counters of a run, as shown in the summary table. */
export interface RunCounts {
  read: number;
  created: number;
  updated: number;
  /** Skipped as duplicates (already written at this version). */
  skipped: number;
  review: number;
  failed: number;
}

/** One execution of a flow. */
export interface RunRecord {
  readonly id: string;
  readonly flow: string;
  readonly status: RunStatus;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly counts: RunCounts;
  /** Why the run stopped, when it did not complete. */
  readonly error?: string;
  /** Free-form figures (requests used, throughput), JSON. */
  readonly stats?: Readonly<Record<string, number>>;
}

/**
 * Everything that changes together, applied by {@link SyncStore.commit} in one transaction: either all of it
 * is stored or none of it.
 */
export interface StoreChange {
  readonly ledger?: readonly LedgerWrite[];
  readonly audit?: readonly AuditEventInput[];
  readonly review?: readonly ReviewItemInput[];
  readonly checkpoint?: Omit<Checkpoint, 'updatedAt'>;
  readonly run?: RunRecord;
}

/** Result of {@link SyncStore.claim}. */
export type ClaimResult =
  | { readonly claimed: true; readonly entry: LedgerEntry | undefined; readonly leaseExpiresAt: number }
  | { readonly claimed: false; readonly owner: string; readonly leaseExpiresAt: number };

/**
 * Durable state of the sync engine: checkpoints, the write ledger, the audit trail, the review queue, runs,
 * leases and a key-value area for the credential vault. Implementations: memory and SQLite in core,
 * PostgreSQL in a later package; all pass the same contract suite.
 *
 * Every method that changes state is atomic. Times are given by the caller (the engine's clock) so tests
 * control them.
 */
export interface SyncStore {
  /** The checkpoint of `stream`, or undefined. */
  getCheckpoint(stream: string): Promise<Checkpoint | undefined>;
  /** Removes a stream's checkpoint (the next read backfills). */
  deleteCheckpoint(stream: string): Promise<boolean>;

  /** The ledger entry of a record, or undefined. */
  getLedgerEntry(key: RecordKey): Promise<LedgerEntry | undefined>;
  /** Ledger entries of a flow, optionally only in the given states, ordered by source id. */
  listLedger(query: { flow: string; states?: readonly LedgerState[]; limit?: number; afterSourceId?: string }): Promise<LedgerEntry[]>;
  /**
   * Takes the lease of a record for `owner` until `now + leaseMs`: granted when there is no lease, it expired,
   * or `owner` already holds it. Atomic across processes sharing the store.
   */
  claim(key: RecordKey, owner: string, leaseMs: number, now: number): Promise<ClaimResult>;
  /** Releases a record's lease when `owner` holds it; resolves true when it did. */
  release(key: RecordKey, owner: string): Promise<boolean>;

  /** Applies a change in one transaction. Throws `StoreConflictError` when a compare-and-set fails. */
  commit(change: StoreChange, now: string): Promise<void>;

  /** Audit events matching `query`, oldest first. */
  queryAudit(query: AuditQuery): Promise<AuditEvent[]>;

  /** The review item of a record, or undefined. */
  getReview(key: RecordKey): Promise<ReviewItem | undefined>;
  /** Review items matching `query`, oldest first. */
  listReview(query?: ReviewQuery): Promise<ReviewItem[]>;

  /** A run by id. */
  getRun(id: string): Promise<RunRecord | undefined>;
  /** Runs, newest first. */
  listRuns(query?: { flow?: string; limit?: number }): Promise<RunRecord[]>;

  /**
   * Takes a named lease (one runner per flow, one scheduler) for `owner` until `now + ttlMs`, or extends it when
   * `owner` holds it. Resolves false when someone else holds an unexpired lease.
   */
  acquireLease(name: string, owner: string, ttlMs: number, now: number): Promise<boolean>;
  /** Releases a named lease held by `owner`. */
  releaseLease(name: string, owner: string): Promise<boolean>;

  /** A key-value area of the store (the credential vault keeps its encrypted records in `vault`). */
  keyValue(namespace: string): KeyValueStore;

  /** Closes connections and file handles. */
  close(): Promise<void>;
}
