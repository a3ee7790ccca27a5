import { z } from 'zod';
import { type Entity, guid, isoDateTime, odataEtag } from './common.js';

// Subscriptions are not in the v1.0 OpenAPI document; fields follow BCDOCS resources/dynamics_subscriptions.md.

/** Webhook subscription fields. */
export interface SubscriptionFields {
  /** Subscription id (a string key, not a GUID). */
  subscriptionId: string;
  /** Where Business Central POSTs notifications. */
  notificationUrl: string;
  /** Subscribed resource, e.g. `/api/v2.0/companies(…)/vendors`. */
  resource: string;
  /** Shared secret echoed in every notification. */
  clientState: string;
  /** When the subscription ends unless renewed (three days after creation or renewal). */
  expirationDateTime: string;
  /** Last change of the subscription. */
  lastModifiedDateTime: string;
  /** User that created it. */
  userId?: string;
}
/** A webhook subscription. */
export type Subscription = Entity<SubscriptionFields>;

/** zod schema of a subscription response. */
export const subscriptionSchema = z.looseObject({
  ...odataEtag,
  subscriptionId: z.string(),
  notificationUrl: z.string(),
  resource: z.string(),
  clientState: z.string(),
  expirationDateTime: isoDateTime,
  lastModifiedDateTime: isoDateTime,
  userId: guid.optional(),
});

/** One notification in a webhook POST body. */
export const notificationSchema = z.looseObject({
  subscriptionId: z.string(),
  clientState: z.string().optional(),
  expirationDateTime: z.string().optional(),
  resource: z.string(),
  changeType: z.string(),
  lastModifiedDateTime: z.string().optional(),
});

/** A webhook POST body: `{ value: [notification, …] }`. */
export const notificationBodySchema = z.looseObject({ value: z.array(notificationSchema) });
