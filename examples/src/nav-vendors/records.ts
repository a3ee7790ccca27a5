import { DataError, type MappingSet } from '@ml-connector/core/sync';
import type { Supplier, SupplierInput } from '@ml-connector/jaggaer-j1p';
import type { NavContact, NavVendor, NavVendorInput } from '@ml-connector/nav';
import { writableFields, type SyncedVendorField, type VendorConflictPolicy } from './policy.ts';

/** A vendor's synced fields in one shape, whichever system it was read from. `parent` is `''` for none. */
export type VendorFields = { -readonly [F in SyncedVendorField]?: string };

/** A NAV vendor as the flows read it: the Vendor Card record and the person its Primary Contact No. names. */
export interface NavVendorRecord {
  readonly vendor: NavVendor;
  /** The primary contact (a `Person` contact), when the vendor has one. */
  readonly contact?: NavContact;
}

/** NAV's `Blocked` → the synced status: blank or `Payment` (documents still allowed) is active, anything else blocked. */
export const navStatus = (blocked: string | null | undefined): 'active' | 'blocked' => (!blocked || blocked === 'Payment' ? 'active' : 'blocked');

/** The crosswalk table of payment terms: key = NAV code, value = JAGGAER code (`NET 30` → `Net 30`). */
export const PAYMENT_TERMS_TABLE = 'payment-terms';

/** The fields of the main contact. */
const CONTACT_FIELDS = ['contactName', 'contactEmail', 'contactPhone'] as const;

/**
 * Maps vendors between the two systems' shapes. Payment terms go through the `payment-terms` crosswalk (NAV codes
 * are upper-case Code fields, so the table is keyed by them and searched by value the other way); a code without a
 * row is a `missing-mapping` DataError (the record goes to review).
 */
export interface VendorMapper {
  /** The synced fields of a NAV vendor and its primary contact. Contact fields are left out without a primary contact. */
  ofNav(record: NavVendorRecord): VendorFields;
  /** The synced fields of a JAGGAER profile. Fields JAGGAER does not hold (e-mail, terms, contact) are left out. */
  ofSupplier(supplier: Supplier): VendorFields;
  /** Vendor Card values of `fields` (contact fields are written to the contact, see {@link VendorMapper.navContactInput}). */
  navInput(fields: VendorFields): NavVendorInput;
  /** Contact Card values of the contact fields in `fields`; undefined when there are none. */
  navContactInput(fields: VendorFields): { name?: string; email?: string; phone?: string } | undefined;
  /** A JAGGAER profile update of `fields`. */
  supplierInput(number: string, fields: VendorFields): SupplierInput;
}

