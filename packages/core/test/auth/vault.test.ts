import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { decodeProtectedHeader } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import {
  CredentialVaultError,
  createClientCredentialsProvider,
  createCredentialVault,
  createMemoryKeyValueStore,
  isCredentialVaultError,
  isInvalidInputError,
  vaultSecret,
} from '@ml-connector/core';
import { fakeTokenEndpoint, tokenJson } from './token-endpoint-fake.js';

const keyA = new Uint8Array(randomBytes(32));
const keyB = new Uint8Array(randomBytes(32));
const SECRET = 'client-secret-value-9f8e7d';

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isCredentialVaultError(error)).toBe(true);
  return (error as CredentialVaultError).code;
}

function tamper(record: string, part: number): string {
  const parts = record.split('.');
  const segment = parts[part]!;
  parts[part] = (segment[0] === 'A' ? 'B' : 'A') + segment.slice(1);
  return parts.join('.');
}

describe('createCredentialVault', () => {
  it('encrypts secrets as dir/A256GCM JWE with a kid, and decrypts them back', async () => {
    const store = createMemoryKeyValueStore();
    const vault = createCredentialVault({ key: keyA, keyId: 'key-2026', store });
    await vault.put('fo/client-secret', SECRET);
    const record = (await store.get('fo/client-secret'))!;
    expect(record.split('.')).toHaveLength(5);
    expect(record).not.toContain(SECRET);
    expect(decodeProtectedHeader(record)).toMatchObject({ alg: 'dir', enc: 'A256GCM', kid: 'key-2026' });
    expect(await vault.get('fo/client-secret')).toBe(SECRET);
  });

  it('lists, checks and deletes names; a missing name reads as undefined', async () => {
    const vault = createCredentialVault({ key: Buffer.from(keyA).toString('base64') });
    await vault.put('b', '2');
    await vault.put('a', '1');
    expect(await vault.list()).toEqual(['a', 'b']);
    expect(await vault.has('a')).toBe(true);
    expect(await vault.delete('a')).toBe(true);
    expect(await vault.delete('a')).toBe(false);
    expect(await vault.has('a')).toBe(false);
    expect(await vault.get('a')).toBeUndefined();
  });

  it('stores multi-line PEM keys and unicode intact', async () => {
    const vault = createCredentialVault({ key: keyA });
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIE…\n-----END PRIVATE KEY-----\n';
    await vault.put('pem', pem);
    await vault.put('unicode', 'pässwörd 🔑');
    expect(await vault.get('pem')).toBe(pem);
    expect(await vault.get('unicode')).toBe('pässwörd 🔑');
  });

  it('rejects keys that are not 32 bytes, and bad names', async () => {
    for (const key of [new Uint8Array(16), Buffer.from(new Uint8Array(31)).toString('base64'), 'not base64!', 42]) {
      let error: unknown;
      try {
        createCredentialVault({ key: key as never });
      } catch (e) {
        error = e;
      }
      expect(isInvalidInputError(error)).toBe(true);
      expect((error as { field?: string }).field).toBe('key.key');
    }
    expect(() => createCredentialVault({})).toThrow(/exactly one of key or keyProvider/);
  });

  it('reports bad arguments as rejected promises, never as synchronous throws', async () => {
    const vault = createCredentialVault({ key: keyA });
    // Calling must not throw: a caller that chains .catch() would otherwise miss the error.
    const calls = [vault.put('', 'x'), vault.put('a\nb', 'x'), vault.put('ok', 42 as never), vault.delete(''), vault.rotate(new Uint8Array(3))];
    for (const call of calls) await expect(call).rejects.toSatisfy(isInvalidInputError);
    await expect(vault.put('', 'x')).rejects.toThrow(/credential name/);
  });

  it('refuses two different keys under one keyId', async () => {
    expect(() => createCredentialVault({ key: keyA, keyId: 'k1', previousKeys: [{ key: keyB, keyId: 'k1' }] })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringMatching(/key id "k1" is already used by another key/) }),
    );
    expect(() =>
      createCredentialVault({ key: keyA, previousKeys: [{ key: keyA, keyId: 'old' }, { key: keyB, keyId: 'old' }] }),
    ).toThrow(expect.objectContaining({ field: 'previousKeys[1].keyId' }));
    const fromProvider = createCredentialVault({ keyProvider: async () => keyB, keyId: 'k1', previousKeys: [{ key: keyA, keyId: 'k1' }] });
    await expect(fromProvider.put('a', '1')).rejects.toSatisfy(isInvalidInputError);
    // The same key listed twice under its id is harmless.
    expect(() => createCredentialVault({ key: keyA, keyId: 'k1', previousKeys: [{ key: keyA, keyId: 'k1' }] })).not.toThrow();
  });

  it('detects a modified ciphertext, tag or header', async () => {
    const store = createMemoryKeyValueStore();
    const vault = createCredentialVault({ key: keyA, store });
    await vault.put('s', SECRET);
    const record = (await store.get('s'))!;
    for (const part of [0, 2, 3, 4]) {
      await store.set('s', tamper(record, part));
      // A changed header may also garble the kid, which reads as an unknown key.
      const expected = part === 0 ? ['CREDENTIAL_TAMPERED', 'CREDENTIAL_KEY_UNKNOWN'] : ['CREDENTIAL_TAMPERED'];
      expect(expected).toContain(await codeOf(vault.get('s')));
    }
    await store.set('s', 'garbage');
    expect(await codeOf(vault.get('s'))).toBe('CREDENTIAL_TAMPERED');
  });

  it('detects a record copied under another name', async () => {
    const store = createMemoryKeyValueStore();
    const vault = createCredentialVault({ key: keyA, store });
    await vault.put('jaggaer/secret', 'low-value');
    await vault.put('fo/secret', SECRET);
    await store.set('jaggaer/secret', (await store.get('fo/secret'))!);
    const error = await vault.get('jaggaer/secret').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialVaultError);
    expect((error as CredentialVaultError).code).toBe('CREDENTIAL_TAMPERED');
    expect((error as CredentialVaultError).credentialName).toBe('jaggaer/secret');
    expect((error as Error).message).toMatch(/tampered/);
  });

  it('reports a wrong key under a known key id as tampering, and an unknown key id as such', async () => {
    const store = createMemoryKeyValueStore();
    await createCredentialVault({ key: keyA, keyId: 'k1', store }).put('s', SECRET);
    expect(await codeOf(createCredentialVault({ key: keyB, keyId: 'k1', store }).get('s'))).toBe('CREDENTIAL_TAMPERED');
    expect(await codeOf(createCredentialVault({ key: keyB, keyId: 'k2', store }).get('s'))).toBe('CREDENTIAL_KEY_UNKNOWN');
  });

  it('never shows the secret in error messages, toJSON or inspect output', async () => {
    const store = createMemoryKeyValueStore();
    await createCredentialVault({ key: keyA, store }).put('s', SECRET);
    const error = await createCredentialVault({ key: keyB, keyId: 'other', previousKeys: [{ key: keyB }], store })
      .get('s')
      .catch((e: unknown) => e);
    const views = [String(error), JSON.stringify(error), inspect(error, { depth: 10 }), inspect((error as Error).cause, { depth: 10, showHidden: true })];
    for (const view of views) expect(view).not.toContain(SECRET);
  });

  it('rotates: re-encrypts every record with the new key and still reads old ciphertext', async () => {
    const store = createMemoryKeyValueStore();
    const vault = createCredentialVault({ key: keyA, keyId: 'old', store });
    await vault.put('one', '1');
    await vault.put('two', '2');
    const otherProcess = createCredentialVault({ key: keyA, keyId: 'old', store });

    expect(await vault.rotate(keyB, 'new')).toBe(2);
    for (const name of ['one', 'two']) expect(decodeProtectedHeader((await store.get(name))!).kid).toBe('new');
    expect(await vault.get('one')).toBe('1');

    // A process still on the old key writes; the rotated vault keeps reading it.
    await otherProcess.put('three', '3');
    expect(await vault.get('three')).toBe('3');
    // A fresh vault on the new key reads old records when given the old key as previous key.
    const restarted = createCredentialVault({ key: keyB, keyId: 'new', previousKeys: [{ key: keyA, keyId: 'old' }], store });
    expect(await restarted.get('three')).toBe('3');
    expect(await restarted.get('two')).toBe('2');
  });

  it('does not lose a put that races a rotation', async () => {
    const vault = createCredentialVault({ key: keyA });
    await vault.put('a', 'old');
    const rotation = vault.rotate(keyB);
    const put = vault.put('a', 'new');
    await Promise.all([rotation, put]);
    expect(await vault.get('a')).toBe('new');
  });

  it('refuses a key id already used by a different key', async () => {
    const vault = createCredentialVault({ key: keyA, keyId: 'k1' });
    await expect(vault.rotate(keyB, 'k1')).rejects.toSatisfy(isInvalidInputError);
  });

  it('loads the key from keyProvider once, on first use', async () => {
    const keyProvider = vi.fn(async () => Buffer.from(keyA).toString('base64url'));
    const vault = createCredentialVault({ keyProvider });
    expect(keyProvider).not.toHaveBeenCalled();
    await vault.put('a', '1');
    expect(await vault.get('a')).toBe('1');
    expect(keyProvider).toHaveBeenCalledTimes(1);
  });

  it('feeds a provider its client secret through vaultSecret, re-read on each request', async () => {
    const vault = createCredentialVault({ key: keyA });
    const { fetch, requests } = fakeTokenEndpoint(() => tokenJson({ access_token: 'at', expires_in: 3600 }));
    const provider = createClientCredentialsProvider({
      tokenUrl: 'https://login.example.test/t/oauth2/v2.0/token',
      clientId: 'app',
      clientSecret: vaultSecret(vault, 'fo/client-secret'),
      fetch,
    });
    const missing = await provider.getToken().catch((e: unknown) => e);
    expect((missing as CredentialVaultError).code).toBe('CREDENTIAL_NOT_FOUND');
    await vault.put('fo/client-secret', SECRET);
    await provider.getToken();
    expect(requests.at(-1)!.form.get('client_secret')).toBe(SECRET);
  });
});
