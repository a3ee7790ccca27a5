import ky, { isKyError } from 'ky';
import { AbortError, NetworkError, OutcomeUnknownError, type HttpErrorInit, secretHeaderValues } from '../errors/index.js';
import { untilAborted } from './abortable.js';
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

/** Codes of socket, TLS and undici failures (as opposed to programming errors such as `ERR_INVALID_ARG_TYPE`). */
const TRANSPORT_CODE = /^(E[A-Z0-9]+|UND_ERR_[A-Z_]+|ERR_(TLS|SSL|STREAM_PREMATURE_CLOSE|HTTP2)[A-Z0-9_]*|CERT_[A-Z_]+|UNABLE_TO_[A-Z_]+|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)$/;

/** Messages fetch implementations give their network `TypeError`s (undici, browsers, cross-fetch), as ky lists them. */
const NETWORK_MESSAGE = /^(fetch failed|terminated|failed to fetch|network error|network request failed|networkerror when attempting to fetch resource|load failed|network connection lost)\b/i;

function causeCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/**
 * True for failures of the network or of fetch itself (ky's NetworkError/TimeoutError, undici's
 * `TypeError: fetch failed` / `terminated`, socket error codes). Anything else is a bug in the caller or in
 * a policy and must surface as it is, never as a retried network error or a false unknown outcome.
 */
function isTransportFailure(error: unknown): boolean {
  if (isKyError(error)) return true;
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { name, message, code } = e as { name?: unknown; message?: unknown; code?: unknown };
    if (name === 'TypeError' && typeof message === 'string' && NETWORK_MESSAGE.test(message)) return true;
    if (typeof code === 'string' && TRANSPORT_CODE.test(code)) return true;
  }
  return false;
}

type Phase = 'before-send' | 'send' | 'body';

function failure(request: PipelineRequest, error: unknown, phase: Phase, timedOut: boolean): unknown {
  const init: HttpErrorInit = {
    method: request.method,
    url: request.url,
    requestId: request.requestId,
    retries: request.context.retries,
    cause: error,
    secrets: secretHeaderValues(request.headers),
    details: { phase },
  };
  if (!timedOut && request.signal?.aborted) {
    const aborted = new AbortError(undefined, { cause: request.signal.reason });
    // Once the request left, aborting does not un-send it: a write may have been processed.
    if (phase === 'before-send' || request.idempotent) return aborted;
    return new OutcomeUnknownError(
      'The call was aborted after the request was sent; the server may or may not have processed this write. Look the record up by its natural key before retrying',
      { ...init, cause: aborted },
    );
  }
  if (!timedOut && !isTransportFailure(error)) return error;
  const code = causeCode(error);
  if (code) init.details = { phase, cause: code };
  if (!timedOut && phase === 'send' && code && NOT_SENT_CODES.has(code)) {
    return new NetworkError(`Could not connect (${code}); nothing was sent`, init, 'CONNECTION_FAILED');
  }
  const what = timedOut
    ? phase === 'body'
      ? `The response body did not arrive within ${request.timeoutMs} ms`
      : `No response within ${request.timeoutMs} ms`
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

/** ky option carrying the attempt signal to global fetch: ky forwards options it does not know to fetch's init. */
const ATTEMPT_SIGNAL = 'mlcAttemptSignal';

function withAttemptSignal(init: RequestInit | undefined): RequestInit | undefined {
  const signal = (init as Record<string, unknown> | undefined)?.[ATTEMPT_SIGNAL] as AbortSignal | undefined;
  if (!signal) return init;
  const { [ATTEMPT_SIGNAL]: _, ...rest } = init as Record<string, unknown>;
  return { ...rest, signal };
}

/** Reason of the attempt signal when the attempt timeout fires. */
class AttemptTimeout extends Error {
  override readonly name = 'TimeoutError';
}

/**
 * The innermost step: sends one attempt with ky (retries, timeouts and errors are the pipeline's job, so
 * ky's own are switched off), reads the body, and classifies failures. The attempt timeout covers the
 * whole attempt, headers and body: a stalled body ends as a timeout. Only transport failures are
 * translated: nothing sent → `NetworkError` CONNECTION_FAILED; unknown outcome of a write →
 * `OutcomeUnknownError`; anything else (a programming error) is rethrown unchanged.
 */
export function createKyTransport(fetchImpl?: typeof fetch): SendRequest {
  // Global fetch gets the attempt signal straight in its init (undici's fetch follows `init.signal` over the
  // request's own), so ky never joins it to its internal controller with AbortSignal.any, which costs every
  // request an extra composite signal. An injected fetch may read only `request.signal`: it gets ky's usual path.
  const client = ky.create({
    retry: 0,
    timeout: false,
    throwHttpErrors: false,
    fetch: fetchImpl ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, withAttemptSignal(init))),
  });
  // undici's fetch ends both the wait for headers and the body read when its signal aborts; an injected
  // fetch may ignore signals, so its promises are raced against the signal (one more promise per phase).
  const guard: <T>(promise: Promise<T>, signal: AbortSignal) => Promise<T> = fetchImpl ? untilAborted : (promise) => promise;
  return async (request): Promise<PipelineResponse> => {
    const callerSignal = request.signal;
    if (callerSignal?.aborted) throw failure(request, callerSignal.reason, 'before-send', false);
    const attempt = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      attempt.abort(new AttemptTimeout(`No response within ${request.timeoutMs} ms`));
    }, request.timeoutMs);
    const onCallerAbort = callerSignal ? () => attempt.abort(callerSignal.reason) : undefined;
    if (onCallerAbort) callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
    let phase: Phase = 'send';
    try {
      const response = await guard(
        client(request.url, {
          method: request.method,
          headers: request.headers,
          body: request.body as BodyInit | undefined,
          ...(fetchImpl ? { signal: attempt.signal } : { [ATTEMPT_SIGNAL]: attempt.signal }),
        }),
        attempt.signal,
      );
      phase = 'body';
      const body = await guard(readBody(response, request), attempt.signal);
      return { status: response.status, headers: response.headers, body, request };
    } catch (error) {
      throw failure(request, error, phase, timedOut);
    } finally {
      clearTimeout(timer);
      if (onCallerAbort) callerSignal?.removeEventListener('abort', onCallerAbort);
    }
  };
}
