import { type HttpClient, InvalidInputError, type PagedAsyncIterable } from '@ml-connector/core';
import type { Entity } from '../schemas/common.js';
import { type DimensionSetLine, type DimensionSetLineInput, DIMENSION_SET_LINE_READ_ONLY_FIELDS, dimensionSetLineSchema } from '../schemas/dimension.js';
import { ifMatch, keyPath, listCollection, listQuery, toEntity, writableBody } from './shared.js';
import { signal } from './vendors.js';

/** Dimension set lines of one document or document line (`…/dimensionSetLines`). */
export interface DimensionSetLinesResource {
  /** The dimensions on the owner. */
  list(): PagedAsyncIterable<Entity<DimensionSetLine>>;
  /**
   * Adds a dimension (POST). Business Central refuses a dimension the owner already has, including the
   * vendor's default dimensions it copied onto the document: use {@link upsert} when that can happen.
   */
  create(line: DimensionSetLineInput, options?: { signal?: AbortSignal }): Promise<Entity<DimensionSetLine>>;
  /** Changes the value of a dimension already on the owner (PATCH with `If-Match`; id and code cannot change). */
  update(dimensionId: string, value: Pick<DimensionSetLineInput, 'valueId' | 'valueCode'>, options: { etag: string; signal?: AbortSignal }): Promise<Entity<DimensionSetLine>>;
  /** Removes a dimension from the owner. */
  delete(dimensionId: string, options?: { etag?: string; signal?: AbortSignal }): Promise<void>;
  /**
   * Sets a dimension whether or not the owner has it: reads the owner's lines, then PATCHes the existing line
   * (when its value differs) or POSTs a new one. Two requests at most; no request is skipped by guessing.
   */
  upsert(line: DimensionSetLineInput, options?: { signal?: AbortSignal }): Promise<Entity<DimensionSetLine>>;
}

/** Builds the dimension set lines resource under `ownerPath` (e.g. `companies(…)/purchaseInvoices(…)`). */
export function dimensionSetLinesResource(http: HttpClient, ownerPath: string): DimensionSetLinesResource {
  const path = `${ownerPath}/dimensionSetLines`;
  const list = () => listCollection<DimensionSetLine>(http, path, dimensionSetLineSchema, listQuery({}) as never, 'dimensionSetLines.list');
  const update: DimensionSetLinesResource['update'] = async (dimensionId, value, options) => {
    const json = writableBody(value, DIMENSION_SET_LINE_READ_ONLY_FIELDS);
    const response = await http.request({
      method: 'PATCH',
      path: keyPath(path, dimensionId, 'dimensionId'),
      json,
      headers: ifMatch(options.etag),
      schema: dimensionSetLineSchema,
      operation: 'dimensionSetLines.update',
      ...signal(options),
    });
    return toEntity(response.data);
  };
  const create: DimensionSetLinesResource['create'] = async (line, options = {}) => {
    const json = writableBody(line, DIMENSION_SET_LINE_READ_ONLY_FIELDS);
    const response = await http.request({ method: 'POST', path, json, schema: dimensionSetLineSchema, operation: 'dimensionSetLines.create', ...signal(options) });
    return toEntity(response.data);
  };
  return {
    list,
    create,
    update,
    async delete(dimensionId, options = {}) {
      await http.request({
        method: 'DELETE',
        path: keyPath(path, dimensionId, 'dimensionId'),
        operation: 'dimensionSetLines.delete',
        ...(options.etag !== undefined ? { headers: ifMatch(options.etag) } : {}),
        ...signal(options),
      });
    },
    async upsert(line, options = {}) {
      if (typeof line !== 'object' || line === null || (!line.id && !line.code)) {
        throw new InvalidInputError('upsert needs the dimension: { code } or { id }, plus { valueCode } or { valueId }', { field: 'line' });
      }
      if (!line.valueCode && !line.valueId) throw new InvalidInputError('upsert needs the value: { valueCode } or { valueId }', { field: 'line.valueCode' });
      const existing = (await list().toArray({ limit: 1000 })).find((d) => (line.id ? d.id.toLowerCase() === line.id.toLowerCase() : d.code === line.code));
      if (!existing) return create(line, options);
      const same = line.valueId ? existing.valueId.toLowerCase() === line.valueId.toLowerCase() : existing.valueCode === line.valueCode;
      if (same) return existing;
      const value = line.valueId ? { valueId: line.valueId } : { valueCode: line.valueCode as string };
      return update(existing.id, value, { etag: existing.etag ?? '*', ...signal(options) });
    },
  };
}
