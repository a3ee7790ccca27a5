/**
 * Business Central webhooks on the subscriber side: the list of webhook-enabled resources, the validation
 * handshake, and parsing notification bodies into "fetch this record" signals. Subscriptions themselves are
 * managed by the client's `webhooks` resource.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { InvalidInputError } from '@ml-connector/core';
import { WebhookVerificationError } from '@ml-connector/core';
import { notificationBodySchema } from './schemas/subscription.js';

/**
 * API v2.0 entity sets Business Central sends webhooks for (BCDOCS `api-reference/v2.0/dynamics-subscriptions.md`).
 * `purchaseOrders` and `dimensionValues` are NOT among them: poll those with `listModifiedSince()`. Line
 * changes notify the document header. The live list is `GET /api/microsoft/runtime/beta/companies({id})/webhookSupportedResources`.
 */
export const WEBHOOK_ENABLED_RESOURCES = Object.freeze([
  'accounts',
  'companyInformation',
  'countriesRegions',
  'currencies',
  'customerPaymentJournals',
  'customers',
  'dimensions',
  'employees',
  'generalLedgerEntries',
  'itemCategories',
  'items',
  'journals',
  'paymentMethods',
  'paymentTerms',
  'purchaseInvoices',
  'salesCreditMemos',
  'salesInvoices',
  'salesOrders',
  'salesQuotes',
  'shipmentMethods',
  'unitsOfMeasure',
  'vendors',
] as const);

/** An entity set Business Central sends webhooks for. */
export type WebhookEnabledResource = (typeof WEBHOOK_ENABLED_RESOURCES)[number];

/** True when Business Central sends webhooks for `entitySet`. */
export function isWebhookEnabledResource(entitySet: string): entitySet is WebhookEnabledResource {
  return (WEBHOOK_ENABLED_RESOURCES as readonly string[]).includes(entitySet);
}

/**
 * Answers Business Central's validation handshake. BC calls the notification URL with `?validationToken=…`
 * when a subscription is created or renewed and expects 200 with the token as a plain-text body. Returns that
 * response when the request carries a token, otherwise `undefined` (so the caller goes on to parse notifications).
 *
 * Example:
 *
 * {@includeCode ../examples/client.ts#handleValidationRequest}
 */
