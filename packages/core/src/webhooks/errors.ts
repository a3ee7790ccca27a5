import { ConnectorError, hasErrorKind } from '../errors/index.js';

/** Why a webhook request failed verification; stable, so handlers can log or count by it. */
export type WebhookVerificationReason =
  | 'missing-signature'
  | 'malformed-signature'
  | 'mismatch'
  | 'missing-timestamp'
  | 'malformed-timestamp'
  | 'timestamp-outside-tolerance'
  | 'payload-not-raw';

/**
 * Thrown when a webhook request cannot be proven to come from the sender. `reason` says which check failed;
 * the message says how to fix a misconfiguration. Neither contains the secret or the expected signature.
 * Answer the sender with 401 and do not echo the message back to it.
 */
export class WebhookVerificationError extends ConnectorError {
  /** Literal class name, kept under minification. */
  static override readonly kind: string = 'WebhookVerificationError';
  /** Which verification check failed. */
  readonly reason: WebhookVerificationReason;

  constructor(reason: WebhookVerificationReason, message: string) {
    super(message, 'WEBHOOK_VERIFICATION_FAILED');
    this.reason = reason;
  }
}

/** True for {@link WebhookVerificationError}, from any installed copy of the package. */
export const isWebhookVerificationError = (e: unknown): e is WebhookVerificationError =>
  hasErrorKind(e, 'WebhookVerificationError');
