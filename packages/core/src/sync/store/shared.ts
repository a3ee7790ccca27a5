import { InvalidInputError } from '../../errors/errors.js';
import type {
  AuditEvent, LedgerEntry, ReviewItem,
  AuditEventInput, AuditQuery, AuditStep, LedgerState, LedgerWrite, RecordKey, ReviewItemInput, ReviewQuery, ReviewState,
  RunRecord, RunStatus, StoreChange,
} from './types.js';

// Input checks and value handling shared by every store, so all of them refuse the same input the same way.

/** Audit events returned by one query when no limit is given. */
export const DEFAULT_AUDIT_LIMIT = 1000;

const LEDGER_STATES: ReadonlySet<string> = new Set<LedgerState>(['pending', 'sent', 'confirmed', 'failed', 'unknown']);
const REVIEW_STATES: ReadonlySet<string> = new Set<ReviewState>(['open', 'retrying', 'resolved', 'ignored']);
const RUN_STATUSES: ReadonlySet<string> = new Set<RunStatus>(['running', 'completed', 'aborted', 'failed']);
const AUDIT_STEPS: ReadonlySet<string> = new Set<AuditStep>([
  'received', 'mapped', 'preflight-failed', 'looked-up', 'written', 'updated', 'skipped-duplicate', 'sent-to-review', 'failed',
  'replayed', 'resolved', 'ignored',
]);

const invalid = (field: string, message: string) => new InvalidInputError(`${field} ${message}`, { field });

/** Throws InvalidInputError naming `field` unless `value` is a non-empty string. */
export function checkString(value: unknown, field: string): asserts value is string {
  if (typeof value !== 'string' || value === '') throw invalid(field, 'must be a non-empty string');
}

function checkOptionalString(value: unknown, field: string): void {
  if (value !== undefined && typeof value !== 'string') throw invalid(field, 'must be a string when given');
}

/** Throws InvalidInputError unless `key` is a {@link RecordKey} of non-empty strings. */
export function checkKey(key: unknown, field = 'key'): asserts key is RecordKey {
  if (typeof key !== 'object' || key === null) throw invalid(field, 'must be an object with flow, sourceSystem and sourceId');
  const k = key as Partial<RecordKey>;
  checkString(k.flow, `${field}.flow`);
  checkString(k.sourceSystem, `${field}.sourceSystem`);
  checkString(k.sourceId, `${field}.sourceId`);
}

/** Throws InvalidInputError unless `value` is finite epoch milliseconds. */
export function checkTime(value: unknown, field: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(field, 'must be a finite number of epoch milliseconds');
}

/** Throws InvalidInputError unless `value` is a positive number of milliseconds. */
export function checkDuration(value: unknown, field: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw invalid(field, 'must be a positive number of milliseconds');
}

/** Throws InvalidInputError unless `value` is absent or a positive integer. */
export function checkLimit(value: unknown, field = 'limit'): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < 1)) {
    throw invalid(field, 'must be a positive integer when given');
  }
}

function checkCount(value: unknown, field: string): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw invalid(field, 'must be a non-negative integer');
}

function checkBusinessIds(value: unknown, field: string): asserts value is readonly string[] {
  if (!Array.isArray(value) || !value.every((id) => typeof id === 'string')) throw invalid(field, 'must be an array of strings');
}

/**
 * JSON text of a payload, or undefined when the value is absent. Every store keeps payloads as JSON, so the
 * memory store gives back what SQLite or PostgreSQL would (no `undefined` members, no `-0`, no class instances).
 */
export function toJson(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (cause) {
    throw new InvalidInputError(`${field} must be JSON-serialisable (no cycles, no BigInt)`, { field, cause });
  }
  if (text === undefined) throw invalid(field, 'must be JSON-serialisable (not a function or symbol)');
  return text;
}

/** Parses JSON text written by {@link toJson}. */
export const fromJson = (text: string | null | undefined): unknown => (text == null ? undefined : JSON.parse(text));

/** Compares by Unicode code points: the order of UTF-8 bytes, which SQLite's BINARY collation uses too. */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : 1;
}

/** One string naming a record, for maps. */
export const keyId = (key: RecordKey): string => JSON.stringify([key.flow, key.sourceSystem, key.sourceId]);

/** Checks one ledger write of a change. */
export function checkLedgerWrite(write: LedgerWrite, field: string): void {
  if (typeof write !== 'object' || write === null) throw invalid(field, 'must be an object with an entry');
  const e = write.entry;
  checkKey(e, `${field}.entry`);
  checkString(e.sourceVersion, `${field}.entry.sourceVersion`);
  checkString(e.targetSystem, `${field}.entry.targetSystem`);
  if (!LEDGER_STATES.has(e.state)) throw invalid(`${field}.entry.state`, `must be one of ${[...LEDGER_STATES].join(', ')}`);
  checkBusinessIds(e.businessIds, `${field}.entry.businessIds`);
  checkCount(e.attempts, `${field}.entry.attempts`);
  for (const name of ['targetId', 'targetVersion', 'naturalKey', 'lastErrorCode', 'lastErrorMessage'] as const) {
    checkOptionalString(e[name], `${field}.entry.${name}`);
  }
  if (write.expectedRevision !== undefined) checkCount(write.expectedRevision, `${field}.expectedRevision`);
}

