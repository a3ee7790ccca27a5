/** An access token and when it stops being valid. */
export interface AccessToken {
  /** The bearer token. Never log it. */
  token: string;
  /** Expiry as epoch milliseconds, computed from the token endpoint's `expires_in`. */
  expiresAt: number;
  /** Token type from the token endpoint, normally `Bearer`. */
  tokenType?: string;
}

/** Options for one {@link TokenProvider.getToken} call. */
export interface GetTokenOptions {
  /** Cancels the wait for a token (the shared refresh itself goes on for other callers). */
  signal?: AbortSignal;
  /**
   * Skip the cache and fetch a new token. The transport does not use this after a 401: it calls
   * `invalidate(refusedToken)` and then `getToken()`, so concurrent 401s share one refresh.
   */
  forceRefresh?: boolean;
}

/**
 * Supplies bearer tokens to the transport. Implementations cache, refresh before expiry and keep one
 * in-flight refresh however many callers wait.
 */
export interface TokenProvider {
  /** Non-secret identity of the principal (e.g. `tokenUrl|clientId|scope`), used for throttle keys and logs. */
  readonly identity: string;
  /** Returns a valid token, refreshing it when it is inside the refresh window or forced. */
  getToken(options?: GetTokenOptions): Promise<AccessToken>;
  /**
   * Drops the cached token if it is still `token` (the one a server refused), so the next `getToken` fetches a
   * new one; a token already replaced by another caller's refresh is left alone.
   */
  invalidate(token?: string): void;
}

/** HTTP Basic credentials (NAV web service access keys, Oracle, Jira API tokens). */
export interface BasicCredentials {
  /** User name or e-mail. */
  username: string;
  /** Password, web service access key or API token. Never logged. */
  password: string;
}

/** What the transport accepts as `auth`: a token provider (Bearer) or Basic credentials. */
export type Credential = TokenProvider | BasicCredentials;

/** True when the credential is a {@link TokenProvider}. */
export function isTokenProvider(credential: Credential): credential is TokenProvider {
  return typeof (credential as TokenProvider).getToken === 'function';
}
