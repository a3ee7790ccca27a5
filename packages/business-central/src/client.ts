import {
  type HttpClient,
  InvalidInputError,
  type RateLimiter,
  type TokenProvider,
  createAdaptiveThrottle,
  createClientCredentialsProvider,
  connectorHttpClientOptions,
  createHttpClient,
  edm,
  formatKeyPredicate,
} from '@ml-connector/core';
import { BUSINESS_CENTRAL_DEFAULTS, type BusinessCentralClientOptions, resolveEndpoints } from './options.js';
import { BUSINESS_CENTRAL_THROTTLE_DEFAULTS } from './rate-limits.js';
import { type BatchResource, batchResource } from './resources/batch.js';
import { type CompaniesResource, companiesResource } from './resources/companies.js';
import { type PurchaseInvoicesResource, purchaseInvoicesResource } from './resources/purchase-invoices.js';
import { type PurchaseOrdersResource, purchaseOrdersResource } from './resources/purchase-orders.js';
import {
  type AccountsResource,
  type CurrenciesResource,
  type DimensionValuesResource,
  type DimensionsResource,
  accountsResource,
  currenciesResource,
  dimensionValuesResource,
  dimensionsResource,
} from './resources/lookups.js';
import { type VendorsResource, vendorsResource } from './resources/vendors.js';
import { type DeltaReadableEntitySet, readableEntitySet } from './resources/entity-set.js';
import {
  type ItemFields,
  type PaymentMethodFields,
  type PaymentTermFields,
  type TaxGroupFields,
  type UnitOfMeasureFields,
  itemSchema,
  paymentMethodSchema,
  paymentTermSchema,
  taxGroupSchema,
  unitOfMeasureSchema,
} from './schemas/setup.js';
import { type WebhooksResource, webhooksResource } from './resources/subscriptions.js';

/** Resources of one company (`companies({id})/…`). */
export interface BusinessCentralCompany {
  /** The company id. */
  readonly id: string;
  /** Vendors: list, get, delta, create, update (If-Match), delete, batched `findByNumbers`. */
  readonly vendors: VendorsResource;
  /** G/L accounts (read-only), batched `findByNumbers`. */
  readonly accounts: AccountsResource;
  /** Dimensions (read-only), batched `findByCodes`. */
  readonly dimensions: DimensionsResource;
  /** Dimension values of all dimensions (read-only; no webhooks), batched `findByCodes` within a dimension. */
  readonly dimensionValues: DimensionValuesResource;
  /** Purchase invoices: drafts, deep insert, update, explicit `post`, lines, paid status. */
  readonly purchaseInvoices: PurchaseInvoicesResource;
  /** Purchase orders and their lines (read; no webhooks). */
  readonly purchaseOrders: PurchaseOrdersResource;
  /** Currencies (read), batched `findByCodes`; an invoice's `currencyCode` must be one of them or the local currency. */
  readonly currencies: CurrenciesResource;
  /** Items (read), for `lineType: 'Item'` lines. */
  readonly items: DeltaReadableEntitySet<ItemFields>;
  /** Tax groups (read). */
  readonly taxGroups: DeltaReadableEntitySet<TaxGroupFields>;
  /** Payment terms (read). */
  readonly paymentTerms: DeltaReadableEntitySet<PaymentTermFields>;
  /** Payment methods (read). */
  readonly paymentMethods: DeltaReadableEntitySet<PaymentMethodFields>;
  /** Units of measure (read). */
  readonly unitsOfMeasure: DeltaReadableEntitySet<UnitOfMeasureFields>;
  /** JSON `$batch` for bulk operations (≤ 100 per request, split automatically). */
  readonly batch: BatchResource;
}

/** A Business Central API client. Create it with {@link createBusinessCentralClient}. */
export interface BusinessCentralClient {
  /** Companies of the environment (read-only). */
  readonly companies: CompaniesResource;
  /** Resources scoped to one company (the id is a GUID; validated here). */
  company(companyId: string): BusinessCentralCompany;
  /** Webhook subscriptions of the environment. */
  readonly webhooks: WebhooksResource;
  /** The service root, `{apiHost}/v2.0/{tenantId}/{environment}/api/{apiVersion}/`. */
  readonly baseUrl: string;
  /** The token endpoint used for client credentials. */
  readonly tokenUrl: string;
  /** The underlying transport, for calls this client does not model (same auth, retries and throttle). */
  readonly http: HttpClient;
}

/**
 * Creates a typed Business Central API v2.0 client on core's transport: Entra client credentials (secret or
 * certificate) for `https://api.businesscentral.dynamics.com/.default`, `x-ms-client-request-id`, retries with
 * Retry-After, 401 refresh, and a throttle of 5 concurrent, BC's sliding window (6,000 per 5 minutes) and 25 per second per identity by default.
 *
 * Example:
 *
 * {@includeCode ../examples/client.ts#createBusinessCentralClient}
 * @throws InvalidInputError for missing or malformed options.
 */
