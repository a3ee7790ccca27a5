import { z } from 'zod';
import { type CdmFields, type Entity, type FieldsOf, dataAreaId, noYes, odataEtag, foEnum } from './common.js';

/** `VendorsV2` fields modelled by this client (all from the CDM entity `VendVendorV2Entity`). */
export type VendorField = CdmFields<
  'VendVendorV2Entity',
  | 'dataAreaId'
  | 'VendorAccountNumber'
  | 'VendorOrganizationName'
  | 'VendorGroupId'
  | 'VendorPartyType'
  | 'CurrencyCode'
  | 'DefaultPaymentTermsName'
  | 'PrimaryEmailAddress'
  | 'OnHoldStatus'
  | 'DefaultLedgerDimensionDisplayValue'
  | 'InvoiceVendorAccountNumber'
  | 'TaxExemptNumber'
>;

/** Vendor on-hold status (`VendorBlocked` enum). */
export const vendorOnHoldStatus = foEnum(['No', 'Invoice', 'All', 'Payment', 'Requisition', 'Never']);

/** zod schema of one `VendorsV2` record; unmodelled fields pass through. */
export const vendorSchema = z.looseObject({
  ...odataEtag,
  dataAreaId,
  VendorAccountNumber: z.string(),
  VendorOrganizationName: z.string(),
  VendorGroupId: z.string(),
  VendorPartyType: z.string().optional(),
  CurrencyCode: z.string(),
  DefaultPaymentTermsName: z.string().optional(),
  PrimaryEmailAddress: z.string().optional(),
  OnHoldStatus: vendorOnHoldStatus,
  DefaultLedgerDimensionDisplayValue: z.string().optional(),
  InvoiceVendorAccountNumber: z.string().optional(),
  TaxExemptNumber: z.string().optional(),
} satisfies Record<VendorField | '@odata.etag', z.ZodType>);

/** Modelled `VendorsV2` fields. */
export type VendorFields = FieldsOf<typeof vendorSchema>;
/** A vendor as returned by the client. */
export type Vendor = Entity<VendorFields>;
/** Body of `vendors.create()`: the account number, name, group and currency at least (`dataAreaId` is added). */
export type VendorCreate = Partial<Omit<VendorFields, 'dataAreaId'>> &
  Pick<VendorFields, 'VendorAccountNumber' | 'VendorOrganizationName' | 'VendorGroupId' | 'CurrencyCode'>;
/** Body of `vendors.update()`. Key fields cannot change. */
export type VendorUpdate = Partial<Omit<VendorFields, 'dataAreaId' | 'VendorAccountNumber'>>;
