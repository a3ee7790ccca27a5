import { z } from 'zod';
import { type Conforms, type Entity, type V1CommonFields, guid, isoDateTime, odataEtag } from './common.js';
import { type UnknownEnumMember, type VendorBlocked, enumMember } from './enums.js';

/** Vendor fields that v1.0 and v2.0 share (derived from the v1.0 OpenAPI schema `vendor`). */
export type VendorCommonFields = V1CommonFields<
  'vendor',
  | 'id'
  | 'number'
  | 'displayName'
  | 'phoneNumber'
  | 'email'
  | 'website'
  | 'taxRegistrationNumber'
  | 'currencyId'
  | 'currencyCode'
  | 'irs1099Code'
  | 'paymentTermsId'
  | 'paymentMethodId'
  | 'taxLiable'
  | 'blocked'
  | 'balance'
  | 'lastModifiedDateTime'
>;

/** Vendor fields as modelled by this client (v2.0: flat address fields instead of v1.0's `address` object). */
export interface VendorFields extends Omit<VendorCommonFields, 'blocked'> {
  /** Decoded (`_x0020_` → `' '`, not blocked); an unknown member is kept as its text. */
  blocked: VendorBlocked | UnknownEnumMember;
  /** v2.0 address line 1 (v1.0: `address.street`). */
  addressLine1: string;
  /** v2.0 address line 2. */
  addressLine2: string;
  /** v2.0 city. */
  city: string;
  /** v2.0 state. */
  state: string;
  /** v2.0 country/region code. */
  country: string;
  /** v2.0 postal code. */
  postalCode: string;
}

/** A vendor. */
export type Vendor = Entity<VendorFields>;

/** Vendor fields that Business Central computes; never sent in POST/PATCH (stripped by the client). */
export const VENDOR_READ_ONLY_FIELDS = ['id', 'balance', 'lastModifiedDateTime'] as const;

/** Body of `vendors.create()`: any writable field; `blocked` only as a known member (sent encoded). */
export type VendorCreate = Partial<Omit<VendorFields, (typeof VENDOR_READ_ONLY_FIELDS)[number] | 'blocked'>> & { blocked?: VendorBlocked } & Record<string, unknown>;
/** Body of `vendors.update()`: the fields to change (a fetched vendor can be edited and sent back). */
export type VendorUpdate = Partial<Omit<VendorFields, (typeof VENDOR_READ_ONLY_FIELDS)[number]>> & Record<string, unknown>;

/** zod schema of a vendor response; unknown fields pass through. */
export const vendorSchema = z.looseObject({
  ...odataEtag,
  id: guid,
  number: z.string(),
  displayName: z.string(),
  addressLine1: z.string(),
  addressLine2: z.string(),
  city: z.string(),
  state: z.string(),
  country: z.string(),
  postalCode: z.string(),
  phoneNumber: z.string(),
  email: z.string(),
  website: z.string(),
  taxRegistrationNumber: z.string(),
  currencyId: guid,
  currencyCode: z.string(),
  irs1099Code: z.string(),
  paymentTermsId: guid,
  paymentMethodId: guid,
  taxLiable: z.boolean(),
  blocked: enumMember<VendorBlocked>(),
  balance: z.number(),
  lastModifiedDateTime: isoDateTime,
});

type _VendorCheck = Conforms<z.infer<typeof vendorSchema>, VendorFields>;
