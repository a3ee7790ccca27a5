import {
  type CredentialVault, type CredentialVaultOptions, CredentialVaultError, type VaultKey, createCredentialVault,
} from '../../auth/index.js';
import { InvalidInputError } from '../../errors/errors.js';
import { checkString } from './shared.js';
import type { SyncStore } from './types.js';

/** Environment variable {@link createStoreCredentialVault} reads the vault key from: base64 of 32 random bytes. */
export const VAULT_KEY_ENV = 'ML_CONNECTOR_VAULT_KEY';

/** Key-value namespace of the store that holds the vault's encrypted records. */
export const VAULT_NAMESPACE = 'vault';

const HOW_TO_GENERATE = `generate one with \`openssl rand -base64 32\` (or node -e "console.log(crypto.randomBytes(32).toString('base64'))") and keep it outside the store`;

/** No vault key was given: neither `key`, nor `keyProvider`, nor the `ML_CONNECTOR_VAULT_KEY` environment variable. */
export class VaultKeyMissingError extends InvalidInputError {
  /** Literal class name, kept under minification. */
  static override readonly kind: string = 'VaultKeyMissingError';
  constructor() {
    super(`no credential vault key: pass key or keyProvider, or set ${VAULT_KEY_ENV}; ${HOW_TO_GENERATE}`, { field: 'key' });
  }
}

/** Options of {@link createStoreCredentialVault}. */
export interface StoreCredentialVaultOptions extends Omit<CredentialVaultOptions, 'store' | 'key' | 'keyProvider'> {
  /** The current key (32 bytes, or their base64). Default: the `ML_CONNECTOR_VAULT_KEY` environment variable. */
  readonly key?: VaultKey;
  /** Loads the key on first use, from a KMS or secret manager (called once). */
  readonly keyProvider?: () => Promise<VaultKey>;
  /** Where `ML_CONNECTOR_VAULT_KEY` is read from. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Core's {@link CredentialVault} persisted in a {@link SyncStore} (its `vault` key-value area): secrets are stored
 * encrypted (AES-256-GCM, JWE), never in clear; the key stays outside the store. The key is `options.key`, else
 * `options.keyProvider()`, else the `ML_CONNECTOR_VAULT_KEY` environment variable.
 *
 * @throws VaultKeyMissingError when no key is given anywhere; InvalidInputError when the key is not 32 bytes.
 */
export function createStoreCredentialVault(store: SyncStore, options: StoreCredentialVaultOptions = {}): CredentialVault {
  if (typeof store?.keyValue !== 'function') throw new InvalidInputError('store must be a SyncStore', { field: 'store' });
  const { env = process.env, key, keyProvider, ...rest } = options;
  const area = store.keyValue(VAULT_NAMESPACE);
  if (key !== undefined || keyProvider !== undefined) return createCredentialVault({ ...rest, key, keyProvider, store: area });
  const fromEnv = env[VAULT_KEY_ENV]?.trim();
  if (!fromEnv) throw new VaultKeyMissingError();
  // Checked here so the error names the variable; the value itself never appears in it.
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(fromEnv) || Buffer.from(fromEnv, 'base64').length !== 32) {
    throw new InvalidInputError(`${VAULT_KEY_ENV} must be the base64 of exactly 32 bytes; ${HOW_TO_GENERATE}`, { field: VAULT_KEY_ENV });
  }
  return createCredentialVault({ ...rest, key: fromEnv, store: area });
}

/** Options of {@link resolveSecret}. */
export interface ResolveSecretOptions {
  /** Environment to read first. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Vault read when the environment does not have the secret. */
  readonly vault?: CredentialVault;
  /** Environment variable to read. Default: `name` upper-cased, every other character than A–Z and 0–9 as `_`. */
  readonly envVar?: string;
}

/** The environment variable {@link resolveSecret} reads for a credential name (`bc/client-secret` → `BC_CLIENT_SECRET`). */
export const secretEnvVar = (name: string): string => name.toUpperCase().replace(/[^A-Z0-9]/g, '_');

/**
 * Reads a credential: from its environment variable first (a deployment override), then from the vault.
 *
 * @throws CredentialVaultError (`CREDENTIAL_NOT_FOUND`) naming where it looked when neither has it; the vault's
 * errors when its record cannot be decrypted.
 */
export async function resolveSecret(name: string, options: ResolveSecretOptions = {}): Promise<string> {
  checkString(name, 'name');
  const envVar = options.envVar ?? secretEnvVar(name);
  const fromEnv = (options.env ?? process.env)[envVar];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const fromVault = options.vault ? await options.vault.get(name) : undefined;
  if (fromVault !== undefined) return fromVault;
  throw new CredentialVaultError(
    `Credential "${name}" is neither in the environment variable ${envVar} nor ${options.vault ? 'in the vault' : 'given a vault to look in'}; set one of them`,
    'CREDENTIAL_NOT_FOUND',
    name,
  );
}
