import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import type { KeyValueStore } from '../../auth/index.js';
import { ConnectorError, InvalidInputError } from '../../errors/errors.js';
import { StoreConflictError } from '../errors.js';
import {
  DEFAULT_AUDIT_LIMIT, auditFromRow, businessIdsOf, checkAuditQuery, checkChange, checkKey, checkLeaseRequest, checkLedgerQuery,
  checkLimit, checkString, conflictMessage, ledgerFromRow, reviewFromRow, reviewStates, runFromRow, toJson,
} from './shared.js';
import type {
  Checkpoint, ClaimResult, LedgerEntry, RecordKey, SyncStore,
} from './types.js';

/** Options of {@link openSqliteSyncStore}. */
export interface SqliteSyncStoreOptions {
  /** Database file (its directory is created), or `':memory:'` for a private in-memory database. */
  readonly path: string;
  /**
   * How long a write waits for another process's transaction on the same file before failing with `SQLITE_BUSY`.
   * The wait blocks the event loop (node:sqlite is synchronous). Default 5,000 ms.
   */
  readonly busyTimeoutMs?: number;
}

/** The store's SQLite file could not be opened or was written by a newer version of this package. */
export class SyncStoreOpenError extends ConnectorError {
  /** Literal class name, kept under minification. */
  static override readonly kind: string = 'SyncStoreOpenError';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, 'SYNC_STORE_OPEN_FAILED', options);
  }
}

/**
 * Schema migrations, in order: `MIGRATIONS[n]` brings a file from version `n` to `n + 1`. Append only; never edit a
 * released step (files in the field are at every version).
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE checkpoints (
    stream TEXT PRIMARY KEY, query_hash TEXT NOT NULL, value TEXT NOT NULL, updated_at TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE ledger (
    flow TEXT NOT NULL, source_system TEXT NOT NULL, source_id TEXT NOT NULL,
    source_version TEXT NOT NULL, target_system TEXT NOT NULL, state TEXT NOT NULL,
    target_id TEXT, target_version TEXT, natural_key TEXT, business_ids TEXT NOT NULL, attempts INTEGER NOT NULL,
    last_error_code TEXT, last_error_message TEXT, revision INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    PRIMARY KEY (flow, source_system, source_id)
  ) WITHOUT ROWID;
  CREATE INDEX ledger_by_state ON ledger (flow, state, source_id);
  CREATE TABLE record_leases (
    flow TEXT NOT NULL, source_system TEXT NOT NULL, source_id TEXT NOT NULL, owner TEXT NOT NULL, expires_at INTEGER NOT NULL,
    PRIMARY KEY (flow, source_system, source_id)
  ) WITHOUT ROWID;
  CREATE TABLE audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    flow TEXT NOT NULL, source_system TEXT NOT NULL, source_id TEXT NOT NULL, run_id TEXT NOT NULL, step TEXT NOT NULL,
    at TEXT NOT NULL, business_ids TEXT NOT NULL, target_id TEXT, request_id TEXT, code TEXT, detail TEXT, payload TEXT
  );
  CREATE INDEX audit_by_record ON audit (flow, source_system, source_id, seq);
  CREATE INDEX audit_by_run ON audit (run_id, seq);
  CREATE TABLE business_ids (
    business_id TEXT NOT NULL, flow TEXT NOT NULL, source_system TEXT NOT NULL, source_id TEXT NOT NULL,
    PRIMARY KEY (business_id, flow, source_system, source_id)
  ) WITHOUT ROWID;
  CREATE TABLE reviews (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    flow TEXT NOT NULL, source_system TEXT NOT NULL, source_id TEXT NOT NULL, state TEXT NOT NULL, reason TEXT NOT NULL,
    detail TEXT NOT NULL, business_ids TEXT NOT NULL, source_record TEXT, override TEXT, attempts INTEGER NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    UNIQUE (flow, source_system, source_id)
  );
  CREATE INDEX reviews_by_state ON reviews (state, id);
  CREATE TABLE runs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, flow TEXT NOT NULL, status TEXT NOT NULL,
    started_at TEXT NOT NULL, finished_at TEXT, counts TEXT NOT NULL, error TEXT, stats TEXT
  );
  CREATE INDEX runs_by_start ON runs (flow, started_at);
  CREATE TABLE leases (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE key_values (
    namespace TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (namespace, key)
  ) WITHOUT ROWID;
  `,
];

/** Schema version this package writes. */
export const SQLITE_SCHEMA_VERSION = MIGRATIONS.length;

