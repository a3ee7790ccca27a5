import { randomUUID } from 'node:crypto';
import type { ZodType } from 'zod';
import { type Credential, isTokenProvider, validateBaseUrl } from '../auth/index.js';
import {
  type HttpError,
  InvalidInputError,
  OutcomeUnknownError,
  ResponseValidationError,
  errorFromResponse,
  redactUrl,
  secretHeaderValues,
} from '../errors/index.js';
import { type Logger, silentLogger } from '../logging/index.js';
import { type AdaptiveThrottleOptions, type RateLimiter, createAdaptiveThrottle } from './adaptive-throttle.js';
import { type Pipeline, type ReadonlyPipeline, createPipeline, readonlyView } from './pipeline.js';
import { authPolicy } from './policies/auth.js';
import { logPolicy } from './policies/log.js';
import { requestIdPolicy } from './policies/request-id.js';
import { DEFAULT_RETRY_OPTIONS, type RetryEvent, type RetryOptions, callMaxRetryAfterMs, resolveRetryOptions, retryPolicy } from './policies/retry.js';
import { throttlePolicy } from './policies/throttle.js';
import { parseRetryAfter } from './retry-after.js';
import { type RetryBudget, createRetryBudget } from './retry-budget.js';
import { checkDuration } from './timers.js';
import { createKyTransport } from './transport.js';
import type { PipelinePolicy } from './types.js';
import type { CallRetryOptions, HttpMethod, PipelineRequest, PipelineResponse, ReplayableBody, RequestContext, ResponseType, SendRequest } from './types.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
import type { RetryRecord } from '../errors/index.js';

/** Options of {@link createHttpClient}. Only `baseUrl` is required. */
export interface HttpClientOptions {
  /** Service root, e.g. `https://api.businesscentral.dynamics.com/v2.0/{tenant}/Production/api/v2.0/`. https only. */
  baseUrl: string | URL;
  /** Accept a loopback `baseUrl` over http (emulators and tests). Default `false`. */
  allowLoopback?: boolean;
  /** Bearer token provider or Basic credentials. */
  auth?: Credential;
  /** Headers sent with every request (e.g. `Accept`, vendor version headers). */
  headers?: Record<string, string>;
  /** Timeout of each attempt in ms, response body included. Default 30,000; at most 2^31-1. */
  timeoutMs?: number;
  /** Retry settings, or `false` for no retries. */
  retry?: Partial<RetryOptions> | false;
  /** Retry quota shared by this client's calls (and clones). Default: a new budget; `false` disables it. */
  retryBudget?: RetryBudget | false;
  /**
   * Client-side throttling: options for a new adaptive throttle, a shared {@link RateLimiter} (so several
   * clients of one identity share one budget), or `false`. Default: a new adaptive throttle.
   */
  throttle?: AdaptiveThrottleOptions | RateLimiter | false;
  /** Key of the throttle budget. Default `host|identity` (identity from the token provider or Basic user). */
  throttleKey?: string;
  /** pino-compatible logger. Default: silent. */
  logger?: Logger;
  /** Called before every retry with the reason and delay. */
  onRetry?: (event: RetryEvent) => void;
  /** Header carrying the client request id. Default `x-request-id`; Microsoft APIs use `x-ms-client-request-id`. */
  requestIdHeader?: string;
  /** Generates client request ids. Default `crypto.randomUUID`. */
  createRequestId?: () => string;
  /** `fetch` implementation (e.g. an emulator's in-process fetch). Default: global fetch. */
  fetch?: typeof fetch;
}

/** Query parameters: a record (undefined values are skipped), `URLSearchParams` or a ready query string. */
export type QueryInput = Record<string, string | number | boolean | undefined> | URLSearchParams | string;

/** Options of one call. */
export interface RequestOptions<T = unknown> {
  /** HTTP method. Default `GET`. */
  method?: HttpMethod;
  /** Path relative to `baseUrl`, or an absolute URL on the same origin (e.g. an `@odata.nextLink`). */
  path: string;
  /** Query parameters, appended to any already in `path`. */
  query?: QueryInput;
  /** Extra headers for this call. */
  headers?: Record<string, string>;
  /** JSON body (serialized once; sets `content-type: application/json`). */
  json?: unknown;
  /** Raw body; use `json` for JSON. */
  body?: ReplayableBody;
  /** Cancels the call, including waits between retries. */
  signal?: AbortSignal;
  /** Attempt timeout for this call, in ms, response body included. At most 2^31-1. */
  timeoutMs?: number;
  /** Override whether the call may be repeated safely. Default: true for GET, HEAD, OPTIONS, PUT, DELETE. */
  idempotent?: boolean;
  /** How to read the body. Default `json`. */
  responseType?: ResponseType;
  /** zod schema the body must satisfy; the parsed value becomes `data`. */
  schema?: ZodType<T>;
  /** Name of the operation for logs, e.g. `vendors.list`. */
  operation?: string;
  /** Retry overrides for this call, or `false` for no retries (e.g. a health check). */
  retry?: false | Partial<CallRetryOptions>;
}

