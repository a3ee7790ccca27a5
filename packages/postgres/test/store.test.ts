import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { isInvalidInputError } from '@ml-connector/core';
import { POSTGRES_SCHEMA_VERSION, PostgresStoreOpenError, openPostgresSyncStore } from '@ml-connector/postgres';
import { describeSyncStoreContract, ledgerEntry, recordKey } from '../../core/test/sync/store-contract.js';
import { requireService } from './services.js';

const url = process.env.DATABASE_URL;
requireService('DATABASE_URL');

const run = `t${process.pid}_${Date.now().toString(36)}`;
let schemas = 0;
const freshSchema = () => `${run}_${++schemas}`;

describe.skipIf(!url)('PostgreSQL store', () => {
  const admin = new pg.Pool({ connectionString: url, max: 2 });
  afterAll(async () => {
    const { rows } = await admin.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE $1`, [`${run}%`]);
    for (const row of rows) await admin.query(`DROP SCHEMA "${row.nspname as string}" CASCADE`);
    await admin.end();
  });

  describeSyncStoreContract('PostgreSQL', () => openPostgresSyncStore({ connectionString: url!, schema: freshSchema(), maxConnections: 4 }), { propertyRuns: 10 });

  it('applies the versioned migrations once when several workers start at the same moment', async () => {
    const schema = freshSchema();
    const stores = await Promise.all(Array.from({ length: 4 }, () => openPostgresSyncStore({ connectionString: url!, schema, maxConnections: 2 })));
    const { rows } = await admin.query(`SELECT version FROM "${schema}".schema_version`);
    expect(rows).toEqual([{ version: POSTGRES_SCHEMA_VERSION }]);
    await Promise.all(stores.map((store) => store.close()));
  });

  it('refuses a schema migrated by a newer version', async () => {
    const schema = freshSchema();
    await (await openPostgresSyncStore({ connectionString: url!, schema })).close();
    await admin.query(`UPDATE "${schema}".schema_version SET version = 99`);
    await expect(openPostgresSyncStore({ connectionString: url!, schema })).rejects.toBeInstanceOf(PostgresStoreOpenError);
  });

  it('uses a pool it is given and leaves it open on close', async () => {
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    const store = await openPostgresSyncStore({ pool, schema: freshSchema() });
    await store.commit({ ledger: [{ entry: ledgerEntry('1') }] }, '2026-01-01T00:00:00.000Z');
    await store.close();
    expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await pool.end();
  });

  it('lets exactly one of many concurrent workers win a compare-and-set and a claim', async () => {
    const schema = freshSchema();
    const stores = await Promise.all(Array.from({ length: 4 }, () => openPostgresSyncStore({ connectionString: url!, schema, maxConnections: 4 })));
    const creates = await Promise.allSettled(stores.map((store) => store.commit({ ledger: [{ entry: ledgerEntry('1'), expectedRevision: 0 }] }, 'T')));
    expect(creates.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const claims = await Promise.all(stores.map((store, i) => store.claim(recordKey('1'), `w${i}`, 1000, 5000)));
    expect(claims.filter((c) => c.claimed)).toHaveLength(1);
    // A worker that dies keeps nothing: its lease expires and another takes the record.
    expect(await stores[0]!.claim(recordKey('1'), 'late', 1000, 6000)).toMatchObject({ claimed: true });
    await Promise.all(stores.map((store) => store.close()));
  });

  it('refuses bad options and text PostgreSQL cannot hold, naming the field', async () => {
    for (const options of [{}, { connectionString: url!, pool: new pg.Pool() }, { connectionString: url!, schema: 'Bad-Name' }]) {
      expect(isInvalidInputError(await openPostgresSyncStore(options).catch((e: unknown) => e))).toBe(true);
    }
    const store = await openPostgresSyncStore({ connectionString: url!, schema: freshSchema() });
    expect(isInvalidInputError(await store.claim(recordKey('a\u0000b'), 'w', 1000, 0).catch((e: unknown) => e))).toBe(true);
    await store.close();
  });

  it('fails to open with PostgresStoreOpenError when the server is not there', async () => {
    await expect(openPostgresSyncStore({ connectionString: 'postgres://nobody@127.0.0.1:1/none' })).rejects.toBeInstanceOf(PostgresStoreOpenError);
  });
});
