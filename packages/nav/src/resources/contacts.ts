import type { ODataValue, PagedAsyncIterable } from '@ml-connector/core';
import type { NavRecord, NavRecordInput } from '../schemas/records.js';
import type { ServiceField } from '../services.js';
import { type NavContext, type NavEtagOptions, type NavListOptions, entitySet } from './entity-set.js';

/**
 * A contact (Contact Card): a `Company` contact stands for a vendor (linked through a business relation), a `Person`
 * contact belongs to a company contact (`companyNumber`). A vendor's main person is its `primaryContactNumber`.
 */
export type NavContact = NavRecord<'contacts'>;
/** Field values for creating or changing a contact. */
export type NavContactInput = NavRecordInput<'contacts'>;
/** A contact business relation: which vendor (or customer, bank account) a company contact stands for. */
export type NavContactBusinessRelation = NavRecord<'contactBusinessRelations'>;

/** The Contact Card page (opt-in: enable it with `services: { contacts: {} }`). */
export interface NavContactsResource {
  /** Lists contacts (all pages, lazily). */
  list(options?: NavListOptions<'contacts'>): PagedAsyncIterable<NavContact>;
  /** Batched lookup by `field` (default `number`), as `vendors.listIn`. */
  listIn(values: readonly ODataValue[], options?: NavListOptions<'contacts'> & { field?: ServiceField<'contacts'> }): Promise<NavContact[]>;
  /** Reads one contact; `NotFoundError` when it does not exist. */
  get(number: string, options?: { signal?: AbortSignal }): Promise<NavContact>;
  /** Creates a contact; NAV numbers it from the contact number series when `number` is absent. */
  create(values: NavContactInput, options?: { signal?: AbortSignal }): Promise<NavContact>;
  /** Changes a contact with `If-Match`. */
  update(number: string, patch: Omit<NavContactInput, 'number'>, options: NavEtagOptions): Promise<NavContact>;
  /**
   * The company contact that stands for a vendor (its business relation with `Link to Table` = `Vendor`), or
   * undefined when NAV has none (Marketing Setup creates one with every vendor when "Bus. Rel. Code for Vendors" is
   * set). Needs the opt-in `contactBusinessRelations` service too.
   */
  companyContactOfVendor(vendorNumber: string, options?: { signal?: AbortSignal }): Promise<string | undefined>;
}

/** Builds the contacts resource. */
export function contactsResource(context: NavContext): NavContactsResource {
  const set = entitySet(context, 'contacts');
  const relations = entitySet(context, 'contactBusinessRelations');
  return {
    list: (options) => set.list(options, 'contacts.list'),
    listIn: (values, options = {}) => {
      const { field = 'number', ...rest } = options;
      return set.listIn(field, values, rest, 'contacts.listIn');
    },
    get: (number, options = {}) => set.get({ number }, 'contacts.get', options.signal),
    create: (values, options = {}) => set.create(values, 'contacts.create', {}, options.signal),
    update: (number, patch, options) => set.update({ number }, patch, options, 'contacts.update'),
    async companyContactOfVendor(vendorNumber, options = {}) {
      const [relation] = await relations
        .list({ where: { linkToTable: 'Vendor', number: vendorNumber }, top: 1, ...(options.signal ? { signal: options.signal } : {}) }, 'contacts.companyContactOfVendor')
        .toArray({ limit: 1 });
      return relation?.contactNumber;
    },
  };
}
