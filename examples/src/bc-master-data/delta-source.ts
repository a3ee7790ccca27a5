/**
 * A checkpointed {@link SyncSource} over one Business Central entity set, read by `lastModifiedDateTime` with the
 * client's `readChanges` and its {@link ModifiedSinceCursor} (look-back for late commits, ids seen inside the
 * look-back so nothing is delivered twice). Shared by the master-data and payment-status flows.
 */
import {
  type DeltaReadableEntitySet,
  type ListOptions,
  DEFAULT_DELTA_LOOK_BACK_MS,
  type Entity,
  type ModifiedSinceCursor,
  advanceModifiedSinceCursor,
  isModifiedSinceCursor,
  startModifiedSinceCursor,
} from '@ml-connector/business-central';
import { CheckpointUnreadableError, type ReadContext, type SourceIdentity, type SourcePage, type SyncSource } from '@ml-connector/core/sync';

/** A Business Central record that can be read by change: it has an id and a `lastModifiedDateTime`. */
export interface DeltaRecord {
  readonly id: string;
  readonly lastModifiedDateTime: string;
}

/** Options of {@link createBcDeltaSource}. */
export interface BcDeltaSourceOptions<T extends DeltaRecord, R = Entity<T>> {
  /** Stream name, unique within the flow (for example `vendors`). */
  readonly stream: string;
  /** The entity set (`company.vendors`, `company.accounts`, …). */
  readonly entitySet: DeltaReadableEntitySet<T>;
  /** `$filter` the stream selects by, built with the client's filter builder. Describe it in `selection`. */
  readonly filter?: ListOptions<T>['filter'];
  /**
   * JSON describing what the stream selects (the filter, crosswalk keys): part of the checkpoint's query hash, so
   * a change starts a new cursor instead of resuming one that meant something else.
   */
  readonly selection?: unknown;
  /**
   * First run only: read changes at or after this instant instead of the whole history. Not part of the query
   * hash, so setting it later does not restart a saved cursor.
   */
  readonly since?: Date | string;
  /** Look-back of the cursor (late commits, clock skew). Default 5 minutes, as `readChanges`. */
  readonly lookBackMs?: number;
  /** Records per page handed to the engine (each page's cursor is saved once it is settled). Default 200. */
  readonly pageSize?: number;
  /**
   * Turns the records of one page into source records: drop what the flow does not take, or enrich them
   * (for example with a JAGGAER invoice id). Runs once per page; default keeps them as they are.
   */
  readonly select?: (records: readonly Entity<T>[], context: ReadContext) => Promise<readonly R[]> | readonly R[];
  /** Identity of a selected record; default: BC id, `lastModifiedDateTime` as version. */
  readonly identify?: (record: R) => SourceIdentity;
  /** Fetches one record for a replay; default `entitySet.get(id)` passed through `select`. */
  readonly fetch?: (sourceId: string, context: ReadContext) => Promise<R | undefined>;
}

/** Parses a saved cursor; anything else is a {@link CheckpointUnreadableError} (the engine then backfills). */
export function parseDeltaCursor(value: string): ModifiedSinceCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new CheckpointUnreadableError('The saved Business Central delta cursor is not JSON');
  }
  if (
    !isModifiedSinceCursor(parsed) ||
    typeof parsed.highWater !== 'string' ||
    !Number.isFinite(Date.parse(parsed.highWater)) ||
    typeof parsed.lookBackMs !== 'number' ||
    !(parsed.lookBackMs >= 0) ||
    !Array.isArray(parsed.seen)
  ) {
    throw new CheckpointUnreadableError('The saved Business Central delta cursor is not a { highWater, lookBackMs, seen } object');
  }
  return parsed;
}

/** Where a first run starts: every record (BC has nothing older than the epoch). */
const BEGINNING = new Date(0);

const isNotFound = (error: unknown): boolean => typeof error === 'object' && error !== null && (error as { status?: unknown }).status === 404;

/**
 * Creates the source. Each `read` is one `readChanges` call (every page from the cursor's high-water mark minus
 * its look-back, ordered by `lastModifiedDateTime`), handed to the engine in pages of `pageSize` whose cursors
 * cover exactly the records up to them: a run stopped between pages resumes after the last settled page.
 */
export function createBcDeltaSource<T extends DeltaRecord, R = Entity<T>>(
  system: string,
  options: BcDeltaSourceOptions<T, R>,
): SyncSource<R> {
  const lookBackMs = options.lookBackMs ?? DEFAULT_DELTA_LOOK_BACK_MS;
  const pageSize = options.pageSize ?? 200;
  const select = options.select ?? ((records: readonly Entity<T>[]) => records as unknown as readonly R[]);
  const identify =
    options.identify ??
    ((record: R): SourceIdentity => {
      const r = record as unknown as DeltaRecord;
      return { id: r.id, version: r.lastModifiedDateTime };
    });
  return {
    system,
    stream: options.stream,
    query: { entitySet: options.stream, selection: options.selection ?? null },
    async *read(cursor: string | undefined, context: ReadContext): AsyncIterable<SourcePage<R>> {
      const start = cursor === undefined ? startModifiedSinceCursor(options.since ?? BEGINNING, lookBackMs) : parseDeltaCursor(cursor);
      const { items } = await options.entitySet.readChanges(start, {
        lookBackMs,
        signal: context.signal,
        ...(options.filter !== undefined ? { filter: options.filter } : {}),
      });
      let position = start;
      if (items.length === 0) {
        // An empty page still saves the cursor: its look-back may have moved.
        yield { records: [], cursor: JSON.stringify(advanceModifiedSinceCursor(position, [], lookBackMs)) };
        return;
      }
      for (let i = 0; i < items.length; i += pageSize) {
        const chunk = items.slice(i, i + pageSize);
        // Items come ordered by lastModifiedDateTime, so the cursor after a prefix redelivers exactly the rest.
        position = advanceModifiedSinceCursor(position, chunk as unknown as DeltaRecord[], lookBackMs);
        yield { records: await select(chunk, context), cursor: JSON.stringify(position) };
      }
    },
    async fetch(sourceId: string, context: ReadContext): Promise<R | undefined> {
      if (options.fetch) return options.fetch(sourceId, context);
      try {
        const record = await options.entitySet.get(sourceId, { signal: context.signal } as never);
        const [selected] = await select([record], context);
        return selected;
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    identify,
  };
}
