import { z } from 'zod';
import type { components } from '../generated/bc-v1.js';

/** Schemas of the (v1.0) OpenAPI document, generated into `src/generated/bc-v1.ts`. */
type V1Schemas = components['schemas'];

/**
 * The fields `K` of the v1.0 OpenAPI schema `S`, made required and non-null. Used for the field sets that
 * v1.0 and v2.0 share, so our v2.0 models stay tied to Microsoft's published spec.
 */
export type V1CommonFields<S extends keyof V1Schemas, K extends keyof V1Schemas[S]> = {
  -readonly [P in K]-?: NonNullable<V1Schemas[S][P]>;
};

/**
 * What every entity read through this client carries besides its modelled fields: the ETag as `etag`
 * (from `@odata.etag`, needed for `If-Match`), the raw annotation, and every field we do not model
 * (reachable by name, typed `unknown`).
 */
export interface EntityMeta {
  /** The entity's ETag (`@odata.etag`), e.g. `W/"JzQ0O0…"`; pass it to `update()`/`delete()`. */
  readonly etag: string | undefined;
  /** The raw `@odata.etag` annotation as returned by Business Central. */
  readonly '@odata.etag'?: string;
  /** Fields this client does not model, as returned by the server. */
  readonly [field: string]: unknown;
}

/** An entity as returned by this client: modelled fields `T` plus {@link EntityMeta}. */
export type Entity<T> = T & EntityMeta;

/** Shared `@odata.etag` annotation field. */
export const odataEtag = { '@odata.etag': z.string().optional() };

/** A collection response of entity schema `item`: `{ value: [...], @odata.nextLink? }`. Extra fields pass. */
export function collectionSchema<T extends z.ZodType>(item: T) {
  return z.looseObject({ value: z.array(item), '@odata.nextLink': z.string().optional() });
}

/** GUID-formatted string (BC uses the all-zero GUID for "empty"). Kept loose: any string passes. */
export const guid = z.string();
/** ISO date `YYYY-MM-DD` (BC uses `0001-01-01` for "empty"). */
export const isoDate = z.string();
/** ISO date-time with offset. */
export const isoDateTime = z.string();

/**
 * Compile-time check that a schema's output contains the generated v1.0 field set `Expected`; it fails to
 * type-check when the spec and the hand-written schema drift apart.
 */
export type Conforms<Actual extends Expected, Expected> = Actual;
