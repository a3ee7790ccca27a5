import {
  ConnectorError,
  type HttpClient,
  InvalidInputError,
  type JsonBatchRequest,
  ResponseValidationError,
  buildJsonBatch,
  chunkBatchRequests,
  parseJsonBatchResponse,
} from '@ml-connector/core';
import type { z } from 'zod';
import { ReadOnlyEntityError } from '../errors.js';
import { BUSINESS_CENTRAL_LIMITS } from '../rate-limits.js';
import { accountSchema } from '../schemas/account.js';
import type { Entity } from '../schemas/common.js';
import { dimensionSchema, dimensionValueSchema } from '../schemas/dimension.js';
import { purchaseInvoiceLineSchema, purchaseInvoiceSchema, PURCHASE_INVOICE_LINE_READ_ONLY_FIELDS, PURCHASE_INVOICE_READ_ONLY_FIELDS } from '../schemas/purchase-invoice.js';
import { purchaseOrderLineSchema, purchaseOrderSchema } from '../schemas/purchase-order.js';
import { VENDOR_READ_ONLY_FIELDS, vendorSchema } from '../schemas/vendor.js';
import { purchaseInvoiceCreateBody, purchaseInvoiceUpdateBody } from './purchase-invoices.js';
import { keyPath, requireEtag, toEntity, writableBody } from './shared.js';

/** Entity sets that accept writes through this client's `$batch`. */
export type BatchWritableEntitySet = 'vendors' | 'purchaseInvoices' | 'purchaseInvoiceLines';
/** Entity sets a batch can address. */
export type BatchEntitySet = BatchWritableEntitySet | 'accounts' | 'dimensions' | 'dimensionValues' | 'purchaseOrders' | 'purchaseOrderLines';

/** One operation of {@link BatchResource.run}. */
export type BatchOperation =
  | { kind: 'create'; entitySet: BatchEntitySet; body: Record<string, unknown> }
  | { kind: 'update'; entitySet: BatchEntitySet; id: string; body: Record<string, unknown>; etag: string }
  | { kind: 'delete'; entitySet: BatchEntitySet; id: string; etag?: string }
  | { kind: 'get'; entitySet: BatchEntitySet; id: string }
  | { kind: 'post'; entitySet: 'purchaseInvoices'; id: string };

/** Thrown into a batch result whose operation succeeded but was rolled back because another failed (`Isolation: snapshot`). */
export class BatchRolledBackError extends ConnectorError {
  /** Literal class name, kept under minification. */
  static override readonly kind: string = 'BatchRolledBackError';
  constructor(message: string) {
    super(message, 'BATCH_ROLLED_BACK');
  }
}

/** The outcome of one batch operation, in the caller's order, carrying the caller's input. */
export type BatchResult<T = Record<string, unknown>, I = BatchOperation> =
  | { ok: true; status: number; data: Entity<T> | undefined; input: I }
  | {
      ok: false;
      status: number | undefined;
      /** Typed error: the `HttpError` subclass for the operation's status (core's `errorFromResponse`), `BatchRolledBackError` or `OutcomeUnknownError`. */
      error: ConnectorError;
      /** True when the operation itself succeeded but a snapshot batch rolled it back. */
      rolledBack: boolean;
      input: I;
    };

/** Options of {@link BatchResource.run}. */
export interface BatchOptions {
  /**
   * `'snapshot'` makes each `$batch` request one transaction (all or nothing), with one exception: a
   * `post` operation commits inside Business Central's posting code, so it and the operations before it are
   * NOT rolled back when a later operation fails; they are reported `ok: true`.
   */
  isolation?: 'snapshot';
  /**
   * More than 100 operations: `true` (default without isolation) splits them into several `$batch` requests;
   * `false` refuses. With `isolation: 'snapshot'` larger lists are always refused, since a transaction cannot
   * span requests.
   */
  split?: boolean;
  /** Operations per request, 1–100. Default 100. */
  maxOperations?: number;
  /** Cancels the remaining requests. */
  signal?: AbortSignal;
}

