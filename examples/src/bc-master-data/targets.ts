/**
 * JAGGAER targets of the master-data flows: supplier company profiles and chart-of-accounts coding values. Both
 * are upserts by natural key (supplier number; segment + code), so repeating a write is harmless; the engine's
 * ledger still decides what is written, and records every write in the audit.
 */
import type { JaggaerClient } from '@ml-connector/jaggaer-j1p';
import type { CodingValue, Supplier, SupplierInput } from '@ml-connector/jaggaer-j1p';
import type { FieldChange, SyncTarget, TargetDocument, WriteContext } from '@ml-connector/core/sync';

/** A JAGGAER supplier as the vendor flow writes it (every field it owns is set, so an upsert replaces them). */
export interface SupplierPayload {
  readonly supplierNumber: string;
  readonly companyName: string;
  readonly status: 'ACTIVE' | 'INACTIVE';
  readonly isoCountry?: string;
  readonly city?: string;
  readonly fiscalCode?: string;
  readonly email?: string;
}

/** A JAGGAER coding value as the account and dimension flows write it (read-only for JAGGAER users). */
export interface CodingValuePayload {
  /** JAGGAER segment (`account`, `department`, `project`). */
  readonly segment: string;
  readonly code: string;
  readonly description: string;
  /** False for blocked accounts and accounts without direct posting: kept on old documents, not pickable. */
  readonly active: boolean;
}

const isNotFound = (error: unknown): boolean => typeof error === 'object' && error !== null && (error as { status?: unknown }).status === 404;

/**
 * `find` for an upsert target: the engine calls it after a write whose outcome is unknown and adopts what it
 * returns as "that write landed". A profile that exists but differs from the payload is not our write (it may be
 * JAGGAER's own, older data), so it is not returned; it is kept for `diff`, so a dry run still shows the real change.
 */
function landedWrites<P extends object>(readExisting: (payload: P, context: WriteContext) => Promise<TargetDocument | undefined>, keyOf: (payload: P) => string) {
  const differing = new Map<string, TargetDocument>();
  return {
    async find(payload: P, context: WriteContext): Promise<TargetDocument | undefined> {
      const existing = await readExisting(payload, context);
      const key = keyOf(payload);
      if (existing && flatDiff(existing.snapshot, { ...payload } as Record<string, unknown>).length === 0) {
        differing.delete(key);
        return existing;
      }
      if (existing) differing.set(key, existing);
      else differing.delete(key);
      return undefined;
    },
    diff(current: TargetDocument | undefined, payload: P): FieldChange[] {
      const before = current ?? differing.get(keyOf(payload));
      return flatDiff(before?.snapshot, { ...payload } as Record<string, unknown>);
    },
  };
}

/** The fields of `after` that differ from `before` (both flat records), as field changes. */
export function flatDiff(before: Readonly<Record<string, unknown>> | undefined, after: Readonly<Record<string, unknown>>): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const [path, value] of Object.entries(after)) {
    if (value === undefined) continue;
    const previous = before?.[path];
    if (previous !== value) changes.push({ path, ...(previous !== undefined ? { before: previous } : {}), after: value });
  }
  return changes;
}

function supplierSnapshot(supplier: Supplier): Record<string, unknown> {
  const snapshot: Record<string, unknown> = {
    supplierNumber: supplier.supplierNumber,
    companyName: supplier.companyName,
    status: supplier.status,
    isoCountry: supplier.isoCountry,
    city: supplier.city,
    fiscalCode: supplier.fiscalCode,
    email: supplier.email,
  };
  return Object.fromEntries(Object.entries(snapshot).filter(([, v]) => v !== undefined));
}

function supplierDocument(supplier: Supplier, fallbackNumber: string): TargetDocument {
  return {
    id: supplier.supplierNumber ?? fallbackNumber,
    ...(supplier.lastModified !== undefined ? { version: supplier.lastModified } : {}),
    locked: false,
    snapshot: supplierSnapshot(supplier),
  };
}

