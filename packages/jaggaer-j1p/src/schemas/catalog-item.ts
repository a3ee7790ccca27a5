import { z } from 'zod';
import { normaliseTimestamp } from '../dates.js';
import { envelopeSchema, listOf, numberLike, pagedEnvelopeSchema, toBoolean, toNumber, toText } from './common.js';

/** Wire shape of one catalog item (UNCONFIRMED); loose. */
export const catalogItemSchema = z.looseObject({
  itemNumber: z.union([z.string(), z.number()]),
  description: z.string().nullish(),
  unitOfMeasure: z.string().nullish(),
  price: z.looseObject({ amount: numberLike.nullish(), currency: z.string().nullish() }).nullish(),
  category: z.string().nullish(),
  supplier: z.looseObject({ supplierNumber: z.union([z.string(), z.number()]).nullish() }).nullish(),
  active: z.union([z.boolean(), z.string()]).nullish(),
  lastModTime: z.string().nullish(),
});

/** Wire shape of the catalog item list (UNCONFIRMED). */
export const catalogItemListResponseSchema = pagedEnvelopeSchema.extend({ returnCatalogItemData: listOf(catalogItemSchema) });

/** Wire shape of the batch upsert answer (UNCONFIRMED). */
export const catalogItemUpsertResponseSchema = envelopeSchema.extend({
  totRecords: numberLike.optional(),
  created: numberLike.optional(),
  updated: numberLike.optional(),
  unchanged: numberLike.optional(),
});

/** A catalog item the ERP maintains in JAGGAER (read-only for JAGGAER users). */
export interface CatalogItem {
  /** ERP item number (natural key). */
  itemNumber: string;
  description?: string;
  unitOfMeasure?: string;
  /** Unit price. */
  price?: number;
  currency?: string;
  /** Commodity / procurement category. */
  category?: string;
  /** Preferred supplier. */
  supplierNumber?: string;
  /** Whether users may still order it. */
  active?: boolean;
  /** Last modification as ISO 8601. */
  lastModified?: string;
  /** The item as received, including fields this model does not name. */
  raw: Record<string, unknown>;
}

/** Maps a validated wire item to {@link CatalogItem}. */
export function toCatalogItem(value: z.infer<typeof catalogItemSchema>): CatalogItem {
  const out: CatalogItem = { itemNumber: String(value.itemNumber), raw: value as Record<string, unknown> };
  const set = <K extends keyof CatalogItem>(key: K, v: CatalogItem[K] | undefined) => {
    if (v !== undefined) out[key] = v;
  };
  set('description', toText(value.description));
  set('unitOfMeasure', toText(value.unitOfMeasure));
  set('price', toNumber(value.price?.amount));
  set('currency', toText(value.price?.currency));
  set('category', toText(value.category));
  set('supplierNumber', toText(value.supplier?.supplierNumber));
  set('active', toBoolean(value.active));
  set('lastModified', normaliseTimestamp(toText(value.lastModTime)));
  return out;
}
