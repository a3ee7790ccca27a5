/**
 * Webhook subscriptions of the emulated BC API (BCDOCS `api-reference/v2.0/dynamics-subscriptions.md`):
 * validation handshake on create and renew (POST `notificationUrl?validationToken=…`, expects 200 with the
 * token as body), 3-day expiry, debounced notifications `{"value":[{subscriptionId, clientState,
 * expirationDateTime, resource, changeType, lastModifiedDateTime}]}` batched per notification URL, a single
 * `collection` notification beyond 1,000 changes, retries only after 408/429/5xx (for up to 36 h) and deletion
 * of the subscription on any other error answer. Only loopback notification URLs are accepted.
 */
import { createHash, randomBytes } from 'node:crypto';
import { BcEmulatorError, bcErrors } from './errors.js';
import { ENTITY_DEFS, type EntitySetName } from './model.js';
import { type BusinessCentralStore, type ChangeEvent } from './store.js';
import { validateBody } from './service.js';
import type { EntityRecord } from './seed.js';

const DAY = 86_400_000;
const RETRY_WINDOW_MS = 36 * 3_600_000;
const COLLECTION_THRESHOLD = 1000;
const LINE_HEADERS: Partial<Record<EntitySetName, EntitySetName>> = {
  purchaseInvoiceLines: 'purchaseInvoices',
  purchaseOrderLines: 'purchaseOrders',
};

/** One notification entry as BC sends it. */
export interface WebhookNotification {
  /** Subscription the change belongs to. */
  subscriptionId: string;
  /** The subscriber's `clientState`, echoed (shared-secret check). */
  clientState: string;
  /** Expiry of the subscription. */
  expirationDateTime: string;
  /**
   * Changed entity, `api/v2.0/companies({id})/vendors({id})` (no leading slash, as BCDOCS shows), or for
   * `collection` the entity set with `?$filter=lastDateTimeModified gt {instant}` (the BCDOCS filter form).
   */
  resource: string;
  /** Kind of change. */
  changeType: 'created' | 'updated' | 'deleted' | 'collection';
  /** Time of the (latest) change. */
  lastModifiedDateTime: string;
}

/** A notification POST the emulator made, for assertions. */
export interface WebhookDelivery {
  /** Notification URL posted to. */
  url: string;
  /** Entries sent in the body's `value`. */
  notifications: WebhookNotification[];
  /** Subscriber's status, or `0` when the request failed at the network level. */
  status: number;
}

/** Entity sets BC v2.0 lists as webhook-enabled that the emulator has. */
export const WEBHOOK_ENABLED_SETS: readonly EntitySetName[] = (Object.keys(ENTITY_DEFS) as EntitySetName[]).filter((s) => ENTITY_DEFS[s].webhooks);

const LOOPBACK_HOSTS = /^(?:127(?:\.\d{1,3}){3}|\[::1\]|localhost)$/i;

interface Pending {
  url: string;
  subscriptionId: string;
  byResource: Map<string, WebhookNotification>;
  firstChangeAt: number;
  firstAttemptAt?: number;
  set: EntitySetName;
  companyId: string;
}

