import type { RetryRecord } from '../errors/index.js';

/** HTTP methods the transport sends. */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/** How the transport reads a response body. */
export type ResponseType = 'json' | 'text' | 'bytes';

/** Bodies the transport can send more than once (retries re-send the same bytes). */
export type ReplayableBody = string | Uint8Array | URLSearchParams;

/** One request as it travels through the pipeline. Policies pass modified copies down, never mutate. */
export interface PipelineRequest {
  /** Upper-case HTTP method. */
  readonly method: HttpMethod;
  /** Absolute request URL. */
  readonly url: URL;
  /** Request headers. Copy before changing (`new Headers(request.headers)`). */
  readonly headers: Headers;
  /** Serialized, replayable body. */
  readonly body?: ReplayableBody;
  /** Caller's cancellation signal for the whole call, across retries. */
  readonly signal?: AbortSignal;
  /** Timeout of each attempt, in milliseconds. */
  readonly timeoutMs: number;
  /** Client request id, sent as a header and recorded on errors. */
  readonly requestId: string;
  /**
   * True when sending the request twice has the same effect as once. Only such requests are retried when
   * the outcome of an attempt is unknown (timeout, reset after sending). Default: GET, HEAD, OPTIONS, PUT, DELETE.
   */
  readonly idempotent: boolean;
  /** How to read the response body. */
  readonly responseType: ResponseType;
  /** Per-call state shared by all policies (attempt number, retry history). */
  readonly context: RequestContext;
}

/** Mutable per-call state shared by the policies of one call. */
export interface RequestContext {
  /** 1-based number of the current attempt. */
  attempt: number;
  /** Retry decisions taken so far. */
  readonly retries: RetryRecord[];
  /** Free-form operation name for logs, e.g. `vendors.list`. */
  readonly operation?: string;
  /** Per-call retry overrides (`false` disables retries for this call). */
  readonly retry?: false | Readonly<Partial<CallRetryOptions>>;
}

/** Retry settings that can be changed for a single call. */
export interface CallRetryOptions {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Longest server-requested wait to sleep through, in ms. */
  maxRetryAfterMs: number;
}

/** A response as returned through the pipeline, body already read. */
export interface PipelineResponse {
  /** HTTP status. */
  readonly status: number;
  /** Response headers. */
  readonly headers: Headers;
  /** Parsed body: JSON value, text, bytes, or `undefined` when empty. */
  readonly body: unknown;
  /** The request that produced this response (the final attempt). */
  readonly request: PipelineRequest;
}

/** Sends a request to the next step of the pipeline. */
export type SendRequest = (request: PipelineRequest) => Promise<PipelineResponse>;

/** One named step of the pipeline. */
export interface PipelinePolicy {
  /** Unique name, used to order, find and remove the policy. */
  readonly name: string;
  /** Handles the request, usually by calling `next` and inspecting or retrying its outcome. */
  sendRequest(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse>;
}
