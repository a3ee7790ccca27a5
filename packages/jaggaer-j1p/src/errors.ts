import { ConflictError, HttpError, type HttpErrorInit, hasErrorKind } from '@ml-connector/core';

/**
 * A JAGGAER response with HTTP 2xx whose `{returnCode, returnMessage}` envelope reports a failure (`returnCode` other
 * than `0`/`"0"`/`"OK"`). J1P is known to signal some failures this way; the non-zero codes themselves are UNCONFIRMED,
 * so branch on this class (and `returnCode` only for logging).
 */
export class JaggaerReturnCodeError extends HttpError {
  /** Literal class name, kept under minification. */
  static override readonly kind: string = 'JaggaerReturnCodeError';
  /** The non-zero `returnCode` as sent (number or string). */
  readonly returnCode: string;

  /** @param init - request facts; `vendorCode` is the return code, `vendorMessage` the return message. */
  constructor(message: string, returnCode: string, init: HttpErrorInit) {
    super(message, 'JAGGAER_RETURN_CODE', init);
    this.returnCode = returnCode;
  }
}

/** True for {@link JaggaerReturnCodeError}, from any installed copy of the package. */
export const isJaggaerReturnCodeError = (e: unknown): e is JaggaerReturnCodeError => hasErrorKind(e, 'JaggaerReturnCodeError');

/**
 * An OCR invoice import was refused because the supplier already has an invoice with this `supplierInvoiceNumber`
 * (HTTP 409). A `ConflictError`, so `isConflictError` is true as well. Treat it as "already imported": JAGGAER keeps
 * `supplierInvoiceNumber` unique per supplier, which is also what makes a retried import safe.
 */
export class DuplicateSupplierInvoiceError extends ConflictError {
  /** Literal class name, kept under minification. */
  static override readonly kind: string = 'DuplicateSupplierInvoiceError';
  /** The supplier's invoice number that already exists. */
  readonly supplierInvoiceNumber: string;
  /** The ERP supplier number of the import. */
  readonly supplierNumber: string;

  /** @param source - the 409 the transport raised; its request facts are copied. */
  constructor(source: HttpError, supplierNumber: string, supplierInvoiceNumber: string) {
    super(`Supplier invoice ${supplierInvoiceNumber} of supplier ${supplierNumber} already exists in JAGGAER`, initOf(source));
    this.supplierInvoiceNumber = supplierInvoiceNumber;
    this.supplierNumber = supplierNumber;
  }
}

/** True for {@link DuplicateSupplierInvoiceError}, from any installed copy of the package. */
export const isDuplicateSupplierInvoiceError = (e: unknown): e is DuplicateSupplierInvoiceError =>
  hasErrorKind(e, 'DuplicateSupplierInvoiceError');

/** The request facts of an existing HTTP error, for re-raising it as a more specific class. */
export function initOf(error: HttpError): HttpErrorInit {
  return {
    cause: error,
    method: error.method,
    url: error.url,
    data: error.data,
    retries: error.retries,
    ...(error.status !== undefined ? { status: error.status } : {}),
    ...(error.requestId !== undefined ? { requestId: error.requestId } : {}),
    ...(error.vendorCode !== undefined ? { vendorCode: error.vendorCode } : {}),
    ...(error.vendorMessage !== undefined ? { vendorMessage: error.vendorMessage } : {}),
    ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
  };
}
