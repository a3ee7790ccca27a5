import { InvalidInputError } from '@ml-connector/core';
import type { ReadContext, ReferenceResolver, ReferenceStatus } from '@ml-connector/core/sync';
import type { BusinessCentralCompany } from './client.js';
import type { FindByKeysOptions } from './resources/lookups.js';
import type { AccountFields } from './schemas/account.js';
import type { UnknownEnumMember, VendorBlocked } from './schemas/enums.js';

const MISSING = (what: string): ReferenceStatus => ({ exists: false, usable: false, reason: `${what} does not exist` });

/** Options of {@link vendorReferenceStatus}. */
export interface VendorReferenceStatusOptions {
  /**
   * What the vendor is needed for. `'purchase'` (default: invoices, orders): only `blocked: All` stops it, as
   * BC's `CheckBlockedVendOnDocs` does. `'payment'`: `Payment` stops it too.
   */
  use?: 'purchase' | 'payment';
}

/**
 * Whether a vendor (from `vendors.findByNumbers`) can be used: `blocked` `' '` → usable; `All` → not usable;
 * `Payment` → usable for purchase documents, not for payments. `undefined` (not found) → does not exist.
 * An unknown `blocked` member counts as blocked, so a new BC option cannot slip through.
 */
export function vendorReferenceStatus(
  vendor: { number: string; blocked: VendorBlocked | UnknownEnumMember } | undefined,
  options: VendorReferenceStatusOptions = {},
): ReferenceStatus {
  if (!vendor) return MISSING('The vendor');
  const use = options.use ?? 'purchase';
  switch (vendor.blocked) {
    case ' ':
      return { exists: true, usable: true };
    case 'Payment':
      return use === 'purchase'
        ? { exists: true, usable: true }
        : { exists: true, usable: false, reason: `Vendor ${vendor.number} is blocked for payments (Blocked: Payment)` };
    case 'All':
      return { exists: true, usable: false, reason: `Vendor ${vendor.number} is blocked for all transactions (Blocked: All)` };
    default:
      return { exists: true, usable: false, reason: `Vendor ${vendor.number} has an unknown Blocked value ${JSON.stringify(vendor.blocked)}` };
  }
}

/**
 * Whether a G/L account (from `accounts.findByNumbers`) takes entries from a purchase line, as BC checks it
 * (page `APIV2 - Accounts` exposes `blocked`, `accountType` and `directPosting`): it must exist, not be blocked,
 * be of type `Posting` (not a heading or total) and allow direct posting. Fields absent from the record are not
 * judged. `undefined` (not found) → does not exist.
 */
export function accountReferenceStatus(account: Pick<AccountFields, 'number'> & Partial<Pick<AccountFields, 'blocked' | 'accountType' | 'directPosting'>> | undefined): ReferenceStatus {
  if (!account) return MISSING('The G/L account');
  if (account.blocked === true) return { exists: true, usable: false, reason: `G/L account ${account.number} is blocked` };
  if (account.accountType !== undefined && account.accountType !== 'Posting') {
    return { exists: true, usable: false, reason: `G/L account ${account.number} is a ${account.accountType} account; only Posting accounts take entries` };
  }
  if (account.directPosting === false) {
    return { exists: true, usable: false, reason: `G/L account ${account.number} does not allow direct posting (Direct Posting is off)` };
  }
  return { exists: true, usable: true };
}

/**
 * Whether a dimension value (from `dimensionValues.findByCodes`) can be used. API v2.0's `dimensionValues` expose
 * neither `Blocked` nor `Dimension Value Type`, so an existing value counts as usable unless a record carries
 * `blocked: true` or a `dimensionValueType` other than `Standard` (custom API pages may add them); a blocked value
 * is otherwise only caught when the write fails. `undefined` → does not exist.
 */
export function dimensionValueReferenceStatus(
  value: { code: string; blocked?: unknown; dimensionValueType?: unknown } | undefined,
  dimensionCode?: string,
): ReferenceStatus {
  const name = dimensionCode ? `${dimensionCode} ${value?.code ?? ''}`.trim() : (value?.code ?? '');
  if (!value) return MISSING(dimensionCode ? `The value of dimension ${dimensionCode}` : 'The dimension value');
  if (value.blocked === true) return { exists: true, usable: false, reason: `Dimension value ${name} is blocked` };
  if (typeof value.dimensionValueType === 'string' && value.dimensionValueType !== 'Standard') {
    return { exists: true, usable: false, reason: `Dimension value ${name} is a ${value.dimensionValueType} value; only Standard values take entries` };
  }
  return { exists: true, usable: true };
}

