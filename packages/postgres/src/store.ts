import type { KeyValueStore } from '@ml-connector/core';
import { ConnectorError, InvalidInputError } from '@ml-connector/core';
import { type Checkpoint, type ClaimResult, type RecordKey, StoreConflictError, type SyncStore, syncStoreKit as kit } from '@ml-connector/core/sync';
import pg from 'pg';
import { MIGRATIONS } from './migrations.js';

/** Options of {@link openPostgresSyncStore}: give a connection string, or a pool you own. */
export interface PostgresSyncStoreOptions {
  /** `postgres://user@host:5432/db`; the store creates (and on close ends) its own pool. */
  readonly connectionString?: string;
  /** A pool you manage; the store never ends it. */
  readonly pool?: pg.Pool;
  /** Schema the tables live in (created when missing). Default `ml_connector`. */
  readonly schema?: string;
  /** Connections of the pool the store creates. Default 10. */
  readonly maxConnections?: number;
}

/** The database could not be reached or prepared, or was migrated by a newer version of this package. */
export class PostgresStoreOpenError extends ConnectorError {
  /** Literal class name, kept under minification. */
  static override readonly kind: string = 'PostgresStoreOpenError';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, 'SYNC_STORE_OPEN_FAILED', options);
  }
}

type Row = Record<string, unknown>;
type Client = pg.PoolClient;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const num = (value: unknown): number => Number(value);
const n = (value: string | undefined): string | null => value ?? null;
const keyArgs = (key: RecordKey): string[] => [key.flow, key.sourceSystem, key.sourceId];

/** Advisory lock id of the migrations of one schema (two workers starting at once migrate one after the other). */
function migrationLockId(schema: string): string {
  let hash = 0n;
  for (const char of `ml-connector:migrate:${schema}`) hash = (hash * 31n + BigInt(char.codePointAt(0)!)) & 0x7fffffffffffffffn;
  return hash.toString();
}

/** PostgreSQL text cannot hold U+0000; refuse it with a clear error instead of a driver error mid-transaction. */
function checkNoNul(values: readonly unknown[]): void {
  for (const value of values) {
    if (typeof value === 'string' && value.includes('\u0000')) {
      throw new InvalidInputError('PostgreSQL text cannot hold the character U+0000: remove it from ids and business ids', { field: 'text' });
    }
  }
}

async function inTransaction<T>(pool: pg.Pool, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function migrate(pool: pg.Pool, schema: string): Promise<void> {
  const q = `"${schema}"`;
  await inTransaction(pool, async (client) => {
    // Transaction-scoped advisory lock: a second worker starting at the same moment waits here, then sees the new version.
    await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [migrationLockId(schema)]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${q}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${q}.schema_version (version INTEGER NOT NULL)`);
    const { rows } = await client.query(`SELECT version FROM ${q}.schema_version`);
    const version = rows[0] ? num(rows[0].version) : 0;
    if (version > MIGRATIONS.length) {
      throw new PostgresStoreOpenError(
        `schema ${schema} is at version ${version}, newer than this package's ${MIGRATIONS.length}: upgrade @ml-connector/postgres`,
      );
    }
    for (let step = version; step < MIGRATIONS.length; step++) await client.query(MIGRATIONS[step]!.replaceAll('%s', q));
    if (!rows[0]) await client.query(`INSERT INTO ${q}.schema_version (version) VALUES ($1)`, [MIGRATIONS.length]);
    else if (version !== MIGRATIONS.length) await client.query(`UPDATE ${q}.schema_version SET version = $1`, [MIGRATIONS.length]);
  });
}

/**
 * Opens a {@link SyncStore} on PostgreSQL (`pg`, pooled) for engines and workers on several machines: the same contract
 * as the memory and SQLite stores. The schema's migrations are versioned and applied at start under an advisory lock,
 * so workers starting together do not race. Every state change is one transaction; compare-and-set ledger writes are
 * single conditional statements, so concurrent workers never both win. Record and named leases carry an expiry: a
 * worker that dies stops renewing and its records are claimable again once the lease runs out.
 *
 * @throws InvalidInputError for bad options; PostgresStoreOpenError when the database cannot be reached or prepared.
 */
