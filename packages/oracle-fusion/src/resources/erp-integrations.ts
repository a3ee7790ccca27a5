import { type HttpClient, InvalidInputError, pollUntil } from '@ml-connector/core';
import { strFromU8, unzipSync } from 'fflate';
import { z } from 'zod';
import { ImportJobFailedError } from '../errors.js';

/** Terminal and running states of an ESS job (`RequestStatus`). */
export type EssJobStatus = 'WAIT' | 'READY' | 'RUNNING' | 'BLOCKED' | 'SUCCEEDED' | 'WARNING' | 'ERROR' | 'CANCELLED' | 'EXPIRED' | (string & {});

const TERMINAL = new Set(['SUCCEEDED', 'WARNING', 'ERROR', 'CANCELLED', 'EXPIRED']);

/** Progress of an import: bytes read and encoded, then job polls. */
export type ImportProgress =
  | { phase: 'reading'; bytes: number }
  | { phase: 'uploaded'; bytes: number; requestId: string }
  | { phase: 'polling'; requestId: string; status: EssJobStatus; attempt: number };

/** One rejected interface row from the job's execution details. */
export interface ImportRowError {
  /** Data file the row came from, e.g. `ApInvoicesInterface.csv`. */
  file: string;
  /** 1-based row number in that file. */
  row: number;
  /** Oracle's rejection code, e.g. `INVALID SUPPLIER`. */
  code: string;
  /** Rejection text. */
  message: string;
}

/** Outcome of {@link ErpIntegrationsResource.importBulkData}. */
export interface ImportResult {
  /** ESS request id of the load/import job (`ReqstId`). */
  requestId: string;
  /** Final `RequestStatus`. */
  status: EssJobStatus;
  /** Rows the import rejected, read from the execution details (empty when none or not readable). */
  rowErrors: ImportRowError[];
}

/** Options of `importBulkData`. */
export interface ImportBulkDataOptions {
  /** The zip file: bytes, a Web stream or any async iterable of chunks (read once, never buffered twice). */
  file: Uint8Array | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;
  /** File name, e.g. `apinvoiceimport.zip`. */
  fileName: string;
  /** UCM account, e.g. `fin$/payables$/import$`. */
  documentAccount: string;
  /** ESS job: `{package path},{job definition}`, e.g. `oracle/apps/ess/financials/payables/invoices/transactions,APXIIMPT`. */
  jobName: string;
  /** Job parameters, comma-separated as the job defines them (`#NULL` for empty). */
  parameterList: string;
  /** Callback URL Oracle calls when the job ends (optional). */
  callbackUrl?: string;
  /** Notification code (`10`: e-mail on error, …; see Oracle's docs). */
  notificationCode?: string;
  /** Poll interval in ms. Default 10,000. */
  pollIntervalMs?: number;
  /** Give up polling after this many ms (the job goes on). Default 30 minutes. */
  timeoutMs?: number;
  /** Progress callback. */
  onProgress?: (progress: ImportProgress) => void;
  /** Cancels the upload or the polling. */
  signal?: AbortSignal;
}

/** The ERP integrations service (`/erpintegrations`): file-based data import and ESS job status. */
export interface ErpIntegrationsResource {
  /**
   * Uploads a zip of interface CSVs and submits the load + import (`OperationName: importBulkData`), then polls
   * `getESSJobStatus` until the job ends and reads per-row rejections via `downloadESSJobExecutionDetails`.
   *
   * @throws ImportJobFailedError when the job ends `ERROR`, `CANCELLED` or `EXPIRED` (with its row errors).
   */
  importBulkData(options: ImportBulkDataOptions): Promise<ImportResult>;
  /** `getESSJobStatus`: the `RequestStatus` of one ESS request. */
  getJobStatus(requestId: string, signal?: AbortSignal): Promise<EssJobStatus>;
  /** `downloadESSJobExecutionDetails`: the job's log/output zip, parsed into row errors. */
  getExecutionDetails(requestId: string, signal?: AbortSignal): Promise<ImportRowError[]>;
}

const submitResponse = z.looseObject({ ReqstId: z.union([z.string(), z.number()]).nullish() });
const finderResponse = z.looseObject({
  items: z.array(z.looseObject({ RequestStatus: z.string().nullish(), DocumentContent: z.string().nullish(), ReqstId: z.union([z.string(), z.number()]).nullish() })),
});

async function* chunksOf(file: ImportBulkDataOptions['file']): AsyncGenerator<Uint8Array> {
  if (file instanceof Uint8Array) {
    yield file;
    return;
  }
  if (typeof (file as ReadableStream<Uint8Array>).getReader === 'function') {
    const reader = (file as ReadableStream<Uint8Array>).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  }
  yield* file as AsyncIterable<Uint8Array>;
}

/** Reads the file once and base64-encodes it incrementally (3-byte aligned), reporting progress per chunk. */
async function encodeBase64(file: ImportBulkDataOptions['file'], onProgress?: (p: ImportProgress) => void): Promise<{ base64: string; bytes: number }> {
  const parts: string[] = [];
  let carry = new Uint8Array(0);
  let bytes = 0;
  for await (const chunk of chunksOf(file)) {
    bytes += chunk.length;
    const joined = new Uint8Array(carry.length + chunk.length);
    joined.set(carry);
    joined.set(chunk, carry.length);
    const aligned = joined.length - (joined.length % 3);
    parts.push(Buffer.from(joined.buffer, joined.byteOffset, aligned).toString('base64'));
    carry = joined.slice(aligned);
    onProgress?.({ phase: 'reading', bytes });
  }
  parts.push(Buffer.from(carry).toString('base64'));
  return { base64: parts.join(''), bytes };
}

