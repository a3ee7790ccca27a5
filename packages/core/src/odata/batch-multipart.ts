import { randomUUID } from 'node:crypto';
import { InvalidInputError, ResponseValidationError } from '../errors/index.js';
import {
  assertBatchRequest,
  type BatchOperationResult,
  type BatchRequest,
  hasHeader,
  missingResult,
  notExecutedResult,
  receivedResult,
} from './batch.js';

/** One operation of a multipart `$batch` (F&O, NAV). */
export interface MultipartBatchRequest extends BatchRequest {
  /**
   * Content-ID, unique within the batch. Operations in a changeset always get one (numbered from 1 when not
   * given), so later operations of the changeset can reference a created entity as `$1`.
   */
  contentId?: string;
}

/** Operations that succeed or fail together. Changesets may not contain GET requests. */
export interface MultipartChangeset {
  /** The changeset's operations, in order. */
  changeset: readonly MultipartBatchRequest[];
}

/** A top-level part of a multipart batch: a single operation or a changeset. */
export type MultipartBatchPart = MultipartBatchRequest | MultipartChangeset;

/** Options for {@link buildMultipartBatch}. */
export interface MultipartBatchOptions {
  /** The batch boundary; defaults to `batch_<random UUID>`. */
  boundary?: string;
  /** Boundaries for the changesets, in order; each defaults to `changeset_<random UUID>`. */
  changesetBoundaries?: readonly string[];
  /**
   * Send `Prefer: odata.continue-on-error`, asking the server to run the remaining parts after a failure.
   * Default `false`: the server stops at the first failure and later operations are reported as not executed.
   */
  continueOnError?: boolean;
}

/** A multipart batch ready to POST to `…/$batch`: send `body` with `headers`. */
export interface MultipartBatch {
  /** The `multipart/mixed` request body, with CRLF line endings. */
  body: string;
  /** Headers for the `$batch` request itself, including the boundary in `Content-Type`. */
  headers: Record<string, string>;
  /** The parts as sent, with Content-IDs assigned; {@link matchMultipartBatchResponse} uses them. */
  parts: readonly MultipartBatchPart[];
  /** True when the batch asked the server to continue after a failure (`Prefer: odata.continue-on-error`). */
  continueOnError?: boolean;
}

/** One `application/http` response found in a multipart batch response. */
export interface MultipartOperationResponse {
  /** Content-ID echoed by the server, when present. */
  contentId?: string;
  /** HTTP status code. */
  status: number;
  /** HTTP reason phrase, e.g. `Created`. */
  statusText: string;
  /** Response headers, names in lower case. */
  headers: Record<string, string>;
  /** Parsed JSON body, raw text for other content, `undefined` when empty. */
  body: unknown;
}

/**
 * A top-level part of a multipart batch response: a single response, or the responses of a changeset that
 * succeeded. A changeset that failed comes back as one single response in the changeset's position.
 */
export type MultipartBatchResponsePart = { response: MultipartOperationResponse } | { changeset: MultipartOperationResponse[] };

/** The outcome of one operation of a multipart batch. */
export interface MultipartBatchOperationResult extends BatchOperationResult<MultipartBatchRequest> {
  /** The operation's Content-ID, when it had one. */
  contentId?: string;
  /** Position of the operation's changeset among the batch parts, when it was in one. */
  changesetIndex?: number;
  /**
   * True when the whole changeset failed and this result carries the changeset's error response: none of
   * the changeset's operations were applied.
   */
  changesetFailed: boolean;
  /**
   * True on the operation whose own response failed its changeset: matched by the failing response's
   * Content-ID, or the only operation of the changeset. The other operations of a failed changeset were
   * rolled back because of it.
   */
  failedHere: boolean;
  /**
   * True when the server never ran the operation because an earlier part failed and the batch stops on
   * error (the default); `error` is then a `BatchOperationNotExecutedError` and the operation can be resent.
   */
  notExecuted: boolean;
}