/** `$batch` for one company. */
export interface BatchResource {
  /** Runs operations in `$batch` requests (≤ 100 each) and returns one result per operation, in order. */
  run<I extends BatchOperation>(operations: readonly I[], options?: BatchOptions): Promise<BatchResult<Record<string, unknown>, I>[]>;
  /** Creates many records of one entity set; results map to `records` by position. */
  createMany<R extends Record<string, unknown>>(
    entitySet: BatchEntitySet,
    records: readonly R[],
    options?: BatchOptions,
  ): Promise<BatchResult<Record<string, unknown>, R>[]>;
}

const WRITABLE: ReadonlySet<string> = new Set<BatchWritableEntitySet>(['vendors', 'purchaseInvoices', 'purchaseInvoiceLines']);
const SCHEMAS: Record<BatchEntitySet, z.ZodType> = {
  vendors: vendorSchema,
  purchaseInvoices: purchaseInvoiceSchema,
  purchaseInvoiceLines: purchaseInvoiceLineSchema,
  accounts: accountSchema,
  dimensions: dimensionSchema,
  dimensionValues: dimensionValueSchema,
  purchaseOrders: purchaseOrderSchema,
  purchaseOrderLines: purchaseOrderLineSchema,
};

function createBody(entitySet: BatchEntitySet, body: unknown): Record<string, unknown> {
  if (entitySet === 'purchaseInvoices') return purchaseInvoiceCreateBody(body);
  if (entitySet === 'purchaseInvoiceLines') return writableBody(body, PURCHASE_INVOICE_LINE_READ_ONLY_FIELDS);
  return writableBody(body, VENDOR_READ_ONLY_FIELDS);
}

function updateBody(entitySet: BatchEntitySet, body: unknown): Record<string, unknown> {
  if (entitySet === 'purchaseInvoices') return purchaseInvoiceUpdateBody(body);
  if (entitySet === 'purchaseInvoiceLines') return writableBody(body, PURCHASE_INVOICE_LINE_READ_ONLY_FIELDS);
  if (entitySet === 'vendors') return writableBody(body, VENDOR_READ_ONLY_FIELDS);
  return writableBody(body, PURCHASE_INVOICE_READ_ONLY_FIELDS);
}

/** Turns one operation into a JSON batch request, refusing writes to read-only sets. */
function toBatchRequest(companyPath: string, operation: BatchOperation, index: number): JsonBatchRequest {
  const field = `operations[${index}]`;
  if (typeof operation !== 'object' || operation === null || !(operation.entitySet in SCHEMAS)) {
    throw new InvalidInputError(`${field}.entitySet must be one of ${Object.keys(SCHEMAS).join(', ')}`, { field: `${field}.entitySet` });
  }
  const set = `${companyPath}/${operation.entitySet}`;
  if (operation.kind !== 'get' && !WRITABLE.has(operation.entitySet)) throw new ReadOnlyEntityError(operation.entitySet, operation.kind);
  const id = `${index + 1}`;
  switch (operation.kind) {
    case 'get':
      return { id, method: 'GET', url: keyPath(set, operation.id, `${field}.id`) };
    case 'create':
      return { id, method: 'POST', url: set, body: createBody(operation.entitySet, operation.body) };
    case 'update':
      return {
        id,
        method: 'PATCH',
        url: keyPath(set, operation.id, `${field}.id`),
        headers: { 'If-Match': requireEtag({ etag: operation.etag }, `${field} (update)`) },
        body: updateBody(operation.entitySet, operation.body),
      };
    case 'delete':
      return {
        id,
        method: 'DELETE',
        url: keyPath(set, operation.id, `${field}.id`),
        ...(operation.etag !== undefined ? { headers: { 'If-Match': requireEtag({ etag: operation.etag }, `${field} (delete)`) } } : {}),
      };
    case 'post':
      if (operation.entitySet !== 'purchaseInvoices') throw new InvalidInputError(`${field}: only purchaseInvoices can be posted`, { field });
      return { id, method: 'POST', url: `${keyPath(set, operation.id, `${field}.id`)}/Microsoft.NAV.post` };
    default:
      throw new InvalidInputError(`${field}.kind must be create, update, delete, get or post`, { field: `${field}.kind` });
  }
}

/**
 * Builds the batch resource of one company. `chargeOperations(n, signal)` takes rate permits for the inner
 * operations beyond the first (see `countBatchOperations`).
 */
