import { type HttpClient, InvalidInputError, type ODataQueryBuilder, buildODataQuery, chunkedKeyFilters, rawFilter } from '@ml-connector/core';
import type { z } from 'zod';
import { type AccountFields, accountSchema } from '../schemas/account.js';
import type { Entity } from '../schemas/common.js';
import { type DimensionFields, type DimensionValueFields, dimensionSchema, dimensionValueSchema } from '../schemas/dimension.js';
import { type CurrencyFields, currencySchema } from '../schemas/setup.js';
import type { VendorFields } from '../schemas/vendor.js';
import { type DeltaReadableEntitySet, readableEntitySet } from './entity-set.js';
import { type ReadOnlyEntitySet, readOnlyEntitySet } from './read-only.js';
import { keyPath, listCollection } from './shared.js';

/**
 * Defaults of the batched lookups (`findByNumbers`, `findByCodes`).
 * - `maxUrlLength` 2048: whole request URL as `fetch` sends it, under IIS's default 2,048-character query string
 *   (and 4,096-character URL); what Business Central online's front end accepts is UNCONFIRMED.
 * - `maxValuesPerChunk` 20: an `or` chain of 20 `eq` terms is 99 OData nodes, under the `MaxNodeCount` of 100
 *   that Business Central reports ("The node count limit of '100' has been exceeded").
 * Lookups never use OData 4.01 `in`, which API v2.0 is reported to ignore silently (microsoft/ALAppExtensions#25734).
 */
export const BUSINESS_CENTRAL_LOOKUP_DEFAULTS = Object.freeze({ maxUrlLength: 2048, maxValuesPerChunk: 20 });

/** Options of the batched lookups. */
export interface FindByKeysOptions {
  /** Longest request URL. Default {@link BUSINESS_CENTRAL_LOOKUP_DEFAULTS}`.maxUrlLength` (2048). */
  maxUrlLength?: number;
  /** Most keys per request. Default {@link BUSINESS_CENTRAL_LOOKUP_DEFAULTS}`.maxValuesPerChunk` (20). */
  maxValuesPerChunk?: number;
  /** Cancels the lookup. */
  signal?: AbortSignal;
}

/** The vendor fields a reference preflight reads (`$select`). */
export const VENDOR_REFERENCE_FIELDS = ['id', 'number', 'displayName', 'blocked'] as const;
/** A vendor as a preflight lookup returns it: only {@link VENDOR_REFERENCE_FIELDS}. */
export type VendorReference = Entity<Pick<VendorFields, (typeof VENDOR_REFERENCE_FIELDS)[number]>>;
/** The G/L account fields a reference preflight reads (`$select`); `accountType` and `directPosting` are API v2.0 fields. */
export const ACCOUNT_REFERENCE_FIELDS = ['id', 'number', 'displayName', 'blocked', 'accountType', 'directPosting'] as const;
/** A G/L account as a preflight lookup returns it: only {@link ACCOUNT_REFERENCE_FIELDS}. */
export type AccountReference = Entity<Pick<AccountFields, (typeof ACCOUNT_REFERENCE_FIELDS)[number]>>;
/** The dimension fields a preflight lookup reads. */
export const DIMENSION_REFERENCE_FIELDS = ['id', 'code', 'displayName'] as const;
/** A dimension as a preflight lookup returns it. */
export type DimensionReference = Entity<Pick<DimensionFields, (typeof DIMENSION_REFERENCE_FIELDS)[number]>>;
/** The dimension value fields a preflight lookup reads (API v2.0 exposes no Blocked flag for them). */
export const DIMENSION_VALUE_REFERENCE_FIELDS = ['id', 'code', 'dimensionId', 'displayName'] as const;
/** A dimension value as a preflight lookup returns it. */
export type DimensionValueReference = Entity<Pick<DimensionValueFields, (typeof DIMENSION_VALUE_REFERENCE_FIELDS)[number]>>;
/** The currency fields a preflight lookup reads. */
export const CURRENCY_REFERENCE_FIELDS = ['id', 'code', 'displayName'] as const;
/** A currency as a preflight lookup returns it. */
export type CurrencyReference = Entity<Pick<CurrencyFields, (typeof CURRENCY_REFERENCE_FIELDS)[number]>>;

