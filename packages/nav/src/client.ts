import {
  type Credential,
  type HttpClient,
  InvalidInputError,
  createClientCredentialsProvider,
  connectorHttpClientOptions,
  createHttpClient,
  validateBaseUrl,
  validateTenantHost,
} from '@ml-connector/core';
import { type NavWebhooksResource, navWebhooksResource } from './webhooks.js';
import { type NavChangesResource, changesResource } from './changes.js';
import {
  type MetadataProblem,
  NavMetadataMismatchError,
  type NavODataVersion,
  type ServiceMetadata,
  findMetadataProblems,
  parseServiceMetadata,
} from './metadata.js';
import { NAV_DEFAULTS, type NavClientOptions, type NavDeployment, parseDeploymentUrl } from './options.js';
import { type NavContactsResource, contactsResource } from './resources/contacts.js';
import { type NavPurchaseDocumentsResource, purchaseDocumentsResource } from './resources/documents.js';
import type { NavContext } from './resources/entity-set.js';
import { type NavGeneralJournalLinesResource, generalJournalLinesResource } from './resources/journal.js';
import { type NavReadOnlyResource, readOnlyResource } from './resources/read-only.js';
import { type NavVendorsResource, vendorsResource } from './resources/vendors.js';
import { type ResolvedService, SERVICE_DEFINITIONS, type ServiceName, resolveServices } from './services.js';

/** Outcome of a successful {@link NavClient.connect}. */
export interface NavConnection {
  /** OData version of the endpoint. */
  readonly version: NavODataVersion;
  /** The parsed `$metadata`. */
  readonly metadata: ServiceMetadata;
  /** The services checked (enabled ones), with their published names. */
  readonly services: readonly ResolvedService[];
}

/** A Dynamics NAV / Business Central on-premises OData client. Create it with {@link createNavClient}. */
export interface NavClient {
  /**
   * Reads `$metadata` and checks that every enabled service and field is published with the expected type and
   * key; throws {@link NavMetadataMismatchError} listing every problem. Every resource call awaits this first,
   * so no data moves against a mismatched instance; call it yourself to fail fast at start-up.
   */
  connect(options?: { signal?: AbortSignal }): Promise<NavConnection>;
  /** Checks `$metadata` and returns the problems instead of throwing (for diagnostics pages). */
  checkMetadata(options?: { signal?: AbortSignal }): Promise<MetadataProblem[]>;
  /** Vendors (status, payment terms, contact, `payToVendorNumber`). */
  readonly vendors: NavVendorsResource;
  /** Contact Card and Contact Business Relations pages: opt-in, enable with `services: { contacts: {}, contactBusinessRelations: {} }`. */
  readonly contacts: NavContactsResource;
  /** Payment terms (read-only). */
  readonly paymentTerms: NavReadOnlyResource<'paymentTerms', [code: string]>;
  /** Purchase orders and their lines. */
  readonly purchaseOrders: NavPurchaseDocumentsResource<'purchaseOrders', 'purchaseOrderLines'>;
  /** Purchase invoices (unposted) and their lines. */
  readonly purchaseInvoices: NavPurchaseDocumentsResource<'purchaseInvoices', 'purchaseInvoiceLines'>;
  /** General journal lines, created for review and never posted by this client. */
  readonly generalJournalLines: NavGeneralJournalLinesResource;
  /** G/L accounts (read-only). */
  readonly glAccounts: NavReadOnlyResource<'glAccounts', [number: string]>;
  /** Dimensions (read-only). */
  readonly dimensions: NavReadOnlyResource<'dimensions', [code: string]>;
  /** Dimension values (read-only), keyed by dimension code and value code. */
  readonly dimensionValues: NavReadOnlyResource<'dimensionValues', [dimensionCode: string, code: string]>;
  /** Change polling by last-modified field with look-back and de-duplication. */
  readonly changes: NavChangesResource;
  /** Webhook subscriptions of a Business Central on-premises API (needs the `apiUrl` option). */
  readonly webhooks: NavWebhooksResource;
  /** The parsed deployment URL. */
  readonly deployment: NavDeployment;
  /** The underlying transport (company-scoped), for calls this client does not model. */
  readonly http: HttpClient;
}

