import { timingSafeEqual } from 'node:crypto';
import { type HttpClient, InvalidInputError, ResponseValidationError, edm, formatKeyPredicate } from '@ml-connector/core';
import { z } from 'zod';

/**
 * Entity sets of the Business Central API v2.0 that send webhooks and that this package models (BCDOCS
 * `dynamics-subscriptions.md`; `purchaseOrders` and `dimensionValues` are not webhook-enabled).
 */
export const NAV_WEBHOOK_ENTITY_SETS = Object.freeze(['vendors', 'accounts', 'dimensions', 'paymentTerms', 'purchaseInvoices'] as const);
/** A webhook-enabled entity set. */
export type NavWebhookEntitySet = (typeof NAV_WEBHOOK_ENTITY_SETS)[number];

/** zod schema of a subscription as the API returns it. */
export const navSubscriptionSchema = z.looseObject({
  '@odata.etag': z.string().optional(),
  subscriptionId: z.string(),
  notificationUrl: z.string(),
  resource: z.string(),
  clientState: z.string().optional(),
  expirationDateTime: z.string(),
  lastModifiedDateTime: z.string().optional(),
});
/** A webhook subscription. */
export type NavSubscription = z.infer<typeof navSubscriptionSchema>;

/** zod schema of one change notification. */
export const navNotificationSchema = z.looseObject({
  subscriptionId: z.string(),
  clientState: z.string().optional(),
  expirationDateTime: z.string().optional(),
  resource: z.string(),
  changeType: z.string(),
  lastModifiedDateTime: z.string().optional(),
});
/** One change notification. */
export type NavNotification = z.infer<typeof navNotificationSchema>;

/**
 * Webhook subscriptions of a Business Central on-premises instance's API (`/{instance}/api/v2.0/subscriptions`).
 * NAV and the OData web-service pages have no webhooks: use `changes.poll()` there.
 */
export interface NavWebhooksResource {
  /** Subscribes `notificationUrl` to changes of an entity set of a company; BC runs the validation handshake first. */
  create(options: { companyId: string; entitySet: NavWebhookEntitySet; notificationUrl: string; clientState?: string; signal?: AbortSignal }): Promise<NavSubscription>;
  /** Lists the instance's subscriptions. */
  list(options?: { signal?: AbortSignal }): Promise<NavSubscription[]>;
  /** Renews for another three days (`PATCH` with `If-Match`; BC repeats the handshake). */
  renew(subscription: NavSubscription, options?: { signal?: AbortSignal }): Promise<NavSubscription>;
  /** Deletes a subscription. */
  delete(subscription: NavSubscription, options?: { signal?: AbortSignal }): Promise<void>;
}

function checkNotificationUrl(value: unknown, allowLoopback: boolean): string {
  let url: URL | undefined;
  try {
    url = new URL(String(value));
  } catch {
    url = undefined;
  }
  const loopback = url !== undefined && /^(?:127(?:\.\d{1,3}){3}|\[::1\]|localhost)$/.test(url.hostname);
  if (!url || url.username || url.password || !(url.protocol === 'https:' || (allowLoopback && loopback && url.protocol === 'http:'))) {
    throw new InvalidInputError('notificationUrl must be an https URL without credentials that answers the validation handshake', { field: 'notificationUrl' });
  }
  return url.href;
}

/** Builds the webhooks resource on a transport rooted at the API (`…/api/v2.0/`). */
export function navWebhooksResource(http: HttpClient, allowLoopback: boolean): NavWebhooksResource {
  const path = (subscription: NavSubscription) => `subscriptions${formatKeyPredicate(subscription.subscriptionId)}`;
  const signal = (options?: { signal?: AbortSignal }) => (options?.signal ? { signal: options.signal } : {});
  return {
    async create(options) {
      let companyKey: string;
      try {
        companyKey = formatKeyPredicate(edm.guid(options.companyId));
      } catch {
        throw new InvalidInputError(`companyId must be the company's GUID (GET …/api/v2.0/companies), got ${JSON.stringify(options.companyId)}`, { field: 'companyId' });
      }
      if (!NAV_WEBHOOK_ENTITY_SETS.includes(options.entitySet)) {
        throw new InvalidInputError(`${String(options.entitySet)} sends no webhooks; use one of ${NAV_WEBHOOK_ENTITY_SETS.join(', ')} or poll with changes.poll()`, {
          field: 'entitySet',
        });
      }
      const response = await http.request({
        method: 'POST',
        path: 'subscriptions',
        json: {
          notificationUrl: checkNotificationUrl(options.notificationUrl, allowLoopback),
          resource: `/api/v2.0/companies${companyKey}/${options.entitySet}`,
          ...(options.clientState !== undefined ? { clientState: options.clientState } : {}),
        },
        schema: navSubscriptionSchema,
        operation: 'webhooks.create',
        ...signal(options),
      });
      return response.data;
    },
    async list(options) {
      const response = await http.request({ path: 'subscriptions', schema: z.looseObject({ value: z.array(navSubscriptionSchema) }), operation: 'webhooks.list', ...signal(options) });
      return response.data.value;
    },
    async renew(subscription, options) {
      const response = await http.request({
        method: 'PATCH',
        path: path(subscription),
        json: {},
        headers: { 'If-Match': subscription['@odata.etag'] ?? '*' },
        schema: navSubscriptionSchema,
        operation: 'webhooks.renew',
        ...signal(options),
      });
      return response.data;
    },
    async delete(subscription, options) {
      await http.request({ method: 'DELETE', path: path(subscription), responseType: 'text', operation: 'webhooks.delete', ...signal(options) });
    },
  };
}

/**
 * Answers Business Central's validation handshake: for a request carrying `?validationToken=…` returns a 200
 * response with the token as plain-text body; otherwise `undefined` (a real notification: parse it).
 */
export function handleNavValidationRequest(request: Request): Response | undefined {
  const token = new URL(request.url).searchParams.get('validationToken');
  if (token === null) return undefined;
  return new Response(token, { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

/**
 * Parses a notification POST body (`{ value: [...] }`) and checks every notification's `clientState` against
 * the one you subscribed with, in constant time. Notifications name the changed resource; read it (or poll the
 * entity set) to get the data.
 *
 * @throws ResponseValidationError when the body is not a notification batch or a clientState differs.
 */
export function parseNavNotifications(body: string, options: { clientState: string }): NavNotification[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ResponseValidationError('Webhook body is not JSON', { cause: error });
  }
  const result = z.looseObject({ value: z.array(navNotificationSchema) }).safeParse(parsed);
  if (!result.success) throw new ResponseValidationError('Webhook body is not a Business Central notification batch ({ value: [...] })');
  const expected = Buffer.from(options.clientState);
  for (const notification of result.data.value) {
    const actual = Buffer.from(notification.clientState ?? '');
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
      throw new ResponseValidationError(`Webhook notification for subscription ${notification.subscriptionId} has a clientState that does not match; ignore it`);
    }
  }
  return result.data.value;
}
