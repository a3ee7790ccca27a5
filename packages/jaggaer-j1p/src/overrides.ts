import { InvalidInputError } from '@ml-connector/core';

/**
 * Merges an option's `overrides` over its `defaults` table, key by key. Unknown keys are rejected (a typo must not
 * fall back to a default silently), `undefined` keeps the default, and `check` vets each given value (returning an
 * error message, or `undefined` when it is fine).
 *
 * @throws InvalidInputError naming `<option>.<key>`.
 */
export function mergeOverrides<T extends object>(
  defaults: Readonly<T>,
  overrides: Partial<T> | undefined,
  option: string,
  example: string,
  check: (value: unknown, key: keyof T & string) => string | undefined,
): T {
  if (overrides === undefined) return { ...defaults };
  if (typeof overrides !== 'object' || overrides === null) {
    throw new InvalidInputError(`${option} must be an object of overrides, e.g. ${example}`, { field: option });
  }
  const merged: T = { ...defaults };
  for (const [key, value] of Object.entries(overrides) as [keyof T & string, unknown][]) {
    const field = `${option}.${key}`;
    if (!Object.hasOwn(defaults, key)) {
      throw new InvalidInputError(`${field} is not a known key; known: ${Object.keys(defaults).join(', ')}`, { field });
    }
    if (value === undefined) continue;
    const problem = check(value, key);
    if (problem !== undefined) throw new InvalidInputError(`${field} ${problem}`, { field });
    (merged as Record<string, unknown>)[key] = value;
  }
  return merged;
}
