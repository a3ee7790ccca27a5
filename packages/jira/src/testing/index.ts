/**
 * `@ml-connector/jira/testing`: an emulator of Jira Cloud REST v3 with the Atlassian authorisation server
 * (code exchange, rotating refresh tokens), accessible-resources with one or several sites, fields with per-site
 * custom field ids, projects and issue types, issues with ADF validation, transitions with required fields,
 * comments, enhanced JQL search with index lag, dynamic webhooks with HMAC-signed delivery, expiry and retries,
 * burst rate limits with the real headers, and fault injection. Start with {@link createJiraSandbox}.
 *
 * @packageDocumentation
 */
export {
  type JiraSandbox,
  type JiraSandboxOptions,
  type JiraSandboxStats,
  createJiraSandbox,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
  SANDBOX_EMAIL,
  SANDBOX_API_TOKEN,
  SANDBOX_WEBHOOK_SECRET,
  SANDBOX_SCOPES,
} from './sandbox.js';
export {
  type JiraSiteSeed,
  type JiraSiteData,
  type CustomFieldSeed,
  type ProjectSeed,
  type TransitionSeed,
  DEFAULT_CUSTOM_FIELDS,
  DEFAULT_SITES,
  SEED_STATUSES,
  SEED_TRANSITIONS,
  SEED_RESOLUTIONS,
  SEED_LINK_TYPES,
  cloudIdFor,
} from './seed.js';
export { type JiraSandboxLimits } from './limits.js';
export { type AtlassianOAuthApp } from './oauth.js';
export { type WebhookDeliveryRecord } from './webhooks.js';
export { type SiteState, type IssueRecord, type CommentRecord, type FieldRecord } from './store.js';
export { type JqlNode, type ParsedJql, parseJql } from './jql.js';
export { parseJqlDate, zonedTimeToEpoch } from './jql-dates.js';
