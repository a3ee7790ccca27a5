/**
 * Multipart `$batch` as F&O (ASP.NET Web API OData) handles it: top-level operations run independently; a
 * changeset runs atomically and, when one operation fails, is rolled back and answered with a changeset part
 * holding only the failing operation's response (the ASP.NET `DefaultODataBatchHandler` behaviour). Changesets
 * may not contain GETs.
 */
import { randomUUID } from 'node:crypto';
import { FoEmulatorError, errorBody, foErrors } from './errors.js';
import type { ApiResult } from './router.js';
import type { FinanceOperationsStore } from './store.js';

/** One operation parsed from a batch request. */
export interface BatchInnerRequest {
  method: string;
  url: string;
  headers: Headers;
  body: unknown;
  contentId: string | undefined;
}

const CRLF = '\r\n';
const REASONS: Record<number, string> = { 200: 'OK', 201: 'Created', 204: 'No Content', 400: 'Bad Request', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict', 412: 'Precondition Failed', 429: 'Too Many Requests', 500: 'Internal Server Error' };

function boundaryOf(contentType: string | null): string {
  const match = /boundary=("?)([^";]+)\1/i.exec(contentType ?? '');
  if (!match || !/^\s*multipart\/mixed/i.test(contentType ?? '')) throw foErrors.badRequest("The batch request must have a 'Content-Type' header of 'multipart/mixed' with a boundary.");
  return match[2] as string;
}

function split(text: string, boundary: string): string[] {
  const parts = text.split(new RegExp(`\\r?\\n?--${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  const closing = parts.findIndex((p) => p.startsWith('--'));
  if (closing < 0) throw foErrors.badRequest(`The batch request is missing its closing boundary '--${boundary}--'.`);
  return parts.slice(1, closing).map((p) => p.replace(/^[ \t]*\r?\n/, ''));
}

function headBody(text: string): { head: string[]; body: string } {
  const at = text.search(/\r?\n\r?\n/);
  if (at < 0) return { head: text.split(/\r?\n/).filter(Boolean), body: '' };
  const sep = /\r?\n\r?\n/.exec(text.slice(at)) as RegExpExecArray;
  return { head: text.slice(0, at).split(/\r?\n/), body: text.slice(at + sep[0].length) };
}

function headers(lines: string[]): Headers {
  const h = new Headers();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) h.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return h;
}

function parseOperation(part: string): BatchInnerRequest {
  const mime = headBody(part);
  const mimeHeaders = headers(mime.head);
  const http = headBody(mime.body);
  const [requestLine = '', ...headerLines] = http.head;
  const m = /^(GET|POST|PATCH|PUT|DELETE)\s+(\S+)\s+HTTP\/1\.1$/.exec(requestLine.trim());
  if (!m) throw foErrors.badRequest(`Invalid request line '${requestLine}' in the batch.`);
  const text = http.body.trim();
  let body: unknown;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      throw foErrors.badRequest('A batch operation body is not valid JSON.');
    }
  }
  return { method: m[1] as string, url: m[2] as string, headers: headers(headerLines), body, contentId: mimeHeaders.get('content-id') ?? undefined };
}

/** Parsed top-level batch parts. */
export type ParsedBatchPart = { operation: BatchInnerRequest } | { changeset: BatchInnerRequest[] };

/** Parses a multipart `$batch` request body. */
export function parseBatchRequest(text: string, contentType: string | null): ParsedBatchPart[] {
  return split(text, boundaryOf(contentType)).map((part) => {
    const { head, body } = headBody(part);
    const type = headers(head).get('content-type') ?? '';
    if (/^multipart\/mixed/i.test(type)) {
      const operations = split(body, boundaryOf(type)).map(parseOperation);
      if (operations.some((o) => o.method === 'GET')) throw foErrors.badRequest('A changeset cannot contain a GET request.');
      return { changeset: operations };
    }
    return { operation: parseOperation(part) };
  });
}

function httpPart(result: ApiResult, contentId: string | undefined): string {
  const mime = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary', ...(contentId ? [`Content-ID: ${contentId}`] : [])];
  const head = [`HTTP/1.1 ${result.status} ${REASONS[result.status] ?? 'Status'}`, ...Object.entries(result.headers).map(([k, v]) => `${k}: ${v}`)];
  const body = result.body === undefined ? '' : JSON.stringify(result.body);
  return `${mime.join(CRLF)}${CRLF}${CRLF}${head.join(CRLF)}${CRLF}${CRLF}${body}`;
}

function multipart(boundary: string, parts: string[]): string {
  return `${parts.map((p) => `--${boundary}${CRLF}${p}${CRLF}`).join('')}--${boundary}--${CRLF}`;
}

function asResult(error: unknown): ApiResult {
  const e = error instanceof FoEmulatorError ? error : new FoEmulatorError(500, `Emulator failure: ${error instanceof Error ? error.message : String(error)}`);
  return { status: e.status, headers: { 'content-type': 'application/json; odata.metadata=minimal', ...e.headers }, body: errorBody(e) };
}

/** Runs a parsed batch and returns the multipart response. */
export function runBatch(parts: ParsedBatchPart[], store: FinanceOperationsStore, route: (operation: BatchInnerRequest) => ApiResult): Response {
  const boundary = `batchresponse_${randomUUID()}`;
  const safe = (operation: BatchInnerRequest): ApiResult => {
    try {
      return route(operation);
    } catch (error) {
      return asResult(error);
    }
  };
  const encoded = parts.map((part) => {
    if ('operation' in part) return httpPart(safe(part.operation), part.operation.contentId);
    const changesetBoundary = `changesetresponse_${randomUUID()}`;
    const snapshot = store.snapshot();
    const answers: string[] = [];
    for (const operation of part.changeset) {
      const result = safe(operation);
      if (result.status >= 400) {
        store.restore(snapshot);
        return `Content-Type: multipart/mixed; boundary=${changesetBoundary}${CRLF}${CRLF}${multipart(changesetBoundary, [httpPart(result, operation.contentId)])}`;
      }
      answers.push(httpPart(result, operation.contentId));
    }
    return `Content-Type: multipart/mixed; boundary=${changesetBoundary}${CRLF}${CRLF}${multipart(changesetBoundary, answers)}`;
  });
  return new Response(multipart(boundary, encoded), { status: 200, headers: { 'content-type': `multipart/mixed; boundary=${boundary}`, 'odata-version': '4.0' } });
}
