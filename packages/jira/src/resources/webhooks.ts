import { type HttpClient, InvalidInputError, type PagedAsyncIterable, offsetLimitHasMore, paginate } from '@ml-connector/core';
import type { components } from '../generated/jira-v3.js';
import { JIRA_LIMITS } from '../rate-limits.js';
import { type JiraWebhook, registeredWebhooksSchema, webhookExpirationSchema, webhookPageSchema } from '../schemas/index.js';
import { API } from './shared.js';

type WebhookRegistrationDetails = components['schemas']['WebhookRegistrationDetails'];

/**
 * Events a dynamic webhook can subscribe to (JIRASPEC `WebhookDetails.events`):
 * - `jira:issue_created`, `jira:issue_updated`, `jira:issue_deleted`: body has `issue` (and `changelog` for updates);
 *   `fieldIdsFilter` narrows updates to changes of those fields.
 * - `comment_created`, `comment_updated`, `comment_deleted`: body has `comment` and a reduced `issue`.
 * - `issue_property_set`, `issue_property_deleted`: narrowed with `issuePropertyKeysFilter`.
 */
export const DYNAMIC_WEBHOOK_EVENTS = [
  'jira:issue_created',
  'jira:issue_updated',
  'jira:issue_deleted',
  'comment_created',
  'comment_updated',
  'comment_deleted',
  'issue_property_set',
  'issue_property_deleted',
] as const;

/** An event a dynamic webhook can subscribe to. */
export type DynamicWebhookEvent = (typeof DYNAMIC_WEBHOOK_EVENTS)[number];

/** One webhook to register. */
export interface WebhookRegistration {
  /** Events to receive. */
  events: DynamicWebhookEvent[];
  /**
   * JQL filter; required by Jira. Only a subset is supported for webhooks: `issueKey`, `project`, `issuetype`,
   * `status`, `assignee`, `reporter`, `issue.property`, `cf[id]` with `=`, `!=`, `IN`, `NOT IN`.
   */
  jqlFilter: string;
  /** Only send `jira:issue_updated` when one of these fields changed. */
  fieldIdsFilter?: string[];
  /** Only send property events for these keys. */
  issuePropertyKeysFilter?: string[];
}

/** Outcome of one registration, in input order. */
export type WebhookRegistrationOutcome = { ok: true; id: number } | { ok: false; errors: string[] };

/** A registered webhook with its expiry as epoch ms. */
export interface RegisteredJiraWebhook extends JiraWebhook {
  /** When Jira stops sending it (epoch ms); refresh before. */
  expiresAt: number | undefined;
}

/**
 * Dynamic webhooks (OAuth 2.0 and Connect apps only; API-token clients get 403). They expire after 30 days:
 * call {@link WebhooksResource.refreshExpiring} daily.
 */
export interface WebhooksResource {
  /** Registers webhooks for `url` (one URL per app). Per-item failures come back as `{ ok: false, errors }`. */
  register(url: string, webhooks: WebhookRegistration[], options?: { signal?: AbortSignal }): Promise<WebhookRegistrationOutcome[]>;
  /** Lists this app's webhooks. */
  list(): PagedAsyncIterable<RegisteredJiraWebhook>;
  /** Deletes webhooks by id (202). */
  delete(ids: number[], options?: { signal?: AbortSignal }): Promise<void>;
  /** Extends the life of webhooks to 30 days from now; returns the new expiry (epoch ms). */
  refresh(ids: number[], options?: { signal?: AbortSignal }): Promise<number>;
  /** Refreshes every webhook expiring within `withinMs` (default 7 days); returns refreshed ids and the new expiry. */
  refreshExpiring(options?: { withinMs?: number; signal?: AbortSignal }): Promise<{ refreshed: number[]; expiresAt?: number }>;
}

/** Converts Jira's expiration date (epoch ms per the schema; ISO text in its examples) to epoch ms. */
export function toEpochMs(value: number | string | undefined): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? undefined : ms;
}

const checkIds = (ids: unknown): number[] => {
  if (!Array.isArray(ids) || ids.length === 0 || ids.some((i) => !Number.isSafeInteger(i) || (i as number) < 0)) {
    throw new InvalidInputError('webhookIds must be a non-empty array of webhook ids (numbers)', { field: 'webhookIds' });
  }
  return ids as number[];
};

