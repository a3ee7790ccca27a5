import { randomUUID } from 'node:crypto';
import type { NavTableName } from './model.js';
import { errorResponse } from './router.js';

/** Company id the emulated API (`/api/v2.0/companies({id})`) uses for the seeded company. */
export const NAV_SANDBOX_COMPANY_ID = '6b0f9e0c-1e1b-4d2f-9c1a-7f3a0e5b2c11';

/** API entity sets with webhooks in the emulator, and the table behind each (a subset of BC's webhook-enabled list). */
export const NAV_WEBHOOK_RESOURCES: Readonly<Record<string, NavTableName>> = Object.freeze({
  vendors: 'Vendor',
  accounts: 'GLAccount',
  dimensions: 'Dimension',
  paymentTerms: 'PaymentTerms',
  purchaseInvoices: 'PurchaseHeader',
});

/** One notification as Business Central posts it. */
export interface NavWebhookNotification {
  /** Subscription id. */
  subscriptionId: string;
  /** The subscriber's clientState, echoed. */
  clientState: string;
  /** Subscription expiry. */
  expirationDateTime: string;
  /** Changed record: `/api/v2.0/companies({id})/vendors({systemId})`. */
  resource: string;
  /** `created`, `updated` or `deleted`. */
  changeType: 'created' | 'updated' | 'deleted';
  /** When the change happened. */
  lastModifiedDateTime: string;
}

/** One delivery the emulator made. */
export interface NavWebhookDelivery {
  /** Notification URL. */
  url: string;
  /** Response status (0 when the request failed). */
  status: number;
  /** Notifications sent. */
  notifications: NavWebhookNotification[];
}

interface Subscription {
  subscriptionId: string;
  notificationUrl: string;
  resource: string;
  clientState: string;
  expirationDateTime: string;
  lastModifiedDateTime: string;
  version: number;
}

const DAY = 86_400_000;
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } });

/**
 * Business Central on-premises API webhook subscriptions (`/{instance}/api/v2.0/subscriptions`), per BCDOCS
 * `dynamics-subscriptions.md`: validation handshake on create and renew (POST `notificationUrl?validationToken=…`,
 * 200 with the token as body), three-day expiry, renew with PATCH + `If-Match`, DELETE, notifications
 * `{ value: [...] }` batched per URL. Notifications are sent by `flush()` (BC waits ~30 s after the first change;
 * tests decide when). Retry-on-failure (36 h for 408/429/5xx, deletion otherwise) is applied in part: any
 * non-2xx other than 408/429/5xx deletes the subscription; retryable failures keep the notifications queued.
 */
export class NavWebhooks {
  readonly #subscriptions = new Map<string, Subscription>();
  readonly #queue: { subscriptionId: string; notification: NavWebhookNotification }[] = [];
  readonly #deliver: typeof fetch;
  readonly #now: () => number;
  /** Deliveries made so far. */
  readonly deliveries: NavWebhookDelivery[] = [];

  constructor(deliver: typeof fetch, now: () => number) {
    this.#deliver = deliver;
    this.#now = now;
  }

