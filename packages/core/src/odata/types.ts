import type { EdmLiteral } from './literals.js';

/** Property types that have no sub-properties, so path building stops at them. */
export type Scalar = string | number | bigint | boolean | Date | EdmLiteral | Uint8Array | null | undefined;

/** Countdown used to cap recursion depth of {@link PropertyPath}, keeping type checking fast on large entities. */
export type Countdown = [never, 0, 1, 2, 3];

/**
 * Every property path of entity type `T` that the builders accept: property names and, through single-valued
 * navigation or complex properties, `/`-joined paths such as `address/city` (up to four levels deep).
 * For untyped entities (`Record<string, unknown>`) any string is accepted.
 */
export type PropertyPath<T, Depth extends number = 4> = [Depth] extends [never]
  ? never
  : T extends Scalar
    ? never
    : {
        [K in keyof T & string]-?: NonNullable<T[K]> extends Scalar | readonly unknown[]
          ? K
          : K | `${K}/${PropertyPath<NonNullable<T[K]>, Countdown[Depth]>}`;
      }[keyof T & string];

/** The declared type of the property at `Path` in `T` (`unknown` when `T` does not describe it). */
export type PropertyType<T, Path extends string> = Path extends keyof T
  ? T[Path]
  : Path extends `${infer Head}/${infer Rest}`
    ? Head extends keyof T
      ? PropertyType<NonNullable<T[Head]>, Rest>
      : unknown
    : unknown;

/** Property paths of `T` whose type is `V` (every path when `T` is untyped). */
export type PropertyPathOfType<T, V> = {
  [P in PropertyPath<T>]: unknown extends PropertyType<T, P> ? P : NonNullable<PropertyType<T, P>> extends V ? P : never;
}[PropertyPath<T>];

/** Navigation (or complex) properties of `T` that can be expanded: properties holding objects or arrays. */
export type NavigationProperty<T> = {
  [K in keyof T & string]-?: NonNullable<T[K]> extends Scalar ? never : K;
}[keyof T & string];

/** The entity type reached through the navigation path `P` of `T`: the element type for collections. */
export type RelatedEntity<T, P extends string> = unknown extends PropertyType<T, P>
  ? Record<string, unknown>
  : NonNullable<PropertyType<T, P>> extends readonly (infer Element)[]
    ? Element
    : NonNullable<PropertyType<T, P>>;
