import { DataError, type ReadContext, type SourcePage, type SyncFlow, type SyncSource, type SyncTarget } from '@ml-connector/core/sync';
import { rawFilter as rawFilterText } from '@ml-connector/core';
import type { FinanceOperationsClient } from '@ml-connector/d365-fo';
import type { JaggaerClient, PurchaseOrderInput } from '@ml-connector/jaggaer-j1p';
import { createCodingValueTarget, createSupplierTarget, type CodingValuePayload, type SupplierPayload } from '../bc-master-data/targets.ts';

/** F&O financial dimension → JAGGAER coding segment (dimensions not listed are not sent). */
export const DEFAULT_FO_DIMENSION_SEGMENTS: Readonly<Record<string, string>> = Object.freeze({ Department: 'department', Project: 'project' });

/** Options of {@link createFoMasterDataFlows}. */
export interface FoMasterDataFlowOptions {
  readonly financeOperations: FinanceOperationsClient;
  readonly jaggaer: JaggaerClient;
  /** Legal entity whose vendors and dimension values are sent. @default 'usmf' */
  readonly legalEntity?: string;
  readonly dimensionSegments?: Readonly<Record<string, string>>;
  /** Records per page handed to the engine. @default 200 */
  readonly pageSize?: number;
}

type Row = Record<string, unknown>;

/**
 * A full read of one F&O entity per run, in pages. F&O's vendor, main account and dimension value entities carry no
 * modification timestamp to filter on, so every run reads them whole and the engine's content hash (no `version`)
 * skips what did not change: unchanged records cost no JAGGAER write.
 */
function fullReadSource(stream: string, list: (context: ReadContext) => AsyncIterable<Row>, idOf: (row: Row) => string, pageSize: number): SyncSource<Row> {
  return {
    system: 'd365fo',
    stream,
    query: { stream, mode: 'full-read' },
    async *read(_cursor, context): AsyncIterable<SourcePage<Row>> {
      let page: Row[] = [];
      let n = 0;
      for await (const row of list(context)) {
        page.push(row);
        if (page.length >= pageSize) {
          yield { records: page, cursor: `page:${++n}` };
          page = [];
        }
      }
      yield { records: page, cursor: `page:${++n}` };
    },
    identify: (row) => ({ id: idOf(row), businessIds: [idOf(row)] }),
  };
}

/**
 * The F&O → JAGGAER master data flows, in the order they must run: main accounts and financial dimension values
 * first (JAGGAER coding values, read-only for JAGGAER users), then vendors (suppliers), then confirmed purchase
 * orders (`DocumentApprovalStatus` `Confirmed`, filtered after reading: F&O allows only `eq`/`ne` on enums and the
 * enum type name of that field is UNCONFIRMED).
 */
