import { createHmac, timingSafeEqual } from 'node:crypto';
import { InvalidInputError } from '../errors/index.js';
import { type WebhookVerificationReason, WebhookVerificationError } from './errors.js';

/** A request body exactly as received: text, or bytes (`Buffer`, `Uint8Array`, any view, `ArrayBuffer`). */
export type RawPayload = string | ArrayBufferView | ArrayBuffer;

/** An HMAC key as configured on the sender; strings are used as UTF-8, byte for byte (no trimming). */
export type HmacSecret = string | Uint8Array;

/**
 * Builds the content that is signed from the raw body and the timestamp text (`undefined` when the request has none).
 * The default signs the body alone, or `${timestamp}.${body}` when a timestamp is present (Stripe's scheme);
 * pass another builder for senders that bind the timestamp differently, e.g. Slack's `v0:${timestamp}:${body}`.
 */
export type SignedContentBuilder = (payload: Uint8Array, timestamp: string | undefined) => string | Uint8Array;

/** Options of {@link signHmac}. */
export interface HmacSigningOptions {
  /** The exact body to sign. */
  payload: RawPayload;
  /** The shared webhook secret. */
  secret: HmacSecret;
  /** Digest algorithm; only HMAC-SHA256 is supported. */
  algorithm?: 'sha256';
  /** Unix time in seconds to bind into the signature (see {@link SignedContentBuilder}). */
  timestamp?: number | string;
  /** How the timestamp is combined with the body; defaults to `${timestamp}.${body}`. */
  signedContent?: SignedContentBuilder;
}

/** Options of {@link createSignatureHeader}. */
export interface SignatureHeaderOptions extends HmacSigningOptions {
  /** Text before the hex digest; defaults to `sha256=` (the `X-Hub-Signature` format). */
  prefix?: string;
}

/** Options of {@link verifyHmacSignature} and {@link checkHmacSignature}. */
export interface HmacVerificationOptions {
  /** The raw request body, before any JSON parsing. A parsed object fails with reason `payload-not-raw`. */
  payload: RawPayload;
  /** The signature header value, e.g. `sha256=<hex>` from `X-Hub-Signature`; missing values fail verification. */
  signature: string | null | undefined;
  /** The shared webhook secret. */
  secret: HmacSecret;
  /** Digest algorithm; only HMAC-SHA256 is supported. */
  algorithm?: 'sha256';
  /** Text before the hex digest, matched case-insensitively; defaults to `sha256=`. Use `''` for a bare hex digest. */
  prefix?: string;
  /**
   * Unix time in seconds sent with the request (usually a header). It is bound into the signed content (see
   * `signedContent`) and must lie within `toleranceSeconds` of `now`. When this property is present but empty
   * (header missing), verification fails with `missing-timestamp` instead of silently skipping the check.
   */
  timestamp?: number | string | null;
  /** Allowed clock difference in seconds, either way; defaults to 300. Setting it makes a timestamp required. */
  toleranceSeconds?: number;
  /** The current time, for tests and replays; defaults to the system clock. */
  now?: Date;
  /** How the timestamp is combined with the body; defaults to `${timestamp}.${body}`. */
  signedContent?: SignedContentBuilder;
}

/** Outcome of {@link checkHmacSignature}: either verified, or the failure with its reason. */
export type WebhookVerificationResult =
  | { ok: true }
  | { ok: false; reason: WebhookVerificationReason; error: WebhookVerificationError };

const DEFAULT_PREFIX = 'sha256=';
const DEFAULT_TOLERANCE_SECONDS = 300;
const SHA256_HEX_LENGTH = 64;
// Unix seconds stay below this until the year 5138; larger values are almost certainly milliseconds.
const LARGEST_PLAUSIBLE_SECONDS = 1e11;

/**
 * Computes the lowercase hex HMAC-SHA256 of a payload (and optional timestamp), exactly as
 * {@link verifyHmacSignature} expects it. Mainly for tests and for emulating senders.
 */