/** A successful response. */
export interface HttpResponse<T> {
  /** HTTP status (2xx or 3xx). */
  status: number;
  /** Response headers. */
  headers: Headers;
  /** Parsed (and, with `schema`, validated) body. */
  data: T;
  /** Client request id of the call. */
  requestId: string;
  /** Retry decisions taken during the call. */
  retries: readonly RetryRecord[];
}

/** The transport every connector uses. Create it with {@link createHttpClient}. */
export interface HttpClient {
  /** Sends a request and returns the response, or throws a typed {@link HttpError}. */
  request<T = unknown>(options: RequestOptions<T>): Promise<HttpResponse<T>>;
  /** GET and return the body. */
  get<T = unknown>(path: string, options?: Omit<RequestOptions<T>, 'path' | 'method'>): Promise<T>;
  /** POST and return the body. */
  post<T = unknown>(path: string, options?: Omit<RequestOptions<T>, 'path' | 'method'>): Promise<T>;
  /** PATCH and return the body. */
  patch<T = unknown>(path: string, options?: Omit<RequestOptions<T>, 'path' | 'method'>): Promise<T>;
  /** PUT and return the body. */
  put<T = unknown>(path: string, options?: Omit<RequestOptions<T>, 'path' | 'method'>): Promise<T>;
  /** DELETE and return the body. */
  delete<T = unknown>(path: string, options?: Omit<RequestOptions<T>, 'path' | 'method'>): Promise<T>;
  /**
   * The policies this client runs, outermost first: a read-only view. To change them, `clone()` it, edit the
   * copy and pass it to {@link HttpClient.withPipeline}; the client itself never changes.
   */
  readonly pipeline: ReadonlyPipeline;
  /** The normalised base URL. */
  readonly baseUrl: string;
  /** A client with the same settings and shared budgets but running `pipeline` (copied: later edits do not leak in). */
  withPipeline(pipeline: ReadonlyPipeline): HttpClient;
  /**
   * A client with some options changed; unchanged budgets, throttle and token provider are shared. Custom
   * policies (from `withPipeline`) are kept in place; the built-in ones are rebuilt from the new options.
   */
  extend(options: Partial<HttpClientOptions>): HttpClient;
}

