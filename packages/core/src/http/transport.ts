import ky from 'ky';
import { AbortError, NetworkError, OutcomeUnknownError, type HttpErrorInit, secretHeaderValues } from '../errors/index.js';
import type { PipelineRequest, PipelineResponse, SendRequest } from './types.js';

/** Error codes (from undici/Node) meaning the connection failed before the request was sent. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
]);

function causeCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

function failure(request: PipelineRequest, error: unknown, phase: 'send' | 'body', timedOut: boolean): Error {
  if (request.signal?.aborted) return new AbortError(undefined, { cause: request.signal.reason });
  const code = causeCode(error);
  const init: HttpErrorInit = {
    method: request.method,
    url: request.url,
    requestId: request.requestId,
    retries: request.context.retries,
    cause: error,
    secrets: secretHeaderValues(request.headers),
    details: { phase, ...(code ? { cause: code } : {}) },
  };
  if (!timedOut && phase === 'send' && code && NOT_SENT_CODES.has(code)) {
    return new NetworkError(`Could not connect (${code}); nothing was sent`, init, 'CONNECTION_FAILED');
  }
  const what = timedOut
    ? `No response within ${request.timeoutMs} ms`
    : phase === 'body'
      ? 'The connection dropped while reading the response body'
      : `The connection dropped before a response arrived${code ? ` (${code})` : ''}`;
  if (!request.idempotent) {
    return new OutcomeUnknownError(
      `${what}; the server may or may not have processed this write. Look the record up by its natural key before retrying`,
      init,
    );
  }
  return new NetworkError(what, init, timedOut ? 'TIMEOUT' : phase === 'body' ? 'BODY_TRUNCATED' : 'CONNECTION_RESET');
}

async function readBody(response: Response, request: PipelineRequest): Promise<unknown> {
  if (request.responseType === 'bytes') return new Uint8Array(await response.arrayBuffer());
  const text = await response.text();
  if (request.responseType === 'text' || text === '') return text === '' ? undefined : text;
  const type = response.headers.get('content-type') ?? '';
  if (!/[/+]json\b/i.test(type)) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The innermost step: sends one attempt with ky (retries, timeouts and errors are the pipeline's job, so
 * ky's own are switched off), enforces the attempt timeout, reads the body, and classifies failures:
 * nothing sent → `NetworkError` CONNECTION_FAILED; unknown outcome of a write → `OutcomeUnknownError`.
 */
export function createKyTransport(fetchImpl?: typeof fetch): SendRequest {
  const client = ky.create({ retry: 0, throwHttpErrors: false, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
  return async (request): Promise<PipelineResponse> => {
    let phase: 'send' | 'body' = 'send';
    try {
      if (request.signal?.aborted) throw request.signal.reason;
      // ky owns the attempt timeout (its TimeoutError) and links the caller's signal to its own controller.
      const response = await client(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body as BodyInit | undefined,
        timeout: request.timeoutMs,
        ...(request.signal ? { signal: request.signal } : {}),
      });
      phase = 'body';
      const body = await readBody(response, request);
      return { status: response.status, headers: response.headers, body, request };
    } catch (error) {
      throw failure(request, error, phase, isTimeout(error));
    }
  };
}

/** ky raises `TimeoutError` when the attempt timeout fires; a body read cut by it surfaces as an abort of that reason. */
function isTimeout(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 3; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { name?: unknown }).name === 'TimeoutError') return true;
  }
  return false;
}
