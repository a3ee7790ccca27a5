import { InvalidInputError } from '@ml-connector/core';
import type { JiraField } from '../schemas/index.js';

/** API path prefix of every call, relative to the client's base URL. */
export const API = 'rest/api/3/';

/** A custom field resolved at connect time. */
export interface ResolvedCustomField {
  /** The alias used in code. */
  alias: string;
  /** Field id, e.g. `customfield_10050` (differs per site). */
  id: string;
  /** Field name as configured in Jira. */
  name: string;
  /** JQL clause for the field, e.g. `cf[10050]`. */
  clause: string;
  /** Field schema type, e.g. `string`, `number`, `option`. */
  type: string | undefined;
}

/** Custom fields by alias. */
export type CustomFieldMap<A extends string = string> = Readonly<Record<A, ResolvedCustomField>>;

/** Checks an issue id or key (`ABC-123` or digits) so it cannot alter the URL path. */
export function issueRef(value: unknown, field = 'issueIdOrKey'): string {
  if (typeof value !== 'string' || !/^(?:\d+|[A-Za-z][A-Za-z0-9_]*-\d+)$/.test(value)) {
    throw new InvalidInputError(`${field} must be an issue key like "ABC-123" or a numeric issue id, got ${JSON.stringify(value)}`, { field });
  }
  return encodeURIComponent(value);
}

/** Turns `{ alias: value }` into `{ customfield_NNNNN: value }`, rejecting unknown aliases. */
export function mapCustomFields(customFields: CustomFieldMap, values: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [alias, value] of Object.entries(values ?? {})) {
    const field = customFields[alias];
    if (!field) {
      const known = Object.keys(customFields);
      throw new InvalidInputError(
        `Unknown custom field alias "${alias}": configure it in connectJira({ customFields: { ${alias}: '<field name>' } })` +
          (known.length ? `; configured: ${known.join(', ')}` : ''),
        { field: `customFields.${alias}` },
      );
    }
    out[field.id] = value;
  }
  return out;
}

/** @internal Resolves configured custom field names (or ids) against the site's fields. */
export function resolveCustomFields(
  fields: readonly JiraField[],
  config: Record<string, string>,
): { resolved: Record<string, ResolvedCustomField>; problems: Array<{ alias: string; name: string; problem: 'missing' | 'ambiguous'; candidates?: string[] }> } {
  const resolved: Record<string, ResolvedCustomField> = {};
  const problems: Array<{ alias: string; name: string; problem: 'missing' | 'ambiguous'; candidates?: string[] }> = [];
  for (const [alias, wanted] of Object.entries(config)) {
    if (typeof wanted !== 'string' || wanted.trim() === '') {
      throw new InvalidInputError(`customFields.${alias} must be a field name or id`, { field: `customFields.${alias}` });
    }
    const byId = /^customfield_\d+$/.test(wanted) ? fields.filter((f) => f.id === wanted) : [];
    const matches = byId.length ? byId : fields.filter((f) => f.custom !== false && f.name.trim().toLowerCase() === wanted.trim().toLowerCase());
    if (matches.length === 0) problems.push({ alias, name: wanted, problem: 'missing' });
    else if (matches.length > 1) problems.push({ alias, name: wanted, problem: 'ambiguous', candidates: matches.map((f) => f.id) });
    else {
      const f = matches[0] as JiraField;
      const num = /^customfield_(\d+)$/.exec(f.id)?.[1];
      resolved[alias] = { alias, id: f.id, name: f.name, clause: num ? `cf[${num}]` : f.id, type: f.schema?.type };
    }
  }
  return { resolved, problems };
}
