import type { HttpClient } from '@ml-connector/core';
import type { Entity } from '../schemas/common.js';
import { VENDOR_READ_ONLY_FIELDS, type VendorCreate, type VendorFields, type VendorUpdate, vendorSchema } from '../schemas/vendor.js';
import { type DeltaReadableEntitySet, type ReadableEntitySet, readableEntitySet } from './entity-set.js';
import { type DefaultDimensionFields, defaultDimensionSchema } from '../schemas/setup.js';
import { type EtagOptions, ifMatch, keyPath, requireEtag, toEntity, writableBody } from './shared.js';
import { type FindByKeysOptions, type LookupContext, VENDOR_REFERENCE_FIELDS, type VendorReference, keyLookup } from './lookups.js';

/** Options of `vendors.delete()`. */
export interface DeleteOptions {
  /** ETag to send as `If-Match` (recommended: 412 `ConflictError` if the record changed). Omit to send none. */
  etag?: string;
  /** Cancels the call. */
  signal?: AbortSignal;
}

/** The `vendors` entity set: read, delta read, create, update (If-Match) and delete. */
export interface VendorsResource extends DeltaReadableEntitySet<VendorFields> {
  /** Creates a vendor (read-only fields such as `id`, `balance` are stripped). Returns the created vendor. */
  create(body: VendorCreate, options?: { signal?: AbortSignal }): Promise<Entity<VendorFields>>;
  /** Changes a vendor with `If-Match: etag`; 412 → `ConflictError`. Returns the updated vendor and its new etag. */
  update(id: string, patch: VendorUpdate, options: EtagOptions): Promise<Entity<VendorFields>>;
  /** Deletes a vendor. */
  delete(id: string, options?: DeleteOptions): Promise<void>;
  /**
   * The vendors with these numbers, keyed by number, in one request per chunk (`number eq … or …`, only
   * {@link VENDOR_REFERENCE_FIELDS}), for a reference preflight. A number missing from the map does not exist.
   */
  findByNumbers(numbers: readonly string[], options?: FindByKeysOptions): Promise<Map<string, VendorReference>>;
  /** Default dimensions of one vendor: BC copies them onto every new document of the vendor. */
  defaultDimensions(vendorId: string): Pick<ReadableEntitySet<DefaultDimensionFields>, 'list' | 'get'> & {
    /** Adds a default dimension (`dimensionCode` + `dimensionValueCode`, or the ids). */
    create(
      body: { dimensionCode?: string; dimensionId?: string; dimensionValueCode?: string; dimensionValueId?: string },
      options?: { signal?: AbortSignal },
    ): Promise<Entity<DefaultDimensionFields>>;
  };
}

/** Builds the vendors resource of one company. */
export function vendorsResource(http: HttpClient, companyPath: string, baseUrl: string): VendorsResource {
  const path = `${companyPath}/vendors`;
  const lookups: LookupContext = { http, baseUrl };
  return {
    ...readableEntitySet<VendorFields>(http, path, vendorSchema, 'vendors'),
    findByNumbers: keyLookup<VendorReference>(lookups, path, vendorSchema, 'number', VENDOR_REFERENCE_FIELDS, 'vendors.findByNumbers'),
    async create(body, options = {}) {
      const json = writableBody(body, VENDOR_READ_ONLY_FIELDS);
      const response = await http.request({ method: 'POST', path, json, schema: vendorSchema, operation: 'vendors.create', ...signal(options) });
      return toEntity(response.data);
    },
    async update(id, patch, options) {
      const etag = requireEtag(options, 'vendors.update');
      const json = writableBody(patch, VENDOR_READ_ONLY_FIELDS);
      const response = await http.request({
        method: 'PATCH',
        path: keyPath(path, id),
        json,
        headers: ifMatch(etag),
        schema: vendorSchema,
        operation: 'vendors.update',
        ...signal(options),
      });
      return toEntity(response.data);
    },
    defaultDimensions(vendorId) {
      const dimsPath = `${keyPath(path, vendorId, 'vendorId')}/defaultDimensions`;
      const { list, get } = readableEntitySet<DefaultDimensionFields>(http, dimsPath, defaultDimensionSchema, 'defaultDimensions');
      return {
        list,
        get,
        async create(body, options = {}) {
          const json = writableBody(body, ['id', 'parentId', 'parentType']);
          const response = await http.request({ method: 'POST', path: dimsPath, json, schema: defaultDimensionSchema, operation: 'defaultDimensions.create', ...signal(options) });
          return toEntity(response.data);
        },
      };
    },
    async delete(id, options = {}) {
      await http.request({
        method: 'DELETE',
        path: keyPath(path, id),
        responseType: 'text',
        operation: 'vendors.delete',
        ...(options.etag !== undefined ? { headers: ifMatch(requireEtag({ etag: options.etag }, 'vendors.delete')) } : {}),
        ...signal(options),
      });
    },
  };
}

/** Spreads a signal into request options only when present. */
export function signal(options: { signal?: AbortSignal } | undefined): { signal?: AbortSignal } {
  return options?.signal ? { signal: options.signal } : {};
}
