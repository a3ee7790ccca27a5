/**
 * F&O specific client-side errors. HTTP failures need nothing extra: core's `errorFromResponse` reads F&O's
 * OData error envelope (`{ error: { code, message, innererror } }`) and maps statuses to typed errors.
 */
import { ConnectorError, InvalidInputError, hasErrorKind } from '@ml-connector/core';

/**
 * Thrown when code tries to change a vendor invoice that has been posted. Posted invoices leave the
 * `VendorInvoiceHeaders` entity (which holds pending invoices only) and live on in the posted invoice journal,
 * where they are read-only. Correct a posted invoice with a credit note in F&O instead.
 */
export class PostedInvoiceError extends InvalidInputError {
  static override readonly kind: string = 'PostedInvoiceError';
  /** Legal entity of the invoice. */
  readonly dataAreaId: string;
  /** Vendor invoice number. */
  readonly invoiceNumber: string;
  /** Voucher of the posting, when known. */
  readonly ledgerVoucher: string | undefined;
  /** The refused operation, e.g. `update`. */
  readonly operation: string;

  constructor(init: { dataAreaId: string; invoiceNumber: string; ledgerVoucher?: string; operation: string }) {
    super(
      `Vendor invoice ${init.invoiceNumber} in legal entity ${init.dataAreaId} is posted${init.ledgerVoucher ? ` (voucher ${init.ledgerVoucher})` : ''} ` +
        `and read-only: ${init.operation} is not possible. Posted invoices live in the posted invoice journal; ` +
        'correct them with a credit note in F&O instead',
      { field: 'invoice' },
    );
    this.dataAreaId = init.dataAreaId;
    this.invoiceNumber = init.invoiceNumber;
    this.ledgerVoucher = init.ledgerVoucher;
    this.operation = init.operation;
  }
}

/** True for a {@link PostedInvoiceError}, also one from another installed copy of this package. */
export function isPostedInvoiceError(error: unknown): error is PostedInvoiceError {
  return hasErrorKind(error, 'PostedInvoiceError');
}

/** Thrown when a write would address a record outside the client's pinned legal entity. */
export class LegalEntityMismatchError extends InvalidInputError {
  static override readonly kind: string = 'LegalEntityMismatchError';
  constructor(expected: string, actual: string) {
    super(
      `This resource is pinned to legal entity "${expected}" but the record says dataAreaId "${actual}". ` +
        `Use client.legalEntity("${actual}") for that company`,
      { field: 'dataAreaId' },
    );
  }
}

/** True for a {@link LegalEntityMismatchError}. */
export function isLegalEntityMismatchError(error: unknown): error is LegalEntityMismatchError {
  return hasErrorKind(error, 'LegalEntityMismatchError');
}

/** Thrown by `waitForRecord()` when a business event's record did not become readable within the wait budget. */
export class RecordNotReadableError extends ConnectorError {
  static override readonly kind: string = 'RecordNotReadableError';
  /** Attempts made. */
  readonly attempts: number;
  constructor(what: string, attempts: number) {
    super(`${what} was still not readable over OData after ${attempts} attempts; the event will need a replay`, 'RECORD_NOT_READABLE');
    this.attempts = attempts;
  }
}

/** True for a {@link RecordNotReadableError}. */
export function isRecordNotReadableError(error: unknown): error is RecordNotReadableError {
  return hasErrorKind(error, 'RecordNotReadableError');
}

/** Thrown when a Data management job ends failed, or the package URL never arrives. */
export class DataManagementJobError extends ConnectorError {
  static override readonly kind: string = 'DataManagementJobError';
  /** Execution id of the job. */
  readonly executionId: string;
  /** Last status reported by `GetExecutionSummaryStatus`. */
  readonly status: string;
  constructor(executionId: string, status: string, message: string) {
    super(message, 'DATA_MANAGEMENT_JOB_FAILED', { details: { executionId, status } });
    this.executionId = executionId;
    this.status = status;
  }
}

/** True for a {@link DataManagementJobError}. */
export function isDataManagementJobError(error: unknown): error is DataManagementJobError {
  return hasErrorKind(error, 'DataManagementJobError');
}

/**
 * The error of a batch operation that was not applied because another operation of its changeset failed
 * (F&O rolls a changeset back entirely). Retry the changeset after fixing the failing operation.
 */
export class ChangesetRolledBackError extends ConnectorError {
  static override readonly kind: string = 'ChangesetRolledBackError';
  constructor(failing: string) {
    super(`Not applied: the changeset was rolled back because ${failing} failed`, 'CHANGESET_ROLLED_BACK');
  }
}

/** True for a {@link ChangesetRolledBackError}. */
export function isChangesetRolledBackError(error: unknown): error is ChangesetRolledBackError {
  return hasErrorKind(error, 'ChangesetRolledBackError');
}
