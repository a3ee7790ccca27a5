/**
 * zod schemas for the Jira entities this client reads. Loose objects: Jira adds fields freely, so unknown
 * properties are kept, and only what the client relies on is checked. Shapes follow the generated types
 * (`src/generated/jira-v3.ts`, from the official OpenAPI).
 */
import { z } from 'zod';

/** `GET /rest/api/3/field` item (FieldDetails). */
export const fieldSchema = z.looseObject({
  id: z.string(),
  key: z.string().optional(),
  name: z.string(),
  custom: z.boolean().optional(),
  clauseNames: z.array(z.string()).optional(),
  schema: z.looseObject({ type: z.string(), custom: z.string().optional(), customId: z.number().optional(), items: z.string().optional() }).optional(),
});
/** A Jira field definition. */
export type JiraField = z.infer<typeof fieldSchema>;

/** An issue as returned by get/search (IssueBean). `fields` holds whatever was requested. */
export const issueSchema = z.looseObject({
  id: z.string(),
  key: z.string(),
  self: z.string().optional(),
  fields: z.record(z.string(), z.unknown()).default({}),
});
/** A Jira issue. */
export type JiraIssue = z.infer<typeof issueSchema>;

/** `GET /rest/api/3/myself` (User). `timeZone` is the profile's IANA zone; JQL absolute dates are read in it. */
export const userSchema = z.looseObject({
  accountId: z.string(),
  displayName: z.string().optional(),
  emailAddress: z.string().optional(),
  timeZone: z.string().optional(),
  active: z.boolean().optional(),
});
/** A Jira user. */
export type JiraUser = z.infer<typeof userSchema>;

/** `POST /rest/api/3/issue` result (CreatedIssue). */
export const createdIssueSchema = z.looseObject({ id: z.string(), key: z.string(), self: z.string().optional() });
/** A created issue's id, key and URL. */
export type CreatedIssue = z.infer<typeof createdIssueSchema>;

/** `POST /rest/api/3/issue/bulk` result (CreatedIssues). */
export const createdIssuesSchema = z.looseObject({
  issues: z.array(createdIssueSchema).default([]),
  errors: z
    .array(
      z.looseObject({
        failedElementNumber: z.number().optional(),
        status: z.number().optional(),
        elementErrors: z.looseObject({ errorMessages: z.array(z.string()).optional(), errors: z.record(z.string(), z.string()).optional() }).optional(),
      }),
    )
    .default([]),
});

/** `POST /rest/api/3/search/jql` result (SearchAndReconcileResults): no total, token paging. */
export const searchResultsSchema = z.looseObject({
  issues: z.array(issueSchema).default([]),
  nextPageToken: z.string().optional(),
  isLast: z.boolean().optional(),
});

const fieldMetaSchema = z.looseObject({
  required: z.boolean(),
  name: z.string().optional(),
  key: z.string().optional(),
  schema: z.looseObject({ type: z.string() }).optional(),
  allowedValues: z.array(z.unknown()).optional(),
  hasDefaultValue: z.boolean().optional(),
});

/** A transition available on an issue (IssueTransition, with `expand=transitions.fields`). */
export const transitionSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  to: z.looseObject({ id: z.string().optional(), name: z.string().optional(), statusCategory: z.looseObject({ key: z.string().optional() }).optional() }).optional(),
  hasScreen: z.boolean().optional(),
  isAvailable: z.boolean().optional(),
  fields: z.record(z.string(), fieldMetaSchema).optional(),
});
/** A transition and the fields its screen shows. */
export type JiraTransition = z.infer<typeof transitionSchema>;
/** `GET …/transitions` result. */
export const transitionsSchema = z.looseObject({ transitions: z.array(transitionSchema).default([]) });

/** A comment (Comment); `body` is ADF. */
export const commentSchema = z.looseObject({
  id: z.string(),
  body: z.unknown().optional(),
  author: z.looseObject({ accountId: z.string().optional(), displayName: z.string().optional() }).optional(),
  created: z.string().optional(),
  updated: z.string().optional(),
  properties: z.array(z.looseObject({ key: z.string(), value: z.unknown() })).optional(),
});
/** A Jira comment. */
export type JiraComment = z.infer<typeof commentSchema>;
/** `GET …/comment` page (PageOfComments). */
export const commentPageSchema = z.looseObject({
  startAt: z.number(),
  maxResults: z.number(),
  total: z.number(),
  comments: z.array(commentSchema).default([]),
});

/** A project (Project), as listed by `project/search`. */
export const projectSchema = z.looseObject({ id: z.string(), key: z.string(), name: z.string() });
/** A Jira project. */
export type JiraProject = z.infer<typeof projectSchema>;
/** `GET /rest/api/3/project/search` page (PageBeanProject). */
export const projectPageSchema = z.looseObject({
  startAt: z.number(),
  maxResults: z.number(),
  total: z.number().optional(),
  isLast: z.boolean().optional(),
  values: z.array(projectSchema).default([]),
});

/** An issue type usable for create in a project (IssueTypeIssueCreateMetadata). */
export const issueTypeSchema = z.looseObject({ id: z.string(), name: z.string(), subtask: z.boolean().optional() });
/** A Jira issue type. */
export type JiraIssueType = z.infer<typeof issueTypeSchema>;
/** `GET /rest/api/3/issue/createmeta/{project}/issuetypes` page. */
export const issueTypePageSchema = z.looseObject({
  startAt: z.number().optional(),
  maxResults: z.number().optional(),
  total: z.number().optional(),
  issueTypes: z.array(issueTypeSchema).optional(),
  createMetaIssueType: z.array(issueTypeSchema).optional(),
});

/** A registered dynamic webhook (Webhook). */
export const webhookSchema = z.looseObject({
  id: z.number(),
  jqlFilter: z.string(),
  events: z.array(z.string()),
  expirationDate: z.union([z.number(), z.string()]).optional(),
  fieldIdsFilter: z.array(z.string()).optional(),
  issuePropertyKeysFilter: z.array(z.string()).optional(),
});
/** A registered dynamic webhook. */
export type JiraWebhook = z.infer<typeof webhookSchema>;
/** `GET /rest/api/3/webhook` page (PageBeanWebhook). */
export const webhookPageSchema = z.looseObject({
  startAt: z.number(),
  maxResults: z.number(),
  total: z.number().optional(),
  isLast: z.boolean().optional(),
  values: z.array(webhookSchema).default([]),
});
/** `POST /rest/api/3/webhook` result (ContainerForRegisteredWebhooks). */
export const registeredWebhooksSchema = z.looseObject({
  webhookRegistrationResult: z.array(z.looseObject({ createdWebhookId: z.number().optional(), errors: z.array(z.string()).optional() })).default([]),
});
/** `PUT /rest/api/3/webhook/refresh` result (WebhooksExpirationDate). */
export const webhookExpirationSchema = z.looseObject({ expirationDate: z.union([z.number(), z.string()]) });
