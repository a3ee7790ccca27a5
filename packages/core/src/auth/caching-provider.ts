import { AbortError, isNetworkError, isRateLimitError, isServerError } from '../errors/errors.js';
import { untilAborted } from '../http/abortable.js';
import type { Logger } from '../logging/logger.js';
import { type TokenCache, createTokenCache } from './token-cache.js';
import type { AccessToken, GetTokenOptions, TokenProvider } from './types.js';

/** Default time before expiry at which a token is refreshed. */
const DEFAULT_REFRESH_WINDOW_MS = 2 * 60_000;
/** Callers wait for a refresh only this close to expiry (at most half the refresh window); before, they get the cached token. */
const BLOCKING_MARGIN_MS = 30_000;

/** What the caching core needs from a concrete provider. */
export interface CachingProviderInit {
  identity: string;
  cache: TokenCache | undefined;
  refreshWindowMs: number | undefined;
  now: () => number;
  logger: Logger;
  /** Fetches a new token from the endpoint; called at most once at a time per cache and identity. */
  fetchToken: () => Promise<AccessToken>;
}

// In-flight refreshes per cache, so providers sharing a cache also share one refresh per identity.
const inFlightByCache = new WeakMap<TokenCache, Map<string, Promise<AccessToken>>>();

function inFlightFor(cache: TokenCache): Map<string, Promise<AccessToken>> {
  let inFlight = inFlightByCache.get(cache);
  if (!inFlight) {
    inFlight = new Map();
    inFlightByCache.set(cache, inFlight);
  }
  return inFlight;
}

/** Resolves with `promise`, or rejects with AbortError as soon as `signal` aborts; the promise itself runs on. */
function waitUnlessAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  return signal ? untilAborted(promise, signal, () => new AbortError('Waiting for an access token was aborted')) : promise;
}

const isTransient = (error: unknown): boolean => isNetworkError(error) || isServerError(error) || isRateLimitError(error);

/**
 * Builds a {@link TokenProvider} around `fetchToken`: serves cached tokens until their refresh window;
 * inside the window it starts a background refresh and keeps serving the cached token, so a slow or hung
 * token endpoint stalls nobody while a valid token exists; only when the token is about to expire (the last
 * 30 s, at most half the window) do callers wait. Exactly one refresh is in flight per identity, and each
 * caller's AbortSignal cancels only that caller's wait. When a refresh fails for a transient reason while the cached token is still valid, the
 * cached token is returned (logged as a warning) so a token-endpoint blip does not fail live traffic.
 */
export function createCachingTokenProvider(init: CachingProviderInit): TokenProvider {
  const { identity, now, logger, fetchToken } = init;
  const cache = init.cache ?? createTokenCache();
  const refreshWindowMs = init.refreshWindowMs ?? DEFAULT_REFRESH_WINDOW_MS;
  const inFlight = inFlightFor(cache);

  function refresh(): Promise<AccessToken> {
    const running = inFlight.get(identity);
    if (running) return running;
    const startedAt = now();
    const flight = fetchToken()
      .then((token) => {
        // Short-lived tokens get at most half their lifetime as window, or they would never be served from cache.
        const lifetime = Math.max(0, token.expiresAt - startedAt);
        cache.set(identity, { token, refreshAt: token.expiresAt - Math.min(refreshWindowMs, lifetime / 2) });
        logger.info({ identity, expiresAt: new Date(token.expiresAt).toISOString() }, 'access token refreshed');
        return token;
      })
      .finally(() => {
        if (inFlight.get(identity) === flight) inFlight.delete(identity);
      });
    // Every caller may have aborted its wait (or none waited: a background refresh); log the failure once.
    flight.catch((error: unknown) => {
      logger.warn({ identity, code: (error as { code?: unknown }).code }, 'token refresh failed');
    });
    inFlight.set(identity, flight);
    return flight;
  }

  return {
    identity,
    async getToken(options: GetTokenOptions = {}): Promise<AccessToken> {
      const { signal, forceRefresh = false } = options;
      if (signal?.aborted) throw new AbortError('Waiting for an access token was aborted');
      const cached = cache.get(identity);
      if (!forceRefresh && cached) {
        const t = now();
        if (t < cached.refreshAt) return cached.token;
        const window = cached.token.expiresAt - cached.refreshAt;
        if (t < cached.token.expiresAt - Math.min(BLOCKING_MARGIN_MS, window / 2)) {
          void refresh().catch(() => undefined); // logged by refresh(); the next caller tries again
          return cached.token;
        }
      }
      try {
        return await waitUnlessAborted(refresh(), signal);
      } catch (error) {
        if (!forceRefresh && cached && now() < cached.token.expiresAt && isTransient(error)) {
          logger.warn({ identity, code: (error as { code?: string }).code }, 'token refresh failed; using the still-valid cached token');
          return cached.token;
        }
        throw error;
      }
    },
    invalidate(token?: string): void {
      cache.delete(identity, token);
    },
  };
}
