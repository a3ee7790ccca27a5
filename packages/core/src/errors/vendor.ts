import {
  AuthenticationError,
  ConflictError,
  HttpError,
  type HttpErrorInit,
  NotFoundError,
  PermissionError,
  RateLimitError,
  ServerError,
  ValidationError,
} from './errors.js';

/** A vendor error code and message parsed from a response body. */
export interface VendorError {
  /** Vendor error code, e.g. `BadRequest_NotFound`, `invalid_client`. */
  code?: string;
  /** Human-readable message from the vendor. */
  message?: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/**
 * Extracts the vendor's error code and message from the error envelopes our systems use:
 * OData `{error:{code,message}}` (Business Central, F&O, NAV) and OData v3 `{"odata.error":{code,message:{value}}}`,
 * Jira `{errorMessages:[], errors:{field:msg}}`, Oracle `{title, detail, o:errorCode}` or a plain text body,
 * JAGGAER `{returnCode, returnMessage}` and OAuth `{error, error_description}`.
 */
export function parseVendorError(body: unknown): VendorError {
  if (typeof body === 'string') {
    const text = body.trim();
    if (!text) return {};
    try {
      return parseVendorError(JSON.parse(text));
    } catch {
      return { message: text.length > 500 ? `${text.slice(0, 500)}…` : text };
    }
  }
  if (typeof body !== 'object' || body === null) return {};
  const b = body as Record<string, unknown>;

  // OData v4 / v3
  // OData v4 `error`; OData v3 JSON (NAV's `/OData/` endpoint) names it `odata.error`.
  const odataError = b.error ?? b['odata.error'];
  if (typeof odataError === 'object' && odataError !== null) {
    const e = odataError as Record<string, unknown>;
    const msg = typeof e.message === 'object' && e.message !== null ? (e.message as { value?: unknown }).value : e.message;
    return { code: str(e.code), message: str(msg) };
  }
  // OAuth 2.0
  if (typeof b.error === 'string') {
    return { code: b.error, message: str(b.error_description) ?? b.error };
  }
  // Jira
  if (Array.isArray(b.errorMessages) || (typeof b.errors === 'object' && b.errors !== null)) {
    const messages = Array.isArray(b.errorMessages) ? b.errorMessages.filter((m): m is string => typeof m === 'string') : [];
    const fieldErrors =
      typeof b.errors === 'object' && b.errors !== null
        ? Object.entries(b.errors as Record<string, unknown>).map(([field, m]) => `${field}: ${String(m)}`)
        : [];
    const all = [...messages, ...fieldErrors];
    return all.length ? { message: all.join('; ') } : {};
  }
  // Oracle REST (framework v2+ returns a problem document)
  if (str(b.title) || str(b.detail) || str(b['o:errorCode'])) {
    return { code: str(b['o:errorCode']), message: [str(b.title), str(b.detail)].filter(Boolean).join(': ') || undefined };
  }
  // JAGGAER
  if (b.returnCode !== undefined && str(b.returnMessage)) {
    return { code: String(b.returnCode), message: str(b.returnMessage) };
  }
  return { message: str(b.message) };
}

/** Everything needed to turn a failed response into a typed error. */
export interface ErrorResponseInfo extends Omit<HttpErrorInit, 'vendorCode' | 'vendorMessage'> {
  /** HTTP status of the response. */
  status: number;
  /** Response body: parsed JSON, text or undefined. */
  body?: unknown;
}

/**
 * Maps a non-success response to the matching {@link HttpError} subclass:
 * 400/413/422 → ValidationError, 401 → AuthenticationError, 403 → PermissionError, 404/410 → NotFoundError,
 * 409/412 → ConflictError, 429 → RateLimitError, 5xx → ServerError, anything else → HttpError.
 */
export function errorFromResponse(info: ErrorResponseInfo): HttpError {
  const vendor = parseVendorError(info.body);
  const init: HttpErrorInit = { ...info, data: info.body, vendorCode: vendor.code, vendorMessage: vendor.message };
  const detail = vendor.message ? `: ${vendor.message}` : '';
  const s = info.status;
  if (s === 400 || s === 413 || s === 422) return new ValidationError(`Request rejected${detail}`, init);
  if (s === 401) return new AuthenticationError(`Not authenticated${detail}`, init);
  if (s === 403) return new PermissionError(`Permission denied${detail}`, init);
  if (s === 404 || s === 410) return new NotFoundError(`Not found${detail}`, init);
  if (s === 409 || s === 412) {
    return new ConflictError(s === 412 ? `Precondition failed (ETag mismatch)${detail}` : `Conflict${detail}`, init);
  }
  if (s === 429) return new RateLimitError(`Rate limited${detail}`, init);
  if (s >= 500) return new ServerError(`Server error${detail}`, init);
  return new HttpError(`Unexpected status${detail}`, 'HTTP_ERROR', init);
}
