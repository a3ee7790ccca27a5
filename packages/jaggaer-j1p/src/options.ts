import type { ConnectorTransportOptions, RetryBudget, SecretSource, TokenCache } from '@ml-connector/core';
import type { JaggaerPaths, KeycloakLayout } from './paths.js';
import type { InvoiceListParameterNames } from './query-parameters.js';

/** Options of {@link createJaggaerClient}. `host`, `clientId` and `clientSecret` are required. */
export interface JaggaerClientOptions extends Omit<ConnectorTransportOptions, 'headers' | 'createRequestId'> {
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
  /** Per-attempt timeout in ms, token calls included. Default 30,000. */
  timeoutMs?: number;
  /** Retry quota shared by this client's calls. Default: a new budget; `false` disables it. */
  retryBudget?: RetryBudget | false;
  /** Token cache, shareable by clients of the same integration user. Default: one per client. */
  tokenCache?: TokenCache;
  /** Refresh the access token this long before it expires (J1P issues roughly one-hour tokens). Default 5 minutes. */
  tokenRefreshWindowMs?: number;
  /** Default `maxRecords` of invoice list pages (UNCONFIRMED parameter). Default 100. */
  invoicePageSize?: number;
  /** Coding values per upsert request; larger lists are sent in several requests. Default 1000. */
  codingValueBatchSize?: number;
  /** Invoices fetched at once when list entries come without lines (each needs its own `get`). Default 4. */
  invoiceFetchConcurrency?: number;
  /** Default look-back of `invoices.poll`, in ms. Default 120,000. */
  pollLookbackMs?: number;
  /**
   * `companyInfo` field of a supplier profile that holds its payment terms code. Default `paymentTermsCode`.
   * UNCONFIRMED: no public sample shows payment terms on a company profile; set the field your tenant uses.
   */
  supplierPaymentTermsField?: string;
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
