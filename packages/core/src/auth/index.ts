export {
  type AccessToken,
  type GetTokenOptions,
  type TokenProvider,
  type BasicCredentials,
  type Credential,
  isTokenProvider,
} from './types.js';
export { basicAuthorization } from './basic.js';
export { type HostValidationOptions, validateTenantHost, validateBaseUrl } from './host.js';
export { type CachedToken, type TokenCache, createTokenCache } from './token-cache.js';
export { type SecretSource, type TokenProviderBaseOptions, MISSING_EXPIRES_IN_LIFETIME_MS } from './token-endpoint.js';
export { type ClientAssertionOptions } from './client-assertion.js';
export {
  type ClientSecretCredentialsOptions,
  type ClientCertificateCredentialsOptions,
  type ClientCredentialsProviderOptions,
  createClientCredentialsProvider,
} from './client-credentials.js';
export {
  type RefreshTokenStore,
  type RefreshLock,
  type RefreshTokenProviderOptions,
  RefreshTokenPersistError,
  createRefreshTokenProvider,
} from './refresh-token.js';
export {
  type KeyValueStore,
  type VaultKey,
  type VaultKeyEntry,
  type CredentialVaultOptions,
  type CredentialVault,
  type CredentialVaultErrorCode,
  CredentialVaultError,
  isCredentialVaultError,
  createCredentialVault,
  createMemoryKeyValueStore,
  vaultRefreshTokenStore,
  vaultSecret,
} from './vault.js';