/** @internal */
export function webhooksResource(http: HttpClient, now: () => number): WebhooksResource {
  const list = (): PagedAsyncIterable<RegisteredJiraWebhook> =>
    paginate(
      offsetLimitHasMore(async ({ offset, limit, signal }) => {
        const page = await http.get(`${API}webhook`, {
          query: { startAt: offset, maxResults: limit },
          schema: webhookPageSchema,
          operation: 'webhooks.list',
          ...(signal ? { signal } : {}),
        });
        return {
          items: page.values.map((w) => ({ ...w, expiresAt: toEpochMs(w.expirationDate) })),
          hasMore: page.isLast === false && page.values.length > 0,
        };
      }),
    );
  const refresh: WebhooksResource['refresh'] = async (ids, options = {}) => {
    const body = await http.put(`${API}webhook/refresh`, {
      json: { webhookIds: checkIds(ids) },
      schema: webhookExpirationSchema,
      operation: 'webhooks.refresh',
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const expiresAt = toEpochMs(body.expirationDate);
    if (expiresAt === undefined) throw new InvalidInputError('Jira returned an unreadable expirationDate', { field: 'expirationDate' });
    return expiresAt;
  };
  return {
    async register(url, webhooks, options = {}) {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw new InvalidInputError(`webhook url must be an absolute https URL, got ${JSON.stringify(url)}`, { field: 'url' });
      }
      if (parsed.protocol !== 'https:' && !/^(127\.|localhost$|\[::1\]$)/.test(parsed.hostname)) {
        throw new InvalidInputError('webhook url must use https (Jira only delivers to https endpoints)', { field: 'url' });
      }
      if (!Array.isArray(webhooks) || webhooks.length === 0) throw new InvalidInputError('register at least one webhook', { field: 'webhooks' });
      for (const [i, w] of webhooks.entries()) {
        if (typeof w.jqlFilter !== 'string' || w.jqlFilter.trim() === '') {
          throw new InvalidInputError(`webhooks[${i}].jqlFilter is required by Jira (e.g. jql\`project = \${key}\`)`, { field: `webhooks[${i}].jqlFilter` });
        }
        if (!Array.isArray(w.events) || w.events.length === 0 || w.events.some((e) => !DYNAMIC_WEBHOOK_EVENTS.includes(e))) {
          throw new InvalidInputError(`webhooks[${i}].events must be a non-empty list of: ${DYNAMIC_WEBHOOK_EVENTS.join(', ')}`, { field: `webhooks[${i}].events` });
        }
      }
      const body: WebhookRegistrationDetails = { url, webhooks: webhooks.map((w) => ({ ...w })) };
      const result = await http.post(`${API}webhook`, {
        json: body,
        schema: registeredWebhooksSchema,
        operation: 'webhooks.register',
        ...(options.signal ? { signal: options.signal } : {}),
      });
      return result.webhookRegistrationResult.map((r) =>
        r.createdWebhookId !== undefined ? { ok: true as const, id: r.createdWebhookId } : { ok: false as const, errors: r.errors ?? ['unknown error'] },
      );
    },
    list,
    async delete(ids, options = {}) {
      await http.request({
        method: 'DELETE',
        path: `${API}webhook`,
        json: { webhookIds: checkIds(ids) },
        responseType: 'text',
        operation: 'webhooks.delete',
        ...(options.signal ? { signal: options.signal } : {}),
      });
    },
    refresh,
    async refreshExpiring(options = {}) {
      const withinMs = options.withinMs ?? 7 * 24 * 60 * 60_000;
      if (!(withinMs > 0 && withinMs <= JIRA_LIMITS.webhookLifetimeMs)) {
        throw new InvalidInputError('withinMs must be between 1 ms and 30 days', { field: 'withinMs' });
      }
      const due = (await list().toArray({ limit: 10_000 })).filter((w) => w.expiresAt === undefined || w.expiresAt - now() <= withinMs).map((w) => w.id);
      if (due.length === 0) return { refreshed: [] };
      return { refreshed: due, expiresAt: await refresh(due, options) };
    },
  };
}
