import type { ODataValue, PagedAsyncIterable } from '@ml-connector/core';
import type { ServiceField } from '../services.js';
import type { NavRecord, NavRecordInput } from '../schemas/records.js';
import { type NavContext, type NavEtagOptions, type NavListOptions, entitySet } from './entity-set.js';

/** A vendor (Vendor Card): number, name, `blocked` (`''`, `Ship`, `Invoice`, `All`), payment terms, contact, `payToVendorNumber`. */
export type NavVendor = NavRecord<'vendors'>;
/** Field values for creating or changing a vendor. */
export type NavVendorInput = NavRecordInput<'vendors'>;

/** The vendors page. */
export interface NavVendorsResource {
  /** Lists vendors (all pages, lazily). */
  list(options?: NavListOptions<'vendors'>): PagedAsyncIterable<NavVendor>;
  /**
   * Batched lookup: the vendors whose `field` (default `number`) is one of `values`, in as few requests as the URL
   * limit allows (`or` chains of at most 20 keys in the endpoint's dialect). Missing keys are simply absent.
   */
  listIn(values: readonly ODataValue[], options?: NavListOptions<'vendors'> & { field?: ServiceField<'vendors'> }): Promise<NavVendor[]>;
  /** Reads one vendor by number; `NotFoundError` when it does not exist. */
  get(number: string, options?: { signal?: AbortSignal }): Promise<NavVendor>;
  /** Creates a vendor; without `number` NAV assigns one from the vendor number series. */
  create(values: NavVendorInput, options?: { signal?: AbortSignal }): Promise<NavVendor>;
  /** Changes a vendor with `If-Match`; 412 → `ConflictError` when it changed since it was read. */
  update(number: string, patch: Omit<NavVendorInput, 'number'>, options: NavEtagOptions): Promise<NavVendor>;
  /**
   * The children of a vendor hierarchy: vendors whose `payToVendorNumber` is `parentNumber` (NAV pays the parent
   * for their invoices).
   */
  listPayToChildren(parentNumber: string, options?: Omit<NavListOptions<'vendors'>, 'where'>): PagedAsyncIterable<NavVendor>;
}

/** Builds the vendors resource. */
export function vendorsResource(context: NavContext): NavVendorsResource {
  const set = entitySet(context, 'vendors');
  return {
    list: (options) => set.list(options, 'vendors.list'),
    listIn: (values, options = {}) => {
      const { field = 'number', ...rest } = options;
      return set.listIn(field, values, rest, 'vendors.listIn');
    },
    get: (number, options = {}) => set.get({ number }, 'vendors.get', options.signal),
    create: (values, options = {}) => set.create(values, 'vendors.create', {}, options.signal),
    update: (number, patch, options) => set.update({ number }, patch, options, 'vendors.update'),
    listPayToChildren: (parentNumber, options = {}) => set.list(options, 'vendors.listPayToChildren', { payToVendorNumber: parentNumber }),
  };
}