/** Checks one audit event of a change. */
export function checkAuditEvent(event: AuditEventInput, field: string): void {
  checkKey(event, field);
  checkString(event.runId, `${field}.runId`);
  if (!AUDIT_STEPS.has(event.step)) throw invalid(`${field}.step`, `must be one of ${[...AUDIT_STEPS].join(', ')}`);
  checkString(event.at, `${field}.at`);
  checkBusinessIds(event.businessIds, `${field}.businessIds`);
  for (const name of ['targetId', 'requestId', 'code', 'detail'] as const) checkOptionalString(event[name], `${field}.${name}`);
}

/** Checks one review item of a change. */
export function checkReviewItem(item: ReviewItemInput, field: string): void {
  checkKey(item, field);
  if (!REVIEW_STATES.has(item.state)) throw invalid(`${field}.state`, `must be one of ${[...REVIEW_STATES].join(', ')}`);
  checkString(item.reason, `${field}.reason`);
  if (typeof item.detail !== 'string') throw invalid(`${field}.detail`, 'must be a string');
  checkBusinessIds(item.businessIds, `${field}.businessIds`);
  checkCount(item.attempts, `${field}.attempts`);
  if (item.override !== undefined && (typeof item.override !== 'object' || item.override === null || Array.isArray(item.override))) {
    throw invalid(`${field}.override`, 'must be an object when given');
  }
}

/** Checks the run record of a change. */
export function checkRun(run: RunRecord, field: string): void {
  if (typeof run !== 'object' || run === null) throw invalid(field, 'must be a run record');
  checkString(run.id, `${field}.id`);
  checkString(run.flow, `${field}.flow`);
  if (!RUN_STATUSES.has(run.status)) throw invalid(`${field}.status`, `must be one of ${[...RUN_STATUSES].join(', ')}`);
  checkString(run.startedAt, `${field}.startedAt`);
  checkOptionalString(run.finishedAt, `${field}.finishedAt`);
  checkOptionalString(run.error, `${field}.error`);
  if (typeof run.counts !== 'object' || run.counts === null) throw invalid(`${field}.counts`, 'must be an object of counters');
  for (const name of ['read', 'created', 'updated', 'skipped', 'review', 'failed'] as const) {
    checkCount(run.counts[name], `${field}.counts.${name}`);
  }
}

/** Checks a whole change before anything of it is applied. */
export function checkChange(change: StoreChange, now: string): void {
  if (typeof change !== 'object' || change === null) throw invalid('change', 'must be an object');
  checkString(now, 'now');
  for (const [name, value] of [['ledger', change.ledger], ['audit', change.audit], ['review', change.review]] as const) {
    if (value !== undefined && !Array.isArray(value)) throw invalid(`change.${name}`, 'must be an array when given');
  }
  change.ledger?.forEach((write, i) => checkLedgerWrite(write, `change.ledger[${i}]`));
  change.audit?.forEach((event, i) => checkAuditEvent(event, `change.audit[${i}]`));
  change.review?.forEach((item, i) => checkReviewItem(item, `change.review[${i}]`));
  if (change.checkpoint !== undefined) {
    checkString(change.checkpoint.stream, 'change.checkpoint.stream');
    if (typeof change.checkpoint.queryHash !== 'string') throw invalid('change.checkpoint.queryHash', 'must be a string');
    if (typeof change.checkpoint.value !== 'string') throw invalid('change.checkpoint.value', 'must be a string');
  }
  if (change.run !== undefined) checkRun(change.run, 'change.run');
}

/** Checks the query of `SyncStore.queryAudit`. */
export function checkAuditQuery(query: AuditQuery): void {
  if (typeof query !== 'object' || query === null) throw invalid('query', 'must be an object');
  if (query.record !== undefined) checkKey(query.record, 'query.record');
  if (query.afterSeq !== undefined && (typeof query.afterSeq !== 'number' || !Number.isInteger(query.afterSeq))) {
    throw invalid('query.afterSeq', 'must be an integer when given');
  }
  checkLimit(query.limit, 'query.limit');
}

/** The states of a review query as a set, or undefined for every state. */
export function reviewStates(query: ReviewQuery): ReadonlySet<string> | undefined {
  checkLimit(query.limit, 'query.limit');
  if (query.state === undefined) return undefined;
  const states = typeof query.state === 'string' ? [query.state] : [...query.state];
  for (const state of states) {
    if (!REVIEW_STATES.has(state)) throw invalid('query.state', `must be one of ${[...REVIEW_STATES].join(', ')}`);
  }
  return new Set(states);
}

