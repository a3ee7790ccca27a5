import { isNotFoundError } from '@ml-connector/core';
import {
  CheckpointUnreadableError,
  DataError,
  contentHash,
  diffFields,
  type MappingSet,
  type ReadContext,
  type SourcePage,
  type SyncFlow,
  type SyncSource,
  type SyncStore,
  type SyncTarget,
  type TargetDocument,
  type WriteResult,
} from '@ml-connector/core/sync';
import type { JaggaerClient, Supplier } from '@ml-connector/jaggaer-j1p';
import type { NavClient, NavContact, NavVendor } from '@ml-connector/nav';
import { writableFields, type VendorConflictPolicy, type VendorSide } from './policy.ts';
import {
  changedFields,
  createVendorMapper,
  inSync,
  navStamp,
  pick,
  supplierContent,
  supplierStamp,
  type NavVendorRecord,
  type VendorChange,
  type VendorFields,
  type VendorMapper,
} from './records.ts';

/** Flow names: JAGGAER → NAV and NAV → JAGGAER. */
export const NAV_VENDORS_TO_NAV = 'nav-vendors.to-nav';
export const NAV_VENDORS_TO_JAGGAER = 'nav-vendors.to-jaggaer';

/** A record as read, with the source's echo finding. */
export interface Read<T> {
  readonly record: T;
  readonly number: string;
  readonly modifiedAt?: string;
  /** Set when the record is exactly the state the opposite flow wrote, or this flow put back (see the README). */
  readonly echoOf?: string;
}

/** Options shared by both directions. */
export interface VendorFlowOptions {
  readonly nav: NavClient;
  readonly jaggaer: JaggaerClient;
  /** The state store: its ledger tells each source what the opposite flow wrote; it also keeps the versions of put-backs. */
  readonly store: SyncStore;
  readonly policy: VendorConflictPolicy;
  /** Crosswalks; `payment-terms` (NAV code → JAGGAER code) is required. */
  readonly mappings: MappingSet;
  /** Payment terms of vendors created in NAV when the JAGGAER profile has none. Default `NET 30`. */
  readonly defaultPaymentTerms?: string;
  /** Re-read window before the high-water mark. @default 2 minutes */
  readonly lookbackMs?: number;
  /** Records per page handed to the engine. @default 100 */
  readonly pageSize?: number;
}

const LOOKBACK_MS = 120_000;

/**
 * The versions a flow left on its OWN source when it put an owner's value back there (under `owner`: NAV → JAGGAER
 * restoring a NAV-owned field in NAV, JAGGAER → NAV one in JAGGAER). The engine's ledger keeps the target's version
 * after a write; a put-back is a write to the source, so its version is kept here, in the store, one key per side and
 * vendor, and the source skips the put-back when it reads it again.
 */
interface PutBackVersions {
  get(side: VendorSide, number: string): Promise<string | undefined>;
  /** Keeps `version`, or forgets the side's version when undefined (the put-back left something to sync). */
  set(side: VendorSide, number: string, version: string | undefined): Promise<void>;
}

function putBackVersions(store: SyncStore): PutBackVersions {
  const values = store.keyValue('nav-vendors.put-back');
  return {
    get: (side, number) => values.get(`${side}:${number}`),
    set: async (side, number, version) => {
      if (version === undefined) await values.delete(`${side}:${number}`);
      else await values.set(`${side}:${number}`, version);
    },
  };
}

/**
 * A stream read by modification time from a high-water mark (minus a look-back), every page but the last with the
 * previous cursor. Each page is checked against the opposite flow's ledger and this flow's put-backs: a record whose
 * version is the target version that flow kept after its writes, or the version this flow's last put-back left, is
 * marked as an echo. Parents come before their children in a page.
 */
