import type { HttpClient, HttpResponse, RequestOptions } from '@ml-connector/core';
import { JaggaerReturnCodeError } from './errors.js';

const OK_CODES = new Set(['0', 'OK', '']);

/** True when a `returnCode` value means success (`0`, `"0"`, `"OK"`, empty or absent). */
export function isSuccessReturnCode(code: unknown): boolean {
  if (code === undefined || code === null) return true;
  return OK_CODES.has(String(code).trim().toUpperCase());
}

/**
 * Sends one request through the core transport (auth, retries, throttling) and checks JAGGAER's
 * `{returnCode, returnMessage}` envelope: a 2xx with a non-zero `returnCode` becomes a {@link JaggaerReturnCodeError}.
 * Internal: resources call this instead of `http.request` so no endpoint forgets the check.
 */
export async function sendJaggaer<T>(http: HttpClient, options: RequestOptions<T>): Promise<HttpResponse<T>> {
  const response = await http.request(options);
  const body = response.data as { returnCode?: unknown; returnMessage?: unknown } | null;
  if (typeof body === 'object' && body !== null && !isSuccessReturnCode(body.returnCode)) {
    const code = String(body.returnCode);
    const message = typeof body.returnMessage === 'string' && body.returnMessage ? body.returnMessage : undefined;
    const url = new URL(options.path, http.baseUrl);
    throw new JaggaerReturnCodeError(`JAGGAER reported returnCode ${code}${message ? `: ${message}` : ''}`, code, {
      status: response.status,
      method: (options.method ?? 'GET').toUpperCase(),
      url,
      requestId: response.requestId,
      retries: response.retries,
      data: response.data,
      vendorCode: code,
      ...(message ? { vendorMessage: message } : {}),
    });
  }
  return response;
}
