/**
 * Routes authenticated `/rest/api/3/…` requests of one site to the store and the webhook manager, and emits
 * webhook events for writes. Produces plain results; `sandbox.ts` adds auth, limits and faults.
 */
import { createHash } from 'node:crypto';
import { JiraEmulatorError, jiraErrors } from './errors.js';
import type { Actor, IssueRecord, SiteService } from './store.js';
import type { WebhookManager } from './webhooks.js';

/** One API request, already authenticated. */
export interface ApiRequest {
  method: string;
  /** Segments after `/rest/api/3/`. */
  segments: string[];
  query: URLSearchParams;
  body: unknown;
  actor: Actor;
  /** OAuth client id, or undefined for Basic (API token) callers. */
  clientId: string | undefined;
  /** Scopes of the OAuth grant (undefined for Basic callers). */
  scopes?: readonly string[] | undefined;
  /** Project permissions the caller lacks (the sandbox's `deniedPermissions`). */
  deniedPermissions?: readonly string[];
}

/**
 * Project permissions `mypermissions` knows, with Jira's ids and names (JIRASPEC "Get all permissions"). The write ones
 * also need the `write:jira-work` scope for OAuth callers.
 */
const PERMISSIONS: Readonly<Record<string, { id: string; name: string; write: boolean }>> = {
  BROWSE_PROJECTS: { id: '10', name: 'Browse Projects', write: false },
  CREATE_ISSUES: { id: '11', name: 'Create Issues', write: true },
  EDIT_ISSUES: { id: '12', name: 'Edit Issues', write: true },
  ADD_COMMENTS: { id: '15', name: 'Add Comments', write: true },
  LINK_ISSUES: { id: '21', name: 'Link Issues', write: true },
  TRANSITION_ISSUES: { id: '46', name: 'Transition Issues', write: true },
};

const hasPermission = (req: ApiRequest, key: string): boolean =>
  !(req.deniedPermissions ?? []).includes(key) && !(PERMISSIONS[key]?.write && req.scopes !== undefined && !req.scopes.includes('write:jira-work'));

/** Result of routing. */
export interface ApiResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** @internal */
export interface RouterContext {
  service: SiteService;
  webhooks: WebhookManager;
  maxSearchResults: number;
}

/** Route template of a request, for rate-limit keys (`issue/{key}/comment`). */
export function routeTemplate(segments: string[]): string {
  return segments.map((s, i) => (segments[i - 1] === 'issue' && s !== 'bulk' && s !== 'createmeta' ? '{key}' : /^\d+$/.test(s) ? '{id}' : s)).join('/');
}

const pick = (issue: IssueRecord, fields: Record<string, unknown>, wanted: string[]): Record<string, unknown> => {
  const all = wanted.includes('*all') || wanted.includes('*navigable');
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) if (all || wanted.includes(k)) out[k] = v;
  if (all || wanted.includes('comment')) {
    out.comment = { comments: issue.comments, maxResults: issue.comments.length, total: issue.comments.length, startAt: 0 };
  }
  return out;
};

const issueJson = (ctx: RouterContext, issue: IssueRecord, fields: Record<string, unknown>, wanted: string[]) => ({
  expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
  id: issue.id,
  self: `${ctx.service.site.url}/rest/api/3/issue/${issue.id}`,
  key: issue.key,
  fields: pick(issue, fields, wanted),
});

const tokenFor = (jql: string, offset: number) =>
  Buffer.from(JSON.stringify({ o: offset, h: createHash('sha256').update(jql).digest('base64url').slice(0, 16) })).toString('base64url');

function readToken(token: string, jql: string): number {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown; h?: unknown };
    const h = createHash('sha256').update(jql).digest('base64url').slice(0, 16);
    if (typeof t.o === 'number' && t.h === h) return t.o;
  } catch {
    // fall through
  }
  throw jiraErrors.messages(400, 'The provided next page token is invalid or expired.');
}

