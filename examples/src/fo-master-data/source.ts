/**
 * Reading F&O master data for JAGGAER: the first full load through the Data management package API when the entity
 * is large, OData when it is small, and only the changes after that.
 *
 * What F&O offers for incremental reads (api-facts.md §1, FODOCS `data-entities/entity-change-track.md`,
 * `data-management-api.md`): OData data entities have no delta links or change tokens, and the vendor, main
 * account, dimension value, released product and purchase order entities carry no modification date-time to
 * filter on (CDM). What F&O has is **change tracking** on entities with **incremental export**: a data project set
 * to incremental push whose `ExportToPackage` exports only the records created or updated since its previous export
 * (the first export is a full push; deletions are not tracked outside BYOD). So deltas are incremental package
 * exports; without a change-tracked data project, every run reads the entity whole over OData and the engine's
 * content hash skips what did not change.
 */
import { randomUUID } from 'node:crypto';
import { isHttpError } from '@ml-connector/core';
import { CheckpointUnreadableError, type ReadContext, type SourcePage, type SyncSource } from '@ml-connector/core/sync';
import type { DataManagementProgress, DataManagementResource, WaitOptions } from '@ml-connector/d365-fo';

type Row = Record<string, unknown>;

/** Where the records of one run came from, for progress lines. */
export type FoReadPath = 'package' | 'odata' | 'package-delta';

/** Progress of a package read. */
export interface FoPackageProgress {
  readonly stream: string;
  readonly path: FoReadPath;
  /** `export` (the job runs), `download` (bytes) or `records`. */
  readonly phase: 'export' | 'download' | 'records';
  readonly status?: string;
  readonly bytes?: number;
  readonly records?: number;
}

/** How one master data stream is read. */
export interface FoBulkReadOptions {
  /**
   * Records at or above which the first load goes through the Data management package API instead of OData
   * (Microsoft sizes OData at thousands of records per hour, the package API at hundreds of thousands). Default 5,000.
   */
  readonly bulkThreshold?: number;
  /**
   * The data project (definition group) exporting this entity, set to incremental push with change tracking on
   * the entity for deltas. Absent: OData only (every run a full read, hash-skipped).
   */
  readonly definitionGroupId?: string;
  /**
   * `change-tracking` (default when a data project is given): runs after the first load export only what changed.
   * `full-read`: every run reads the whole entity over OData (for a data project without change tracking).
   */
  readonly deltas?: 'change-tracking' | 'full-read';
  /** Polling of the export job. Default every 5 s, up to an hour. */
  readonly wait?: Pick<WaitOptions, 'pollMs' | 'timeoutMs'>;
  /** Progress of package reads. */
  readonly onProgress?: (progress: FoPackageProgress) => void;
}

/** One stream of {@link createFoMasterDataSource}. */
export interface FoMasterDataSourceOptions extends FoBulkReadOptions {
  readonly stream: string;
  /** The legal entity (`dataAreaId`) of company-specific entities; `legalEntityId` of the export. */
  readonly legalEntity: string;
  readonly dataManagement: DataManagementResource;
  /** The entity file inside the package (`Vendors V2`); default the package's only CSV. */
  readonly packageEntityName?: string;
  /** The fields this flow uses: records from both paths are reduced to them, as text, so they hash the same. */
  readonly fields: readonly string[];
  /** How many records an OData count finds (sizes the first load). */
  count(context: ReadContext): Promise<number>;
  /** The whole entity over OData. */
  list(context: ReadContext): AsyncIterable<Row>;
  /** Keeps only records the flow sends (applied to both paths). */
  readonly keep?: (row: Row) => boolean;
  /** Adds what the package does not hold (a purchase order's lines). */
  readonly enrich?: (row: Row, context: ReadContext) => Promise<Row>;
  readonly idOf: (row: Row) => string;
  /** Records per page handed to the engine. Default 200. */
  readonly pageSize?: number;
}

/** The saved cursor: a package being read (by execution id, records done), or the first load finished. */
interface Cursor {
  readonly v: 1;
  /** The first full load finished: later runs read deltas. */
  readonly loaded: boolean;
  /** An export this stream started and reads; resumed by id after a crash (its package stays for 7 days). */
  readonly executionId?: string;
  readonly path?: FoReadPath;
  /** Records of that package already settled. */
  readonly done?: number;
}

const encode = (cursor: Cursor) => JSON.stringify(cursor);

function decode(text: string | undefined): Cursor | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as Cursor;
    if (value?.v === 1 && typeof value.loaded === 'boolean') return value;
  } catch {
    // fall through
  }
  throw new CheckpointUnreadableError(`not an F&O master data cursor: ${text.slice(0, 40)}`);
}

/** Numbers as text the same way from OData (`21`) and from a package (`21.000000`). */
function normalise(row: Row, fields: readonly string[]): Row {
  const out: Row = {};
  for (const field of fields) {
    const value = row[field];
    const text = value === null || value === undefined ? '' : String(value);
    out[field] = /^-?\d+\.\d+$/.test(text) ? String(Number(text)) : text;
  }
  return out;
}

/**
 * A master data stream of F&O: first load by package (at or above `bulkThreshold`) or OData, then deltas by
 * incremental export of a change-tracked data project. An export's execution id is saved in the checkpoint before
 * the export is started, so a run killed at any point resumes the same package (skipping the records it settled)
 * instead of starting a new incremental export that would no longer contain them.
 */
