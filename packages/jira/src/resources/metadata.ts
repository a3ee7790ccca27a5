import { type HttpClient, InvalidInputError, type PagedAsyncIterable, offsetLimitHasMore, paginate } from '@ml-connector/core';
import { z } from 'zod';
import {
  type JiraField,
  type JiraIssueType,
  type JiraProject,
  type JiraUser,
  fieldSchema,
  issueTypePageSchema,
  projectPageSchema,
  userSchema,
} from '../schemas/index.js';
import { API } from './shared.js';

/** Fields, projects and issue types of the site. */
export interface MetadataResource {
  /** Every field, system and custom (`GET /rest/api/3/field`). */
  listFields(options?: { signal?: AbortSignal }): Promise<JiraField[]>;
  /** Projects visible to the user (`GET /rest/api/3/project/search`). */
  listProjects(options?: { query?: string }): PagedAsyncIterable<JiraProject>;
  /** Issue types that can be created in a project (`GET /rest/api/3/issue/createmeta/{project}/issuetypes`). */
  listIssueTypes(projectIdOrKey: string, options?: { signal?: AbortSignal }): Promise<JiraIssueType[]>;
  /**
   * The calling user (`GET /rest/api/3/myself`). Its `timeZone` is the one Jira reads JQL absolute dates in
   * (`updated >= "2026/11/30 09:15"`): format cursors with `jqlDateTime` in that zone. OAuth 2.0 apps need the
   * `read:jira-user` scope for it.
   */
  myself(options?: { signal?: AbortSignal }): Promise<JiraUser>;
}

/** @internal */
export function metadataResource(http: HttpClient): MetadataResource {
  return {
    listFields: (options = {}) =>
      http.get(`${API}field`, { schema: z.array(fieldSchema), operation: 'fields.list', ...(options.signal ? { signal: options.signal } : {}) }),
    listProjects(options = {}) {
      return paginate(
        offsetLimitHasMore(async ({ offset, limit, signal }) => {
          const page = await http.get(`${API}project/search`, {
            query: { startAt: offset, maxResults: limit, ...(options.query ? { query: options.query } : {}) },
            schema: projectPageSchema,
            operation: 'projects.list',
            ...(signal ? { signal } : {}),
          });
          return { items: page.values, hasMore: page.isLast === false && page.values.length > 0 };
        }),
      );
    },
    myself: (options = {}) => http.get(`${API}myself`, { schema: userSchema, operation: 'users.myself', ...(options.signal ? { signal: options.signal } : {}) }),
    async listIssueTypes(project, options = {}) {
      if (typeof project !== 'string' || !/^[A-Za-z0-9_]+$/.test(project)) {
        throw new InvalidInputError(`projectIdOrKey must be a project key or id, got ${JSON.stringify(project)}`, { field: 'projectIdOrKey' });
      }
      const page = await http.get(`${API}issue/createmeta/${project}/issuetypes`, {
        schema: issueTypePageSchema,
        operation: 'projects.listIssueTypes',
        ...(options.signal ? { signal: options.signal } : {}),
      });
      return page.issueTypes ?? page.createMetaIssueType ?? [];
    },
  };
}