type Row = Record<string, unknown>;

const KEY_WHERE = 'flow = ? AND source_system = ? AND source_id = ?';
const keyArgs = (key: RecordKey): string[] => [key.flow, key.sourceSystem, key.sourceId];
const num = (value: unknown): number => Number(value);


async function loadDatabaseSync(): Promise<typeof DatabaseSync> {
  try {
    return (await import('node:sqlite')).DatabaseSync;
  } catch (cause) {
    throw new SyncStoreOpenError(
      `node:sqlite is not available in Node ${process.versions.node}: the SQLite sync store needs Node 22.13 or later ` +
        '(or 22.5–22.12 started with --experimental-sqlite)',
      { cause },
    );
  }
}

/**
 * Opens (and creates or migrates) a {@link SyncStore} kept in one SQLite file through `node:sqlite`: the embedded
 * default. Several processes may share the file: every change is one `BEGIN IMMEDIATE` transaction, so claims and
 * leases are atomic across them. The file uses WAL journaling (`synchronous=NORMAL`: a power cut may lose the last
 * commits but never corrupts the file). `node:sqlite` is loaded only when this is called: Node 22.13 or later (22.5–22.12
 * need `--experimental-sqlite`; Node 22 prints an experimental warning once, Node 24 none).
 *
 * @throws InvalidInputError for a bad option; SyncStoreOpenError when the file cannot be opened or was written by a
 * newer schema version.
 */
export async function openSqliteSyncStore(options: SqliteSyncStoreOptions): Promise<SyncStore> {
  if (typeof options !== 'object' || options === null) throw new InvalidInputError('options must be an object with a path', { field: 'options' });
  checkString(options.path, 'path');
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  if (!Number.isInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    throw new InvalidInputError('busyTimeoutMs must be a non-negative integer of milliseconds', { field: 'busyTimeoutMs' });
  }
  const Database = await loadDatabaseSync();
  const path = options.path;
  let db: DatabaseSync;
  try {
    if (path !== ':memory:' && !path.startsWith('file:')) mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
  } catch (cause) {
    throw new SyncStoreOpenError(`cannot open the sync store file ${path}: check the path and its permissions`, { cause });
  }
  try {
    db.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    migrate(db, path);
  } catch (error) {
    db.close();
    if (error instanceof SyncStoreOpenError) throw error;
    throw new SyncStoreOpenError(`cannot prepare the sync store file ${path}: ${(error as Error).message}`, { cause: error });
  }
  return createSqliteStore(db);
}

function transaction<T>(db: DatabaseSync, fn: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = fn();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    try {
      db.exec('ROLLBACK');
    } catch {
      // Already rolled back by SQLite (some errors end the transaction themselves).
    }
    throw error;
  }
}

function migrate(db: DatabaseSync, path: string): void {
  transaction(db, () => {
    db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    const row = db.prepare('SELECT version FROM schema_version').get() as Row | undefined;
    const version = row ? num(row.version) : 0;
    if (version > MIGRATIONS.length) {
      throw new SyncStoreOpenError(
        `the sync store file ${path} has schema version ${version}, newer than this package's ${MIGRATIONS.length}: upgrade @ml-connector/core`,
      );
    }
    for (let step = version; step < MIGRATIONS.length; step++) db.exec(MIGRATIONS[step]!);
    if (!row) db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(MIGRATIONS.length);
    else if (version !== MIGRATIONS.length) db.prepare('UPDATE schema_version SET version = ?').run(MIGRATIONS.length);
  });
}

