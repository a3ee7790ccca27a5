// Curated exports of the webhooks module.
export { type WebhookVerificationReason, WebhookVerificationError, isWebhookVerificationError } from './errors.js';
export {
  type RawPayload,
  type HmacSecret,
  type SignedContentBuilder,
  type HmacSigningOptions,
  type SignatureHeaderOptions,
  type HmacVerificationOptions,
  type WebhookVerificationResult,
  signHmac,
  createSignatureHeader,
  verifyHmacSignature,
  checkHmacSignature,
} from './hmac.js';
