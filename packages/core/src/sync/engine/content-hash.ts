import { createHash } from 'node:crypto';
import { InvalidInputError } from '../../errors/index.js';

/** JSON with object keys sorted at every level, so equal content always serialises the same way. */
function stableJson(value: unknown, seen: Set<object>): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'bigint') return JSON.stringify(value.toString());
  if (typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') return stableJson(withToJson.toJSON(), seen);
  if (seen.has(value)) throw new InvalidInputError('contentHash cannot hash a value that contains itself (a cycle)', { field: 'value' });
  seen.add(value);
  try {
    if (Array.isArray(value)) return `[${value.map((item) => stableJson(item, seen)).join(',')}]`;
    const fields = Object.keys(value)
      .filter((key) => {
        const field = (value as Record<string, unknown>)[key];
        return field !== undefined && typeof field !== 'function' && typeof field !== 'symbol';
      })
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key], seen)}`);
    return `{${fields.join(',')}}`;
  } finally {
    seen.delete(value);
  }
}

/**
 * SHA-256 (hex) of a JSON value serialised with its object keys sorted, so `{ a: 1, b: 2 }` and `{ b: 2, a: 1 }`
 * hash the same. The engine keys checkpoints by the hash of a source's query and uses it as a record's version
 * when the source gives none. Undefined fields are left out, as `JSON.stringify` does.
 *
 * Example:
 *
 * {@includeCode ../../../examples/sync.ts#contentHash}
 */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(stableJson(value, new Set())).digest('hex');
}
