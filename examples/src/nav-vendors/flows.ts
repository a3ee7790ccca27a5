import { isNotFoundError } from '@ml-connector/core';
import {
  CheckpointUnreadableError,
  contentHash,
  diffFields,
  type ReadContext,
  type SourcePage,
  type SyncFlow,
  type SyncSource,
  type SyncStore,
  type SyncTarget,
  type TargetDocument,
} from '@ml-connector/core/sync';
import type { JaggaerClient, Supplier, SupplierInput } from '@ml-connector/jaggaer-j1p';
import type { NavClient, NavVendor, NavVendorInput } from '@ml-connector/nav';
import { writableFields, type VendorConflictPolicy, type VendorSide } from './policy.ts';
import { changedFields, fieldsOfNavVendor, fieldsOfSupplier, pick, supplierStamp, type VendorChange, type VendorFields } from './records.ts';

/** Flow names: JAGGAER → NAV and NAV → JAGGAER. */
export const NAV_VENDORS_TO_NAV = 'nav-vendors.to-nav';
export const NAV_VENDORS_TO_JAGGAER = 'nav-vendors.to-jaggaer';

/** A record as read, with the source's echo finding. */
export interface Read<T> {
  readonly record: T;
  readonly number: string;
  readonly modifiedAt?: string;
  /** Set when the record is exactly the state the opposite flow wrote (see the README). */
  readonly echoOf?: string;
}

/** Options shared by both directions. */
export interface VendorFlowOptions {
  readonly nav: NavClient;
  readonly jaggaer: JaggaerClient;
  /** The state store: its ledger tells each source what the opposite flow wrote. */
  readonly store: SyncStore;
  readonly policy: VendorConflictPolicy;
  /** Payment terms of vendors created in NAV (JAGGAER's profile has none). Default `NET 30`. */
  readonly defaultPaymentTerms?: string;
  /** Re-read window before the high-water mark. @default 2 minutes */
  readonly lookbackMs?: number;
  /** Records per page handed to the engine. @default 100 */
  readonly pageSize?: number;
}

const LOOKBACK_MS = 120_000;

/**
 * A stream read by modification time from a high-water mark (minus a look-back), every page but the last with the
 * previous cursor. Each page is checked against the opposite flow's ledger: a record whose version is the target
 * version that flow kept after its write is marked as an echo. Parents come before their children in a page.
 */
function highWaterSource<T>(options: {
  system: VendorSide;
  stream: string;
  list: (since: string | undefined, signal: AbortSignal) => AsyncIterable<T>;
  get: (number: string, signal: AbortSignal) => Promise<T | undefined>;
  describe: (record: T) => { number: string; modifiedAt?: string; version: string; parent?: string };
  writable: (record: T) => unknown;
  echo?: { store: SyncStore; flow: string; sourceSystem: VendorSide; label: string };
  lookbackMs: number;
  pageSize: number;
}): SyncSource<Read<T>> {
  const prefix = `${options.stream}:v1:`;
  const tag = async (records: readonly T[]): Promise<Read<T>[]> => {
    const out: Read<T>[] = [];
    for (const record of records) {
      const { number, modifiedAt, version } = options.describe(record);
      let echoOf: string | undefined;
      if (options.echo) {
        const entry = await options.echo.store.getLedgerEntry({ flow: options.echo.flow, sourceSystem: options.echo.sourceSystem, sourceId: number });
        if (entry?.state === 'confirmed' && entry.targetVersion !== undefined && entry.targetVersion === version) {
          echoOf = `${options.echo.flow}'s write of ${options.echo.label} ${number} (version ${version})`;
        }
      }
      out.push({ record, number, ...(modifiedAt ? { modifiedAt } : {}), ...(echoOf ? { echoOf } : {}) });
    }
    // Parents first, so a child's parent exists when the child is written.
    const numbers = new Set(out.map((r) => r.number));
    return out.sort((a, b) => {
      const pa = options.describe(a.record).parent;
      const pb = options.describe(b.record).parent;
      return Number(pa !== undefined && pa !== '' && numbers.has(pa)) - Number(pb !== undefined && pb !== '' && numbers.has(pb));
    });
  };
  return {
    system: options.system,
    stream: options.stream,
    query: { modifiedSince: 'high-water mark' },
    async *read(cursor: string | undefined, context: ReadContext): AsyncIterable<SourcePage<Read<T>>> {
      let since: string | undefined;
      if (cursor !== undefined) {
        since = cursor.startsWith(prefix) ? cursor.slice(prefix.length) : undefined;
        if (!since || Number.isNaN(Date.parse(since))) throw new CheckpointUnreadableError(`the saved ${options.stream} cursor cannot be read`);
      }
      let highWater = since ? Date.parse(since) + options.lookbackMs : 0;
      let page: T[] = [];
      for await (const record of options.list(since, context.signal)) {
        const modifiedAt = options.describe(record).modifiedAt;
        if (modifiedAt) highWater = Math.max(highWater, Date.parse(modifiedAt));
        page.push(record);
        if (page.length === options.pageSize) {
          yield { records: await tag(page), cursor: cursor ?? `${prefix}${new Date(0).toISOString()}` };
          page = [];
        }
      }
      yield { records: await tag(page), cursor: `${prefix}${new Date(Math.max(0, highWater - options.lookbackMs)).toISOString()}` };
    },
    async fetch(sourceId, context) {
      const record = await options.get(sourceId, context.signal);
      return record === undefined ? undefined : (await tag([record]))[0];
    },
    identify: (read) => ({
      id: read.number,
      // Every synced field: under `owner` a change of a field this side does not own must still be seen, to put
      // the owner's value back.
      version: contentHash(options.writable(read.record)),
      businessIds: [read.number],
      ...(read.echoOf ? { echoOf: read.echoOf } : {}),
    }),
  };
}

