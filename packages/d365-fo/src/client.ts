import { type HttpClient, InvalidInputError, type TokenProvider, connectorHttpClientOptions, createClientCredentialsProvider, createHttpClient, odataFilter } from '@ml-connector/core';
import { FINANCE_OPERATIONS_DEFAULTS, type FinanceOperationsClientOptions, normaliseLegalEntity, resolveEndpoints } from './options.js';
import { FINANCE_OPERATIONS_THROTTLE_DEFAULTS } from './rate-limits.js';
import { type DataManagementResource, dataManagementResource } from './data-management.js';
import { type LedgerCoding, type CodingValidation, type LedgerReference, validateLedgerCoding } from './resources/account-structures.js';
import { type BatchResource, batchResource } from './resources/batch.js';
import { type CustomServicesResource, customServicesResource } from './resources/services.js';
import { type ReadableEntitySet, type WritableEntitySet, readableEntitySet, writableEntitySet } from './resources/entity-set.js';
import type { CompanyScope, EntitySetSpec, ListOptions } from './resources/shared.js';
import { type VendorInvoicesResource, vendorInvoicesResource } from './resources/vendor-invoices.js';
import {
  type AccountStructureRule,
  type DimensionAttributeFields,
  type FinancialDimensionValueFields,
  type MainAccountFields,
  accountStructureRuleSchema,
  dimensionAttributeSchema,
  financialDimensionValueSchema,
  mainAccountSchema,
} from './schemas/ledger.js';
import {
  type PurchaseOrderHeaderFields,
  type PurchaseOrderLineFields,
  type ReleasedProductFields,
  postedVendorInvoiceSchema,
  purchaseOrderHeaderSchema,
  purchaseOrderLineSchema,
  releasedProductSchema,
  vendorInvoiceHeaderSchema,
  vendorInvoiceLineSchema,
} from './schemas/purchasing.js';
import { type VendorCreate, type VendorFields, type VendorUpdate, vendorSchema } from './schemas/vendor.js';

/** Entity sets of one legal entity. Every read is filtered by `dataAreaId`; every write carries it. */
export interface FinanceOperationsLegalEntity {
  /** The legal entity id (`dataAreaId`), lower case. */
  readonly dataAreaId: string;
  /** `VendorsV2`, key `dataAreaId` + `VendorAccountNumber`. */
  readonly vendors: WritableEntitySet<VendorFields, { VendorAccountNumber: string }, VendorCreate, VendorUpdate>;
  /** `PurchaseOrderHeadersV2`, key `dataAreaId` + `PurchaseOrderNumber` (read; confirmed orders have `DocumentApprovalStatus` `Confirmed`). */
  readonly purchaseOrderHeaders: ReadableEntitySet<PurchaseOrderHeaderFields, { PurchaseOrderNumber: string }>;
  /** `PurchaseOrderLinesV2`, key `dataAreaId` + `PurchaseOrderNumber` + `LineNumber`. */
  readonly purchaseOrderLines: ReadableEntitySet<PurchaseOrderLineFields, { PurchaseOrderNumber: string; LineNumber: number }>;
  /** Released products (catalog items), key `dataAreaId` + `ItemNumber`. */
  readonly releasedProducts: ReadableEntitySet<ReleasedProductFields, { ItemNumber: string }>;
  /** Pending and posted vendor invoices. */
  readonly vendorInvoices: VendorInvoicesResource;
  /** Dimension values this legal entity may use: shared ones (`LegalEntityId` blank) and its own. */
  readonly financialDimensionValues: Pick<ReadableEntitySet<FinancialDimensionValueFields, never>, 'list'>;
  /** Multipart `$batch` with atomic changesets. */
  readonly batch: BatchResource;
  /** Reads main accounts, dimension values and account structure rules once, for {@link validateCoding}. */
  ledgerReference(options?: { chartOfAccounts?: string; signal?: AbortSignal }): Promise<LedgerReference>;
  /** Validates a main account + dimension combination against the ledger's account structures (reads reference data on first use). */
  validateCoding(coding: LedgerCoding): Promise<CodingValidation>;
}