function supplierInput(payload: SupplierPayload): SupplierInput {
  const input: SupplierInput = { supplierNumber: payload.supplierNumber, companyName: payload.companyName, status: payload.status };
  if (payload.isoCountry !== undefined) input.isoCountry = payload.isoCountry;
  if (payload.city !== undefined) input.city = payload.city;
  if (payload.fiscalCode !== undefined) input.fiscalCode = payload.fiscalCode;
  if (payload.email !== undefined) input.email = payload.email;
  return input;
}

/**
 * JAGGAER supplier profiles, keyed by supplier number (= the BC vendor number). Writes are `CREATEUPDATE` upserts
 * through `suppliers.upsertMany` (parents first; vendors have no hierarchy, so each call carries one supplier).
 */
export function createSupplierTarget(jaggaer: JaggaerClient): SyncTarget<SupplierPayload> {
  const read = async (supplierNumber: string, context: WriteContext): Promise<TargetDocument | undefined> => {
    try {
      return supplierDocument(await jaggaer.suppliers.get(supplierNumber, { signal: context.signal }), supplierNumber);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  };
  const write = async (payload: SupplierPayload, context: WriteContext) => {
    const [result] = await jaggaer.suppliers.upsertMany([supplierInput(payload)], { signal: context.signal });
    return {
      document: {
        id: result?.supplierNumber ?? payload.supplierNumber,
        locked: false,
        snapshot: { ...payload },
      },
    };
  };
  const naturalKey = (payload: SupplierPayload) => `supplier:${payload.supplierNumber}`;
  const landed = landedWrites<SupplierPayload>((payload, context) => read(payload.supplierNumber, context), naturalKey);
  return {
    system: 'jaggaer',
    naturalKey,
    find: landed.find,
    get: (targetId, context) => read(targetId, context),
    create: write,
    update: (_current, payload, context) => write(payload, context),
    diff: landed.diff,
  };
}

function codingSnapshot(value: CodingValue): Record<string, unknown> {
  return {
    segment: value.segment,
    code: value.code,
    ...(value.description !== undefined ? { description: value.description } : {}),
    ...(value.active !== undefined ? { active: value.active } : {}),
  };
}

/** The coding value's target id: `segment/code`. */
export const codingValueId = (segment: string, code: string): string => `${segment}/${code}`;

/**
 * JAGGAER chart-of-accounts coding values, keyed by segment and code. Writes are `CREATEUPDATE` upserts of one
 * value (all-or-nothing on the server).
 */
export function createCodingValueTarget(jaggaer: JaggaerClient): SyncTarget<CodingValuePayload> {
  const read = async (segment: string, code: string, context: WriteContext): Promise<TargetDocument | undefined> => {
    const wanted = code.toUpperCase();
    // The flt value is the code itself; JAGGAER matches codes case-insensitively, so compare the same way.
    for await (const value of jaggaer.codingValues.list({ segment, filter: `CODE==${code}`, signal: context.signal })) {
      if (value.code.toUpperCase() === wanted) {
        return { id: codingValueId(value.segment, value.code), ...(value.lastModified ? { version: value.lastModified } : {}), locked: false, snapshot: codingSnapshot(value) };
      }
    }
    return undefined;
  };
  const write = async (payload: CodingValuePayload, context: WriteContext) => {
    await jaggaer.codingValues.upsert([{ segment: payload.segment, code: payload.code, description: payload.description, active: payload.active }], {
      signal: context.signal,
    });
    return { document: { id: codingValueId(payload.segment, payload.code), locked: false, snapshot: { ...payload } } };
  };
  const naturalKey = (payload: CodingValuePayload) => `coding:${codingValueId(payload.segment, payload.code)}`;
  const landed = landedWrites<CodingValuePayload>((payload, context) => read(payload.segment, payload.code, context), naturalKey);
  return {
    system: 'jaggaer',
    naturalKey,
    find: landed.find,
    get: (targetId, context) => {
      const slash = targetId.indexOf('/');
      return read(targetId.slice(0, slash), targetId.slice(slash + 1), context);
    },
    create: write,
    update: (_current, payload, context) => write(payload, context),
    diff: landed.diff,
  };
}
