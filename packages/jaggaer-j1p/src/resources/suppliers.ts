import { InvalidInputError, type PagedAsyncIterable } from '@ml-connector/core';
import type { JaggaerDateInput } from '../dates.js';
import { sendJaggaer } from '../request.js';
import { toText } from '../schemas/common.js';
import { type Supplier, type SupplierContact, companyListResponseSchema, companyUpsertResponseSchema, toSupplier } from '../schemas/supplier.js';
import {
  type CallOptions,
  type FilterCondition,
  type ResourceContext,
  type UpsertOptions,
  buildFilter,
  jaListing,
  modifiedSinceCondition,
  notFoundInList,
  operationOf,
  requireText,
} from './shared.js';

/** A supplier company profile to create or update (JAGGAER Advanced `companyInfo`). */
export interface SupplierInput {
  /** The ERP's supplier number (`extCode`); the natural key. */
  supplierNumber: string;
  /** Company name; required to create. */
  companyName?: string;
  /** ERP number of the parent company (`parentExtCode`, UNCONFIRMED field); `null` removes the parent. The parent must exist. */
  parentSupplierNumber?: string | null;
  /** `ACTIVE` or `INACTIVE`. */
  status?: 'ACTIVE' | 'INACTIVE';
  /** DUNS number (`dAndBCode`). */
  duns?: string;
  /** ISO 3166 alpha-2 country. */
  isoCountry?: string;
  /** City. */
  city?: string;
  /** Tax / fiscal code. */
  fiscalCode?: string;
  /** Business e-mail (`bizEmail`). */
  email?: string;
  /** Business phone (`bizPhone`). */
  phone?: string;
  /**
   * The main contact, written to the super user's fields (`userName`, `userSurName`, `userEmail`, `userPhone`,
   * `userMobPhone`); fields left out are not changed, `''` clears one. Sub users are not written by this client.
   */
  primaryContact?: Pick<SupplierContact, 'firstName' | 'lastName' | 'email' | 'phone' | 'mobilePhone'>;
  /** Payment terms code, sent in the client's `supplierPaymentTermsField` (UNCONFIRMED field). */
  paymentTermsCode?: string;
  /** JAGGAER's id, to update a profile whose `extCode` changes. */
  bravoId?: string | number;
  /** Further `companyInfo` fields this model does not name, sent as given (they never override the named ones). */
  extra?: Record<string, unknown>;
}

/** Answer of a supplier upsert. */
export interface SupplierUpsertResult {
  /** The ERP supplier number sent. */
  supplierNumber: string;
  /** JAGGAER's company id, when returned. */
  bravoId?: string;
  /** The answer as received. */
  raw: Record<string, unknown>;
}

/** Filters of {@link SuppliersResource.list}. */
export interface SupplierListOptions extends CallOptions {
  /** Only profiles modified at or after this instant (`LASTMODTIME>=`). */
  modifiedSince?: JaggaerDateInput;
  /** `ACTIVE` or `INACTIVE`. */
  status?: 'ACTIVE' | 'INACTIVE';
  /** Only children of this ERP supplier number (`PARENTEXTCODE==`, UNCONFIRMED key). */
  parentSupplierNumber?: string;
  /** Extra raw `flt` conditions, `;`-separated, e.g. `TYPE==SELLER`. */
  filter?: string;
  /** Also read each profile's sub users into `contacts` (`comp=USER`). */
  includeContacts?: boolean;
}

/** Supplier company profiles (`ja/v1/companyprofiles`), including parent/child hierarchies. */
export interface SuppliersResource {
  /** Creates or updates one profile. An unknown parent is refused by JAGGAER (ValidationError). */
  upsert(supplier: SupplierInput, options?: UpsertOptions): Promise<SupplierUpsertResult>;
  /**
   * Upserts many profiles one by one, parents before their children (whatever the input order), so a hierarchy can
   * be pushed in one call. Results come back in input order. @throws InvalidInputError for a cycle or a repeated number.
   */
  upsertMany(suppliers: readonly SupplierInput[], options?: UpsertOptions): Promise<SupplierUpsertResult[]>;
  /** Profiles matching the filters; resumable with `byPage({continuationToken})`. */
  list(options?: SupplierListOptions): PagedAsyncIterable<Supplier>;
  /** One profile by ERP supplier number (with its sub users when `includeContacts`). @throws NotFoundError when there is none. */
  get(supplierNumber: string, options?: CallOptions & { includeContacts?: boolean }): Promise<Supplier>;
}

const norm = (s: string) => s.trim().toUpperCase();

