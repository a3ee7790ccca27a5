import {
  AuthenticationError,
  type HttpError,
  InvalidInputError,
  NetworkError,
  ResponseValidationError,
  type RetryRecord,
} from '../errors/errors.js';
import { scrubSecrets } from '../errors/redact.js';
import { errorFromResponse, parseVendorError } from '../errors/vendor.js';
import { type Logger, silentLogger } from '../logging/logger.js';
import { fullJitterBackoff } from '../http/backoff.js';
import { parseRetryAfter } from '../http/retry-after.js';
import { checkDuration } from '../http/timers.js';
import type { TokenCache } from './token-cache.js';
import type { AccessToken } from './types.js';

/** Options shared by every OAuth token provider in this module. */
export interface TokenProviderBaseOptions {
  /** Token endpoint, e.g. `https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token`. https, or http on loopback. */
  tokenUrl: string;
  /** OAuth client (application) id. */
  clientId: string;
  /** Space-separated scopes, e.g. `https://api.businesscentral.dynamics.com/.default`. Omitted from the request when absent. */
  scope?: string;
  /** Extra form parameters some servers need (e.g. `resource`, `audience`). Cannot override the grant's own parameters. */
  extraParams?: Record<string, string>;
  /** Refresh this long before expiry (capped at half the token's lifetime). Default 2 minutes. */
  refreshWindowMs?: number;
  /** Clock in epoch ms; inject for tests. Default `Date.now`. */
  now?: () => number;
  /** `fetch` implementation; inject for tests or proxies. Default global `fetch`. */
  fetch?: typeof globalThis.fetch;
  /** Per-attempt timeout of a token request. Default 30 seconds. */
  timeoutMs?: number;
  /** Retries after 5xx, 429 (and network errors where safe). Default 2. */
  maxRetries?: number;
  /** Waits between retries; inject for tests. Default a `setTimeout` promise (works with fake timers). */
  sleep?: (ms: number) => Promise<void>;
  /** Token cache, shareable between providers of the same principal. Default: one per provider. */
  cache?: TokenCache;
  /** Receives token refresh and retry events; never secrets. Default silent. */
  logger?: Logger;
}

/** A client secret, or a function that reads it (e.g. from a credential vault) each time a token is requested. */
export type SecretSource = string | (() => Promise<string>);

/** Resolves a {@link SecretSource}, rejecting empty values so a missing vault entry fails clearly. */
export async function resolveSecret(source: SecretSource, field: string): Promise<string> {
  const secret = typeof source === 'function' ? await source() : source;
  if (typeof secret !== 'string' || secret === '') {
    throw new InvalidInputError(`${field} is empty; pass the secret or a function that returns it`, { field });
  }
  return secret;
}

/** `Authorization: Basic` for OAuth client authentication: RFC 6749 §2.3.1 form-encodes id and secret first. */
export function oauthClientBasicHeader(clientId: string, clientSecret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`;
}

/** Lifetime assumed when a token response has no `expires_in` (RFC 6749 makes it optional): short, so we re-ask soon. */
export const MISSING_EXPIRES_IN_LIFETIME_MS = 5 * 60_000;

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RETRIES = 2;
const BASE_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 10_000;
// A Retry-After longer than this is not waited for inside a token request; the RateLimitError carries it.
const MAX_RETRY_AFTER_MS = 30_000;

/** One token request: the form, extra headers, and every secret (raw) that must be scrubbed from errors. */
export interface TokenRequest {
  form: URLSearchParams;
  headers?: Record<string, string>;
  secrets: Array<string | undefined>;
}

/** A parsed successful token response. */
export interface TokenResponse {
  accessToken: AccessToken;
  /** New refresh token, when the server issued (rotated) one. */
  refreshToken: string | undefined;
}

/** Resolved settings for {@link requestToken}. */
export interface TokenEndpointSettings {
  tokenUrl: string;
  identity: string;
  fetch: typeof globalThis.fetch;
  timeoutMs: number;
  maxRetries: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  logger: Logger;
  /**
   * Whether a request that failed without a response may be sent again. False for rotating refresh tokens:
   * the server may have rotated the token before the connection dropped, and a resend would spend it twice.
   */
  retryNetworkErrors: boolean;
}

const RESERVED_PARAMS = new Set([
  'grant_type',
  'client_id',
  'client_secret',
  'client_assertion',
  'client_assertion_type',
  'scope',
  'refresh_token',
]);

/** Validates the options every provider shares and fills in defaults. */
export function resolveEndpointSettings(
  options: TokenProviderBaseOptions,
  tokenUrl: string,
  identity: string,
  retryNetworkErrors: boolean,
): TokenEndpointSettings {
  if (typeof options.clientId !== 'string' || options.clientId.trim() === '') {
    throw new InvalidInputError('clientId is required: the OAuth client (application) id', { field: 'clientId' });
  }
  for (const name of Object.keys(options.extraParams ?? {})) {
    if (RESERVED_PARAMS.has(name)) {
      throw new InvalidInputError(`extraParams must not set "${name}"; use the provider's own option for it`, {
        field: `extraParams.${name}`,
      });
    }
  }
  if (options.maxRetries !== undefined && !(Number.isInteger(options.maxRetries) && options.maxRetries >= 0)) {
    throw new InvalidInputError('maxRetries must be a whole number of at least 0', { field: 'maxRetries' });
  }
  if (options.refreshWindowMs !== undefined) checkDuration(options.refreshWindowMs, 'refreshWindowMs');
  if (options.timeoutMs !== undefined) checkDuration(options.timeoutMs, 'timeoutMs', 1);
  return {
    tokenUrl,
    identity,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    now: options.now ?? Date.now,
    logger: options.logger ?? silentLogger,
    retryNetworkErrors,
  };
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function parseExpiresIn(value: unknown): number | undefined | 'invalid' {
  if (value === undefined || value === null) return undefined;
  const seconds = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? seconds : 'invalid';
}

