import { z } from 'zod';
import { normaliseTimestamp } from '../dates.js';
import { envelopeSchema, listOf, numberLike, pagedEnvelopeSchema, toBoolean, toNumber, toText } from './common.js';

/** Wire shape of one coding value (UNCONFIRMED); loose. */
export const codingValueSchema = z.looseObject({
  segment: z.string(),
  code: z.union([z.string(), z.number()]),
  description: z.string().nullish(),
  active: z.union([z.boolean(), z.string()]).nullish(),
  lastModTime: z.string().nullish(),
});

/** Wire shape of the coding-value list (UNCONFIRMED). */
export const codingValueListResponseSchema = pagedEnvelopeSchema.extend({ returnCodingValueData: listOf(codingValueSchema) });

/** Wire shape of the batch upsert answer (UNCONFIRMED). */
export const codingValueUpsertResponseSchema = envelopeSchema.extend({
  totRecords: numberLike.optional(),
  created: numberLike.optional(),
  updated: numberLike.optional(),
  unchanged: numberLike.optional(),
});

/**
 * Segments of the chart of accounts as coding values. The sandbox knows `account` (GL account), `department` and
 * `project`; real tenants name their segments at onboarding, so any string is accepted.
 */
export type CodingSegment = 'account' | 'department' | 'project' | (string & {});

/** A chart-of-accounts coding value (GL account or dimension value), read-only for JAGGAER users. */
export interface CodingValue {
  /** Segment, e.g. `account`. */
  segment: CodingSegment;
  /** Code, e.g. `8110`. */
  code: string;
  /** Display description. */
  description?: string;
  /** Whether users may still pick it. */
  active?: boolean;
  /** Last modification as ISO 8601. */
  lastModified?: string;
  /** The value as received, including fields this model does not name. */
  raw: Record<string, unknown>;
}

/** Maps a validated wire value to {@link CodingValue}. */
export function toCodingValue(value: z.infer<typeof codingValueSchema>): CodingValue {
  const out: CodingValue = { segment: value.segment, code: String(value.code), raw: value as Record<string, unknown> };
  const description = toText(value.description);
  const active = toBoolean(value.active);
  const lastModified = normaliseTimestamp(toText(value.lastModTime));
  if (description !== undefined) out.description = description;
  if (active !== undefined) out.active = active;
  if (lastModified !== undefined) out.lastModified = lastModified;
  return out;
}

/** Counts of a coding-value upsert. */
export interface CodingValueUpsertCounts {
  /** Values sent. */
  total: number;
  /** Values created. */
  created: number;
  /** Values changed. */
  updated: number;
  /** Values that already matched. */
  unchanged: number;
}

/** Reads the counts of one batch answer; missing counts are 0. */
export function toUpsertCounts(body: z.infer<typeof codingValueUpsertResponseSchema>, sent: number): CodingValueUpsertCounts {
  return {
    total: toNumber(body.totRecords) ?? sent,
    created: toNumber(body.created) ?? 0,
    updated: toNumber(body.updated) ?? 0,
    unchanged: toNumber(body.unchanged) ?? 0,
  };
}
