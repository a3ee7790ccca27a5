import { InvalidInputError } from '../errors/index.js';

/** An OData simple identifier (property, navigation property or lambda variable name). */
export const IDENTIFIER = '[\\p{L}_][\\p{L}\\p{N}_]*';
const IDENTIFIER_PATTERN = new RegExp(`^${IDENTIFIER}$`, 'u');
// Segments may be namespace-qualified (type casts, bound functions) and the wildcard `*` is allowed last.
const PATH_PATTERN = new RegExp(`^${IDENTIFIER}(?:\\.${IDENTIFIER})*(?:/${IDENTIFIER}(?:\\.${IDENTIFIER})*)*(?:/\\*)?$`, 'u');

/**
 * Rejects anything that is not a plain property path. Type checks can be bypassed (untyped entities, `as any`),
 * so this runtime check is what stops a "property name" from smuggling operators into a query.
 */
export function assertPropertyPath(path: unknown, field: string): asserts path is string {
  if (typeof path !== 'string' || !(path === '*' || PATH_PATTERN.test(path))) {
    throw new InvalidInputError(
      `${field} ${typeof path === 'string' ? JSON.stringify(path) : String(path)} is not a property path; use property names joined by "/", e.g. "address/city"`,
      { field },
    );
  }
}

/** Rejects anything that is not a single OData identifier. */
export function assertIdentifier(name: unknown, field: string): asserts name is string {
  if (typeof name !== 'string' || !IDENTIFIER_PATTERN.test(name)) {
    throw new InvalidInputError(
      `${field} ${typeof name === 'string' ? JSON.stringify(name) : String(name)} is not an identifier; use letters, digits and "_", starting with a letter or "_"`,
      { field },
    );
  }
}
