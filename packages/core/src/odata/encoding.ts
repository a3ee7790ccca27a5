import { assertWellFormedText } from './literals.js';

// encodeURIComponent escapes these, but they are safe inside a query value and keep OData URLs readable.
// `&`, `#`, `+`, `%`, `?` and spaces stay escaped, so a value can never end its parameter early.
const READABLE_IN_QUERY_VALUE = /%(?:24|2C|2F|3A|3B|3D|40)/g;
// Same for a path segment, except `/`, which would start a new segment.
const READABLE_IN_PATH_SEGMENT = /%(?:24|2C|3A|3B|3D|40)/g;

/** Percent-encodes a query parameter name, keeping the `$` of system query options readable. */
export function encodeQueryName(name: string, field: string): string {
  assertWellFormedText(name, field);
  return encodeURIComponent(name).replaceAll('%24', '$');
}

/** Percent-encodes a query parameter value so that it decodes back exactly, keeping OData punctuation readable. */
export function encodeQueryValue(value: string, field: string): string {
  assertWellFormedText(value, field);
  return encodeURIComponent(value).replace(READABLE_IN_QUERY_VALUE, decodeURIComponent);
}

/** Percent-encodes text placed in a URL path segment (such as a key predicate). */
export function encodePathSegment(text: string, field: string): string {
  assertWellFormedText(text, field);
  return encodeURIComponent(text).replace(READABLE_IN_PATH_SEGMENT, decodeURIComponent);
}
