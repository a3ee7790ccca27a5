import { type HttpClient, InvalidInputError, type PagedAsyncIterable, offsetLimitHasMore, paginate } from '@ml-connector/core';
import { type AdfDocument, assertAdfDocument } from '../adf.js';
import { TransitionFieldsError } from '../errors.js';
import type { components } from '../generated/jira-v3.js';
import { JIRA_LIMITS } from '../rate-limits.js';
import {
  type CreatedIssue,
  type JiraComment,
  type JiraIssue,
  type JiraTransition,
  commentPageSchema,
  commentSchema,
  createdIssueSchema,
  createdIssuesSchema,
  issueSchema,
  transitionsSchema,
} from '../schemas/index.js';
import { API, type CustomFieldMap, issueRef, mapCustomFields } from './shared.js';

type IssueUpdateDetails = components['schemas']['IssueUpdateDetails'];
type LinkIssueRequest = components['schemas']['LinkIssueRequestJsonBean'];

/** What to create. Rich text is ADF only (build it with `adf`). */
export interface IssueCreateInput {
  /** Project key (e.g. `FIN`) or numeric id. */
  project: string;
  /** Issue type name (e.g. `Task`) or numeric id. */
  issueType: string;
  /** One-line summary (Jira limit: 255 characters). */
  summary: string;
  /** Description as an ADF document. */
  description?: AdfDocument;
  /** Labels (no spaces). */
  labels?: string[];
  /** Values of configured custom fields, by alias (`{ documentKey: 'INV-1001' }`). */
  customFields?: Record<string, unknown>;
  /** Any other fields by id, sent as they are (e.g. `{ priority: { name: 'High' } }`). */
  fields?: Record<string, unknown>;
}

/** What to change; absent properties stay as they are. */
export interface IssueUpdateInput {
  summary?: string;
  description?: AdfDocument;
  labels?: string[];
  customFields?: Record<string, unknown>;
  fields?: Record<string, unknown>;
}

/** One failed item of a bulk create. */
export interface BulkCreateFailure {
  /** Index in the input array. */
  index: number;
  /** HTTP status Jira gave the item. */
  status?: number;
  /** Jira's messages for the item. */
  messages: string[];
}

/** Result of {@link IssuesResource.createMany}: created issues by input index, and failures. */
export interface BulkCreateResult {
  /** Created issues; `created[i]` belongs to input `i` (undefined when it failed). */
  created: Array<CreatedIssue | undefined>;
  /** Items Jira refused. */
  failures: BulkCreateFailure[];
}

/** Options of {@link IssuesResource.transition}. */
export interface TransitionInput {
  /** Transition id, or its name (e.g. `Done`), resolved against the issue's available transitions. */
  transition: string;
  /** Field values the transition screen needs, by field id (e.g. `{ resolution: { name: 'Done' } }`). */
  fields?: Record<string, unknown>;
  /** Configured custom fields by alias. */
  customFields?: Record<string, unknown>;
  /** A comment added with the transition. */
  comment?: AdfDocument;
}

/** Link types every site has by default; any other name configured on the site works too. */
export type IssueLinkTypeName = 'Blocks' | 'Cloners' | 'Duplicate' | 'Relates' | (string & {});

/** Issues: create (single and bulk), get, update, transitions, comments and links. */
export interface IssuesResource {
  /**
   * Creates an issue (`POST /rest/api/3/issue`). Not retried when the outcome is unknown (Jira has no idempotency
   * key): on `OutcomeUnknownError`, search for the issue by its key field before creating again.
   */
  create(input: IssueCreateInput, options?: { signal?: AbortSignal }): Promise<CreatedIssue>;
  /** Creates up to any number of issues in calls of 50 (`POST /rest/api/3/issue/bulk`); partial failures are reported per item. */
  createMany(inputs: readonly IssueCreateInput[], options?: { signal?: AbortSignal }): Promise<BulkCreateResult>;
  /** Reads an issue. `fields` defaults to all navigable fields (`*navigable`). */
  get(issueIdOrKey: string, options?: { fields?: string[]; expand?: string[]; signal?: AbortSignal }): Promise<JiraIssue>;
  /** Updates fields (`PUT /rest/api/3/issue/{key}`, 204). */
  update(issueIdOrKey: string, input: IssueUpdateInput, options?: { notifyUsers?: boolean; signal?: AbortSignal }): Promise<void>;
  /** Transitions available now, with the fields each transition screen shows (`expand=transitions.fields`). */
  listTransitions(issueIdOrKey: string, options?: { signal?: AbortSignal }): Promise<JiraTransition[]>;
  /**
   * Performs a transition by id or name. Checks the screen's required fields first and throws
   * TransitionFieldsError (nothing sent) when some are missing or the transition is not available.
   */
  transition(issueIdOrKey: string, input: TransitionInput, options?: { signal?: AbortSignal }): Promise<void>;
  /** Lists comments, oldest first. */
  listComments(issueIdOrKey: string): PagedAsyncIterable<JiraComment>;
  /** Adds a comment (ADF body). `properties` (e.g. a marker of your own comments) are stored with it. */
  addComment(issueIdOrKey: string, body: AdfDocument, options?: { properties?: Record<string, unknown>; signal?: AbortSignal }): Promise<JiraComment>;
  /** Links two issues (`POST /rest/api/3/issueLink`): `outward` <type outward text> `inward`, e.g. A blocks B. */
  link(input: { type: IssueLinkTypeName; outward: string; inward: string; comment?: AdfDocument }, options?: { signal?: AbortSignal }): Promise<void>;
}