const IDEMPOTENT_METHODS = new Set<HttpMethod>(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
/** Statuses after which a write's outcome is unknown: the server or a gateway may have processed it. */
const UNKNOWN_OUTCOME_STATUSES = new Set([408, 502, 504]);
const SERVER_REQUEST_ID_HEADERS = ['request-id', 'x-ms-request-id', 'x-request-id', 'x-correlation-id', 'atl-traceid'];

function identityOf(auth: Credential | undefined): string {
  if (!auth) return 'anonymous';
  return isTokenProvider(auth) ? auth.identity : `basic:${auth.username}`;
}

function appendQuery(url: URL, query: QueryInput | undefined): void {
  if (query === undefined) return;
  const params = new URLSearchParams(url.search);
  const before = params.size;
  if (typeof query === 'string') {
    for (const [k, v] of new URLSearchParams(query.startsWith('?') ? query.slice(1) : query)) params.append(k, v);
  } else if (query instanceof URLSearchParams) {
    for (const [k, v] of query) params.append(k, v);
  } else {
    for (const k in query) {
      const v = query[k];
      if (v !== undefined) params.append(k, String(v));
    }
  }
  // One assignment (appending to url.searchParams re-serialises the URL each time); none leaves a next link untouched.
  if (params.size > before) url.search = params.toString();
}

/**
 * Creates the transport client: one pipeline of named steps (request id → log → retry → throttle → auth)
 * over ky. Connectors build their clients on it and never import ky themselves.
 *
 * Example:
 *
 * {@includeCode ../../examples/transport.ts#createHttpClient}
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const resolved = resolveClientOptions(options);
  return buildClient(resolved, createPipeline(resolved.standard), createKyTransport(options.fetch));
}

/** Options after validation, with budgets and throttle created once so that clones and extensions share them. */
interface ResolvedClient {
  options: HttpClientOptions;
  baseUrl: string;
  timeoutMs: number;
  /** The built-in policies for these options, in their default order. */
  standard: readonly PipelinePolicy[];
}

function resolveClientOptions(options: HttpClientOptions): ResolvedClient {
  const baseUrl = validateBaseUrl(String(options.baseUrl), { allowLoopback: options.allowLoopback, allowHttp: options.allowLoopback });
  const timeoutMs = checkDuration(options.timeoutMs ?? 30_000, 'timeoutMs', 1);
  const retry = options.retry === false ? undefined : resolveRetryOptions(options.retry ?? {});
  const logger = options.logger ?? silentLogger;
  const budget = options.retryBudget === false ? undefined : (options.retryBudget ?? createRetryBudget());
  const limiter =
    options.throttle === false
      ? undefined
      : options.throttle && 'acquire' in options.throttle
        ? options.throttle
        : createAdaptiveThrottle(options.throttle ?? {});
  const identity = identityOf(options.auth);
  const keyOf = (request: PipelineRequest) => options.throttleKey ?? `${request.url.host}|${identity}`;
  const clientMaxRetryAfterMs = retry?.maxRetryAfterMs ?? DEFAULT_RETRY_OPTIONS.maxRetryAfterMs;

  // Order: requestId → retry → log (one line per attempt) → throttle (one permit per attempt) → auth.
  const standard: PipelinePolicy[] = [requestIdPolicy(options.requestIdHeader)];
  if (retry) standard.push(retryPolicy(retry, { budget, logger, ...(options.onRetry ? { onRetry: options.onRetry } : {}) }));
  standard.push(logPolicy(logger));
  if (limiter) standard.push(throttlePolicy(limiter, keyOf, (request) => callMaxRetryAfterMs(request, clientMaxRetryAfterMs)));
  if (options.auth) standard.push(authPolicy(options.auth));

  return { options: { ...options, retryBudget: budget ?? false, throttle: limiter ?? false }, baseUrl, timeoutMs, standard };
}

/**
 * Carries a customised pipeline over to rebuilt built-in policies: built-ins are swapped for their new
 * versions (or dropped when the new options disable them), custom policies keep their place, and built-ins
 * the new options enable go to their default position.
 */
function carryCustomPolicies(
  current: readonly PipelinePolicy[],
  oldStandard: readonly PipelinePolicy[],
  newStandard: readonly PipelinePolicy[],
): PipelinePolicy[] {
  const result: PipelinePolicy[] = [];
  for (const policy of current) {
    if (!oldStandard.includes(policy)) result.push(policy);
    else {
      const rebuilt = newStandard.find((p) => p.name === policy.name);
      if (rebuilt) result.push(rebuilt);
    }
  }
  newStandard.forEach((policy, i) => {
    if (oldStandard.some((p) => p.name === policy.name) || result.some((p) => p.name === policy.name)) return;
    let at = 0;
    for (let j = i - 1; j >= 0 && at === 0; j--) at = result.findIndex((p) => p.name === newStandard[j]?.name) + 1;
    result.splice(at, 0, policy);
  });
  return result;
}

function buildClient(resolved: ResolvedClient, pipeline: Pipeline, transport: SendRequest): HttpClient {
  const { options, baseUrl, timeoutMs } = resolved;
  const origin = new URL(baseUrl).origin;
  const defaultHeaders = new Headers({ accept: 'application/json', ...options.headers });
  const createRequestId = options.createRequestId ?? randomUUID;
  const view = readonlyView(pipeline);

  const resolveUrl = (path: string): URL => {
    const url = new URL(path, baseUrl);
    if (url.origin !== origin) {
      // Never send credentials to another host, even if a server-provided next link points there.
      throw new InvalidInputError(`Refusing to send a request to ${redactUrl(url)}: it is not on ${origin}`, { field: 'path' });
    }
    return url;
  };

  async function request<T>(o: RequestOptions<T>): Promise<HttpResponse<T>> {
    const method = (o.method ?? 'GET').toUpperCase() as HttpMethod;
    const url = resolveUrl(o.path);
    appendQuery(url, o.query);
    const headers = new Headers(defaultHeaders);
    if (o.headers) for (const k in o.headers) if (Object.hasOwn(o.headers, k)) headers.set(k, o.headers[k] as string);
    let body = o.body;
    if (o.json !== undefined) {
      body = JSON.stringify(o.json);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    }
    const callTimeoutMs = o.timeoutMs === undefined ? timeoutMs : checkDuration(o.timeoutMs, 'timeoutMs', 1);
    if (o.retry) checkCallRetry(o.retry);
    // Optional fields are assigned only when present (as before), without a temporary object per field.
    const context: Mutable<RequestContext> = { attempt: 1, retries: [] };
    if (o.operation) context.operation = o.operation;
    if (o.retry !== undefined) context.retry = o.retry;
    const pipelineRequest: Mutable<PipelineRequest> = {
      method,
      url,
      headers,
      timeoutMs: callTimeoutMs,
      requestId: createRequestId(),
      idempotent: o.idempotent ?? IDEMPOTENT_METHODS.has(method),
      responseType: o.responseType ?? 'json',
      context,
    };
    if (body !== undefined) pipelineRequest.body = body;
    if (o.signal) pipelineRequest.signal = o.signal;
    const response = await pipeline.sendRequest(pipelineRequest, transport);
    if (response.status >= 400) throw errorForResponse(pipelineRequest, response);
    let data = response.body as T;
    if (o.schema) {
      const parsed = o.schema.safeParse(response.body);
      if (!parsed.success) {
        const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
        throw new ResponseValidationError(
          `Response of ${method} ${redactUrl(url)} does not match the expected shape (${issues.join('; ')})`,
          { details: { requestId: pipelineRequest.requestId, issues } },
        );
      }
      data = parsed.data;
    }
    return { status: response.status, headers: response.headers, data, requestId: pipelineRequest.requestId, retries: pipelineRequest.context.retries };
  }

  const shorthand =
    (method: HttpMethod) =>
    async <T>(path: string, rest: Omit<RequestOptions<T>, 'path' | 'method'> = {}): Promise<T> =>
      (await request<T>({ ...rest, path, method })).data;

  return {
    request,
    get: shorthand('GET'),
    post: shorthand('POST'),
    patch: shorthand('PATCH'),
    put: shorthand('PUT'),
    delete: shorthand('DELETE'),
    pipeline: view,
    baseUrl,
    withPipeline: (next) => buildClient(resolved, next.clone(), transport),
    extend: (changes) => {
      const next = resolveClientOptions({ ...options, ...changes });
      const policies = carryCustomPolicies(pipeline.getOrderedPolicies(), resolved.standard, next.standard);
      const nextTransport = 'fetch' in changes ? createKyTransport(next.options.fetch) : transport;
      return buildClient(next, createPipeline(policies), nextTransport);
    },
  };
}

function checkCallRetry(retry: Partial<CallRetryOptions>): void {
  if (retry.maxRetries !== undefined && !(Number.isInteger(retry.maxRetries) && retry.maxRetries >= 0)) {
    throw new InvalidInputError(`retry.maxRetries must be a whole number of at least 0, got ${String(retry.maxRetries)}`, {
      field: 'retry.maxRetries',
    });
  }
  if (retry.maxRetryAfterMs !== undefined) checkDuration(retry.maxRetryAfterMs, 'retry.maxRetryAfterMs');
}

/** Maps a final non-success response to a typed error; writes answered 408/502/504 have an unknown outcome. */
function errorForResponse(request: PipelineRequest, response: PipelineResponse): HttpError {
  const serverRequestId = SERVER_REQUEST_ID_HEADERS.map((h) => response.headers.get(h)).find((v) => v !== null);
  const retryAfterMs = parseRetryAfter(response.headers);
  const init = {
    status: response.status,
    method: request.method,
    url: request.url,
    requestId: serverRequestId ? `${request.requestId} (server ${serverRequestId})` : request.requestId,
    retries: request.context.retries,
    body: response.body,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    // The credentials this attempt sent: a server that echoes them must not put them in the error.
    secrets: secretHeaderValues(response.request.headers),
  };
  if (!request.idempotent && UNKNOWN_OUTCOME_STATUSES.has(response.status)) {
    return new OutcomeUnknownError(
      `The server answered ${response.status}; this write may or may not have been processed. Look the record up by its natural key before retrying`,
      { ...init, data: response.body },
    );
  }
  return errorFromResponse(init);
}