  /** Queues notifications for a change of a table row. */
  record(table: NavTableName, changeType: 'created' | 'updated' | 'deleted', key: string): void {
    const at = new Date(this.#now()).toISOString();
    for (const sub of this.#subscriptions.values()) {
      const entitySet = /\/companies\([^)]*\)\/(\w+)$/.exec(sub.resource)?.[1];
      if (entitySet === undefined || NAV_WEBHOOK_RESOURCES[entitySet] !== table) continue;
      if (Date.parse(sub.expirationDateTime) <= this.#now()) continue;
      this.#queue.push({
        subscriptionId: sub.subscriptionId,
        notification: {
          subscriptionId: sub.subscriptionId,
          clientState: sub.clientState,
          expirationDateTime: sub.expirationDateTime,
          resource: `${sub.resource}(${key})`,
          changeType,
          lastModifiedDateTime: at,
        },
      });
    }
  }

  /** Sends queued notifications, one POST per notification URL. */
  async flush(): Promise<void> {
    const pending = this.#queue.splice(0);
    const byUrl = new Map<string, typeof pending>();
    for (const item of pending) {
      const sub = this.#subscriptions.get(item.subscriptionId);
      if (!sub) continue;
      byUrl.set(sub.notificationUrl, [...(byUrl.get(sub.notificationUrl) ?? []), item]);
    }
    for (const [url, items] of byUrl) {
      const notifications = items.map((i) => i.notification);
      let status = 0;
      try {
        const response = await this.#deliver(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ value: notifications }) });
        status = response.status;
      } catch {
        status = 0;
      }
      this.deliveries.push({ url, status, notifications });
      if (status >= 200 && status < 300) continue;
      if (status === 0 || status === 408 || status === 429 || status >= 500) this.#queue.push(...items);
      else for (const item of items) this.#subscriptions.delete(item.subscriptionId);
    }
  }

  async #handshake(notificationUrl: string): Promise<boolean> {
    const token = randomUUID();
    const url = new URL(notificationUrl);
    url.searchParams.set('validationToken', token);
    try {
      const response = await this.#deliver(url.href, { method: 'POST' });
      return response.status === 200 && (await response.text()) === token;
    } catch {
      return false;
    }
  }

  #wire(sub: Subscription): Record<string, unknown> {
    const { version, ...fields } = sub;
    return { '@odata.etag': `W/"JzE7${Buffer.from(`${sub.subscriptionId};${version}`).toString('base64')}Jw=="`, ...fields };
  }

  /** Handles `subscriptions` and `subscriptions('{id}')`. */
  async handle(request: Request, path: string, body: unknown): Promise<Response> {
    const error = (status: number, code: string, message: string) => errorResponse('v4', status, code, message);
    const now = this.#now();
    if (path === 'subscriptions' && request.method === 'GET') {
      return json(200, { value: [...this.#subscriptions.values()].map((s) => this.#wire(s)) });
    }
    if (path === 'subscriptions' && request.method === 'POST') {
      const input = (body ?? {}) as Record<string, unknown>;
      const notificationUrl = String(input['notificationUrl'] ?? '');
      const resource = String(input['resource'] ?? '');
      const entitySet = /^\/?api\/v2\.0\/companies\(([0-9a-f-]{36})\)\/(\w+)$/i.exec(resource);
      if (!entitySet || entitySet[1]?.toLowerCase() !== NAV_SANDBOX_COMPANY_ID || !((entitySet[2] as string) in NAV_WEBHOOK_RESOURCES)) {
        return error(400, 'BadRequest', `The resource '${resource}' does not support webhooks or does not exist.`);
      }
      if (!/^https?:\/\//.test(notificationUrl)) return error(400, 'BadRequest', 'notificationUrl must be an absolute http(s) URL.');
      if (!(await this.#handshake(notificationUrl))) {
        return error(400, 'BadRequest', `The subscription could not be created: the handshake with '${notificationUrl}' failed.`);
      }
      const sub: Subscription = {
        subscriptionId: randomUUID().replaceAll('-', ''),
        notificationUrl,
        resource: `/api/v2.0/companies(${NAV_SANDBOX_COMPANY_ID})/${entitySet[2] as string}`,
        clientState: String(input['clientState'] ?? ''),
        expirationDateTime: new Date(now + 3 * DAY).toISOString(),
        lastModifiedDateTime: new Date(now).toISOString(),
        version: 1,
      };
      this.#subscriptions.set(sub.subscriptionId, sub);
      return json(201, this.#wire(sub));
    }
    const match = /^subscriptions\('([^']+)'\)$/.exec(path);
    const sub = match ? this.#subscriptions.get(match[1] as string) : undefined;
    if (!match) return error(404, 'BadRequest_NotFound', `No HTTP resource was found that matches the request URI '${request.url}'.`);
    if (!sub) return error(404, 'BadRequest_NotFound', `The subscription '${match[1]}' does not exist.`);
    if (request.method === 'GET') return json(200, this.#wire(sub));
    const ifMatch = request.headers.get('if-match');
    if (request.method === 'PATCH') {
      if (ifMatch === null) return error(400, 'BadRequest_InvalidToken', 'Could not validate the client concurrency token required by the service.');
      if (ifMatch !== '*' && ifMatch !== this.#wire(sub)['@odata.etag']) return error(412, 'Request_EntityChanged', 'Another user has already changed the record.');
      if (!(await this.#handshake(sub.notificationUrl))) return error(400, 'BadRequest', `The handshake with '${sub.notificationUrl}' failed.`);
      sub.expirationDateTime = new Date(now + 3 * DAY).toISOString();
      sub.lastModifiedDateTime = new Date(now).toISOString();
      sub.version += 1;
      return json(200, this.#wire(sub));
    }
    if (request.method === 'DELETE') {
      this.#subscriptions.delete(sub.subscriptionId);
      return new Response(null, { status: 204 });
    }
    return error(405, 'BadRequest_MethodNotAllowed', `${request.method} is not allowed.`);
  }
}
