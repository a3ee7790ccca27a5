import { z } from 'zod';

/** One ADF link (`rel`: `self`, `canonical`, `child`, `lov`, …). */
export const linkSchema = z.looseObject({ rel: z.string(), href: z.string(), name: z.string().optional(), kind: z.string().optional() });

/** An ADF link. */
export type Link = z.infer<typeof linkSchema>;

/** The `@context` of an item (without `onlyData=true`): its key and ETag. */
export const itemContextSchema = z.looseObject({
  key: z.string().optional(),
  headers: z.looseObject({ ETag: z.string().optional() }).optional(),
  links: z.array(linkSchema).optional(),
});

/** Fields every item read through this client may carry besides its attributes. */
export interface ItemMeta {
  /** Links of the item; `self` is its canonical URL, holding the opaque `…UniqID` key. */
  readonly links?: Link[];
  /** Item context: key and ETag (absent with `onlyData=true`). */
  readonly '@context'?: z.infer<typeof itemContextSchema>;
  /** Attributes this client does not model. */
  readonly [field: string]: unknown;
}

/** An item as returned by this client: modelled attributes `T` plus {@link ItemMeta}. */
export type OracleItem<T> = T & ItemMeta;

/** Shared meta fields for item schemas. */
export const itemMeta = { links: z.array(linkSchema).optional(), '@context': itemContextSchema.optional() };

/**
 * A child collection inside an item: an array (framework versions 1–2) or, from `REST-Framework-Version` 3, a
 * collection object `{ items, count, hasMore, … }`. Both are normalised to an array.
 */
export function childArray<T extends z.ZodType>(item: T) {
  return z
    .union([z.array(item), z.looseObject({ items: z.array(item) })])
    .transform((v) => (Array.isArray(v) ? v : v.items))
    .optional();
}

/** A collection page: `{ items, count, hasMore, limit, offset, totalResults?, links }`. */
export function collectionSchema<T extends z.ZodType>(item: T) {
  return z.looseObject({
    items: z.array(item),
    count: z.number().int(),
    hasMore: z.boolean(),
    limit: z.number().int(),
    offset: z.number().int(),
    totalResults: z.number().int().optional(),
    links: z.array(linkSchema).optional(),
  });
}

/** Timestamp attribute as Oracle returns it, e.g. `2026-01-15T10:20:30.123+00:00`. */
export const timestamp = z.string();
/** Optional nullable string attribute. */
export const optString = z.string().nullish();
/** Optional nullable number attribute. */
export const optNumber = z.number().nullish();
/** Who-columns every Fusion business object carries. */
export const whoColumns = {
  CreationDate: timestamp.nullish(),
  CreatedBy: optString,
  LastUpdateDate: timestamp,
  LastUpdatedBy: optString,
};