const notFoundAsUndefined = async <T>(read: () => Promise<T>): Promise<T | undefined> => {
  try {
    return await read();
  } catch (error) {
    if (isNotFoundError(error)) return undefined;
    throw error;
  }
};

/** Under `latest`, true when the target changed after the source: the source's change loses and nothing is written. */
function targetIsNewer(policy: VendorConflictPolicy, change: VendorChange, targetModifiedAt: string | undefined): boolean {
  return policy.kind === 'latest' && change.modifiedAt !== undefined && targetModifiedAt !== undefined && Date.parse(targetModifiedAt) > Date.parse(change.modifiedAt);
}

function navDocument(vendor: NavVendor, written: boolean): TargetDocument {
  // The version is kept in the ledger only for a write: it is what marks the vendor read back as this flow's echo.
  return { id: vendor.number, ...(written && vendor.etag ? { version: vendor.etag } : {}), locked: false, snapshot: fieldsOfNavVendor(vendor) };
}

function navInput(fields: VendorFields): NavVendorInput {
  const input: NavVendorInput = {};
  if (fields.name !== undefined) input.name = fields.name;
  if (fields.status !== undefined) input.blocked = fields.status === 'blocked' ? 'All' : '';
  if (fields.email !== undefined) input.email = fields.email;
  if (fields.parent !== undefined) input.payToVendorNumber = fields.parent;
  return input;
}

