import { InvalidInputError } from '@ml-connector/core';

/**
 * The vendor fields both systems hold and the flows keep in step: identity, status, business e-mail, hierarchy,
 * payment terms (through the `payment-terms` crosswalk) and the main contact (JAGGAER's super user ⇄ the NAV
 * vendor's Primary Contact No. person contact).
 */
export const SYNCED_VENDOR_FIELDS = ['name', 'status', 'email', 'parent', 'paymentTerms', 'contactName', 'contactEmail', 'contactPhone'] as const;
/** One of {@link SYNCED_VENDOR_FIELDS}. */
export type SyncedVendorField = (typeof SYNCED_VENDOR_FIELDS)[number];

/** A side of the two-way sync. */
export type VendorSide = 'nav' | 'jaggaer';

/**
 * Which value wins when both systems changed a vendor:
 * - `owner`: each field has an owning system; only the owner's value is written to the other side, and a change of
 *   the field on the non-owning side is put back to the owner's value when the flow reading that side sees it.
 * - `latest`: the record changed last wins, all synced fields at once (both systems keep one modification time per
 *   record, not per field).
 */
export type VendorConflictPolicy =
  | { readonly kind: 'owner'; readonly owners: Readonly<Record<SyncedVendorField, VendorSide>> }
  | { readonly kind: 'latest' };

/**
 * Default owners: the supplier portal owns identity, e-mail, hierarchy and the contact person (suppliers maintain
 * their profile); finance (NAV) owns whether a vendor is blocked and its payment terms.
 */
export const DEFAULT_VENDOR_OWNERS: Readonly<Record<SyncedVendorField, VendorSide>> = {
  name: 'jaggaer',
  email: 'jaggaer',
  parent: 'jaggaer',
  status: 'nav',
  paymentTerms: 'nav',
  contactName: 'jaggaer',
  contactEmail: 'jaggaer',
  contactPhone: 'jaggaer',
};

/** The fields a flow reading from `side` may write to the other side. */
export function writableFields(policy: VendorConflictPolicy, side: VendorSide): readonly SyncedVendorField[] {
  return policy.kind === 'latest' ? SYNCED_VENDOR_FIELDS : SYNCED_VENDOR_FIELDS.filter((field) => policy.owners[field] === side);
}

/**
 * Reads the policy from `NAV_VENDOR_CONFLICT_POLICY` (`owner`, the default, or `latest`) and
 * `NAV_VENDOR_FIELD_OWNERS` (`name=jaggaer,status=nav,paymentTerms=nav,contact=jaggaer`, `contact` standing for
 * `contactName`, `contactEmail` and `contactPhone`; fields left out keep their default).
 */
export function vendorPolicyFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): VendorConflictPolicy {
  const kind = env['NAV_VENDOR_CONFLICT_POLICY']?.trim() || 'owner';
  if (kind === 'latest') return { kind: 'latest' };
  if (kind !== 'owner') throw new InvalidInputError(`NAV_VENDOR_CONFLICT_POLICY must be "owner" or "latest", got "${kind}"`, { field: 'NAV_VENDOR_CONFLICT_POLICY' });
  const owners: Record<SyncedVendorField, VendorSide> = { ...DEFAULT_VENDOR_OWNERS };
  const text = env['NAV_VENDOR_FIELD_OWNERS']?.trim();
  for (const pair of text ? text.split(',') : []) {
    const [field, side] = pair.split('=').map((part) => part.trim());
    const fields: readonly string[] = field === 'contact' ? ['contactName', 'contactEmail', 'contactPhone'] : [field ?? ''];
    if (!fields.every((name) => SYNCED_VENDOR_FIELDS.includes(name as SyncedVendorField)) || (side !== 'nav' && side !== 'jaggaer')) {
      throw new InvalidInputError(`NAV_VENDOR_FIELD_OWNERS entries are <field>=<nav|jaggaer> with field one of ${SYNCED_VENDOR_FIELDS.join(', ')} or contact; got "${pair}"`, { field: 'NAV_VENDOR_FIELD_OWNERS' });
    }
    for (const name of fields) owners[name as SyncedVendorField] = side;
  }
  return { kind: 'owner', owners };
}
