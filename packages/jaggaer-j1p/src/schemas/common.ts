import { z } from 'zod';

/**
 * A list that JAGGAER (like many XML-to-JSON gateways) may send as an array, a single object or nothing; always
 * parsed to an array.
 */
export function listOf<T extends z.ZodType>(item: T) {
  return z.preprocess((value) => (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]), z.array(item));
}

/** Numbers that some responses send as numeric strings. */
export const numberLike = z.union([z.number(), z.string()]);
/** Identifiers sent as numbers or strings. */
export const idLike = z.union([z.number(), z.string()]);

/** The `{returnCode, returnMessage}` envelope of JAGGAER responses; `0`/`"OK"` means success. */
export const envelopeSchema = z.looseObject({
  returnCode: z.union([z.number(), z.string()]).nullish(),
  returnMessage: z.string().nullish(),
});

/** A startAt/totRecords-paged list envelope. */
export const pagedEnvelopeSchema = envelopeSchema.extend({
  totRecords: numberLike.optional(),
  returnedRecords: numberLike.optional(),
  startAt: numberLike.optional(),
});

/** `value` as a finite number when it is one (or a numeric string), else `undefined`. */
export function toNumber(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

/** `value` as a non-empty string (numbers are converted), else `undefined`. */
export function toText(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** `true`/`false` from a boolean or `"true"`/`"false"` text. */
export function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
  return undefined;
}

/**
 * Reads accounting coding from JAGGAER's nested `splittableFieldSetGroupList` (or any structure holding
 * `{internalName, value}` pairs) into `{internalName: value}`. The first split wins when an amount is split several
 * ways; the full structure stays available through `raw`.
 */
export function readCoding(source: unknown): Record<string, string> {
  const coding: Record<string, string> = {};
  const seen = new Set<unknown>();
  const walk = (node: unknown, depth: number): void => {
    if (depth > 12 || typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const child of node) walk(child, depth + 1);
      return;
    }
    const record = node as Record<string, unknown>;
    const name = toText(record.internalName);
    const value = toText(record.value);
    if (name !== undefined && value !== undefined && !(name in coding)) coding[name] = value;
    for (const child of Object.values(record)) walk(child, depth + 1);
  };
  walk(source, 0);
  return coding;
}
