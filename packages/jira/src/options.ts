import type {
  AdaptiveThrottleOptions,
  ConnectorTransportOptions,
  RateLimiter,
  RefreshLock,
  RefreshTokenStore,
  SecretSource,
  TokenCache,
  TokenProvider,
} from '@ml-connector/core';

/** Defaults of {@link JiraClientOptions}. */
export const JIRA_DEFAULTS = Object.freeze({
  /** Atlassian API gateway for OAuth 2.0 (3LO) calls: `{apiHost}/ex/jira/{cloudId}/rest/api/3/…`. */
  apiHost: 'https://api.atlassian.com',
  /** Atlassian authorisation server: `{authHost}/authorize` and `{authHost}/oauth/token`. */
  authHost: 'https://auth.atlassian.com',
  /** Attempt timeout in ms. */
  timeoutMs: 30_000,
  /** Request id header (Jira answers with `atl-traceid`, which errors record too). */
  requestIdHeader: 'x-request-id',
});

/**
 * OAuth 2.0 (3LO) with rotating refresh tokens. The refresh token lives in `refreshTokenStore`; every refresh
 * runs inside `lock`, reads the current token, exchanges it, and writes the successor before the access token
 * is used (core's `createRefreshTokenProvider`).
 */
export interface JiraOAuthAuth {
  /** Selects OAuth 2.0 (3LO). */
  kind: 'oauth';
  /** Client id of the app (developer.atlassian.com console). */
  clientId: string;
  /** Client secret of the app, or a function returning it. Never logged. */
  clientSecret: SecretSource;
  /** Durable home of the rotating refresh token (seed it with `exchangeAuthorizationCode`). */
  refreshTokenStore: RefreshTokenStore;
  /**
   * Cross-process lock around each refresh (e.g. a PostgreSQL advisory lock) so two processes never spend the same
   * refresh token; a spent one is answered `invalid_grant`. Without it, only one process may use the store.
   */
  lock?: RefreshLock;
  /** Site to use when the grant covers several: its URL, e.g. `https://acme.atlassian.net`. */
  siteUrl?: string;
  /** cloudId of the site; skips the accessible-resources lookup. */
  cloudId?: string;
  /** Non-secret name of the connection (keeps users apart in a shared token cache). */
  principal?: string;
}

/** API token (Basic `email:token`) against the site URL. */
export interface JiraApiTokenAuth {
  /** Selects API-token (Basic) auth. */
  kind: 'api-token';
  /** Site URL, e.g. `https://acme.atlassian.net`. */
  siteUrl: string;
  /** Atlassian account e-mail. */
  email: string;
  /** API token from id.atlassian.com/manage-profile/security/api-tokens. Never logged. */
  apiToken: string;
}

/** A ready bearer token provider (e.g. shared between clients) plus the site's cloudId. */
export interface JiraTokenProviderAuth {
  /** Selects an existing token provider. */
  kind: 'token-provider';
  /** Supplies OAuth 2.0 access tokens for `api.atlassian.com`. */
  tokenProvider: TokenProvider;
  /** cloudId of the site, or `siteUrl` to look it up. */
  cloudId?: string;
  /** Site URL to pick from accessible-resources. */
  siteUrl?: string;
}

/** The ways in: OAuth 2.0 (3LO), API token, or an existing token provider. */
export type JiraAuth = JiraOAuthAuth | JiraApiTokenAuth | JiraTokenProviderAuth;

/** Options of `connectJira`. Only `auth` is required. */
export interface JiraClientOptions extends ConnectorTransportOptions {
  /** How to authenticate. */
  auth: JiraAuth;
  /**
   * Custom fields to discover by name at connect time: alias → field name (or `customfield_NNNNN` id), e.g.
   * `{ documentKey: 'ML Document Key' }`. A field that is missing fails `connectJira` with a MissingCustomFieldError.
   */
  customFields?: Record<string, string>;
  /** API gateway for OAuth calls. Default `https://api.atlassian.com`. */
  apiHost?: string;
  /** Authorisation server. Default `https://auth.atlassian.com`. */
  authHost?: string;
  /** Token cache shared between providers. Default: one per client. */
  tokenCache?: TokenCache;
  /** Client-side throttle, a shared limiter, or `false`. Default {@link JIRA_THROTTLE_DEFAULTS}. */
  throttle?: AdaptiveThrottleOptions | RateLimiter | false;
  /** Attempt timeout in ms. Default 30,000. */
  timeoutMs?: number;
  /** `fetch` for API, token and accessible-resources calls (e.g. the emulator's). Default global `fetch`. */
  fetch?: typeof fetch;
}