export function createBusinessCentralClient(options: BusinessCentralClientOptions): BusinessCentralClient {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidInputError('options are required: tenantId, environment and credentials', { field: 'options' });
  }
  const { baseUrl, tokenUrl } = resolveEndpoints(options);
  const now = options.now ?? Date.now;
  const tokenProvider = options.tokenProvider ?? credentialsProvider(options, tokenUrl, now);
  // The limiter is built here (not in core) so `$batch` can charge one permit per inner operation.
  const limiter: RateLimiter | undefined =
    options.throttle === false
      ? undefined
      : options.throttle && 'acquire' in options.throttle
        ? options.throttle
        : createAdaptiveThrottle(options.throttle ?? { ...BUSINESS_CENTRAL_THROTTLE_DEFAULTS, now });
  const throttleKey = `${new URL(baseUrl).host}|${tokenProvider.identity}`;
  const countBatchOperations = options.countBatchOperations ?? true;
  const chargeBatch = async (operations: number, signal?: AbortSignal): Promise<void> => {
    if (!limiter || !countBatchOperations) return;
    // The `$batch` request itself takes one permit in the transport; the other operations take one each.
    for (let i = 1; i < operations; i++) {
      // While the key is paused, charging stops: the `$batch` request's own permit then waits or fails fast
      // with the caller's maxRetryAfterMs, exactly as a single request would.
      const permit = await limiter.acquire(throttleKey, { ...(signal ? { signal } : {}), maxPauseMs: 0 });
      if ('denied' in permit) return;
      permit.release({ result: 'success' });
    }
  };
  const http = createHttpClient({
    baseUrl,
    auth: tokenProvider,
    requestIdHeader: BUSINESS_CENTRAL_DEFAULTS.requestIdHeader,
    ...connectorHttpClientOptions(options, { timeoutMs: BUSINESS_CENTRAL_DEFAULTS.timeoutMs }),
    // The limiter built above replaces the option, so `$batch` charges the same budget.
    throttle: limiter ?? false,
    throttleKey,
  });
  const apiVersion = options.apiVersion ?? BUSINESS_CENTRAL_DEFAULTS.apiVersion;
  return {
    companies: companiesResource(http),
    company: (companyId) => companyScope(http, baseUrl, companyId, chargeBatch),
    webhooks: webhooksResource(http, { apiVersion, allowLoopback: options.allowLoopback ?? false, now }),
    baseUrl,
    tokenUrl,
    http,
  };
}

function credentialsProvider(options: BusinessCentralClientOptions, tokenUrl: string, now: () => number): TokenProvider {
  const credentials = options.credentials;
  if (!credentials || typeof credentials.clientId !== 'string' || credentials.clientId === '') {
    throw new InvalidInputError('credentials { clientId, clientSecret | clientAssertion } (or tokenProvider) are required', {
      field: 'credentials',
    });
  }
  const base = {
    tokenUrl,
    clientId: credentials.clientId,
    scope: options.scope ?? BUSINESS_CENTRAL_DEFAULTS.scope,
    now,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.tokenCache ? { cache: options.tokenCache } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  };
  return credentials.clientAssertion !== undefined
    ? createClientCredentialsProvider({ ...base, clientAssertion: credentials.clientAssertion })
    : createClientCredentialsProvider({ ...base, clientSecret: credentials.clientSecret });
}

function companyScope(http: HttpClient, baseUrl: string, companyId: string, chargeBatch: (operations: number, signal?: AbortSignal) => Promise<void>): BusinessCentralCompany {
  let predicate: string;
  try {
    predicate = formatKeyPredicate(edm.guid(companyId));
  } catch {
    throw new InvalidInputError(`companyId must be a company GUID (see client.companies.list()), got ${JSON.stringify(companyId)}`, {
      field: 'companyId',
    });
  }
  const companyPath = `companies${predicate}`;
  const lookups = { http, baseUrl };
  return {
    id: companyId,
    vendors: vendorsResource(http, companyPath, baseUrl),
    accounts: accountsResource(lookups, companyPath),
    dimensions: dimensionsResource(lookups, companyPath),
    dimensionValues: dimensionValuesResource(lookups, companyPath),
    purchaseInvoices: purchaseInvoicesResource(http, companyPath),
    purchaseOrders: purchaseOrdersResource(http, companyPath),
    currencies: currenciesResource(lookups, companyPath),
    items: readableEntitySet(http, `${companyPath}/items`, itemSchema, 'items'),
    taxGroups: readableEntitySet(http, `${companyPath}/taxGroups`, taxGroupSchema, 'taxGroups'),
    paymentTerms: readableEntitySet(http, `${companyPath}/paymentTerms`, paymentTermSchema, 'paymentTerms'),
    paymentMethods: readableEntitySet(http, `${companyPath}/paymentMethods`, paymentMethodSchema, 'paymentMethods'),
    unitsOfMeasure: readableEntitySet(http, `${companyPath}/unitsOfMeasure`, unitOfMeasureSchema, 'unitsOfMeasure'),
    batch: batchResource(http, companyPath, chargeBatch),
  };
}