export function createFoMasterDataSource(options: FoMasterDataSourceOptions): SyncSource<Row> {
  const threshold = options.bulkThreshold ?? 5000;
  const pageSize = options.pageSize ?? 200;
  const project = options.definitionGroupId;
  const deltas = project === undefined ? 'full-read' : (options.deltas ?? 'change-tracking');
  const dm = options.dataManagement;
  const progress = (p: Omit<FoPackageProgress, 'stream'>) => options.onProgress?.({ stream: options.stream, ...p });
  const keep = options.keep ?? (() => true);

  const exists = async (executionId: string): Promise<boolean> => {
    try {
      return (await dm.getExecutionSummaryStatus(executionId)) !== 'Unknown';
    } catch (error) {
      if (isHttpError(error) && (error.status === 400 || error.status === 404)) return false;
      throw error;
    }
  };

  const waitFor = (executionId: string, path: FoReadPath, signal: AbortSignal) =>
    dm.waitForExecution(executionId, { pollMs: options.wait?.pollMs ?? 5000, timeoutMs: options.wait?.timeoutMs ?? 3_600_000, signal, onProgress: (p: DataManagementProgress) => progress({ path, phase: 'export', ...(p.status ? { status: p.status } : {}) }) });

  /** Starts the export unless it already runs (a resumed cursor), waits for it and streams its records. */
  async function* readExport(executionId: string, path: FoReadPath, skip: number, loadedAfter: true, context: ReadContext): AsyncIterable<SourcePage<Row>> {
    if (!(await exists(executionId))) {
      await dm.exportToPackage({ definitionGroupId: project as string, packageName: `${options.stream}-${executionId}`, legalEntityId: options.legalEntity, executionId });
    }
    await waitFor(executionId, path, context.signal);
    const url = await dm.getExportedPackageUrl(executionId);
    let page: Row[] = [];
    let done = 0;
    for await (const record of dm.readPackage(url, {
      ...(options.packageEntityName ? { entityName: options.packageEntityName } : {}),
      fields: options.fields,
      signal: context.signal,
      onProgress: (p) => progress({ path, phase: 'download', ...(p.bytes !== undefined ? { bytes: p.bytes } : {}) }),
    })) {
      done++;
      if (done <= skip) continue;
      const row = normalise(record, options.fields);
      if (keep(row)) page.push(options.enrich ? await options.enrich(row, context) : row);
      if (done % pageSize === 0) {
        progress({ path, phase: 'records', records: done });
        yield { records: page, cursor: encode({ v: 1, loaded: false, executionId, path, done }) };
        page = [];
      }
    }
    progress({ path, phase: 'records', records: done });
    yield { records: page, cursor: encode({ v: 1, loaded: loadedAfter }) };
  }

  /** The whole entity over OData, in pages; a crash restarts it (the content hash skips what was written). */
  async function* readOData(loadedAfter: boolean, context: ReadContext): AsyncIterable<SourcePage<Row>> {
    let page: Row[] = [];
    for await (const raw of options.list(context)) {
      const row = normalise(raw, options.fields);
      if (!keep(row)) continue;
      page.push(options.enrich ? await options.enrich(row, context) : row);
      if (page.length >= pageSize) {
        yield { records: page, cursor: encode({ v: 1, loaded: false }) };
        page = [];
      }
    }
    yield { records: page, cursor: encode({ v: 1, loaded: loadedAfter }) };
  }

  /** Saves a new execution id in the checkpoint (an empty page) before anything starts it. */
  const announce = (path: FoReadPath): SourcePage<Row> => ({ records: [], cursor: encode({ v: 1, loaded: false, executionId: `MLC-${options.stream}-${randomUUID()}`, path, done: 0 }) });

  return {
    system: 'd365fo',
    stream: options.stream,
    query: { stream: options.stream, legalEntity: options.legalEntity, project: project ?? null, deltas },
    async *read(cursorText, context) {
      const cursor = decode(cursorText);
      if (cursor?.executionId !== undefined) {
        yield* readExport(cursor.executionId, cursor.path ?? 'package', cursor.done ?? 0, true, context);
        return;
      }
      const firstLoad = cursor?.loaded !== true;
      if (deltas !== 'change-tracking') {
        yield* readOData(true, context);
        return;
      }
      const bulk = firstLoad && (await options.count(context)) >= threshold;
      if (!firstLoad || bulk) {
        const page = announce(firstLoad ? 'package' : 'package-delta');
        yield page;
        const saved = decode(page.cursor) as Cursor;
        yield* readExport(saved.executionId as string, saved.path as FoReadPath, 0, true, context);
        return;
      }
      // A small first load goes over OData; an export first sets the change tracking baseline (the project's first
      // export is a full push), so the next run's export carries only what changed from here on.
      const baseline = announce('package');
      const executionId = (decode(baseline.cursor) as Cursor).executionId as string;
      await dm.exportToPackage({ definitionGroupId: project as string, packageName: `${options.stream}-baseline`, legalEntityId: options.legalEntity, executionId });
      await waitFor(executionId, 'package', context.signal);
      yield* readOData(true, context);
    },
    identify: (row) => ({ id: options.idOf(row), businessIds: [options.idOf(row)] }),
  };
}