const CRLF = '\r\n';
// RFC 2046 boundary characters, minus the space (which would force quoting).
const BOUNDARY_PATTERN = /^[0-9A-Za-z'()+_,\-./:=?]{1,70}$/;

function isChangeset(part: MultipartBatchPart): part is MultipartChangeset {
  return typeof part === 'object' && part !== null && 'changeset' in part;
}

function assertBoundary(boundary: string, field: string): void {
  if (typeof boundary !== 'string' || !BOUNDARY_PATTERN.test(boundary)) {
    throw new InvalidInputError(`${field} must be 1–70 letters, digits or '()+_,-./:=? characters`, { field });
  }
}

function serialiseBody(body: unknown): string {
  return typeof body === 'string' ? body : JSON.stringify(body);
}

function httpPart(request: MultipartBatchRequest): string {
  const mimeHeaders = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary'];
  if (request.contentId !== undefined) mimeHeaders.push(`Content-ID: ${request.contentId}`);
  const headers = { ...request.headers };
  if (request.body !== undefined && !hasHeader(headers, 'content-type')) headers['Content-Type'] = 'application/json';
  const requestHead = [`${request.method} ${request.url} HTTP/1.1`, ...Object.entries(headers).map(([n, v]) => `${n}: ${v}`)];
  const content = request.body === undefined ? '' : serialiseBody(request.body);
  return `${mimeHeaders.join(CRLF)}${CRLF}${CRLF}${requestHead.join(CRLF)}${CRLF}${CRLF}${content}`;
}

function multipart(boundary: string, parts: readonly string[]): string {
  for (const part of parts) {
    if (part.includes(`--${boundary}`)) {
      throw new InvalidInputError(`The boundary "${boundary}" occurs inside the batch content; choose another boundary`, {
        field: 'boundary',
      });
    }
  }
  return `${parts.map((part) => `--${boundary}${CRLF}${part}${CRLF}`).join('')}--${boundary}--${CRLF}`;
}

/**
 * Builds a `multipart/mixed` `$batch` request (F&O, NAV): top-level operations and changesets, each operation
 * as an `application/http` part with its request line, headers and JSON body.
 *
 * Example:
 *
 * {@includeCode ../../examples/transport.ts#buildMultipartBatch}
 */
export function buildMultipartBatch(parts: readonly MultipartBatchPart[], options: MultipartBatchOptions = {}): MultipartBatch {
  if (!Array.isArray(parts) || parts.length === 0) {
    throw new InvalidInputError('A batch needs at least one request', { field: 'parts' });
  }
  const boundary = options.boundary ?? `batch_${randomUUID()}`;
  assertBoundary(boundary, 'boundary');

  const usedContentIds = new Set<string>();
  const claimContentId = (contentId: string, field: string): string => {
    if (typeof contentId !== 'string' || !/^[\w.-]+$/.test(contentId) || usedContentIds.has(contentId)) {
      throw new InvalidInputError(`${field}.contentId ${JSON.stringify(contentId)} must be unique within the batch (letters, digits, _ . -)`, {
        field: `${field}.contentId`,
      });
    }
    usedContentIds.add(contentId);
    return contentId;
  };
  // Caller-chosen ids are claimed first so generated ones never collide with a later explicit id.
  parts.forEach((part, index) => {
    const requests: readonly MultipartBatchRequest[] = isChangeset(part) ? (Array.isArray(part.changeset) ? part.changeset : []) : [part];
    requests.forEach((request, position) => {
      if (request?.contentId !== undefined) claimContentId(request.contentId, `parts[${index}][${position}]`);
    });
  });
  let nextContentId = 1;
  const generateContentId = (): string => {
    while (usedContentIds.has(String(nextContentId))) nextContentId += 1;
    usedContentIds.add(String(nextContentId));
    return String(nextContentId);
  };

  let changesetCount = 0;
  const plannedParts: MultipartBatchPart[] = [];
  const encodedParts = parts.map((part, index) => {
    if (!isChangeset(part)) {
      assertBatchRequest(part, `parts[${index}]`, false);
      plannedParts.push({ ...part });
      return httpPart(part);
    }
    if (!Array.isArray(part.changeset) || part.changeset.length === 0) {
      throw new InvalidInputError(`parts[${index}].changeset needs at least one request`, { field: `parts[${index}].changeset` });
    }
    const changesetBoundary = options.changesetBoundaries?.[changesetCount] ?? `changeset_${randomUUID()}`;
    assertBoundary(changesetBoundary, `changesetBoundaries[${changesetCount}]`);
    changesetCount += 1;
    const requests = part.changeset.map((request, position) => {
      const field = `parts[${index}].changeset[${position}]`;
      assertBatchRequest(request, field, false);
      if (request.method === 'GET') {
        throw new InvalidInputError(`${field} is a GET; changesets may only contain writes, so put it outside the changeset`, {
          field: `${field}.method`,
        });
      }
      return { ...request, contentId: request.contentId ?? generateContentId() };
    });
    plannedParts.push({ changeset: requests });
    return `Content-Type: multipart/mixed; boundary=${changesetBoundary}${CRLF}${CRLF}${multipart(changesetBoundary, requests.map(httpPart))}`;
  });

  const headers: Record<string, string> = { 'Content-Type': `multipart/mixed; boundary=${boundary}`, Accept: 'multipart/mixed' };
  if (options.continueOnError) headers.Prefer = 'odata.continue-on-error';
  return {
    body: multipart(boundary, encodedParts),
    headers,
    parts: plannedParts,
    ...(options.continueOnError ? { continueOnError: true } : {}),
  };
}

function malformed(message: string): ResponseValidationError {
  return new ResponseValidationError(`The batch response is malformed: ${message}`);
}

/** Reads the `boundary` parameter of a `multipart/*` Content-Type, quoted or not. */
function boundaryOf(contentType: string): string {
  const [mediaType = '', ...parameters] = contentType.split(';');
  if (!/^\s*multipart\//i.test(mediaType)) throw malformed(`expected a multipart Content-Type, got "${contentType}"`);
  for (const parameter of parameters) {
    const match = /^\s*boundary\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s;]+))\s*$/i.exec(parameter);
    const boundary = match?.[1]?.replace(/\\(.)/g, '$1') ?? match?.[2];
    if (boundary) return boundary;
  }
  throw malformed(`no boundary in Content-Type "${contentType}"`);
}

