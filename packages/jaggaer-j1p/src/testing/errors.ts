/**
 * `returnCode` values the sandbox puts in its `{returnCode, returnMessage}` envelope. `0` for success is confirmed
 * (UCLALibrary/jaggaer-api invoice list; Crown-Commercial-Service checks `"0"` and `"OK"`); the non-zero codes are
 * UNCONFIRMED — clients must branch on the HTTP status and treat any non-zero `returnCode` as a failure.
 */
export const JAGGAER_RETURN_CODES = Object.freeze({
  /** Success. */
  OK: 0,
  /** The request body or query is invalid (HTTP 400). */
  VALIDATION_FAILED: 1,
  /** The addressed record does not exist (HTTP 404). */
  NOT_FOUND: 2,
  /** A record with the same natural key already exists, or the state forbids the change (HTTP 409). */
  CONFLICT: 3,
  /** Missing, expired or revoked access token (HTTP 401). */
  UNAUTHORIZED: 4,
  /** Too many requests (HTTP 429). */
  RATE_LIMITED: 5,
  /** Method not allowed on this path (HTTP 405). */
  METHOD_NOT_ALLOWED: 6,
  /** Server-side failure, also used for injected 5xx faults. */
  SERVER_ERROR: 9,
});

/** One of the {@link JAGGAER_RETURN_CODES} values. */
export type JaggaerReturnCode = (typeof JAGGAER_RETURN_CODES)[keyof typeof JAGGAER_RETURN_CODES];

/** The envelope every sandbox error body uses (and success bodies extend). */
export interface JaggaerEnvelope {
  /** `0` on success, non-zero on errors. */
  returnCode: number;
  /** Human-readable outcome; `''` or `'OK'` on success. */
  returnMessage: string;
}

/**
 * `WWW-Authenticate` value sent with 401s. Taken from a public JAGGAER client's configuration
 * (Crown-Commercial-Service/ccs-scale-cat-service `headerValueWWWAuthenticate`); UNCONFIRMED for J1P.
 */
export const JAGGAER_WWW_AUTHENTICATE = 'Bearer error="invalid_or_missing_token"';

/** Builds a JSON response with the sandbox's headers. */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json;charset=UTF-8', ...headers },
  });
}

const codeForStatus = (status: number): number => {
  if (status === 400 || status === 415 || status === 422) return JAGGAER_RETURN_CODES.VALIDATION_FAILED;
  if (status === 401 || status === 403) return JAGGAER_RETURN_CODES.UNAUTHORIZED;
  if (status === 404) return JAGGAER_RETURN_CODES.NOT_FOUND;
  if (status === 405) return JAGGAER_RETURN_CODES.METHOD_NOT_ALLOWED;
  if (status === 409 || status === 412) return JAGGAER_RETURN_CODES.CONFLICT;
  if (status === 429) return JAGGAER_RETURN_CODES.RATE_LIMITED;
  return JAGGAER_RETURN_CODES.SERVER_ERROR;
};

/** A JAGGAER-style error response: the HTTP status plus `{returnCode, returnMessage}`. */
export function jaggaerError(status: number, message: string, headers: Record<string, string> = {}): Response {
  const body: JaggaerEnvelope = { returnCode: codeForStatus(status), returnMessage: message };
  return jsonResponse(status, body, status === 401 ? { 'www-authenticate': JAGGAER_WWW_AUTHENTICATE, ...headers } : headers);
}

/** Thrown inside the sandbox's handlers to answer with a JAGGAER error envelope; never escapes the handler. */
export class JaggaerRequestError extends Error {
  /** HTTP status to answer with. */
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'JaggaerRequestError';
    this.status = status;
  }
}

/** Shorthand for a 400 validation failure. */
export const badRequest = (message: string) => new JaggaerRequestError(400, message);
/** Shorthand for a 404. */
export const notFound = (message: string) => new JaggaerRequestError(404, message);
/** Shorthand for a 409 duplicate / state conflict. */
export const conflict = (message: string) => new JaggaerRequestError(409, message);
