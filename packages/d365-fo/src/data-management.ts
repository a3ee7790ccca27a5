/**
 * The Data management package REST API (FODOCS `data-entities/data-management-api.md`), the bulk path Microsoft
 * sizes at hundreds of thousands of records per hour (OData: thousands). Actions are bound to
 * `DataManagementDefinitionGroups` in namespace `Microsoft.Dynamics.DataEntities`. Package blobs live in Azure
 * Storage behind SAS URLs: they are read and written with plain `fetch`, never with the F&O bearer token.
 */
import { type HttpClient, InvalidInputError, ResponseValidationError, pollUntil } from '@ml-connector/core';
import { Unzip, UnzipInflate } from 'fflate';
import { z } from 'zod';
import { CsvRowParser, parseCsv } from './csv.js';
import { DataManagementJobError } from './errors.js';

const ACTIONS = 'DataManagementDefinitionGroups/Microsoft.Dynamics.DataEntities.';
const valueOf = <T extends z.ZodType>(schema: T) => z.looseObject({ value: schema });
/**
 * The documented samples of `ExportToPackage` and `GetExportedPackageUrl` nest the string (`"value":{"value":"…"}`)
 * while the other actions answer `"value":"…"`; both forms are accepted.
 */
const actionString = z.union([z.string(), z.looseObject({ value: z.string() }).transform((nested) => nested.value)]);

/** Status values of `GetExecutionSummaryStatus`. */
export type ExecutionStatus = 'Unknown' | 'NotRun' | 'Executing' | 'Succeeded' | 'PartiallySucceeded' | 'Failed' | 'Canceled';
const FINAL: ReadonlySet<string> = new Set(['Succeeded', 'PartiallySucceeded', 'Failed', 'Canceled']);

/** Progress of a transfer or job. */
export interface DataManagementProgress {
  /** `download`, `upload` or `job`. */
  phase: 'download' | 'upload' | 'job';
  /** Bytes transferred so far (transfers). */
  bytes?: number;
  /** Total bytes when known. */
  totalBytes?: number;
  /** Job status (jobs). */
  status?: ExecutionStatus;
}

/** Options of {@link DataManagementResource.waitForExecution}. */
export interface WaitOptions {
  /** Poll interval in ms. Default 5000. */
  pollMs?: number;
  /** Give up after this many ms with {@link DataManagementJobError}. Default 3,600,000. */
  timeoutMs?: number;
  /** Called after every poll. */
  onProgress?: (progress: DataManagementProgress) => void;
  /** Cancels the wait. */
  signal?: AbortSignal;
}

/** One record an import rejected, from the error keys file. */
export interface ImportErrorKey {
  /** The record's key as F&O wrote it. */
  key: string;
  /** Why it was rejected. */
  error: string;
  /** Every column of the error keys file. */
  columns: Readonly<Record<string, string>>;
}

/** One record of an exported package: column → text as the CSV holds it. */
export type PackageRecord = Readonly<Record<string, string>>;

/** Options of {@link DataManagementResource.readPackage}. */
export interface ReadPackageOptions {
  /**
   * The entity file to read (`<entityName>.csv`, e.g. `Vendors V2`, case-insensitive). Default: the package's only
   * (first) CSV file.
   */
  entityName?: string;
  /**
   * Field names to give the columns: a column whose name equals one of them ignoring case gets that spelling (DMF
   * writes staging column names upper-cased, `VENDORACCOUNTNUMBER`). Other columns keep their name.
   */
  fields?: readonly string[];
  /** Byte progress of the download. */
  onProgress?: (progress: DataManagementProgress) => void;
  /** Cancels the download. */
  signal?: AbortSignal;
}

/** The Data management package API. */
export interface DataManagementResource {
  /** Starts an export of a data project (definition group) to a package; returns the execution id. */
  exportToPackage(input: { definitionGroupId: string; packageName: string; legalEntityId: string; executionId?: string; reExecute?: boolean }): Promise<string>;
  /** `GetExecutionSummaryStatus`. */
  getExecutionSummaryStatus(executionId: string): Promise<ExecutionStatus>;
  /** Polls until the job ends; throws {@link DataManagementJobError} for `Failed`/`Canceled` or on timeout. */
  waitForExecution(executionId: string, options?: WaitOptions): Promise<ExecutionStatus>;
  /** `GetExportedPackageUrl`: the SAS URL of an exported package (empty until the export succeeded). */
  getExportedPackageUrl(executionId: string): Promise<string>;
  /**
   * Streams the records of a package (a zip with `Manifest.xml`, `PackageHeader.xml` and `<entity>.csv`; a plain
   * CSV blob is read as is): downloaded, unzipped and parsed chunk by chunk, never held whole in memory.
   */
  readPackage(url: string, options?: ReadPackageOptions): AsyncIterable<PackageRecord>;
  /** Streams a package (or any SAS blob) without loading it into memory, reporting progress. */
  download(url: string, options?: { onProgress?: (progress: DataManagementProgress) => void; signal?: AbortSignal }): AsyncIterable<Uint8Array>;
  /** `GetAzureWriteUrl`: a blob to upload a package to. */
  getAzureWriteUrl(uniqueFileName: string): Promise<{ blobId: string; blobUrl: string }>;
  /** Uploads a package to a SAS URL (`PUT`, `x-ms-blob-type: BlockBlob`), streaming, with progress. */
  upload(blobUrl: string, body: Uint8Array | string | AsyncIterable<Uint8Array>, options?: { onProgress?: (progress: DataManagementProgress) => void; signal?: AbortSignal }): Promise<void>;
  /** Starts an import of an uploaded package; returns the execution id. */
  importFromPackage(input: { packageUrl: string; definitionGroupId: string; legalEntityId: string; executionId?: string; execute?: boolean; overwrite?: boolean }): Promise<string>;
  /** The records an import rejected, per record (`GenerateImportTargetErrorKeysFile` + `GetImportTargetErrorKeysFileUrl`). */
  getImportErrorKeys(executionId: string, entityName: string): Promise<ImportErrorKey[]>;
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new InvalidInputError(`${field} is required`, { field });
  return value;
}

