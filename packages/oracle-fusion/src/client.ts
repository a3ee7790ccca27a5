import {
  type Credential,
  type HttpClient,
  InvalidInputError,
  type TokenProvider,
  createClientCredentialsProvider,
  connectorHttpClientOptions,
  createHttpClient,
} from '@ml-connector/core';
import { ORACLE_FUSION_DEFAULTS, type OracleFusionClientOptions, resolveEndpoints } from './options.js';
import { type AccountsResource, accountsResource } from './resources/accounts.js';
import { type ErpIntegrationsResource, erpIntegrationsResource } from './resources/erp-integrations.js';
import { type InvoicesResource, invoicesResource } from './resources/invoices.js';
import { type PurchaseOrdersResource, purchaseOrdersResource } from './resources/purchase-orders.js';
import { type ReceiptsResource, receiptsResource } from './resources/receipts.js';
import { type SuppliersResource, suppliersResource } from './resources/suppliers.js';

/** An Oracle Fusion Cloud ERP REST client. Create it with {@link createOracleFusionClient}. */
export interface OracleFusionClient {
  /** Suppliers with sites, contacts and addresses. */
  readonly suppliers: SuppliersResource;
  /** Payables invoices with lines, distributions and installments. */
  readonly invoices: InvoicesResource;
  /** Purchase orders with lines, schedules, distributions and the acknowledge action. */
  readonly purchaseOrders: PurchaseOrdersResource;
  /** Account combinations and chart-of-accounts values. */
  readonly accounts: AccountsResource;
  /** Receipt requests. */
  readonly receipts: ReceiptsResource;
  /** ERP integrations: bulk import and ESS job status. */
  readonly erpIntegrations: ErpIntegrationsResource;
  /** `https://{host}/fscmRestApi/resources/{version}/`. */
  readonly baseUrl: string;
  /** The Identity Domain token endpoint, when OAuth is used. */
  readonly tokenUrl: string | undefined;
  /** The underlying transport (same auth, retries, throttle), for resources this client does not model. */
  readonly http: HttpClient;
}

/**
 * Creates a typed Oracle Fusion Cloud ERP REST client on core's transport: OAuth client credentials (secret or signed
 * JWT assertion) against the OCI IAM Identity Domain with proactive refresh and refresh on 401, or Basic auth;
 * `REST-Framework-Version` on every call; offset paging; Oracle error bodies mapped to core's typed errors.
 *
 * Example:
 *
 * {@includeCode ../examples/client.ts#createOracleFusionClient}
 * @throws InvalidInputError for missing or malformed options.
 */
export function createOracleFusionClient(options: OracleFusionClientOptions): OracleFusionClient {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidInputError('options are required: host and credentials', { field: 'options' });
  }
  const { baseUrl, tokenUrl } = resolveEndpoints(options);
  const frameworkVersion = options.frameworkVersion ?? ORACLE_FUSION_DEFAULTS.frameworkVersion;
  if (!/^[1-9]$/.test(frameworkVersion)) {
    throw new InvalidInputError(`frameworkVersion must be "1" to "9"; got ${JSON.stringify(frameworkVersion)}`, { field: 'frameworkVersion' });
  }
  const http = createHttpClient({
    baseUrl,
    auth: options.tokenProvider ?? credential(options, tokenUrl),
    ...connectorHttpClientOptions(options, {
      timeoutMs: ORACLE_FUSION_DEFAULTS.timeoutMs,
      throttle: { ...ORACLE_FUSION_DEFAULTS.throttle, ...(options.now ? { now: options.now } : {}) },
    }),
    headers: { 'REST-Framework-Version': frameworkVersion, ...options.headers },
  });
  return {
    suppliers: suppliersResource(http),
    invoices: invoicesResource(http),
    purchaseOrders: purchaseOrdersResource(http),
    accounts: accountsResource(http),
    receipts: receiptsResource(http),
    erpIntegrations: erpIntegrationsResource(http),
    baseUrl,
    tokenUrl,
    http,
  };
}

function credential(options: OracleFusionClientOptions, tokenUrl: string | undefined): Credential | TokenProvider {
  const credentials = options.credentials;
  if (!credentials || typeof credentials !== 'object') {
    throw new InvalidInputError('credentials are required: { clientId, clientSecret | clientAssertion } or { username, password } (or pass tokenProvider)', {
      field: 'credentials',
    });
  }
  if ('username' in credentials && credentials.username !== undefined) {
    // Validated (no ":" in the user, no control characters) by core when the header is built.
    return { username: credentials.username, password: credentials.password };
  }
  if (typeof credentials.clientId !== 'string' || credentials.clientId === '') {
    throw new InvalidInputError('credentials.clientId is required for OAuth', { field: 'credentials.clientId' });
  }
  if (tokenUrl === undefined) {
    throw new InvalidInputError('identityDomainUrl is required for OAuth credentials, e.g. "https://idcs-1234.identity.oraclecloud.com"', {
      field: 'identityDomainUrl',
    });
  }
  if (typeof options.scope !== 'string' || options.scope === '') {
    throw new InvalidInputError('scope is required for OAuth: the Fusion resource scope registered for the application', { field: 'scope' });
  }
  const base = {
    tokenUrl,
    clientId: credentials.clientId,
    scope: options.scope,
    ...(options.now ? { now: options.now } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.tokenCache ? { cache: options.tokenCache } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.refreshWindowMs !== undefined ? { refreshWindowMs: options.refreshWindowMs } : {}),
  };
  return credentials.clientAssertion !== undefined
    ? createClientCredentialsProvider({ ...base, clientAssertion: credentials.clientAssertion })
    : createClientCredentialsProvider({ ...base, clientSecret: credentials.clientSecret, clientAuthentication: options.clientAuthentication ?? 'basic' });
}
