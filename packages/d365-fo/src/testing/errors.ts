/**
 * F&O OData error answers. F&O (ASP.NET Web API OData) sends `{ error: { code, message, innererror: { message,
 * type, stacktrace } } }`, usually with an empty `code` and the detail in `innererror.message`; the exact texts
 * below are modelled on public samples and marked UNCONFIRMED where no sample was found.
 */

/** An error the emulator answers with. */
export class FoEmulatorError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly innerType = 'Microsoft.Dynamics.Platform.Integration.Services.OData.AxODataException',
  ) {
    super(message);
  }
}

/** JSON headers of every answer. */
export const JSON_HEADERS = { 'content-type': 'application/json; odata.metadata=minimal', 'odata-version': '4.0' } as const;

/** The error body F&O sends. */
export function errorBody(error: FoEmulatorError): unknown {
  return { error: { code: '', message: error.message, innererror: { message: error.message, type: error.innerType, stacktrace: '' } } };
}

/** A `Response` for an emulator error. */
export function errorResponse(error: FoEmulatorError): Response {
  return new Response(JSON.stringify(errorBody(error)), { status: error.status, headers: { ...JSON_HEADERS, ...error.headers } });
}

/** Error factories with F&O-like messages. */
export const foErrors = {
  badRequest: (message: string) => new FoEmulatorError(400, message, {}, 'Microsoft.OData.ODataException'),
  notFound: (what: string) => new FoEmulatorError(404, `No resource was found that matches the request URI: ${what}`),
  resourceNotFound: (segment: string) => new FoEmulatorError(404, `Resource not found for the segment '${segment}'.`, {}, 'Microsoft.OData.UriParser.ODataUnrecognizedPathException'),
  methodNotAllowed: (method: string, set: string) => new FoEmulatorError(405, `The requested resource does not support http method '${method}' on '${set}'.`),
  conflict: (message: string) => new FoEmulatorError(409, message),
  preconditionFailed: () => new FoEmulatorError(412, 'The record has been changed since it was read (ETag mismatch). Read it again and retry.'),
  validation: (message: string) => new FoEmulatorError(400, `Write failed for table row of type '${message}'`, {}, 'Microsoft.Dynamics.Ax.Xpp.ErrorException'),
};
