import {
  type AdaptiveThrottleOptions,
  type ClientAssertionOptions,
  type ConnectorTransportOptions,
  InvalidInputError,
  type RateLimiter,
  type SecretSource,
  type TokenCache,
  type TokenProvider,
  validateTenantHost,
} from '@ml-connector/core';

/** Defaults of {@link FinanceOperationsClientOptions}. */
export const FINANCE_OPERATIONS_DEFAULTS = Object.freeze({
  /** Microsoft Entra ID authority. */
  authorityHost: 'https://login.microsoftonline.com',
  /** Request id header (Microsoft convention). */
  requestIdHeader: 'x-ms-client-request-id',
  /** Attempt timeout in ms. */
  timeoutMs: 120_000,
  /**
   * Entity set read for posted vendor invoices (the posted invoice journal, table `VendInvoiceJour`).
   * UNCONFIRMED: the public collection name differs between F&O versions; override when yours differs.
   */
  postedInvoiceEntitySet: 'VendInvoiceJourBiEntities',
  /** Entity set read for account structure rules. UNCONFIRMED (no documented public entity): override or pass rules in. */
  accountStructureEntitySet: 'AccountStructureRules',
  /** Entity set of released products (catalog items). */
  releasedProductEntitySet: 'ReleasedProductsV2',
});

/** Entra client credentials with a client secret. */
export interface FinanceOperationsSecretCredentials {
  /** Application (client) id; the app must also be registered in F&O (System administration > Microsoft Entra applications). */
  clientId: string;
  /** Client secret, or a function returning it (e.g. from a credential vault). Never logged. */
  clientSecret: SecretSource;
  clientAssertion?: never;
}

/** Entra client credentials with a certificate (signed client assertion). */
export interface FinanceOperationsCertificateCredentials {
  /** Application (client) id. */
  clientId: string;
  /** Private key, certificate/thumbprint and algorithm (`PS256` current Entra guidance, `RS256` older). */
  clientAssertion: ClientAssertionOptions;
  clientSecret?: never;
}

/** Options of `createFinanceOperationsClient`. */
export interface FinanceOperationsClientOptions extends ConnectorTransportOptions {
  /**
   * The environment URL or host, e.g. `https://contoso.operations.dynamics.com` or
   * `contoso-test.sandbox.operations.dynamics.com`. The service root is `{environmentUrl}/data/`.
   */
  environmentUrl: string;
  /** Entra tenant id (GUID) or verified domain. */
  tenantId: string;
  /** Client credentials (secret or certificate). Required unless `tokenProvider` is given. */
  credentials?: FinanceOperationsSecretCredentials | FinanceOperationsCertificateCredentials;
  /** A ready token provider; replaces `credentials`. */
  tokenProvider?: TokenProvider;
  /** Scope. Default `{environment origin}/.default`. */
  scope?: string;
  /** Entra authority host. Default `https://login.microsoftonline.com`. */
  authorityHost?: string;
  /**
   * The default company of the F&O user the app is mapped to. F&O reads without `cross-company=true` only see
   * this company, so `legalEntity(x)` adds `cross-company=true` (with its `dataAreaId` filter) for any other
   * company. Default: unknown, i.e. always send `cross-company=true` with the filter.
   */
  defaultLegalEntity?: string;
  /** Token cache shared between providers of the same app. */
  tokenCache?: TokenCache;
  /** Client-side throttle options, a shared `RateLimiter`, or `false`. Default {@link FINANCE_OPERATIONS_THROTTLE_DEFAULTS}. */
  throttle?: AdaptiveThrottleOptions | RateLimiter | false;
  /** Attempt timeout in ms. Default 120,000. */
  timeoutMs?: number;
  /** See `FINANCE_OPERATIONS_DEFAULTS.postedInvoiceEntitySet`. */
  postedInvoiceEntitySet?: string;
  /** See `FINANCE_OPERATIONS_DEFAULTS.accountStructureEntitySet`. */
  accountStructureEntitySet?: string;
  /** See `FINANCE_OPERATIONS_DEFAULTS.releasedProductEntitySet`. */
  releasedProductEntitySet?: string;
}

/** Resolved URLs of one client. */
export interface FinanceOperationsEndpoints {
  /** Environment origin, e.g. `https://contoso.operations.dynamics.com`. */
  environmentOrigin: string;
  /** OData service root: `{origin}/data/`. */
  baseUrl: string;
  /** Token endpoint: `{authorityHost}/{tenantId}/oauth2/v2.0/token`. */
  tokenUrl: string;
  /** Scope: `{origin}/.default` unless overridden. */
  scope: string;
}

const TENANT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Builds service root, token URL and scope from the options, validating every part. */
export function resolveEndpoints(options: FinanceOperationsClientOptions): FinanceOperationsEndpoints {
  if (typeof options.tenantId !== 'string' || !TENANT.test(options.tenantId)) {
    throw new InvalidInputError(`tenantId must be a GUID or domain such as "contoso.onmicrosoft.com", got ${JSON.stringify(options.tenantId)}`, {
      field: 'tenantId',
    });
  }
  if (typeof options.environmentUrl !== 'string' || options.environmentUrl.trim() === '') {
    throw new InvalidInputError('environmentUrl is required, e.g. "https://contoso.operations.dynamics.com"', { field: 'environmentUrl' });
  }
  const raw = options.environmentUrl.trim().replace(/\/+(data\/?)?$/, '');
  const hostOptions = { allowLoopback: options.allowLoopback, allowHttp: options.allowLoopback };
  const environmentOrigin = validateTenantHost(/^https?:\/\//i.test(raw) ? raw : `https://${raw}`, { ...hostOptions, field: 'environmentUrl' });
  const authorityHost = validateTenantHost(options.authorityHost ?? FINANCE_OPERATIONS_DEFAULTS.authorityHost, { ...hostOptions, field: 'authorityHost' });
  return {
    environmentOrigin,
    baseUrl: `${environmentOrigin}/data/`,
    tokenUrl: `${authorityHost}/${encodeURIComponent(options.tenantId)}/oauth2/v2.0/token`,
    scope: options.scope ?? `${environmentOrigin}/.default`,
  };
}

const LEGAL_ENTITY = /^[A-Za-z0-9]{1,4}$/;

/** Validates and normalises a legal entity id (`dataAreaId`): 1–4 letters or digits, lower-cased as F&O stores it. */
export function normaliseLegalEntity(value: unknown, field = 'legalEntity'): string {
  if (typeof value !== 'string' || !LEGAL_ENTITY.test(value)) {
    throw new InvalidInputError(`${field} must be an F&O legal entity id (dataAreaId) of 1–4 letters or digits, e.g. "usmf"; got ${JSON.stringify(value)}`, {
      field,
    });
  }
  return value.toLowerCase();
}
