import { DataError, type ReadContext, type SyncFlow, type SyncSource, type SyncTarget } from '@ml-connector/core/sync';
import { rawFilter as rawFilterText, odataFilter } from '@ml-connector/core';
import { type DimensionDisplayFormat, type FinanceOperationsClient, parseDimensionDisplayValue } from '@ml-connector/d365-fo';
import type { CatalogItemInput, JaggaerClient, PurchaseOrderInput } from '@ml-connector/jaggaer-j1p';
import { createCodingValueTarget, createSupplierTarget, type CodingValuePayload, type SupplierPayload } from '../bc-master-data/targets.ts';
import { createFoMasterDataSource, type FoBulkReadOptions, type FoPackageProgress } from './source.ts';

/** F&O financial dimension → JAGGAER coding segment (dimensions not listed are not sent). */
export const DEFAULT_FO_DIMENSION_SEGMENTS: Readonly<Record<string, string>> = Object.freeze({ Department: 'department', Project: 'project' });

/** The integration format of default dimension display values on purchase order lines (F&O setting). */
export const DEFAULT_FO_DIMENSION_FORMAT: DimensionDisplayFormat = Object.freeze({ dimensions: Object.freeze(['Department', 'Project']), delimiter: '-' });

/** The master data streams, in the order they run. */
export type FoMasterDataStream = 'mainAccounts' | 'dimensionValues' | 'vendors' | 'releasedProducts' | 'purchaseOrders';

/**
 * Data projects (definition groups) the sandbox ships, one incremental-push project per entity with change tracking
 * on. On a real environment create your own (Data management > Export, "Incremental push", change tracking enabled
 * on the entity) and name them in `dataProjects`.
 */
export const EMULATOR_FO_DATA_PROJECTS: Readonly<Record<FoMasterDataStream, string>> = Object.freeze({
  mainAccounts: 'MLC-MainAccounts',
  dimensionValues: 'MLC-FinancialDimensionValues',
  vendors: 'MLC-VendorsV2',
  releasedProducts: 'MLC-ReleasedProductsV2',
  purchaseOrders: 'MLC-PurchaseOrderHeadersV2',
});

/** Options of {@link createFoMasterDataFlows}. */
export interface FoMasterDataFlowOptions {
  readonly financeOperations: FinanceOperationsClient;
  readonly jaggaer: JaggaerClient;
  /** Legal entity whose vendors and dimension values are sent. @default 'usmf' */
  readonly legalEntity?: string;
  readonly dimensionSegments?: Readonly<Record<string, string>>;
  /** Format of `DefaultLedgerDimensionDisplayValue` on purchase order lines. @default Department-Project, `-` */
  readonly dimensionFormat?: DimensionDisplayFormat;
  /** Records per page handed to the engine. @default 200 */
  readonly pageSize?: number;
  /**
   * Data projects per stream for the package first load and change-tracking deltas. Streams without one are read
   * over OData every run (hash-skipped). @default none
   */
  readonly dataProjects?: Partial<Record<FoMasterDataStream, string>>;
  /** First loads at or above this many records go through the package API. @default 5000 */
  readonly bulkThreshold?: number;
  /** Export job polling. */
  readonly wait?: FoBulkReadOptions['wait'];
  /** Progress of package reads. */
  readonly onProgress?: (progress: FoPackageProgress) => void;
  /**
   * Currency of released product purchase prices (the legal entity's accounting currency: the entity carries none,
   * UNCONFIRMED). @default 'USD'
   */
  readonly catalogCurrency?: string;
}

type Row = Record<string, unknown>;
type LegalEntity = ReturnType<FinanceOperationsClient['legalEntity']>;

const VENDOR_FIELDS = ['dataAreaId', 'VendorAccountNumber', 'VendorOrganizationName', 'OnHoldStatus', 'PrimaryEmailAddress'] as const;
const ACCOUNT_FIELDS = ['ChartOfAccounts', 'MainAccountId', 'Name', 'IsSuspended'] as const;
const DIMENSION_VALUE_FIELDS = ['FinancialDimension', 'DimensionValue', 'Description', 'IsSuspended', 'LegalEntityId'] as const;
const PRODUCT_FIELDS = ['dataAreaId', 'ItemNumber', 'ProductName', 'SearchName', 'PurchaseUnitSymbol', 'PurchasePrice', 'ProcurementProductCategoryName'] as const;
const ORDER_FIELDS = ['dataAreaId', 'PurchaseOrderNumber', 'OrderVendorAccountNumber', 'CurrencyCode', 'DocumentApprovalStatus'] as const;
const LINE_FIELDS = ['LineNumber', 'LineDescription', 'OrderedPurchaseQuantity', 'PurchasePrice', 'PurchaseUnitSymbol', 'MainAccountId', 'MainAccountIdDisplayValue', 'DefaultLedgerDimensionDisplayValue'] as const;