function credential(options: NavClientOptions, deployment: NavDeployment, now: () => number): Credential {
  const auth = options.auth;
  if (typeof auth !== 'object' || auth === null) {
    throw new InvalidInputError("auth is required: { kind: 'basic', username, password } or { kind: 'oauth', clientId, clientSecret }", { field: 'auth' });
  }
  switch (auth.kind) {
    case 'basic':
      if (deployment.kind === 'cloud') {
        throw new InvalidInputError(
          "auth.kind 'basic' (web service access keys) is not accepted by Business Central online; use { kind: 'oauth', clientId, clientSecret }",
          { field: 'auth.kind' },
        );
      }
      return { username: auth.username, password: auth.password };
    case 'token-provider':
      if (typeof auth.tokenProvider?.getToken !== 'function') {
        throw new InvalidInputError('auth.tokenProvider must be a TokenProvider', { field: 'auth.tokenProvider' });
      }
      return auth.tokenProvider;
    case 'oauth': {
      if (typeof auth.clientId !== 'string' || auth.clientId === '') throw new InvalidInputError('auth.clientId is required', { field: 'auth.clientId' });
      const tenantId = auth.tenantId ?? deployment.tenantId;
      let tokenUrl = auth.tokenUrl;
      if (tokenUrl === undefined) {
        if (tenantId === undefined || !/^[\w.-]+$/.test(tenantId)) {
          throw new InvalidInputError('auth.tenantId (GUID or domain) is required unless the URL names the tenant or auth.tokenUrl is given', {
            field: 'auth.tenantId',
          });
        }
        const authority = validateTenantHost(auth.authorityHost ?? NAV_DEFAULTS.authorityHost, {
          allowLoopback: options.allowLoopback,
          allowHttp: options.allowLoopback,
          field: 'auth.authorityHost',
        });
        tokenUrl = `${authority}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`;
      }
      const scope = auth.scope ?? (deployment.kind === 'cloud' ? NAV_DEFAULTS.cloudScope : undefined);
      if (scope === undefined) {
        throw new InvalidInputError(
          'auth.scope is required for on-premises Entra authentication: the app ID URI the instance is registered with, plus "/.default"',
          { field: 'auth.scope' },
        );
      }
      const base = {
        tokenUrl,
        clientId: auth.clientId,
        scope,
        now,
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(auth.tokenCache ? { cache: auth.tokenCache } : {}),
        ...(options.logger ? { logger: options.logger } : {}),
      };
      if (auth.clientAssertion !== undefined) return createClientCredentialsProvider({ ...base, clientAssertion: auth.clientAssertion });
      if (auth.clientSecret === undefined) throw new InvalidInputError('auth.clientSecret or auth.clientAssertion is required', { field: 'auth.clientSecret' });
      return createClientCredentialsProvider({ ...base, clientSecret: auth.clientSecret });
    }
    default:
      throw new InvalidInputError(
        `auth.kind must be 'basic', 'oauth' or 'token-provider', got ${JSON.stringify((auth as { kind?: unknown }).kind)}. Windows (NTLM) authentication is not supported; see the README`,
        { field: 'auth.kind' },
      );
  }
}

/**
 * Creates a typed client for Dynamics NAV and Business Central on-premises (and online) OData web services,
 * v4 (`/ODataV4/`) or v3 (`/OData/`), on core's transport. The published pages and fields it uses are
 * configurable and checked against `$metadata` before any data moves.
 *
 * Example:
 *
 * {@includeCode ../examples/client.ts#createNavClient}
 * @throws InvalidInputError for a malformed URL, auth or services option.
 */
