import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { isConnectorError } from '../../src/index.js';
import { SQLITE_SCHEMA_VERSION, createMemorySyncStore, openSqliteSyncStore } from '../../src/sync/index.js';
import { auditEvent, describeSyncStoreContract, ledgerEntry, recordKey } from './store-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'mlc-sync-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const freshFile = () => join(dir, `nested-${++files}`, 'sync.db');

describeSyncStoreContract('memory', async () => createMemorySyncStore());
describeSyncStoreContract('SQLite :memory:', () => openSqliteSyncStore({ path: ':memory:' }), { propertyRuns: 25 });
describeSyncStoreContract('SQLite file', () => openSqliteSyncStore({ path: freshFile() }), { propertyRuns: 10 });

describe('openSqliteSyncStore', () => {
  it('creates the parent directory, uses WAL and records the schema version', async () => {
    const path = freshFile();
    const store = await openSqliteSyncStore({ path });
    await store.close();
    const db = new DatabaseSync(path);
    try {
      expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
      expect(db.prepare('SELECT version FROM schema_version').all()).toEqual([{ version: SQLITE_SCHEMA_VERSION }]);
      const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'").all().map((r) => r.name);
      expect(indexes).toEqual(expect.arrayContaining(['audit_by_record', 'audit_by_run', 'ledger_by_state']));
    } finally {
      db.close();
    }
  });

  it('keeps everything across close and reopen', async () => {
    const path = freshFile();
    const first = await openSqliteSyncStore({ path });
    await first.commit(
      {
        ledger: [{ entry: ledgerEntry('1', { businessIds: ['INV-1'] }) }],
        audit: [auditEvent('1', { payload: { a: [1, 'two'] } })],
        checkpoint: { stream: 's', queryHash: 'h', value: 'c' },
      },
      '2026-01-01T00:00:00.000Z',
    );
    await first.claim(recordKey('1'), 'worker-1', 60_000, 0);
    await first.keyValue('vault').set('k', 'v');
    await first.close();
    const second = await openSqliteSyncStore({ path });
    try {
      expect(await second.getLedgerEntry(recordKey('1'))).toMatchObject({ revision: 1, leaseOwner: 'worker-1' });
      expect((await second.queryAudit({ businessId: 'INV-1' })).map((e) => e.payload)).toEqual([{ a: [1, 'two'] }]);
      expect(await second.getCheckpoint('s')).toMatchObject({ value: 'c' });
      expect(await second.keyValue('vault').get('k')).toBe('v');
    } finally {
      await second.close();
    }
  });

  it('shares one file between two stores: a claim by one is seen by the other, compare-and-set too', async () => {
    const path = freshFile();
    const a = await openSqliteSyncStore({ path });
    const b = await openSqliteSyncStore({ path });
    try {
      expect(await a.claim(recordKey('1'), 'worker-a', 1000, 0)).toMatchObject({ claimed: true });
      expect(await b.claim(recordKey('1'), 'worker-b', 1000, 10)).toEqual({ claimed: false, owner: 'worker-a', leaseExpiresAt: 1000 });
      expect(await b.acquireLease('runner', 'worker-b', 1000, 0)).toBe(true);
      expect(await a.acquireLease('runner', 'worker-a', 1000, 0)).toBe(false);
      await a.commit({ ledger: [{ entry: ledgerEntry('1'), expectedRevision: 0 }] }, 't');
      await expect(b.commit({ ledger: [{ entry: ledgerEntry('1'), expectedRevision: 0 }] }, 't')).rejects.toMatchObject({ code: 'STORE_CONFLICT' });
      expect(await b.getLedgerEntry(recordKey('1'))).toMatchObject({ revision: 1, leaseOwner: 'worker-a' });
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('refuses a file written by a newer schema version, and bad options, with typed errors', async () => {
    const path = freshFile();
    await (await openSqliteSyncStore({ path })).close();
    const db = new DatabaseSync(path);
    db.exec(`UPDATE schema_version SET version = ${SQLITE_SCHEMA_VERSION + 1}`);
    db.close();
    const error = await openSqliteSyncStore({ path }).catch((e: unknown) => e);
    expect(isConnectorError(error) && error.code).toBe('SYNC_STORE_OPEN_FAILED');
    expect((error as Error).message).toMatch(/newer/);
    await expect(openSqliteSyncStore({ path: '' })).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'path' });
    await expect(openSqliteSyncStore({ path, busyTimeoutMs: -1 })).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'busyTimeoutMs' });
  });

  it('refuses calls after close', async () => {
    const store = await openSqliteSyncStore({ path: ':memory:' });
    await store.close();
    await expect(store.getRun('r')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await store.close();
  });
});

describe('createMemorySyncStore', () => {
  it('refuses calls after close', async () => {
    const store = createMemorySyncStore();
    await store.close();
    await expect(store.getLedgerEntry(recordKey('1'))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
