import {
  type AdaptiveThrottleOptions,
  type ClientAssertionOptions,
  type ConnectorTransportOptions,
  InvalidInputError,
  type RateLimiter,
  type SecretSource,
  type TokenCache,
  type TokenProvider,
  validateTenantHost,
} from '@ml-connector/core';

/** Defaults of {@link OracleFusionClientOptions}. */
export const ORACLE_FUSION_DEFAULTS = Object.freeze({
  /** REST resource version segment. */
  version: '11.13.18.05',
  /**
   * `REST-Framework-Version` header. 2 is the lowest version with the expression `q` syntax this client builds;
   * 3+ nests children as collections (the client accepts both shapes).
   */
  frameworkVersion: '2',
  /** Page size (`limit`). Oracle's default is 25; 500 is the documented export batch size (global max UNCONFIRMED). */
  pageSize: 100,
  /** Largest `limit` the client sends. */
  maxPageSize: 500,
  /** Attempt timeout in ms. */
  timeoutMs: 60_000,
  /**
   * Client-side throttle: Oracle publishes no limits for Fusion REST (UNCONFIRMED whether 429s occur), so this is
   * a polite default, not a documented quota.
   */
  throttle: Object.freeze({ initialConcurrency: 4, maxConcurrency: 8, maxRequestsPerSecond: 20 }),
});

/** OAuth client credentials against the OCI IAM Identity Domain, with the client secret. */
export interface OracleFusionSecretCredentials {
  /** Client id of the confidential application in the Identity Domain. */
  clientId: string;
  /** Client secret or a function returning it (vault). Never logged. */
  clientSecret: SecretSource;
  /** Not with a secret. */
  clientAssertion?: never;
  /** Not with OAuth. */
  username?: never;
}

/** OAuth client credentials authenticated with a signed JWT client assertion (private key JWT). */
export interface OracleFusionAssertionCredentials {
  /** Client id of the confidential application. */
  clientId: string;
  /** Key and algorithm; the application must trust the certificate. */
  clientAssertion: ClientAssertionOptions;
  /** Not with an assertion. */
  clientSecret?: never;
  /** Not with OAuth. */
  username?: never;
}

/** HTTP Basic auth with a Fusion user, as many customers integrate. */
export interface OracleFusionBasicCredentials {
  /** Fusion user name (an integration user). */
  username: string;
  /** Password. Never logged. */
  password: string;
  /** Not with Basic auth. */
  clientId?: never;
}

/** Credentials a client accepts. */
export type OracleFusionCredentials = OracleFusionSecretCredentials | OracleFusionAssertionCredentials | OracleFusionBasicCredentials;

/** Options of `createOracleFusionClient`. */
export interface OracleFusionClientOptions extends Omit<ConnectorTransportOptions, 'createRequestId'> {
  /** The pod host, e.g. `acme.fa.us2.oraclecloud.com` (or `https://…`). */
  host: string;
  /** REST resource version. Default `11.13.18.05`. */
  version?: string;
  /**
   * OCI IAM Identity Domain URL, e.g. `https://idcs-abc123.identity.oraclecloud.com`; the token endpoint is
   * `{identityDomainUrl}/oauth2/v1/token`. Required for OAuth credentials.
   */
  identityDomainUrl?: string;
  /**
   * OAuth scope for Fusion. Customer specific; commonly `urn:opc:resource:fa:instanceid={id}urn:opc:resource:consumer::all`
   * (format UNCONFIRMED). Required for OAuth credentials.
   */
  scope?: string;
  /**
   * How the client secret is sent to the token endpoint: `basic` (Authorization header, Oracle's documented form)
   * or `body`. Default `basic`.
   */
  clientAuthentication?: 'basic' | 'body';
  /** OAuth client credentials, JWT assertion, or Basic user/password. Required unless `tokenProvider` is given. */
  credentials?: OracleFusionCredentials;
  /** A ready token provider (e.g. shared between clients); replaces `credentials`. */
  tokenProvider?: TokenProvider;
  /** `REST-Framework-Version` sent on every call. Default `2`. */
  frameworkVersion?: string;
  /** Token cache shared between providers of the same application. */
  tokenCache?: TokenCache;
  /** Refresh tokens this many ms before expiry (proactive refresh). Default core's. */
  refreshWindowMs?: number;
  /** Throttle options, a shared limiter, or `false`. Default `ORACLE_FUSION_DEFAULTS.throttle` (4–8 concurrent, 20/s). */
  throttle?: AdaptiveThrottleOptions | RateLimiter | false;
  /** Attempt timeout in ms. Default 60,000. */
  timeoutMs?: number;
}

/** Resolved URLs of one client. */
export interface OracleFusionEndpoints {
  /** `https://{host}/fscmRestApi/resources/{version}/`. */
  baseUrl: string;
  /** `{identityDomainUrl}/oauth2/v1/token`, when an Identity Domain is configured. */
  tokenUrl: string | undefined;
}

const VERSION = /^(?:\d+(?:\.\d+)*|latest)$/;

/** Builds the REST base URL and token URL, validating each part. */
export function resolveEndpoints(options: Pick<OracleFusionClientOptions, 'host' | 'version' | 'identityDomainUrl' | 'allowLoopback'>): OracleFusionEndpoints {
  if (typeof options.host !== 'string' || options.host.trim() === '') {
    throw new InvalidInputError('host is required: the Fusion pod host, e.g. "acme.fa.us2.oraclecloud.com"', { field: 'host' });
  }
  const version = options.version ?? ORACLE_FUSION_DEFAULTS.version;
  if (typeof version !== 'string' || !VERSION.test(version)) {
    throw new InvalidInputError(`version must look like "11.13.18.05" (or "latest"); got ${JSON.stringify(version)}`, { field: 'version' });
  }
  const hostOptions = { allowLoopback: options.allowLoopback, allowHttp: options.allowLoopback };
  const origin = validateTenantHost(options.host, { ...hostOptions, field: 'host' });
  const tokenUrl =
    options.identityDomainUrl === undefined
      ? undefined
      : `${validateTenantHost(options.identityDomainUrl, { ...hostOptions, field: 'identityDomainUrl' })}/oauth2/v1/token`;
  return { baseUrl: `${origin}/fscmRestApi/resources/${version}/`, tokenUrl };
}