export function signHmac(options: HmacSigningOptions): string {
  checkAlgorithm(options.algorithm);
  checkSecret(options.secret);
  const payload = toBytes(options.payload);
  if (payload === undefined) {
    throw new InvalidInputError('payload must be a string, Buffer, Uint8Array or ArrayBuffer.', { field: 'payload' });
  }
  let timestamp: string | undefined;
  if (options.timestamp !== undefined) {
    timestamp = parseTimestamp(options.timestamp);
    if (timestamp === undefined) {
      throw new InvalidInputError('timestamp must be a non-negative integer number of Unix seconds.', { field: 'timestamp' });
    }
  }
  return computeDigest(payload, options.secret, timestamp, options.signedContent).toString('hex');
}

/** Builds a signature header value such as `sha256=<hex>` that {@link verifyHmacSignature} accepts with the same prefix. */
export function createSignatureHeader(options: SignatureHeaderOptions): string {
  return `${options.prefix ?? DEFAULT_PREFIX}${signHmac(options)}`;
}

/**
 * Verifies a webhook's HMAC-SHA256 signature over the raw body in constant time, and checks the timestamp
 * window when one is given. Throws {@link WebhookVerificationError} with a `reason` when the request is not
 * authentic, and `InvalidInputError` for a misconfigured call (empty secret, bad tolerance).
 *
 * Example:
 *
 * {@includeCode ../../examples/transport.ts#verifyHmacSignature}
 */
export function verifyHmacSignature(options: HmacVerificationOptions): void {
  const failure = findVerificationFailure(options);
  if (failure) throw failure;
}

/** Like {@link verifyHmacSignature}, but reports a verification failure as a result instead of throwing it. */
export function checkHmacSignature(options: HmacVerificationOptions): WebhookVerificationResult {
  const failure = findVerificationFailure(options);
  return failure ? { ok: false, reason: failure.reason, error: failure } : { ok: true };
}

function findVerificationFailure(options: HmacVerificationOptions): WebhookVerificationError | undefined {
  checkAlgorithm(options.algorithm);
  checkSecret(options.secret);
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (!Number.isFinite(tolerance) || tolerance <= 0) {
    throw new InvalidInputError('toleranceSeconds must be a positive number of seconds.', { field: 'toleranceSeconds' });
  }
  const nowMs = (options.now ?? new Date()).getTime();
  if (Number.isNaN(nowMs)) throw new InvalidInputError('now must be a valid Date.', { field: 'now' });

  const payload = toBytes(options.payload);
  if (payload === undefined) return new WebhookVerificationError('payload-not-raw', describeNonRawPayload(options.payload));

  const signature = parseSignature(options.signature, prefix);
  if (signature instanceof WebhookVerificationError) return signature;

  const timestampRequired = 'timestamp' in options || options.toleranceSeconds !== undefined;
  let timestamp: string | undefined;
  if (timestampRequired) {
    if (options.timestamp === undefined || options.timestamp === null || String(options.timestamp).trim() === '') {
      return new WebhookVerificationError('missing-timestamp', 'Webhook request has no timestamp, but one is required to reject replays.');
    }
    timestamp = parseTimestamp(options.timestamp);
    if (timestamp === undefined) {
      return new WebhookVerificationError('malformed-timestamp', 'Webhook timestamp must be a non-negative integer number of Unix seconds.');
    }
  }

  const expected = computeDigest(payload, options.secret, timestamp, options.signedContent);
  if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
    return new WebhookVerificationError('mismatch', describeMismatch(options.secret, timestamp, options.signedContent));
  }

  // Checked after the signature so this reason always means "authentic but stale or clock skew".
  if (timestamp !== undefined) {
    const skewSeconds = Math.abs(nowMs / 1000 - Number(timestamp));
    if (skewSeconds > tolerance) {
      const unitHint = Number(timestamp) > LARGEST_PLAUSIBLE_SECONDS ? ' The timestamp looks like milliseconds; it must be seconds.' : '';
      return new WebhookVerificationError(
        'timestamp-outside-tolerance',
        `Webhook timestamp is ${Math.round(skewSeconds)} s away from now, more than the ${tolerance} s tolerance: ` +
          `a replayed request or a wrong clock.${unitHint}`,
      );
    }
  }
  return undefined;
}

