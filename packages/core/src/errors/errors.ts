import type { RetryReason } from '../http/policies/retry.js';
import { type TextScrubber, createScrubber, redactUrl, scrubValue } from './redact.js';

/** Brand shared by every copy of this package, so guards work even when two versions are installed. */
const ERROR_BRAND = Symbol.for('@ml-connector/core/ConnectorError');
const INSPECT = Symbol.for('nodejs.util.inspect.custom');
const MAX_CAUSE_DEPTH = 5;

/** Options accepted by every {@link ConnectorError}. */
export interface ConnectorErrorOptions {
  /**
   * The underlying error. Only a sanitised copy is kept (name, `code`, redacted message, stack frames, and
   * its own sanitised cause), because fetch and ky errors carry the request URL and headers. Never included
   * in `toJSON()` output.
   */
  cause?: unknown;
  /** Extra diagnostic fields; credential-like keys and echoed secrets are redacted. */
  details?: Record<string, unknown>;
  /**
   * Exact secret values the failed operation used (bearer token, `Authorization` value, Basic password,
   * client secret). Every occurrence, also percent- or form-encoded, is scrubbed from the message, details,
   * data, vendor fields and cause. The values themselves are not kept. See `secretHeaderValues`.
   */
  secrets?: readonly string[];
}

type ErrorClass = { readonly name: string; readonly kind?: string };

/** The literal kinds of a class and its ancestors up to `ConnectorError` (the class name when a subclass declares none). */
function kindsOf(target: ErrorClass): string[] {
  const kinds: string[] = [];
  for (let c: ErrorClass | null = target; c && c !== (Error as unknown) && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    kinds.push(Object.hasOwn(c, 'kind') && typeof c.kind === 'string' ? c.kind : c.name);
  }
  return kinds;
}

/** Frames of a stack without its first line, which repeats the (unredacted) message. */
function framesOf(stack: unknown): string {
  if (typeof stack !== 'string') return '';
  const frames = stack.split('\n').filter((line) => /^\s+at /.test(line));
  return frames.length ? `\n${frames.join('\n')}` : '';
}

/**
 * A safe stand-in for an underlying error: ky's `HTTPError`/`TimeoutError` and undici's errors hold the
 * request (URL, `authorization` header) and response, which pino's `err` serializer and `util.inspect`
 * print in full. Keeps the name, `code`, redacted message, stack frames and a sanitised cause chain.
 */
function sanitizeCause(cause: unknown, scrub: TextScrubber, depth = 0): unknown {
  if (cause === undefined || cause === null) return undefined;
  if (typeof cause === 'number' || typeof cause === 'boolean' || typeof cause === 'bigint') return cause;
  if (typeof cause === 'string') return scrub(cause);
  if (typeof cause !== 'object') return undefined;
  // Already sanitised at its own construction.
  if ((cause as Record<symbol, unknown>)[ERROR_BRAND]) return cause;
  if (depth >= MAX_CAUSE_DEPTH) return undefined;
  const source = cause as { name?: unknown; message?: unknown; code?: unknown; stack?: unknown; cause?: unknown };
  const name = typeof source.name === 'string' ? source.name : 'Error';
  const message = scrub(typeof source.message === 'string' ? source.message : `non-error cause (${Object.prototype.toString.call(cause)})`);
  const inner = sanitizeCause(source.cause, scrub, depth + 1);
  // Abort reasons keep their type, so `cause instanceof DOMException` checks still hold.
  const safe: Error & { code?: unknown } =
    cause instanceof DOMException ? new DOMException(message, name) : new Error(message, inner === undefined ? undefined : { cause: inner });
  if (!(cause instanceof DOMException)) {
    safe.name = name;
    if (typeof source.code === 'string' || typeof source.code === 'number') safe.code = source.code;
  }
  Object.defineProperty(safe, 'stack', {
    value: `${name}: ${message}${framesOf(source.stack)}`,
    writable: true,
    configurable: true,
    enumerable: false,
  });
  return safe;
}

/**
 * Base class of every error thrown by ml-connector. `code` is a stable machine-readable identifier;
 * `kinds` lists this class and its ancestors by their literal `kind`, which the `is…Error` guards use so
 * that checks work across duplicate package copies (where `instanceof` fails) and in minified bundles
 * (where class names are renamed). Subclasses declare `static override readonly kind: string = '<ClassName>'`.
 */
