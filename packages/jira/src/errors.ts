/**
 * Jira-specific errors. HTTP failures are core's typed errors: `errorFromResponse` already parses Jira's
 * `{ errorMessages: [], errors: { field: message } }` envelope into `vendorMessage`. The client adds the
 * rate-limit headers to 429/503 failures ({@link JiraRateLimitError}, {@link JiraServiceUnavailableError}).
 */
import {
  type HttpError,
  type HttpErrorInit,
  InvalidInputError,
  RateLimitError,
  ServerError,
  hasErrorKind,
  isHttpError,
} from '@ml-connector/core';
import type { JiraRateLimitInfo } from './rate-limits.js';

/** A Jira site the credentials can reach (an entry of `accessible-resources`). */
export interface JiraSite {
  /** The cloudId used in `https://api.atlassian.com/ex/jira/{cloudId}/…`. */
  id: string;
  /** Site name, e.g. `acme`. */
  name: string;
  /** Site URL, e.g. `https://acme.atlassian.net`. */
  url: string;
  /** Scopes granted on this site. */
  scopes: string[];
}

/**
 * Thrown at connect time when the OAuth grant covers several Jira sites (or none, or not the requested one) and
 * the client cannot tell which to use. The message lists every site; pass `siteUrl` (or `cloudId`) to choose.
 */
export class JiraSiteSelectionError extends InvalidInputError {
  static override readonly kind: string = 'JiraSiteSelectionError';
  /** The sites the grant covers. */
  readonly sites: readonly JiraSite[];
  constructor(message: string, sites: readonly JiraSite[]) {
    super(message, { field: 'siteUrl' });
    this.sites = sites;
  }
}

/** True for a {@link JiraSiteSelectionError}, also one from another installed copy of this package. */
export function isJiraSiteSelectionError(error: unknown): error is JiraSiteSelectionError {
  return hasErrorKind(error, 'JiraSiteSelectionError');
}

/** A configured custom field that the site does not have (or has more than once). */
export interface CustomFieldProblem {
  /** The alias used in code, e.g. `documentKey`. */
  alias: string;
  /** The field name looked up, e.g. `ML Document Key`. */
  name: string;
  /** `missing`, or `ambiguous` when several fields share the name. */
  problem: 'missing' | 'ambiguous';
  /** Ids of the fields sharing the name (ambiguous only). */
  candidates?: string[];
}

/**
 * Thrown at connect time when a configured custom field cannot be found by name. The message says how to create
 * it (Jira settings → Issues → Custom fields → Create custom field, add it to the project's screens) or how to
 * disambiguate (configure the field id instead of the name).
 */
export class MissingCustomFieldError extends InvalidInputError {
  static override readonly kind: string = 'MissingCustomFieldError';
  /** Every field that could not be resolved. */
  readonly problems: readonly CustomFieldProblem[];
  constructor(problems: readonly CustomFieldProblem[]) {
    const parts = problems.map((p) =>
      p.problem === 'missing'
        ? `"${p.name}" (for ${p.alias}) does not exist: create it in Jira settings → Issues → Custom fields → Create custom field ` +
          '(type "Short text" for keys), add it to the create/edit screens of the project, or configure another name'
        : `"${p.name}" (for ${p.alias}) matches several fields (${(p.candidates ?? []).join(', ')}): configure the field id (customfield_NNNNN) instead of the name`,
    );
    super(`Custom fields could not be resolved: ${parts.join('; ')}`, { field: 'customFields' });
    this.problems = problems;
  }
}

/** True for a {@link MissingCustomFieldError}, also one from another installed copy of this package. */
export function isMissingCustomFieldError(error: unknown): error is MissingCustomFieldError {
  return hasErrorKind(error, 'MissingCustomFieldError');
}

/** Thrown before sending when a transition is missing fields its screen requires, or does not exist. */
export class TransitionFieldsError extends InvalidInputError {
  static override readonly kind: string = 'TransitionFieldsError';
  /** Ids of the required fields that were not given. */
  readonly missingFields: readonly string[];
  constructor(message: string, missingFields: readonly string[]) {
    super(message, { field: 'fields' });
    this.missingFields = missingFields;
  }
}

/** True for a {@link TransitionFieldsError}, also one from another installed copy of this package. */
export function isTransitionFieldsError(error: unknown): error is TransitionFieldsError {
  return hasErrorKind(error, 'TransitionFieldsError');
}

/** 429 from Jira, after the transport's retries, with the rate-limit headers of the last answer. */
export class JiraRateLimitError extends RateLimitError {
  static override readonly kind: string = 'JiraRateLimitError';
  /** `X-RateLimit-*`, `RateLimit-Reason` and `Retry-After` of the final 429. */
  readonly rateLimit: JiraRateLimitInfo | undefined;
  constructor(message: string, init: HttpErrorInit, rateLimit: JiraRateLimitInfo | undefined) {
    super(message, init);
    this.rateLimit = rateLimit;
  }
}

/** 503 from Jira, after the transport's retries, with any rate-limit headers of the last answer. */
export class JiraServiceUnavailableError extends ServerError {
  static override readonly kind: string = 'JiraServiceUnavailableError';
  /** `Retry-After` and any `X-RateLimit-*`/`RateLimit-Reason` of the final 503. */
  readonly rateLimit: JiraRateLimitInfo | undefined;
  constructor(message: string, init: HttpErrorInit, rateLimit: JiraRateLimitInfo | undefined) {
    super(message, init);
    this.rateLimit = rateLimit;
  }
}

/** True for a {@link JiraRateLimitError}. `isRateLimitError` from core is true for it as well. */
export function isJiraRateLimitError(error: unknown): error is JiraRateLimitError {
  return hasErrorKind(error, 'JiraRateLimitError');
}

/** True for a {@link JiraServiceUnavailableError}. `isServerError` from core is true for it as well. */
export function isJiraServiceUnavailableError(error: unknown): error is JiraServiceUnavailableError {
  return hasErrorKind(error, 'JiraServiceUnavailableError');
}

/** @internal Re-creates a 429/503 HttpError as the Jira subclass carrying the rate-limit headers. */
export function withRateLimitInfo(error: unknown, take: (requestId: string) => JiraRateLimitInfo | undefined): unknown {
  if (!isHttpError(error) || (error.status !== 429 && error.status !== 503)) return error;
  const e = error as HttpError;
  const clientRequestId = (e.requestId ?? '').split(' ')[0] ?? '';
  const info = take(clientRequestId);
  const reason = info?.reason ? ` (RateLimit-Reason: ${info.reason})` : '';
  const init: HttpErrorInit = {
    status: e.status,
    method: e.method,
    url: e.url,
    requestId: e.requestId,
    vendorCode: e.vendorCode,
    vendorMessage: e.vendorMessage,
    retryAfterMs: e.retryAfterMs ?? info?.retryAfterMs,
    data: e.data,
    retries: e.retries,
    cause: e,
  };
  const detail = e.vendorMessage ? `: ${e.vendorMessage}` : '';
  return e.status === 429
    ? new JiraRateLimitError(`Rate limited by Jira${reason}${detail}`, init, info)
    : new JiraServiceUnavailableError(`Jira is unavailable${reason}${detail}`, init, info);
}