/** Options of {@link businessCentralReferenceResolvers}. */
export interface BusinessCentralReferenceResolverOptions extends Omit<FindByKeysOptions, 'signal'> {
  /** What vendors are needed for. Default `'purchase'`. */
  vendorUse?: VendorReferenceStatusOptions['use'];
}

function withReasons(keys: readonly string[], status: (key: string) => ReferenceStatus, label: (key: string) => string): Map<string, ReferenceStatus> {
  return new Map(
    keys.map((key) => {
      const result = status(key);
      return [key, result.exists ? result : { ...result, reason: `${label(key)} does not exist` }];
    }),
  );
}

/**
 * Reference resolvers for a sync target writing into one Business Central company, keyed by reference kind:
 * `vendor` (vendor number), `account` (G/L account number), `dimensionValue` (`DIMENSION/VALUE`, e.g.
 * `DEPARTMENT/ADM`) and `currency` (currency code; `''` is the local currency, always usable). Each resolves a
 * whole batch of keys with the batched lookups: one request per chunk of keys (for dimension values: one for all
 * the dimensions, then one per chunk of values of each dimension).
 */
export function businessCentralReferenceResolvers(
  company: Pick<BusinessCentralCompany, 'vendors' | 'accounts' | 'dimensions' | 'dimensionValues' | 'currencies'>,
  options: BusinessCentralReferenceResolverOptions = {},
): { vendor: ReferenceResolver; account: ReferenceResolver; dimensionValue: ReferenceResolver; currency: ReferenceResolver } {
  const lookup = (context: ReadContext): FindByKeysOptions => ({
    ...(options.maxUrlLength !== undefined ? { maxUrlLength: options.maxUrlLength } : {}),
    ...(options.maxValuesPerChunk !== undefined ? { maxValuesPerChunk: options.maxValuesPerChunk } : {}),
    signal: context.signal,
  });
  return {
    async vendor(keys, context) {
      const found = await company.vendors.findByNumbers(keys, lookup(context));
      return withReasons(keys, (key) => vendorReferenceStatus(found.get(key), { use: options.vendorUse ?? 'purchase' }), (key) => `Vendor ${key}`);
    },
    async account(keys, context) {
      const found = await company.accounts.findByNumbers(keys, lookup(context));
      return withReasons(keys, (key) => accountReferenceStatus(found.get(key)), (key) => `G/L account ${key}`);
    },
    async dimensionValue(keys, context) {
      const byDimension = new Map<string, string[]>();
      for (const key of new Set(keys)) {
        const slash = key.indexOf('/');
        if (slash <= 0 || slash === key.length - 1) {
          throw new InvalidInputError(`Dimension value reference ${JSON.stringify(key)} must be "DIMENSION/VALUE", e.g. "DEPARTMENT/ADM"`, { field: 'key' });
        }
        const dimension = key.slice(0, slash);
        byDimension.set(dimension, [...(byDimension.get(dimension) ?? []), key.slice(slash + 1)]);
      }
      const statuses = new Map<string, ReferenceStatus>();
      // One request for every dimension's id, then one per chunk of values of each dimension.
      const dimensions = await company.dimensions.findByCodes([...byDimension.keys()], lookup(context));
      await Promise.all(
        [...byDimension].map(async ([dimension, codes]) => {
          const owner = dimensions.get(dimension);
          const found = owner ? await company.dimensionValues.findByCodes(owner, codes, lookup(context)) : new Map<string, never>();
          for (const code of codes) {
            const status = dimensionValueReferenceStatus(found.get(code), dimension);
            statuses.set(`${dimension}/${code}`, status.exists ? status : { ...status, reason: `Dimension value ${dimension}/${code} does not exist` });
          }
        }),
      );
      return statuses;
    },
    async currency(keys, context) {
      const codes = keys.filter((key) => key !== '');
      const found = codes.length > 0 ? await company.currencies.findByCodes(codes, lookup(context)) : new Map();
      return withReasons(
        keys,
        (key): ReferenceStatus => (key === '' || found.has(key) ? { exists: true, usable: true } : MISSING('The currency')),
        (key) => `Currency ${key}`,
      );
    },
  };
}