export function handleValidationRequest(request: Request | URL | string): Response | undefined {
  const url = new URL(typeof request === 'string' || request instanceof URL ? request : request.url, 'http://localhost/');
  const token = url.searchParams.get('validationToken');
  if (token === null) return undefined;
  return new Response(token, { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

/** What a notification tells the subscriber to do: fetch one record, or re-query a collection. */
export interface WebhookSignal {
  /** The subscription that fired. */
  subscriptionId: string;
  /** The resource as sent, e.g. `api/v2.0/companies(…)/vendors(…)` (BC sends it without a leading slash). */
  resource: string;
  /** `created`, `updated`, `deleted` or `collection` (more than 1,000 changes: re-query with `filter`). */
  changeType: 'created' | 'updated' | 'deleted' | 'collection' | (string & {});
  /** The entity set, e.g. `vendors`. */
  entity: string;
  /** The record id, for single-record changes. */
  id?: string;
  /** The company id, when the resource names one. */
  companyId?: string;
  /**
   * For `collection` changes: the `$filter` to re-query the entity set with (decoded), rewritten to the v2.0
   * property: BCDOCS shows `lastDateTimeModified gt …`, which the entity sets do not have, so it becomes
   * `lastModifiedDateTime gt …`. Prefer {@link WebhookSignal.modifiedSince} with `listModifiedSince()`.
   */
  filter?: string;
  /**
   * For `collection` changes: the instant after which records changed, from either filter form
   * (`lastDateTimeModified gt …` as documented, or `lastModifiedDateTime gt …`). Re-query with
   * `listModifiedSince(signal.modifiedSince)`.
   */
  modifiedSince?: string;
  /** When the change happened, as sent. */
  lastModifiedDateTime?: string;
  /** When the subscription expires, as sent (renew before). */
  expirationDateTime?: string;
}

/** Options of {@link parseNotifications}. */
export interface ParseNotificationsOptions {
  /**
   * The `clientState` given when subscribing, or a function returning it per subscription id. Every
   * notification must carry it (compared in constant time), otherwise a `WebhookVerificationError` is thrown
   * and nothing is returned: answer 401 and ignore the body.
   */
  clientState: string | ((subscriptionId: string) => string | undefined);
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Constant-time string comparison (hashing first hides the length too). */
export function constantTimeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

const COLLECTION_FILTER = /^\s*(?:lastDateTimeModified|lastModifiedDateTime)\s+gt\s+(\S+)\s*$/i;

function parseResource(resource: string): Pick<WebhookSignal, 'entity' | 'id' | 'companyId' | 'filter' | 'modifiedSince'> {
  const url = new URL(resource, 'https://bc.invalid/');
  const path = decodeURIComponent(url.pathname);
  const company = /companies\(([^)]+)\)/.exec(path);
  const segments = path.split('/').filter(Boolean);
  const last = segments.at(-1) ?? '';
  const match = /^([A-Za-z0-9_]+)(?:\((.*)\))?$/.exec(last);
  const rawFilter = url.searchParams.get('$filter') ?? undefined;
  const since = rawFilter !== undefined ? COLLECTION_FILTER.exec(rawFilter)?.[1] : undefined;
  const filter = since !== undefined ? `lastModifiedDateTime gt ${since}` : rawFilter;
  const entity = match?.[1] ?? last;
  const id = match?.[2]?.replace(/^'(.*)'$/, '$1');
  return {
    entity,
    ...(id ? { id } : {}),
    ...(company?.[1] ? { companyId: company[1] } : {}),
    ...(filter !== undefined ? { filter } : {}),
    ...(since !== undefined ? { modifiedSince: since } : {}),
  };
}

/**
 * Parses a Business Central notification POST body (`{ value: [...] }`, as text, bytes or parsed JSON; a UTF-8
 * BOM is tolerated) into one {@link WebhookSignal} per notification, after checking every `clientState`.
 *
 * @throws WebhookVerificationError when a notification's `clientState` is missing or wrong.
 * @throws InvalidInputError when the body is not a notification body.
 */
export function parseNotifications(body: unknown, options: ParseNotificationsOptions): WebhookSignal[] {
  if (typeof options?.clientState !== 'string' && typeof options?.clientState !== 'function') {
    throw new InvalidInputError('parseNotifications needs { clientState }: the secret given when subscribing', { field: 'clientState' });
  }
  let document = body;
  if (body instanceof Uint8Array) document = new TextDecoder().decode(body);
  if (typeof document === 'string') {
    try {
      document = JSON.parse(document.replace(/^\uFEFF/, ''));
    } catch {
      throw new InvalidInputError('The webhook body is not JSON; expected {"value":[…]} from Business Central', { field: 'body' });
    }
  }
  const parsed = notificationBodySchema.safeParse(document);
  if (!parsed.success) {
    throw new InvalidInputError('The webhook body is not a Business Central notification body {"value":[{subscriptionId, resource, changeType, …}]}', {
      field: 'body',
    });
  }
  for (const notification of parsed.data.value) {
    const expected =
      typeof options.clientState === 'function' ? options.clientState(notification.subscriptionId) : options.clientState;
    if (expected === undefined || expected === '') {
      throw new WebhookVerificationError('mismatch', `No clientState is known for subscription ${notification.subscriptionId}; ignore this request`);
    }
    if (notification.clientState === undefined) {
      throw new WebhookVerificationError('missing-signature', 'A notification has no clientState; ignore this request');
    }
    if (!constantTimeEqual(notification.clientState, expected)) {
      throw new WebhookVerificationError('mismatch', 'A notification carries the wrong clientState; ignore this request');
    }
  }
  return parsed.data.value.map((n) => ({
    subscriptionId: n.subscriptionId,
    resource: n.resource,
    changeType: n.changeType,
    ...parseResource(n.resource),
    ...(n.lastModifiedDateTime !== undefined ? { lastModifiedDateTime: n.lastModifiedDateTime } : {}),
    ...(n.expirationDateTime !== undefined ? { expirationDateTime: n.expirationDateTime } : {}),
  }));
}
