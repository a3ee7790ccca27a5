import { z } from 'zod';
import type { CDM_ATTRIBUTES } from '../generated/cdm-fields.js';

/**
 * What every record read through this client carries besides its modelled fields: the ETag as `etag`
 * (from `@odata.etag`, sent as `If-Match` on updates) and every unmodelled field, reachable by name.
 */
export interface EntityMeta {
  /** The record's ETag (`@odata.etag`), e.g. `W/"JzEsNTYzNzE0NDU3Nic="`. */
  readonly etag: string | undefined;
  /** The raw `@odata.etag` annotation. */
  readonly '@odata.etag'?: string;
  /** Fields this client does not model, as returned by F&O. */
  readonly [field: string]: unknown;
}

/** A record as returned by this client: modelled fields `T` plus {@link EntityMeta}. */
export type Entity<T> = T & EntityMeta;

/** `@odata.etag` annotation. */
export const odataEtag = { '@odata.etag': z.string().optional() };

/** A collection response `{ value: [...], @odata.nextLink? }` of `item`. */
export function collectionSchema<T extends z.ZodType>(item: T) {
  return z.looseObject({ value: z.array(item), '@odata.nextLink': z.string().optional() });
}

/**
 * A zod schema for the members of an F&O enum. Typed as a plain schema of the member union, so the docs
 * list the members once (in the union) rather than as an undocumented object.
 */
export function foEnum<const T extends readonly [string, ...string[]]>(members: T): z.ZodType<T[number]> {
  return z.enum(members);
}
/** `NoYes` enum as F&O serialises it in JSON (member name). */
export const noYes = foEnum(['No', 'Yes']);
/** F&O `NoYes` member. */
export type NoYes = z.infer<typeof noYes>;
/** An F&O UtcDateTime / date (ISO 8601 text; `1900-01-01T00:00:00Z` means "empty"). */
export const foDateTime = z.string();
/** A legal entity id (`dataAreaId`), e.g. `usmf`. F&O stores it lower case. */
export const dataAreaId = z.string();

/** Names of the CDM entities this package models. */
export type CdmEntityName = keyof typeof CDM_ATTRIBUTES;
/** The attribute names of one CDM entity (generated from Microsoft's CDM definitions). */
export type CdmAttribute<E extends CdmEntityName> = (typeof CDM_ATTRIBUTES)[E][number];

/**
 * Compile-time check that every modelled field `K` is an attribute of CDM entity `E` (or `dataAreaId`,
 * which the CDM leaves out); it fails to type-check when a schema and Microsoft's definition drift apart.
 */
export type CdmFields<E extends CdmEntityName, K extends CdmAttribute<E> | 'dataAreaId'> = K;

/** The named fields of a type, without its index signature (zod's loose objects add `[k: string]: unknown`). */
export type KnownFields<T> = { [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K] };

/** The modelled fields of a record schema: its named output fields without `@odata.etag`. */
export type FieldsOf<S extends z.ZodType> = Omit<KnownFields<z.infer<S>>, '@odata.etag'>;
