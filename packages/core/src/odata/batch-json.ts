import { InvalidInputError, ResponseValidationError } from '../errors/index.js';
import {
  assertBatchRequest,
  type BatchOperationResult,
  type BatchRequest,
  hasHeader,
  MAX_BATCH_OPERATIONS,
  missingResult,
  receivedResult,
} from './batch.js';

/** One operation of a JSON `$batch` (Business Central). */
export interface JsonBatchRequest extends BatchRequest {
  /** Unique id within the batch; defaults to the 1-based position. Responses are matched by it. */
  id?: string;
  /** Ids of earlier operations or atomicity groups that must succeed before this one runs. */
  dependsOn?: readonly string[];
  /** Operations sharing a group succeed or fail together; they must be adjacent. */
  atomicityGroup?: string;
}

/** A JSON batch operation as sent: the id is always set. */
export interface JsonBatchOperation extends JsonBatchRequest {
  /** Unique id within the batch. */
  id: string;
}

/** Options for {@link buildJsonBatch}. */
export interface JsonBatchOptions {
  /** `snapshot` adds `Isolation: snapshot`, so every read sees the data as of the batch start (Business Central). */
  isolation?: 'snapshot';
}

/** A JSON batch ready to POST to `…/$batch`: send `body` as JSON with `headers`. */
export interface JsonBatch {
  /** The request document, `{ requests: [...] }`. */
  body: { requests: JsonBatchOperation[] };
  /** Headers for the `$batch` request itself. */
  headers: Record<string, string>;
}

/** The outcome of one JSON batch operation. */
export interface JsonBatchOperationResult extends BatchOperationResult<JsonBatchOperation> {
  /** The operation's id. */
  id: string;
}

/**
 * Builds a JSON `$batch` request (Business Central API v2.0). Validates ids, `dependsOn` references and
 * atomicity-group adjacency, and refuses more than 100 operations: split larger lists with `chunkBatchRequests`.
 */
export function buildJsonBatch(requests: readonly JsonBatchRequest[], options: JsonBatchOptions = {}): JsonBatch {
  if (!Array.isArray(requests) || requests.length === 0) {
    throw new InvalidInputError('A batch needs at least one request', { field: 'requests' });
  }
  if (requests.length > MAX_BATCH_OPERATIONS) {
    throw new InvalidInputError(
      `A batch holds at most ${MAX_BATCH_OPERATIONS} operations, got ${requests.length}; split them with chunkBatchRequests()`,
      { field: 'requests' },
    );
  }
  const seen = new Set<string>();
  const closedGroups = new Set<string>();
  const groupOf = new Map<string, string>();
  let openGroup: string | undefined;
  const operations = requests.map((request, index): JsonBatchOperation => {
    const field = `requests[${index}]`;
    assertBatchRequest(request, field, true);
    const id = request.id ?? String(index + 1);
    const group = request.atomicityGroup;
    if (typeof id !== 'string' || id === '' || seen.has(id) || id === group || id === openGroup || closedGroups.has(id)) {
      throw new InvalidInputError(`${field}.id ${JSON.stringify(id)} must be a non-empty string unique within the batch`, {
        field: `${field}.id`,
      });
    }
    if (group !== openGroup && openGroup !== undefined) closedGroups.add(openGroup);
    if (group !== undefined && (closedGroups.has(group) || seen.has(group))) {
      throw new InvalidInputError(`${field}.atomicityGroup "${group}" must name adjacent operations and differ from request ids`, {
        field: `${field}.atomicityGroup`,
      });
    }
    for (const dependency of request.dependsOn ?? []) {
      if (!seen.has(dependency) && !closedGroups.has(dependency)) {
        throw new InvalidInputError(`${field}.dependsOn "${dependency}" must name an earlier request id or atomicity group`, {
          field: `${field}.dependsOn`,
        });
      }
      // OData 4.01 JSON batch: a request in another atomicity group is depended on through its group.
      const dependencyGroup = groupOf.get(dependency);
      if (dependencyGroup !== undefined && dependencyGroup !== group) {
        throw new InvalidInputError(
          `${field}.dependsOn "${dependency}" points into atomicity group "${dependencyGroup}"; depend on the group "${dependencyGroup}" instead`,
          { field: `${field}.dependsOn` },
        );
      }
    }
    seen.add(id);
    if (group !== undefined) groupOf.set(id, group);
    openGroup = group;
    const operation: JsonBatchOperation = { id, method: request.method, url: request.url };
    const headers = { ...request.headers };
    if (request.body !== undefined && !hasHeader(headers, 'content-type')) headers['Content-Type'] = 'application/json';
    if (Object.keys(headers).length > 0) operation.headers = headers;
    if (request.body !== undefined) operation.body = request.body;
    if (request.dependsOn?.length) operation.dependsOn = [...request.dependsOn];
    if (group !== undefined) operation.atomicityGroup = group;
    return operation;
  });
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (options.isolation === 'snapshot') headers.Isolation = 'snapshot';
  return { body: { requests: operations }, headers };
}

function lowerCaseHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof headers !== 'object' || headers === null) return out;
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = String(value);
  return out;
}

/**
 * Matches a JSON `$batch` response (`{ responses: [{ id, status, headers, body }] }`, parsed or as text) to
 * the operations of `batch`, in request order. Operations without a response get an explicit error result
 * rather than being dropped; responses for unknown ids are ignored.
 */
export function parseJsonBatchResponse(response: unknown, batch: JsonBatch): JsonBatchOperationResult[] {
  let document: unknown = response;
  if (typeof response === 'string') {
    try {
      document = JSON.parse(response);
    } catch (cause) {
      throw new ResponseValidationError('The batch response is not valid JSON', { cause });
    }
  }
  const responses = (document as { responses?: unknown } | null)?.responses;
  if (!Array.isArray(responses)) {
    throw new ResponseValidationError('The batch response has no "responses" array; check that the $batch endpoint was called');
  }
  const byId = new Map<string, { status: number; headers: Record<string, string>; body: unknown }>();
  for (const item of responses as unknown[]) {
    const { id, status, headers, body } = (item ?? {}) as Record<string, unknown>;
    if (typeof id !== 'string' && typeof id !== 'number') continue;
    if (typeof status !== 'number' || !Number.isInteger(status)) {
      throw new ResponseValidationError(`The batch response for operation "${id}" has no numeric status`);
    }
    byId.set(String(id), { status, headers: lowerCaseHeaders(headers), body });
  }
  return batch.body.requests.map((operation) => {
    const received = byId.get(operation.id);
    const result = received
      ? receivedResult(operation, received.status, received.headers, received.body)
      : missingResult(operation, `"${operation.id}" (${operation.method} ${operation.url})`);
    return { id: operation.id, ...result };
  });
}
