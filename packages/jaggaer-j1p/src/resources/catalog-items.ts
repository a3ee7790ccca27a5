import { InvalidInputError, type PagedAsyncIterable } from '@ml-connector/core';
import type { JaggaerDateInput } from '../dates.js';
import { sendJaggaer } from '../request.js';
import { type CatalogItem, catalogItemListResponseSchema, catalogItemUpsertResponseSchema, toCatalogItem } from '../schemas/catalog-item.js';
import { toNumber } from '../schemas/common.js';
import { type CallOptions, type FilterCondition, type ResourceContext, type UpsertOptions, buildFilter, jaListing, modifiedSinceCondition, operationOf, requireText } from './shared.js';

/** A catalog item to maintain in JAGGAER from the ERP (a released product). */
export interface CatalogItemInput {
  /** ERP item number (natural key). */
  itemNumber: string;
  /** Description; required to create. */
  description?: string;
  /** Unit of measure, e.g. `EA`; required to create. */
  unitOfMeasure?: string;
  /** Unit price (>= 0) and its ISO 4217 currency; required to create. */
  price?: { amount: number; currency: string };
  /** Commodity / procurement category. */
  category?: string;
  /** Preferred supplier (must exist in JAGGAER). */
  supplierNumber?: string;
  /** `false` keeps the item on old documents but stops users ordering it. */
  active?: boolean;
}

/** Counts of a catalog item upsert. */
export interface CatalogItemUpsertCounts {
  total: number;
  created: number;
  updated: number;
  unchanged: number;
}

/** Filters of {@link CatalogItemsResource.list}. */
export interface CatalogItemListOptions extends CallOptions {
  /** Only active (`true`) or inactive (`false`) items. */
  active?: boolean;
  /** Only items modified at or after this instant. */
  modifiedSince?: JaggaerDateInput;
  /** Extra raw `flt` conditions. */
  filter?: string;
}

/** Catalog items the ERP maintains (endpoint and body UNCONFIRMED; override `paths.catalogItems`). */
export interface CatalogItemsResource {
  /**
   * Upserts items in batches of `codingValueBatchSize` (default 1000), one request after another; each batch is
   * all-or-nothing on the server, the whole call is not. Returns summed counts.
   */
  upsert(items: readonly CatalogItemInput[], options?: UpsertOptions): Promise<CatalogItemUpsertCounts>;
  /** Catalog items matching the filters; resumable with `byPage({continuationToken})`. */
  list(options?: CatalogItemListOptions): PagedAsyncIterable<CatalogItem>;
}

function wireItem(item: CatalogItemInput, i: number): Record<string, unknown> {
  const field = `items[${i}]`;
  if (typeof item !== 'object' || item === null) throw new InvalidInputError(`${field} must be a catalog item`, { field });
  const out: Record<string, unknown> = { itemNumber: requireText(item.itemNumber, `${field}.itemNumber`) };
  if (item.description !== undefined) out.description = requireText(item.description, `${field}.description`);
  if (item.unitOfMeasure !== undefined) out.unitOfMeasure = requireText(item.unitOfMeasure, `${field}.unitOfMeasure`);
  if (item.price !== undefined) {
    if (!Number.isFinite(item.price.amount) || item.price.amount < 0) throw new InvalidInputError(`${field}.price.amount must be a number >= 0`, { field: `${field}.price.amount` });
    if (!/^[A-Z]{3}$/.test(String(item.price.currency))) throw new InvalidInputError(`${field}.price.currency must be an ISO 4217 code like USD`, { field: `${field}.price.currency` });
    out.price = { amount: item.price.amount, currency: item.price.currency };
  }
  if (item.category !== undefined) out.category = requireText(item.category, `${field}.category`);
  if (item.supplierNumber !== undefined) out.supplier = { supplierNumber: requireText(item.supplierNumber, `${field}.supplierNumber`) };
  if (item.active !== undefined) out.active = item.active;
  return out;
}

/** Creates the catalog items resource. */
export function createCatalogItemsResource(ctx: ResourceContext): CatalogItemsResource {
  return {
    async upsert(items, options = {}) {
      const operationCode = operationOf(options);
      if (!Array.isArray(items)) throw new InvalidInputError('items must be an array of catalog items', { field: 'items' });
      const seen = new Set<string>();
      const wire = items.map((item, i) => {
        const out = wireItem(item, i);
        const key = String(out.itemNumber).toUpperCase();
        if (seen.has(key)) throw new InvalidInputError(`Catalog item ${String(out.itemNumber)} appears twice`, { field: `items[${i}].itemNumber` });
        seen.add(key);
        return out;
      });
      const totals: CatalogItemUpsertCounts = { total: 0, created: 0, updated: 0, unchanged: 0 };
      for (let i = 0; i < wire.length; i += ctx.codingValueBatchSize) {
        const batch = wire.slice(i, i + ctx.codingValueBatchSize);
        const { data } = await sendJaggaer(ctx.http, {
          method: 'POST',
          path: ctx.paths.catalogItems,
          json: { operationCode, catalogItemList: { catalogItem: batch } },
          schema: catalogItemUpsertResponseSchema,
          operation: 'catalogItems.upsert',
          idempotent: operationCode === 'CREATEUPDATE',
          ...(options.signal ? { signal: options.signal } : {}),
        });
        totals.total += toNumber(data.totRecords) ?? batch.length;
        totals.created += toNumber(data.created) ?? 0;
        totals.updated += toNumber(data.updated) ?? 0;
        totals.unchanged += toNumber(data.unchanged) ?? 0;
      }
      return totals;
    },
    list(options = {}) {
      const conditions: FilterCondition[] = [...modifiedSinceCondition(options.modifiedSince, 'modifiedSince')];
      if (options.active !== undefined) conditions.push(['ACTIVE', '==', String(options.active)]);
      return jaListing(ctx, {
        path: ctx.paths.catalogItems,
        schema: catalogItemListResponseSchema,
        select: (body) => body.returnCatalogItemData,
        map: toCatalogItem,
        flt: buildFilter(conditions, options.filter),
        operation: 'catalogItems.list',
        ...(options.signal ? { signal: options.signal } : {}),
      });
    },
  };
}
