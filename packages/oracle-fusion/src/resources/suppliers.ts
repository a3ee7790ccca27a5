import { type HttpClient, InvalidInputError } from '@ml-connector/core';
import {
  type SupplierCreate,
  type SupplierUpdate,
  supplierAddressSchema,
  supplierContactSchema,
  supplierSchema,
  supplierSiteSchema,
} from '../schemas/supplier.js';
import { type ItemRef, type ReadableCollection, type ReadOptions, type WritableCollection, childPath, collection } from './collection.js';
import type { Supplier, SupplierAddress, SupplierContact, SupplierSite } from '../schemas/supplier.js';
import type { OracleItem } from '../schemas/common.js';

/** `/suppliers` with its child collections. */
export interface SuppliersResource extends WritableCollection<Supplier, SupplierCreate, SupplierUpdate> {
  /** Reads a supplier by `SupplierId` (a plain int64 key, documented as the item path). */
  getById(supplierId: number, options?: ReadOptions): Promise<OracleItem<Supplier>>;
  /** Sites of a supplier (`…/child/sites`). */
  sites(supplier: ItemRef): WritableCollection<SupplierSite, Record<string, unknown>, Record<string, unknown>>;
  /** Contacts of a supplier (`…/child/contacts`). */
  contacts(supplier: ItemRef): WritableCollection<SupplierContact, Record<string, unknown>, Record<string, unknown>>;
  /** Addresses of a supplier (`…/child/addresses`). */
  addresses(supplier: ItemRef): ReadableCollection<SupplierAddress>;
}

/** Creates the suppliers resource. */
export function suppliersResource(http: HttpClient): SuppliersResource {
  const base = collection<typeof supplierSchema, SupplierCreate, SupplierUpdate>(http, 'suppliers', supplierSchema, 'suppliers');
  return {
    ...base,
    getById(supplierId, options) {
      if (!Number.isSafeInteger(supplierId) || supplierId < 1) {
        throw new InvalidInputError(`supplierId must be a positive integer SupplierId; got ${supplierId}`, { field: 'supplierId' });
      }
      return base.get(new URL(`suppliers/${supplierId}`, http.baseUrl).href, options);
    },
    sites: (supplier) => collection(http, childPath(supplier, 'sites'), supplierSiteSchema, 'suppliers.sites'),
    contacts: (supplier) => collection(http, childPath(supplier, 'contacts'), supplierContactSchema, 'suppliers.contacts'),
    addresses: (supplier) => collection(http, childPath(supplier, 'addresses'), supplierAddressSchema, 'suppliers.addresses'),
  };
}