/** Checks the states filter of `SyncStore.listLedger`. */
export function checkLedgerStates(states: readonly LedgerState[] | undefined): void {
  if (states === undefined) return;
  if (!Array.isArray(states) || !states.every((s) => LEDGER_STATES.has(s))) {
    throw invalid('query.states', `must be an array of ${[...LEDGER_STATES].join(', ')}`);
  }
}

/** Every distinct business id of a change, with the record that carried it. */
export function businessIdsOf(change: StoreChange): Array<{ key: RecordKey; businessId: string }> {
  const out: Array<{ key: RecordKey; businessId: string }> = [];
  for (const write of change.ledger ?? []) for (const id of write.entry.businessIds) out.push({ key: write.entry, businessId: id });
  for (const event of change.audit ?? []) for (const id of event.businessIds) out.push({ key: event, businessId: id });
  for (const item of change.review ?? []) for (const id of item.businessIds) out.push({ key: item, businessId: id });
  return out;
}

/** The message of the conflict a failed compare-and-set raises. */
export const conflictMessage = (key: RecordKey, expected: number, actual: number): string =>
  `ledger entry ${key.flow}/${key.sourceSystem}/${key.sourceId} is at revision ${actual}, expected ${expected}: someone else changed it; read it again`;

/** Drops members whose value is undefined, so records look the same in every store (absent, never `undefined`). */
export function compact<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(value)) if (member !== undefined) out[name] = member;
  return out as T;
}

/** Checks the query of `SyncStore.listLedger`. */
export function checkLedgerQuery(query: { flow: string; states?: readonly LedgerState[]; limit?: number; afterSourceId?: string }): void {
  checkString(query?.flow, 'query.flow');
  checkLedgerStates(query.states);
  checkLimit(query.limit, 'query.limit');
  if (query.afterSourceId !== undefined && typeof query.afterSourceId !== 'string') {
    throw invalid('query.afterSourceId', 'must be a string when given');
  }
}

/** Checks the arguments of `SyncStore.claim` and `SyncStore.acquireLease`. */
export function checkLeaseRequest(owner: string, durationMs: number, now: number, durationField: string): void {
  checkString(owner, 'owner');
  checkDuration(durationMs, durationField);
  checkTime(now, 'now');
}

/** A row of the SQL stores (SQLite, PostgreSQL): column name to value. */
export type SqlRow = Record<string, unknown>;
const opt = (value: unknown): string | undefined => (value === null || value === undefined ? undefined : (value as string));
const num = (value: unknown): number => Number(value);

/** A ledger entry from a row of the SQL stores (snake_case columns, the lease joined in as lease_owner/lease_expires_at). */
export function ledgerFromRow(row: SqlRow): LedgerEntry {
  return compact({
    flow: row.flow as string, sourceSystem: row.source_system as string, sourceId: row.source_id as string,
    sourceVersion: row.source_version as string, targetSystem: row.target_system as string, state: row.state as LedgerState,
    targetId: opt(row.target_id), targetVersion: opt(row.target_version), naturalKey: opt(row.natural_key),
    businessIds: JSON.parse(row.business_ids as string) as string[], attempts: num(row.attempts),
    lastErrorCode: opt(row.last_error_code), lastErrorMessage: opt(row.last_error_message),
    leaseOwner: opt(row.lease_owner), leaseExpiresAt: row.lease_expires_at == null ? undefined : num(row.lease_expires_at),
    revision: num(row.revision), createdAt: row.created_at as string, updatedAt: row.updated_at as string,
  });
}

/** An audit event from a row of the SQL stores. */
export function auditFromRow(row: SqlRow): AuditEvent {
  return compact({
    seq: num(row.seq), flow: row.flow as string, sourceSystem: row.source_system as string, sourceId: row.source_id as string,
    runId: row.run_id as string, step: row.step as AuditEvent['step'], at: row.at as string,
    businessIds: JSON.parse(row.business_ids as string) as string[], targetId: opt(row.target_id),
    requestId: opt(row.request_id), code: opt(row.code), detail: opt(row.detail), payload: fromJson(opt(row.payload)),
  });
}

/** A review item from a row of the SQL stores. */
export function reviewFromRow(row: SqlRow): ReviewItem {
  return compact({
    flow: row.flow as string, sourceSystem: row.source_system as string, sourceId: row.source_id as string,
    state: row.state as ReviewState, reason: row.reason as string, detail: row.detail as string,
    businessIds: JSON.parse(row.business_ids as string) as string[], sourceRecord: fromJson(opt(row.source_record)),
    override: fromJson(opt(row.override)) as ReviewItem['override'], attempts: num(row.attempts),
    createdAt: row.created_at as string, updatedAt: row.updated_at as string,
  });
}

/** A run record from a row of the SQL stores. */
export function runFromRow(row: SqlRow): RunRecord {
  return compact({
    id: row.id as string, flow: row.flow as string, status: row.status as RunStatus, startedAt: row.started_at as string,
    finishedAt: opt(row.finished_at), counts: JSON.parse(row.counts as string) as RunRecord['counts'], error: opt(row.error),
    stats: fromJson(opt(row.stats)) as RunRecord['stats'],
  });
}

