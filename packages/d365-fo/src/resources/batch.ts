import {
  type ConnectorError,
  type HttpClient,
  InvalidInputError,
  type KeyValue,
  type MultipartBatchOperationResult,
  type MultipartBatchPart,
  type MultipartBatchRequest,
  buildMultipartBatch,
  matchMultipartBatchResponse,
  parseMultipartBatchResponse,
} from '@ml-connector/core';
import { type CompanyScope, type EntitySetSpec, recordPath, requireEtag, toEntity, writeBody } from './shared.js';
import { patchBody } from './entity-set.js';
import { ChangesetRolledBackError } from '../errors.js';

/** One operation of a batch, on an entity set of the pinned legal entity. */
export type BatchOperation =
  | { kind: 'create'; entitySet: string; body: Record<string, unknown> }
  | { kind: 'update'; entitySet: string; key: Record<string, KeyValue>; body: Record<string, unknown>; etag: string }
  | { kind: 'delete'; entitySet: string; key: Record<string, KeyValue>; etag?: string }
  | { kind: 'get'; entitySet: string; key: Record<string, KeyValue> };

/** A batch part: one operation, or a changeset whose operations succeed or fail together. */
export type BatchPart = BatchOperation | { changeset: readonly BatchOperation[] };

/** The outcome of one operation, in request order. */
export type BatchResult =
  | { ok: true; status: number; data: Record<string, unknown> | undefined; operation: BatchOperation; changesetIndex?: number }
  | {
      ok: false;
      status: number | undefined;
      /** The typed error of the failing operation (for a failed changeset: of the operation that failed). */
      error: ConnectorError;
      /** True when the operation was in a changeset that failed: nothing of that changeset was applied. */
      rolledBack: boolean;
      operation: BatchOperation;
      changesetIndex?: number;
    };

/** Multipart `$batch` on the pinned legal entity. */
export interface BatchResource {
  /**
   * Sends one multipart `$batch`: operations outside changesets run independently; each changeset is atomic
   * (F&O rolls it back entirely when one operation fails). Returns one result per operation, in order.
   */
  run(parts: readonly BatchPart[], options?: { signal?: AbortSignal }): Promise<BatchResult[]>;
}

const isChangeset = (part: BatchPart): part is { changeset: readonly BatchOperation[] } => 'changeset' in part;

/** Builds the `$batch` resource for `scope`; `specs` names the entity sets operations may address. */
export function batchResource(http: HttpClient, scope: CompanyScope, specs: ReadonlyMap<string, EntitySetSpec>, baseUrl: string): BatchResource {
  const toRequest = (operation: BatchOperation, field: string): MultipartBatchRequest => {
    const spec = specs.get(operation?.entitySet);
    if (!spec) throw new InvalidInputError(`${field}.entitySet must be one of ${[...specs.keys()].join(', ')}, got ${JSON.stringify(operation?.entitySet)}`, { field: `${field}.entitySet` });
    // F&O resolves batch request URLs against the service root; absolute URLs avoid any ambiguity.
    const url = (path: string) => `${baseUrl}${path}${scope.crossCompany && operation.kind !== 'create' ? '?cross-company=true' : ''}`;
    switch (operation.kind) {
      case 'create':
        return { method: 'POST', url: url(spec.name), body: writeBody(spec, scope, operation.body, `${field}.body`) };
      case 'update':
        return {
          method: 'PATCH',
          url: url(recordPath(spec, scope, operation.key)),
          headers: { 'If-Match': requireEtag({ etag: operation.etag }, `${field} (update)`) },
          body: patchBody(spec, scope, operation.body),
        };
      case 'delete':
        return { method: 'DELETE', url: url(recordPath(spec, scope, operation.key)), ...(operation.etag ? { headers: { 'If-Match': operation.etag } } : {}) };
      case 'get':
        return { method: 'GET', url: url(recordPath(spec, scope, operation.key)) };
      default:
        throw new InvalidInputError(`${field}.kind must be create, update, delete or get`, { field: `${field}.kind` });
    }
  };

  return {
    async run(parts, options = {}) {
      if (!Array.isArray(parts) || parts.length === 0) throw new InvalidInputError('batch.run needs at least one operation or changeset', { field: 'parts' });
      const operations: BatchOperation[] = [];
      const multipartParts: MultipartBatchPart[] = parts.map((part, index) => {
        if (isChangeset(part)) {
          if (!Array.isArray(part.changeset) || part.changeset.length === 0) {
            throw new InvalidInputError(`parts[${index}].changeset needs at least one operation`, { field: `parts[${index}].changeset` });
          }
          operations.push(...part.changeset);
          return { changeset: part.changeset.map((op, position) => toRequest(op, `parts[${index}].changeset[${position}]`)) };
        }
        operations.push(part);
        return toRequest(part, `parts[${index}]`);
      });
      const batch = buildMultipartBatch(multipartParts);
      const response = await http.request<string>({
        method: 'POST',
        path: '$batch',
        body: batch.body,
        headers: batch.headers,
        responseType: 'text',
        operation: 'batch',
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const parsed = parseMultipartBatchResponse(response.data, response.headers.get('content-type') ?? '');
      return toResults(matchMultipartBatchResponse(batch, parsed), operations);
    },
  };
}

function toResults(results: MultipartBatchOperationResult[], operations: BatchOperation[]): BatchResult[] {
  const failing = new Map<number, string>();
  results.forEach((r, index) => {
    if (r.failedHere && r.changesetIndex !== undefined && !failing.has(r.changesetIndex)) {
      failing.set(r.changesetIndex, `${r.request.method} ${operations[index]?.entitySet ?? r.request.url} (HTTP ${r.status})`);
    }
  });
  return results.map((result, index) => {
    const operation = operations[index] as BatchOperation;
    const where = result.changesetIndex === undefined ? {} : { changesetIndex: result.changesetIndex };
    if (result.ok && !result.changesetFailed) {
      const body = result.body as Record<string, unknown> | undefined;
      return { ok: true, status: result.status as number, data: body && typeof body === 'object' ? toEntity(body) : undefined, operation, ...where };
    }
    const ownFailure = result.failedHere || (!result.changesetFailed && result.status !== undefined && !result.ok);
    const error: ConnectorError =
      result.changesetFailed && !ownFailure
        ? new ChangesetRolledBackError(failing.get(result.changesetIndex as number) ?? 'another operation')
        : (result.error as ConnectorError);
    return { ok: false, status: ownFailure ? result.status : undefined, error, rolledBack: result.changesetFailed, operation, ...where };
  });
}
