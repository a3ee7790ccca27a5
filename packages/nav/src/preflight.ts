import type { ReadContext, ReferenceResolver, ReferenceStatus } from '@ml-connector/core/sync';
import type { NavClient } from './client.js';
import type { NavGlAccount, NavDimensionValue } from './resources/read-only.js';
import type { NavVendor } from './resources/vendors.js';

const MISSING = (what: string): ReferenceStatus => ({ exists: false, usable: false, reason: `${what} does not exist` });

/**
 * Whether a vendor (from `vendors.listIn`) can be used on purchase documents. NAV's `Blocked` on the Vendor Card:
 * blank → usable; `Payment` → usable on documents (it stops payments only); `All` or any other caption (a
 * translated or customised option) → not usable, so an unknown option cannot slip through.
 */
export function navVendorReferenceStatus(vendor: Pick<NavVendor, 'number' | 'blocked'> | undefined): ReferenceStatus {
  if (!vendor) return MISSING('The vendor');
  const blocked = vendor.blocked ?? '';
  if (blocked === '' || blocked === 'Payment') return { exists: true, usable: true };
  return { exists: true, usable: false, reason: `Vendor ${vendor.number} is blocked (${blocked})` };
}

/** Whether a G/L account takes entries from documents: a Posting account, not blocked, direct posting allowed. */
export function navGlAccountReferenceStatus(account: Pick<NavGlAccount, 'number' | 'accountType' | 'blocked' | 'directPosting'> | undefined): ReferenceStatus {
  if (!account) return MISSING('The G/L account');
  if (account.accountType !== undefined && account.accountType !== null && account.accountType !== 'Posting') {
    return { exists: true, usable: false, reason: `G/L account ${account.number} is a ${account.accountType} account; only Posting accounts take entries` };
  }
  if (account.blocked === true) return { exists: true, usable: false, reason: `G/L account ${account.number} is blocked` };
  if (account.directPosting === false) return { exists: true, usable: false, reason: `G/L account ${account.number} does not allow direct posting` };
  return { exists: true, usable: true };
}

/** Whether a dimension value can be used (exists and is not blocked). */
export function navDimensionValueReferenceStatus(value: Pick<NavDimensionValue, 'dimensionCode' | 'code' | 'blocked'> | undefined, key = ''): ReferenceStatus {
  if (!value) return MISSING(`Dimension value ${key}`.trim());
  if (value.blocked === true) return { exists: true, usable: false, reason: `Dimension value ${value.dimensionCode}/${value.code} is blocked` };
  return { exists: true, usable: true };
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
 * Reference resolvers for a sync target writing into one NAV company, keyed by reference kind: `vendor` (vendor
 * number), `account` (G/L account number), `dimensionValue` (`DIMENSION/VALUE`, e.g. `DEPARTMENT/ADM`) and
 * `purchaseOrder` (`VENDOR/VENDOR_ORDER_NO`: an open purchase order of that vendor whose `Vendor_Order_No` is the
 * reference). Each resolves a whole batch with `listIn`: one request per 20 keys (dimension values: per dimension,
 * because NAV refuses `or` across different fields).
 */
export function navReferenceResolvers(nav: NavClient): Readonly<Record<'vendor' | 'account' | 'dimensionValue' | 'purchaseOrder', ReferenceResolver>> {
  return {
    vendor: async (keys: readonly string[], context: ReadContext) => {
      const found = new Map((await nav.vendors.listIn(keys, { signal: context.signal })).map((v) => [v.number, v]));
      return withReasons(keys, (key) => navVendorReferenceStatus(found.get(key)), (key) => `Vendor ${key}`);
    },
    account: async (keys: readonly string[], context: ReadContext) => {
      const found = new Map((await nav.glAccounts.listIn('number', keys, { signal: context.signal })).map((a) => [a.number, a]));
      return withReasons(keys, (key) => navGlAccountReferenceStatus(found.get(key)), (key) => `G/L account ${key}`);
    },
    dimensionValue: async (keys: readonly string[], context: ReadContext) => {
      const byDimension = new Map<string, string[]>();
      for (const key of keys) {
        const slash = key.indexOf('/');
        const dimension = slash < 0 ? key : key.slice(0, slash);
        byDimension.set(dimension, [...(byDimension.get(dimension) ?? []), slash < 0 ? '' : key.slice(slash + 1)]);
      }
      const found = new Map<string, NavDimensionValue>();
      for (const [dimensionCode, codes] of byDimension) {
        const usable = codes.filter((code) => code !== '');
        if (usable.length === 0) continue;
        for (const value of await nav.dimensionValues.listIn('code', usable, { where: { dimensionCode }, signal: context.signal })) {
          found.set(`${value.dimensionCode}/${value.code}`, value);
        }
      }
      return withReasons(keys, (key) => navDimensionValueReferenceStatus(found.get(key), key), (key) => `Dimension value ${key}`);
    },
    purchaseOrder: async (keys: readonly string[], context: ReadContext) => {
      const references = [...new Set(keys.map((key) => key.slice(key.indexOf('/') + 1)))];
      const orders = await nav.purchaseOrders.listIn('vendorOrderNumber', references, { signal: context.signal });
      const found = new Map(orders.map((order) => [`${order.vendorNumber ?? ''}/${order.vendorOrderNumber ?? ''}`, order]));
      return new Map(
        keys.map((key): [string, ReferenceStatus] => {
          const order = found.get(key);
          if (!order) return [key, MISSING(`A NAV purchase order of vendor ${key.slice(0, key.indexOf('/'))} with Vendor Order No. ${key.slice(key.indexOf('/') + 1)}`)];
          return [key, { exists: true, usable: true }];
        }),
      );
    },
  };
}