/** Where the lookups of one company send their requests. */
export interface LookupContext {
  readonly http: HttpClient;
  /** The service root, to measure request URLs exactly as they are sent. */
  readonly baseUrl: string;
}

function checkKeys(keys: unknown, operation: string): string[] {
  if (!Array.isArray(keys)) throw new InvalidInputError(`${operation} needs an array of strings`, { field: 'keys' });
  keys.forEach((key, index) => {
    if (typeof key !== 'string' || key === '') {
      throw new InvalidInputError(`${operation}: keys[${index}] must be a non-empty string, got ${JSON.stringify(key)}`, { field: `keys[${index}]` });
    }
  });
  return [...new Set(keys as string[])];
}

/**
 * Reads the entities of `path` whose `field` is one of `keys`, one request per chunk of keys (as many as fit the
 * URL and node limits), and returns them keyed by `field`. Keys compare exactly (Business Central codes are
 * upper case). Rows whose key was not asked for are dropped, so a server that ignores a filter cannot make a
 * missing key look present.
 */
export async function findByKeys<T>(
  context: LookupContext,
  path: string,
  schema: z.ZodType,
  field: 'number' | 'code',
  keys: readonly string[],
  select: readonly string[],
  operation: string,
  options: FindByKeysOptions = {},
): Promise<Map<string, Entity<T>>> {
  const wanted = checkKeys(keys, operation);
  const found = new Map<string, Entity<T>>();
  if (wanted.length === 0) return found;
  const base = buildODataQuery<Record<string, unknown>>({ select: [...select] });
  const filters = chunkedKeyFilters(field, wanted, {
    baseUrlLength: new URL(base.toUrl(path), context.baseUrl).href.length,
    maxUrlLength: options.maxUrlLength ?? BUSINESS_CENTRAL_LOOKUP_DEFAULTS.maxUrlLength,
    maxValuesPerChunk: options.maxValuesPerChunk ?? BUSINESS_CENTRAL_LOOKUP_DEFAULTS.maxValuesPerChunk,
  });
  const asked = new Set(wanted);
  const pages = await Promise.all(
    filters.map((filter) =>
      listCollection<T>(context.http, path, schema, base.filter(rawFilter(filter)) as ODataQueryBuilder<unknown>, operation, options.signal).toArray(),
    ),
  );
  for (const row of pages.flat()) {
    const key = (row as Record<string, unknown>)[field];
    if (typeof key === 'string' && asked.has(key)) found.set(key, row);
  }
  return found;
}

/** A batched lookup over one entity set, bound to its path, key field and `$select`. */
export function keyLookup<T>(
  context: LookupContext,
  path: string,
  schema: z.ZodType,
  field: 'number' | 'code',
  select: readonly string[],
  operation: string,
): (keys: readonly string[], options?: FindByKeysOptions) => Promise<Map<string, Entity<T>>> {
  return (keys, options) => findByKeys<T>(context, path, schema, field, keys, select, operation, options);
}

/** G/L accounts (read-only) with a batched lookup by number. */
export interface AccountsResource extends ReadOnlyEntitySet<AccountFields> {
  /**
   * The accounts with these numbers, keyed by number, in one request per chunk (`number eq … or …`, only
   * {@link ACCOUNT_REFERENCE_FIELDS}). A number missing from the map does not exist.
   */
  findByNumbers(numbers: readonly string[], options?: FindByKeysOptions): Promise<Map<string, AccountReference>>;
}

/** Dimensions (read-only) with a batched lookup by code. */
export interface DimensionsResource extends ReadOnlyEntitySet<DimensionFields> {
  /** The dimensions with these codes, keyed by code (only {@link DIMENSION_REFERENCE_FIELDS}). */
  findByCodes(codes: readonly string[], options?: FindByKeysOptions): Promise<Map<string, DimensionReference>>;
}

