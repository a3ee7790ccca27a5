import type { ODataValue, PagedAsyncIterable } from '@ml-connector/core';
import type { NavRecord } from '../schemas/records.js';
import type { ServiceField, ServiceName } from '../services.js';
import { type NavContext, type NavListOptions, entitySet } from './entity-set.js';

/** A G/L account (Chart of Accounts): number, name, account type, income/balance, `blocked`, `directPosting`. */
export type NavGlAccount = NavRecord<'glAccounts'>;
/** A dimension: code, name, blocked. */
export type NavDimension = NavRecord<'dimensions'>;
/** A dimension value: dimension code, code, name, blocked. */
export type NavDimensionValue = NavRecord<'dimensionValues'>;
/** Payment terms: code, description, due date calculation (a NAV date formula such as `30D`). */
export type NavPaymentTerms = NavRecord<'paymentTerms'>;

/**
 * A page this client only reads. There are deliberately no write methods: accounts, dimensions and payment
 * terms are master data the finance team owns in NAV.
 */
export interface NavReadOnlyResource<S extends ServiceName, K extends readonly unknown[]> {
  /** Lists records (all pages, lazily). */
  list(options?: NavListOptions<S>): PagedAsyncIterable<NavRecord<S>>;
  /**
   * Batched lookup: the records whose `field` is one of `values` (and that match `where`), in as few requests as
   * the URL limit allows (`or` chains of at most 20 keys in the endpoint's dialect). Missing keys are simply absent.
   * Example: `dimensionValues.listIn('code', ['ADM', 'IT'], { where: { dimensionCode: 'DEPARTMENT' } })`.
   */
  listIn(field: ServiceField<S>, values: readonly ODataValue[], options?: NavListOptions<S>): Promise<NavRecord<S>[]>;
  /** Reads one record by key; `NotFoundError` when it does not exist. */
  get(...key: [...K, options?: { signal?: AbortSignal }]): Promise<NavRecord<S>>;
}

/** Builds a read-only resource whose key is the logical fields `keyFields`, in order. */
export function readOnlyResource<S extends ServiceName, K extends readonly unknown[]>(
  context: NavContext,
  name: S,
  keyFields: readonly string[],
): NavReadOnlyResource<S, K> {
  const set = entitySet(context, name);
  return {
    list: (options) => set.list(options, `${name}.list`),
    listIn: (field, values, options) => set.listIn(field, values, options, `${name}.listIn`),
    get: (...args) => {
      const key = Object.fromEntries(keyFields.map((field, index) => [field, args[index]]));
      const options = args[keyFields.length] as { signal?: AbortSignal } | undefined;
      return set.get(key, `${name}.get`, options?.signal);
    },
  };
}
