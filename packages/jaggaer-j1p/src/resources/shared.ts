import {
  type HttpClient,
  InvalidInputError,
  NotFoundError,
  type PagedAsyncIterable,
  type StartAtResponse,
  paginate,
  startAtTotRecords,
} from '@ml-connector/core';
import type { ZodType } from 'zod';
import { type JaggaerDateInput, formatCompactTimestamp, toEpochMs } from '../dates.js';
import type { JaggaerPaths } from '../paths.js';
import type { InvoiceListParameterNames } from '../query-parameters.js';
import { sendJaggaer } from '../request.js';

/** What every resource receives from the client: the transport, the resolved paths and numeric defaults. */
export interface ResourceContext {
  /** Core transport with auth, retry and throttling. */
  readonly http: HttpClient;
  /** Resolved path table. */
  readonly paths: Readonly<JaggaerPaths>;
  /** Default invoice page size. */
  readonly invoicePageSize: number;
  /** Coding values per upsert request. */
  readonly codingValueBatchSize: number;
  /** Default polling look-back in ms. */
  readonly pollLookbackMs: number;
  /** Invoices fetched at once to complete list entries that came without lines. */
  readonly invoiceFetchConcurrency: number;
  /** Query parameter names of the invoice list. */
  readonly invoiceListParameters: Readonly<InvoiceListParameterNames>;
  /** `companyInfo` field holding a supplier's payment terms (UNCONFIRMED name). */
  readonly supplierPaymentTermsField: string;
}

/** Options every call accepts. */
export interface CallOptions {
  /** Cancels the call, including waits between retries. */
  signal?: AbortSignal;
}

/** How a create/update request treats existing records (JAGGAER Advanced `operationCode`). Default `CREATEUPDATE`. */
export type OperationCode = 'CREATE' | 'UPDATE' | 'CREATEUPDATE';

/** Options of upserts. */
export interface UpsertOptions extends CallOptions {
  /** `CREATE` fails with ConflictError when the record exists, `UPDATE` with NotFoundError when it does not. Default `CREATEUPDATE`. */
  operation?: OperationCode;
}

const OPERATIONS = new Set<OperationCode>(['CREATE', 'UPDATE', 'CREATEUPDATE']);

/** Checks the operation code; returns it with the default applied. */
export function operationOf(options: UpsertOptions | undefined): OperationCode {
  const operation = options?.operation ?? 'CREATEUPDATE';
  if (!OPERATIONS.has(operation)) {
    throw new InvalidInputError(`operation must be CREATE, UPDATE or CREATEUPDATE, got ${String(operation)}`, { field: 'operation' });
  }
  return operation;
}

/** A non-empty trimmed string, or InvalidInputError naming `field`. */
export function requireText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new InvalidInputError(`${field} is required (a non-empty string)`, { field });
  return value.trim();
}

/** One `flt` condition of JAGGAER Advanced lists, e.g. `EXTCODE==V00001` or `LASTMODTIME>=20250101000000`. */
export type FilterCondition = readonly [key: string, op: '==' | '!=' | '>=' | '<=', value: string];

/** Builds a `flt` value; values containing `;` cannot be expressed and are rejected. */
export function buildFilter(conditions: readonly FilterCondition[], raw: string | undefined): string | undefined {
  const parts = conditions.map(([key, op, value]) => {
    if (value.includes(';')) throw new InvalidInputError(`Filter value for ${key} must not contain ";" (the flt separator)`, { field: key });
    return `${key}${op}${value}`;
  });
  if (raw !== undefined && raw.trim() !== '') parts.push(raw.trim());
  return parts.length ? parts.join(';') : undefined;
}

/** `LASTMODTIME>=…` for a `modifiedSince` option. */
export function modifiedSinceCondition(value: JaggaerDateInput | undefined, field: string): FilterCondition[] {
  return value === undefined ? [] : [['LASTMODTIME', '>=', formatCompactTimestamp(toEpochMs(value, field))]];
}

/** Settings of {@link jaListing}. */
export interface JaListingSettings<R, T> {
  path: string;
  schema: ZodType<R>;
  select: (body: R) => unknown[] | undefined;
  map: (entry: never) => T;
  flt: string | undefined;
  /** Components to include (`comp`, `;`-separated), e.g. `USER`. */
  comp?: string;
  operation: string;
  signal?: AbortSignal;
}

/** A JAGGAER Advanced list (`start` + `flt`, fixed server page size) as a resumable {@link PagedAsyncIterable}. */
export function jaListing<R extends StartAtResponse, T>(ctx: ResourceContext, s: JaListingSettings<R, T>): PagedAsyncIterable<T> {
  return paginate(
    startAtTotRecords(
      async ({ startAt, signal }) =>
        (
          await sendJaggaer(ctx.http, {
            path: s.path,
            query: { start: startAt, flt: s.flt, ...(s.comp ? { comp: s.comp } : {}) },
            schema: s.schema,
            operation: s.operation,
            ...(signal ? { signal } : {}),
          })
        ).data,
      (body) => (s.select(body) as never[] | undefined)?.map((entry) => s.map(entry)),
    ),
    s.signal ? { signal: s.signal } : {},
  );
}

/** A "no record" outcome of a lookup done through a list filter, as the same NotFoundError a 404 gives. */
export function notFoundInList(ctx: ResourceContext, path: string, flt: string, what: string): NotFoundError {
  const url = new URL(path, ctx.http.baseUrl);
  url.searchParams.set('flt', flt);
  // No HTTP 404 was received (the list came back empty), so no status is claimed.
  return new NotFoundError(`${what} not found (the filtered list was empty)`, { method: 'GET', url });
}
