/**
 * OData JSON `$batch` (BCDOCS `dev-itpro/webservices/use-odata-batch.md`): body `{requests:[{id, method, url,
 * headers, body}]}` → `{responses:[{id, status, headers, body}]}`; at most 100 operations (operational limits);
 * with `Isolation: snapshot` the batch is one transaction — if any inner request fails, every change is rolled
 * back while the responses still show each inner result (as in the documented example).
 */
import { errorBody, bcErrors, BcEmulatorError } from './errors.js';
import type { ApiRequest, ApiResult } from './router.js';
import type { BusinessCentralStore } from './store.js';

/** One inner request of a JSON batch. */
export interface BatchRequestItem {
  id?: string | null;
  method?: string;
  url?: string;
  headers?: Record<string, string>;
  body?: unknown;
  atomicityGroup?: string;
  dependsOn?: string[];
}

/**
 * Runs a JSON batch. `toInner` turns an inner URL into segments and query (relative to the service root,
 * absolute path, or absolute URL); `route` runs one inner request.
 */
export async function handleBatch(
  outer: ApiRequest,
  store: BusinessCentralStore,
  maxOperations: number,
  toInner: (url: string) => Pick<ApiRequest, 'segments' | 'query'>,
  route: (request: ApiRequest) => Promise<ApiResult>,
): Promise<ApiResult> {
  if (outer.method.toUpperCase() !== 'POST') throw bcErrors.methodNotAllowed(outer.method, '$batch');
  const contentType = outer.headers.get('content-type') ?? '';
  if (!contentType.includes('application/json')) {
    throw bcErrors.badRequest('The emulator supports only JSON batches: send Content-Type: application/json with {"requests":[…]}');
  }
  const body = outer.body as { requests?: unknown } | undefined;
  if (!body || !Array.isArray(body.requests)) throw bcErrors.badRequest('Invalid Request Body: a JSON batch needs a "requests" array');
  const requests = body.requests as BatchRequestItem[];
  if (requests.length > maxOperations) {
    // Limit from BCDOCS operational-limits-online.md; the error code/wording is UNCONFIRMED.
    throw bcErrors.badRequest(`The batch request contains ${requests.length} operations. The maximum number of operations in a batch is ${maxOperations}`);
  }
  const snapshot = (outer.headers.get('isolation') ?? '').toLowerCase() === 'snapshot';
  if (snapshot) store.begin();
  const responses: { id: string | null; status: number; headers: Record<string, string>; body?: unknown }[] = [];
  let failed = false;
  try {
    for (const item of requests) {
      const id = item.id === undefined ? null : item.id;
      let result: ApiResult;
      try {
        if (typeof item.url !== 'string' || typeof item.method !== 'string') throw bcErrors.badRequest('Each batch request needs "method" and "url"');
        const inner = toInner(item.url);
        if (inner.segments.some((s) => s === '$batch')) throw bcErrors.badRequest('Nested $batch requests are not supported');
        const headers = new Headers(item.headers ?? {});
        // Inner requests inherit the outer Prefer/Company headers when they do not set their own.
        for (const name of ['prefer', 'company']) {
          const value = outer.headers.get(name);
          if (value && !headers.has(name)) headers.set(name, value);
        }
        result = await route({ ...outer, method: item.method, segments: inner.segments, query: inner.query, headers, body: item.body });
      } catch (error) {
        if (!(error instanceof BcEmulatorError)) throw error;
        result = { status: error.status, headers: { 'content-type': 'application/json; odata.metadata=minimal', 'odata-version': '4.0', ...error.headers }, body: errorBody(error.code, error.message) };
      }
      if (result.status >= 400) failed = true;
      // Posting runs COMMIT inside AL (codeunit "Purch.-Post"): the transaction so far is committed and a later
      // failure rolls back only what follows.
      if (snapshot && result.status < 400 && /\/Microsoft\.NAV\.post$/.test(item.url as string)) {
        store.commit();
        store.begin();
      }
      responses.push({ id, status: result.status, headers: result.headers, ...(result.body === undefined ? {} : { body: result.body }) });
    }
  } catch (error) {
    if (snapshot) store.rollback();
    throw error;
  }
  if (snapshot) {
    if (failed) store.rollback();
    else store.commit();
  }
  return { status: 200, headers: { 'content-type': 'application/json; odata.metadata=minimal', 'odata-version': '4.0' }, body: { responses } };
}