export async function openPostgresSyncStore(options: PostgresSyncStoreOptions): Promise<SyncStore> {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidInputError('options must be an object with a connectionString or a pool', { field: 'options' });
  }
  if ((options.connectionString === undefined) === (options.pool === undefined)) {
    throw new InvalidInputError('give exactly one of connectionString (postgres://…) or pool', { field: 'connectionString' });
  }
  if (options.connectionString !== undefined) kit.checkString(options.connectionString, 'connectionString');
  const schema = options.schema ?? 'ml_connector';
  if (typeof schema !== 'string' || !SCHEMA_NAME.test(schema)) {
    throw new InvalidInputError('schema must be a lower-case SQL identifier (letters, digits, underscores; at most 63)', { field: 'schema' });
  }
  const ownsPool = options.pool === undefined;
  const pool = options.pool ?? new pg.Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 10 });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  if (ownsPool) pool.on('error', () => undefined);
  try {
    await migrate(pool, schema);
  } catch (error) {
    if (ownsPool) await pool.end().catch(() => undefined);
    if (error instanceof PostgresStoreOpenError) throw error;
    throw new PostgresStoreOpenError(`cannot prepare the sync store in schema ${schema}: ${(error as Error).message}`, { cause: error });
  }
  return createPostgresStore(pool, schema, ownsPool);
}

