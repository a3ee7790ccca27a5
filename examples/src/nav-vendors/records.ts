import type { Supplier } from '@ml-connector/jaggaer-j1p';
import type { NavVendor } from '@ml-connector/nav';
import type { SyncedVendorField } from './policy.ts';

/** A vendor's synced fields in one shape, whichever system it was read from. `parent` is `''` for none. */
export type VendorFields = { -readonly [F in SyncedVendorField]?: string };

/** NAV's `Blocked` → the synced status: blank or `Payment` (documents still allowed) is active, anything else blocked. */
export const navStatus = (blocked: string | null | undefined): 'active' | 'blocked' => (!blocked || blocked === 'Payment' ? 'active' : 'blocked');

/** The synced fields of a NAV vendor. */
export function fieldsOfNavVendor(vendor: NavVendor): VendorFields {
  return {
    name: vendor.name ?? '',
    status: navStatus(vendor.blocked),
    email: vendor.email ?? '',
    parent: vendor.payToVendorNumber ?? '',
  };
}

/** The synced fields of a JAGGAER supplier profile. An e-mail JAGGAER does not hold is left out (not cleared in NAV). */
export function fieldsOfSupplier(supplier: Supplier): VendorFields {
  return {
    name: supplier.companyName ?? '',
    status: supplier.status === 'INACTIVE' ? 'blocked' : 'active',
    ...(supplier.email !== undefined ? { email: supplier.email } : {}),
    parent: supplier.parentSupplierNumber ?? '',
  };
}

/** Only the listed fields. */
export function pick(fields: VendorFields, names: readonly SyncedVendorField[]): VendorFields {
  return Object.fromEntries(names.filter((name) => fields[name] !== undefined).map((name) => [name, fields[name]])) as VendorFields;
}

/** A vendor change on its way to the other system. */
export interface VendorChange {
  /** Vendor number = JAGGAER supplier number (`extCode`): the same key on both sides. */
  readonly number: string;
  /** The fields this flow may write (policy applied). */
  readonly fields: VendorFields;
  /** Every synced field as the source holds it (the name is needed to create a record on the other side). */
  readonly all: VendorFields;
  /** When the source record last changed (ISO 8601), for `latest`. */
  readonly modifiedAt?: string;
}

/** The fields of `wanted` that differ from `current`. */
export function changedFields(current: VendorFields, wanted: VendorFields): VendorFields {
  return Object.fromEntries(Object.entries(wanted).filter(([name, value]) => (current[name as SyncedVendorField] ?? '') !== value)) as VendorFields;
}

/** The JAGGAER supplier's version: its modification time (the closest JAGGAER has to an ETag) and content. */
export const supplierStamp = (supplier: Supplier): string => `${supplier.lastModified ?? ''}|${JSON.stringify(fieldsOfSupplier(supplier))}`;
