import { createHash } from 'node:crypto';
import { CompactEncrypt, compactDecrypt, decodeProtectedHeader } from 'jose';
import { ConnectorError, InvalidInputError, isConnectorError } from '../errors/errors.js';
import type { RefreshTokenStore } from './refresh-token.js';

/**
 * Minimal async key-value storage behind a {@link CredentialVault}. The default is in memory; implement
 * it over SQLite, PostgreSQL or a cloud secret store to persist encrypted records.
 */
export interface KeyValueStore {
  /** The value stored under `key`, or undefined. */
  get(key: string): Promise<string | undefined>;
  /** Stores `value` under `key`, replacing any previous value. */
  set(key: string, value: string): Promise<void>;
  /** Removes `key`; resolves true when it existed. */
  delete(key: string): Promise<boolean>;
  /** Every stored key. */
  keys(): Promise<string[]>;
}

/** Creates an in-memory {@link KeyValueStore} (lost on exit): the vault's default and handy in tests. */
export function createMemoryKeyValueStore(): KeyValueStore {
  const map = new Map<string, string>();
  return {
    get: async (key) => map.get(key),
    set: async (key, value) => {
      map.set(key, value);
    },
    delete: async (key) => map.delete(key),
    keys: async () => [...map.keys()],
  };
}

/** A 32-byte AES-256 key as bytes or base64 (standard or url-safe). */
export type VaultKey = Uint8Array | string;

/** A key the vault still decrypts with after rotation. */
export interface VaultKeyEntry {
  /** The key material. */
  key: VaultKey;
  /** The `kid` records encrypted with it carry. Default: derived from the key. */
  keyId?: string;
}

/** Options of {@link createCredentialVault}. Give exactly one of `key` or `keyProvider`. */
export interface CredentialVaultOptions {
  /** The current encryption key (32 bytes, or base64 of 32 bytes). */
  key?: VaultKey;
  /** Loads the current key on first use (e.g. from a KMS or environment); called once. */
  keyProvider?: () => Promise<VaultKey>;
  /** `kid` for records written with the current key. Default: derived from a hash of the key. */
  keyId?: string;
  /** Older keys, so records written before a rotation remain readable. */
  previousKeys?: VaultKeyEntry[];
  /** Where encrypted records are kept. Default in memory. */
  store?: KeyValueStore;
}

/**
 * Named secrets (client secrets, PEM private keys, refresh tokens) encrypted at rest with AES-256-GCM
 * (JWE `dir` + `A256GCM`). Each record's name is in its authenticated header, so a record copied under
 * another name is detected like any other tampering.
 */
export interface CredentialVault {
  /** Encrypts and stores `value` under `name`. */
  put(name: string, value: string): Promise<void>;
  /** Decrypts the secret stored under `name`; undefined when absent. Throws CredentialVaultError when tampered or the key is unknown. */
  get(name: string): Promise<string | undefined>;
  /** True when a record named `name` exists (not decrypted). */
  has(name: string): Promise<boolean>;
  /** Removes `name`; resolves true when it existed. */
  delete(name: string): Promise<boolean>;
  /** Names of every stored secret (sorted). */
  list(): Promise<string[]>;
  /**
   * Makes `newKey` current and re-encrypts every record with it; the old key is kept as a previous key so
   * records written concurrently elsewhere stay readable. Resolves with the number of records re-encrypted.
   */
  rotate(newKey: VaultKey, newKeyId?: string): Promise<number>;
}

/** Why a vault record could not be read. */
export type CredentialVaultErrorCode = 'CREDENTIAL_TAMPERED' | 'CREDENTIAL_KEY_UNKNOWN' | 'CREDENTIAL_NOT_FOUND';

/** A vault record could not be decrypted (tampered, wrong key, unknown key id) or a required one is missing. */
export class CredentialVaultError extends ConnectorError {
  /** Literal class name, kept under minification. */
  static override readonly kind: string = 'CredentialVaultError';
  /** Name of the secret concerned. */
  readonly credentialName: string;
  constructor(message: string, code: CredentialVaultErrorCode, credentialName: string, options: { cause?: unknown } = {}) {
    super(message, code, options);
    this.credentialName = credentialName;
  }
}