/** Dimension values of all dimensions (read-only; no webhooks) with a batched lookup within one dimension. */
export interface DimensionValuesResource extends ReadOnlyEntitySet<DimensionValueFields> {
  /**
   * The values with these codes of one dimension, keyed by value code, from `dimensions({id})/dimensionValues`
   * with one request per chunk of codes. Pass the dimension's code (one more request looks its id up; an empty map
   * when it does not exist) or the dimension itself, e.g. from `dimensions.findByCodes`.
   */
  findByCodes(
    dimension: string | Pick<DimensionReference, 'id' | 'code'>,
    valueCodes: readonly string[],
    options?: FindByKeysOptions,
  ): Promise<Map<string, DimensionValueReference>>;
}

/** Currencies (read) with a batched lookup by code. */
export interface CurrenciesResource extends DeltaReadableEntitySet<CurrencyFields> {
  /** The currencies with these codes, keyed by code. The local currency has no row (its code is `''` on documents). */
  findByCodes(codes: readonly string[], options?: FindByKeysOptions): Promise<Map<string, CurrencyReference>>;
}

/** Builds the accounts resource of one company. */
export function accountsResource(context: LookupContext, companyPath: string): AccountsResource {
  const path = `${companyPath}/accounts`;
  return {
    ...readOnlyEntitySet<AccountFields>(context.http, path, accountSchema, 'accounts'),
    findByNumbers: keyLookup(context, path, accountSchema, 'number', ACCOUNT_REFERENCE_FIELDS, 'accounts.findByNumbers'),
  };
}

/** Builds the dimensions resource of one company. */
export function dimensionsResource(context: LookupContext, companyPath: string): DimensionsResource {
  const path = `${companyPath}/dimensions`;
  return {
    ...readOnlyEntitySet<DimensionFields>(context.http, path, dimensionSchema, 'dimensions'),
    findByCodes: keyLookup(context, path, dimensionSchema, 'code', DIMENSION_REFERENCE_FIELDS, 'dimensions.findByCodes'),
  };
}

/** Builds the dimension values resource of one company. */
export function dimensionValuesResource(context: LookupContext, companyPath: string): DimensionValuesResource {
  const dimensions = dimensionsResource(context, companyPath);
  return {
    ...readOnlyEntitySet<DimensionValueFields>(context.http, `${companyPath}/dimensionValues`, dimensionValueSchema, 'dimensionValues'),
    async findByCodes(dimensionOrCode, valueCodes, options = {}) {
      const given = typeof dimensionOrCode === 'object' && dimensionOrCode !== null ? dimensionOrCode : undefined;
      if (!given && (typeof dimensionOrCode !== 'string' || dimensionOrCode === '')) {
        throw new InvalidInputError('dimensionValues.findByCodes needs a dimension code such as "DEPARTMENT" or a dimension { id, code }', {
          field: 'dimension',
        });
      }
      const codes = checkKeys(valueCodes, 'dimensionValues.findByCodes');
      if (codes.length === 0) return new Map();
      const dimension = given ?? (await dimensions.findByCodes([dimensionOrCode as string], options)).get(dimensionOrCode as string);
      if (!dimension) return new Map();
      const path = `${keyPath(`${companyPath}/dimensions`, dimension.id, 'dimension.id')}/dimensionValues`;
      return findByKeys<DimensionValueReference>(context, path, dimensionValueSchema, 'code', codes, DIMENSION_VALUE_REFERENCE_FIELDS, 'dimensionValues.findByCodes', options);
    },
  };
}

/** Builds the currencies resource of one company. */
export function currenciesResource(context: LookupContext, companyPath: string): CurrenciesResource {
  const path = `${companyPath}/currencies`;
  return {
    ...readableEntitySet<CurrencyFields>(context.http, path, currencySchema, 'currencies'),
    findByCodes: keyLookup(context, path, currencySchema, 'code', CURRENCY_REFERENCE_FIELDS, 'currencies.findByCodes'),
  };
}