function parseTokenResponse(text: string, now: number, settings: TokenEndpointSettings): TokenResponse {
  const body = parseBody(text);
  if (typeof body !== 'object' || body === null) {
    throw new ResponseValidationError(`Token endpoint ${settings.tokenUrl} returned a success response that is not a JSON object`);
  }
  const b = body as Record<string, unknown>;
  if (typeof b.access_token !== 'string' || b.access_token === '') {
    throw new ResponseValidationError(`Token endpoint ${settings.tokenUrl} returned no access_token`);
  }
  const expiresIn = parseExpiresIn(b.expires_in);
  if (expiresIn === 'invalid') {
    throw new ResponseValidationError(
      `Token endpoint ${settings.tokenUrl} returned an invalid expires_in (${JSON.stringify(b.expires_in)}); expected a positive number of seconds`,
    );
  }
  if (expiresIn === undefined) {
    settings.logger.warn(
      { identity: settings.identity, assumedLifetimeMs: MISSING_EXPIRES_IN_LIFETIME_MS },
      'token response has no expires_in; assuming a short lifetime',
    );
  }
  const lifetimeMs = expiresIn === undefined ? MISSING_EXPIRES_IN_LIFETIME_MS : expiresIn * 1000;
  const accessToken: AccessToken = { token: b.access_token, expiresAt: now + lifetimeMs };
  if (typeof b.token_type === 'string') accessToken.tokenType = b.token_type;
  return {
    accessToken,
    refreshToken: typeof b.refresh_token === 'string' && b.refresh_token !== '' ? b.refresh_token : undefined,
  };
}

/** Maps a failed token response; OAuth `{error}` bodies on 400/401/403 mean the credentials or grant were refused. */
function tokenEndpointError(
  status: number,
  body: unknown,
  response: Response,
  settings: TokenEndpointSettings,
  retryAfterMs: number | undefined,
  retries: RetryRecord[],
): HttpError {
  const requestId = response.headers.get('x-ms-request-id') ?? response.headers.get('x-request-id') ?? undefined;
  const base = { status, method: 'POST', url: settings.tokenUrl, requestId, retryAfterMs, retries: [...retries] };
  const isOAuthError = typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string';
  if ((status === 400 || status === 401 || status === 403) && isOAuthError) {
    const vendor = parseVendorError(body);
    return new AuthenticationError(`Token request refused: ${vendor.message ?? vendor.code}`, {
      ...base,
      data: body,
      vendorCode: vendor.code,
      vendorMessage: vendor.message,
    });
  }
  return errorFromResponse({ ...base, body });
}

/** The pipeline's backoff (full jitter) with the token endpoint's shorter steps. */
const backoff = (attempt: number) => fullJitterBackoff(attempt, BASE_BACKOFF_MS, MAX_BACKOFF_MS);

/**
 * POSTs a form-encoded token request, retrying 5xx/429 (and network errors when allowed) up to
 * `maxRetries` times with the pipeline's jittered backoff or the server's Retry-After (same parser). `build` runs per attempt so
 * client assertions are fresh. Errors are typed, their URL redacted and every listed secret scrubbed.
 */
export async function requestToken(settings: TokenEndpointSettings, build: () => Promise<TokenRequest>): Promise<TokenResponse> {
  const retries: RetryRecord[] = [];
  for (let attempt = 1; ; attempt++) {
    const request = await build();
    // Servers may echo a secret as received (form-encoded) or decoded, so scrub every spelling.
    const spellings = request.secrets.flatMap((secret) =>
      secret ? [secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)] : [],
    );
    const scrub = (text: string) => scrubSecrets(text, spellings);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), settings.timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await settings.fetch(settings.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...request.headers },
        body: request.form.toString(),
        signal: controller.signal,
      });
      text = scrub(await response.text());
    } catch (cause) {
      const timedOut = controller.signal.aborted;
      const retryable = settings.retryNetworkErrors && attempt <= settings.maxRetries;
      const reason = timedOut ? 'timeout' : 'connection-reset';
      if (retryable) {
        const delayMs = backoff(attempt);
        retries.push({ attempt, reason, delayMs });
        settings.logger.warn({ identity: settings.identity, attempt, reason, delayMs }, 'token request failed; retrying');
        await settings.sleep(delayMs);
        continue;
      }
      const message = timedOut
        ? `Token request timed out after ${settings.timeoutMs} ms`
        : 'Token request failed before a response arrived';
      throw new NetworkError(message, { method: 'POST', url: settings.tokenUrl, cause, retries: [...retries] }, timedOut ? 'TIMEOUT' : undefined);
    } finally {
      clearTimeout(timer);
    }

    if (response.ok) return parseTokenResponse(text, settings.now(), settings);

    const status = response.status;
    const retryAfterMs = parseRetryAfter(response.headers, settings.now());
    const transient = status === 429 || status >= 500;
    if (transient && attempt <= settings.maxRetries && (retryAfterMs ?? 0) <= MAX_RETRY_AFTER_MS) {
      const delayMs = retryAfterMs ?? backoff(attempt);
      const reason = status === 429 ? 'rate-limited' : 'server-error';
      retries.push({ attempt, reason, delayMs, status });
      settings.logger.warn({ identity: settings.identity, attempt, reason, status, delayMs }, 'token request failed; retrying');
      await settings.sleep(delayMs);
      continue;
    }
    throw tokenEndpointError(status, parseBody(text), response, settings, retryAfterMs, retries);
  }
}