function highWaterSource<T>(options: {
  system: VendorSide;
  stream: string;
  list: (since: string | undefined, signal: AbortSignal) => AsyncIterable<T>;
  get: (number: string, signal: AbortSignal) => Promise<T | undefined>;
  describe: (record: T) => { number: string; modifiedAt?: string; version: string; parent?: string };
  writable: (record: T) => unknown;
  /** The opposite flow, whose ledger keeps the version of each record it wrote to this source's system. */
  echo: { store: SyncStore; flow: string; sourceSystem: VendorSide; label: string; putBacks: PutBackVersions };
  lookbackMs: number;
  pageSize: number;
}): SyncSource<Read<T>> {
  const prefix = `${options.stream}:v1:`;
  const { echo } = options;
  const tag = async (records: readonly T[]): Promise<Read<T>[]> => {
    const out: Read<T>[] = [];
    for (const record of records) {
      const { number, modifiedAt, version } = options.describe(record);
      let echoOf: string | undefined;
      const entry = await echo.store.getLedgerEntry({ flow: echo.flow, sourceSystem: echo.sourceSystem, sourceId: number });
      if (entry?.state === 'confirmed' && entry.targetVersion !== undefined && entry.targetVersion === version) {
        echoOf = `${echo.flow}'s write of ${echo.label} ${number} (version ${version})`;
      } else if ((await echo.putBacks.get(options.system, number)) === version) {
        echoOf = `the owner's values put back in ${echo.label} ${number} (version ${version})`;
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

/**
 * When a NAV vendor last changed, for `latest`: the vendor's timestamp or its primary contact's change, whichever is
 * later. NAV stamps a contact with a day only, so a contact change counts as the start of that day: a contact edited
 * in NAV loses a conflict with a JAGGAER change of the same day. Only for conflicts: the high-water mark follows the
 * vendor's own timestamp.
 */
function navChangedAt(record: NavVendorRecord): string | undefined {
  const day = record.contact?.lastModifiedDate;
  const contactAt = day ? Date.parse(`${day}T00:00:00Z`) : Number.NEGATIVE_INFINITY;
  const vendorAt = record.vendor.lastModified ? Date.parse(record.vendor.lastModified) : Number.NEGATIVE_INFINITY;
  const at = Math.max(contactAt, vendorAt);
  return Number.isFinite(at) ? new Date(at).toISOString() : undefined;
}

/** Under `latest`, true when the target changed after the source: the source's change loses and nothing is written. */
function targetIsNewer(policy: VendorConflictPolicy, change: VendorChange, targetModifiedAt: string | undefined): boolean {
  return policy.kind === 'latest' && change.modifiedAt !== undefined && targetModifiedAt !== undefined && Date.parse(targetModifiedAt) > Date.parse(change.modifiedAt);
}

/**
 * The NAV vendor as this flow leaves it. Its version goes to the ledger (`targetVersion`, what marks the vendor read
 * back by NAV → JAGGAER as an echo) only when `echo`: after all writes, vendor and contact, both sides agree (see
 * {@link settle}).
 */
function navDocument(mapper: VendorMapper, record: NavVendorRecord, echo: boolean): TargetDocument {
  return { id: record.vendor.number, ...(echo ? { version: navStamp(record) } : {}), locked: false, snapshot: mapper.ofNav(record) };
}

/** The synced fields of a profile; undefined when they cannot be mapped (a payment terms code without a crosswalk row). */
function supplierFields(mapper: VendorMapper, supplier: Supplier): VendorFields | undefined {
  try {
    return mapper.ofSupplier(supplier);
  } catch (error) {
    if (error instanceof DataError) return undefined;
    throw error;
  }
}

/**
 * After a flow's writes of one vendor: true when the two sides, as they are now, leave nothing for either flow to
 * write. Only then are the versions the flow leaves (the target's in the ledger, a put-back's on its own source)
 * echoes to skip; otherwise the other side's reader must see the record, so a change the write did not cover (one made
 * on the target since the last sync) still goes across.
 */
function settle(policy: VendorConflictPolicy, nav: VendorFields | undefined, jaggaer: VendorFields | undefined): boolean {
  return nav !== undefined && jaggaer !== undefined && inSync(policy, nav, jaggaer);
}

/** Reads a NAV vendor with its primary contact; undefined when the vendor does not exist. */
async function readNavVendor(nav: NavClient, number: string, signal: AbortSignal): Promise<NavVendorRecord | undefined> {
  const vendor = await notFoundAsUndefined(() => nav.vendors.get(number, { signal }));
  if (!vendor) return undefined;
  const contact = vendor.primaryContactNumber ? await notFoundAsUndefined(() => nav.contacts.get(vendor.primaryContactNumber as string, { signal })) : undefined;
  return contact ? { vendor, contact } : { vendor };
}

/** Adds each vendor's primary contact, one batched lookup for the lot. */
async function withContacts(nav: NavClient, vendors: readonly NavVendor[], signal: AbortSignal): Promise<NavVendorRecord[]> {
  const numbers = [...new Set(vendors.map((vendor) => vendor.primaryContactNumber).filter((n): n is string => Boolean(n)))];
  const contacts = numbers.length > 0 ? await nav.contacts.listIn(numbers, { signal }) : [];
  const byNumber = new Map<string, NavContact>(contacts.map((contact) => [contact.number, contact]));
  return vendors.map((vendor) => {
    const contact = vendor.primaryContactNumber ? byNumber.get(vendor.primaryContactNumber) : undefined;
    return contact ? { vendor, contact } : { vendor };
  });
}

/**
 * NAV vendors changed since `since`, with their primary contacts, in pages; then the vendors whose primary contact
 * changed since (NAV stamps contacts with a day only, and a contact change leaves the vendor's timestamp alone).
 */
async function* navVendorRecords(nav: NavClient, since: string | undefined, signal: AbortSignal, pageSize: number): AsyncIterable<NavVendorRecord> {
  const seen = new Set<string>();
  let page: NavVendor[] = [];
  for await (const vendor of nav.vendors.list({ ...(since ? { modifiedSince: since } : {}), signal })) {
    seen.add(vendor.number);
    page.push(vendor);
    if (page.length === pageSize) {
      yield* await withContacts(nav, page, signal);
      page = [];
    }
  }
  yield* await withContacts(nav, page, signal);
  if (since === undefined) return;
  const people = await nav.contacts.list({ modifiedSince: since, where: { type: 'Person' }, signal }).toArray({ limit: 100_000 });
  const numbers = people.map((person) => person.number);
  if (numbers.length === 0) return;
  const vendors = (await nav.vendors.listIn(numbers, { field: 'primaryContactNumber', signal })).filter((vendor) => !seen.has(vendor.number));
  yield* await withContacts(nav, vendors, signal);
}

/**
 * Writes vendor fields to NAV: the Vendor Card fields with `If-Match`, then the primary contact: updated when the
 * vendor has one, otherwise a person created under the vendor's company contact and made its Primary Contact No.
 * Returns the vendor as NAV now holds it.
 */
async function writeNav(nav: NavClient, mapper: VendorMapper, current: NavVendorRecord, fields: VendorFields, signal: AbortSignal): Promise<NavVendorRecord> {
  const number = current.vendor.number;
  let vendor = current.vendor;
  const vendorPatch = mapper.navInput(fields);
  if (Object.keys(vendorPatch).length > 0) vendor = await nav.vendors.update(number, vendorPatch, { etag: vendor.etag ?? '*', signal });
  const contactPatch = mapper.navContactInput(fields);
  if (contactPatch) {
    if (current.contact) {
      await nav.contacts.update(current.contact.number, contactPatch, { etag: current.contact.etag ?? '*', signal });
    } else {
      const company = await nav.contacts.companyContactOfVendor(number, { signal });
      if (!company) {
        throw new DataError('no-company-contact', `NAV vendor ${number} has no company contact to add its primary contact to (set Bus. Rel. Code for Vendors in Marketing Setup and create the contact from the vendor card), then replay`, { field: 'contactName' });
      }
      const person = await nav.contacts.create({ type: 'Person', companyNumber: company, name: contactPatch.name ?? '', ...(contactPatch.email !== undefined ? { email: contactPatch.email } : {}), ...(contactPatch.phone !== undefined ? { phone: contactPatch.phone } : {}) }, { signal });
      vendor = await nav.vendors.update(number, { primaryContactNumber: person.number }, { etag: vendor.etag ?? '*', signal });
    }
  }
  return (await readNavVendor(nav, number, signal)) ?? { vendor };
}

/** JAGGAER supplier profiles → NAV vendors. */
export function createVendorsToNavFlow(options: VendorFlowOptions): SyncFlow<Read<Supplier>, VendorChange> {
  const { nav, jaggaer, store, policy } = options;
  const mapper = createVendorMapper(options.mappings);
  const writable = writableFields(policy, 'jaggaer');
  const paymentTerms = options.defaultPaymentTerms ?? 'NET 30';
  const putBacks = putBackVersions(store);
  const write = async (change: VendorChange, signal: AbortSignal): Promise<WriteResult> => {
    const current = await readNavVendor(nav, change.number, signal);
    let written: NavVendorRecord;
    let putBack: Supplier | undefined;
    let unchanged = false;
    if (!current) {
      // A vendor NAV does not have yet gets every field JAGGAER holds, whoever owns it (the default payment terms
      // when JAGGAER has none), then its primary contact.
      const { contactName, contactEmail, contactPhone, ...vendorFields } = change.all;
      const created = await nav.vendors.create({ number: change.number, paymentTermsCode: paymentTerms, ...mapper.navInput(vendorFields) }, { signal });
      const contact = { ...(contactName !== undefined ? { contactName } : {}), ...(contactEmail !== undefined ? { contactEmail } : {}), ...(contactPhone !== undefined ? { contactPhone } : {}) };
      written = await writeNav(nav, mapper, { vendor: created }, contact, signal);
    } else {
      if (targetIsNewer(policy, change, navChangedAt(current))) return { document: navDocument(mapper, current, false), unchanged: true };
      putBack = await restoreOwnedInJaggaer(current, change, signal);
      const patch = changedFields(mapper.ofNav(current), change.fields);
      if (Object.keys(patch).length === 0 && !putBack) unchanged = true;
      written = Object.keys(patch).length === 0 ? current : await writeNav(nav, mapper, current, patch, signal);
    }
    // The versions kept are those after ALL writes of the vendor (vendor card, contact, put-back in JAGGAER).
    const echo = settle(policy, mapper.ofNav(written), putBack ? supplierFields(mapper, putBack) : change.all);
    if (putBack) await putBacks.set('jaggaer', change.number, echo ? supplierStamp(putBack) : undefined);
    return { document: navDocument(mapper, written, echo), ...(unchanged ? { unchanged } : {}) };
  };
  /**
   * Under `owner`, a JAGGAER change of a field NAV owns is put back to NAV's value in JAGGAER (the owner wins).
   * Returns the profile as JAGGAER holds it after the put-back; undefined when nothing was put back.
   */
  const restoreOwnedInJaggaer = async (record: NavVendorRecord, change: VendorChange, signal: AbortSignal): Promise<Supplier | undefined> => {
    if (policy.kind !== 'owner') return undefined;
    const navOwned = pick(mapper.ofNav(record), writableFields(policy, 'nav'));
    const differing = changedFields(change.all, navOwned);
    if (Object.keys(differing).length === 0) return undefined;
    await jaggaer.suppliers.upsert(mapper.supplierInput(change.number, differing), { signal });
    // The upsert answers no modification time: read the profile back for its version.
    return jaggaer.suppliers.get(change.number, { signal });
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
      writable: (supplier) => supplierContent(supplier),
      echo: { store, flow: NAV_VENDORS_TO_JAGGAER, sourceSystem: 'nav', label: 'JAGGAER supplier', putBacks },
      lookbackMs: options.lookbackMs ?? LOOKBACK_MS,
      pageSize: options.pageSize ?? 100,
    }),
    map: (read) => {
      const all = mapper.ofSupplier(read.record);
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
        const record = await readNavVendor(nav, change.number, context.signal);
        return record ? navDocument(mapper, record, false) : undefined;
      },
      get: async (number, context) => {
        const record = await readNavVendor(nav, number, context.signal);
        return record ? navDocument(mapper, record, false) : undefined;
      },
      create: (change, context) => write(change, context.signal),
      update: (_current, change, context) => write(change, context.signal),
      diff: (current, change) => diffFields(current ? pick(current.snapshot as VendorFields, Object.keys(change.fields) as never) : undefined, change.fields),
    } satisfies SyncTarget<VendorChange>,
    mappingVersion: contentHash({ policy, mappings: options.mappings.version }),
  };
}

/** The JAGGAER profile as this flow leaves it; its version goes to the ledger only when `echo` (see {@link navDocument}). */
function supplierDocument(mapper: VendorMapper, supplier: Supplier, echo: boolean): TargetDocument {
  return { id: supplier.supplierNumber ?? supplier.bravoId, ...(echo ? { version: supplierStamp(supplier) } : {}), locked: false, snapshot: mapper.ofSupplier(supplier) };
}

/** NAV vendors → JAGGAER supplier profiles. */
export function createVendorsToJaggaerFlow(options: VendorFlowOptions): SyncFlow<Read<NavVendorRecord>, VendorChange> {
  const { nav, jaggaer, store, policy } = options;
  const mapper = createVendorMapper(options.mappings);
  const writable = writableFields(policy, 'nav');
  const pageSize = options.pageSize ?? 100;
  const putBacks = putBackVersions(store);
  const write = async (change: VendorChange, signal: AbortSignal): Promise<WriteResult> => {
    const current = await notFoundAsUndefined(() => jaggaer.suppliers.get(change.number, { signal }));
    let fields = change.fields;
    let putBack: NavVendorRecord | undefined;
    if (!current) {
      fields = change.all; // a new profile gets every field NAV holds
    } else {
      if (targetIsNewer(policy, change, current.lastModified)) return { document: supplierDocument(mapper, current, false), unchanged: true };
      putBack = await restoreOwnedInNav(current, change, signal);
      fields = changedFields(mapper.ofSupplier(current), change.fields);
    }
    let written = current;
    if (!written || Object.keys(fields).length > 0) {
      await jaggaer.suppliers.upsert(mapper.supplierInput(change.number, fields), { signal });
      // The upsert answers no modification time: read the profile back for its version.
      written = await jaggaer.suppliers.get(change.number, { signal });
    }
    // The versions kept are those after ALL writes of the vendor (the profile, a put-back in NAV).
    const echo = settle(policy, putBack ? mapper.ofNav(putBack) : change.all, supplierFields(mapper, written));
    if (putBack) await putBacks.set('nav', change.number, echo ? navStamp(putBack) : undefined);
    return { document: supplierDocument(mapper, written, echo), ...(written === current && !putBack ? { unchanged: true } : {}) };
  };
  /**
   * Under `owner`, a NAV change of a field JAGGAER owns is put back to JAGGAER's value in NAV (the owner wins).
   * Returns the vendor as NAV holds it after the put-back (vendor and contact); undefined when nothing was put back.
   */
  const restoreOwnedInNav = async (supplier: Supplier, change: VendorChange, signal: AbortSignal): Promise<NavVendorRecord | undefined> => {
    if (policy.kind !== 'owner') return undefined;
    const jaggaerOwned = pick(mapper.ofSupplier(supplier), writableFields(policy, 'jaggaer'));
    const differing = changedFields(change.all, jaggaerOwned);
    if (Object.keys(differing).length === 0) return undefined;
    const current = await readNavVendor(nav, change.number, signal);
    return current ? writeNav(nav, mapper, current, differing, signal) : undefined;
  };
  return {
    name: NAV_VENDORS_TO_JAGGAER,
    source: highWaterSource<NavVendorRecord>({
      system: 'nav',
      stream: 'vendors',
      list: (since, signal) => navVendorRecords(nav, since, signal, pageSize),
      get: (number, signal) => readNavVendor(nav, number, signal),
      describe: (record) => ({
        number: record.vendor.number,
        ...(record.vendor.lastModified ? { modifiedAt: record.vendor.lastModified } : {}),
        version: navStamp(record),
        ...(record.vendor.payToVendorNumber ? { parent: record.vendor.payToVendorNumber } : {}),
      }),
      writable: (record) => mapper.ofNav(record),
      echo: { store, flow: NAV_VENDORS_TO_NAV, sourceSystem: 'jaggaer', label: 'NAV vendor', putBacks },
      lookbackMs: options.lookbackMs ?? LOOKBACK_MS,
      pageSize: options.pageSize ?? 100,
    }),
    map: (read) => {
      const all = mapper.ofNav(read.record);
      const modifiedAt = navChangedAt(read.record);
      return { number: read.number, fields: pick(all, writable), all, ...(modifiedAt ? { modifiedAt } : {}) };
    },
    target: {
      system: 'jaggaer',
      naturalKey: (change) => change.number,
      find: async (change, context) => {
        const supplier = await notFoundAsUndefined(() => jaggaer.suppliers.get(change.number, { signal: context.signal }));
        return supplier ? supplierDocument(mapper, supplier, false) : undefined;
      },
      get: async (number, context) => {
        const supplier = await notFoundAsUndefined(() => jaggaer.suppliers.get(number, { signal: context.signal }));
        return supplier ? supplierDocument(mapper, supplier, false) : undefined;
      },
      create: (change, context) => write(change, context.signal),
      update: (_current, change, context) => write(change, context.signal),
      diff: (current, change) => diffFields(current ? pick(current.snapshot as VendorFields, Object.keys(change.fields) as never) : undefined, change.fields),
    } satisfies SyncTarget<VendorChange>,
    mappingVersion: contentHash(policy),
  };
}

/** Both directions, JAGGAER → NAV first. */
export function createNavVendorFlows(options: VendorFlowOptions): [SyncFlow<Read<Supplier>, VendorChange>, SyncFlow<Read<NavVendorRecord>, VendorChange>] {
  return [createVendorsToNavFlow(options), createVendorsToJaggaerFlow(options)];
}
