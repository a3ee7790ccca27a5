/**
 * `@ml-connector/jira`: a typed Jira Cloud REST v3 client — OAuth 2.0 (3LO) with rotating refresh tokens or an API
 * token, custom fields discovered by name, issues with ADF bodies, transitions, comments, links, enhanced JQL search
 * with escaping, dynamic webhooks and inbound signature verification, and rate-limit state. The emulator is under
 * `@ml-connector/jira/testing`.
 *
 * @packageDocumentation
 */
export { type JiraClient, connectJira } from './client.js';
export {
  JIRA_DEFAULTS,
  type JiraClientOptions,
  type JiraAuth,
  type JiraOAuthAuth,
  type JiraApiTokenAuth,
  type JiraTokenProviderAuth,
} from './options.js';
export {
  type AuthorizationUrlOptions,
  type CodeExchangeOptions,
  type CodeExchangeResult,
  createAuthorizationUrl,
  createOAuthState,
  verifyOAuthState,
  exchangeAuthorizationCode,
  listAccessibleResources,
  selectSite,
} from './oauth.js';
export {
  type JiraSite,
  type CustomFieldProblem,
  JiraSiteSelectionError,
  MissingCustomFieldError,
  TransitionFieldsError,
  JiraRateLimitError,
  JiraServiceUnavailableError,
  isJiraSiteSelectionError,
  isMissingCustomFieldError,
  isTransitionFieldsError,
  isJiraRateLimitError,
  isJiraServiceUnavailableError,
} from './errors.js';
export {
  JIRA_LIMITS,
  JIRA_THROTTLE_DEFAULTS,
  type JiraRateLimitInfo,
  type JiraRateLimitState,
  readRateLimitHeaders,
} from './rate-limits.js';
export {
  adf,
  type AdfDocument,
  type AdfBlock,
  type AdfInline,
  type AdfText,
  type AdfMark,
  type AdfHardBreak,
  type AdfParagraph,
  type AdfHeading,
  type AdfListItem,
  type AdfBulletList,
  type AdfOrderedList,
  type AdfCodeBlock,
  type AdfRule,
  type InlineInput,
  type TextMarks,
  isAdfDocument,
  assertAdfDocument,
  adfToPlainText,
} from './adf.js';
export { JQL_RESERVED_WORDS, JqlFragment, type JqlInterpolation, jql, jqlString, jqlValue, jqlField, jqlPhrase, jqlRaw, jqlDateTime } from './jql.js';
export { type ResolvedCustomField, type CustomFieldMap } from './resources/shared.js';
export {
  type IssuesResource,
  type IssueCreateInput,
  type IssueUpdateInput,
  type BulkCreateResult,
  type BulkCreateFailure,
  type TransitionInput,
  type IssueLinkTypeName,
} from './resources/issues.js';
export { type SearchResource, type SearchOptions, type ExactTextOptions } from './resources/search.js';
export { type MetadataResource } from './resources/metadata.js';
export {
  type WebhooksResource,
  type WebhookRegistration,
  type WebhookRegistrationOutcome,
  type RegisteredJiraWebhook,
  type DynamicWebhookEvent,
  DYNAMIC_WEBHOOK_EVENTS,
} from './resources/webhooks.js';
export {
  type JiraWebhookEvent,
  type VerifyJiraWebhookOptions,
  type VerifiedJiraWebhook,
  JiraWebhookPayloadError,
  isJiraWebhookPayloadError,
  JIRA_SIGNATURE_HEADER,
  JIRA_WEBHOOK_ID_HEADER,
  verifyJiraWebhook,
} from './webhooks.js';
export {
  type JiraField, type JiraIssue, type CreatedIssue, type JiraTransition, type JiraComment, type JiraProject,
  type JiraIssueType, type JiraWebhook, type JiraUser, fieldSchema, issueSchema, createdIssueSchema, transitionSchema, commentSchema,
  projectSchema, issueTypeSchema, webhookSchema, userSchema,
} from './schemas/index.js';
