import {
  type AdaptiveThrottleOptions,
  type ClientAssertionOptions,
  type ConnectorTransportOptions,
  InvalidInputError,
  isInvalidInputError,
  type RateLimiter,
  type SecretSource,
  type TokenCache,
  type TokenProvider,
  validateTenantHost,
} from '@ml-connector/core';
import { BUSINESS_CENTRAL_LIMITS } from './rate-limits.js';

/** Defaults of {@link BusinessCentralClientOptions}. */
export const BUSINESS_CENTRAL_DEFAULTS = Object.freeze({
  /** Public Business Central API host. */
  apiHost: 'https://api.businesscentral.dynamics.com',
  /** Microsoft Entra ID authority. */
  authorityHost: 'https://login.microsoftonline.com',
  /** API version segment (`/api/v2.0/`). */
  apiVersion: 'v2.0',
  /** OAuth scope for service-to-service access. */
  scope: 'https://api.businesscentral.dynamics.com/.default',
  /** Request id header sent with every call (Microsoft convention). */
  requestIdHeader: 'x-ms-client-request-id',
  /** Attempt timeout in ms; BC itself times operations out after 8 minutes (408). */
  timeoutMs: 60_000,
  /** Largest number of operations sent in one `$batch`. */
  maxBatchOperations: BUSINESS_CENTRAL_LIMITS.maxBatchOperations,
});

/** Microsoft Entra client credentials with a client secret. */
export interface BusinessCentralSecretCredentials {
  /** Application (client) id of the Entra app registration. */
  clientId: string;
  /** Client secret, or a function returning it (e.g. from a credential vault). Never logged. */
  clientSecret: SecretSource;
  clientAssertion?: never;
}

/** Microsoft Entra client credentials with a certificate (signed client assertion). */
export interface BusinessCentralCertificateCredentials {
  /** Application (client) id of the Entra app registration. */
  clientId: string;
  /** Private key, certificate/thumbprint and algorithm (`PS256` current Entra guidance, `RS256` older). */
  clientAssertion: ClientAssertionOptions;
  clientSecret?: never;
}

/** Options of `createBusinessCentralClient`. */
export interface BusinessCentralClientOptions extends ConnectorTransportOptions {
  /** Entra tenant id (GUID) or verified domain, e.g. `contoso.onmicrosoft.com`. */
  tenantId: string;
  /** Environment name, e.g. `Production` or `Sandbox`. */
  environment: string;
  /** Client credentials (secret or certificate). Required unless `tokenProvider` is given. */
  credentials?: BusinessCentralSecretCredentials | BusinessCentralCertificateCredentials;
  /** A ready token provider (e.g. shared between clients); replaces `credentials`. */
  tokenProvider?: TokenProvider;
  /** API version path segment. Default `v2.0`. The models target v2.0; see the README for v1.0 differences. */
  apiVersion?: string;
  /** API host. Default `https://api.businesscentral.dynamics.com`; override for emulators. */
  apiHost?: string;
  /** Entra authority host; the token URL is `{authorityHost}/{tenantId}/oauth2/v2.0/token`. Default `https://login.microsoftonline.com`. */
  authorityHost?: string;
  /** OAuth scope. Default `https://api.businesscentral.dynamics.com/.default`. */
  scope?: string;
  /** Token cache shared between providers of the same app. Default: one per client. */
  tokenCache?: TokenCache;
  /**
   * Client-side throttle: options for a new adaptive throttle, a shared `RateLimiter` (so several clients of one
   * identity share one budget) or `false`. Default {@link BUSINESS_CENTRAL_THROTTLE_DEFAULTS} (5 concurrent, BC's sliding window of 6,000 per 5 minutes, 25/s).
   */
  throttle?: AdaptiveThrottleOptions | RateLimiter | false;
  /**
   * Count every operation inside a `$batch` toward the client-side rate budget (a batch of 100 takes 100
   * permits, not one). Default `true`: whether Business Central counts batch operations individually toward its
   * 6,000-per-5-minutes limit is UNCONFIRMED, and counting them is the choice that cannot get you throttled.
   */
  countBatchOperations?: boolean;
  /** Attempt timeout in ms. Default 60,000. */
  timeoutMs?: number;
  /** Extra headers for every call (e.g. `Data-Access-Intent: ReadOnly` for replica reads). */
  headers?: Record<string, string>;
}

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Checks one URL path segment (tenant, environment, version) so it cannot change the URL's structure. */
export function assertPathSegment(value: unknown, field: string, example: string): string {
  if (typeof value !== 'string' || !SEGMENT.test(value)) {
    throw new InvalidInputError(`${field} must be a non-empty name of letters, digits, ".", "_" or "-", e.g. "${example}"; got ${JSON.stringify(value)}`, {
      field,
    });
  }
  return value;
}

/**
 * Validates a host URL with core's rules, rewording core's advice in terms of this client's options: the
 * caller sets `allowLoopback` (which also admits http on loopback); core's `allowHttp` is not an option here.
 */
export function checkHost(value: unknown, field: string, allowLoopback: boolean): string {
  try {
    return validateTenantHost(value as string, { allowLoopback, allowHttp: allowLoopback, field });
  } catch (error) {
    if (!isInvalidInputError(error)) throw error;
    const message = error.message
      .replace(/\(http is only accepted for loopback hosts with allowLoopback and allowHttp\)/, '(http is only accepted for a local emulator on 127.0.0.1, [::1] or localhost, with allowLoopback: true)')
      .replace(/use the service's public host name$/, "use the service's public host name, or pass allowLoopback: true for a local emulator");
    throw new InvalidInputError(message, { field });
  }
}

/** Resolved URLs of one client. */
export interface BusinessCentralEndpoints {
  /** Service root: `{apiHost}/v2.0/{tenantId}/{environment}/api/{apiVersion}/`. */
  baseUrl: string;
  /** Token endpoint: `{authorityHost}/{tenantId}/oauth2/v2.0/token`. */
  tokenUrl: string;
}

/** Builds the service root and token URL from the options, validating every part. */
export function resolveEndpoints(options: BusinessCentralClientOptions): BusinessCentralEndpoints {
  const tenantId = assertPathSegment(options.tenantId, 'tenantId', 'contoso.onmicrosoft.com');
  const environment = assertPathSegment(options.environment, 'environment', 'Production');
  const apiVersion = assertPathSegment(options.apiVersion ?? BUSINESS_CENTRAL_DEFAULTS.apiVersion, 'apiVersion', 'v2.0');
  const apiHost = checkHost(options.apiHost ?? BUSINESS_CENTRAL_DEFAULTS.apiHost, 'apiHost', options.allowLoopback ?? false);
  const authorityHost = checkHost(options.authorityHost ?? BUSINESS_CENTRAL_DEFAULTS.authorityHost, 'authorityHost', options.allowLoopback ?? false);
  const enc = encodeURIComponent;
  return {
    baseUrl: `${apiHost}/v2.0/${enc(tenantId)}/${enc(environment)}/api/${enc(apiVersion)}/`,
    tokenUrl: `${authorityHost}/${enc(tenantId)}/oauth2/v2.0/token`,
  };
}