function blobUrl(url: string, allowLoopback: boolean): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidInputError(`Not a URL: a package blob URL (SAS) is expected`, { field: 'url' });
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(allowLoopback && loopback && parsed.protocol === 'http:')) {
    throw new InvalidInputError('Package blob URLs must use https (http only on loopback with allowLoopback)', { field: 'url' });
  }
  return parsed;
}

/** Builds the Data management resource on the client's transport; blobs use `blobFetch`. */
export function dataManagementResource(http: HttpClient, blobFetch: typeof fetch, allowLoopback: boolean): DataManagementResource {
  const action = async <T extends z.ZodType>(name: string, json: Record<string, unknown>, schema: T): Promise<z.infer<T>> => {
    const response = await http.request({ method: 'POST', path: `${ACTIONS}${name}`, json, schema: valueOf(schema), operation: `dataManagement.${name}` });
    return (response.data as { value: z.infer<T> }).value;
  };
  const status = (executionId: string) => action('GetExecutionSummaryStatus', { executionId: text(executionId, 'executionId') }, z.string()) as Promise<ExecutionStatus>;
  const resource: DataManagementResource = {
    exportToPackage: (input) =>
      action('ExportToPackage', { definitionGroupId: text(input.definitionGroupId, 'definitionGroupId'), packageName: text(input.packageName, 'packageName'), executionId: input.executionId ?? '', reExecute: input.reExecute ?? false, legalEntityId: text(input.legalEntityId, 'legalEntityId') }, actionString),
    getExecutionSummaryStatus: status,
    async waitForExecution(executionId, options = {}) {
      const timeoutMs = options.timeoutMs ?? 3_600_000;
      let current: ExecutionStatus | undefined;
      const polled = await pollUntil(
        async () => {
          current = await status(executionId);
          options.onProgress?.({ phase: 'job', status: current });
          if (current === 'Failed' || current === 'Canceled') throw new DataManagementJobError(executionId, current, `Data management job ${executionId} ended ${current}; see its execution log in F&O`);
          return FINAL.has(current) ? current : undefined;
        },
        { intervalMs: options.pollMs ?? 5000, timeoutMs, ...(options.signal ? { signal: options.signal } : {}) },
      );
      if (polled.done) return polled.value;
      throw new DataManagementJobError(executionId, current as ExecutionStatus, `Data management job ${executionId} still ${current} after ${timeoutMs} ms`);
    },
    getExportedPackageUrl: (executionId) => action('GetExportedPackageUrl', { executionId: text(executionId, 'executionId') }, actionString),
    async *readPackage(url, options = {}) {
      const names = new Map((options.fields ?? []).map((name) => [name.toUpperCase(), name]));
      let header: string[] | undefined;
      for await (const row of packageRows(resource.download(url, { ...(options.onProgress ? { onProgress: options.onProgress } : {}), ...(options.signal ? { signal: options.signal } : {}) }), options.entityName)) {
        if (header === undefined) {
          header = row.map((name) => names.get(name.toUpperCase()) ?? name);
          continue;
        }
        if (row.length === 1 && row[0] === '') continue;
        yield Object.fromEntries(header.map((name, i) => [name, row[i] ?? '']));
      }
    },
    async *download(url, options = {}) {
      const response = await blobFetch(blobUrl(url, allowLoopback), { ...(options.signal ? { signal: options.signal } : {}) });
      if (!response.ok || !response.body) throw new ResponseValidationError(`Downloading the package failed with HTTP ${response.status}`);
      const total = Number(response.headers.get('content-length') ?? NaN);
      let bytes = 0;
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        bytes += chunk.byteLength;
        options.onProgress?.({ phase: 'download', bytes, ...(Number.isFinite(total) ? { totalBytes: total } : {}) });
        yield chunk;
      }
    },
    async getAzureWriteUrl(uniqueFileName) {
      const raw = await action('GetAzureWriteUrl', { uniqueFileName: text(uniqueFileName, 'uniqueFileName') }, z.string());
      const parsed = z.object({ BlobId: z.string(), BlobUrl: z.string() }).safeParse((() => { try { return JSON.parse(raw); } catch { return undefined; } })());
      if (!parsed.success) throw new ResponseValidationError('GetAzureWriteUrl did not return {"BlobId","BlobUrl"} JSON');
      return { blobId: parsed.data.BlobId, blobUrl: parsed.data.BlobUrl };
    },
    async upload(url, body, options = {}) {
      const target = blobUrl(url, allowLoopback);
      let bytes = 0;
      const count = (chunk: Uint8Array) => {
        bytes += chunk.byteLength;
        options.onProgress?.({ phase: 'upload', bytes });
        return chunk;
      };
      const payload =
        typeof body === 'string' || body instanceof Uint8Array
          ? count(typeof body === 'string' ? new TextEncoder().encode(body) : body)
          : streamOf(body, count);
      const response = await blobFetch(target, {
        method: 'PUT',
        headers: { 'x-ms-blob-type': 'BlockBlob' },
        body: payload as BodyInit,
        ...(payload instanceof ReadableStream ? { duplex: 'half' } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      } as RequestInit);
      if (!response.ok) throw new ResponseValidationError(`Uploading the package failed with HTTP ${response.status}`);
    },
    importFromPackage: (input) =>
      action('ImportFromPackage', { packageUrl: text(input.packageUrl, 'packageUrl'), definitionGroupId: text(input.definitionGroupId, 'definitionGroupId'), executionId: input.executionId ?? '', execute: input.execute ?? true, overwrite: input.overwrite ?? true, legalEntityId: text(input.legalEntityId, 'legalEntityId') }, z.string()),
    async getImportErrorKeys(executionId, entityName) {
      const args = { executionId: text(executionId, 'executionId'), entityName: text(entityName, 'entityName') };
      const generated = await action('GenerateImportTargetErrorKeysFile', args, z.boolean());
      if (!generated) return [];
      const url = await action('GetImportTargetErrorKeysFileUrl', args, z.string());
      if (url === '') return [];
      let csv = '';
      const decoder = new TextDecoder();
      for await (const chunk of resource.download(url)) csv += decoder.decode(chunk, { stream: true });
      const [header = [], ...rows] = parseCsv(csv).filter((r) => r.some((f) => f !== ''));
      return rows.map((row) => {
        const columns = Object.fromEntries(header.map((name, i) => [name, row[i] ?? '']));
        return { key: row[0] ?? '', error: row[header.length - 1] ?? '', columns };
      });
    },
  };
  return resource;
}

