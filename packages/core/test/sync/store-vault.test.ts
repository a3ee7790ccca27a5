import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createCredentialVault, isCredentialVaultError, isInvalidInputError } from '../../src/index.js';
import {
  VAULT_KEY_ENV, createMemorySyncStore, createStoreCredentialVault, openSqliteSyncStore, resolveSecret, secretEnvVar,
} from '../../src/sync/index.js';

const dir = mkdtempSync(join(tmpdir(), 'mlc-sync-vault-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const key = randomBytes(32).toString('base64');
const SECRET = 'bc-client-secret-7Hq9Zx';
const REFRESH = 'refresh-token-Qm2Lp8Vw';

async function failure(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('createStoreCredentialVault', () => {
  it('keeps secrets only encrypted in the SQLite file: its bytes never hold a secret or the key in clear', async () => {
    const path = join(dir, 'plain-check', 'sync.db');
    const store = await openSqliteSyncStore({ path });
    const vault = createStoreCredentialVault(store, { key });
    await vault.put('bc/client-secret', SECRET);
    await vault.put('jaggaer/refresh-token', REFRESH);
    expect(await vault.get('bc/client-secret')).toBe(SECRET);
    expect(await store.keyValue('vault').keys()).toEqual(['bc/client-secret', 'jaggaer/refresh-token']);
    await store.close();
    const files = readdirSync(join(dir, 'plain-check'));
    expect(files).toContain('sync.db');
    const bytes = Buffer.concat(files.map((file) => readFileSync(join(dir, 'plain-check', file))));
    // The names are in the file (they key the records); the values and the key are not.
    expect(bytes.includes('bc/client-secret')).toBe(true);
    for (const secret of [SECRET, REFRESH, key, Buffer.from(SECRET).toString('base64')]) expect(bytes.includes(secret)).toBe(false);
    expect(bytes.includes(Buffer.from(key, 'base64'))).toBe(false);

    const reopened = await openSqliteSyncStore({ path });
    try {
      expect(await createStoreCredentialVault(reopened, { env: { [VAULT_KEY_ENV]: key } }).get('jaggaer/refresh-token')).toBe(REFRESH);
      const wrongKey = createStoreCredentialVault(reopened, { key: randomBytes(32) });
      expect(isCredentialVaultError(await failure(() => wrongKey.get('bc/client-secret')))).toBe(true);
    } finally {
      await reopened.close();
    }
  });

  it('takes the key from options.key, then keyProvider, then ML_CONNECTOR_VAULT_KEY', async () => {
    const store = createMemorySyncStore();
    const provider = vi.fn(async () => key);
    await createStoreCredentialVault(store, { keyProvider: provider, env: {} }).put('a', SECRET);
    expect(provider).toHaveBeenCalledTimes(1);
    // The same records are readable with the same key from any source, and core's own vault over the same area.
    expect(await createStoreCredentialVault(store, { key, env: { [VAULT_KEY_ENV]: 'ignored' } }).get('a')).toBe(SECRET);
    expect(await createStoreCredentialVault(store, { env: { [VAULT_KEY_ENV]: `  ${key}\n` } }).get('a')).toBe(SECRET);
    expect(await createCredentialVault({ key, store: store.keyValue('vault') }).get('a')).toBe(SECRET);
  });

  it('without a key says how to generate one', () => {
    const error = (() => {
      try {
        createStoreCredentialVault(createMemorySyncStore(), { env: {} });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(isInvalidInputError(error)).toBe(true);
    expect(error).toMatchObject({ field: 'key', kinds: expect.arrayContaining(['VaultKeyMissingError']) });
    expect((error as Error).message).toContain('openssl rand -base64 32');
    expect((error as Error).message).toContain(VAULT_KEY_ENV);
  });

  it('refuses a malformed environment key without echoing it', () => {
    for (const bad of ['not base64!', Buffer.from('sixteen-bytes-xx').toString('base64')]) {
      let error: unknown;
      try {
        createStoreCredentialVault(createMemorySyncStore(), { env: { [VAULT_KEY_ENV]: bad } });
      } catch (e) {
        error = e;
      }
      expect(isInvalidInputError(error)).toBe(true);
      expect((error as Error).message).toContain(VAULT_KEY_ENV);
      expect(JSON.stringify(error) + String((error as Error).message)).not.toContain(bad);
    }
  });
});

describe('resolveSecret', () => {
  it('reads the environment first, then the vault', async () => {
    const vault = createStoreCredentialVault(createMemorySyncStore(), { key });
    await vault.put('bc/client-secret', SECRET);
    expect(secretEnvVar('bc/client-secret')).toBe('BC_CLIENT_SECRET');
    expect(await resolveSecret('bc/client-secret', { env: { BC_CLIENT_SECRET: 'from-env' }, vault })).toBe('from-env');
    expect(await resolveSecret('bc/client-secret', { env: { BC_CLIENT_SECRET: '' }, vault })).toBe(SECRET);
    expect(await resolveSecret('bc/client-secret', { env: {}, vault })).toBe(SECRET);
    expect(await resolveSecret('bc/client-secret', { env: { MY_SECRET: 'custom' }, envVar: 'MY_SECRET', vault })).toBe('custom');
  });

  it('fails with CREDENTIAL_NOT_FOUND naming the variable when neither has it', async () => {
    const vault = createStoreCredentialVault(createMemorySyncStore(), { key });
    const error = await failure(() => resolveSecret('jaggaer/client-secret', { env: {}, vault }));
    expect(isCredentialVaultError(error) && error.code).toBe('CREDENTIAL_NOT_FOUND');
    expect((error as Error).message).toContain('JAGGAER_CLIENT_SECRET');
    expect((await failure(() => resolveSecret('x', { env: {} })) as Error).message).toMatch(/vault/);
  });
});