const asText = (value: unknown) => (value === null || value === undefined ? '' : String(value));

/** A confirmed purchase order as the flow reads it: header fields plus its lines (read over OData). */
export async function purchaseOrderRecord(legalEntity: LegalEntity, header: Row, signal?: AbortSignal): Promise<Row> {
  const number = asText(header['PurchaseOrderNumber']).replaceAll("'", "''");
  const lines = await (legalEntity.purchaseOrderLines.list({ filter: rawFilterText(`PurchaseOrderNumber eq '${number}'`), ...(signal ? { signal } : {}) } as never) as unknown as { toArray(o: { limit: number }): Promise<Row[]> }).toArray({ limit: 10_000 });
  const order: Row = Object.fromEntries(ORDER_FIELDS.map((f) => [f, asText(header[f])]));
  order['lines'] = lines
    .map((line) => Object.fromEntries(LINE_FIELDS.map((f) => [f, asText(line[f])])))
    .sort((a, b) => Number(a['LineNumber']) - Number(b['LineNumber']));
  return order;
}

/**
 * The F&O → JAGGAER master data flows, in the order they must run: main accounts and financial dimension values
 * first (JAGGAER coding values, read-only for JAGGAER users), then vendors (suppliers), released products (catalog
 * items), then confirmed purchase
 * orders with their line coding (`DocumentApprovalStatus` `Confirmed`, filtered after reading: F&O allows only
 * `eq`/`ne` on enums and the enum type name of that field is UNCONFIRMED). Each stream's first load goes through the
 * package API when large, and later runs read only the changes when a change-tracked data project is named.
 */