export function createNavClient(options: NavClientOptions): NavClient {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidInputError('options are required: url and auth', { field: 'options' });
  }
  const deployment = parseDeploymentUrl(options.url, {
    ...(options.company !== undefined ? { company: options.company } : {}),
    ...(options.allowLoopback ? { allowLoopback: true } : {}),
  });
  const services = resolveServices(options.services);
  const now = options.now ?? Date.now;
  const version = deployment.version;
  const auth = credential(options, deployment, now);
  const http = createHttpClient({
    baseUrl: deployment.companyRoot,
    auth,
    requestIdHeader: NAV_DEFAULTS.requestIdHeader,
    ...connectorHttpClientOptions(options, { timeoutMs: NAV_DEFAULTS.timeoutMs }),
    headers:
      version === 'v4'
        ? { Accept: 'application/json', 'OData-MaxVersion': '4.0' }
        : { Accept: 'application/json;odata=minimalmetadata', MaxDataServiceVersion: '3.0' },
  });

  const readMetadata = async (signal?: AbortSignal): Promise<ServiceMetadata> => {
    const response = await http.request<string>({
      path: `${deployment.serviceRoot}$metadata`,
      headers: { Accept: 'application/xml' },
      responseType: 'text',
      operation: 'metadata',
      ...(signal ? { signal } : {}),
    });
    return parseServiceMetadata(String(response.data));
  };
  const check = async (signal?: AbortSignal) => {
    const metadata = await readMetadata(signal);
    return { metadata, problems: findMetadataProblems(metadata, services.values(), version) };
  };
  let connecting: Promise<NavConnection> | undefined;
  const connect = (signal?: AbortSignal): Promise<NavConnection> => {
    connecting ??= check(signal).then(({ metadata, problems }) => {
      if (problems.length > 0) throw new NavMetadataMismatchError(problems, deployment.serviceRoot);
      return { version, metadata, services: [...services.values()] };
    });
    // A failed check (transport error or mismatch) is not cached: the next call checks again.
    connecting.catch(() => {
      connecting = undefined;
    });
    return connecting;
  };

  const context: NavContext = {
    http,
    rootUrl: deployment.companyRoot,
    version,
    ready: async () => {
      await connect();
    },
    service(name: ServiceName) {
      const service = services.get(name);
      if (!service) {
        const optIn = (SERVICE_DEFINITIONS[name] as { optIn?: boolean }).optIn === true;
        throw new InvalidInputError(
          optIn
            ? `${name} is an opt-in service: enable it with the services option (services.${name} = {} or its published names)`
            : `${name} is disabled in this client's services option (services.${name} = false)`,
          { field: `services.${name}` },
        );
      }
      return service;
    },
  };

  const webhooks = options.apiUrl === undefined ? unavailableWebhooks() : apiWebhooks(options, auth);

  return {
    connect: (callOptions = {}) => connect(callOptions.signal),
    checkMetadata: async (callOptions = {}) => (await check(callOptions.signal)).problems,
    vendors: vendorsResource(context),
    contacts: contactsResource(context),
    paymentTerms: readOnlyResource(context, 'paymentTerms', ['code']),
    purchaseOrders: purchaseDocumentsResource(context, 'purchaseOrders', 'purchaseOrderLines', 'Order'),
    purchaseInvoices: purchaseDocumentsResource(context, 'purchaseInvoices', 'purchaseInvoiceLines', 'Invoice'),
    generalJournalLines: generalJournalLinesResource(context),
    glAccounts: readOnlyResource(context, 'glAccounts', ['number']),
    dimensions: readOnlyResource(context, 'dimensions', ['code']),
    dimensionValues: readOnlyResource(context, 'dimensionValues', ['dimensionCode', 'code']),
    changes: changesResource(context),
    webhooks,
    deployment,
    http,
  };
}

function apiWebhooks(options: NavClientOptions, auth: Credential): NavWebhooksResource {
  const apiUrl = validateBaseUrl(options.apiUrl as string, { allowLoopback: options.allowLoopback, allowHttp: options.allowLoopback, field: 'apiUrl' });
  if (!/\/api\/v2\.0\/$/.test(apiUrl)) {
    throw new InvalidInputError(`apiUrl must be the API v2.0 root ending in /api/v2.0/, e.g. https://bc.contoso.local:7048/BC/api/v2.0/; got ${apiUrl}`, {
      field: 'apiUrl',
    });
  }
  const http = createHttpClient({
    baseUrl: apiUrl,
    auth,
    requestIdHeader: NAV_DEFAULTS.requestIdHeader,
    ...connectorHttpClientOptions(options, { timeoutMs: NAV_DEFAULTS.timeoutMs }),
  });
  return navWebhooksResource(http, options.allowLoopback ?? false);
}

function unavailableWebhooks(): NavWebhooksResource {
  const refuse = async (): Promise<never> => {
    throw new InvalidInputError(
      'webhooks need the apiUrl option (the Business Central on-premises API root, …/api/v2.0/); NAV and OData web-service pages have no webhooks, use changes.poll()',
      { field: 'apiUrl' },
    );
  };
  return { create: refuse, list: refuse, renew: refuse, delete: refuse };
}