function companyInfoOf(input: SupplierInput, paymentTermsField: string): Record<string, unknown> {
  if (typeof input !== 'object' || input === null) throw new InvalidInputError('supplier is required', { field: 'supplier' });
  const info: Record<string, unknown> = { ...input.extra, extCode: requireText(input.supplierNumber, 'supplierNumber') };
  const fields: [string, unknown][] = [
    ['companyName', input.companyName],
    ['parentExtCode', input.parentSupplierNumber],
    ['status', input.status],
    ['dAndBCode', input.duns],
    ['isoCountry', input.isoCountry],
    ['city', input.city],
    ['fiscalCode', input.fiscalCode],
    ['bizEmail', input.email],
    ['bizPhone', input.phone],
    ['userName', input.primaryContact?.firstName],
    ['userSurName', input.primaryContact?.lastName],
    ['userEmail', input.primaryContact?.email],
    ['userPhone', input.primaryContact?.phone],
    ['userMobPhone', input.primaryContact?.mobilePhone],
    [paymentTermsField, input.paymentTermsCode],
    ['bravoId', input.bravoId],
  ];
  if (input.primaryContact !== undefined && (typeof input.primaryContact !== 'object' || input.primaryContact === null)) {
    throw new InvalidInputError('primaryContact must be an object like { firstName, lastName, email, phone }', { field: 'primaryContact' });
  }
  for (const [key, value] of fields) if (value !== undefined) info[key] = value;
  if (typeof input.parentSupplierNumber === 'string' && norm(input.parentSupplierNumber) === norm(input.supplierNumber)) {
    throw new InvalidInputError(`Supplier ${input.supplierNumber} cannot be its own parent`, { field: 'parentSupplierNumber' });
  }
  return info;
}

/** Orders suppliers so each parent in the batch comes before its children. */
export function orderByHierarchy(suppliers: readonly SupplierInput[]): number[] {
  const index = new Map<string, number>();
  suppliers.forEach((s, i) => {
    const key = norm(requireText(s?.supplierNumber, `suppliers[${i}].supplierNumber`));
    if (index.has(key)) throw new InvalidInputError(`Supplier ${s.supplierNumber} appears twice in the batch`, { field: `suppliers[${i}].supplierNumber` });
    index.set(key, i);
  });
  const order: number[] = [];
  const state = new Map<number, 'visiting' | 'done'>();
  const visit = (i: number, path: string[]): void => {
    const mark = state.get(i);
    if (mark === 'done') return;
    const supplier = suppliers[i] as SupplierInput;
    if (mark === 'visiting') {
      throw new InvalidInputError(`Supplier hierarchy has a cycle: ${[...path, supplier.supplierNumber].join(' → ')}`, { field: 'parentSupplierNumber' });
    }
    state.set(i, 'visiting');
    const parent = supplier.parentSupplierNumber;
    const parentIndex = typeof parent === 'string' && parent.trim() ? index.get(norm(parent)) : undefined;
    if (parentIndex !== undefined) visit(parentIndex, [...path, supplier.supplierNumber]);
    state.set(i, 'done');
    order.push(i);
  };
  suppliers.forEach((_, i) => visit(i, []));
  return order;
}

/** Creates the suppliers resource. */
export function createSuppliersResource(ctx: ResourceContext): SuppliersResource {
  const upsert = async (supplier: SupplierInput, options: UpsertOptions = {}): Promise<SupplierUpsertResult> => {
    const operationCode = operationOf(options);
    const companyInfo = companyInfoOf(supplier, ctx.supplierPaymentTermsField);
    const { data } = await sendJaggaer(ctx.http, {
      method: 'POST',
      path: ctx.paths.companyProfiles,
      json: { company: { operationCode, companyInfo } },
      schema: companyUpsertResponseSchema,
      operation: 'suppliers.upsert',
      // CREATEUPDATE is an upsert by natural key: repeating it is harmless, so it may be retried after an unknown outcome.
      idempotent: operationCode === 'CREATEUPDATE',
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const out: SupplierUpsertResult = { supplierNumber: companyInfo.extCode as string, raw: data as Record<string, unknown> };
    const bravoId = toText(data.bravoId);
    if (bravoId !== undefined) out.bravoId = bravoId;
    return out;
  };

  const list = (options: SupplierListOptions = {}): PagedAsyncIterable<Supplier> => {
    const conditions: FilterCondition[] = [...modifiedSinceCondition(options.modifiedSince, 'modifiedSince')];
    if (options.status) conditions.push(['STATUS', '==', options.status]);
    if (options.parentSupplierNumber) conditions.push(['PARENTEXTCODE', '==', options.parentSupplierNumber.trim()]);
    return jaListing(ctx, {
      path: ctx.paths.companyProfiles,
      schema: companyListResponseSchema,
      select: (body) => body.returnCompanyData,
      map: (entry) => toSupplier(entry, ctx.supplierPaymentTermsField),
      flt: buildFilter(conditions, options.filter),
      ...(options.includeContacts ? { comp: 'USER' } : {}),
      operation: 'suppliers.list',
      ...(options.signal ? { signal: options.signal } : {}),
    });
  };

  return {
    upsert,
    async upsertMany(suppliers, options = {}) {
      if (!Array.isArray(suppliers)) throw new InvalidInputError('suppliers must be an array', { field: 'suppliers' });
      const order = orderByHierarchy(suppliers);
      for (const s of suppliers) companyInfoOf(s, ctx.supplierPaymentTermsField); // validate everything before the first request
      const results: SupplierUpsertResult[] = new Array(suppliers.length);
      for (const i of order) results[i] = await upsert(suppliers[i] as SupplierInput, options);
      return results;
    },
    list,
    async get(supplierNumber, options = {}) {
      const number = requireText(supplierNumber, 'supplierNumber');
      const flt = buildFilter([['EXTCODE', '==', number]], undefined) as string;
      const [first] = await list({ ...options, filter: flt }).toArray({ limit: 1, ...(options.signal ? { signal: options.signal } : {}) });
      if (!first) throw notFoundInList(ctx, ctx.paths.companyProfiles, flt, `Supplier ${number}`);
      return first;
    },
  };
}