/** Manages subscriptions and notification delivery. */
export class WebhookManager {
  /** Every notification POST made (successful or not). */
  readonly deliveries: WebhookDelivery[] = [];
  private pending = new Map<string, Pending>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly store: BusinessCentralStore,
    private readonly now: () => number,
    private readonly debounceMs: number,
    private readonly maxSubscriptions: number,
  ) {
    store.onChange((events) => this.onChanges(events));
  }

  /** Deterministic user id for a client id (BC shows the app's user). */
  static userIdOf(clientId: string): string {
    const h = createHash('sha256').update(clientId).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** Parses a subscription `resource` into company and entity set, checking it is webhook-enabled. */
  private parseResource(resource: string): { companyId: string; set: EntitySetName } {
    const m = /companies\(([0-9a-fA-F-]{36})\)\/([A-Za-z]+)\/?$/.exec(resource.split('?')[0] ?? '');
    if (!m) throw bcErrors.badRequest(`The resource '${resource}' is not valid. Use '/api/v2.0/companies({id})/{entitySet}'`);
    const companyId = (m[1] as string).toLowerCase();
    const set = m[2] as EntitySetName;
    if (!this.store.get('companies', companyId)) throw bcErrors.notFound();
    if (!(set in ENTITY_DEFS)) throw bcErrors.segmentNotFound(set);
    if (!ENTITY_DEFS[set].webhooks) {
      // UNCONFIRMED wording; the list itself is from BCDOCS (purchaseOrders and dimensionValues are not in it).
      throw bcErrors.badRequest(`The entity '${set}' does not support webhook subscriptions. See webhookSupportedResources for the supported entities`);
    }
    return { companyId, set };
  }

  private checkUrl(notificationUrl: string): void {
    let url: URL;
    try {
      url = new URL(notificationUrl);
    } catch {
      throw bcErrors.badRequest(`The notificationUrl '${notificationUrl}' is not a valid absolute URL`);
    }
    if (!LOOPBACK_HOSTS.test(url.hostname)) {
      throw bcErrors.badRequest(`The emulator only sends webhooks to loopback URLs (127.0.0.1, [::1], localhost); got host '${url.hostname}'`);
    }
  }

  /** BC's validation handshake: POST `?validationToken=…`, expect 200 with the token as body. */
  private async handshake(notificationUrl: string): Promise<void> {
    const token = randomBytes(16).toString('hex');
    const url = new URL(notificationUrl);
    url.searchParams.set('validationToken', token);
    let ok = false;
    try {
      const response = await fetch(url, { method: 'POST' });
      const text = (await response.text()).trim();
      ok = response.status === 200 && (text === token || text === JSON.stringify(token));
    } catch {
      ok = false;
    }
    if (!ok) {
      // UNCONFIRMED wording and code: BC refuses the subscription when the handshake fails.
      throw bcErrors.badRequest(`The subscription could not be created: the handshake with '${notificationUrl}' failed. Answer 200 with the validationToken as the body`);
    }
  }

  /** POST `subscriptions`. */
  async create(body: unknown, clientId: string): Promise<EntityRecord> {
    const def = ENTITY_DEFS.subscriptions;
    const { values } = validateBody(def, body);
    const notificationUrl = values.notificationUrl as string | undefined;
    const resource = values.resource as string | undefined;
    if (!notificationUrl) throw new BcEmulatorError(400, 'BadRequest_RequiredParamNotProvided', "Field 'notificationUrl' must not be blank or empty");
    if (!resource) throw new BcEmulatorError(400, 'BadRequest_RequiredParamNotProvided', "Field 'resource' must not be blank or empty");
    const { companyId, set } = this.parseResource(resource);
    this.checkUrl(notificationUrl);
    if (this.store.tables.subscriptions.size >= this.maxSubscriptions) {
      throw bcErrors.dialog(`The maximum number of webhook subscriptions (${this.maxSubscriptions}) has been reached`);
    }
    await this.handshake(notificationUrl);
    const now = this.now();
    const userId = WebhookManager.userIdOf(clientId);
    return this.store.insert('subscriptions', {
      subscriptionId: randomBytes(16).toString('hex'),
      notificationUrl,
      resource,
      userId,
      clientState: values.clientState ?? '',
      expirationDateTime: new Date(now + 3 * DAY).toISOString(),
      systemCreatedAt: new Date(now).toISOString(),
      systemCreatedBy: userId,
      systemModifiedAt: new Date(now).toISOString(),
      systemModifiedBy: userId,
      $companyId: companyId,
      $set: set,
    });
  }

  /** PATCH `subscriptions('{id}')`: renews for 3 days after a new handshake. */
  async renew(subscription: EntityRecord, body: unknown): Promise<EntityRecord> {
    const { values } = validateBody(ENTITY_DEFS.subscriptions, body);
    const notificationUrl = (values.notificationUrl as string | undefined) ?? (subscription.notificationUrl as string);
    const changes: Record<string, unknown> = { ...values };
    if (values.resource !== undefined) {
      const { companyId, set } = this.parseResource(values.resource as string);
      Object.assign(changes, { $companyId: companyId, $set: set });
    }
    this.checkUrl(notificationUrl);
    await this.handshake(notificationUrl);
    const now = this.now();
    Object.assign(changes, { expirationDateTime: new Date(now + 3 * DAY).toISOString(), systemModifiedAt: new Date(now).toISOString() });
    return this.store.update('subscriptions', subscription.subscriptionId as string, changes);
  }

  private expired(subscription: EntityRecord): boolean {
    return Date.parse(subscription.expirationDateTime as string) <= this.now();
  }

  private onChanges(events: readonly ChangeEvent[]): void {
    if (this.closed || this.store.tables.subscriptions.size === 0) return;
    for (const event of events) {
      let set = event.set;
      let id = event.id;
      let changeType = event.changeType;
      const headerSet = LINE_HEADERS[set];
      if (headerSet) {
        // "Line changes notify the header": the line's document gets an `updated`.
        const header = this.store.get(headerSet, event.documentId ?? '');
        if (!header) continue;
        set = headerSet;
        id = header.id as string;
        changeType = 'updated';
      }
      if (!ENTITY_DEFS[set].webhooks) continue;
      for (const sub of this.store.tables.subscriptions.values()) {
        if (sub.$set !== set || sub.$companyId !== event.companyId || this.expired(sub)) continue;
        this.enqueue(sub, set, event.companyId, id, changeType, event.at);
      }
    }
  }

  private enqueue(sub: EntityRecord, set: EntitySetName, companyId: string, id: string, changeType: ChangeEvent['changeType'], at: number): void {
    const subscriptionId = sub.subscriptionId as string;
    let pending = this.pending.get(subscriptionId);
    if (!pending) {
      pending = { url: sub.notificationUrl as string, subscriptionId, byResource: new Map(), firstChangeAt: at, set, companyId };
      this.pending.set(subscriptionId, pending);
    }
    // BCDOCS dynamics-subscriptions.md shows the resource without a leading slash.
    const resource = `api/v2.0/companies(${companyId})/${set}(${id})`;
    const previous = pending.byResource.get(resource);
    const merged: ChangeEvent['changeType'] = changeType === 'deleted' ? 'deleted' : previous?.changeType === 'created' ? 'created' : changeType;
    pending.byResource.set(resource, {
      subscriptionId,
      clientState: (sub.clientState as string | undefined) ?? '',
      expirationDateTime: sub.expirationDateTime as string,
      resource,
      changeType: merged,
      lastModifiedDateTime: new Date(at).toISOString(),
    });
    this.schedule(this.debounceMs);
  }

  private schedule(delay: number): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.track(this.deliver());
    }, delay);
  }

  private track(promise: Promise<void>): Promise<void> {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise));
    return promise;
  }

  /** Sends every pending notification now (skipping the debounce) and waits for all deliveries to finish. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    await this.track(this.deliver());
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** Stops timers; pending notifications are dropped. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }

  private async deliver(): Promise<void> {
    const batches = new Map<string, Pending[]>();
    for (const pending of this.pending.values()) {
      const sub = this.store.get('subscriptions', pending.subscriptionId);
      if (!sub || this.expired(sub)) continue; // expired subscriptions stop notifying
      const list = batches.get(pending.url) ?? [];
      list.push(pending);
      batches.set(pending.url, list);
    }
    this.pending = new Map();
    const retry: Pending[] = [];
    await Promise.all(
      [...batches].map(async ([url, group]) => {
        const notifications = group.flatMap((p) => this.notificationsOf(p));
        let status = 0;
        try {
          const response = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ value: notifications }),
          });
          status = response.status;
          await response.arrayBuffer().catch(() => undefined);
        } catch {
          status = 0;
        }
        this.deliveries.push({ url, notifications, status });
        if (status >= 200 && status < 300) return;
        if (status === 0 || status === 408 || status === 429 || status >= 500) {
          for (const p of group) {
            p.firstAttemptAt ??= this.now();
            if (this.now() - p.firstAttemptAt < RETRY_WINDOW_MS) retry.push(p);
          }
          return;
        }
        // Any other answer deletes the subscription (BCDOCS dynamics-subscriptions.md).
        for (const p of group) this.store.remove('subscriptions', p.subscriptionId);
      }),
    );
    for (const p of retry) {
      const current = this.pending.get(p.subscriptionId);
      if (current) {
        for (const [k, v] of p.byResource) if (!current.byResource.has(k)) current.byResource.set(k, v);
      } else {
        this.pending.set(p.subscriptionId, p);
      }
    }
    if (this.pending.size > 0) this.schedule(Math.max(this.debounceMs, 1));
  }

  private notificationsOf(p: Pending): WebhookNotification[] {
    const entries = [...p.byResource.values()];
    if (entries.length <= COLLECTION_THRESHOLD) return entries;
    const first = entries[0] as WebhookNotification;
    const since = new Date(p.firstChangeAt - 1).toISOString();
    return [
      {
        ...first,
        changeType: 'collection',
        // The filter form of BCDOCS (`lastDateTimeModified`), not the entity's `lastModifiedDateTime`.
        resource: `api/v2.0/companies(${p.companyId})/${p.set}?$filter=lastDateTimeModified%20gt%20${since}`,
        lastModifiedDateTime: new Date(this.now()).toISOString(),
      },
    ];
  }
}