/** Records of every legal entity (`cross-company=true`), only when asked for. */
export interface FinanceOperationsCrossCompany {
  /** Vendors of all companies the user may access. */
  readonly vendors: ReadableEntitySet<VendorFields, never>;
  /** Purchase order headers of all companies. */
  readonly purchaseOrderHeaders: ReadableEntitySet<PurchaseOrderHeaderFields, never>;
  /** Financial dimension values of all companies (shared and company-specific). */
  readonly financialDimensionValues: ReadableEntitySet<FinancialDimensionValueFields, never>;
}

/** A Dynamics 365 Finance & Operations client. Create it with {@link createFinanceOperationsClient}. */
export interface FinanceOperationsClient {
  /** Entity sets pinned to one legal entity, e.g. `legalEntity('usmf')`. */
  legalEntity(dataAreaId: string): FinanceOperationsLegalEntity;
  /** Cross-company reads (`cross-company=true`). */
  readonly crossCompany: FinanceOperationsCrossCompany;
  /** `MainAccounts` (shared by chart of accounts), key `ChartOfAccounts` + `MainAccountId`. */
  readonly mainAccounts: ReadableEntitySet<MainAccountFields, { ChartOfAccounts: string; MainAccountId: string }>;
  /** `DimensionAttributes` (financial dimensions, shared), key `DimensionName`. */
  readonly dimensionAttributes: ReadableEntitySet<DimensionAttributeFields, { DimensionName: string }>;
  /** Account structure rules (entity set from `accountStructureEntitySet`, UNCONFIRMED). */
  readonly accountStructureRules: Pick<ReadableEntitySet<AccountStructureRule, never>, 'list'>;
  /** Data management package API (bulk export/import). */
  readonly dataManagement: DataManagementResource;
  /** Custom service operations (`/api/services/…`), e.g. completing a workflow work item. */
  readonly services: CustomServicesResource;
  /** Service root `{environment}/data/`. */
  readonly baseUrl: string;
  /** Environment origin (also the token audience). */
  readonly environmentOrigin: string;
  /** Token endpoint used for client credentials. */
  readonly tokenUrl: string;
  /** The transport, for calls this client does not model (same auth, retries and throttle). */
  readonly http: HttpClient;
}

/** Largest number of reference records (accounts, values, rules) read for coding validation. */
const REFERENCE_LIMIT = 1_000_000;

/** Entity set specifications of this client, by public collection name. */
export function entitySetSpecs(options: Pick<FinanceOperationsClientOptions, 'postedInvoiceEntitySet' | 'accountStructureEntitySet' | 'releasedProductEntitySet'> = {}) {
  const spec = (name: string, schema: EntitySetSpec['schema'], keyFields: string[], companySpecific: boolean): EntitySetSpec => ({ name, schema, keyFields, companySpecific });
  return {
    vendors: spec('VendorsV2', vendorSchema, ['VendorAccountNumber'], true),
    purchaseOrderHeaders: spec('PurchaseOrderHeadersV2', purchaseOrderHeaderSchema, ['PurchaseOrderNumber'], true),
    purchaseOrderLines: spec('PurchaseOrderLinesV2', purchaseOrderLineSchema, ['PurchaseOrderNumber', 'LineNumber'], true),
    releasedProducts: spec(options.releasedProductEntitySet ?? FINANCE_OPERATIONS_DEFAULTS.releasedProductEntitySet, releasedProductSchema, ['ItemNumber'], true),
    vendorInvoiceHeaders: spec('VendorInvoiceHeaders', vendorInvoiceHeaderSchema, ['HeaderReference'], true),
    vendorInvoiceLines: spec('VendorInvoiceLines', vendorInvoiceLineSchema, ['HeaderReference', 'InvoiceLineNumber'], true),
    postedVendorInvoices: spec(options.postedInvoiceEntitySet ?? FINANCE_OPERATIONS_DEFAULTS.postedInvoiceEntitySet, postedVendorInvoiceSchema, ['InvoiceId'], true),
    mainAccounts: spec('MainAccounts', mainAccountSchema, ['ChartOfAccounts', 'MainAccountId'], false),
    dimensionAttributes: spec('DimensionAttributes', dimensionAttributeSchema, ['DimensionName'], false),
    financialDimensionValues: spec('FinancialDimensionValues', financialDimensionValueSchema, ['FinancialDimension', 'DimensionValue'], false),
    accountStructureRules: spec(options.accountStructureEntitySet ?? FINANCE_OPERATIONS_DEFAULTS.accountStructureEntitySet, accountStructureRuleSchema, ['AccountStructure', 'DimensionName'], false),
  };
}

