/**
 * Inbound Jira webhook deliveries: signature check over the raw body, then a typed parse.
 *
 * What Atlassian documents, per kind (api-facts.md §6):
 * - **Admin / REST-registered webhooks with a secret** (`/rest/webhooks/1.0/webhook` or Jira settings → System →
 *   WebHooks): each delivery carries `X-Hub-Signature: sha256=<hex HMAC-SHA256 of the raw body>` (WebSub
 *   `method=signature`) — this module verifies it with core's constant-time verifier. No timestamp is signed, so
 *   deduplicate on `X-Atlassian-Webhook-Identifier` to reject replays.
 * - **Dynamic webhooks of OAuth 2.0 (3LO) apps** (`POST /rest/api/3/webhook`): sources conflict on whether they are
 *   signed with `X-Hub-Signature` or carry `Authorization: Bearer <JWT signed with the app secret>` (UNCONFIRMED).
 *   Configure the secret on the receiving side and verify `X-Hub-Signature` when present; reject unsigned deliveries.
 * - **Connect apps**: a JWT in the `Authorization` header (not handled here).
 * Bodies: `{ timestamp, webhookEvent, issue_event_type_name?, user?, issue?, changelog?, comment?, matchedWebhookIds? }`.
 */
import { ConnectorError, type HmacSecret, InvalidInputError, type RawPayload, hasErrorKind, verifyHmacSignature } from '@ml-connector/core';
import { z } from 'zod';

/** Header with the HMAC signature. */
export const JIRA_SIGNATURE_HEADER = 'x-hub-signature';
/** Header with Jira's unique delivery id (the same on retries of one delivery). */
export const JIRA_WEBHOOK_ID_HEADER = 'x-atlassian-webhook-identifier';

/** A correctly signed delivery whose body is not a Jira webhook event. Answer 400; do not retry. */
export class JiraWebhookPayloadError extends ConnectorError {
  static override readonly kind: string = 'JiraWebhookPayloadError';
  constructor(message: string) {
    super(message, 'WEBHOOK_PAYLOAD_INVALID');
  }
}

/** True for a {@link JiraWebhookPayloadError}. */
export function isJiraWebhookPayloadError(error: unknown): error is JiraWebhookPayloadError {
  return hasErrorKind(error, 'JiraWebhookPayloadError');
}

const deliverySchema = z.looseObject({
  timestamp: z.number(),
  webhookEvent: z.string().min(1),
  issue_event_type_name: z.string().optional(),
  user: z.looseObject({ accountId: z.string().optional(), displayName: z.string().optional() }).optional(),
  issue: z.looseObject({ id: z.string(), key: z.string(), fields: z.record(z.string(), z.unknown()).optional() }).optional(),
  changelog: z
    .looseObject({
      id: z.string().optional(),
      items: z.array(z.looseObject({ field: z.string(), fieldId: z.string().optional(), from: z.unknown(), fromString: z.unknown(), to: z.unknown(), toString: z.unknown() })).default([]),
    })
    .optional(),
  comment: z.looseObject({ id: z.string(), body: z.unknown().optional(), author: z.looseObject({ accountId: z.string().optional() }).optional() }).optional(),
  matchedWebhookIds: z.array(z.number()).optional(),
});

/** A verified webhook delivery. */
export type JiraWebhookEvent = z.infer<typeof deliverySchema>;

/** Options of {@link verifyJiraWebhook}. */
export interface VerifyJiraWebhookOptions {
  /** The raw request body exactly as received (string or bytes); never parsed JSON. */
  rawBody: RawPayload;
  /** Request headers (a `Headers` or a Node-style record); `X-Hub-Signature` is read from them. */
  headers: Headers | Record<string, string | string[] | undefined>;
  /** The secret the webhook was registered with. */
  secret: HmacSecret;
}

/** A verified delivery and its delivery id. */
export interface VerifiedJiraWebhook {
  /** The parsed event. */
  event: JiraWebhookEvent;
  /** `X-Atlassian-Webhook-Identifier`, for deduplication (retries repeat it). */
  deliveryId: string | undefined;
}

const header = (headers: VerifyJiraWebhookOptions['headers'], name: string): string | undefined => {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const entry = Object.entries(headers ?? {}).find(([k]) => k.toLowerCase() === name);
  const value = entry?.[1];
  // Several signature headers are ambiguous; refuse rather than pick one.
  if (Array.isArray(value)) return value.length === 1 ? value[0] : '';
  return value;
};

/**
 * Verifies `X-Hub-Signature` (HMAC-SHA256 over the raw body, constant time) and only then parses the body.
 * Throws core's WebhookVerificationError (`missing-signature`, `malformed-signature`, `mismatch`, `payload-not-raw`)
 * or JiraWebhookPayloadError when a correctly signed body is not a Jira event.
 *
 * Example:
 *
 * {@includeCode ../examples/client.ts#verifyJiraWebhook}
 */
export function verifyJiraWebhook(options: VerifyJiraWebhookOptions): VerifiedJiraWebhook {
  if (typeof options !== 'object' || options === null) throw new InvalidInputError('options { rawBody, headers, secret } are required', { field: 'options' });
  verifyHmacSignature({ payload: options.rawBody, signature: header(options.headers, JIRA_SIGNATURE_HEADER), secret: options.secret });
  const text = typeof options.rawBody === 'string' ? options.rawBody : Buffer.from(options.rawBody as ArrayBuffer).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new JiraWebhookPayloadError('Webhook body is correctly signed but is not JSON.');
  }
  const parsed = deliverySchema.safeParse(json);
  if (!parsed.success) throw new JiraWebhookPayloadError('Webhook body is correctly signed but is not a Jira webhook event (needs timestamp and webhookEvent).');
  return { event: parsed.data, deliveryId: header(options.headers, JIRA_WEBHOOK_ID_HEADER) };
}
