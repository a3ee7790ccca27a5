/**
 * `@ml-connector/core`: the system-agnostic transport and building blocks every ml-connector connector
 * uses. Each module barrel (`./errors`, `./http`, …) exports a curated, named list; this file names every
 * public export once more, so a new export is a deliberate change here and in `etc/core.api.md`.
 *
 * @packageDocumentation
 */
export {
  ConnectorError, type ConnectorErrorOptions, InvalidInputError, type RetryRecord, type HttpErrorInit, HttpError,
  AuthenticationError, PermissionError, NotFoundError, ConflictError, ValidationError, RateLimitError, ServerError,
  NetworkError, OutcomeUnknownError, AbortError, ResponseValidationError, isConnectorError, isInvalidInputError,
  isHttpError, isAuthenticationError, isPermissionError, isNotFoundError, isConflictError, isValidationError,
  isRateLimitError, isServerError, isNetworkError, isOutcomeUnknownError, isAbortError, isResponseValidationError,
  hasErrorKind, type VendorError, parseVendorError, type ErrorResponseInfo, errorFromResponse, REDACTED, redactUrl,
  redactHeaders, redactValue, redactText, secretHeaderValues, isSecretUrlParamName,
} from './errors/index.js';
export { type Logger, type LogFn, silentLogger } from './logging/index.js';
export {
  type AccessToken, type GetTokenOptions, type TokenProvider, type BasicCredentials, type Credential, isTokenProvider,
  basicAuthorization, type HostValidationOptions, validateTenantHost, validateBaseUrl, type CachedToken,
  type TokenCache, createTokenCache, type SecretSource, type TokenProviderBaseOptions, MISSING_EXPIRES_IN_LIFETIME_MS,
  type ClientAssertionOptions, type ClientSecretCredentialsOptions, type ClientCertificateCredentialsOptions,
  type ClientCredentialsProviderOptions, createClientCredentialsProvider, type RefreshTokenStore, type RefreshLock,
  type RefreshTokenProviderOptions, RefreshTokenPersistError, createRefreshTokenProvider, type KeyValueStore,
  type VaultKey, type VaultKeyEntry, type CredentialVaultOptions, type CredentialVault, type CredentialVaultErrorCode,
  CredentialVaultError, isCredentialVaultError, createCredentialVault, createMemoryKeyValueStore,
  vaultRefreshTokenStore, vaultSecret,
} from './auth/index.js';
export {
  type HttpMethod, type ResponseType, type ReplayableBody, type PipelineRequest, type RequestContext,
  type CallRetryOptions, type PipelineResponse, type SendRequest, type PipelinePolicy, type Pipeline,
  type AddPolicyOptions, type ReadonlyPipeline, createPipeline, parseRetryAfter, type PollOptions, type PollResult,
  pollUntil, type RetryBudget, type RetryBudgetOptions,
  createRetryBudget, type RateLimiter, type RateLimitPermit, type RateLimitDenial, type AcquireOptions, type PermitOutcome, type AdaptiveThrottle,
  type AdaptiveThrottleOptions, type ThrottleState, createAdaptiveThrottle, type RetryOptions, type RetryReason,
  type RetryEvent, retryPolicyName, throttlePolicyName, authPolicyName, requestIdPolicyName, logPolicyName,
  type HttpClient, type HttpClientOptions, type HttpResponse, type RequestOptions, type QueryInput, createHttpClient,
  type ConnectorTransportOptions, type ConnectorTransportDefaults, type ConnectorHttpClientOptions, connectorHttpClientOptions,
} from './http/index.js';
export {
  EdmLiteral, isEdmLiteral, type ODataValue, type ODataDialect, type ODataDialectOptions, edm, formatLiteral, type KeyValue, type EntityKey, formatKeyPredicate,
  appendKeyPredicate, type Scalar, type Countdown, type PropertyPath, type PropertyType, type PropertyPathOfType,
  type NavigationProperty, type RelatedEntity, type FilterExpression, type FilterOperand, type FilterValue,
  type FilterComparison, type ComparableLiteral, type StringSource, type SearchText, type FilterBuilder, odataFilter,
  rawFilter, type SortDirection, type FilterInput, type QueryParamValue, type ODataQueryBuilder, odataQuery,
  type OrderByItem, type ODataExpandInput, type ODataExpandOptions, type ODataQueryOptions, buildODataQuery,
  DEFAULT_MAX_URL_LENGTH, type ChunkedKeyFiltersOptions, chunkedKeyFilters, MAX_BATCH_OPERATIONS, type BatchMethod, type BatchRequest, type BatchOperationResult, chunkBatchRequests,
  type JsonBatchRequest, type JsonBatchOperation, type JsonBatchOptions, type JsonBatch,
  type JsonBatchOperationResult, buildJsonBatch, parseJsonBatchResponse, type MultipartBatchRequest,
  type MultipartChangeset, type MultipartBatchPart, type MultipartBatchOptions, type MultipartBatch,
  type MultipartOperationResponse, type MultipartBatchResponsePart, type MultipartBatchOperationResult,
  buildMultipartBatch, parseMultipartBatchResponse, matchMultipartBatchResponse, BatchOperationNotExecutedError,
  isBatchOperationNotExecutedError,
} from './odata/index.js';
export {
  type Page, type PageRequest, type PageSource, type PageSettings, type ToArrayOptions, type PaginateOptions,
  type PagedAsyncIterable, paginate, PagingLoopError, type PagingLoopReason, isPagingLoopError, type ODataPageRequest,
  type ODataCollectionPage, odataNextLink, type OffsetPageRequest, type OffsetLimitResponse, offsetLimitHasMore,
  type StartAtPageRequest, type StartAtResponse, startAtTotRecords, type PageTokenRequest, type PageTokenResponse,
  nextPageTokenIsLast,
} from './paging/index.js';
export {
  type WebhookVerificationReason, WebhookVerificationError, isWebhookVerificationError, type RawPayload,
  type HmacSecret, type SignedContentBuilder, type HmacSigningOptions, type SignatureHeaderOptions,
  type HmacVerificationOptions, type WebhookVerificationResult, signHmac, createSignatureHeader, verifyHmacSignature,
  checkHmacSignature,
} from './webhooks/index.js';