/**
 * Creates a typed Dynamics 365 Finance & Operations OData client on core's transport: Entra client credentials
 * (secret or certificate) for `https://{environment host}/.default` honouring `expires_in`,
 * `x-ms-client-request-id`, retries honouring `Retry-After`, and a throttle sized for the service protection
 * limits (see {@link FINANCE_OPERATIONS_THROTTLE_DEFAULTS}).
 *
 * Example:
 *
 * {@includeCode ../examples/client.ts#createFinanceOperationsClient}
 *
 * @throws InvalidInputError for missing or malformed options.
 */
export function createFinanceOperationsClient(options: FinanceOperationsClientOptions): FinanceOperationsClient {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidInputError('options are required: environmentUrl, tenantId and credentials', { field: 'options' });
  }
  const endpoints = resolveEndpoints(options);
  const now = options.now ?? Date.now;
  const tokenProvider = options.tokenProvider ?? credentialsProvider(options, endpoints.tokenUrl, endpoints.scope, now);
  const http = createHttpClient({
    baseUrl: endpoints.baseUrl,
    auth: tokenProvider,
    requestIdHeader: FINANCE_OPERATIONS_DEFAULTS.requestIdHeader,
    ...connectorHttpClientOptions(options, {
      timeoutMs: FINANCE_OPERATIONS_DEFAULTS.timeoutMs,
      throttle: { ...FINANCE_OPERATIONS_THROTTLE_DEFAULTS, now },
    }),
  });
  const specs = entitySetSpecs(options);
  const defaultLegalEntity = options.defaultLegalEntity === undefined ? undefined : normaliseLegalEntity(options.defaultLegalEntity, 'defaultLegalEntity');
  const shared: CompanyScope = { dataAreaId: undefined, crossCompany: false };
  const all: CompanyScope = { dataAreaId: undefined, crossCompany: true };
  const mainAccounts = readableEntitySet<MainAccountFields, { ChartOfAccounts: string; MainAccountId: string }>(http, specs.mainAccounts, shared);
  const accountStructureRules = readableEntitySet<AccountStructureRule, never>(http, specs.accountStructureRules, shared);
  const dimensionValuesAll = readableEntitySet<FinancialDimensionValueFields, never>(http, specs.financialDimensionValues, all);

  const legalEntity = (id: string): FinanceOperationsLegalEntity => {
    const dataAreaId = normaliseLegalEntity(id);
    const scope: CompanyScope = { dataAreaId, crossCompany: dataAreaId !== defaultLegalEntity };
    const batchSpecs = new Map(Object.values(specs).filter((s) => s.companySpecific).map((s) => [s.name, s]));
    const batch = batchResource(http, scope, batchSpecs, endpoints.baseUrl);
    // Shared values have a blank LegalEntityId; values owned by this company carry its id (community pattern).
    const ownOrShared = odataFilter<FinancialDimensionValueFields>((f) => f.or(f.eq('LegalEntityId', ''), f.eq('LegalEntityId', dataAreaId)));
    const dimensionValues: FinanceOperationsLegalEntity['financialDimensionValues'] = {
      list: ((listOptions: ListOptions<FinancialDimensionValueFields> = {}) => {
        const given = listOptions.filter === undefined ? undefined : typeof listOptions.filter === 'function' ? odataFilter(listOptions.filter) : listOptions.filter;
        return dimensionValuesAll.list({ ...listOptions, filter: given ? odataFilter(() => given) : ownOrShared } as ListOptions<FinancialDimensionValueFields>);
      }) as FinanceOperationsLegalEntity['financialDimensionValues']['list'],
    };
    let reference: Promise<LedgerReference> | undefined;
    const ledgerReference = async (refOptions: { chartOfAccounts?: string; signal?: AbortSignal } = {}): Promise<LedgerReference> => {
      const signal = refOptions.signal ? { signal: refOptions.signal } : {};
      const [accounts, values, rules] = await Promise.all([
        mainAccounts.list({ ...(refOptions.chartOfAccounts ? { filter: (f) => f.eq('ChartOfAccounts', refOptions.chartOfAccounts as string) } : {}), ...signal }).toArray({ limit: REFERENCE_LIMIT }),
        dimensionValues.list(signal).toArray({ limit: REFERENCE_LIMIT }),
        accountStructureRules.list(signal).toArray({ limit: REFERENCE_LIMIT }),
      ]);
      return { mainAccounts: accounts, dimensionValues: values, rules };
    };
    return {
      dataAreaId,
      vendors: writableEntitySet(http, specs.vendors, scope),
      purchaseOrderHeaders: readableEntitySet(http, specs.purchaseOrderHeaders, scope),
      purchaseOrderLines: readableEntitySet(http, specs.purchaseOrderLines, scope),
      releasedProducts: readableEntitySet(http, specs.releasedProducts, scope),
      vendorInvoices: vendorInvoicesResource(http, scope, { headers: specs.vendorInvoiceHeaders, lines: specs.vendorInvoiceLines, posted: specs.postedVendorInvoices }, batch),
      financialDimensionValues: dimensionValues,
      batch,
      ledgerReference,
      async validateCoding(coding) {
        reference ??= ledgerReference();
        try {
          return validateLedgerCoding(coding, await reference);
        } catch (error) {
          reference = undefined;
          throw error;
        }
      },
    };
  };

  return {
    legalEntity,
    crossCompany: {
      vendors: readableEntitySet(http, specs.vendors, all),
      purchaseOrderHeaders: readableEntitySet(http, specs.purchaseOrderHeaders, all),
      financialDimensionValues: dimensionValuesAll,
    },
    mainAccounts,
    dimensionAttributes: readableEntitySet(http, specs.dimensionAttributes, shared),
    accountStructureRules: { list: accountStructureRules.list },
    dataManagement: dataManagementResource(http, options.fetch ?? fetch, options.allowLoopback ?? false),
    services: customServicesResource(http, endpoints.environmentOrigin),
    baseUrl: endpoints.baseUrl,
    environmentOrigin: endpoints.environmentOrigin,
    tokenUrl: endpoints.tokenUrl,
    http,
  };
}

function credentialsProvider(options: FinanceOperationsClientOptions, tokenUrl: string, scope: string, now: () => number): TokenProvider {
  const credentials = options.credentials;
  if (!credentials || typeof credentials.clientId !== 'string' || credentials.clientId === '') {
    throw new InvalidInputError('credentials { clientId, clientSecret | clientAssertion } (or tokenProvider) are required', { field: 'credentials' });
  }
  const base = {
    tokenUrl,
    clientId: credentials.clientId,
    scope,
    now,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.tokenCache ? { cache: options.tokenCache } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  };
  return credentials.clientAssertion !== undefined
    ? createClientCredentialsProvider({ ...base, clientAssertion: credentials.clientAssertion })
    : createClientCredentialsProvider({ ...base, clientSecret: credentials.clientSecret });
}
