import { type HttpClient, InvalidInputError, type PagedAsyncIterable, nextPageTokenIsLast, paginate } from '@ml-connector/core';
import { adfToPlainText } from '../adf.js';
import type { components } from '../generated/jira-v3.js';
import { jql, jqlPhrase, jqlRaw } from '../jql.js';
import { type JiraIssue, searchResultsSchema } from '../schemas/index.js';
import { API, type CustomFieldMap } from './shared.js';

type SearchRequest = components['schemas']['SearchAndReconcileRequestBean'];

/** Options of {@link SearchResource.issues}. */
export interface SearchOptions {
  /** Fields to return. Default `['*navigable']` (the endpoint itself returns only ids by default). */
  fields?: string[];
  /** Page size (Jira default 50; up to 5000 when only ids/keys are requested). */
  maxResults?: number;
  /** `expand` values, e.g. `['renderedFields']`. */
  expand?: string[];
  /** Issue ids (≤ 50) that must be reflected even if the index has not caught up (read-after-write). */
  reconcileIssues?: number[];
}

/** Options of {@link SearchResource.findByExactText}. */
export interface ExactTextOptions {
  /** Restrict to a project key. */
  project?: string;
  /** Fields to return besides the searched one. */
  fields?: string[];
  /** At most this many candidates are read (phrase matches are usually few). Default 100. */
  maxCandidates?: number;
}

/** JQL search through the enhanced endpoint `POST /rest/api/3/search/jql` (nextPageToken paging, no total). */
export interface SearchResource {
  /**
   * Issues matching `jql`, lazily paged. Build the JQL with the `jql` tagged template so values are escaped.
   * Search is eventually consistent: a just-created issue may be missing for a while (pass `reconcileIssues`).
   */
  issues(query: string, options?: SearchOptions): PagedAsyncIterable<JiraIssue>;
  /**
   * Issues whose text custom field (by alias) equals `value` exactly. Text fields do not support `=` in JQL, so this
   * runs a phrase query (`cf[N] ~ "\"value\""`) and keeps only exact matches client-side. An empty result can be
   * index lag; after an unknown-outcome create, wait and search again before concluding the issue is absent.
   */
  findByExactText(alias: string, value: string, options?: ExactTextOptions): Promise<JiraIssue[]>;
}

const fieldText = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'object' && value !== null ? adfToPlainText(value) : undefined;

/** @internal */
export function searchResource(http: HttpClient, customFields: CustomFieldMap): SearchResource {
  const issues: SearchResource['issues'] = (query, options = {}) => {
    if (typeof query !== 'string' || query.trim() === '') {
      throw new InvalidInputError('JQL is required (an unbounded search is refused by Jira); e.g. jql`project = ${key}`', { field: 'jql' });
    }
    if (options.reconcileIssues && options.reconcileIssues.length > 50) {
      throw new InvalidInputError('reconcileIssues takes at most 50 issue ids', { field: 'reconcileIssues' });
    }
    return paginate(
      nextPageTokenIsLast(
        ({ nextPageToken, maxResults, signal }) => {
          const body: SearchRequest = {
            jql: query,
            fields: options.fields ?? ['*navigable'],
            ...(nextPageToken ? { nextPageToken } : {}),
            maxResults: maxResults ?? options.maxResults ?? 50,
            ...(options.expand ? { expand: options.expand.join(',') } : {}),
            ...(options.reconcileIssues ? { reconcileIssues: options.reconcileIssues } : {}),
          };
          // A search changes nothing, so it may be retried like a GET.
          return http.post(`${API}search/jql`, { json: body, schema: searchResultsSchema, idempotent: true, operation: 'search.issues', ...(signal ? { signal } : {}) });
        },
        (body) => body.issues,
      ),
    );
  };

  return {
    issues,
    async findByExactText(alias, value, options = {}) {
      const field = customFields[alias];
      if (!field) throw new InvalidInputError(`Unknown custom field alias "${alias}"; configure it in connectJira({ customFields })`, { field: 'alias' });
      if (typeof value !== 'string' || value.trim() === '') throw new InvalidInputError('value must be a non-empty string', { field: 'value' });
      const project = options.project ? jql`project = ${options.project} AND ` : '';
      const query = `${project}${jql`${jqlRaw(field.clause)} ~ ${jqlPhrase(value)}`} ORDER BY created ASC`;
      const candidates = await issues(query, { fields: [...(options.fields ?? ['summary', 'status']), field.id] }).toArray({
        limit: options.maxCandidates ?? 100,
      });
      return candidates.filter((issue) => fieldText(issue.fields[field.id]) === value);
    },
  };
}