export function createFoMasterDataFlows(options: FoMasterDataFlowOptions): SyncFlow<Row, CodingValuePayload | SupplierPayload>[] {
  const { financeOperations: fo, jaggaer } = options;
  const legalEntityId = (options.legalEntity ?? 'usmf').toLowerCase();
  const legalEntity = fo.legalEntity(legalEntityId);
  const segments = options.dimensionSegments ?? DEFAULT_FO_DIMENSION_SEGMENTS;
  const format = options.dimensionFormat ?? DEFAULT_FO_DIMENSION_FORMAT;
  const codingValues = createCodingValueTarget(jaggaer);
  const source = (stream: FoMasterDataStream, spec: Omit<Parameters<typeof createFoMasterDataSource>[0], 'stream' | 'legalEntity' | 'dataManagement' | 'pageSize' | 'bulkThreshold' | 'definitionGroupId' | 'wait' | 'onProgress'>): SyncSource<Row> =>
    createFoMasterDataSource({
      stream,
      legalEntity: legalEntityId,
      dataManagement: fo.dataManagement,
      ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
      ...(options.bulkThreshold !== undefined ? { bulkThreshold: options.bulkThreshold } : {}),
      ...(options.dataProjects?.[stream] ? { definitionGroupId: options.dataProjects[stream] } : {}),
      ...(options.wait ? { wait: options.wait } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...spec,
    });

  const accounts: SyncFlow<Row, CodingValuePayload> = {
    name: 'fo-master-data-accounts',
    source: source('mainAccounts', {
      packageEntityName: 'Main accounts',
      fields: ACCOUNT_FIELDS,
      count: (context) => fo.mainAccounts.count({ signal: context.signal }),
      list: (context) => fo.mainAccounts.list({ signal: context.signal }) as AsyncIterable<Row>,
      idOf: (row) => asText(row['MainAccountId']),
    }),
    map: (row) => ({ segment: 'account', code: asText(row['MainAccountId']), description: asText(row['Name']), active: row['IsSuspended'] !== 'Yes' }),
    target: codingValues,
    mappingVersion: 'fo-accounts:v1',
  };
  // Shared values (blank LegalEntityId) and the company's own, of the dimensions JAGGAER has segments for.
  const ownOrShared = odataFilter<Row>((f) => f.or(f.eq('LegalEntityId', ''), f.eq('LegalEntityId', legalEntityId)));
  const dimensionValues: SyncFlow<Row, CodingValuePayload> = {
    name: 'fo-master-data-dimension-values',
    source: source('dimensionValues', {
      packageEntityName: 'Financial dimension values',
      fields: DIMENSION_VALUE_FIELDS,
      count: (context) => fo.crossCompany.financialDimensionValues.count({ filter: ownOrShared as never, signal: context.signal }),
      list: (context) => legalEntity.financialDimensionValues.list({ signal: context.signal }) as AsyncIterable<Row>,
      keep: (row) => Object.hasOwn(segments, asText(row['FinancialDimension'])) && (row['LegalEntityId'] === '' || asText(row['LegalEntityId']).toLowerCase() === legalEntityId),
      idOf: (row) => `${asText(row['FinancialDimension'])}/${asText(row['DimensionValue'])}`,
    }),
    map: (row) => {
      const segment = segments[asText(row['FinancialDimension'])];
      if (segment === undefined) throw new DataError('missing-mapping', `Financial dimension ${asText(row['FinancialDimension'])} has no JAGGAER segment`, { field: 'FinancialDimension' });
      return { segment, code: asText(row['DimensionValue']), description: asText(row['Description']), active: row['IsSuspended'] !== 'Yes' };
    },
    target: codingValues,
    mappingVersion: `fo-dimension-values:v1;${Object.entries(segments).map(([k, v]) => `${k}=${v}`).join(',')}`,
  };
  const vendors: SyncFlow<Row, SupplierPayload> = {
    name: 'fo-master-data-vendors',
    source: source('vendors', {
      packageEntityName: 'Vendors V2',
      fields: VENDOR_FIELDS,
      count: (context) => legalEntity.vendors.count({ signal: context.signal }),
      list: (context) => legalEntity.vendors.list({ signal: context.signal }) as AsyncIterable<Row>,
      idOf: (row) => asText(row['VendorAccountNumber']),
    }),
    map: (row) => ({
      supplierNumber: asText(row['VendorAccountNumber']),
      companyName: asText(row['VendorOrganizationName']),
      status: row['OnHoldStatus'] === 'All' ? 'INACTIVE' : 'ACTIVE',
      ...(row['PrimaryEmailAddress'] ? { email: asText(row['PrimaryEmailAddress']) } : {}),
    }),
    target: createSupplierTarget(jaggaer),
    mappingVersion: 'fo-vendors:v1;inactive=All',
  };
  const catalogCurrency = options.catalogCurrency ?? 'USD';
  const catalogItems: SyncFlow<Row, CatalogItemInput> = {
    name: 'fo-master-data-catalog-items',
    source: source('releasedProducts', {
      packageEntityName: 'Released products V2',
      fields: PRODUCT_FIELDS,
      count: (context) => legalEntity.releasedProducts.count({ signal: context.signal }),
      list: (context) => legalEntity.releasedProducts.list({ signal: context.signal }) as AsyncIterable<Row>,
      idOf: (row) => asText(row['ItemNumber']),
    }),
    map: (row) => {
      const price = Number(row['PurchasePrice']);
      if (!Number.isFinite(price) || price < 0) throw new DataError('invalid-price', `released product ${asText(row['ItemNumber'])} has purchase price '${asText(row['PurchasePrice'])}'`, { field: 'PurchasePrice' });
      return {
        itemNumber: asText(row['ItemNumber']),
        description: asText(row['ProductName']) || asText(row['SearchName']) || asText(row['ItemNumber']),
        unitOfMeasure: (asText(row['PurchaseUnitSymbol']) || 'ea').toUpperCase(),
        price: { amount: price, currency: catalogCurrency },
        ...(row['ProcurementProductCategoryName'] ? { category: asText(row['ProcurementProductCategoryName']) } : {}),
        active: true,
      };
    },
    target: catalogItemTarget(jaggaer),
    mappingVersion: `fo-catalog-items:v1;${catalogCurrency}`,
  };
  const confirmedOrders: SyncFlow<Row, PurchaseOrderInput> = {
    name: FO_PURCHASE_ORDERS_FLOW,
    source: source('purchaseOrders', {
      packageEntityName: 'Purchase order headers V2',
      fields: ORDER_FIELDS,
      count: (context) => legalEntity.purchaseOrderHeaders.count({ signal: context.signal }),
      list: (context) => legalEntity.purchaseOrderHeaders.list({ signal: context.signal }) as AsyncIterable<Row>,
      keep: (row) => row['DocumentApprovalStatus'] === 'Confirmed',
      enrich: (row, context) => purchaseOrderRecord(legalEntity, row, context.signal),
      idOf: (row) => asText(row['PurchaseOrderNumber']),
    }),
    map: (row) => mapPurchaseOrder(row, segments, format, knownDimensionValues),
    target: purchaseOrderTarget(jaggaer),
    mappingVersion: `fo-purchase-orders:v2;${format.dimensions.join(format.delimiter ?? '-')};${Object.entries(segments).map(([k, v]) => `${k}=${v}`).join(',')}`,
  };
  // Dimension values resolve display values whose values contain the delimiter (`P-100`); read once per 10 minutes.
  let known: { at: number; values: Promise<Record<string, string[]>> } | undefined;
  function knownDimensionValues(): Promise<Record<string, string[]>> {
    if (!known || Date.now() - known.at > 600_000) {
      const values = (async () => {
        const out: Record<string, string[]> = {};
        for await (const row of legalEntity.financialDimensionValues.list() as AsyncIterable<Row>) (out[asText(row['FinancialDimension'])] ??= []).push(asText(row['DimensionValue']));
        return out;
      })();
      values.catch(() => (known = undefined));
      known = { at: Date.now(), values };
    }
    return known.values;
  }
  return [accounts, dimensionValues, vendors, catalogItems, confirmedOrders] as SyncFlow<Row, CodingValuePayload | SupplierPayload>[];
}

/** Name of the purchase order flow (its ledger, audit and review queue). */
export const FO_PURCHASE_ORDERS_FLOW = 'fo-master-data-purchase-orders';

/**
 * A confirmed order as a JAGGAER purchase order: each line coded with its main account and the financial dimensions
 * of its default dimension display value, mapped to JAGGAER segments. JAGGAER needs account, department and
 * project on every line: a line without them is a data error (review), not a rejected write.
 */
async function mapPurchaseOrder(row: Row, segments: Readonly<Record<string, string>>, format: DimensionDisplayFormat, knownValues: () => Promise<Record<string, string[]>>): Promise<PurchaseOrderInput> {
  const number = asText(row['PurchaseOrderNumber']);
  const rows = row['lines'] as Row[];
  if (rows.length === 0) throw new DataError('no-lines', `purchase order ${number} has no lines`, { field: 'lines' });
  const known = await knownValues();
  const lines = rows.map((line) => {
    const lineNumber = Number(line['LineNumber']);
    const account = asText(line['MainAccountIdDisplayValue']) || asText(line['MainAccountId']);
    let dimensions: Record<string, string>;
    try {
      dimensions = parseDimensionDisplayValue(asText(line['DefaultLedgerDimensionDisplayValue']), format, known);
    } catch (error) {
      throw new DataError('unreadable-dimensions', `purchase order ${number} line ${lineNumber}: ${(error as Error).message}`, { field: 'DefaultLedgerDimensionDisplayValue' });
    }
    const coding: Record<string, string> = { ...(account ? { account } : {}) };
    for (const [dimension, value] of Object.entries(dimensions)) {
      const segment = segments[dimension];
      if (segment !== undefined) coding[segment] = value;
    }
    const missing = ['account', ...Object.values(segments)].filter((segment) => !coding[segment]);
    if (missing.length > 0) throw new DataError('incomplete-coding', `purchase order ${number} line ${lineNumber} has no ${missing.join(', ')} (JAGGAER codes every line with account, ${Object.values(segments).join(', ')})`, { field: 'DefaultLedgerDimensionDisplayValue' });
    return {
      lineNumber,
      description: asText(line['LineDescription']) || `Line ${lineNumber}`,
      quantity: Number(line['OrderedPurchaseQuantity']),
      unitPrice: Number(line['PurchasePrice']),
      ...(line['PurchaseUnitSymbol'] ? { unitOfMeasure: asText(line['PurchaseUnitSymbol']).toUpperCase() } : {}),
      coding,
    };
  });
  return { poNumber: number, supplierNumber: asText(row['OrderVendorAccountNumber']), currency: asText(row['CurrencyCode']) || 'USD', status: 'Open', lines };
}

/**
 * A JAGGAER target written by upsert on its natural key, so a repeated write is harmless and re-sending after an
 * unknown outcome is the adoption (`find` never needs to look).
 */
function upsertTarget<T extends object>(naturalKey: (payload: T) => string, upsert: (payload: T, context: ReadContext) => Promise<string>): SyncTarget<T> {
  const write = async (payload: T, context: ReadContext) => ({ document: { id: await upsert(payload, context), locked: false, snapshot: { ...payload } as Readonly<Record<string, unknown>> } });
  return {
    system: 'jaggaer',
    naturalKey,
    find: async () => undefined,
    get: async (targetId) => ({ id: targetId, locked: false }),
    create: write,
    update: (_current, payload, context) => write(payload, context),
  };
}

/** JAGGAER catalog items: upserts by item number (a batch of one). */
const catalogItemTarget = (jaggaer: JaggaerClient): SyncTarget<CatalogItemInput> =>
  upsertTarget(
    (payload) => payload.itemNumber,
    async (payload, context) => {
      await jaggaer.catalogItems.upsert([payload], { signal: context.signal } as never);
      return payload.itemNumber;
    },
  );

/** JAGGAER purchase orders: upserts by PO number. */
const purchaseOrderTarget = (jaggaer: JaggaerClient): SyncTarget<PurchaseOrderInput> =>
  upsertTarget(
    (payload) => payload.poNumber,
    async (payload, context) => (await jaggaer.purchaseOrders.upsert(payload, { signal: context.signal } as never)).poNumber,
  );
