import {
  ConnectorError,
  errorFromResponse,
  hasErrorKind,
  InvalidInputError,
  OutcomeUnknownError,
  ResponseValidationError,
} from '../errors/index.js';

/** Business Central (and the OData JSON batch format) accept at most this many operations per `$batch`. */
export const MAX_BATCH_OPERATIONS = 100;

/** HTTP methods allowed inside an OData `$batch`. */
export type BatchMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One operation inside a `$batch`, with its URL relative to the service root (e.g. `companies(…)/customers`). */
export interface BatchRequest {
  /** HTTP method of the operation. */
  method: BatchMethod;
  /** URL relative to the service root; build it with `appendKeyPredicate` and `odataQuery().toUrl()`. */
  url: string;
  /** Operation headers such as `If-Match`; `Content-Type: application/json` is added for bodies. */
  headers?: Readonly<Record<string, string>>;
  /** Payload: objects are sent as JSON, strings verbatim. */
  body?: unknown;
}

/** The outcome of one batch operation, matched to the request that caused it. */
export interface BatchOperationResult<Request> {
  /** The operation this result belongs to. */
  request: Request;
  /** HTTP status of the operation, or `undefined` when the server sent no response for it. */
  status: number | undefined;
  /** Response headers, names in lower case. */
  headers: Record<string, string>;
  /** Parsed JSON body, raw text for other content, `undefined` when empty or missing. */
  body: unknown;
  /** True for a 2xx status. */
  ok: boolean;
  /**
   * Why the operation failed: the typed `HttpError` for its status, `OutcomeUnknownError` when a write got no
   * response (check before retrying), `ResponseValidationError` when a read got none.
   */
  error: ConnectorError | undefined;
}

const METHODS: ReadonlySet<string> = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
const HEADER_NAME_PATTERN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE_FORBIDDEN = /[\r\n\0]/;

/**
 * Splits operations into batches of at most `size` (default and maximum 100), in order. Operations linked by
 * `dependsOn`, `atomicityGroup` or Content-ID references must land in the same batch, so group them first.
 */
export function chunkBatchRequests<T>(requests: readonly T[], size = MAX_BATCH_OPERATIONS): T[][] {
  if (!Number.isSafeInteger(size) || size < 1 || size > MAX_BATCH_OPERATIONS) {
    throw new InvalidInputError(`Batch size must be an integer from 1 to ${MAX_BATCH_OPERATIONS}, got ${String(size)}`, {
      field: 'size',
    });
  }
  const batches: T[][] = [];
  for (let start = 0; start < requests.length; start += size) batches.push(requests.slice(start, start + size));
  return batches;
}

/** Validates method, URL and headers, so nothing can break the batch framing or smuggle extra headers. */
export function assertBatchRequest(request: BatchRequest, field: string, requireRelativeUrl: boolean): void {
  if (typeof request !== 'object' || request === null) {
    throw new InvalidInputError(`${field} must be an object with method and url`, { field });
  }
  if (!METHODS.has(request.method)) {
    throw new InvalidInputError(`${field}.method must be one of ${[...METHODS].join(', ')}, got ${String(request.method)}`, {
      field: `${field}.method`,
    });
  }
  if (typeof request.url !== 'string' || request.url === '' || /\s/.test(request.url)) {
    throw new InvalidInputError(`${field}.url must be a non-empty URL without spaces or line breaks; percent-encode them`, {
      field: `${field}.url`,
    });
  }
  if (requireRelativeUrl && /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(request.url)) {
    throw new InvalidInputError(`${field}.url must be relative to the service root, e.g. "companies(…)/customers"`, {
      field: `${field}.url`,
    });
  }
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (!HEADER_NAME_PATTERN.test(name) || typeof value !== 'string' || HEADER_VALUE_FORBIDDEN.test(value)) {
      throw new InvalidInputError(`${field}.headers["${name}"] must be a valid header name with a string value without line breaks`, {
        field: `${field}.headers`,
      });
    }
  }
}

/** True when `headers` already names `name`, compared case-insensitively as HTTP requires. */
export function hasHeader(headers: Readonly<Record<string, string>> | undefined, name: string): boolean {
  return Object.keys(headers ?? {}).some((key) => key.toLowerCase() === name.toLowerCase());
}

/** Builds the result for a received operation response, attaching the typed error for non-2xx statuses. */
export function receivedResult<Request extends BatchRequest>(
  request: Request,
  status: number,
  headers: Record<string, string>,
  body: unknown,
): BatchOperationResult<Request> {
  const ok = status >= 200 && status < 300;
  const error = ok
    ? undefined
    : errorFromResponse({ status, method: request.method, url: request.url, body, requestId: headers['x-ms-request-id'] });
  return { request, status, headers, body, ok, error };
}

/** Builds the explicit failure result for an operation the server sent no response for. */
export function missingResult<Request extends BatchRequest>(request: Request, label: string): BatchOperationResult<Request> {
  const message = `The batch response has no result for operation ${label}`;
  const error =
    request.method === 'GET'
      ? new ResponseValidationError(`${message}; send it again`)
      : new OutcomeUnknownError(`${message}; look the record up before sending it again`, { method: request.method, url: request.url });
  return { request, status: undefined, headers: {}, body: undefined, ok: false, error };
}

/**
 * A batch operation the server never ran: an earlier operation of the batch failed and the batch was sent
 * without `Prefer: odata.continue-on-error`, so the server stopped there (OData 4.01 §11.7.7). Unlike
 * `OutcomeUnknownError`, nothing happened: the operation can be sent again as it is.
 */
export class BatchOperationNotExecutedError extends ConnectorError {
  /** Literal class name, kept under minification. */
  static override readonly kind: string = 'BatchOperationNotExecutedError';
  constructor(message: string) {
    super(message, 'BATCH_NOT_EXECUTED');
  }
}

/** True for {@link BatchOperationNotExecutedError}, from any installed copy of the package. */
export const isBatchOperationNotExecutedError = (e: unknown): e is BatchOperationNotExecutedError =>
  hasErrorKind(e, 'BatchOperationNotExecutedError');

/** Builds the result of an operation the server skipped after an earlier failure (stop-on-error). */
export function notExecutedResult<Request extends BatchRequest>(request: Request, label: string): BatchOperationResult<Request> {
  const error = new BatchOperationNotExecutedError(
    `Operation ${label} was not executed: an earlier operation of the batch failed and the server stopped processing it; send it again once the failure is fixed`,
  );
  return { request, status: undefined, headers: {}, body: undefined, ok: false, error };
}