/** Routes one request. Throws JiraEmulatorError for Jira errors. */
export function routeApi(ctx: RouterContext, req: ApiRequest): ApiResult {
  const { service, webhooks } = ctx;
  const [a, b, c, d] = req.segments;
  const m = req.method.toUpperCase();
  const emit = (event: string, issue: IssueRecord, extra: Record<string, unknown>, changed: string[] = []) =>
    webhooks.emit(service.site.id, event, { id: issue.id, key: issue.key, fields: structuredClone(issue.fields) }, service.resolver(), { user: req.actor, ...extra }, changed);

  if (a === 'field' && !b && m === 'GET') return { status: 200, body: service.site.fields };
  if (a === 'myself' && !b && m === 'GET') {
    return { status: 200, body: { self: `${service.site.url}/rest/api/3/user?accountId=${encodeURIComponent(req.actor.accountId)}`, accountId: req.actor.accountId, accountType: req.clientId ? 'app' : 'atlassian', displayName: req.actor.displayName, active: true, timeZone: service.site.timeZone, locale: 'en_US' } };
  }
  if (a === 'mypermissions' && !b && m === 'GET') {
    // JIRASPEC: `permissions` is required; an unknown key is a 400. Project context by projectKey (unknown: 404).
    const keys = (req.query.get('permissions') ?? '').split(',').map((k) => k.trim()).filter(Boolean);
    if (keys.length === 0) throw jiraErrors.messages(400, 'The permissions parameter is required.');
    const unknown = keys.find((k) => !PERMISSIONS[k]);
    if (unknown) throw jiraErrors.messages(400, `Invalid permission key: ${unknown}`);
    const projectKey = req.query.get('projectKey');
    if (projectKey && !service.site.projects.some((p) => p.key === projectKey)) throw jiraErrors.notFound('No project could be found with key or id.');
    const permissions = Object.fromEntries(keys.map((k) => [k, { id: PERMISSIONS[k]!.id, key: k, name: PERMISSIONS[k]!.name, type: 'PROJECT', description: PERMISSIONS[k]!.name, havePermission: hasPermission(req, k) }]));
    return { status: 200, body: { permissions } };
  }
  if (a === 'project' && b === 'search' && m === 'GET') {
    const start = Number(req.query.get('startAt') ?? 0);
    const max = Math.min(Number(req.query.get('maxResults') ?? 50), 50);
    const q = (req.query.get('query') ?? '').toLowerCase();
    const all = service.site.projects.filter((p) => !q || p.key.toLowerCase().includes(q) || p.name.toLowerCase().includes(q));
    const values = all.slice(start, start + max).map((p) => ({ id: p.id, key: p.key, name: p.name, self: `${service.site.url}/rest/api/3/project/${p.id}` }));
    return { status: 200, body: { startAt: start, maxResults: max, total: all.length, isLast: start + max >= all.length, values } };
  }
  if (a === 'issue' && b === 'createmeta' && d === 'issuetypes' && m === 'GET') {
    const project = service.site.projects.find((p) => p.key === c || p.id === c);
    if (!project) throw jiraErrors.notFound('No project could be found with key or id.');
    return { status: 200, body: { startAt: 0, maxResults: 50, total: project.issueTypes.length, issueTypes: project.issueTypes } };
  }
  if (a === 'issue' && (!b || b === 'bulk') && m === 'POST' && !hasPermission(req, 'CREATE_ISSUES')) {
    // Real text and status UNCONFIRMED.
    throw jiraErrors.messages(403, 'You do not have permission to create issues in this project.');
  }
  if (a === 'issue' && !b && m === 'POST') {
    const created = service.create(req.body, req.actor);
    emit('jira:issue_created', service.issue(created.id), { issue_event_type_name: 'issue_created' });
    return { status: 201, body: created };
  }
  if (a === 'issue' && b === 'bulk' && m === 'POST') {
    const updates = (req.body as { issueUpdates?: unknown[] } | null)?.issueUpdates;
    if (!Array.isArray(updates)) throw jiraErrors.messages(400, 'issueUpdates is required.');
    if (updates.length > 50) throw jiraErrors.messages(400, 'The number of issues to create must not exceed 50.');
    const issues: unknown[] = [];
    const errors: unknown[] = [];
    updates.forEach((u, i) => {
      try {
        const created = service.create(u, req.actor);
        emit('jira:issue_created', service.issue(created.id), { issue_event_type_name: 'issue_created' });
        issues.push(created);
      } catch (error) {
        if (!(error instanceof JiraEmulatorError)) throw error;
        errors.push({ status: error.status, elementErrors: error.body, failedElementNumber: i });
      }
    });
    return { status: issues.length > 0 ? 201 : 400, body: { issues, errors } };
  }
  if (a === 'issue' && b && !c) {
    const issue = service.issue(b);
    if (m === 'GET') return { status: 200, body: issueJson(ctx, issue, issue.fields, (req.query.get('fields') ?? '*navigable').split(',')) };
    if (m === 'PUT') {
      const changes = service.update(issue, req.body);
      if (changes.length) {
        emit(
          'jira:issue_updated',
          issue,
          { issue_event_type_name: 'issue_updated', changelog: { id: String(Date.now()), items: changes.map((x) => ({ field: x.field, fieldId: x.fieldId, from: null, fromString: stringOf(x.from), to: null, toString: stringOf(x.to) })) } },
          changes.map((x) => x.fieldId),
        );
      }
      return { status: 204 };
    }
    throw jiraErrors.methodNotAllowed();
  }
  if (a === 'issue' && b && c === 'transitions') {
    const issue = service.issue(b);
    if (m === 'GET') return { status: 200, body: { expand: 'transitions', transitions: service.transitions(issue, (req.query.get('expand') ?? '').includes('transitions.fields')) } };
    if (m === 'POST') {
      const t = service.transition(issue, req.body, req.actor);
      if (t.comment) emit('comment_created', issue, { comment: t.comment });
      emit('jira:issue_updated', issue, { issue_event_type_name: 'issue_generic', changelog: { id: String(Date.now()), items: [{ field: 'status', fieldId: 'status', fromString: t.from, toString: t.to }] } }, ['status']);
      return { status: 204 };
    }
    throw jiraErrors.methodNotAllowed();
  }
  if (a === 'issue' && b && c === 'comment' && !d) {
    const issue = service.issue(b);
    if (m === 'GET') {
      const start = Number(req.query.get('startAt') ?? 0);
      const max = Math.min(Number(req.query.get('maxResults') ?? 5000), 5000);
      return { status: 200, body: { startAt: start, maxResults: max, total: issue.comments.length, comments: issue.comments.slice(start, start + max) } };
    }
    if (m === 'POST') {
      const comment = service.addComment(issue, req.body, req.actor);
      emit('comment_created', issue, { comment });
      emit('jira:issue_updated', issue, { issue_event_type_name: 'issue_commented', comment });
      return { status: 201, body: comment };
    }
    throw jiraErrors.methodNotAllowed();
  }
  if (a === 'issueLink' && m === 'POST') {
    service.link(req.body);
    return { status: 201 };
  }
  if (a === 'search' && !b && (m === 'GET' || m === 'POST')) {
    throw new JiraEmulatorError(410, { errorMessages: ['The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046'], errors: {} });
  }
  if (a === 'search' && b === 'jql' && (m === 'GET' || m === 'POST')) {
    const body = (m === 'POST' ? req.body : Object.fromEntries(req.query)) as Record<string, unknown> | null;
    const jql = typeof body?.jql === 'string' ? body.jql : '';
    if (jql.trim() === '' || !/\S/.test(jql.replace(/order\s+by[\s\S]*$/i, ''))) {
      throw jiraErrors.messages(400, 'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.');
    }
    const fields = Array.isArray(body?.fields) ? (body.fields as string[]) : typeof body?.fields === 'string' ? String(body.fields).split(',') : [];
    const idsOnly = fields.length === 0 || fields.every((f) => f === 'id' || f === 'key');
    const max = Math.max(1, Math.min(Number(body?.maxResults ?? 50), idsOnly ? 5000 : ctx.maxSearchResults));
    const offset = typeof body?.nextPageToken === 'string' ? readToken(body.nextPageToken, jql) : 0;
    const reconcile = new Set((Array.isArray(body?.reconcileIssues) ? (body.reconcileIssues as unknown[]) : []).map(String));
    if (reconcile.size > 50) throw jiraErrors.messages(400, 'reconcileIssues accepts at most 50 issue ids.');
    const rows = service.search(jql, reconcile);
    const page = rows.slice(offset, offset + max);
    const isLast = offset + max >= rows.length;
    const issues = page.map((r) => (fields.length === 0 ? { id: r.issue.id } : issueJson(ctx, r.issue, r.fields, fields)));
    return { status: 200, body: { issues, isLast, ...(isLast ? {} : { nextPageToken: tokenFor(jql, offset + max) }) } };
  }
  if (a === 'webhook') {
    if (!req.clientId) throw jiraErrors.messages(403, 'Only Connect and OAuth 2.0 apps can use this operation.');
    const ids = () => {
      const list = (req.body as { webhookIds?: unknown } | null)?.webhookIds;
      if (!Array.isArray(list) || list.length === 0) throw jiraErrors.fields(400, { webhookIds: 'webhookIds must not be empty.' });
      return list.map(Number);
    };
    if (!b && m === 'POST') {
      const result = webhooks.register(req.clientId, service.site.id, req.body);
      return { status: 200, body: result };
    }
    if (!b && m === 'GET') {
      const all = webhooks.list(req.clientId, service.site.id);
      const start = Number(req.query.get('startAt') ?? 0);
      const max = Math.min(Number(req.query.get('maxResults') ?? 100), 100);
      const values = all.slice(start, start + max);
      return { status: 200, body: { startAt: start, maxResults: max, total: all.length, isLast: start + max >= all.length, values } };
    }
    if (!b && m === 'DELETE') {
      webhooks.delete(req.clientId, service.site.id, ids());
      return { status: 202 };
    }
    if (b === 'refresh' && m === 'PUT') return { status: 200, body: { expirationDate: webhooks.refresh(req.clientId, service.site.id, ids()) } };
  }
  throw jiraErrors.notFound(`No route for ${m} /rest/api/3/${req.segments.join('/')}`);
}

function stringOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  return JSON.stringify(value);
}
