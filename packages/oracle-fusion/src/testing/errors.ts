/** An error the emulator answers with Oracle's error body. */
export class OracleEmulatorError extends Error {
  /** HTTP status. */
  readonly status: number;
  /** Oracle error code (`o:errorCode`), when any. */
  readonly errorCode: string | undefined;
  /** Extra response headers (e.g. `retry-after`). */
  readonly headers: Record<string, string>;

  constructor(status: number, detail: string, errorCode?: string, headers: Record<string, string> = {}) {
    super(detail);
    this.status = status;
    this.errorCode = errorCode;
    this.headers = headers;
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  412: 'Precondition Failed',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * Oracle's error body. Framework version 1 answers plain text; version 2+ a problem document
 * `{ type, title, status, o:errorDetails: [{ detail, o:errorCode }] }` (`application/vnd.oracle.adf.error+json`).
 * The top-level `detail`/`o:errorCode` copies of the first entry are UNCONFIRMED (added so core's parser reads them).
 */
export function errorResponse(error: OracleEmulatorError, frameworkVersion: number): Response {
  const headers: Record<string, string> = { ...error.headers };
  if (frameworkVersion < 2) {
    return new Response(error.message, { status: error.status, headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' } });
  }
  const detail = { detail: error.message, ...(error.errorCode ? { 'o:errorCode': error.errorCode } : {}) };
  const body = {
    type: 'http://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html',
    title: TITLES[error.status] ?? 'Error',
    status: String(error.status),
    ...detail,
    'o:errorDetails': [detail],
  };
  return new Response(JSON.stringify(body), { status: error.status, headers: { ...headers, 'content-type': 'application/vnd.oracle.adf.error+json' } });
}
