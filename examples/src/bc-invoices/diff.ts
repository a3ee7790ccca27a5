import type { FieldChange } from '@ml-connector/core/sync';

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Field-level difference between two JSON documents: one change per leaf that differs, with a dotted path
 * (`lines[1].dimensions.DEPARTMENT`). `before` undefined lists every field of `after` as added.
 */
export function diffFields(before: unknown, after: unknown, path = ''): FieldChange[] {
  if (Object.is(before, after)) return [];
  if (Array.isArray(before) || Array.isArray(after)) {
    const a = Array.isArray(before) ? before : [];
    const b = Array.isArray(after) ? after : [];
    if (!Array.isArray(before) && before !== undefined) return [{ path, before, after }];
    const out: FieldChange[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) out.push(...diffFields(a[i], b[i], `${path}[${i}]`));
    return out;
  }
  if (isPlainObject(before) || isPlainObject(after)) {
    if (before !== undefined && !isPlainObject(before)) return [{ path, before, after }];
    if (after !== undefined && !isPlainObject(after)) return [{ path, before, after }];
    const a = (before ?? {}) as Record<string, unknown>;
    const b = (after ?? {}) as Record<string, unknown>;
    const out: FieldChange[] = [];
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) out.push(...diffFields(a[key], b[key], path ? `${path}.${key}` : key));
    return out;
  }
  return [{ path, ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) }];
}
