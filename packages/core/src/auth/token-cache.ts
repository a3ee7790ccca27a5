import type { AccessToken } from './types.js';

/** A cached access token and the moment a provider should start refreshing it. */
export interface CachedToken {
  /** The token as returned to callers. */
  token: AccessToken;
  /** Epoch ms at which the token enters its refresh window (before `token.expiresAt`). */
  refreshAt: number;
}

/**
 * Where token providers keep access tokens, keyed by the provider's non-secret `identity`
 * (`tokenUrl|clientId|scope`). Pass one cache to several providers or clients that use the same
 * principal so they share one token and one in-flight refresh instead of each fetching their own.
 */
export interface TokenCache {
  /** The cached entry for `key`, if any (expired entries may be returned; providers check expiry). */
  get(key: string): CachedToken | undefined;
  /** Stores or replaces the entry for `key`. */
  set(key: string, entry: CachedToken): void;
  /**
   * Drops the entry for `key`. With `token`, drops it only if the cached token is still that token,
   * so a stale 401 cannot throw away a token another caller has just refreshed.
   */
  delete(key: string, token?: string): void;
}

/** Creates an in-memory {@link TokenCache}. Every provider gets its own unless you pass a shared one. */
export function createTokenCache(): TokenCache {
  const entries = new Map<string, CachedToken>();
  return {
    get: (key) => entries.get(key),
    set: (key, entry) => {
      entries.set(key, entry);
    },
    delete: (key, token) => {
      if (token === undefined || entries.get(key)?.token.token === token) entries.delete(key);
    },
  };
}