function createSqliteStore(db: DatabaseSync): SyncStore {
  let closed = false;
  const statements = new Map<string, StatementSync>();
  // Statements are prepared once and reused: preparing dominates the cost of small writes.
  const sql = (text: string): StatementSync => {
    let statement = statements.get(text);
    if (!statement) statements.set(text, (statement = db.prepare(text)));
    return statement;
  };
  const open = () => {
    if (closed) throw new InvalidInputError('the sync store is closed; open a new one', { field: 'store' });
  };
  const write = <T>(fn: () => T): T => transaction(db, fn);

  const LEDGER_SELECT = `SELECT l.*, r.owner AS lease_owner, r.expires_at AS lease_expires_at FROM ledger l
    LEFT JOIN record_leases r ON r.flow = l.flow AND r.source_system = l.source_system AND r.source_id = l.source_id`;
  const readLedger = (key: RecordKey): LedgerEntry | undefined => {
    const row = sql(`${LEDGER_SELECT} WHERE l.flow = ? AND l.source_system = ? AND l.source_id = ?`).get(...keyArgs(key));
    return row ? ledgerFromRow(row) : undefined;
  };

  function takeLease(select: string, upsert: string, args: string[], owner: string, ttlMs: number, now: number) {
    const held = sql(select).get(...args) as Row | undefined;
    if (held && held.owner !== owner && num(held.expires_at) > now) return { owner: held.owner as string, expiresAt: num(held.expires_at) };
    sql(upsert).run(...args, owner, now + ttlMs);
    return undefined;
  }

  return {
    async getCheckpoint(stream) {
      open();
      checkString(stream, 'stream');
      const row = sql('SELECT * FROM checkpoints WHERE stream = ?').get(stream);
      return row ? ({ stream: row.stream, queryHash: row.query_hash, value: row.value, updatedAt: row.updated_at } as Checkpoint) : undefined;
    },
    async deleteCheckpoint(stream) {
      open();
      checkString(stream, 'stream');
      return write(() => num(sql('DELETE FROM checkpoints WHERE stream = ?').run(stream).changes) > 0);
    },

    async getLedgerEntry(key) {
      open();
      checkKey(key);
      return readLedger(key);
    },
    async listLedger(query) {
      open();
      checkLedgerQuery(query);
      const where = ['l.flow = ?'];
      const args: SQLInputValue[] = [query.flow];
      if (query.states) {
        where.push(`l.state IN (${query.states.map(() => '?').join(', ')})`);
        args.push(...query.states);
      }
      if (query.afterSourceId !== undefined) {
        where.push('l.source_id > ?');
        args.push(query.afterSourceId);
      }
      args.push(query.limit ?? -1);
      const rows = db.prepare(`${LEDGER_SELECT} WHERE ${where.join(' AND ')} ORDER BY l.source_id, l.source_system LIMIT ?`).all(...args);
      return rows.map(ledgerFromRow);
    },
    async claim(key, owner, leaseMs, now): Promise<ClaimResult> {
      open();
      checkKey(key);
      checkLeaseRequest(owner, leaseMs, now, 'leaseMs');
      return write(() => {
        const held = takeLease(
          `SELECT owner, expires_at FROM record_leases WHERE ${KEY_WHERE}`,
          `INSERT INTO record_leases (flow, source_system, source_id, owner, expires_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (flow, source_system, source_id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at`,
          keyArgs(key), owner, leaseMs, now,
        );
        if (held) return { claimed: false, owner: held.owner, leaseExpiresAt: held.expiresAt };
        return { claimed: true, entry: readLedger(key), leaseExpiresAt: now + leaseMs };
      });
    },
    async release(key, owner) {
      open();
      checkKey(key);
      checkString(owner, 'owner');
      return write(() => num(sql(`DELETE FROM record_leases WHERE ${KEY_WHERE} AND owner = ?`).run(...keyArgs(key), owner).changes) > 0);
    },

    async commit(change, now) {
      open();
      checkChange(change, now);
      // Serialise payloads before the transaction: a payload that is not JSON fails the change before it starts.
      const events = (change.audit ?? []).map((event, i) => ({ event, payload: toJson(event.payload, `change.audit[${i}].payload`) }));
      const items = (change.review ?? []).map((item, i) => ({
        item,
        sourceRecord: toJson(item.sourceRecord, `change.review[${i}].sourceRecord`),
        override: toJson(item.override, `change.review[${i}].override`),
      }));
      const run = change.run && { run: change.run, counts: toJson(change.run.counts, 'change.run.counts')!, stats: toJson(change.run.stats, 'change.run.stats') };
      const n = (value: string | undefined): string | null => value ?? null;
      write(() => {
        for (const { entry: e, expectedRevision, releaseLease } of change.ledger ?? []) {
          const current = sql(`SELECT revision FROM ledger WHERE ${KEY_WHERE}`).get(...keyArgs(e)) as Row | undefined;
          const revision = current ? num(current.revision) : 0;
          if (expectedRevision !== undefined && expectedRevision !== revision) {
            throw new StoreConflictError(conflictMessage(e, expectedRevision, revision), {
              details: { flow: e.flow, sourceSystem: e.sourceSystem, sourceId: e.sourceId },
            });
          }
          sql(
            `INSERT INTO ledger (flow, source_system, source_id, source_version, target_system, state, target_id, target_version,
               natural_key, business_ids, attempts, last_error_code, last_error_message, revision, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (flow, source_system, source_id) DO UPDATE SET source_version = excluded.source_version,
               target_system = excluded.target_system, state = excluded.state, target_id = excluded.target_id,
               target_version = excluded.target_version, natural_key = excluded.natural_key, business_ids = excluded.business_ids,
               attempts = excluded.attempts, last_error_code = excluded.last_error_code,
               last_error_message = excluded.last_error_message, revision = excluded.revision, updated_at = excluded.updated_at`,
          ).run(
            ...keyArgs(e), e.sourceVersion, e.targetSystem, e.state, n(e.targetId), n(e.targetVersion), n(e.naturalKey),
            JSON.stringify(e.businessIds), e.attempts, n(e.lastErrorCode), n(e.lastErrorMessage), revision + 1, now, now,
          );
          if (releaseLease) sql(`DELETE FROM record_leases WHERE ${KEY_WHERE}`).run(...keyArgs(e));
        }
        for (const { event: a, payload } of events) {
          sql(
            `INSERT INTO audit (flow, source_system, source_id, run_id, step, at, business_ids, target_id, request_id, code, detail, payload)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          ).run(...keyArgs(a), a.runId, a.step, a.at, JSON.stringify(a.businessIds), n(a.targetId), n(a.requestId), n(a.code), n(a.detail), n(payload));
        }
        for (const { item: r, sourceRecord, override } of items) {
          sql(
            `INSERT INTO reviews (flow, source_system, source_id, state, reason, detail, business_ids, source_record, override, attempts,
               created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (flow, source_system, source_id) DO UPDATE SET state = excluded.state, reason = excluded.reason,
               detail = excluded.detail, business_ids = excluded.business_ids, source_record = excluded.source_record,
               override = excluded.override, attempts = excluded.attempts, updated_at = excluded.updated_at`,
          ).run(...keyArgs(r), r.state, r.reason, r.detail, JSON.stringify(r.businessIds), n(sourceRecord), n(override), r.attempts, now, now);
        }
        for (const { key, businessId } of businessIdsOf(change)) {
          sql('INSERT OR IGNORE INTO business_ids (business_id, flow, source_system, source_id) VALUES (?, ?, ?, ?)').run(businessId, ...keyArgs(key));
        }
        if (change.checkpoint) {
          const { stream, queryHash, value } = change.checkpoint;
          sql(
            `INSERT INTO checkpoints (stream, query_hash, value, updated_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (stream) DO UPDATE SET query_hash = excluded.query_hash, value = excluded.value, updated_at = excluded.updated_at`,
          ).run(stream, queryHash, value, now);
        }
        if (run) {
          const r = run.run;
          sql(
            `INSERT INTO runs (id, flow, status, started_at, finished_at, counts, error, stats) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET flow = excluded.flow, status = excluded.status, started_at = excluded.started_at,
               finished_at = excluded.finished_at, counts = excluded.counts, error = excluded.error, stats = excluded.stats`,
          ).run(r.id, r.flow, r.status, r.startedAt, n(r.finishedAt), run.counts, n(r.error), n(run.stats));
        }
      });
    },

    async queryAudit(query) {
      open();
      checkAuditQuery(query);
      const where: string[] = [];
      const args: SQLInputValue[] = [];
      const add = (clause: string, ...values: SQLInputValue[]) => {
        where.push(clause);
        args.push(...values);
      };
      if (query.afterSeq !== undefined) add('a.seq > ?', query.afterSeq);
      if (query.flow !== undefined) add('a.flow = ?', query.flow);
      if (query.runId !== undefined) add('a.run_id = ?', query.runId);
      if (query.record !== undefined) add('a.flow = ? AND a.source_system = ? AND a.source_id = ?', ...keyArgs(query.record));
      if (query.businessId !== undefined) {
        add(
          `EXISTS (SELECT 1 FROM business_ids b WHERE b.business_id = ? AND b.flow = a.flow AND b.source_system = a.source_system
             AND b.source_id = a.source_id)`,
          query.businessId,
        );
      }
      args.push(query.limit ?? DEFAULT_AUDIT_LIMIT);
      const text = `SELECT a.* FROM audit a ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY a.seq LIMIT ?`;
      return db.prepare(text).all(...args).map(auditFromRow);
    },

    async getReview(key) {
      open();
      checkKey(key);
      const row = sql(`SELECT * FROM reviews WHERE ${KEY_WHERE}`).get(...keyArgs(key));
      return row ? reviewFromRow(row) : undefined;
    },
    async listReview(query = {}) {
      open();
      const states = reviewStates(query);
      const where: string[] = [];
      const args: SQLInputValue[] = [];
      if (query.flow !== undefined) {
        where.push('r.flow = ?');
        args.push(query.flow);
      }
      if (states) {
        where.push(`r.state IN (${[...states].map(() => '?').join(', ')})`);
        args.push(...states);
      }
      if (query.reason !== undefined) {
        where.push('r.reason = ?');
        args.push(query.reason);
      }
      if (query.businessId !== undefined) {
        where.push(
          `EXISTS (SELECT 1 FROM business_ids b WHERE b.business_id = ? AND b.flow = r.flow AND b.source_system = r.source_system
             AND b.source_id = r.source_id)`,
        );
        args.push(query.businessId);
      }
      args.push(query.limit ?? -1);
      const text = `SELECT r.* FROM reviews r ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY r.id LIMIT ?`;
      return db.prepare(text).all(...args).map(reviewFromRow);
    },

    async getRun(id) {
      open();
      checkString(id, 'id');
      const row = sql('SELECT * FROM runs WHERE id = ?').get(id);
      return row ? runFromRow(row) : undefined;
    },
    async listRuns(query = {}) {
      open();
      checkLimit(query.limit, 'query.limit');
      const rows =
        query.flow === undefined
          ? sql('SELECT * FROM runs ORDER BY started_at DESC, seq DESC LIMIT ?').all(query.limit ?? -1)
          : sql('SELECT * FROM runs WHERE flow = ? ORDER BY started_at DESC, seq DESC LIMIT ?').all(query.flow, query.limit ?? -1);
      return rows.map(runFromRow);
    },

    async acquireLease(name, owner, ttlMs, now) {
      open();
      checkString(name, 'name');
      checkLeaseRequest(owner, ttlMs, now, 'ttlMs');
      return write(
        () =>
          takeLease(
            'SELECT owner, expires_at FROM leases WHERE name = ?',
            `INSERT INTO leases (name, owner, expires_at) VALUES (?, ?, ?)
             ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at`,
            [name], owner, ttlMs, now,
          ) === undefined,
      );
    },
    async releaseLease(name, owner) {
      open();
      checkString(name, 'name');
      checkString(owner, 'owner');
      return write(() => num(sql('DELETE FROM leases WHERE name = ? AND owner = ?').run(name, owner).changes) > 0);
    },

    keyValue(namespace): KeyValueStore {
      checkString(namespace, 'namespace');
      return {
        async get(key) {
          open();
          const row = sql('SELECT value FROM key_values WHERE namespace = ? AND key = ?').get(namespace, key);
          return row ? (row.value as string) : undefined;
        },
        async set(key, value) {
          open();
          checkString(key, 'key');
          if (typeof value !== 'string') throw new InvalidInputError('value must be a string', { field: 'value' });
          write(() =>
            sql(
              `INSERT INTO key_values (namespace, key, value) VALUES (?, ?, ?)
               ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value`,
            ).run(namespace, key, value),
          );
        },
        async delete(key) {
          open();
          return write(() => num(sql('DELETE FROM key_values WHERE namespace = ? AND key = ?').run(namespace, key).changes) > 0);
        },
        async keys() {
          open();
          return sql('SELECT key FROM key_values WHERE namespace = ? ORDER BY key').all(namespace).map((row) => row.key as string);
        },
      };
    },

    async close() {
      if (closed) return;
      closed = true;
      statements.clear();
      db.close();
    },
  };
}