/** JAGGAER supplier profiles → NAV vendors. */
export function createVendorsToNavFlow(options: VendorFlowOptions): SyncFlow<Read<Supplier>, VendorChange> {
  const { nav, jaggaer, store, policy } = options;
  const writable = writableFields(policy, 'jaggaer');
  const paymentTerms = options.defaultPaymentTerms ?? 'NET 30';
  const write = async (change: VendorChange, signal: AbortSignal) => {
    const current = await notFoundAsUndefined(() => nav.vendors.get(change.number, { signal }));
    if (!current) {
      // A vendor NAV does not have yet gets every field JAGGAER holds, whoever owns it, and the default payment terms.
      const created = await nav.vendors.create({ number: change.number, ...navInput(change.all), paymentTermsCode: paymentTerms }, { signal });
      return navDocument(created, true);
    }
    if (targetIsNewer(policy, change, current.lastModified ?? undefined)) return navDocument(current, false);
    await restoreOwnedInJaggaer(current, change, signal);
    const patch = changedFields(fieldsOfNavVendor(current), change.fields);
    if (Object.keys(patch).length === 0) return navDocument(current, policy.kind === 'latest');
    return navDocument(await nav.vendors.update(change.number, navInput(patch), { etag: current.etag ?? '*', signal }), true);
  };
  // Under `owner`, a JAGGAER change of a field NAV owns is put back to NAV's value in JAGGAER (the owner wins).
  const restoreOwnedInJaggaer = async (vendor: NavVendor, change: VendorChange, signal: AbortSignal) => {
    if (policy.kind !== 'owner') return;
    const navOwned = pick(fieldsOfNavVendor(vendor), writableFields(policy, 'nav'));
    const differing = changedFields(change.all, navOwned);
    if (Object.keys(differing).length > 0) await jaggaer.suppliers.upsert(supplierInput(change.number, differing), { signal });
  };
  return {
    name: NAV_VENDORS_TO_NAV,
    source: highWaterSource<Supplier>({
      system: 'jaggaer',
      stream: 'supplier-profiles',
      list: (since, signal) => jaggaer.suppliers.list({ ...(since ? { modifiedSince: since } : {}), signal }),
      get: (number, signal) => notFoundAsUndefined(() => jaggaer.suppliers.get(number, { signal })),
      describe: (supplier) => ({
        number: supplier.supplierNumber ?? supplier.bravoId,
        ...(supplier.lastModified ? { modifiedAt: supplier.lastModified } : {}),
        version: supplierStamp(supplier),
        ...(supplier.parentSupplierNumber ? { parent: supplier.parentSupplierNumber } : {}),
      }),
      writable: (supplier) => fieldsOfSupplier(supplier),
      ...(policy.kind === 'latest' ? { echo: { store, flow: NAV_VENDORS_TO_JAGGAER, sourceSystem: 'nav' as const, label: 'JAGGAER supplier' } } : {}),
      lookbackMs: options.lookbackMs ?? LOOKBACK_MS,
      pageSize: options.pageSize ?? 100,
    }),
    map: (read) => {
      const all = fieldsOfSupplier(read.record);
      return { number: read.number, fields: pick(all, writable), all, ...(read.modifiedAt ? { modifiedAt: read.modifiedAt } : {}) };
    },
    target: {
      system: 'nav',
      naturalKey: (change) => change.number,
      references: () => [{ kind: 'paymentTerms', key: paymentTerms, field: 'paymentTermsCode (NAV_DEFAULT_PAYMENT_TERMS)' }],
      resolvers: {
        paymentTerms: async (keys, context) => {
          const found = new Set((await nav.paymentTerms.listIn('code', keys, { signal: context.signal })).map((terms) => terms.code));
          return new Map(keys.map((key) => [key, found.has(key) ? { exists: true, usable: true } : { exists: false, usable: false, reason: `Payment terms ${key} do not exist in NAV` }]));
        },
      },
      find: async (change, context) => {
        const vendor = await notFoundAsUndefined(() => nav.vendors.get(change.number, { signal: context.signal }));
        return vendor ? navDocument(vendor, false) : undefined;
      },
      get: async (number, context) => {
        const vendor = await notFoundAsUndefined(() => nav.vendors.get(number, { signal: context.signal }));
        return vendor ? navDocument(vendor, false) : undefined;
      },
      create: async (change, context) => ({ document: await write(change, context.signal) }),
      update: async (_current, change, context) => ({ document: await write(change, context.signal) }),
      diff: (current, change) => diffFields(current ? pick(current.snapshot as VendorFields, Object.keys(change.fields) as never) : undefined, change.fields),
    } satisfies SyncTarget<VendorChange>,
    mappingVersion: contentHash(policy),
  };
}

function supplierDocument(supplier: Supplier, written: boolean): TargetDocument {
  return { id: supplier.supplierNumber ?? supplier.bravoId, ...(written ? { version: supplierStamp(supplier) } : {}), locked: false, snapshot: fieldsOfSupplier(supplier) };
}

function supplierInput(number: string, fields: VendorFields): SupplierInput {
  const input: SupplierInput = { supplierNumber: number };
  if (fields.name !== undefined) input.companyName = fields.name;
  if (fields.status !== undefined) input.status = fields.status === 'blocked' ? 'INACTIVE' : 'ACTIVE';
  if (fields.email !== undefined && fields.email !== '') input.email = fields.email;
  if (fields.parent !== undefined) input.parentSupplierNumber = fields.parent === '' ? null : fields.parent;
  return input;
}

