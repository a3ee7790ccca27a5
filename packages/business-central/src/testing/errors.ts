import { randomUUID } from 'node:crypto';

/**
 * Business Central error codes the emulator answers with. Sources (cited so the emulator and the client
 * cannot drift together):
 * - BCDOCS `dev-itpro/api-reference/v2.0/dynamics-error-codes.md` (exception → code table):
 *   `BadRequest_NotFound`, `BadRequest_ResourceNotFound`, `BadRequest_InvalidOperation` (read-only control),
 *   `BadRequest`, `BadRequest_InvalidToken`, `BadRequest_RequiredParamNotProvided`, `Request_EntityChanged`,
 *   `BadRequest_MethodNotAllowed`, `BadRequest_MethodNotImplemented`, `Internal_RecordNotFound`,
 *   `Internal_ServerError`, `Internal_EntityWithSameKeyExists`, `Application_DialogException`,
 *   `Application_FieldValidationException`, `Application_InvalidGUID`, `Authentication_InvalidCredentials`.
 * - Missing `If-Match` → 400 `BadRequest_InvalidToken` "Could not validate the client concurrency token…"
 *   (MicrosoftDocs/dynamics365smb-devitpro-pb#813, simple-odata-client/Simple.OData.Client#667).
 * - 401 body `Authentication_InvalidCredentials` "The server has rejected the client credentials."
 *   (microsoft/navcontainerhelper#3709, MicrosoftDocs/dynamics365smb-devitpro-pb#3172).
 * - 429 `Application_TooManyRequests` "Too many requests reached. Actual (101). Maximum (100)." (community:
 *   several public BC clients and a BC integration book; the exact text is UNCONFIRMED).
 * - Message suffix `  CorrelationId:  <guid>.` (two spaces each side) as seen in every captured BC error.
 * UNCONFIRMED (chosen by analogy): codes for injected 408/503/504 and for writes to posted documents.
 */
export const BC_ERROR_CODES = {
  notFound: 'BadRequest_NotFound',
  resourceNotFound: 'BadRequest_ResourceNotFound',
  invalidOperation: 'BadRequest_InvalidOperation',
  badRequest: 'BadRequest',
  invalidToken: 'BadRequest_InvalidToken',
  requiredParam: 'BadRequest_RequiredParamNotProvided',
  entityChanged: 'Request_EntityChanged',
  methodNotAllowed: 'BadRequest_MethodNotAllowed',
  methodNotImplemented: 'BadRequest_MethodNotImplemented',
  recordNotFound: 'Internal_RecordNotFound',
  serverError: 'Internal_ServerError',
  duplicateKey: 'Internal_EntityWithSameKeyExists',
  dialog: 'Application_DialogException',
  fieldValidation: 'Application_FieldValidationException',
  invalidGuid: 'Application_InvalidGUID',
  invalidCredentials: 'Authentication_InvalidCredentials',
  tooManyRequests: 'Application_TooManyRequests',
  /** UNCONFIRMED: code sent with injected 503s. */
  serviceUnavailable: 'Internal_ServiceUnavailable',
  /** UNCONFIRMED: code sent with injected 408/504s. */
  timeout: 'Internal_OperationTimedOut',
} as const;

/** A Business Central error code (see {@link BC_ERROR_CODES}). */
export type BusinessCentralErrorCode = (typeof BC_ERROR_CODES)[keyof typeof BC_ERROR_CODES] | 'Unknown';

/** Error raised inside the emulator; the router turns it into BC's JSON error envelope. */
export class BcEmulatorError extends Error {
  /** HTTP status to answer with. */
  readonly status: number;
  /** BC error code, e.g. `BadRequest_NotFound`. */
  readonly code: string;
  /** Extra response headers (e.g. `retry-after`). */
  readonly headers: Record<string, string>;
  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'BcEmulatorError';
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

/** Builds BC's error envelope body: `{"error":{"code","message":"…  CorrelationId:  <guid>."}}`. */
export function errorBody(code: string, message: string): { error: { code: string; message: string } } {
  const text = message.endsWith('.') ? message : `${message}.`;
  return { error: { code, message: `${text}  CorrelationId:  ${randomUUID()}.` } };
}

/** Standard OData response headers BC sends with JSON. */
export const JSON_HEADERS = {
  'content-type': 'application/json; odata.metadata=minimal; odata.streaming=true',
  'odata-version': '4.0',
} as const;

/** Serialises a {@link BcEmulatorError} as a `Response`. */
export function errorResponse(error: BcEmulatorError): Response {
  return new Response(JSON.stringify(errorBody(error.code, error.message)), {
    status: error.status,
    headers: { ...JSON_HEADERS, ...error.headers },
  });
}

/** Shorthands for the errors the emulator raises most. */
export const bcErrors = {
  notFound: () => new BcEmulatorError(404, BC_ERROR_CODES.notFound, 'Bad Request - Error in query syntax'),
  segmentNotFound: (segment: string) =>
    new BcEmulatorError(404, BC_ERROR_CODES.resourceNotFound, `Resource not found for the segment '${segment}'`),
  querySyntax: (message: string) => new BcEmulatorError(400, BC_ERROR_CODES.notFound, message),
  methodNotAllowed: (method: string, entitySet: string) =>
    new BcEmulatorError(
      405,
      BC_ERROR_CODES.methodNotAllowed,
      `'${method}' requests for '${entitySet}' of EdmType 'Entity' are not allowed within Microsoft Dynamics 365 Business Central OData web services`,
    ),
  readOnlyField: (field: string) =>
    new BcEmulatorError(400, BC_ERROR_CODES.invalidOperation, `Control '${field}' is read-only`),
  missingIfMatch: () =>
    new BcEmulatorError(
      400,
      BC_ERROR_CODES.invalidToken,
      'Could not validate the client concurrency token required by the service. Please provide a valid token in the client request',
    ),
  entityChanged: () => new BcEmulatorError(412, BC_ERROR_CODES.entityChanged, 'Another user has already changed the record'),
  badRequest: (message: string) => new BcEmulatorError(400, BC_ERROR_CODES.badRequest, message),
  dialog: (message: string) => new BcEmulatorError(400, BC_ERROR_CODES.dialog, message),
  fieldValidation: (message: string) => new BcEmulatorError(400, BC_ERROR_CODES.fieldValidation, message),
  recordNotFound: (table: string, identification: string) =>
    new BcEmulatorError(
      400,
      BC_ERROR_CODES.recordNotFound,
      `The ${table} does not exist. Identification fields and values: ${identification}`,
    ),
  invalidGuid: () =>
    new BcEmulatorError(
      400,
      BC_ERROR_CODES.invalidGuid,
      'Invalid format of GUID string. The correct format of the GUID string is: CDEF7890-ABCD-0123-1234-567890ABCDEF where 0-9, A-F symbolizes hexadecimal digits',
    ),
};