/** Builds the mapper; `mappings` must hold the `payment-terms` table. */
export function createVendorMapper(mappings: MappingSet): VendorMapper {
  const terms = mappings.table(PAYMENT_TERMS_TABLE);
  const navTerms = (jaggaerCode: string): string => {
    for (const [navCode, value] of terms.entries) if (typeof value === 'string' && value.toUpperCase() === jaggaerCode.trim().toUpperCase()) return navCode;
    throw new DataError(
      'missing-mapping',
      `No NAV payment terms for JAGGAER's "${jaggaerCode}" in crosswalk table "${PAYMENT_TERMS_TABLE}": add a row <NAV code>,${jaggaerCode}, then replay the record`,
      { field: 'paymentTerms' },
    );
  };
  const jaggaerTerms = (navCode: string): string => mappings.lookupString(PAYMENT_TERMS_TABLE, navCode, { field: 'paymentTerms' });
  return {
    ofNav({ vendor, contact }) {
      return {
        name: vendor.name ?? '',
        status: navStatus(vendor.blocked),
        email: vendor.email ?? '',
        parent: vendor.payToVendorNumber ?? '',
        ...(vendor.paymentTermsCode ? { paymentTerms: vendor.paymentTermsCode } : {}),
        ...(contact ? { contactName: contact.name ?? '', contactEmail: contact.email ?? '', contactPhone: contact.phone ?? '' } : {}),
      };
    },
    ofSupplier(supplier) {
      const person = supplier.primaryContact;
      return {
        name: supplier.companyName ?? '',
        status: supplier.status === 'INACTIVE' ? 'blocked' : 'active',
        ...(supplier.email !== undefined ? { email: supplier.email } : {}),
        parent: supplier.parentSupplierNumber ?? '',
        ...(supplier.paymentTermsCode ? { paymentTerms: navTerms(supplier.paymentTermsCode) } : {}),
        ...(person
          ? { contactName: [person.firstName, person.lastName].filter(Boolean).join(' '), contactEmail: person.email ?? '', contactPhone: person.phone ?? '' }
          : {}),
      };
    },
    navInput(fields) {
      const input: NavVendorInput = {};
      if (fields.name !== undefined) input.name = fields.name;
      if (fields.status !== undefined) input.blocked = fields.status === 'blocked' ? 'All' : '';
      if (fields.email !== undefined) input.email = fields.email;
      if (fields.parent !== undefined) input.payToVendorNumber = fields.parent;
      if (fields.paymentTerms !== undefined) input.paymentTermsCode = fields.paymentTerms;
      return input;
    },
    navContactInput(fields) {
      if (CONTACT_FIELDS.every((field) => fields[field] === undefined)) return undefined;
      return {
        ...(fields.contactName !== undefined ? { name: fields.contactName } : {}),
        ...(fields.contactEmail !== undefined ? { email: fields.contactEmail } : {}),
        ...(fields.contactPhone !== undefined ? { phone: fields.contactPhone } : {}),
      };
    },
    supplierInput(number, fields) {
      const input: SupplierInput = { supplierNumber: number };
      if (fields.name !== undefined) input.companyName = fields.name;
      if (fields.status !== undefined) input.status = fields.status === 'blocked' ? 'INACTIVE' : 'ACTIVE';
      if (fields.email !== undefined && fields.email !== '') input.email = fields.email;
      if (fields.parent !== undefined) input.parentSupplierNumber = fields.parent === '' ? null : fields.parent;
      if (fields.paymentTerms !== undefined && fields.paymentTerms !== '') input.paymentTermsCode = jaggaerTerms(fields.paymentTerms);
      if (CONTACT_FIELDS.some((field) => fields[field] !== undefined)) {
        // JAGGAER keeps first and last name apart; NAV one name: the last word is the last name.
        const name = fields.contactName?.trim();
        const split = name === undefined ? undefined : name.lastIndexOf(' ');
        input.primaryContact = {
          ...(name !== undefined ? { firstName: split! > 0 ? name.slice(0, split) : name, lastName: split! > 0 ? name.slice(split! + 1) : '' } : {}),
          ...(fields.contactEmail !== undefined ? { email: fields.contactEmail } : {}),
          ...(fields.contactPhone !== undefined ? { phone: fields.contactPhone } : {}),
        };
      }
      return input;
    },
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

/**
 * True when neither flow would write anything for a vendor whose NAV side holds `nav` and whose JAGGAER side holds
 * `jaggaer`: JAGGAER's writable fields already equal NAV's, NAV's writable fields already equal JAGGAER's (under
 * `owner` these are also the values a flow would put back on its own side). Only then is the state a write left an
 * echo the other flow may skip: anything still differing (a change on the other side the write did not cover) must
 * be read and sent.
 */
export function inSync(policy: VendorConflictPolicy, nav: VendorFields, jaggaer: VendorFields): boolean {
  return (
    Object.keys(changedFields(nav, pick(jaggaer, writableFields(policy, 'jaggaer')))).length === 0 &&
    Object.keys(changedFields(jaggaer, pick(nav, writableFields(policy, 'nav')))).length === 0
  );
}

/** The synced content of a JAGGAER profile as it arrives (before mapping, so it never fails). */
export const supplierContent = (supplier: Supplier): unknown[] => [
  supplier.companyName, supplier.status, supplier.email, supplier.parentSupplierNumber, supplier.paymentTermsCode, supplier.primaryContact,
];

/** The JAGGAER supplier's version: its modification time (the closest JAGGAER has to an ETag) and content. */
export const supplierStamp = (supplier: Supplier): string => `${supplier.lastModified ?? ''}|${JSON.stringify(supplierContent(supplier))}`;

/** The NAV vendor's version: the vendor's ETag and its primary contact's (a contact change is a change of the vendor). */
export const navStamp = (record: NavVendorRecord): string => `${record.vendor.etag ?? ''}|${record.contact?.etag ?? ''}`;
