import { AuthenticationError, ConnectorError, InvalidInputError, isAuthenticationError } from '../errors/errors.js';
import { createCachingTokenProvider } from './caching-provider.js';
import { validateTokenUrl } from './host.js';
import {
  type SecretSource,
  type TokenProviderBaseOptions,
  type TokenRequest,
  oauthClientBasicHeader,
  requestToken,
  resolveEndpointSettings,
  resolveSecret,
} from './token-endpoint.js';
import type { AccessToken, TokenProvider } from './types.js';

/** Durable home of a rotating refresh token (a database row, a vault entry via {@link vaultRefreshTokenStore}). */
export interface RefreshTokenStore {
  /** The current refresh token, or undefined when the user has not authorised yet. */
  read(): Promise<string | undefined>;
  /** Persists the successor refresh token. Must be durable when it resolves: the old token is already dead. */
  write(refreshToken: string): Promise<void>;
}

/** Runs `fn` while holding a lock shared by every process that uses the same refresh token. */
export type RefreshLock = <T>(fn: () => Promise<T>) => Promise<T>;

/** Options of {@link createRefreshTokenProvider}. */
export interface RefreshTokenProviderOptions extends TokenProviderBaseOptions {
  /** Where the refresh token lives; read inside the lock before every refresh, written before the access token is used. */
  store: RefreshTokenStore;
  /**
   * Cross-process lock (e.g. a PostgreSQL advisory lock) so two processes never spend the same refresh
   * token. Within one process refreshes are already single-flight. Default: no cross-process lock.
   */
  lock?: RefreshLock;
  /** Client secret (Atlassian, Oracle confidential clients); omit for public clients. */
  clientSecret?: SecretSource;
  /** Send the secret as form fields (`body`, Atlassian) or an `Authorization: Basic` header (`basic`, Oracle). Default `body`. */
  clientAuthentication?: 'body' | 'basic';
  /** Non-secret name of the user or connection the refresh token belongs to; keeps users apart in a shared cache. */
  principal?: string;
}

/** Thrown when the new refresh token could not be persisted; the access token was discarded with it. */
export class RefreshTokenPersistError extends ConnectorError {
  /** Literal class name, kept under minification. */
  static override readonly kind: string = 'RefreshTokenPersistError';
  constructor(options: { cause: unknown }) {
    super(
      'Could not save the rotated refresh token, so the new access token was not used; the previous refresh token may no longer work. Check the refresh token store',
      'REFRESH_TOKEN_NOT_SAVED',
      options,
    );
  }
}

const isInvalidGrant = (error: unknown): error is AuthenticationError =>
  isAuthenticationError(error) && error.vendorCode === 'invalid_grant';

/**
 * Creates a {@link TokenProvider} for the OAuth 2.0 refresh-token grant with rotating refresh tokens
 * (Atlassian 3LO, Oracle 3-legged). Each refresh takes `lock`, reads the refresh token from `store`
 * inside it, exchanges it, and writes the successor back before the access token is returned; if that
 * write fails the refresh fails, because a token whose successor was lost would strand the connection.
 *
 * On `invalid_grant` the store is read once more: if another process rotated the token meanwhile, the
 * new one is tried once; otherwise an AuthenticationError says the user must authorise again.
 * Network failures are not retried here (the server may already have rotated the token).
 */
export function createRefreshTokenProvider(options: RefreshTokenProviderOptions): TokenProvider {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidInputError('options are required: tokenUrl, clientId and store', { field: 'options' });
  }
  const { store, clientId, scope, extraParams, clientSecret } = options;
  if (typeof store?.read !== 'function' || typeof store.write !== 'function') {
    throw new InvalidInputError('store must have read() and write(refreshToken) methods', { field: 'store' });
  }
  if (clientSecret !== undefined && typeof clientSecret !== 'function' && (typeof clientSecret !== 'string' || clientSecret === '')) {
    throw new InvalidInputError('clientSecret must be a non-empty string or a function returning one', { field: 'clientSecret' });
  }
  if (options.clientAuthentication === 'basic' && clientSecret === undefined) {
    throw new InvalidInputError('clientAuthentication "basic" needs a clientSecret', { field: 'clientAuthentication' });
  }
  const tokenUrl = validateTokenUrl(options.tokenUrl);
  const principal = options.principal ? `|${options.principal}` : '';
  const identity = `${tokenUrl}|${clientId}|${scope ?? ''}${principal}`;
  const settings = resolveEndpointSettings(options, tokenUrl, identity, false);
  const lock: RefreshLock = options.lock ?? ((fn) => fn());

  const authFailure = (message: string, cause?: AuthenticationError) =>
    new AuthenticationError(message, {
      method: 'POST',
      url: tokenUrl,
      status: cause?.status,
      requestId: cause?.requestId,
      vendorCode: cause?.vendorCode,
      vendorMessage: cause?.vendorMessage,
      cause,
      details: { reauthorizationRequired: true },
    });

  async function exchange(refreshToken: string): Promise<AccessToken> {
    const response = await requestToken(settings, async () => {
      const form = new URLSearchParams({ grant_type: 'refresh_token', client_id: clientId, refresh_token: refreshToken, ...extraParams });
      if (scope) form.set('scope', scope);
      const request: TokenRequest = { form, secrets: [refreshToken] };
      if (clientSecret !== undefined) {
        const secret = await resolveSecret(clientSecret, 'clientSecret');
        request.secrets.push(secret);
        if (options.clientAuthentication === 'basic') {
          form.delete('client_id');
          request.headers = { authorization: oauthClientBasicHeader(clientId, secret) };
        } else {
          form.set('client_secret', secret);
        }
      }
      return request;
    });
    if (response.refreshToken !== undefined && response.refreshToken !== refreshToken) {
      try {
        await store.write(response.refreshToken);
      } catch (cause) {
        throw new RefreshTokenPersistError({ cause });
      }
    }
    return response.accessToken;
  }

  const noRefreshToken = () =>
    authFailure('No refresh token is stored: re-authorisation is needed (run the authorisation-code flow and store its refresh token)');

  return createCachingTokenProvider({
    identity,
    cache: options.cache,
    refreshWindowMs: options.refreshWindowMs,
    now: settings.now,
    logger: settings.logger,
    fetchToken: () =>
      lock(async () => {
        const used = await store.read();
        if (!used) throw noRefreshToken();
        try {
          return await exchange(used);
        } catch (error) {
          if (!isInvalidGrant(error)) throw error;
          let refused = error;
          // Another process may have rotated the token between our read and the server's answer.
          const current = await store.read();
          if (current && current !== used) {
            try {
              return await exchange(current);
            } catch (retryError) {
              if (!isInvalidGrant(retryError)) throw retryError;
              refused = retryError;
            }
          }
          throw authFailure(
            'Refresh token was rejected (invalid_grant): re-authorisation is needed (run the authorisation-code flow again and store the new refresh token)',
            refused,
          );
        }
      }),
  });
}
