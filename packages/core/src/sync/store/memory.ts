import type { KeyValueStore } from '../../auth/index.js';
import { InvalidInputError } from '../../errors/errors.js';
import { StoreConflictError } from '../errors.js';
import {
  DEFAULT_AUDIT_LIMIT, businessIdsOf, checkAuditQuery, checkChange, checkKey, checkLeaseRequest, checkLedgerQuery, checkLimit,
  checkString, compact, compareCodePoints, conflictMessage, fromJson, keyId, reviewStates, toJson,
} from './shared.js';
import type {
  AuditEvent, Checkpoint, ClaimResult, LedgerEntry, RecordKey, ReviewItem, RunRecord, StoreChange, SyncStore,
} from './types.js';

interface Lease {
  owner: string;
  expiresAt: number;
}


/** A JSON value as every store gives it back (see `toJson`). */
const normalise = (value: unknown, field: string): unknown => fromJson(toJson(value, field));

/**
 * Creates a {@link SyncStore} kept in memory: lost on exit, shared by nothing outside this process. Meant for
 * tests and dry runs; it implements the same contract as the SQLite store (same ordering, same JSON handling of
 * payloads, same errors). Every method returns copies, never its internal records.
 */
export function createMemorySyncStore(): SyncStore {
  const checkpoints = new Map<string, Checkpoint>();
  // Ledger entries without their lease; leases live apart, because a record can be claimed before it has an entry.
  const ledger = new Map<string, Omit<LedgerEntry, 'leaseOwner' | 'leaseExpiresAt'>>();
  const recordLeases = new Map<string, Lease>();
  const audit: AuditEvent[] = [];
  let lastSeq = 0;
  const reviews = new Map<string, ReviewItem>();
  const runs = new Map<string, RunRecord>();
  const namedLeases = new Map<string, Lease>();
  // Business id → records that ever carried it (ledger, audit or review).
  const businessIndex = new Map<string, Set<string>>();
  const keyValues = new Map<string, Map<string, string>>();
  let closed = false;

  const open = () => {
    if (closed) throw new InvalidInputError('the sync store is closed; open a new one', { field: 'store' });
  };

  const withLease = (id: string, entry: Omit<LedgerEntry, 'leaseOwner' | 'leaseExpiresAt'>): LedgerEntry => {
    const lease = recordLeases.get(id);
    return structuredClone(compact({ ...entry, leaseOwner: lease?.owner, leaseExpiresAt: lease?.expiresAt }));
  };

  const recordsOf = (businessId: string): ReadonlySet<string> => businessIndex.get(businessId) ?? new Set();

  function takeLease(leases: Map<string, Lease>, name: string, owner: string, ttlMs: number, now: number): Lease | undefined {
    const held = leases.get(name);
    if (held && held.owner !== owner && held.expiresAt > now) return held;
    leases.set(name, { owner, expiresAt: now + ttlMs });
    return undefined;
  }

  function dropLease(leases: Map<string, Lease>, name: string, owner: string): boolean {
    if (leases.get(name)?.owner !== owner) return false;
    leases.delete(name);
    return true;
  }

  function apply(change: StoreChange, now: string): void {
    // Stage every ledger write first: a failed compare-and-set must leave nothing of the change behind.
    const staged = new Map<string, Omit<LedgerEntry, 'leaseOwner' | 'leaseExpiresAt'>>();
    const releases: string[] = [];
    for (const write of change.ledger ?? []) {
      const id = keyId(write.entry);
      const current = staged.get(id) ?? ledger.get(id);
      const revision = current?.revision ?? 0;
      if (write.expectedRevision !== undefined && write.expectedRevision !== revision) {
        throw new StoreConflictError(conflictMessage(write.entry, write.expectedRevision, revision), {
          details: { flow: write.entry.flow, sourceSystem: write.entry.sourceSystem, sourceId: write.entry.sourceId },
        });
      }
      const e = write.entry;
      staged.set(
        id,
        compact({
          flow: e.flow, sourceSystem: e.sourceSystem, sourceId: e.sourceId, sourceVersion: e.sourceVersion,
          targetSystem: e.targetSystem, state: e.state, targetId: e.targetId, targetVersion: e.targetVersion,
          naturalKey: e.naturalKey, businessIds: [...e.businessIds], attempts: e.attempts, lastErrorCode: e.lastErrorCode,
          lastErrorMessage: e.lastErrorMessage, revision: revision + 1, createdAt: current?.createdAt ?? now, updatedAt: now,
        }),
      );
      if (write.releaseLease) releases.push(id);
    }
    // Normalise payloads before touching state: a payload that is not JSON fails the whole change too.
    const events = (change.audit ?? []).map((event, i) =>
      compact({
        flow: event.flow, sourceSystem: event.sourceSystem, sourceId: event.sourceId, runId: event.runId, step: event.step,
        at: event.at, businessIds: [...event.businessIds], targetId: event.targetId, requestId: event.requestId,
        code: event.code, detail: event.detail, payload: normalise(event.payload, `change.audit[${i}].payload`),
      }),
    );
    const items = (change.review ?? []).map((item, i) => {
      const current = reviews.get(keyId(item));
      return compact({
        flow: item.flow, sourceSystem: item.sourceSystem, sourceId: item.sourceId, state: item.state, reason: item.reason,
        detail: item.detail, businessIds: [...item.businessIds],
        sourceRecord: normalise(item.sourceRecord, `change.review[${i}].sourceRecord`),
        override: normalise(item.override, `change.review[${i}].override`) as ReviewItem['override'],
        attempts: item.attempts, createdAt: current?.createdAt ?? now, updatedAt: now,
      });
    });
    const run = change.run && (normalise(compact(change.run), 'change.run') as RunRecord);

    // Nothing below throws.
    for (const [id, entry] of staged) ledger.set(id, entry);
    for (const id of releases) recordLeases.delete(id);
    for (const event of events) audit.push({ ...event, seq: ++lastSeq });
    for (const item of items) reviews.set(keyId(item), item);
    if (change.checkpoint) {
      const { stream, queryHash, value } = change.checkpoint;
      checkpoints.set(stream, { stream, queryHash, value, updatedAt: now });
    }
    if (run) runs.set(run.id, run);
    for (const { key, businessId } of businessIdsOf(change)) {
      let set = businessIndex.get(businessId);
      if (!set) businessIndex.set(businessId, (set = new Set()));
      set.add(keyId(key));
    }
  }

  return {
    async getCheckpoint(stream) {
      open();
      checkString(stream, 'stream');
      const checkpoint = checkpoints.get(stream);
      return checkpoint && { ...checkpoint };
    },
    async deleteCheckpoint(stream) {
      open();
      checkString(stream, 'stream');
      return checkpoints.delete(stream);
    },

    async getLedgerEntry(key) {
      open();
      checkKey(key);
      const id = keyId(key);
      const entry = ledger.get(id);
      return entry && withLease(id, entry);
    },
    async listLedger(query) {
      open();
      checkLedgerQuery(query);
      const states = query.states && new Set<string>(query.states);
      const after = query.afterSourceId;
      const matches = [...ledger.entries()]
        .filter(([, e]) => e.flow === query.flow && (!states || states.has(e.state)) && (after === undefined || compareCodePoints(e.sourceId, after) > 0))
        .sort(([, a], [, b]) => compareCodePoints(a.sourceId, b.sourceId) || compareCodePoints(a.sourceSystem, b.sourceSystem));
      return matches.slice(0, query.limit ?? matches.length).map(([id, e]) => withLease(id, e));
    },
    async claim(key, owner, leaseMs, now): Promise<ClaimResult> {
      open();
      checkKey(key);
      checkLeaseRequest(owner, leaseMs, now, 'leaseMs');
      const id = keyId(key);
      const held = takeLease(recordLeases, id, owner, leaseMs, now);
      if (held) return { claimed: false, owner: held.owner, leaseExpiresAt: held.expiresAt };
      const entry = ledger.get(id);
      return { claimed: true, entry: entry && withLease(id, entry), leaseExpiresAt: now + leaseMs };
    },
    async release(key, owner) {
      open();
      checkKey(key);
      checkString(owner, 'owner');
      return dropLease(recordLeases, keyId(key), owner);
    },

    async commit(change, now) {
      open();
      checkChange(change, now);
      apply(change, now);
    },

    async queryAudit(query) {
      open();
      checkAuditQuery(query);
      const limit = query.limit ?? DEFAULT_AUDIT_LIMIT;
      const records = query.businessId === undefined ? undefined : recordsOf(query.businessId);
      const recordId = query.record && keyId(query.record);
      const out: AuditEvent[] = [];
      for (const event of audit) {
        if (out.length >= limit) break;
        if (query.afterSeq !== undefined && event.seq <= query.afterSeq) continue;
        if (query.flow !== undefined && event.flow !== query.flow) continue;
        if (query.runId !== undefined && event.runId !== query.runId) continue;
        if (recordId !== undefined && keyId(event) !== recordId) continue;
        if (records && !records.has(keyId(event))) continue;
        out.push(structuredClone(event));
      }
      return out;
    },

    async getReview(key) {
      open();
      checkKey(key);
      const item = reviews.get(keyId(key));
      return item && structuredClone(item);
    },
    async listReview(query = {}) {
      open();
      const states = reviewStates(query);
      const records = query.businessId === undefined ? undefined : recordsOf(query.businessId);
      const out: ReviewItem[] = [];
      for (const [id, item] of reviews) {
        if (query.limit !== undefined && out.length >= query.limit) break;
        if (query.flow !== undefined && item.flow !== query.flow) continue;
        if (states && !states.has(item.state)) continue;
        if (query.reason !== undefined && item.reason !== query.reason) continue;
        if (records && !records.has(id)) continue;
        out.push(structuredClone(item));
      }
      return out;
    },

    async getRun(id) {
      open();
      checkString(id, 'id');
      const run = runs.get(id);
      return run && structuredClone(run);
    },
    async listRuns(query = {}) {
      open();
      checkLimit(query.limit, 'query.limit');
      // Newest first: by start time, then latest inserted (a Map keeps insertion order).
      const all = [...runs.values()].reverse().filter((run) => query.flow === undefined || run.flow === query.flow);
      all.sort((a, b) => compareCodePoints(b.startedAt, a.startedAt));
      return all.slice(0, query.limit ?? all.length).map((run) => structuredClone(run));
    },

    async acquireLease(name, owner, ttlMs, now) {
      open();
      checkString(name, 'name');
      checkLeaseRequest(owner, ttlMs, now, 'ttlMs');
      return takeLease(namedLeases, name, owner, ttlMs, now) === undefined;
    },
    async releaseLease(name, owner) {
      open();
      checkString(name, 'name');
      checkString(owner, 'owner');
      return dropLease(namedLeases, name, owner);
    },

    keyValue(namespace): KeyValueStore {
      checkString(namespace, 'namespace');
      let map = keyValues.get(namespace);
      if (!map) keyValues.set(namespace, (map = new Map()));
      const area = map;
      return {
        get: async (key) => (open(), area.get(key)),
        set: async (key, value) => {
          open();
          checkString(key, 'key');
          if (typeof value !== 'string') throw new InvalidInputError('value must be a string', { field: 'value' });
          area.set(key, value);
        },
        delete: async (key) => (open(), area.delete(key)),
        keys: async () => (open(), [...area.keys()].sort(compareCodePoints)),
      };
    },

    async close() {
      closed = true;
    },
  };
}