const isEntityFile = (name: string, entityName: string | undefined) =>
  entityName === undefined ? /\.csv$/i.test(name) && !name.includes('/') : name.toLowerCase() === `${entityName.toLowerCase()}.csv`;

/** CSV rows of a package stream: the entity file of a zip (inflated as it arrives), or the blob itself when it is CSV. */
async function* packageRows(chunks: AsyncIterable<Uint8Array>, entityName: string | undefined): AsyncIterable<string[]> {
  const parser = new CsvRowParser();
  const decoder = new TextDecoder(); // strips the UTF-8 BOM F&O writes
  const ready: string[][] = [];
  let failure: unknown;
  let found = false;
  let zipped: boolean | undefined;
  const unzip = new Unzip((file) => {
    if (found || !isEntityFile(file.name, entityName)) return;
    found = true;
    file.ondata = (error, data, final) => {
      if (error) failure = error;
      else ready.push(...parser.push(decoder.decode(data, { stream: !final })), ...(final ? parser.end() : []));
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  for await (const chunk of chunks) {
    zipped ??= chunk[0] === 0x50 && (chunk.length < 2 || chunk[1] === 0x4b);
    if (zipped) unzip.push(chunk);
    else ready.push(...parser.push(decoder.decode(chunk, { stream: true })));
    if (failure) throw new ResponseValidationError(`The package is not a readable zip: ${(failure as Error).message}`);
    yield* ready.splice(0);
  }
  if (zipped) {
    unzip.push(new Uint8Array(0), true);
    if (failure) throw new ResponseValidationError(`The package is not a readable zip: ${(failure as Error).message}`);
    if (!found) throw new ResponseValidationError(`The package holds no ${entityName === undefined ? 'CSV entity file' : `'${entityName}.csv'`} (only CSV source formats are read)`);
  } else ready.push(...parser.push(decoder.decode()), ...parser.end());
  yield* ready.splice(0);
}

/** A `ReadableStream` over an async iterable, passing each chunk through `tap` (progress counting). */
function streamOf(source: AsyncIterable<Uint8Array>, tap: (chunk: Uint8Array) => Uint8Array): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(tap(next.value));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}