export class ConnectorError extends Error {
  /** Literal class name, kept by minifiers (which rename classes). Every subclass declares its own. */
  static readonly kind: string = 'ConnectorError';
  /** Stable machine-readable error code, e.g. `RATE_LIMITED`. */
  readonly code: string;
  /** Extra diagnostic fields; never contains secrets. */
  readonly details: Record<string, unknown> | undefined;
  /** Literal kinds from this error's class up to `ConnectorError`. */
  readonly kinds: readonly string[];

  constructor(message: string, code = 'CONNECTOR_ERROR', options: ConnectorErrorOptions = {}) {
    const scrub = createScrubber(options.secrets);
    const cause = options.cause === undefined ? undefined : (sanitizeCause(options.cause, scrub) ?? '[cause omitted]');
    super(scrub(message), cause === undefined ? undefined : { cause });
    const kinds = kindsOf(new.target);
    // An own property, so the literal name shows in the stack, `toString()` and logs of a minified bundle.
    this.name = kinds[0] ?? 'ConnectorError';
    // Loggers name errors by `constructor.name` (pino's `type`): restore the literal a minifier replaced.
    if (new.target.name !== this.name) Object.defineProperty(new.target, 'name', { value: this.name, configurable: true });
    if (typeof this.stack === 'string') this.stack = `${this.name}: ${this.message}${framesOf(this.stack)}`;
    this.code = code;
    this.details = options.details === undefined ? undefined : scrubValue(options.details, scrub);
    this.kinds = kinds;
    Object.defineProperty(this, ERROR_BRAND, { value: true, enumerable: false });
  }

  /** A JSON-safe view of the error: no cause, no stack, no secrets. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, code: this.code, message: this.message };
    for (const [key, value] of Object.entries(this)) {
      if (key === 'kinds' || key === 'cause' || value === undefined) continue;
      out[key] = value;
    }
    return out;
  }

  /** Node's `util.inspect` shows the safe view plus the stack and the sanitised cause chain. */
  [INSPECT](depth: number, options: object, inspect?: (value: unknown, options?: object) => string): string {
    const fields = this.toJSON();
    delete fields.name;
    delete fields.message;
    const cause = this.cause === undefined || !inspect ? '' : `\n[cause]: ${inspect(this.cause, options)}`;
    return `${this.stack ?? `${this.name}: ${this.message}`}\n${JSON.stringify(fields, null, 2)}${cause}`;
  }
}

/**
 * Thrown for bad input given to the SDK (options, arguments, configuration): the message says what is
 * wrong and how to fix it. Never retried.
 */
export class InvalidInputError extends ConnectorError {
  /** Literal class name, kept under minification. */
  static override readonly kind: string = 'InvalidInputError';
  /** The option or argument at fault, e.g. `baseUrl` or `filter.value`. */
  readonly field: string | undefined;
  constructor(message: string, options: ConnectorErrorOptions & { field?: string } = {}) {
    super(message, 'INVALID_INPUT', options);
    this.field = options.field;
  }
}

/** One retry decision taken by the transport, as recorded on responses and errors. */
export interface RetryRecord {
  /** 1-based number of the attempt that failed and led to this decision. */
  attempt: number;
  /** Why the transport or token provider retried, e.g. `rate-limited`, `server-error`, `unauthorized-token-refreshed`. */
  reason: RetryReason;
  /** Delay before the next attempt, in milliseconds. */
  delayMs: number;
  /** HTTP status of the failed attempt, when there was one. */
  status?: number;
}

/** What every HTTP-level error knows about the request that failed. */
export interface HttpErrorInit extends ConnectorErrorOptions {
  /** HTTP status, when a response was received. */
  status?: number;
  /** Request method, e.g. `GET`. */
  method: string;
  /** Request URL; redacted on construction. */
  url: string | URL;
  /** Request id sent (`x-ms-client-request-id` / `x-request-id`) or returned by the server. */
  requestId?: string;
  /** Vendor error code parsed from the body, e.g. `Internal_RecordNotFound`. */
  vendorCode?: string;
  /** Vendor error message parsed from the body. */
  vendorMessage?: string;
  /** Server-requested wait before retrying, in milliseconds. */
  retryAfterMs?: number;
  /** Parsed response body (redacted on construction). */
  data?: unknown;
  /** Retry decisions taken before this error was thrown. */
  retries?: readonly RetryRecord[];
}