function createPostgresStore(pool: pg.Pool, schema: string, ownsPool: boolean): SyncStore {
  const s = `"${schema}"`;
  let closed = false;
  const open = () => {
    if (closed) throw new InvalidInputError('the sync store is closed; open a new one', { field: 'store' });
  };
  const query = async (text: string, args: unknown[] = []): Promise<Row[]> => (await pool.query(text, args)).rows as Row[];
  const KEY_WHERE = 'flow = $1 AND source_system = $2 AND source_id = $3';
  const LEDGER_SELECT = `SELECT l.*, r.owner AS lease_owner, r.expires_at AS lease_expires_at FROM ${s}.ledger l
    LEFT JOIN ${s}.record_leases r ON r.flow = l.flow AND r.source_system = l.source_system AND r.source_id = l.source_id`;

  /**
   * Takes a lease in one statement: inserted when free, taken over when expired or held by `owner`. Resolves the
   * current holder when someone else holds it.
   */
  async function takeLease(run: (text: string, args: unknown[]) => Promise<Row[]>, table: string, keyColumns: string[], keyValues: string[], owner: string, ttlMs: number, now: number) {
    const k = keyColumns.length;
    const placeholders = keyColumns.map((_, i) => `$${i + 1}`);
    const taken = await run(
      `INSERT INTO ${s}.${table} (${keyColumns.join(', ')}, owner, expires_at) VALUES (${placeholders.join(', ')}, $${k + 1}, $${k + 2})
       ON CONFLICT (${keyColumns.join(', ')}) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
       WHERE ${table}.owner = excluded.owner OR ${table}.expires_at <= $${k + 3}
       RETURNING owner`,
      [...keyValues, owner, now + ttlMs, now],
    );
    if (taken.length > 0) return undefined;
    const where = keyColumns.map((column, i) => `${column} = $${i + 1}`).join(' AND ');
    const [held] = await run(`SELECT owner, expires_at FROM ${s}.${table} WHERE ${where}`, keyValues);
    return { owner: held!.owner as string, expiresAt: num(held!.expires_at) };
  }

  return {
    async getCheckpoint(stream) {
      open();
      kit.checkString(stream, 'stream');
      const [row] = await query(`SELECT * FROM ${s}.checkpoints WHERE stream = $1`, [stream]);
      return row ? ({ stream: row.stream, queryHash: row.query_hash, value: row.value, updatedAt: row.updated_at } as Checkpoint) : undefined;
    },
    async deleteCheckpoint(stream) {
      open();
      kit.checkString(stream, 'stream');
      return (await pool.query(`DELETE FROM ${s}.checkpoints WHERE stream = $1`, [stream])).rowCount! > 0;
    },

    async getLedgerEntry(key) {
      open();
      kit.checkKey(key);
      const [row] = await query(`${LEDGER_SELECT} WHERE l.flow = $1 AND l.source_system = $2 AND l.source_id = $3`, keyArgs(key));
      return row ? kit.ledgerFromRow(row) : undefined;
    },
    async listLedger(ledgerQuery) {
      open();
      kit.checkLedgerQuery(ledgerQuery);
      const where = ['l.flow = $1'];
      const args: unknown[] = [ledgerQuery.flow];
      if (ledgerQuery.states) {
        args.push([...ledgerQuery.states]);
        where.push(`l.state = ANY($${args.length})`);
      }
      if (ledgerQuery.afterSourceId !== undefined) {
        args.push(ledgerQuery.afterSourceId);
        where.push(`l.source_id > $${args.length}`);
      }
      args.push(ledgerQuery.limit ?? null);
      const rows = await query(`${LEDGER_SELECT} WHERE ${where.join(' AND ')} ORDER BY l.source_id, l.source_system LIMIT $${args.length}`, args);
      return rows.map(kit.ledgerFromRow);
    },
    async claim(key, owner, leaseMs, now): Promise<ClaimResult> {
      open();
      kit.checkKey(key);
      kit.checkLeaseRequest(owner, leaseMs, now, 'leaseMs');
      checkNoNul([...keyArgs(key), owner]);
      return inTransaction(pool, async (client) => {
        const run = async (text: string, args: unknown[]) => (await client.query(text, args)).rows as Row[];
        const held = await takeLease(run, 'record_leases', ['flow', 'source_system', 'source_id'], keyArgs(key), owner, leaseMs, now);
        if (held) return { claimed: false, owner: held.owner, leaseExpiresAt: held.expiresAt };
        const [row] = await run(`${LEDGER_SELECT} WHERE l.flow = $1 AND l.source_system = $2 AND l.source_id = $3`, keyArgs(key));
        return { claimed: true, entry: row ? kit.ledgerFromRow(row) : undefined, leaseExpiresAt: now + leaseMs };
      });
    },
    async release(key, owner) {
      open();
      kit.checkKey(key);
      kit.checkString(owner, 'owner');
      return (await pool.query(`DELETE FROM ${s}.record_leases WHERE ${KEY_WHERE} AND owner = $4`, [...keyArgs(key), owner])).rowCount! > 0;
    },

    async commit(change, now) {
      open();
      kit.checkChange(change, now);
      // Serialise payloads before the transaction: a payload that is not JSON fails the change before it starts.
      const events = (change.audit ?? []).map((event, i) => ({ event, payload: kit.toJson(event.payload, `change.audit[${i}].payload`) }));
      const items = (change.review ?? []).map((item, i) => ({
        item,
        sourceRecord: kit.toJson(item.sourceRecord, `change.review[${i}].sourceRecord`),
        override: kit.toJson(item.override, `change.review[${i}].override`),
      }));
      const run = change.run && { run: change.run, counts: kit.toJson(change.run.counts, 'change.run.counts')!, stats: kit.toJson(change.run.stats, 'change.run.stats') };
      checkNoNul(kit.businessIdsOf(change).flatMap(({ key, businessId }) => [...keyArgs(key), businessId]));
      await inTransaction(pool, async (client) => {
        const exec = (text: string, args: unknown[]) => client.query(text, args);
        for (const { entry: e, expectedRevision, releaseLease } of change.ledger ?? []) {
          const values = [
            ...keyArgs(e), e.sourceVersion, e.targetSystem, e.state, n(e.targetId), n(e.targetVersion), n(e.naturalKey),
            JSON.stringify(e.businessIds), e.attempts, n(e.lastErrorCode), n(e.lastErrorMessage), now,
          ];
          const insert = `INSERT INTO ${s}.ledger (flow, source_system, source_id, source_version, target_system, state, target_id,
              target_version, natural_key, business_ids, attempts, last_error_code, last_error_message, revision, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1, $14, $14)`;
          const set = `source_version = $4, target_system = $5, state = $6, target_id = $7, target_version = $8, natural_key = $9,
            business_ids = $10, attempts = $11, last_error_code = $12, last_error_message = $13, updated_at = $14`;
          // Each write is one conditional statement, so two workers' compare-and-sets on one record never both succeed.
          let written: number;
          if (expectedRevision === undefined) {
            written = (await exec(`${insert} ON CONFLICT (flow, source_system, source_id) DO UPDATE SET ${set}, revision = ledger.revision + 1`, values)).rowCount!;
          } else if (expectedRevision === 0) {
            written = (await exec(`${insert} ON CONFLICT (flow, source_system, source_id) DO NOTHING`, values)).rowCount!;
          } else {
            written = (await exec(`UPDATE ${s}.ledger SET ${set}, revision = revision + 1 WHERE ${KEY_WHERE} AND revision = $15`, [...values, expectedRevision])).rowCount!;
          }
          if (written === 0) {
            const [current] = (await exec(`SELECT revision FROM ${s}.ledger WHERE ${KEY_WHERE}`, keyArgs(e))).rows as Row[];
            throw new StoreConflictError(kit.conflictMessage(e, expectedRevision ?? 0, current ? num(current.revision) : 0), {
              details: { flow: e.flow, sourceSystem: e.sourceSystem, sourceId: e.sourceId },
            });
          }
          if (releaseLease) await exec(`DELETE FROM ${s}.record_leases WHERE ${KEY_WHERE}`, keyArgs(e));
        }
        for (const { event: a, payload } of events) {
          await exec(
            `INSERT INTO ${s}.audit (flow, source_system, source_id, run_id, step, at, business_ids, target_id, request_id, code, detail, payload)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
            [...keyArgs(a), a.runId, a.step, a.at, JSON.stringify(a.businessIds), n(a.targetId), n(a.requestId), n(a.code), n(a.detail), n(payload)],
          );
        }
        for (const { item: r, sourceRecord, override } of items) {
          await exec(
            `INSERT INTO ${s}.reviews (flow, source_system, source_id, state, reason, detail, business_ids, source_record, override, attempts,
               created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)
             ON CONFLICT (flow, source_system, source_id) DO UPDATE SET state = excluded.state, reason = excluded.reason,
               detail = excluded.detail, business_ids = excluded.business_ids, source_record = excluded.source_record,
               override = excluded.override, attempts = excluded.attempts, updated_at = excluded.updated_at`,
            [...keyArgs(r), r.state, r.reason, r.detail, JSON.stringify(r.businessIds), n(sourceRecord), n(override), r.attempts, now],
          );
        }
        for (const { key, businessId } of kit.businessIdsOf(change)) {
          await exec(
            `INSERT INTO ${s}.business_ids (business_id, flow, source_system, source_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
            [businessId, ...keyArgs(key)],
          );
        }
        if (change.checkpoint) {
          const { stream, queryHash, value } = change.checkpoint;
          await exec(
            `INSERT INTO ${s}.checkpoints (stream, query_hash, value, updated_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (stream) DO UPDATE SET query_hash = excluded.query_hash, value = excluded.value, updated_at = excluded.updated_at`,
            [stream, queryHash, value, now],
          );
        }
        if (run) {
          const r = run.run;
          await exec(
            `INSERT INTO ${s}.runs (id, flow, status, started_at, finished_at, counts, error, stats) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (id) DO UPDATE SET flow = excluded.flow, status = excluded.status, started_at = excluded.started_at,
               finished_at = excluded.finished_at, counts = excluded.counts, error = excluded.error, stats = excluded.stats`,
            [r.id, r.flow, r.status, r.startedAt, n(r.finishedAt), run.counts, n(r.error), n(run.stats)],
          );
        }
      });
    },

    async queryAudit(auditQuery) {
      open();
      kit.checkAuditQuery(auditQuery);
      const where: string[] = [];
      const args: unknown[] = [];
      const add = (clause: (i: number) => string, value: unknown) => {
        args.push(value);
        where.push(clause(args.length));
      };
      if (auditQuery.afterSeq !== undefined) add((i) => `a.seq > $${i}`, auditQuery.afterSeq);
      if (auditQuery.flow !== undefined) add((i) => `a.flow = $${i}`, auditQuery.flow);
      if (auditQuery.runId !== undefined) add((i) => `a.run_id = $${i}`, auditQuery.runId);
      if (auditQuery.record !== undefined) {
        add((i) => `a.flow = $${i}`, auditQuery.record.flow);
        add((i) => `a.source_system = $${i}`, auditQuery.record.sourceSystem);
        add((i) => `a.source_id = $${i}`, auditQuery.record.sourceId);
      }
      if (auditQuery.businessId !== undefined) {
        if (auditQuery.businessId.includes('\u0000')) return [];
        add(
          (i) => `EXISTS (SELECT 1 FROM ${s}.business_ids b WHERE b.business_id = $${i} AND b.flow = a.flow
             AND b.source_system = a.source_system AND b.source_id = a.source_id)`,
          auditQuery.businessId,
        );
      }
      args.push(auditQuery.limit ?? kit.DEFAULT_AUDIT_LIMIT);
      const rows = await query(`SELECT a.* FROM ${s}.audit a ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY a.seq LIMIT $${args.length}`, args);
      return rows.map(kit.auditFromRow);
    },

    async getReview(key) {
      open();
      kit.checkKey(key);
      const [row] = await query(`SELECT * FROM ${s}.reviews WHERE ${KEY_WHERE}`, keyArgs(key));
      return row ? kit.reviewFromRow(row) : undefined;
    },
    async listReview(reviewQuery = {}) {
      open();
      const states = kit.reviewStates(reviewQuery);
      const where: string[] = [];
      const args: unknown[] = [];
      if (reviewQuery.flow !== undefined) {
        args.push(reviewQuery.flow);
        where.push(`r.flow = $${args.length}`);
      }
      if (states) {
        args.push([...states]);
        where.push(`r.state = ANY($${args.length})`);
      }
      if (reviewQuery.reason !== undefined) {
        args.push(reviewQuery.reason);
        where.push(`r.reason = $${args.length}`);
      }
      if (reviewQuery.businessId !== undefined) {
        args.push(reviewQuery.businessId);
        where.push(
          `EXISTS (SELECT 1 FROM ${s}.business_ids b WHERE b.business_id = $${args.length} AND b.flow = r.flow
             AND b.source_system = r.source_system AND b.source_id = r.source_id)`,
        );
      }
      args.push(reviewQuery.limit ?? null);
      const rows = await query(`SELECT r.* FROM ${s}.reviews r ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY r.id LIMIT $${args.length}`, args);
      return rows.map(kit.reviewFromRow);
    },

    async getRun(id) {
      open();
      kit.checkString(id, 'id');
      const [row] = await query(`SELECT * FROM ${s}.runs WHERE id = $1`, [id]);
      return row ? kit.runFromRow(row) : undefined;
    },
    async listRuns(runQuery = {}) {
      open();
      kit.checkLimit(runQuery.limit, 'query.limit');
      const rows =
        runQuery.flow === undefined
          ? await query(`SELECT * FROM ${s}.runs ORDER BY started_at DESC, seq DESC LIMIT $1`, [runQuery.limit ?? null])
          : await query(`SELECT * FROM ${s}.runs WHERE flow = $1 ORDER BY started_at DESC, seq DESC LIMIT $2`, [runQuery.flow, runQuery.limit ?? null]);
      return rows.map(kit.runFromRow);
    },

    async acquireLease(name, owner, ttlMs, now) {
      open();
      kit.checkString(name, 'name');
      kit.checkLeaseRequest(owner, ttlMs, now, 'ttlMs');
      checkNoNul([name, owner]);
      const run = async (text: string, args: unknown[]) => (await pool.query(text, args)).rows as Row[];
      return (await takeLease(run, 'leases', ['name'], [name], owner, ttlMs, now)) === undefined;
    },
    async releaseLease(name, owner) {
      open();
      kit.checkString(name, 'name');
      kit.checkString(owner, 'owner');
      return (await pool.query(`DELETE FROM ${s}.leases WHERE name = $1 AND owner = $2`, [name, owner])).rowCount! > 0;
    },

    keyValue(namespace): KeyValueStore {
      kit.checkString(namespace, 'namespace');
      return {
        async get(key) {
          open();
          const [row] = await query(`SELECT value FROM ${s}.key_values WHERE namespace = $1 AND key = $2`, [namespace, key]);
          return row ? (row.value as string) : undefined;
        },
        async set(key, value) {
          open();
          kit.checkString(key, 'key');
          if (typeof value !== 'string') throw new InvalidInputError('value must be a string', { field: 'value' });
          await pool.query(
            `INSERT INTO ${s}.key_values (namespace, key, value) VALUES ($1, $2, $3)
             ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value`,
            [namespace, key, value],
          );
        },
        async delete(key) {
          open();
          return (await pool.query(`DELETE FROM ${s}.key_values WHERE namespace = $1 AND key = $2`, [namespace, key])).rowCount! > 0;
        },
        async keys() {
          open();
          return (await query(`SELECT key FROM ${s}.key_values WHERE namespace = $1 ORDER BY key`, [namespace])).map((row) => row.key as string);
        },
      };
    },

    async close() {
      if (closed) return;
      closed = true;
      if (ownsPool) await pool.end();
    },
  };
}