/** Splits a multipart body into its parts' raw text, tolerating CRLF or LF line endings. */
function splitParts(text: string, boundary: string): string[] {
  const escaped = boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const delimiter = new RegExp(`(?:^|\\r?\\n)--${escaped}(--)?[ \\t]*(?:\\r?\\n|$)`, 'g');
  const parts: string[] = [];
  let contentStart: number | undefined;
  for (const match of text.matchAll(delimiter)) {
    if (contentStart !== undefined) parts.push(text.slice(contentStart, match.index));
    if (match[1] === '--') return parts;
    contentStart = match.index + match[0].length;
  }
  throw malformed(`missing closing delimiter "--${boundary}--" (truncated response?)`);
}

/** Splits MIME or HTTP text at the first blank line into lower-cased headers and the remaining body. */
function splitHeaders(text: string): { firstLine: string; headers: Record<string, string>; body: string } {
  const blank = /\r?\n\r?\n/.exec(text);
  const head = text.startsWith('\n') || text.startsWith('\r\n') ? '' : blank ? text.slice(0, blank.index) : text;
  const body = head === '' ? text.replace(/^\r?\n/, '') : blank ? text.slice(blank.index + blank[0].length) : '';
  const lines = head.split(/\r?\n/);
  const headers: Record<string, string> = {};
  let firstLine = '';
  let previous: string | undefined;
  lines.forEach((line, index) => {
    if (/^[ \t]/.test(line) && previous !== undefined) {
      headers[previous] += ` ${line.trim()}`;
      return;
    }
    const colon = line.indexOf(':');
    if (colon <= 0 || (index === 0 && /^HTTP\//.test(line))) {
      if (index === 0) firstLine = line;
      return;
    }
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    previous = name;
  });
  return { firstLine, headers, body };
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text.trim() === '') return undefined;
  if (contentType && /json/i.test(contentType)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

function parseHttpResponse(mimeHeaders: Record<string, string>, content: string): MultipartOperationResponse {
  const { firstLine, headers, body } = splitHeaders(content);
  const status = /^HTTP\/\d(?:\.\d)?\s+(\d{3})(?:\s+(.*))?$/.exec(firstLine.trim());
  if (!status) throw malformed(`expected an HTTP status line, got "${firstLine.slice(0, 80)}"`);
  const response: MultipartOperationResponse = {
    status: Number(status[1]),
    statusText: status[2] ?? '',
    headers,
    body: parseBody(body, headers['content-type']),
  };
  const contentId = mimeHeaders['content-id'] ?? headers['content-id'];
  if (contentId !== undefined) response.contentId = contentId.replace(/^<(.*)>$/, '$1');
  return response;
}

/**
 * Parses a `multipart/mixed` `$batch` response into its parts, in order: single responses and successful
 * changesets (with their operation responses). Accepts CRLF or LF line endings and quoted boundaries.
 *
 * @param contentType - The response's `Content-Type` header, which carries the boundary.
 */
export function parseMultipartBatchResponse(body: string, contentType: string): MultipartBatchResponsePart[] {
  if (typeof body !== 'string' || typeof contentType !== 'string') {
    throw new InvalidInputError('parseMultipartBatchResponse needs the response text and its Content-Type header', {
      field: 'body',
    });
  }
  return splitParts(body, boundaryOf(contentType)).map((part) => {
    const { headers, body: content } = splitHeaders(part);
    const partType = headers['content-type'] ?? '';
    if (/^\s*multipart\/mixed/i.test(partType)) {
      return {
        changeset: splitParts(content, boundaryOf(partType)).map((inner) => {
          const innerPart = splitHeaders(inner);
          return parseHttpResponse(innerPart.headers, innerPart.body);
        }),
      };
    }
    return { response: parseHttpResponse(headers, content) };
  });
}

function withContentId(
  result: BatchOperationResult<MultipartBatchRequest>,
  extra: { changesetIndex?: number; changesetFailed: boolean; failedHere?: boolean },
): MultipartBatchOperationResult {
  const contentId = result.request.contentId;
  return { failedHere: false, ...result, ...(contentId === undefined ? {} : { contentId }), ...extra, notExecuted: isNotExecuted(result) };
}

const isNotExecuted = (result: BatchOperationResult<MultipartBatchRequest>) =>
  (result.error as { code?: string } | undefined)?.code === 'BATCH_NOT_EXECUTED';
const failed = (status: number) => !(status >= 200 && status < 300);

/**
 * Matches parsed response parts to the operations of `batch`, returning one result per operation in request
 * order.
 * - A changeset is atomic: when its response holds an error (as one response in the changeset's place, or
 *   as a nested changeset holding only the failing response, as ASP.NET Web API OData answers), every
 *   operation of it gets that error with `changesetFailed: true`.
 * - Without `continueOnError` the server stops at the first failure: the operations after it that have no
 *   response were not executed (`notExecuted: true`, `BatchOperationNotExecutedError`).
 * - Any other operation without a response gets an explicit error: `OutcomeUnknownError` for writes.
 */
export function matchMultipartBatchResponse(
  batch: MultipartBatch,
  responseParts: readonly MultipartBatchResponsePart[],
): MultipartBatchOperationResult[] {
  const results: MultipartBatchOperationResult[] = [];
  const label = (request: MultipartBatchRequest, index: number) =>
    `${request.contentId === undefined ? `#${index + 1}` : `with Content-ID ${request.contentId}`} (${request.method} ${request.url})`;
  let stopped = false;
  const unanswered = (request: MultipartBatchRequest, index: number) =>
    stopped && !batch.continueOnError ? notExecutedResult(request, label(request, index)) : missingResult(request, label(request, index));
  batch.parts.forEach((part, index) => {
    const received = responseParts[index];
    if (!isChangeset(part)) {
      if (received && 'response' in received) {
        const { status, headers, body } = received.response;
        results.push(withContentId(receivedResult(part, status, headers, body), { changesetFailed: false }));
        if (failed(status)) stopped = true;
      } else {
        results.push(withContentId(unanswered(part, index), { changesetFailed: false }));
      }
      return;
    }
    const responses = received === undefined ? [] : 'response' in received ? [received.response] : received.changeset;
    const failure = responses.find((response) => failed(response.status));
    if (failure || (received && 'response' in received)) {
      // One response for the whole changeset: its outcome is every operation's outcome.
      const { status, headers, body } = failure ?? (responses[0] as MultipartOperationResponse);
      const culprit = (request: MultipartBatchRequest) =>
        failure !== undefined &&
        (part.changeset.length === 1 || (failure.contentId !== undefined && failure.contentId === request.contentId));
      for (const request of part.changeset) {
        results.push(
          withContentId(receivedResult(request, status, headers, body), {
            changesetIndex: index,
            changesetFailed: failed(status),
            failedHere: culprit(request),
          }),
        );
      }
      if (failed(status)) stopped = true;
      return;
    }
    const byContentId = new Map(responses.filter((r) => r.contentId !== undefined).map((r) => [r.contentId, r]));
    part.changeset.forEach((request, position) => {
      const response = byContentId.size > 0 ? byContentId.get(request.contentId) : responses[position];
      const result = response
        ? receivedResult(request, response.status, response.headers, response.body)
        : received
          ? missingResult(request, label(request, index))
          : unanswered(request, index);
      results.push(withContentId(result, { changesetIndex: index, changesetFailed: false }));
    });
  });
  return results;
}
