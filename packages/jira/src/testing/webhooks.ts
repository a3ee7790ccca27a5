/**
 * Dynamic webhooks of the emulator (`/rest/api/3/webhook`): registration with a JQL filter (webhook subset only),
 * listing, deletion, refresh, 30-day expiry (an expired webhook stops and disappears — UNCONFIRMED whether Jira
 * lists it until purged), and HMAC-signed delivery (`X-Hub-Signature: sha256=<hex>` over the raw body, see
 * api-facts.md §6) with retries on failure. Deliveries go only to loopback URLs unless `deliveryFetch` is given.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { type JqlNode, matches, parseJql } from './jql.js';
import type { FieldResolver } from './jql.js';

/** One delivery attempt, recorded for assertions. */
export interface WebhookDeliveryRecord {
  webhookIds: number[];
  url: string;
  event: string;
  deliveryId: string;
  attempt: number;
  status: number | 'network-error';
  body: string;
  headers: Record<string, string>;
}

interface Registration {
  id: number;
  clientId: string;
  siteId: string;
  url: string;
  events: string[];
  jqlFilter: string;
  where: JqlNode | undefined;
  fieldIdsFilter?: string[];
  issuePropertyKeysFilter?: string[];
  expiresAt: number;
}

/** @internal */
export interface WebhookManagerOptions {
  now: () => number;
  secret: string | undefined;
  /** Also send `Authorization: Bearer <HS256 JWT>` signed with the registering app's client secret. */
  jwt: ((clientId: string) => string | undefined) | undefined;
  deliveryFetch: typeof fetch | undefined;
  retryDelaysMs: readonly number[];
  maxWebhooks: number;
  lifetimeMs: number;
}

const WEBHOOK_FIELDS = new Set(['issuekey', 'key', 'project', 'issuetype', 'type', 'status', 'assignee', 'reporter']);
const WEBHOOK_OPS = new Set(['=', '!=', 'in', 'not in']);
const RETRY_STATUSES = new Set([408, 409, 425, 429]);

/** @internal */
export class WebhookManager {
  private readonly hooks = new Map<number, Registration>();
  private nextId = 10_000;
  private readonly pending = new Set<Promise<void>>();
  /** Every delivery attempt. */
  readonly deliveries: WebhookDeliveryRecord[] = [];

  constructor(private readonly o: WebhookManagerOptions) {}

  private purge(): void {
    const now = this.o.now();
    for (const [id, h] of this.hooks) if (h.expiresAt <= now) this.hooks.delete(id);
  }

  /** Problem with a webhook JQL filter, or undefined. */
  private filterProblem(jql: string): string | undefined {
    let where: JqlNode | undefined;
    try {
      where = parseJql(jql).where;
    } catch {
      return 'Invalid JQL filter';
    }
    const visit = (n: JqlNode | undefined): string | undefined => {
      if (!n) return undefined;
      if (n.kind === 'and' || n.kind === 'or') return n.children.map(visit).find(Boolean);
      if (n.kind === 'not') return visit(n.child);
      const field = n.field.toLowerCase();
      if (!(WEBHOOK_FIELDS.has(field) || /^cf\[\d+\]$/.test(field) || field.startsWith('issue.property'))) {
        return `The JQL filter uses the field '${n.field}', which is not supported for webhooks`;
      }
      if (!WEBHOOK_OPS.has(n.op)) return `The JQL filter uses the operator '${n.op.toUpperCase()}', which is not supported for webhooks`;
      return undefined;
    };
    return visit(where);
  }

  register(clientId: string, siteId: string, body: unknown): { webhookRegistrationResult: Array<{ createdWebhookId?: number; errors?: string[] }> } {
    this.purge();
    const b = body as { url?: unknown; webhooks?: unknown } | null;
    const url = typeof b?.url === 'string' ? b.url : '';
    const list = Array.isArray(b?.webhooks) ? (b.webhooks as Array<Record<string, unknown>>) : [];
    const other = [...this.hooks.values()].find((h) => h.clientId === clientId && h.siteId === siteId && h.url !== url);
    return {
      webhookRegistrationResult: list.map((w) => {
        if (other) return { errors: ['Only one webhook URL is allowed per app; delete the webhooks of the other URL first.'] };
        const events = Array.isArray(w.events) ? (w.events as string[]) : [];
        if (typeof w.jqlFilter !== 'string' || w.jqlFilter.trim() === '') return { errors: ['The JQL filter is required.'] };
        const problem = this.filterProblem(w.jqlFilter);
        if (problem) return { errors: [problem] };
        if (events.length === 0) return { errors: ['At least one event is required.'] };
        if ([...this.hooks.values()].filter((h) => h.clientId === clientId && h.siteId === siteId).length >= this.o.maxWebhooks) {
          return { errors: [`The app already has the maximum of ${this.o.maxWebhooks} webhooks.`] };
        }
        const id = this.nextId++;
        this.hooks.set(id, {
          id,
          clientId,
          siteId,
          url,
          events,
          jqlFilter: w.jqlFilter,
          where: parseJql(w.jqlFilter).where,
          ...(Array.isArray(w.fieldIdsFilter) ? { fieldIdsFilter: w.fieldIdsFilter as string[] } : {}),
          ...(Array.isArray(w.issuePropertyKeysFilter) ? { issuePropertyKeysFilter: w.issuePropertyKeysFilter as string[] } : {}),
          expiresAt: this.o.now() + this.o.lifetimeMs,
        });
        return { createdWebhookId: id };
      }),
    };
  }

