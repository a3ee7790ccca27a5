/**
 * Oracle Fusion specific errors. HTTP failures need nothing extra: core's `errorFromResponse` maps the statuses and
 * reads Oracle's problem document (`title`, `detail`, `o:errorCode`); {@link oracleErrorDetails} adds the nested
 * `o:errorDetails` list that framework version 2+ returns.
 */
import { ConnectorError, hasErrorKind, isHttpError } from '@ml-connector/core';
import type { ImportRowError } from './resources/erp-integrations.js';

/** One entry of Oracle's `o:errorDetails`. */
export interface OracleErrorDetail {
  /** Message text. */
  detail: string;
  /** Oracle error code, e.g. `27008` or `AP-810275`. */
  code?: string;
  /** JSON path of the offending attribute, when given. */
  path?: string;
}

/**
 * Reads `o:errorDetails` from a typed HTTP error's body (`[{ detail, o:errorCode, o:errorPath }]`); empty for other
 * errors and for plain-text bodies (framework version 1).
 */
export function oracleErrorDetails(error: unknown): OracleErrorDetail[] {
  if (!isHttpError(error)) return [];
  const data = error.data as Record<string, unknown> | undefined;
  const details = data && typeof data === 'object' ? data['o:errorDetails'] : undefined;
  if (!Array.isArray(details)) return [];
  return details.flatMap((d) => {
    if (typeof d !== 'object' || d === null || typeof (d as { detail?: unknown }).detail !== 'string') return [];
    const r = d as Record<string, unknown>;
    return [{ detail: r.detail as string, ...(typeof r['o:errorCode'] === 'string' ? { code: r['o:errorCode'] } : {}), ...(typeof r['o:errorPath'] === 'string' ? { path: r['o:errorPath'] } : {}) }];
  });
}

/** A bulk import whose ESS job ended in `ERROR`, `CANCELLED` or `EXPIRED`, or did not end in time. */
export class ImportJobFailedError extends ConnectorError {
  static override readonly kind: string = 'ImportJobFailedError';
  /** ESS request id. */
  readonly requestId: string;
  /** Last `RequestStatus`. */
  readonly status: string;
  /** Rejected rows read from the execution details. */
  readonly rowErrors: readonly ImportRowError[];

  constructor(requestId: string, status: string, rowErrors: readonly ImportRowError[], reason?: string) {
    super(
      `Import job ${requestId} ${reason ?? `ended ${status}`}${rowErrors.length ? `; ${rowErrors.length} rejected row(s), first: ${rowErrors[0]?.file} row ${rowErrors[0]?.row}: ${rowErrors[0]?.message}` : ''}`,
      'IMPORT_JOB_FAILED',
    );
    this.requestId = requestId;
    this.status = status;
    this.rowErrors = rowErrors;
  }
}

/** True for an {@link ImportJobFailedError}, also from another installed copy of this package. */
export function isImportJobFailedError(error: unknown): error is ImportJobFailedError {
  return hasErrorKind(error, 'ImportJobFailedError');
}