function checkSummary(summary: unknown, field = 'summary'): string {
  if (typeof summary !== 'string' || summary.trim() === '') throw new InvalidInputError(`${field} must be a non-empty string`, { field });
  if (summary.length > 255) throw new InvalidInputError(`${field} must be at most 255 characters (Jira's limit), got ${summary.length}`, { field });
  if (/[\r\n]/.test(summary)) throw new InvalidInputError(`${field} must be one line (Jira rejects line breaks in the summary)`, { field });
  return summary;
}

function checkLabels(labels: unknown): string[] {
  if (!Array.isArray(labels) || labels.some((l) => typeof l !== 'string' || l === '' || /\s/.test(l))) {
    throw new InvalidInputError('labels must be an array of non-empty strings without spaces', { field: 'labels' });
  }
  return labels as string[];
}

const ref = (value: string, field: string): { id: string } | { key: string } | { name: string } => {
  if (typeof value !== 'string' || value.trim() === '') throw new InvalidInputError(`${field} is required`, { field });
  return /^\d+$/.test(value) ? { id: value } : field === 'project' ? { key: value } : { name: value };
};

/** @internal */
export function issuesResource(http: HttpClient, customFields: CustomFieldMap): IssuesResource {
  const fieldsOfCreate = (input: IssueCreateInput): Record<string, unknown> => {
    if (typeof input !== 'object' || input === null) throw new InvalidInputError('issue input is required', { field: 'input' });
    const fields: Record<string, unknown> = {
      ...(input.fields ?? {}),
      ...mapCustomFields(customFields, input.customFields),
      project: ref(input.project, 'project'),
      issuetype: ref(input.issueType, 'issueType'),
      summary: checkSummary(input.summary),
    };
    if (input.description !== undefined) fields.description = assertAdfDocument(input.description, 'description');
    if (input.labels !== undefined) fields.labels = checkLabels(input.labels);
    return fields;
  };

  const listTransitions: IssuesResource['listTransitions'] = async (key, options = {}) => {
    const body = await http.get(`${API}issue/${issueRef(key)}/transitions`, {
      query: { expand: 'transitions.fields' },
      schema: transitionsSchema,
      operation: 'issues.listTransitions',
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return body.transitions;
  };

  return {
    async create(input, options = {}) {
      const body: IssueUpdateDetails = { fields: fieldsOfCreate(input) };
      return http.post(`${API}issue`, { json: body, schema: createdIssueSchema, operation: 'issues.create', ...(options.signal ? { signal: options.signal } : {}) });
    },
    async createMany(inputs, options = {}) {
      if (!Array.isArray(inputs)) throw new InvalidInputError('createMany expects an array of issues', { field: 'inputs' });
      const payloads = inputs.map((input) => ({ fields: fieldsOfCreate(input) }));
      const created: Array<CreatedIssue | undefined> = new Array(inputs.length).fill(undefined);
      const failures: BulkCreateFailure[] = [];
      for (let start = 0; start < payloads.length; start += JIRA_LIMITS.maxBulkCreate) {
        const chunk = payloads.slice(start, start + JIRA_LIMITS.maxBulkCreate);
        const result = await http.post(`${API}issue/bulk`, {
          json: { issueUpdates: chunk },
          schema: createdIssuesSchema,
          operation: 'issues.createMany',
          ...(options.signal ? { signal: options.signal } : {}),
        });
        const failed = new Set(result.errors.map((e) => e.failedElementNumber));
        // Jira lists created issues in input order, skipping failed elements.
        let next = 0;
        for (let i = 0; i < chunk.length; i++) {
          if (failed.has(i)) continue;
          created[start + i] = result.issues[next++];
        }
        for (const e of result.errors) {
          const messages = [...(e.elementErrors?.errorMessages ?? []), ...Object.entries(e.elementErrors?.errors ?? {}).map(([f, m]) => `${f}: ${m}`)];
          failures.push({ index: start + (e.failedElementNumber ?? 0), ...(e.status !== undefined ? { status: e.status } : {}), messages });
        }
      }
      return { created, failures };
    },
    async get(key, options = {}) {
      return http.get(`${API}issue/${issueRef(key)}`, {
        query: { fields: (options.fields ?? ['*navigable']).join(','), ...(options.expand ? { expand: options.expand.join(',') } : {}) },
        schema: issueSchema,
        operation: 'issues.get',
        ...(options.signal ? { signal: options.signal } : {}),
      });
    },
    async update(key, input, options = {}) {
      if (typeof input !== 'object' || input === null) throw new InvalidInputError('update input is required', { field: 'input' });
      const fields: Record<string, unknown> = { ...(input.fields ?? {}), ...mapCustomFields(customFields, input.customFields) };
      if (input.summary !== undefined) fields.summary = checkSummary(input.summary);
      if (input.description !== undefined) fields.description = assertAdfDocument(input.description, 'description');
      if (input.labels !== undefined) fields.labels = checkLabels(input.labels);
      if (Object.keys(fields).length === 0) throw new InvalidInputError('update needs at least one field to change', { field: 'input' });
      const body: IssueUpdateDetails = { fields };
      await http.request({
        method: 'PUT',
        path: `${API}issue/${issueRef(key)}`,
        query: options.notifyUsers === false ? { notifyUsers: false } : undefined,
        json: body,
        operation: 'issues.update',
        ...(options.signal ? { signal: options.signal } : {}),
      });
    },
    listTransitions,
    async transition(key, input, options = {}) {
      if (typeof input?.transition !== 'string' || input.transition === '') {
        throw new InvalidInputError('transition (id or name) is required', { field: 'transition' });
      }
      const available = await listTransitions(key, options);
      const wanted = input.transition.toLowerCase();
      const t = available.find((x) => x.id === input.transition) ?? available.find((x) => x.name.toLowerCase() === wanted);
      if (!t) {
        throw new TransitionFieldsError(
          `Transition "${input.transition}" is not available on ${key} now; available: ${available.map((x) => `${x.name} (${x.id})`).join(', ') || 'none'}`,
          [],
        );
      }
      const fields = { ...(input.fields ?? {}), ...mapCustomFields(customFields, input.customFields) };
      const missing = Object.entries(t.fields ?? {})
        .filter(([id, meta]) => meta.required && !meta.hasDefaultValue && fields[id] === undefined)
        .map(([id, meta]) => (meta.name ? `${id} (${meta.name})` : id));
      if (missing.length > 0) {
        throw new TransitionFieldsError(`Transition "${t.name}" on ${key} requires fields that were not given: ${missing.join(', ')}`, missing);
      }
      const body: Record<string, unknown> = { transition: { id: t.id } };
      if (Object.keys(fields).length) body.fields = fields;
      if (input.comment !== undefined) body.update = { comment: [{ add: { body: assertAdfDocument(input.comment, 'comment') } }] };
      await http.request({
        method: 'POST',
        path: `${API}issue/${issueRef(key)}/transitions`,
        json: body,
        operation: 'issues.transition',
        ...(options.signal ? { signal: options.signal } : {}),
      });
    },
    listComments(key) {
      const path = `${API}issue/${issueRef(key)}/comment`;
      return paginate(
        offsetLimitHasMore(async ({ offset, limit, signal }) => {
          const page = await http.get(path, {
            query: { startAt: offset, maxResults: limit, orderBy: 'created' },
            schema: commentPageSchema,
            operation: 'issues.listComments',
            ...(signal ? { signal } : {}),
          });
          return { items: page.comments, hasMore: page.startAt + page.comments.length < page.total && page.comments.length > 0 };
        }),
      );
    },
    async addComment(key, body, options = {}) {
      const json: Record<string, unknown> = { body: assertAdfDocument(body, 'body') };
      if (options.properties) json.properties = Object.entries(options.properties).map(([k, value]) => ({ key: k, value }));
      return http.post(`${API}issue/${issueRef(key)}/comment`, {
        json,
        schema: commentSchema,
        operation: 'issues.addComment',
        ...(options.signal ? { signal: options.signal } : {}),
      });
    },
    async link(input, options = {}) {
      if (typeof input?.type !== 'string' || input.type === '') throw new InvalidInputError('link type name is required, e.g. "Relates"', { field: 'type' });
      const body: LinkIssueRequest = {
        type: { name: input.type },
        outwardIssue: { key: decodeURIComponent(issueRef(input.outward, 'outward')) },
        inwardIssue: { key: decodeURIComponent(issueRef(input.inward, 'inward')) },
        ...(input.comment ? { comment: { body: assertAdfDocument(input.comment, 'comment') } } : {}),
      };
      await http.request({ method: 'POST', path: `${API}issueLink`, json: body, operation: 'issues.link', responseType: 'text', ...(options.signal ? { signal: options.signal } : {}) });
    },
  };
}