  list(clientId: string, siteId: string): Array<Record<string, unknown>> {
    this.purge();
    return [...this.hooks.values()]
      .filter((h) => h.clientId === clientId && h.siteId === siteId)
      .map((h) => ({
        id: h.id,
        jqlFilter: h.jqlFilter,
        events: h.events,
        expirationDate: h.expiresAt,
        url: h.url,
        ...(h.fieldIdsFilter ? { fieldIdsFilter: h.fieldIdsFilter } : {}),
        ...(h.issuePropertyKeysFilter ? { issuePropertyKeysFilter: h.issuePropertyKeysFilter } : {}),
      }));
  }

  delete(clientId: string, siteId: string, ids: number[]): void {
    for (const id of ids) {
      const h = this.hooks.get(id);
      if (h && h.clientId === clientId && h.siteId === siteId) this.hooks.delete(id);
    }
  }

  /** Extends the given webhooks to 30 days from now; unknown ids are ignored, as Jira does (UNCONFIRMED). */
  refresh(clientId: string, siteId: string, ids: number[]): number {
    this.purge();
    const expiresAt = this.o.now() + this.o.lifetimeMs;
    for (const id of ids) {
      const h = this.hooks.get(id);
      if (h && h.clientId === clientId && h.siteId === siteId) h.expiresAt = expiresAt;
    }
    return expiresAt;
  }

  /** Sends `event` to every matching webhook of the site. */
  emit(
    siteId: string,
    event: string,
    snapshot: { id: string; key: string; fields: Record<string, unknown> },
    resolve: FieldResolver,
    extra: Record<string, unknown>,
    changedFieldIds: string[] = [],
  ): void {
    this.purge();
    const targets = [...this.hooks.values()].filter(
      (h) =>
        h.siteId === siteId &&
        h.events.includes(event) &&
        matches(h.where, snapshot, resolve) &&
        (event !== 'jira:issue_updated' || !h.fieldIdsFilter || h.fieldIdsFilter.some((f) => changedFieldIds.includes(f))),
    );
    const byUrl = new Map<string, number[]>();
    const clientOf = new Map<string, string>();
    for (const h of targets) {
      byUrl.set(h.url, [...(byUrl.get(h.url) ?? []), h.id]);
      clientOf.set(h.url, h.clientId);
    }
    for (const [url, ids] of byUrl) {
      const body = JSON.stringify({
        timestamp: this.o.now(),
        webhookEvent: event,
        ...extra,
        issue: { id: snapshot.id, key: snapshot.key, self: `/rest/api/3/issue/${snapshot.id}`, fields: snapshot.fields },
        matchedWebhookIds: ids,
      });
      this.track(this.deliver(url, ids, event, body, randomUUID(), 1, clientOf.get(url) as string, siteId));
    }
  }

  private track(p: Promise<void>): void {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  private async deliver(url: string, ids: number[], event: string, body: string, deliveryId: string, attempt: number, clientId: string, siteId: string): Promise<void> {
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'x-atlassian-webhook-identifier': deliveryId,
      ...(attempt > 1 ? { 'x-atlassian-webhook-retry': String(attempt - 1) } : {}),
    };
    if (this.o.secret) headers['x-hub-signature'] = `sha256=${createHmac('sha256', this.o.secret).update(body).digest('hex')}`;
    const jwtSecret = this.o.jwt?.(clientId);
    if (jwtSecret) headers.authorization = `Bearer ${hs256Jwt({ iss: `jira:${siteId}`, sub: clientId, iat: Math.floor(this.o.now() / 1000), exp: Math.floor(this.o.now() / 1000) + 180 }, jwtSecret)}`;
    let status: number | 'network-error';
    const doFetch = this.o.deliveryFetch;
    if (!doFetch && !/^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\//.test(url)) {
      status = 'network-error';
    } else {
      try {
        const response = await (doFetch ?? fetch)(url, { method: 'POST', headers, body });
        status = response.status;
        await response.arrayBuffer().catch(() => undefined);
      } catch {
        status = 'network-error';
      }
    }
    this.deliveries.push({ webhookIds: ids, url, event, deliveryId, attempt, status, body, headers });
    const retry = status === 'network-error' || RETRY_STATUSES.has(status) || status >= 500;
    const delay = this.o.retryDelaysMs[attempt - 1];
    if (retry && delay !== undefined) {
      await new Promise<void>((resolve) => setTimeout(resolve, delay));
      await this.deliver(url, ids, event, body, deliveryId, attempt + 1, clientId, siteId);
    }
  }

  /** Waits for every delivery in flight (including scheduled retries). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}

/** A compact HS256 JWT (claims UNCONFIRMED for Jira's dynamic webhooks; see api-facts.md §6). */
function hs256Jwt(claims: Record<string, unknown>, secret: string): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}