/** An error raised while sending an HTTP request or reading its response. */
export class HttpError extends ConnectorError {
  /** Literal class name, kept under minification. */
  static override readonly kind: string = 'HttpError';
  /** HTTP status, when a response was received. */
  readonly status: number | undefined;
  /** Request method. */
  readonly method: string;
  /** Redacted request URL. */
  readonly url: string;
  /** Client or server request id, for support tickets and log correlation. */
  readonly requestId: string | undefined;
  /** Vendor error code parsed from the body. */
  readonly vendorCode: string | undefined;
  /** Vendor error message parsed from the body. */
  readonly vendorMessage: string | undefined;
  /** Server-requested wait before retrying, in milliseconds. */
  readonly retryAfterMs: number | undefined;
  /** Parsed (redacted) response body. */
  readonly data: unknown;
  /** Retry decisions the transport took before giving up. */
  readonly retries: readonly RetryRecord[];

  constructor(message: string, code: string, init: HttpErrorInit) {
    const scrub = createScrubber(init.secrets);
    const url = redactUrl(init.url);
    const status = init.status === undefined ? '' : ` ${init.status}`;
    const vendor = init.vendorCode ? ` [${init.vendorCode}]` : '';
    super(`${message} (${init.method} ${url}${status})${vendor}`, code, init);
    this.status = init.status;
    this.method = init.method;
    this.url = url;
    this.requestId = init.requestId;
    // Servers echo what they received, so every vendor-supplied field goes through the same scrubber.
    this.vendorCode = init.vendorCode === undefined ? undefined : scrub(init.vendorCode);
    this.vendorMessage = init.vendorMessage === undefined ? undefined : scrub(init.vendorMessage);
    this.retryAfterMs = init.retryAfterMs;
    this.data = init.data === undefined ? undefined : scrubValue(init.data, scrub);
    this.retries = init.retries ?? [];
  }
}

/** 401, or a token endpoint refused the credentials. Check client id, secret, certificate and tenant. */
export class AuthenticationError extends HttpError {
  /** Literal class name, kept under minification. */
  static override readonly kind: string = 'AuthenticationError';
  constructor(message: string, init: HttpErrorInit) {
    super(message, 'AUTHENTICATION_FAILED', init);
  }
}
/** 403: authenticated but not allowed. Check the app's permissions or the user the app maps to. */
export class PermissionError extends HttpError {
  /** Literal class name, kept under minification. */
  static override readonly kind: string = 'PermissionError';
  constructor(message: string, init: HttpErrorInit) {
    super(message, 'PERMISSION_DENIED', init);
  }
}
/** 404: the record or endpoint does not exist. */
export class NotFoundError extends HttpError {
  /** Literal class name, kept under minification. */
  static override readonly kind: string = 'NotFoundError';
  constructor(message: string, init: HttpErrorInit) {
    super(message, 'NOT_FOUND', init);
  }
}
/** 409 or 412: the record changed since it was read (ETag mismatch) or conflicts with another. Re-read, then retry. */
export class ConflictError extends HttpError {
  /** Literal class name, kept under minification. */
  static override readonly kind: string = 'ConflictError';
  constructor(message: string, init: HttpErrorInit) {
    super(message, init.status === 412 ? 'PRECONDITION_FAILED' : 'CONFLICT', init);
  }
}
/** 400, 413 or 422: the server rejected the data. Fix the payload; retrying the same request will not help. */
export class ValidationError extends HttpError {
  /** Literal class name, kept under minification. */
  static override readonly kind: string = 'ValidationError';
  constructor(message: string, init: HttpErrorInit) {
    super(message, 'VALIDATION_FAILED', init);
  }
}
/** 429 (or 503 with Retry-After) beyond what the client was allowed to wait. `retryAfterMs` says when to come back. */
export class RateLimitError extends HttpError {
  /** Literal class name, kept under minification. */
  static override readonly kind: string = 'RateLimitError';
  constructor(message: string, init: HttpErrorInit) {
    super(message, 'RATE_LIMITED', init);
  }
}
/** 5xx after retries were exhausted. */
export class ServerError extends HttpError {
  /** Literal class name, kept under minification. */
  static override readonly kind: string = 'ServerError';
  constructor(message: string, init: HttpErrorInit) {
    super(message, 'SERVER_ERROR', init);
  }
}
/** The request failed before a response arrived (DNS, refused connection, reset, timeout on a safe request). */
export class NetworkError extends HttpError {
  /** Literal class name, kept under minification. */
  static override readonly kind: string = 'NetworkError';
  constructor(message: string, init: HttpErrorInit, code = 'NETWORK_ERROR') {
    super(message, code, init);
  }
}
/**
 * A write may or may not have been processed: the connection dropped or timed out after the body was sent.
 * Never retried automatically. Look the record up by its natural key before trying again.
 */
