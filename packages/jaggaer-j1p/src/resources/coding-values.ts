import { InvalidInputError, type PagedAsyncIterable } from '@ml-connector/core';
import type { JaggaerDateInput } from '../dates.js';
import { sendJaggaer } from '../request.js';
import {
  type CodingSegment,
  type CodingValue,
  type CodingValueUpsertCounts,
  codingValueListResponseSchema,
  codingValueUpsertResponseSchema,
  toCodingValue,
  toUpsertCounts,
} from '../schemas/coding-value.js';
import {
  type CallOptions,
  type FilterCondition,
  type ResourceContext,
  type UpsertOptions,
  buildFilter,
  jaListing,
  modifiedSinceCondition,
  operationOf,
  requireText,
} from './shared.js';

/** A GL account or dimension value to maintain in JAGGAER as a read-only coding value. */
export interface CodingValueInput {
  /** Segment, e.g. `account`, `department`, `project`. */
  segment: CodingSegment;
  /** Code, e.g. `8110`. */
  code: string;
  /** Description; required to create. */
  description?: string;
  /** `false` keeps the value on old documents but stops users picking it. */
  active?: boolean;
}

/** Filters of {@link CodingValuesResource.list}. */
export interface CodingValueListOptions extends CallOptions {
  /** Only this segment. */
  segment?: CodingSegment;
  /** Only active (`true`) or inactive (`false`) values. */
  active?: boolean;
  /** Only values modified at or after this instant. */
  modifiedSince?: JaggaerDateInput;
  /** Extra raw `flt` conditions. */
  filter?: string;
}

/** Chart-of-accounts coding values (GL accounts and dimension segments). Endpoint UNCONFIRMED. */
export interface CodingValuesResource {
  /**
   * Upserts values in batches of `codingValueBatchSize` (default 1000), one request after another; each batch is
   * all-or-nothing on the server, the whole call is not. Returns summed counts.
   */
  upsert(values: readonly CodingValueInput[], options?: UpsertOptions): Promise<CodingValueUpsertCounts>;
  /** Coding values matching the filters; resumable with `byPage({continuationToken})`. */
  list(options?: CodingValueListOptions): PagedAsyncIterable<CodingValue>;
}

/** Creates the coding-values resource. */
export function createCodingValuesResource(ctx: ResourceContext): CodingValuesResource {
  return {
    async upsert(values, options = {}) {
      const operationCode = operationOf(options);
      if (!Array.isArray(values)) throw new InvalidInputError('values must be an array of coding values', { field: 'values' });
      const seen = new Set<string>();
      const wire = values.map((v, i) => {
        const segment = requireText(v?.segment, `values[${i}].segment`);
        const code = requireText(v.code, `values[${i}].code`);
        const key = `${segment}\u0000${code.toUpperCase()}`;
        if (seen.has(key)) throw new InvalidInputError(`Coding value ${segment} ${code} appears twice`, { field: `values[${i}].code` });
        seen.add(key);
        const out: Record<string, unknown> = { segment, code };
        if (v.description !== undefined) out.description = v.description;
        if (v.active !== undefined) out.active = v.active;
        return out;
      });
      const totals: CodingValueUpsertCounts = { total: 0, created: 0, updated: 0, unchanged: 0 };
      for (let i = 0; i < wire.length; i += ctx.codingValueBatchSize) {
        const batch = wire.slice(i, i + ctx.codingValueBatchSize);
        const { data } = await sendJaggaer(ctx.http, {
          method: 'POST',
          path: ctx.paths.codingValues,
          json: { operationCode, codingValueList: { codingValue: batch } },
          schema: codingValueUpsertResponseSchema,
          operation: 'codingValues.upsert',
          idempotent: operationCode === 'CREATEUPDATE',
          ...(options.signal ? { signal: options.signal } : {}),
        });
        const counts = toUpsertCounts(data, batch.length);
        totals.total += counts.total;
        totals.created += counts.created;
        totals.updated += counts.updated;
        totals.unchanged += counts.unchanged;
      }
      return totals;
    },
    list(options = {}) {
      const conditions: FilterCondition[] = [...modifiedSinceCondition(options.modifiedSince, 'modifiedSince')];
      if (options.segment) conditions.push(['SEGMENT', '==', options.segment]);
      if (options.active !== undefined) conditions.push(['ACTIVE', '==', String(options.active)]);
      return jaListing(ctx, {
        path: ctx.paths.codingValues,
        schema: codingValueListResponseSchema,
        select: (body) => body.returnCodingValueData,
        map: toCodingValue,
        flt: buildFilter(conditions, options.filter),
        operation: 'codingValues.list',
        ...(options.signal ? { signal: options.signal } : {}),
      });
    },
  };
}
