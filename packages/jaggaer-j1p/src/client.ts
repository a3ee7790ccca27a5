import {
  type HttpClient,
  InvalidInputError,
  createClientCredentialsProvider,
  connectorHttpClientOptions,
  createHttpClient,
  isInvalidInputError,
  validateTenantHost,
} from '@ml-connector/core';
import { JAGGAER_CLIENT_DEFAULTS, type JaggaerClientOptions } from './options.js';
import { type JaggaerPaths, keycloakTokenPath, resolveJaggaerPaths } from './paths.js';
import { type InvoiceListParameterNames, resolveInvoiceListParameters } from './query-parameters.js';
import { type CatalogItemsResource, createCatalogItemsResource } from './resources/catalog-items.js';
import { type CodingValuesResource, createCodingValuesResource } from './resources/coding-values.js';
import { type InvoicesResource, createInvoicesResource } from './resources/invoices.js';
import { type PurchaseOrdersResource, createPurchaseOrdersResource } from './resources/purchase-orders.js';
import type { ResourceContext } from './resources/shared.js';
import { DEFAULT_SUPPLIER_PAYMENT_TERMS_FIELD } from './schemas/supplier.js';
import { type SuppliersResource, createSuppliersResource } from './resources/suppliers.js';

/** A typed JAGGAER ONE (J1P) client for one tenant. Create it with {@link createJaggaerClient}. */
export interface JaggaerClient {
  /** JAGGAER Invoicing (`ji/v1`): get, list, poll, OCR import, payment status. */
  readonly invoices: InvoicesResource;
  /** Supplier company profiles with parent/child hierarchy. */
  readonly suppliers: SuppliersResource;
  /** Chart-of-accounts coding values (GL accounts, dimension segments). */
  readonly codingValues: CodingValuesResource;
  /** Catalog items maintained by the ERP (released products). Endpoint UNCONFIRMED. */
  readonly catalogItems: CatalogItemsResource;
  /** Purchase orders pushed from the ERP. */
  readonly purchaseOrders: PurchaseOrdersResource;
  /** Normalised tenant origin, e.g. `https://acme.api.jaggaer.com`. */
  readonly host: string;
  /** Resolved path table (defaults merged with overrides). */
  readonly paths: Readonly<JaggaerPaths>;
  /** Token endpoint in use. */
  readonly tokenUrl: string;
  /** Query parameter names of the invoice list (defaults merged with `invoiceListParameters`). */
  readonly invoiceListParameters: Readonly<InvoiceListParameterNames>;
  /**
   * The authenticated core transport (token, retries, throttling) for endpoints this client does not model:
   * `client.http.request({ path: '/j1p/api/public/…', schema })`. Remember to check `returnCode` in 2xx bodies.
   */
  readonly http: HttpClient;
}

function fieldName(value: string | undefined, fallback: string, field: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(value)) {
    throw new InvalidInputError(`${field} must be a companyInfo field name such as "paymentTermsCode", got ${JSON.stringify(value)}`, { field });
  }
  return value;
}

function positiveInteger(value: number | undefined, fallback: number, field: string): number {
  const v = value ?? fallback;
  if (!Number.isSafeInteger(v) || v < 1) throw new InvalidInputError(`${field} must be a positive whole number, got ${String(value)}`, { field });
  return v;
}

function nonNegative(value: number | undefined, fallback: number, field: string): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < 0) throw new InvalidInputError(`${field} must be a non-negative number of milliseconds, got ${String(value)}`, { field });
  return v;
}

/**
 * The tenant origin. Loopback hosts and plain http are refused unless `allowLoopback` is set. Core's host check names
 * its own options (`allowHttp`), which this client does not have, so such messages are reworded to name `allowLoopback`.
 */
function checkHost(input: string, allowLoopback: boolean): string {
  try {
    return validateTenantHost(input, { allowLoopback, allowHttp: allowLoopback, field: 'host' });
  } catch (error) {
    if (!isInvalidInputError(error)) throw error;
    const hint = allowLoopback ? 'http is accepted only for a loopback host' : 'for a local emulator set allowLoopback: true';
    if (/allowHttp/.test(error.message)) {
      throw new InvalidInputError(`${error.message.replace(/\s*\(http is only accepted[^)]*\)/, '')}; ${hint}`, { field: 'host' });
    }
    if (/loopback/.test(error.message) && !allowLoopback) throw new InvalidInputError(`${error.message}; ${hint}`, { field: 'host' });
    throw error;
  }
}

