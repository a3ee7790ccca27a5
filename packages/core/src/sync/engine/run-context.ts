import { randomUUID } from 'node:crypto';
import type { FieldChange, RecordOutcome, RunOptions, SyncEvent, SyncFlow } from '../flow.js';
import type { AuditEventInput, AuditStep, RecordKey, RunCounts, RunRecord, RunStatus, StoreChange } from '../store/types.js';
import type { EngineConfig } from './options.js';

/** Why a run stopped before its end. */
export interface StopReason {
  readonly code: string;
  readonly message: string;
}

/** Where a record came from in this run. */
export type RecordOrigin = 'read' | 'retry' | 'replay';

/** Options of one run as the engine uses them internally. */
export interface RunSettings extends RunOptions {
  /** Called before each page; resolving false stops the run (a scheduler lost its flow lease). */
  readonly beforePage?: () => Promise<boolean>;
}

const NEVER_ABORTED = new AbortController().signal;

/**
 * State of one run: counters, events, the stop flag and the auth-failure streak. Every store change of the run
 * goes through {@link RunContext.commit}, which a dry run turns into a no-op.
 */
export class RunContext<S = unknown, P = unknown> {
  readonly runId = randomUUID();
  readonly counts: RunCounts = { read: 0, created: 0, updated: 0, skipped: 0, review: 0, failed: 0 };
  readonly startedAtMs: number;
  readonly dryRun: boolean;
  /** Aborted by the caller: stops reading and starting records. */
  readonly signal: AbortSignal;
  /** Given to mappers, resolvers and targets: in-flight work finishes even when the run is aborted. */
  readonly inFlightSignal: AbortSignal = NEVER_ABORTED;
  stopReason: StopReason | undefined;
  private authFailuresInRow = 0;
  private started = 0;

  constructor(
    readonly config: EngineConfig,
    readonly flow: SyncFlow<S, P>,
    readonly settings: RunSettings,
  ) {
    this.startedAtMs = config.now();
    this.dryRun = settings.dryRun === true;
    this.signal = settings.signal ?? NEVER_ABORTED;
  }

  /** ISO time from the engine's clock. */
  isoNow(): string {
    return new Date(this.config.now()).toISOString();
  }

  /** True while new records may start: not aborted, not stopped, under `maxRecords`. */
  mayStartRecord(): boolean {
    if (this.signal.aborted || this.stopReason) return false;
    const max = this.settings.maxRecords;
    if (max !== undefined && this.started >= max) return false;
    this.started++;
    return true;
  }

  /** True while writes may start: a fatal stop halts them, an abort lets received records finish. */
  mayWrite(): boolean {
    return this.stopReason === undefined;
  }

  emit(event: SyncEvent): void {
    try {
      this.settings.onEvent?.(event);
    } catch (error) {
      this.config.logger.warn({ err: error, runId: this.runId }, 'sync onEvent listener threw; ignored');
    }
  }

  warn(code: string, message: string): void {
    this.config.logger.warn({ runId: this.runId, flow: this.flow.name, code }, message);
    this.emit({ type: 'warning', runId: this.runId, code, message });
  }

  /** Stops the run: no record starts after this; the current page is not acknowledged. */
  stop(code: string, message: string): void {
    if (this.stopReason) return;
    this.stopReason = { code, message };
    this.warn(code, message);
  }

  /** Counts an authentication failure; resolves true when the streak reached the limit and the run stopped. */
  noteAuthFailure(message: string): boolean {
    this.authFailuresInRow++;
    if (this.authFailuresInRow < this.config.authFailureLimit) return false;
    this.stop('auth-failure-limit', `${this.authFailuresInRow} authentication failures in a row; run stopped: ${message}`);
    return true;
  }

  /** Any answer that is not an auth failure breaks the streak. */
  noteNotAuthFailure(): void {
    this.authFailuresInRow = 0;
  }

  async commit(change: StoreChange): Promise<void> {
    if (this.dryRun) return;
    await this.config.store.commit(change, this.isoNow());
  }

  audit(
    key: RecordKey,
    step: AuditStep,
    businessIds: readonly string[],
    fields: Partial<Pick<AuditEventInput, 'targetId' | 'requestId' | 'code' | 'detail' | 'payload'>> = {},
  ): AuditEventInput {
    const event: AuditEventInput = { flow: key.flow, sourceSystem: key.sourceSystem, sourceId: key.sourceId, runId: this.runId, step, at: this.isoNow(), businessIds, ...fields };
    return event;
  }

  recordOutcome(
    key: RecordKey,
    outcome: RecordOutcome,
    businessIds: readonly string[],
    extra: { targetId?: string | undefined; reason?: string | undefined; changes?: readonly FieldChange[] } = {},
  ): void {
    const counter = outcome === 'dry-run' ? undefined : outcome;
    if (counter) this.counts[counter]++;
    this.emit({ type: 'record', runId: this.runId, key, outcome, businessIds, ...extra });
  }

  runRecord(status: RunStatus): RunRecord {
    const finished = status !== 'running';
    return {
      id: this.runId,
      flow: this.flow.name,
      status,
      startedAt: new Date(this.startedAtMs).toISOString(),
      ...(finished ? { finishedAt: this.isoNow() } : {}),
      counts: { ...this.counts },
      ...(this.stopReason ? { error: this.stopReason.message } : {}),
    };
  }
}
