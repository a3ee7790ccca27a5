import { InvalidInputError } from '../../errors/index.js';
import type { FieldChange } from '../flow.js';

/** Options of {@link diffFields}. */
export interface DiffFieldsOptions {
  /**
   * Two numbers closer than this are equal, so a target's currency rounding (`10.004` stored as `10`) is not a
   * change. Default `0.005` (half a cent); `0` compares exactly.
   */
  readonly numberTolerance?: number;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `lines[0].amount`; keys that are not identifiers are quoted: `meta["@odata.etag"]`. */
function child(path: string, key: string): string {
  if (IDENTIFIER.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

function sameLeaf(before: unknown, after: unknown, tolerance: number): boolean {
  if (typeof before === 'number' && typeof after === 'number') {
    return Object.is(before, after) || before === after || Math.abs(before - after) < tolerance;
  }
  if (before instanceof Date && after instanceof Date) return before.getTime() === after.getTime();
  return Object.is(before, after);
}

/**
 * Field-level difference between a document as the target holds it (`before`, undefined when it does not exist
 * yet) and what a write would send (`after`): a write's view, so only fields present in `after` are compared and
 * fields only `before` has are not reported. Nested objects and arrays are walked to their leaves and reported
 * with dotted and indexed paths (`lines[0].amount`); numbers within `numberTolerance` are equal; an empty object
 * or array in `after` is a change only where `before` holds something of another kind.
 *
 * @throws InvalidInputError for a negative or non-finite `numberTolerance`.
 */
export function diffFields(before: unknown, after: unknown, options: DiffFieldsOptions = {}): FieldChange[] {
  const tolerance = options.numberTolerance ?? 0.005;
  if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance < 0) {
    throw new InvalidInputError(`numberTolerance must be a finite number >= 0, got ${String(tolerance)}`, { field: 'numberTolerance' });
  }
  const changes: FieldChange[] = [];
  const walk = (was: unknown, now: unknown, path: string): void => {
    if (now === undefined) return;
    if (isRecord(now)) {
      const keys = Object.keys(now);
      if (keys.length === 0) {
        if (!isRecord(was)) changes.push({ path, before: was, after: now });
        return;
      }
      for (const key of keys) walk(isRecord(was) && Object.hasOwn(was, key) ? was[key] : undefined, now[key], child(path, key));
      return;
    }
    if (Array.isArray(now)) {
      if (now.length === 0) {
        if (!Array.isArray(was)) changes.push({ path, before: was, after: now });
        return;
      }
      now.forEach((item, index) => walk(Array.isArray(was) ? was[index] : undefined, item, `${path}[${index}]`));
      return;
    }
    if (!sameLeaf(was, now, tolerance)) changes.push(was === undefined ? { path, after: now } : { path, before: was, after: now });
  };
  walk(before, after, '');
  return changes;
}
