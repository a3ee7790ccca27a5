import { type HttpClient, InvalidInputError, type PagedAsyncIterable, edm, formatKeyPredicate } from '@ml-connector/core';
import { checkHost } from '../options.js';
import { WebhookNotSupportedError } from '../errors.js';
import { BUSINESS_CENTRAL_LIMITS } from '../rate-limits.js';
import type { Entity } from '../schemas/common.js';
import { type SubscriptionFields, subscriptionSchema } from '../schemas/subscription.js';
import { WEBHOOK_ENABLED_RESOURCES, isWebhookEnabledResource } from '../webhooks.js';
import { getEntity, listCollection, listQuery, toEntity } from './shared.js';
import { signal } from './vendors.js';

/** Options of `webhooks.create()`. */
export interface CreateSubscriptionOptions {
  /** Company whose records to watch. */
  companyId: string;
  /** Webhook-enabled entity set, e.g. `vendors` or `purchaseInvoices` (see `WEBHOOK_ENABLED_RESOURCES`). */
  entitySet: string;
  /** https URL BC POSTs to; it must answer the validation handshake (`handleValidationRequest`). */
  notificationUrl: string;
  /** Shared secret echoed in every notification; check it with `parseNotifications`. Strongly recommended. */
  clientState?: string;
  /** Cancels the call. */
  signal?: AbortSignal;
}

/** Options of `webhooks.renewIfExpiring()`. */
export interface RenewIfExpiringOptions {
  /** Renew when the subscription expires within this many ms. Default one day (subscriptions last three). */
  within?: number;
  /** Cancels the call. */
  signal?: AbortSignal;
}

/** Result of `renewIfExpiring()`. */
export interface RenewResult {
  /** Whether a renewal request was sent. */
  renewed: boolean;
  /** The current subscription (renewed, or unchanged). */
  subscription: Entity<SubscriptionFields>;
}

/** Webhook subscriptions of the environment. */
export interface WebhooksResource {
  /** Creates a subscription. BC runs the handshake first. Refused client-side for resources without webhooks. */
  create(options: CreateSubscriptionOptions): Promise<Entity<SubscriptionFields>>;
  /** Lists the environment's subscriptions. */
  list(): PagedAsyncIterable<Entity<SubscriptionFields>>;
  /** Gets one subscription. */
  get(subscriptionId: string, options?: { signal?: AbortSignal }): Promise<Entity<SubscriptionFields>>;
  /** Renews for another three days (`PATCH` with `If-Match`; BC repeats the handshake). */
  renew(subscription: Entity<SubscriptionFields>, options?: { signal?: AbortSignal }): Promise<Entity<SubscriptionFields>>;
  /** Renews only when the subscription expires within `within` (default one day). */
  renewIfExpiring(subscription: Entity<SubscriptionFields>, options?: RenewIfExpiringOptions): Promise<RenewResult>;
  /** Deletes a subscription (with `If-Match` when the subscription's etag is known). */
  delete(subscription: Entity<SubscriptionFields> | string, options?: { etag?: string; signal?: AbortSignal }): Promise<void>;
}

/** Checks that the notification URL is https (or http on loopback with `allowLoopback`) without credentials. */
function checkNotificationUrl(value: unknown, allowLoopback: boolean): string {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new InvalidInputError(`notificationUrl must be an absolute https URL, got ${JSON.stringify(value)}`, { field: 'notificationUrl' });
  }
  if (url.username || url.password) {
    throw new InvalidInputError('notificationUrl must not contain credentials; use clientState as the shared secret', { field: 'notificationUrl' });
  }
  checkHost(url.origin, 'notificationUrl', allowLoopback);
  return url.href;
}

const ONE_DAY_MS = 24 * 60 * 60_000;

function subscriptionPath(id: string): string {
  if (typeof id !== 'string' || id === '') throw new InvalidInputError('subscriptionId must be a non-empty string', { field: 'subscriptionId' });
  return `subscriptions${encodeURI(formatKeyPredicate(id)).replace(/[?#]/g, encodeURIComponent)}`;
}

/** Builds the webhooks resource. `apiVersion` is used in subscription resources (`/api/v2.0/companies(…)/vendors`). */
export function webhooksResource(
  http: HttpClient,
  settings: { apiVersion: string; allowLoopback: boolean; now: () => number },
): WebhooksResource {
  const renew: WebhooksResource['renew'] = async (subscription, options = {}) => {
    const etag = subscription.etag;
    if (!etag) throw new InvalidInputError('renew needs a subscription read from the API (with its etag)', { field: 'subscription' });
    const response = await http.request({
      method: 'PATCH',
      path: subscriptionPath(subscription.subscriptionId),
      json: { notificationUrl: subscription.notificationUrl, resource: subscription.resource, clientState: subscription.clientState },
      headers: { 'If-Match': etag },
      schema: subscriptionSchema,
      operation: 'subscriptions.renew',
      ...signal(options),
    });
    return toEntity(response.data);
  };
  return {
    async create(options) {
      if (typeof options?.entitySet !== 'string' || !isWebhookEnabledResource(options.entitySet)) {
        throw new WebhookNotSupportedError(String(options?.entitySet), WEBHOOK_ENABLED_RESOURCES);
      }
      const company = formatKeyPredicate(edm.guid(options.companyId));
      const notificationUrl = checkNotificationUrl(options.notificationUrl, settings.allowLoopback);
      if (options.clientState !== undefined && (options.clientState === '' || options.clientState.length > 2048)) {
        throw new InvalidInputError('clientState must be 1 to 2048 characters', { field: 'clientState' });
      }
      const response = await http.request({
        method: 'POST',
        path: 'subscriptions',
        json: {
          notificationUrl,
          resource: `/api/${settings.apiVersion}/companies${company}/${options.entitySet}`,
          ...(options.clientState !== undefined ? { clientState: options.clientState } : {}),
        },
        schema: subscriptionSchema,
        operation: 'subscriptions.create',
        ...signal(options),
      });
      return toEntity(response.data);
    },
    list: () => listCollection(http, 'subscriptions', subscriptionSchema, listQuery({}), 'subscriptions.list'),
    get: (subscriptionId, options = {}) => getEntity(http, subscriptionPath(subscriptionId), subscriptionSchema, options, 'subscriptions.get'),
    renew,
    async renewIfExpiring(subscription, options = {}) {
      const within = options.within ?? ONE_DAY_MS;
      if (!(Number.isFinite(within) && within >= 0 && within <= BUSINESS_CENTRAL_LIMITS.webhookSubscriptionLifetimeMs)) {
        throw new InvalidInputError('within must be between 0 ms and three days', { field: 'within' });
      }
      const expiresAt = Date.parse(subscription.expirationDateTime);
      if (Number.isFinite(expiresAt) && expiresAt - settings.now() > within) return { renewed: false, subscription };
      return { renewed: true, subscription: await renew(subscription, options) };
    },
    async delete(subscription, options = {}) {
      const id = typeof subscription === 'string' ? subscription : subscription.subscriptionId;
      const etag = options.etag ?? (typeof subscription === 'string' ? undefined : subscription.etag);
      await http.request({
        method: 'DELETE',
        path: subscriptionPath(id),
        operation: 'subscriptions.delete',
        ...(etag ? { headers: { 'If-Match': etag } } : {}),
        ...signal(options),
      });
    },
  };
}
