import { z } from 'zod';

/**
 * Business Central API v2.0 (schema version 2.0) returns enum (option) values as encoded member names: every
 * character that is not valid in an XML name becomes `_xHHHH_`, so `In Review` arrives as `In_x0020_Review`,
 * `G/L Account` as `G_x002F_L_x0020_Account` and the blank option of `vendor.blocked` as `_x0020_`. This client
 * decodes them on read (the caption form passes unchanged), encodes them in request bodies and `$filter`
 * literals, and keeps members it does not know instead of dropping them.
 */

/** `purchaseInvoice.status` members documented for v2.0. */
export type PurchaseInvoiceStatus = 'Draft' | 'In Review' | 'Open' | 'Paid' | 'Canceled' | 'Corrective';
/** `purchaseOrder.status` members. */
export type PurchaseOrderStatus = 'Draft' | 'In Review' | 'Open' | 'Released';
/** `lineType` members of document lines in v2.0. */
export type DocumentLineType = 'Comment' | 'Account' | 'Item' | 'Resource' | 'Fixed Asset' | 'Charge';
/** `vendor.blocked` members: a single blank means "not blocked". */
export type VendorBlocked = ' ' | 'Payment' | 'All';
/** `account.accountType` members. */
export type AccountType = 'Posting' | 'Heading' | 'Total' | 'Begin-Total' | 'End-Total';
/** `item.type` members. */
export type ItemType = 'Inventory' | 'Service' | 'Non-Inventory';
/** `dimensionSetLine.parentType` members this client meets. */
export type DimensionSetLineParentType = 'Journal Line' | 'Sales Order' | 'Sales Invoice' | 'Purchase Invoice' | 'Purchase Invoice Line' | 'Purchase Order' | 'Purchase Order Line' | 'General Ledger Entry';

declare const unknownEnumMember: unique symbol;

/**
 * A member this client does not model (a newer BC version, an extension's enum value): kept as its decoded
 * text. Read types are `KnownUnion | UnknownEnumMember`. The brand means only values read from the API carry
 * this type: a string literal such as the typo `'Acount'` is not assignable, so it fails to compile, while a
 * fetched entity can still be edited and sent back.
 */
export type UnknownEnumMember = string & { readonly [unknownEnumMember]: true };

const ESCAPE = /_x([0-9A-Fa-f]{4}|[0-9A-Fa-f]{8})_/g;

/** Decodes `_xHHHH_` escapes (`In_x0020_Review` → `In Review`); text without escapes passes unchanged. */
export function decodeEnumMember(value: string): string {
  if (!value.includes('_x')) return value;
  return value.replace(ESCAPE, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)));
}

/**
 * Encodes an enum member as API v2.0 writes it (`In Review` → `In_x0020_Review`, `' '` → `_x0020_`), the
 * inverse of {@link decodeEnumMember}. An already encoded name is returned unchanged.
 */
export function encodeEnumMember(value: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(value)) return value;
  let out = '';
  let index = 0;
  for (const char of value) {
    const valid = index === 0 ? /[A-Za-z_]/.test(char) : /[A-Za-z0-9_.-]/.test(char);
    out += valid ? char : `_x${(char.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}_`;
    index += char.length;
  }
  return out;
}

/** A zod string that decodes an encoded enum member; typed as the known union plus {@link UnknownEnumMember}. */
export function enumMember<T extends string>(): z.ZodType<T | UnknownEnumMember, string> {
  return z.string().transform((value) => decodeEnumMember(value) as T | UnknownEnumMember) as unknown as z.ZodType<T | UnknownEnumMember, string>;
}

/** Entity fields whose values are enum members (encoded in bodies and `$filter` literals by this client). */
export const ENUM_FIELDS: ReadonlySet<string> = new Set(['status', 'lineType', 'blocked', 'accountType', 'category', 'type', 'taxType', 'parentType', 'postingValidation']);

/** Encodes the enum fields of a request body in place-safe fashion (returns a copy). */
export function encodeEnumFields(body: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const field of ENUM_FIELDS) {
    const value = body[field];
    if (typeof value !== 'string') continue;
    const encoded = encodeEnumMember(value);
    if (encoded === value) continue;
    out ??= { ...body };
    out[field] = encoded;
  }
  return out ?? body;
}
