import type { AdaptiveThrottleOptions, Logger, RateLimiter, RetryBudget, RetryEvent, RetryOptions, SecretSource, TokenCache } from '@ml-connector/core';
import type { JaggaerPaths, KeycloakLayout } from './paths.js';
import type { InvoiceListParameterNames } from './query-parameters.js';

/** Options of {@link createJaggaerClient}. `host`, `clientId` and `clientSecret` are required. */
export interface JaggaerClientOptions {
  /** The customer's tenant API host, e.g. `acme.api.jaggaer.com` or `https://prep-reg02.api.jaggaer.com`. There is no shared base URL. */
  host: string;
  /** Keycloak client id issued for the integration. */
  clientId: string;
  /** Keycloak client secret, or a function that reads it (e.g. from a credential vault) whenever a token is needed. */
  clientSecret: SecretSource;
  /** Keycloak realm of the token endpoint. Default `J1p-integrations`. Ignored when `paths.token` or `tokenUrl` is given. */
  realm?: string;
  /**
   * Keycloak path layout: `legacy` `/auth/realms/{realm}/…` (default; what public J1P clients use) or `modern`
   * `/realms/{realm}/…` (Keycloak 17+). Cannot be combined with `paths.token` or `tokenUrl`, which give the path itself.
   */
  keycloakLayout?: KeycloakLayout;
  /** Absolute token endpoint, for tenants whose Keycloak is on another host. Default `{host}{paths.token}`. */
  tokenUrl?: string;
  /** Path overrides merged over `DEFAULT_JAGGAER_PATHS` (paths are provisioned per customer). */
  paths?: Partial<JaggaerPaths>;
  /** Renames of the invoice list's query parameters (UNCONFIRMED names), merged over `DEFAULT_INVOICE_LIST_PARAMETERS`. */
  invoiceListParameters?: Partial<InvoiceListParameterNames>;
  /** Accept a loopback `host` over http (local emulators and tests). Default `false`. */
  allowLoopback?: boolean;
  /** `fetch` for API and token calls, e.g. the sandbox's in-process fetch. Default global `fetch`. */
  fetch?: typeof fetch;
  /** Per-attempt timeout in ms. Default 30,000. */
  timeoutMs?: number;
  /** Retry settings (429 `Retry-After`, 5xx, network), or `false`. Default: core defaults (4 retries). */
  retry?: Partial<RetryOptions> | false;
  /** Retry quota shared by this client's calls. Default: a new budget; `false` disables it. */
  retryBudget?: RetryBudget | false;
  /** Client-side throttling (adaptive by default), a shared limiter, or `false`. */
  throttle?: AdaptiveThrottleOptions | RateLimiter | false;
  /** pino-compatible logger; never receives secrets. Default silent. */
  logger?: Logger;
  /** Called before every retry with its reason and delay. */
  onRetry?: (event: RetryEvent) => void;
  /** Token cache, shareable by clients of the same integration user. Default: one per client. */
  tokenCache?: TokenCache;
  /** Refresh the access token this long before it expires (J1P issues roughly one-hour tokens). Default 5 minutes. */
  tokenRefreshWindowMs?: number;
  /** Clock in epoch ms for token expiry. Default `Date.now`. */
  now?: () => number;
  /** Default `maxRecords` of invoice list pages (UNCONFIRMED parameter). Default 100. */
  invoicePageSize?: number;
  /** Coding values per upsert request; larger lists are sent in several requests. Default 1000. */
  codingValueBatchSize?: number;
  /** Invoices fetched at once when list entries come without lines (each needs its own `get`). Default 4. */
  invoiceFetchConcurrency?: number;
  /** Default look-back of `invoices.poll`, in ms. Default 120,000. */
  pollLookbackMs?: number;
}

/** Defaults of {@link JaggaerClientOptions}. */
export const JAGGAER_CLIENT_DEFAULTS = Object.freeze({
  realm: 'J1p-integrations',
  timeoutMs: 30_000,
  tokenRefreshWindowMs: 5 * 60_000,
  invoicePageSize: 100,
  codingValueBatchSize: 1000,
  pollLookbackMs: 2 * 60_000,
  invoiceFetchConcurrency: 4,
  keycloakLayout: 'legacy',
});