/** NAV vendors → JAGGAER supplier profiles. */
export function createVendorsToJaggaerFlow(options: VendorFlowOptions): SyncFlow<Read<NavVendor>, VendorChange> {
  const { nav, jaggaer, store, policy } = options;
  const writable = writableFields(policy, 'nav');
  const write = async (change: VendorChange, signal: AbortSignal) => {
    const current = await notFoundAsUndefined(() => jaggaer.suppliers.get(change.number, { signal }));
    let fields = change.fields;
    if (!current) {
      fields = change.all; // a new profile gets every field NAV holds
    } else {
      if (targetIsNewer(policy, change, current.lastModified)) return supplierDocument(current, false);
      await restoreOwnedInNav(current, change, signal);
      fields = changedFields(fieldsOfSupplier(current), change.fields);
      if (Object.keys(fields).length === 0) return supplierDocument(current, policy.kind === 'latest');
    }
    await jaggaer.suppliers.upsert(supplierInput(change.number, fields), { signal });
    // The upsert answers no modification time: read the profile back to keep its version in the ledger.
    return supplierDocument(await jaggaer.suppliers.get(change.number, { signal }), true);
  };
  // Under `owner`, a NAV change of a field JAGGAER owns is put back to JAGGAER's value in NAV (the owner wins).
  const restoreOwnedInNav = async (supplier: Supplier, change: VendorChange, signal: AbortSignal) => {
    if (policy.kind !== 'owner') return;
    const jaggaerOwned = pick(fieldsOfSupplier(supplier), writableFields(policy, 'jaggaer'));
    const differing = changedFields(change.all, jaggaerOwned);
    if (Object.keys(differing).length === 0) return;
    const vendor = await nav.vendors.get(change.number, { signal });
    await nav.vendors.update(change.number, navInput(differing), { etag: vendor.etag ?? '*', signal });
  };
  return {
    name: NAV_VENDORS_TO_JAGGAER,
    source: highWaterSource<NavVendor>({
      system: 'nav',
      stream: 'vendors',
      list: (since, signal) => nav.vendors.list({ ...(since ? { modifiedSince: since } : {}), signal }),
      get: (number, signal) => notFoundAsUndefined(() => nav.vendors.get(number, { signal })),
      describe: (vendor) => ({
        number: vendor.number,
        ...(vendor.lastModified ? { modifiedAt: vendor.lastModified } : {}),
        version: vendor.etag ?? '',
        ...(vendor.payToVendorNumber ? { parent: vendor.payToVendorNumber } : {}),
      }),
      writable: (vendor) => fieldsOfNavVendor(vendor),
      ...(policy.kind === 'latest' ? { echo: { store, flow: NAV_VENDORS_TO_NAV, sourceSystem: 'jaggaer' as const, label: 'NAV vendor' } } : {}),
      lookbackMs: options.lookbackMs ?? LOOKBACK_MS,
      pageSize: options.pageSize ?? 100,
    }),
    map: (read) => {
      const all = fieldsOfNavVendor(read.record);
      return { number: read.number, fields: pick(all, writable), all, ...(read.modifiedAt ? { modifiedAt: read.modifiedAt } : {}) };
    },
    target: {
      system: 'jaggaer',
      naturalKey: (change) => change.number,
      find: async (change, context) => {
        const supplier = await notFoundAsUndefined(() => jaggaer.suppliers.get(change.number, { signal: context.signal }));
        return supplier ? supplierDocument(supplier, false) : undefined;
      },
      get: async (number, context) => {
        const supplier = await notFoundAsUndefined(() => jaggaer.suppliers.get(number, { signal: context.signal }));
        return supplier ? supplierDocument(supplier, false) : undefined;
      },
      create: async (change, context) => ({ document: await write(change, context.signal) }),
      update: async (_current, change, context) => ({ document: await write(change, context.signal) }),
      diff: (current, change) => diffFields(current ? pick(current.snapshot as VendorFields, Object.keys(change.fields) as never) : undefined, change.fields),
    } satisfies SyncTarget<VendorChange>,
    mappingVersion: contentHash(policy),
  };
}

/** Both directions, JAGGAER → NAV first. */
export function createNavVendorFlows(options: VendorFlowOptions): [SyncFlow<Read<Supplier>, VendorChange>, SyncFlow<Read<NavVendor>, VendorChange>] {
  return [createVendorsToNavFlow(options), createVendorsToJaggaerFlow(options)];
}