export class OutcomeUnknownError extends HttpError {
  /** Literal class name, kept under minification. */
  static override readonly kind: string = 'OutcomeUnknownError';
  constructor(message: string, init: HttpErrorInit) {
    super(message, 'OUTCOME_UNKNOWN', init);
  }
}
/** The request was cancelled through its AbortSignal. */
export class AbortError extends ConnectorError {
  /** Literal class name, kept under minification. */
  static override readonly kind: string = 'AbortError';
  constructor(message = 'The request was aborted', options: ConnectorErrorOptions = {}) {
    super(message, 'ABORTED', options);
  }
}
/** A response body did not match the expected schema: the API changed or the wrong endpoint was called. */
export class ResponseValidationError extends ConnectorError {
  /** Literal class name, kept under minification. */
  static override readonly kind: string = 'ResponseValidationError';
  constructor(message: string, options: ConnectorErrorOptions = {}) {
    super(message, 'RESPONSE_INVALID', options);
  }
}

function hasKind(error: unknown, kind: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if (!(error as Record<symbol, unknown>)[ERROR_BRAND]) return false;
  const kinds = (error as { kinds?: unknown }).kinds;
  return Array.isArray(kinds) && kinds.includes(kind);
}

/** True for any error thrown by ml-connector, from any installed copy of the package. */
export const isConnectorError = (e: unknown): e is ConnectorError => hasKind(e, 'ConnectorError');
/** True for {@link InvalidInputError}. */
export const isInvalidInputError = (e: unknown): e is InvalidInputError => hasKind(e, 'InvalidInputError');
/** True for any {@link HttpError} subclass. */
export const isHttpError = (e: unknown): e is HttpError => hasKind(e, 'HttpError');
/** True for {@link AuthenticationError}. */
export const isAuthenticationError = (e: unknown): e is AuthenticationError => hasKind(e, 'AuthenticationError');
/** True for {@link PermissionError}. */
export const isPermissionError = (e: unknown): e is PermissionError => hasKind(e, 'PermissionError');
/** True for {@link NotFoundError}. */
export const isNotFoundError = (e: unknown): e is NotFoundError => hasKind(e, 'NotFoundError');
/** True for {@link ConflictError}. */
export const isConflictError = (e: unknown): e is ConflictError => hasKind(e, 'ConflictError');
/** True for {@link ValidationError}. */
export const isValidationError = (e: unknown): e is ValidationError => hasKind(e, 'ValidationError');
/** True for {@link RateLimitError}. */
export const isRateLimitError = (e: unknown): e is RateLimitError => hasKind(e, 'RateLimitError');
/** True for {@link ServerError}. */
export const isServerError = (e: unknown): e is ServerError => hasKind(e, 'ServerError');
/** True for {@link NetworkError}. */
export const isNetworkError = (e: unknown): e is NetworkError => hasKind(e, 'NetworkError');
/** True for {@link OutcomeUnknownError}. */
export const isOutcomeUnknownError = (e: unknown): e is OutcomeUnknownError => hasKind(e, 'OutcomeUnknownError');
/** True for {@link AbortError}. */
export const isAbortError = (e: unknown): e is AbortError => hasKind(e, 'AbortError');
/** True for {@link ResponseValidationError}. */
export const isResponseValidationError = (e: unknown): e is ResponseValidationError =>
  hasKind(e, 'ResponseValidationError');

/**
 * True when `error` is an ml-connector error (from any installed copy) whose class, or one of its ancestors,
 * is named `kind`. Lets other modules write cross-copy `is…Error` guards for their own subclasses.
 */
export function hasErrorKind(error: unknown, kind: string): boolean {
  return hasKind(error, kind);
}
