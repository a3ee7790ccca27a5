import type { AdaptiveThrottleOptions, RateLimiter } from './adaptive-throttle.js';
import type { HttpClientOptions } from './client.js';
import type { RetryEvent, RetryOptions } from './policies/retry.js';
import type { Logger } from '../logging/index.js';

/**
 * Transport options every connector client accepts, documented once here. A connector's options interface
 * extends this one and re-declares a field only where its default differs (e.g. `timeoutMs`, `throttle`).
 */
export interface ConnectorTransportOptions {
  /** Accept loopback hosts over http (local emulators and tests). Default `false`. */
  allowLoopback?: boolean;
  /**
   * Client-side throttle: options for a new adaptive throttle, a shared `RateLimiter` (so several clients of one
   * identity share one budget), or `false`. Default: the connector's throttle defaults, else core's adaptive throttle.
   */
  throttle?: AdaptiveThrottleOptions | RateLimiter | false;
  /**
   * Retry settings of the transport, or `false`. Default core's: 4 retries, `Retry-After` honoured up to 60 s
   * (core's README lists which failures are retried for reads and for writes).
   */
  retry?: Partial<RetryOptions> | false;
  /** Timeout of each attempt in ms, response body included. Each connector documents its default. */
  timeoutMs?: number;
  /** Called before every retry with its reason and delay (e.g. to count 429s). */
  onRetry?: (event: RetryEvent) => void;
  /** pino-compatible logger; never receives secrets. Default silent. */
  logger?: Logger;
  /** Extra headers sent with every call. */
  headers?: Record<string, string>;
  /** Generates the client request id sent with every call. Default `crypto.randomUUID`. */
  createRequestId?: () => string;
  /** `fetch` used for API and token calls (e.g. an emulator's in-process fetch). Default global `fetch`. */
  fetch?: typeof fetch;
  /** Clock in epoch ms (token expiry, throttle, polling). Default `Date.now`. */
  now?: () => number;
}

/** A connector's own defaults for {@link connectorHttpClientOptions}. */
export interface ConnectorTransportDefaults {
  /** Attempt timeout in ms when the caller gives none. */
  timeoutMs: number;
  /** Throttle when the caller gives none. Default: none passed, i.e. core's adaptive throttle. */
  throttle?: AdaptiveThrottleOptions | RateLimiter | false;
}

/** The part of {@link HttpClientOptions} that {@link connectorHttpClientOptions} fills in. */
export type ConnectorHttpClientOptions = Pick<
  HttpClientOptions,
  'allowLoopback' | 'throttle' | 'retry' | 'timeoutMs' | 'onRetry' | 'logger' | 'headers' | 'createRequestId' | 'fetch'
>;

/**
 * Maps a connector's transport options onto `createHttpClient` options, applying the connector's defaults.
 * Options the caller left out stay out, so core's own defaults apply to them. `now` is not a transport option:
 * connectors pass it to their throttle defaults and token providers themselves.
 *
 * Example: `createHttpClient({ baseUrl, auth, ...connectorHttpClientOptions(options, { timeoutMs: 60_000 }) })`.
 */
export function connectorHttpClientOptions(options: ConnectorTransportOptions, defaults: ConnectorTransportDefaults): ConnectorHttpClientOptions {
  const throttle = options.throttle ?? defaults.throttle;
  return {
    allowLoopback: options.allowLoopback ?? false,
    timeoutMs: options.timeoutMs ?? defaults.timeoutMs,
    ...(throttle !== undefined ? { throttle } : {}),
    ...(options.retry !== undefined ? { retry: options.retry } : {}),
    ...(options.onRetry ? { onRetry: options.onRetry } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.createRequestId ? { createRequestId: options.createRequestId } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
}