function checkAlgorithm(algorithm: unknown): void {
  if (algorithm !== undefined && algorithm !== 'sha256') {
    throw new InvalidInputError(`algorithm must be 'sha256'; got ${JSON.stringify(algorithm)}.`, { field: 'algorithm' });
  }
}

function checkSecret(secret: unknown): void {
  const usable = (typeof secret === 'string' || secret instanceof Uint8Array) && secret.length > 0;
  if (!usable) throw new InvalidInputError('secret must be a non-empty string or Uint8Array.', { field: 'secret' });
}

function toBytes(payload: unknown): Uint8Array | undefined {
  if (typeof payload === 'string') return Buffer.from(payload, 'utf8');
  if (payload instanceof ArrayBuffer) return new Uint8Array(payload);
  if (ArrayBuffer.isView(payload)) return new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength);
  return undefined;
}

function describeNonRawPayload(payload: unknown): string {
  const what =
    payload === undefined || payload === null ? String(payload) : typeof payload === 'object' ? 'a parsed object' : `a ${typeof payload}`;
  return (
    `Webhook payload is ${what}: pass the raw request body, not parsed JSON (a string or Buffer exactly as received), ` +
    'because re-serialised JSON rarely matches the signed bytes.'
  );
}

function parseSignature(value: unknown, prefix: string): Buffer | WebhookVerificationError {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    return new WebhookVerificationError(
      'missing-signature',
      'Webhook request has no signature. Check the header name (e.g. X-Hub-Signature) and that the webhook was registered with a secret.',
    );
  }
  const expectedFormat = `"${prefix}<${SHA256_HEX_LENGTH} hex digits>"`;
  if (typeof value !== 'string') {
    return new WebhookVerificationError('malformed-signature', `Webhook signature must be one string of the form ${expectedFormat}.`);
  }
  const text = value.trim();
  if (text.slice(0, prefix.length).toLowerCase() !== prefix.toLowerCase()) {
    const scheme = /^[A-Za-z0-9_-]{1,16}=/.exec(text)?.[0];
    const got = scheme ? `it starts with "${scheme}"` : `it does not start with "${prefix}"`;
    return new WebhookVerificationError('malformed-signature', `Webhook signature must look like ${expectedFormat}, but ${got}.`);
  }
  const hex = text.slice(prefix.length);
  if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length !== SHA256_HEX_LENGTH) {
    const problem = /^[0-9a-fA-F]*$/.test(hex) ? `has ${hex.length} digits` : 'contains non-hex characters';
    return new WebhookVerificationError('malformed-signature', `Webhook signature must look like ${expectedFormat}, but the digest ${problem}.`);
  }
  return Buffer.from(hex, 'hex');
}

function parseTimestamp(value: number | string | null): string | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? String(value) : undefined;
  const text = typeof value === 'string' ? value.trim() : '';
  return /^\d{1,15}$/.test(text) ? text : undefined;
}

function defaultSignedContent(payload: Uint8Array, timestamp: string | undefined): Uint8Array {
  return timestamp === undefined ? payload : Buffer.concat([Buffer.from(`${timestamp}.`, 'utf8'), payload]);
}

function computeDigest(
  payload: Uint8Array,
  secret: HmacSecret,
  timestamp: string | undefined,
  signedContent: SignedContentBuilder = defaultSignedContent,
): Buffer {
  return createHmac('sha256', secret).update(signedContent(payload, timestamp)).digest();
}

function describeMismatch(secret: HmacSecret, timestamp: string | undefined, signedContent: SignedContentBuilder | undefined): string {
  let message =
    'Webhook signature does not match the payload. Check that the secret is the one registered for this webhook ' +
    'and that the payload is the raw request body, unmodified.';
  if (typeof secret === 'string' && secret.trim() !== secret) {
    message += ' The configured secret has leading or trailing whitespace, which is part of the key; trim it if the webhook was registered without it.';
  }
  if (timestamp !== undefined && signedContent === undefined) {
    message += ' The timestamp is signed as "<timestamp>.<body>"; pass signedContent if the sender combines them differently.';
  }
  return message;
}