/** True for {@link CredentialVaultError}, from any installed copy of the package. */
export const isCredentialVaultError = (error: unknown): error is CredentialVaultError =>
  isConnectorError(error) && error.kinds.includes('CredentialVaultError');

interface ResolvedKey {
  key: Uint8Array;
  keyId: string;
}

const ENC = 'A256GCM';
// Private JWE header parameter binding a record to its name (the protected header is authenticated as AAD).
const NAME_HEADER = 'mlc_name';
const MAX_NAME_LENGTH = 256;

function decodeKey(input: VaultKey, field: string): Uint8Array {
  let bytes: Uint8Array;
  if (input instanceof Uint8Array) {
    bytes = input;
  } else if (typeof input === 'string' && /^[A-Za-z0-9+/_-]+={0,2}$/.test(input.trim())) {
    bytes = new Uint8Array(Buffer.from(input.trim(), 'base64'));
  } else {
    throw new InvalidInputError(`${field} must be 32 bytes or their base64 encoding`, { field });
  }
  if (bytes.length !== 32) {
    throw new InvalidInputError(
      `${field} must be exactly 32 bytes (AES-256), got ${bytes.length}; generate one with crypto.randomBytes(32).toString('base64')`,
      { field },
    );
  }
  return new Uint8Array(bytes);
}

function resolveKey(entry: VaultKeyEntry, field: string): ResolvedKey {
  const key = decodeKey(entry.key, `${field}.key`);
  const keyId = entry.keyId ?? `k-${createHash('sha256').update(key).digest('base64url').slice(0, 12)}`;
  if (typeof keyId !== 'string' || keyId === '') throw new InvalidInputError(`${field}.keyId must be a non-empty string`, { field });
  return { key, keyId };
}

function checkName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name === '' || name.length > MAX_NAME_LENGTH || /[\u0000-\u001f\u007f]/.test(name)) {
    throw new InvalidInputError(`credential name must be a non-empty string of at most ${MAX_NAME_LENGTH} printable characters`, {
      field: 'name',
    });
  }
}

/**
 * Creates a {@link CredentialVault}.
 *
 * @throws InvalidInputError when the key is not 32 bytes or both/neither of `key` and `keyProvider` are given.
 */
