import { InvalidInputError } from '@ml-connector/core';
import { z } from 'zod';
import type { NavODataVersion } from '../metadata.js';
import type { FieldKind, ResolvedService, SERVICE_DEFINITIONS, ServiceName } from '../services.js';

type Definitions = typeof SERVICE_DEFINITIONS;

/** The JavaScript type of a field of kind `K` on records this client returns. */
export type ValueOfKind<K extends FieldKind> = K extends 'decimal' | 'integer' ? number : K extends 'boolean' ? boolean : string;

/** The value type of a field definition. */
export type ValueOf<D> = D extends { readonly kind: infer K extends FieldKind } ? ValueOfKind<K> : never;
/** The field definitions of service `S`. */
export type Fields<S extends ServiceName> = Definitions[S]['fields'];

/** Logical names of the key fields of service `S`. */
export type KeyFields<S extends ServiceName> = {
  [F in keyof Definitions[S]['fields']]: Definitions[S]['fields'][F] extends { key: true } ? F : never;
}[keyof Definitions[S]['fields']] &
  string;

/**
 * A record of service `S` with logical field names (independent of the names the page is published under).
 * Key fields are always present; other fields are absent when unpublished or not selected. Dates are
 * `YYYY-MM-DD`, instants ISO 8601 in UTC, NAV's empty date `0001-01-01` becomes `null`, a blank option `''`.
 */
export type NavRecord<S extends ServiceName> = {
  -readonly [F in KeyFields<S>]: ValueOf<Fields<S>[F]>;
} & {
  -readonly [F in Exclude<keyof Fields<S> & string, KeyFields<S>>]?: ValueOf<Fields<S>[F]> | null;
} & {
  /** The record's ETag, to send back as `If-Match` when changing it. */
  etag?: string;
};

/** Field values for a create or update of service `S`: any subset of its logical fields. */
export type NavRecordInput<S extends ServiceName> = {
  -readonly [F in keyof Fields<S> & string]?: ValueOf<Fields<S>[F]> | null;
};

const EMPTY_DATE = /^0001-01-01/;

function wireValueSchema(kind: FieldKind): z.ZodType {
  switch (kind) {
    case 'decimal':
    case 'integer':
      // OData v3 JSON writes Edm.Decimal and Edm.Int64 as strings.
      return z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)]);
    case 'boolean':
      return z.boolean();
    default:
      return z.string();
  }
}

/** zod schema of one published record as it arrives (published names, wire types); unknown fields pass through. */
export function wireRecordSchema(service: ResolvedService): z.ZodType {
  const shape: Record<string, z.ZodType> = {};
  for (const field of service.fields) shape[field.name] = field.key ? wireValueSchema(field.kind) : wireValueSchema(field.kind).nullable().optional();
  return z.object(shape).passthrough();
}

/** zod schema of a collection page in either JSON flavour (`@odata.nextLink` in v4, `odata.nextLink` in v3). */
export function wireCollectionSchema(service: ResolvedService, partial: boolean): z.ZodType {
  const item = wireRecordSchema(service);
  return z
    .object({
      value: z.array(partial && item instanceof z.ZodObject ? item.partial() : item),
      '@odata.nextLink': z.string().optional(),
      'odata.nextLink': z.string().optional(),
    })
    .passthrough();
}

function fromWireValue(kind: FieldKind, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  switch (kind) {
    case 'decimal':
    case 'integer':
      return typeof value === 'string' ? Number(value) : value;
    case 'date':
      return EMPTY_DATE.test(String(value)) ? null : String(value).slice(0, 10);
    case 'datetime': {
      const text = String(value);
      if (EMPTY_DATE.test(text)) return null;
      // OData v3 Edm.DateTime has no offset; NAV stores UTC.
      return /(?:Z|[+-]\d{2}:\d{2})$/.test(text) ? new Date(text).toISOString() : new Date(`${text}Z`).toISOString();
    }
    case 'option':
      return value === '_blank_' || value === ' ' ? '' : value;
    default:
      return value;
  }
}

/** Maps a published record to a logical one (see {@link NavRecord}), keeping its ETag. */
export function fromWire<S extends ServiceName>(service: ResolvedService, raw: Record<string, unknown>): NavRecord<S> {
  const out: Record<string, unknown> = {};
  for (const field of service.fields) {
    if (field.name in raw) out[field.logical] = fromWireValue(field.kind, raw[field.name]);
  }
  const etag = raw['@odata.etag'] ?? raw['odata.etag'];
  if (typeof etag === 'string') out['etag'] = etag;
  return out as NavRecord<S>;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function toWireValue(kind: FieldKind, value: unknown, version: NavODataVersion, field: string): unknown {
  if (value === null) {
    if (kind === 'date') return version === 'v4' ? '0001-01-01' : '0001-01-01T00:00:00';
    return null;
  }
  const fail = (expected: string) =>
    new InvalidInputError(`${field} must be ${expected}, got ${JSON.stringify(value)}`, { field });
  switch (kind) {
    case 'decimal':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw fail('a finite number');
      // OData v3 JSON carries Edm.Decimal as a string, so no precision is lost in transit.
      return version === 'v3' ? String(value) : value;
    case 'integer':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw fail('a whole number');
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw fail('true or false');
      return value;
    case 'date':
      if (typeof value !== 'string' || !DATE.test(value) || Number.isNaN(Date.parse(value))) throw fail('a date "YYYY-MM-DD"');
      return version === 'v4' ? value : `${value}T00:00:00`;
    case 'datetime': {
      const instant = typeof value === 'string' ? Date.parse(value) : Number.NaN;
      if (Number.isNaN(instant)) throw fail('an ISO 8601 timestamp');
      const iso = new Date(instant).toISOString();
      return version === 'v4' ? iso : iso.slice(0, -1);
    }
    case 'option':
      if (typeof value !== 'string') throw fail('an option caption string');
      // A blank option is `_blank_` in OData v4 (NAV); v3 sends the blank caption itself (UNCONFIRMED).
      return value === '' ? (version === 'v4' ? '_blank_' : ' ') : value;
    default:
      if (typeof value !== 'string') throw fail('a string');
      if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(value)) throw fail('text without control characters');
      return value;
  }
}

/**
 * Maps logical field values to a published body. Unknown and unpublished fields are refused, so a typo or a
 * field the page does not publish fails here rather than as a vague server error; `etag` and `undefined`
 * values are skipped; `omit` names fields the caller may not set (e.g. keys in an update).
 */
export function toWire(
  service: ResolvedService,
  values: unknown,
  version: NavODataVersion,
  operation: string,
  omit: readonly string[] = [],
): Record<string, unknown> {
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    throw new InvalidInputError(`${operation} needs an object of field values`, { field: operation });
  }
  const out: Record<string, unknown> = {};
  for (const [logical, value] of Object.entries(values)) {
    if (value === undefined || logical === 'etag') continue;
    const field = service.field(logical);
    if (!field) {
      throw new InvalidInputError(
        `${operation}: ${service.service} has no published field "${logical}"; use one of ${service.fields.map((f) => f.logical).join(', ')}`,
        { field: logical },
      );
    }
    if (omit.includes(logical)) {
      throw new InvalidInputError(`${operation}: ${logical} cannot be set here (it is part of the key or fixed by the client)`, { field: logical });
    }
    out[field.name] = toWireValue(field.kind, value, version, `${operation}.${logical}`);
  }
  return out;
}