const REQUEST_ID = /^\d{1,19}$/;

function checkRequestId(requestId: string): string {
  if (typeof requestId !== 'string' || !REQUEST_ID.test(requestId)) {
    throw new InvalidInputError(`requestId must be the numeric ESS request id (ReqstId); got ${JSON.stringify(requestId)}`, { field: 'requestId' });
  }
  return requestId;
}

/**
 * Parses rejection rows out of the execution-details zip. Oracle's import reports are job specific; this reads
 * files ending `.csv` or `.txt` with lines `file,row,code,message` — the emulator's format, UNCONFIRMED for real jobs
 * (whose rejections are also queryable in the interface tables).
 */
export function parseExecutionDetails(zipBase64: string): ImportRowError[] {
  const files = unzipSync(Buffer.from(zipBase64, 'base64'));
  const errors: ImportRowError[] = [];
  for (const [name, content] of Object.entries(files)) {
    if (!/(?:rejections|errors)[^/]*\.(?:csv|txt)$/i.test(name)) continue;
    for (const line of strFromU8(content).split(/\r?\n/)) {
      const match = /^([^,]+),(\d+),([^,]*),(.*)$/.exec(line.trim());
      if (!match || match[2] === undefined) continue;
      errors.push({ file: match[1] as string, row: Number(match[2]), code: match[3] as string, message: (match[4] as string).replace(/^"|"$/g, '') });
    }
  }
  return errors;
}

/** Creates the ERP integrations resource. */
export function erpIntegrationsResource(http: HttpClient): ErpIntegrationsResource {
  const finder = async (name: string, vars: string, signal?: AbortSignal) =>
    http.get('erpintegrations', { query: { finder: `${name};${vars}` }, schema: finderResponse, operation: `erpintegrations.${name}`, ...(signal ? { signal } : {}) });

  const getJobStatus = async (requestId: string, signal?: AbortSignal): Promise<EssJobStatus> => {
    const body = await finder('ESSJobStatusRF', `requestId=${checkRequestId(requestId)}`, signal);
    const status = body.items[0]?.RequestStatus;
    if (!status) throw new InvalidInputError(`no ESS job ${requestId} was found`, { field: 'requestId' });
    return status;
  };
  const getExecutionDetails = async (requestId: string, signal?: AbortSignal) => {
    const body = await finder('ESSJobExecutionDetailsRF', `requestId=${checkRequestId(requestId)},fileType=log`, signal);
    const content = body.items[0]?.DocumentContent;
    return content ? parseExecutionDetails(content) : [];
  };

  return {
    getJobStatus,
    getExecutionDetails,
    async importBulkData(options) {
      for (const field of ['fileName', 'documentAccount', 'jobName', 'parameterList'] as const) {
        if (typeof options[field] !== 'string' || options[field] === '') throw new InvalidInputError(`importBulkData needs ${field}`, { field });
      }
      if (!/\.zip$/i.test(options.fileName)) throw new InvalidInputError('fileName must name a .zip file of interface CSVs', { field: 'fileName' });
      const pollIntervalMs = options.pollIntervalMs ?? 10_000;
      const deadline = Date.now() + (options.timeoutMs ?? 30 * 60_000);
      const { base64, bytes } = await encodeBase64(options.file, options.onProgress);
      if (bytes === 0) throw new InvalidInputError('the import file is empty', { field: 'file' });
      const submitted = await http.post('erpintegrations', {
        json: {
          OperationName: 'importBulkData',
          DocumentContent: base64,
          ContentType: 'zip',
          FileName: options.fileName,
          DocumentAccount: options.documentAccount,
          JobName: options.jobName,
          ParameterList: options.parameterList,
          ...(options.callbackUrl ? { CallbackURL: options.callbackUrl } : {}),
          NotificationCode: options.notificationCode ?? '10',
          JobOptions: 'InterfaceDetails=1,ImportOption=Y,PurgeOption=N,ExtractFileType=ALL',
        },
        schema: submitResponse,
        operation: 'erpintegrations.importBulkData',
        // A resubmitted upload would import the rows twice.
        idempotent: false,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      if (submitted.ReqstId === undefined || submitted.ReqstId === null) throw new InvalidInputError('the import was not submitted: no ReqstId returned', { field: 'file' });
      const requestId = String(submitted.ReqstId);
      options.onProgress?.({ phase: 'uploaded', bytes, requestId });
      let status: EssJobStatus = 'WAIT';
      const polled = await pollUntil(
        async (attempt) => {
          status = await getJobStatus(requestId, options.signal);
          options.onProgress?.({ phase: 'polling', requestId, status, attempt });
          return TERMINAL.has(status) ? status : undefined;
        },
        { intervalMs: pollIntervalMs, timeoutMs: Math.max(0, deadline - Date.now()), ...(options.signal ? { signal: options.signal } : {}) },
      );
      if (!polled.done) {
        throw new ImportJobFailedError(requestId, status, [], 'the import is still running after timeoutMs; poll getJobStatus() later');
      }
      const rowErrors = status === 'SUCCEEDED' ? [] : await getExecutionDetails(requestId, options.signal);
      if (status === 'ERROR' || status === 'CANCELLED' || status === 'EXPIRED') throw new ImportJobFailedError(requestId, status, rowErrors);
      return { requestId, status, rowErrors };
    },
  };
}