export function createCredentialVault(options: CredentialVaultOptions): CredentialVault {
  if ((options?.key === undefined) === (options?.keyProvider === undefined)) {
    throw new InvalidInputError('pass exactly one of key or keyProvider', { field: 'key' });
  }
  const store = options.store ?? createMemoryKeyValueStore();
  const keysById = new Map<string, Uint8Array>();
  // One kid names one key: otherwise records written with one of them would not decrypt.
  const remember = (resolved: ResolvedKey, field: string) => {
    const existing = keysById.get(resolved.keyId);
    if (existing && !Buffer.from(existing).equals(Buffer.from(resolved.key))) {
      throw new InvalidInputError(`${field}: key id "${resolved.keyId}" is already used by another key; give each key its own keyId`, {
        field,
      });
    }
    keysById.set(resolved.keyId, resolved.key);
    return resolved;
  };
  for (const [index, entry] of (options.previousKeys ?? []).entries()) {
    remember(resolveKey(entry, `previousKeys[${index}]`), `previousKeys[${index}].keyId`);
  }

  let current: Promise<ResolvedKey> =
    options.key !== undefined
      ? Promise.resolve(remember(resolveKey({ key: options.key, keyId: options.keyId }, 'key'), 'keyId'))
      : Promise.resolve()
          .then(() => options.keyProvider!())
          .then((key) => remember(resolveKey({ key, keyId: options.keyId }, 'keyProvider()'), 'keyId'));
  // Reported to whoever uses the vault; not an unhandled rejection at creation.
  current.catch(() => undefined);

  // Writes and rotation run one at a time, so rotation cannot overwrite a value put while it runs.
  let writes: Promise<unknown> = Promise.resolve();
  const serialize = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = writes.then(fn, fn);
    writes = run.catch(() => undefined);
    return run;
  };

  async function encrypt(name: string, value: string, key: ResolvedKey): Promise<string> {
    return new CompactEncrypt(new TextEncoder().encode(value))
      .setProtectedHeader({ alg: 'dir', enc: ENC, kid: key.keyId, [NAME_HEADER]: name })
      .encrypt(key.key);
  }

  async function decrypt(name: string, record: string): Promise<string> {
    const tampered = (cause?: unknown) =>
      new CredentialVaultError(
        `Credential "${name}" could not be decrypted: the record was tampered with, copied from another name, or the key is wrong`,
        'CREDENTIAL_TAMPERED',
        name,
        { cause },
      );
    await current;
    let keyId: unknown;
    try {
      keyId = decodeProtectedHeader(record).kid;
    } catch (cause) {
      throw tampered(cause);
    }
    const key = typeof keyId === 'string' ? keysById.get(keyId) : undefined;
    if (!key) {
      throw new CredentialVaultError(
        `Credential "${name}" was encrypted with key id "${String(keyId)}", which this vault does not have; add that key to previousKeys`,
        'CREDENTIAL_KEY_UNKNOWN',
        name,
      );
    }
    let result;
    try {
      result = await compactDecrypt(record, key, { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: [ENC] });
    } catch (cause) {
      throw tampered(cause);
    }
    if (result.protectedHeader[NAME_HEADER] !== name) throw tampered();
    return new TextDecoder().decode(result.plaintext);
  }

  async function get(name: string): Promise<string | undefined> {
    checkName(name);
    const record = await store.get(name);
    return record === undefined ? undefined : decrypt(name, record);
  }

  return {
    // Every method is async, so bad input arrives as a rejected promise, never as a synchronous throw.
    async put(name, value) {
      checkName(name);
      if (typeof value !== 'string') throw new InvalidInputError('credential value must be a string', { field: 'value' });
      return serialize(async () => store.set(name, await encrypt(name, value, await current)));
    },
    get,
    async has(name) {
      checkName(name);
      return (await store.get(name)) !== undefined;
    },
    async delete(name) {
      checkName(name);
      return serialize(() => store.delete(name));
    },
    async list() {
      return (await store.keys()).sort();
    },
    async rotate(newKey, newKeyId) {
      const next = resolveKey({ key: newKey, keyId: newKeyId }, 'newKey');
      return serialize(async () => {
        const existing = keysById.get(next.keyId);
        // A reused id for a different key would make the records written with the old one undecryptable.
        if (existing && !Buffer.from(existing).equals(Buffer.from(next.key))) {
          throw new InvalidInputError(`newKeyId "${next.keyId}" is already used by another key`, { field: 'newKeyId' });
        }
        const names = await store.keys();
        const plaintexts = new Map<string, string>();
        for (const name of names) {
          const value = await get(name);
          if (value !== undefined) plaintexts.set(name, value);
        }
        remember(next, 'newKeyId');
        current = Promise.resolve(next);
        for (const [name, value] of plaintexts) await store.set(name, await encrypt(name, value, next));
        return plaintexts.size;
      });
    },
  };
}

/** A {@link RefreshTokenStore} over a vault entry, so rotated refresh tokens are stored encrypted. */
export function vaultRefreshTokenStore(vault: CredentialVault, name: string): RefreshTokenStore {
  checkName(name);
  return { read: () => vault.get(name), write: (refreshToken) => vault.put(name, refreshToken) };
}

/**
 * A secret source for `clientSecret` (or a PEM key) that reads `name` from the vault on every token
 * request, so a rotated secret is picked up without recreating the provider.
 */
export function vaultSecret(vault: CredentialVault, name: string): () => Promise<string> {
  checkName(name);
  return async () => {
    const value = await vault.get(name);
    if (value === undefined) {
      throw new CredentialVaultError(`Credential "${name}" is not in the vault; put it there first`, 'CREDENTIAL_NOT_FOUND', name);
    }
    return value;
  };
}