/**
 * Creates a client for one customer's JAGGAER ONE tenant. Authentication is OAuth 2.0 client credentials against the
 * Keycloak realm `J1p-integrations` on the same host (`{host}/auth/realms/J1p-integrations/protocol/openid-connect/token`,
 * or `/realms/…` with `keycloakLayout: 'modern'`);
 * the token is cached, refreshed before its roughly one-hour expiry and after a 401. 429 `Retry-After`, 5xx and network
 * failures are retried by the core transport (writes only when safe).
 *
 * Example:
 *
 * {@includeCode ../examples/client.ts#createJaggaerClient}
 * @throws InvalidInputError for a missing or unsafe host, missing credentials or a bad path table.
 */
export function createJaggaerClient(options: JaggaerClientOptions): JaggaerClient {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidInputError('options are required: host, clientId and clientSecret', { field: 'options' });
  }
  const loopback = options.allowLoopback === true;
  const host = checkHost(options.host, loopback);
  if (typeof options.clientId !== 'string' || options.clientId.trim() === '') {
    throw new InvalidInputError('clientId is required: the Keycloak client id JAGGAER issued for the integration', { field: 'clientId' });
  }
  const realm = options.realm ?? JAGGAER_CLIENT_DEFAULTS.realm;
  if (typeof realm !== 'string' || !/^[A-Za-z0-9._-]+$/.test(realm)) {
    throw new InvalidInputError(`realm must be a Keycloak realm name such as "${JAGGAER_CLIENT_DEFAULTS.realm}"`, { field: 'realm' });
  }
  const layout = options.keycloakLayout;
  if (layout !== undefined) {
    if (layout !== 'legacy' && layout !== 'modern') {
      throw new InvalidInputError(`keycloakLayout must be "legacy" (/auth/realms/…) or "modern" (/realms/…), got ${JSON.stringify(layout)}`, { field: 'keycloakLayout' });
    }
    if (options.paths?.token !== undefined || options.tokenUrl !== undefined) {
      throw new InvalidInputError('keycloakLayout cannot be combined with paths.token or tokenUrl: those already give the token path; drop one', { field: 'keycloakLayout' });
    }
  }
  const overrides = { ...options.paths };
  overrides.token ??= keycloakTokenPath(realm, layout ?? JAGGAER_CLIENT_DEFAULTS.keycloakLayout);
  const paths = Object.freeze(resolveJaggaerPaths(overrides));
  const invoiceListParameters = Object.freeze(resolveInvoiceListParameters(options.invoiceListParameters));
  const tokenUrl = options.tokenUrl ?? `${host}${paths.token}`;

  const auth = createClientCredentialsProvider({
    tokenUrl,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    refreshWindowMs: options.tokenRefreshWindowMs ?? JAGGAER_CLIENT_DEFAULTS.tokenRefreshWindowMs,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.tokenCache ? { cache: options.tokenCache } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });

  const http = createHttpClient({
    baseUrl: host,
    auth,
    ...connectorHttpClientOptions(options, { timeoutMs: JAGGAER_CLIENT_DEFAULTS.timeoutMs }),
    ...(options.retryBudget !== undefined ? { retryBudget: options.retryBudget } : {}),
  });

  const ctx: ResourceContext = {
    http,
    paths,
    invoicePageSize: positiveInteger(options.invoicePageSize, JAGGAER_CLIENT_DEFAULTS.invoicePageSize, 'invoicePageSize'),
    codingValueBatchSize: positiveInteger(options.codingValueBatchSize, JAGGAER_CLIENT_DEFAULTS.codingValueBatchSize, 'codingValueBatchSize'),
    pollLookbackMs: nonNegative(options.pollLookbackMs, JAGGAER_CLIENT_DEFAULTS.pollLookbackMs, 'pollLookbackMs'),
    invoiceFetchConcurrency: positiveInteger(options.invoiceFetchConcurrency, JAGGAER_CLIENT_DEFAULTS.invoiceFetchConcurrency, 'invoiceFetchConcurrency'),
    invoiceListParameters,
    supplierPaymentTermsField: fieldName(options.supplierPaymentTermsField, DEFAULT_SUPPLIER_PAYMENT_TERMS_FIELD, 'supplierPaymentTermsField'),
  };

  return {
    invoices: createInvoicesResource(ctx),
    suppliers: createSuppliersResource(ctx),
    codingValues: createCodingValuesResource(ctx),
    catalogItems: createCatalogItemsResource(ctx),
    purchaseOrders: createPurchaseOrdersResource(ctx),
    host,
    paths,
    tokenUrl,
    invoiceListParameters,
    http,
  };
}