export function createFoMasterDataFlows(options: FoMasterDataFlowOptions): SyncFlow<Row, CodingValuePayload | SupplierPayload>[] {
  const { financeOperations: fo, jaggaer } = options;
  const legalEntity = fo.legalEntity(options.legalEntity ?? 'usmf');
  const segments = options.dimensionSegments ?? DEFAULT_FO_DIMENSION_SEGMENTS;
  const pageSize = options.pageSize ?? 200;
  const codingValues = createCodingValueTarget(jaggaer);
  const accounts: SyncFlow<Row, CodingValuePayload> = {
    name: 'fo-master-data-accounts',
    source: fullReadSource('mainAccounts', (context) => fo.mainAccounts.list({ signal: context.signal } as never) as AsyncIterable<Row>, (row) => String(row['MainAccountId']), pageSize),
    map: (row) => ({ segment: 'account', code: String(row['MainAccountId']), description: String(row['Name'] ?? ''), active: row['IsSuspended'] !== 'Yes' }),
    target: codingValues,
    mappingVersion: 'fo-accounts:v1',
  };
  const dimensionValues: SyncFlow<Row, CodingValuePayload> = {
    name: 'fo-master-data-dimension-values',
    source: fullReadSource('dimensionValues', (context) => legalEntity.financialDimensionValues.list({ signal: context.signal } as never) as AsyncIterable<Row>, (row) => `${String(row['FinancialDimension'])}/${String(row['DimensionValue'])}`, pageSize),
    map: (row) => {
      const segment = segments[String(row['FinancialDimension'])];
      if (segment === undefined) throw new DataError('missing-mapping', `Financial dimension ${String(row['FinancialDimension'])} has no JAGGAER segment`, { field: 'FinancialDimension' });
      return { segment, code: String(row['DimensionValue']), description: String(row['Description'] ?? ''), active: row['IsSuspended'] !== 'Yes' };
    },
    target: codingValues,
    mappingVersion: `fo-dimension-values:v1;${Object.entries(segments).map(([k, v]) => `${k}=${v}`).join(',')}`,
  };
  const vendors: SyncFlow<Row, SupplierPayload> = {
    name: 'fo-master-data-vendors',
    source: fullReadSource('vendors', (context) => legalEntity.vendors.list({ signal: context.signal } as never) as AsyncIterable<Row>, (row) => String(row['VendorAccountNumber']), pageSize),
    map: (row) => ({
      supplierNumber: String(row['VendorAccountNumber']),
      companyName: String(row['VendorOrganizationName'] ?? ''),
      status: row['OnHoldStatus'] === 'All' ? 'INACTIVE' : 'ACTIVE',
      ...(row['PrimaryEmailAddress'] ? { email: String(row['PrimaryEmailAddress']) } : {}),
    }),
    target: createSupplierTarget(jaggaer),
    mappingVersion: 'fo-vendors:v1;inactive=All',
  };
  // Dimension values are filtered to the segments JAGGAER knows before mapping would send the rest to review.
  const knownDimensions = { ...dimensionValues, source: { ...dimensionValues.source, read: filtered(dimensionValues.source, (row) => Object.hasOwn(segments, String(row['FinancialDimension']))) } };
  const confirmedOrders: SyncFlow<Row, PurchaseOrderInput> = {
    name: 'fo-master-data-purchase-orders',
    source: {
      ...fullReadSource(
        'confirmedPurchaseOrders',
        (context) => confirmedOrdersWithLines(legalEntity, context),
        (row) => String(row['PurchaseOrderNumber']),
        pageSize,
      ),
    },
    map: (row) => {
      const lines = (row['lines'] as Row[]).map((line) => ({
        lineNumber: Number(line['LineNumber']),
        description: String(line['LineDescription'] || `Line ${String(line['LineNumber'])}`),
        quantity: Number(line['OrderedPurchaseQuantity']),
        unitPrice: Number(line['PurchasePrice']),
      }));
      if (lines.length === 0) throw new DataError('no-lines', `purchase order ${String(row['PurchaseOrderNumber'])} has no lines`, { field: 'lines' });
      return { poNumber: String(row['PurchaseOrderNumber']), supplierNumber: String(row['OrderVendorAccountNumber']), currency: String(row['CurrencyCode'] ?? 'USD'), status: 'Open', lines };
    },
    target: purchaseOrderTarget(jaggaer),
    mappingVersion: 'fo-purchase-orders:v1',
  };
  return [accounts, knownDimensions, vendors, confirmedOrders] as SyncFlow<Row, CodingValuePayload | SupplierPayload>[];
}

/** Confirmed purchase orders of the legal entity with their lines (one line request per order). */
async function* confirmedOrdersWithLines(legalEntity: ReturnType<FinanceOperationsClient['legalEntity']>, context: ReadContext): AsyncIterable<Row> {
  for await (const header of legalEntity.purchaseOrderHeaders.list({ signal: context.signal } as never) as AsyncIterable<Row>) {
    if (header['DocumentApprovalStatus'] !== 'Confirmed') continue;
    const number = String(header['PurchaseOrderNumber']).replaceAll("'", "''");
    const lines = await (legalEntity.purchaseOrderLines.list({ filter: rawFilterText(`PurchaseOrderNumber eq '${number}'`), signal: context.signal } as never) as unknown as { toArray(o: { limit: number }): Promise<Row[]> }).toArray({ limit: 10_000 });
    yield { ...header, lines };
  }
}

/** JAGGAER purchase orders: upserts by PO number, so a repeated write is harmless. */
function purchaseOrderTarget(jaggaer: JaggaerClient): SyncTarget<PurchaseOrderInput> {
  const write = async (payload: PurchaseOrderInput, context: ReadContext) => {
    const result = await jaggaer.purchaseOrders.upsert(payload, { signal: context.signal } as never);
    return { document: { id: result.poNumber, locked: false, snapshot: { ...payload } } };
  };
  return {
    system: 'jaggaer',
    naturalKey: (payload) => payload.poNumber,
    // An upsert by natural key: re-sending after an unknown outcome is the adoption.
    find: async () => undefined,
    get: async (targetId) => ({ id: targetId, locked: false }),
    create: write,
    update: (_current, payload, context) => write(payload, context),
  };
}

function filtered(source: SyncSource<Row>, keep: (row: Row) => boolean): SyncSource<Row>['read'] {
  return async function* (cursor, context) {
    for await (const page of source.read(cursor, context)) yield { ...page, records: page.records.filter(keep) };
  };
}
