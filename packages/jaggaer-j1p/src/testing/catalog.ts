/**
 * Catalog items of the sandbox: items the ERP maintains (its released products) that JAGGAER users pick on
 * requisitions, read-only for them. The J1P path and body are UNCONFIRMED (no public JAGGAER documentation of a
 * catalog item API was found); they follow the coding value pattern: a batch `{operationCode,
 * catalogItemList:{catalogItem:[…]}}` of at most 1000 items, all or nothing, keyed by the ERP item number.
 */
import { z } from 'zod';
import { badRequest, conflict, notFound } from './errors.js';
import { formatJaTimestamp } from './render.js';

/** A catalog item as the sandbox keeps it. */
export interface JaggaerCatalogItem {
  /** ERP item number (natural key, case-insensitive). */
  itemNumber: string;
  description: string;
  /** Unit of measure, e.g. `EA`. */
  unitOfMeasure: string;
  /** Unit price (>= 0). */
  price: number;
  /** ISO 4217 currency. */
  currency: string;
  /** Commodity / procurement category. */
  category?: string;
  /** Preferred supplier (must exist). */
  supplierNumber?: string;
  /** False: kept on old documents, not orderable. */
  active: boolean;
  /** Epoch ms of the last change. */
  lastModTime: number;
}

const text = (max: number) => z.string().trim().min(1).max(max);
const itemSchema = z.object({
  itemNumber: text(50),
  description: text(250).optional(),
  unitOfMeasure: text(10).optional(),
  price: z.object({ amount: z.number().refine((n) => Number.isFinite(n) && n >= 0, 'must be a number >= 0'), currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like USD') }).optional(),
  category: text(100).optional(),
  supplier: z.object({ supplierNumber: text(50) }).optional(),
  active: z.boolean().optional(),
});
const bodySchema = z.object({
  operationCode: z.enum(['CREATE', 'UPDATE', 'CREATEUPDATE']),
  catalogItemList: z.object({ catalogItem: z.array(itemSchema).min(1).max(1000) }),
});

/** Catalog items by item number, with the batch upsert rules. */
export class CatalogItemStore {
  private readonly items = new Map<string, JaggaerCatalogItem>();
  private lastStamp = 0;

  constructor(
    seed: readonly JaggaerCatalogItem[],
    private readonly supplierExists: (supplierNumber: string) => boolean,
    private readonly now: () => number,
  ) {
    for (const item of seed) this.items.set(item.itemNumber.toUpperCase(), { ...item });
  }

  /** All items, by item number. */
  all(): JaggaerCatalogItem[] {
    return [...this.items.values()].sort((a, b) => a.itemNumber.localeCompare(b.itemNumber));
  }

  /** One item. */
  get(itemNumber: string): JaggaerCatalogItem | undefined {
    return this.items.get(itemNumber.toUpperCase());
  }

  private stamp(): number {
    this.lastStamp = Math.max(this.now(), this.lastStamp + 1);
    return this.lastStamp;
  }

  /** Applies a batch body; answers the counts. Every item is checked before any is written. */
  upsert(body: unknown): { totRecords: number; created: number; updated: number; unchanged: number } {
    const parsed = bodySchema.safeParse(body);
    if (!parsed.success) {
      throw badRequest(`Invalid request: ${parsed.error.issues.slice(0, 10).map((i) => `${i.path.map(String).join('.') || 'body'}: ${i.message}`).join('; ')}`);
    }
    const { operationCode, catalogItemList } = parsed.data;
    const seen = new Set<string>();
    catalogItemList.catalogItem.forEach((item, i) => {
      const key = item.itemNumber.toUpperCase();
      const where = `catalogItemList.catalogItem[${i}]`;
      if (seen.has(key)) throw badRequest(`${where}: item ${item.itemNumber} appears twice in the request.`);
      seen.add(key);
      const existing = this.items.get(key);
      if (operationCode === 'CREATE' && existing) throw conflict(`Catalog item ${item.itemNumber} already exists.`);
      if (operationCode === 'UPDATE' && !existing) throw notFound(`Catalog item ${item.itemNumber} not found.`);
      if (!existing && (!item.description || !item.price || !item.unitOfMeasure)) throw badRequest(`${where}: description, unitOfMeasure and price are required to create item ${item.itemNumber}.`);
      if (item.supplier && !this.supplierExists(item.supplier.supplierNumber)) throw badRequest(`${where}: supplier ${item.supplier.supplierNumber} does not exist.`);
    });
    const counts = { totRecords: catalogItemList.catalogItem.length, created: 0, updated: 0, unchanged: 0 };
    for (const item of catalogItemList.catalogItem) {
      const key = item.itemNumber.toUpperCase();
      const existing = this.items.get(key);
      const next: JaggaerCatalogItem = {
        itemNumber: existing?.itemNumber ?? item.itemNumber,
        description: item.description ?? existing!.description,
        unitOfMeasure: item.unitOfMeasure ?? existing!.unitOfMeasure,
        price: item.price?.amount ?? existing!.price,
        currency: item.price?.currency ?? existing!.currency,
        active: item.active ?? existing?.active ?? true,
        lastModTime: existing?.lastModTime ?? 0,
        ...((item.category ?? existing?.category) !== undefined ? { category: (item.category ?? existing?.category) as string } : {}),
        ...((item.supplier?.supplierNumber ?? existing?.supplierNumber) !== undefined ? { supplierNumber: (item.supplier?.supplierNumber ?? existing?.supplierNumber) as string } : {}),
      };
      if (existing && JSON.stringify(existing) === JSON.stringify(next)) {
        counts.unchanged++;
        continue;
      }
      next.lastModTime = this.stamp();
      this.items.set(key, next);
      if (existing) counts.updated++;
      else counts.created++;
    }
    return counts;
  }
}

/** The wire form of a catalog item in a list answer. */
export function renderCatalogItem(item: JaggaerCatalogItem): Record<string, unknown> {
  return {
    itemNumber: item.itemNumber,
    description: item.description,
    unitOfMeasure: item.unitOfMeasure,
    price: { amount: item.price, currency: item.currency },
    ...(item.category !== undefined ? { category: item.category } : {}),
    ...(item.supplierNumber !== undefined ? { supplier: { supplierNumber: item.supplierNumber } } : {}),
    active: item.active,
    lastModTime: formatJaTimestamp(item.lastModTime),
  };
}

/** `flt` keys of the catalog item list. */
export const CATALOG_ITEM_FIELDS: Record<string, (item: JaggaerCatalogItem) => string | number> = {
  ITEMNUMBER: (item) => item.itemNumber,
  ACTIVE: (item) => String(item.active),
  SUPPLIERNUMBER: (item) => item.supplierNumber ?? '',
  LASTMODTIME: (item) => item.lastModTime,
};
