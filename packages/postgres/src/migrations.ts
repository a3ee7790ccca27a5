/**
 * Schema migrations, in order: `MIGRATIONS[n]` brings a schema from version `n` to `n + 1`. Append only; never edit a
 * released step (databases in the field are at every version). `%s` stands for the quoted schema name.
 *
 * Identifier-like text columns use the `C` collation so ordering is by code point, the same as the memory and
 * SQLite stores. Payloads are kept as JSON text (not `jsonb`) so they come back exactly as written.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE %s.checkpoints (
    stream TEXT COLLATE "C" PRIMARY KEY, query_hash TEXT NOT NULL, value TEXT NOT NULL, updated_at TEXT NOT NULL
  );
  CREATE TABLE %s.ledger (
    flow TEXT COLLATE "C" NOT NULL, source_system TEXT COLLATE "C" NOT NULL, source_id TEXT COLLATE "C" NOT NULL,
    source_version TEXT NOT NULL, target_system TEXT NOT NULL, state TEXT NOT NULL,
    target_id TEXT, target_version TEXT, natural_key TEXT, business_ids TEXT NOT NULL, attempts INTEGER NOT NULL,
    last_error_code TEXT, last_error_message TEXT, revision INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    PRIMARY KEY (flow, source_system, source_id)
  );
  CREATE INDEX ledger_by_state ON %s.ledger (flow, state, source_id);
  CREATE TABLE %s.record_leases (
    flow TEXT COLLATE "C" NOT NULL, source_system TEXT COLLATE "C" NOT NULL, source_id TEXT COLLATE "C" NOT NULL,
    owner TEXT NOT NULL, expires_at BIGINT NOT NULL,
    PRIMARY KEY (flow, source_system, source_id)
  );
  CREATE TABLE %s.audit (
    seq BIGSERIAL PRIMARY KEY,
    flow TEXT COLLATE "C" NOT NULL, source_system TEXT COLLATE "C" NOT NULL, source_id TEXT COLLATE "C" NOT NULL,
    run_id TEXT NOT NULL, step TEXT NOT NULL, at TEXT NOT NULL, business_ids TEXT NOT NULL, target_id TEXT, request_id TEXT,
    code TEXT, detail TEXT, payload TEXT
  );
  CREATE INDEX audit_by_record ON %s.audit (flow, source_system, source_id, seq);
  CREATE INDEX audit_by_run ON %s.audit (run_id, seq);
  CREATE TABLE %s.business_ids (
    business_id TEXT COLLATE "C" NOT NULL, flow TEXT COLLATE "C" NOT NULL, source_system TEXT COLLATE "C" NOT NULL,
    source_id TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (business_id, flow, source_system, source_id)
  );
  CREATE TABLE %s.reviews (
    id BIGSERIAL PRIMARY KEY,
    flow TEXT COLLATE "C" NOT NULL, source_system TEXT COLLATE "C" NOT NULL, source_id TEXT COLLATE "C" NOT NULL,
    state TEXT NOT NULL, reason TEXT NOT NULL, detail TEXT NOT NULL, business_ids TEXT NOT NULL, source_record TEXT, override TEXT,
    attempts INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    UNIQUE (flow, source_system, source_id)
  );
  CREATE INDEX reviews_by_state ON %s.reviews (state, id);
  CREATE TABLE %s.runs (
    seq BIGSERIAL PRIMARY KEY, id TEXT NOT NULL UNIQUE, flow TEXT NOT NULL, status TEXT NOT NULL,
    started_at TEXT NOT NULL, finished_at TEXT, counts TEXT NOT NULL, error TEXT, stats TEXT
  );
  CREATE INDEX runs_by_start ON %s.runs (flow, started_at);
  CREATE TABLE %s.leases (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at BIGINT NOT NULL);
  CREATE TABLE %s.key_values (
    namespace TEXT NOT NULL, key TEXT COLLATE "C" NOT NULL, value TEXT NOT NULL, PRIMARY KEY (namespace, key)
  );
  `,
];

/** Schema version this package writes. */
export const POSTGRES_SCHEMA_VERSION = MIGRATIONS.length;