export function batchResource(
  http: HttpClient,
  companyPath: string,
  chargeOperations: (operations: number, signal?: AbortSignal) => Promise<void> = async () => undefined,
): BatchResource {
  async function run<I extends BatchOperation>(operations: readonly I[], options: BatchOptions = {}): Promise<BatchResult<Record<string, unknown>, I>[]> {
    if (!Array.isArray(operations) || operations.length === 0) {
      throw new InvalidInputError('operations must be a non-empty array', { field: 'operations' });
    }
    const max = options.maxOperations ?? BUSINESS_CENTRAL_LIMITS.maxBatchOperations;
    if (!Number.isSafeInteger(max) || max < 1 || max > BUSINESS_CENTRAL_LIMITS.maxBatchOperations) {
      throw new InvalidInputError(`maxOperations must be an integer from 1 to ${BUSINESS_CENTRAL_LIMITS.maxBatchOperations}`, { field: 'maxOperations' });
    }
    const split = options.split ?? options.isolation !== 'snapshot';
    if (operations.length > max && (!split || options.isolation === 'snapshot')) {
      throw new InvalidInputError(
        `A Business Central $batch holds at most ${max} operations, got ${operations.length}. ` +
          (options.isolation === 'snapshot'
            ? 'A snapshot transaction cannot span several requests: group the operations into transactions of at most 100 yourself'
            : 'Pass split: true to send several $batch requests'),
        { field: 'operations' },
      );
    }
    // Validate everything (and refuse read-only writes) before the first request.
    const requests = operations.map((operation, index) => ({ operation, request: toBatchRequest(companyPath, operation, index) }));
    const results: BatchResult<Record<string, unknown>, I>[] = [];
    for (const chunk of chunkBatchRequests(requests, max)) {
      const batch = buildJsonBatch(
        chunk.map(({ request }, i) => ({ ...request, id: String(i + 1) })),
        options.isolation ? { isolation: options.isolation } : {},
      );
      await chargeOperations(chunk.length, options.signal);
      const response = await http.request({
        method: 'POST',
        path: '$batch',
        json: batch.body,
        headers: batch.headers,
        idempotent: false,
        operation: 'batch',
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const parsed = parseJsonBatchResponse(response.data, batch);
      const anyFailed = parsed.some((r) => !r.ok);
      // `Microsoft.NAV.post` commits inside AL: it and everything before it in the transaction stay committed
      // even when a later operation fails, so only successes after the last successful post are rolled back.
      let committedThrough = -1;
      parsed.forEach((result, i) => {
        if (result.ok && chunk[i]!.operation.kind === 'post') committedThrough = i;
      });
      parsed.forEach((result, i) => {
        const input = chunk[i]!.operation as I;
        if (!result.ok) {
          results.push({ ok: false, status: result.status, error: result.error!, rolledBack: false, input });
          return;
        }
        if (options.isolation === 'snapshot' && anyFailed && i > committedThrough) {
          results.push({
            ok: false,
            status: result.status,
            rolledBack: true,
            error: new BatchRolledBackError(`Operation ${i + 1} succeeded but was rolled back because another operation of the snapshot batch failed`),
            input,
          });
          return;
        }
        if (result.body === undefined || input.kind === 'delete' || input.kind === 'post') {
          results.push({ ok: true, status: result.status!, data: undefined, input });
          return;
        }
        const checked = SCHEMAS[input.entitySet].safeParse(result.body);
        if (!checked.success) {
          results.push({
            ok: false,
            status: result.status,
            rolledBack: false,
            error: new ResponseValidationError(`Batch operation ${i + 1} (${input.kind} ${input.entitySet}) returned an unexpected shape`),
            input,
          });
          return;
        }
        results.push({ ok: true, status: result.status!, data: toEntity(checked.data as Record<string, unknown>), input });
      });
    }
    return results;
  }
  return {
    run,
    async createMany(entitySet, records, options) {
      if (!Array.isArray(records)) throw new InvalidInputError('records must be an array', { field: 'records' });
      const results = await run(
        records.map((body) => ({ kind: 'create' as const, entitySet, body })),
        options,
      );
      return results.map((result, i) => ({ ...result, input: records[i]! }));
    },
  };
}
