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

/** One split of an accounting coding: the segment values and the share of the amount they take. */
export interface CodingSplit {
  /** Segment values as `{internalName: value}`, e.g. `{account: '8110', department: 'ADM'}`. */
  values: Record<string, string>;
  /** Share in percent, when JAGGAER sends one (field name UNCONFIRMED: `percentage`, `percent`, `splitPercentage` or `weight`). */
  percentage?: number;
  /** Share as an amount, when JAGGAER sends one (field name UNCONFIRMED: `amount` or `splitAmount`, a number or `{value}`). */
  amount?: number;
}

const PERCENT_FIELDS = ['percentage', 'percent', 'splitPercentage', 'weight'] as const;
const AMOUNT_FIELDS = ['amount', 'splitAmount'] as const;

/** Every `{internalName, value}` pair below `node` (first value per name wins), to a bounded depth. */
function collectPairs(node: unknown, into: Record<string, string>, depth = 0, seen = new Set<unknown>()): Record<string, string> {
  if (depth > 12 || typeof node !== 'object' || node === null || seen.has(node)) return into;
  seen.add(node);
  if (Array.isArray(node)) {
    for (const child of node) collectPairs(child, into, depth + 1, seen);
    return into;
  }
  const record = node as Record<string, unknown>;
  const name = toText(record.internalName);
  const value = toText(record.value);
  if (name !== undefined && value !== undefined && !(name in into)) into[name] = value;
  for (const child of Object.values(record)) collectPairs(child, into, depth + 1, seen);
  return into;
}

function shareOf(index: Record<string, unknown>, fields: readonly string[]): number | undefined {
  for (const field of fields) {
    const raw = index[field];
    const n = typeof raw === 'object' && raw !== null ? toNumber((raw as Record<string, unknown>).value) : toNumber(raw);
    if (n !== undefined) return n;
  }
  return undefined;
}

/**
 * Reads every split of JAGGAER's `splittableFieldSetGroupList`. Each `splittableFieldIndex` entry is one split
 * (a line coded 60/40 to two accounts has two); groups (`splittableFieldSetGroup`, e.g. a chart of accounts and a
 * second field set) each contribute their k-th entry to split k. A structure without `splittableFieldIndex` but with
 * `{internalName, value}` pairs is read as one split. Pairs without a value are skipped.
 */
export function readCodingSplits(source: unknown): CodingSplit[] {
  const splits: CodingSplit[] = [];
  let foundIndexList = false;
  const seen = new Set<unknown>();
  const walk = (node: unknown, depth: number): void => {
    if (depth > 12 || typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const child of node) walk(child, depth + 1);
      return;
    }
    for (const [key, child] of Object.entries(node as Record<string, unknown>)) {
      if (key !== 'splittableFieldIndex') {
        walk(child, depth + 1);
        continue;
      }
      foundIndexList = true;
      const entries = Array.isArray(child) ? child : child == null ? [] : [child];
      entries.forEach((entry, k) => {
        if (typeof entry !== 'object' || entry === null) return;
        const split = (splits[k] ??= { values: {} });
        collectPairs(entry, split.values);
        const percentage = shareOf(entry as Record<string, unknown>, PERCENT_FIELDS);
        const amount = shareOf(entry as Record<string, unknown>, AMOUNT_FIELDS);
        if (percentage !== undefined && split.percentage === undefined) split.percentage = percentage;
        if (amount !== undefined && split.amount === undefined) split.amount = amount;
      });
    }
  };
  walk(source, 0);
  if (!foundIndexList) {
    const values = collectPairs(source, {});
    return Object.keys(values).length ? [{ values }] : [];
  }
  return splits.filter((split) => split !== undefined && Object.keys(split.values).length > 0);
}

/**
 * The coding every split agrees on, as `{internalName: value}`. For an unsplit coding that is all of it; for a line
 * split 60/40 to two accounts `account` is absent (it differs), so nobody books 100 % to the first account by mistake.
 * Read {@link readCodingSplits} for the splits themselves.
 */
export function commonCoding(splits: readonly CodingSplit[]): Record<string, string> {
  const [first, ...rest] = splits;
  if (!first) return {};
  return Object.fromEntries(Object.entries(first.values).filter(([name, value]) => rest.every((s) => s.values[name] === value)));
}

/** {@link commonCoding} of {@link readCodingSplits}: the coding of an unsplit line, or what all splits share. */
export function readCoding(source: unknown): Record<string, string> {
  return commonCoding(readCodingSplits(source));
}
