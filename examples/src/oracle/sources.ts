/**
 * Sync sources of the Oracle examples: Oracle Fusion collections read incrementally by `LastUpdateDate` through the
 * client's `pollModified` (look-back window, equal timestamps across page boundaries, records updated during the
 * poll), and JAGGAER lists read by modification time with the same cursor rules. Both can skip the echo of a write
 * the opposite flow made (see {@link EchoGuard}).
 */
import { InvalidInputError, type Logger } from '@ml-connector/core';
import { CheckpointUnreadableError, type SourceIdentity, type SourcePage, type SyncSource, type SyncStore } from '@ml-connector/core/sync';
import { decodePollCursor, pollModified, type OracleItem, type ReadableCollection } from '@ml-connector/oracle-fusion';

/**
 * Recognises a change read back that the opposite flow wrote: the opposite flow's ledger keeps the target's version
 * after each write, so a record whose current version equals it is our own write coming back, not a user's change.
 */
export interface EchoGuard {
  /** Name of the flow writing in the opposite direction. */
  readonly oppositeFlow: string;
  /** Its source system (the system this flow writes to). */
  readonly oppositeSourceSystem: string;
  readonly store: SyncStore;
}

/** Counts of echoes skipped, by flow (shown after the summary). */
export const echoesSkipped = new Map<string, number>();

/**
 * True when `version` is what the opposite flow wrote for `sourceId` (its ledger entry is confirmed with this
 * target version): the record is an echo and is skipped.
 */
export async function isEcho(guard: EchoGuard | undefined, sourceId: string, version: string | undefined): Promise<boolean> {
  if (!guard || version === undefined) return false;
  const entry = await guard.store.getLedgerEntry({ flow: guard.oppositeFlow, sourceSystem: guard.oppositeSourceSystem, sourceId });
  return entry?.state === 'confirmed' && entry.targetVersion === version;
}

async function withoutEchoes<S>(records: readonly S[], guard: EchoGuard | undefined, flow: string, idOf: (r: S) => string, versionOf: (r: S) => string | undefined, logger: Logger): Promise<S[]> {
  if (!guard) return [...records];
  const kept: S[] = [];
  for (const record of records) {
    if (await isEcho(guard, idOf(record), versionOf(record))) {
      echoesSkipped.set(flow, (echoesSkipped.get(flow) ?? 0) + 1);
      logger.info({ flow, sourceId: idOf(record) }, `skipped ${idOf(record)}: its change is ${guard.oppositeFlow}'s own write read back`);
      continue;
    }
    kept.push(record);
  }
  return kept;
}

/** Options of {@link oracleModifiedSource}. */
export interface OracleModifiedSourceOptions<T extends { LastUpdateDate?: string | null | undefined }> {
  /** Name of the flow the source belongs to (for echo counts). */
  readonly flow: string;
  readonly stream: string;
  readonly resource: ReadableCollection<T>;
  /** Primary key attribute, the tie-breaker of the `LastUpdateDate` order. */
  readonly keyAttribute: Extract<keyof T, string>;
  /** Source record id (the natural key shared with JAGGAER where there is one, e.g. `SupplierNumber`). */
  id(record: OracleItem<T>): string;
  /** Version; default `LastUpdateDate`. */
  version?(record: OracleItem<T>): string;
  businessIds(record: OracleItem<T>): string[];
  /** Children to read with each record. */
  readonly expand?: readonly string[];
  /** Look-back window of the cursor (late commits, clock skew). @default 5 minutes */
  readonly lookBackMs?: number;
  /** Records per page. @default 100 */
  readonly pageSize?: number;
  /** First run only: records changed at or after this instant. */
  readonly since?: string;
  /** Re-reads one record for a replay. */
  fetch?(sourceId: string, signal: AbortSignal): Promise<OracleItem<T> | undefined>;
  readonly echo?: EchoGuard;
}

/**
 * An Oracle collection as a sync source: `pollModified` ordered by `LastUpdateDate` then key, its cursor saved as the
 * engine's checkpoint after each settled page. A cursor it cannot read is a {@link CheckpointUnreadableError}
 * (the engine backfills from the beginning).
 */
export function oracleModifiedSource<T extends { LastUpdateDate?: string | null | undefined }>(options: OracleModifiedSourceOptions<T>): SyncSource<OracleItem<T>> {
  const version = options.version ?? ((record: OracleItem<T>) => String(record.LastUpdateDate));
  return {
    system: 'oracle-fusion',
    stream: options.stream,
    query: { path: options.resource.path, expand: options.expand ?? [], since: options.since ?? null },
    async *read(cursor, context): AsyncIterable<SourcePage<OracleItem<T>>> {
      if (cursor !== undefined) {
        try {
          decodePollCursor(cursor);
        } catch (error) {
          throw new CheckpointUnreadableError(`the saved ${options.stream} cursor is not an Oracle poll cursor`, { cause: error });
        }
      }
      const batches = pollModified(options.resource, options.keyAttribute, {
        ...(cursor !== undefined ? { cursor } : options.since !== undefined ? { since: options.since } : {}),
        ...(options.lookBackMs !== undefined ? { lookBackMs: options.lookBackMs } : {}),
        pageSize: options.pageSize ?? 100,
        ...(options.expand ? { expand: options.expand } : {}),
        signal: context.signal,
      });
      for await (const batch of batches) {
        // Echo checks use the record's LastUpdateDate: the opposite flow kept Oracle's LastUpdateDate as its target version.
        const records = await withoutEchoes(batch.items, options.echo, options.flow, options.id, (r) => String(r.LastUpdateDate), context.logger);
        yield { records, cursor: batch.cursor };
      }
    },
    ...(options.fetch ? { fetch: (sourceId: string, context: { signal: AbortSignal }) => options.fetch!(sourceId, context.signal) } : {}),
    identify(record): SourceIdentity {
      return { id: options.id(record), version: version(record), businessIds: options.businessIds(record) };
    },
  };
}

/** Cursor of {@link jaggaerWindowSource}: high-water mark (epoch ms) and `id@time` delivered inside the look-back window. */
interface WindowCursor {
  readonly v: 1;
  readonly hw: number | null;
  readonly seen: readonly string[];
}
const WINDOW_PREFIX = 'jaggaer-window:';

function decodeWindow(text: string, stream: string): WindowCursor {
  try {
    if (text.startsWith(WINDOW_PREFIX)) {
      const parsed = JSON.parse(text.slice(WINDOW_PREFIX.length)) as WindowCursor;
      if (parsed.v === 1 && (parsed.hw === null || Number.isFinite(parsed.hw)) && Array.isArray(parsed.seen)) return parsed;
    }
  } catch {
    // falls through
  }
  throw new CheckpointUnreadableError(`the saved ${stream} cursor is not a JAGGAER window cursor`);
}

/** Options of {@link jaggaerWindowSource}. */
export interface JaggaerWindowSourceOptions<R> {
  readonly flow: string;
  readonly stream: string;
  /** JSON description of the selection (keys the checkpoint). */
  readonly query: unknown;
  /** Lists records modified at or after `since` (undefined: all). */
  list(since: Date | undefined, signal: AbortSignal): AsyncIterable<R>;
  /** Keeps only records of interest (others are delivered to nobody but move the cursor). */
  filter?(record: R): boolean;
  id(record: R): string;
  /** Modification time (ISO 8601); records without one sort first and count as the epoch. */
  modified(record: R): string | undefined;
  version?(record: R): string;
  businessIds(record: R): string[];
  /** Look-back window (JAGGAER's `lastModTime` has second precision; late commits). @default 2 minutes */
  readonly lookBackMs?: number;
  /** Records per page. @default 100 */
  readonly pageSize?: number;
  fetch?(sourceId: string, signal: AbortSignal): Promise<R | undefined>;
  readonly echo?: EchoGuard;
}

/**
 * A JAGGAER list (suppliers, coding values, purchase orders) as a sync source. The list is read from
 * `high-water − look-back`, sorted by modification time then id, and handed over in pages; records already
 * delivered at the same time are skipped by `id@time`, so equal timestamps and re-reads are neither lost nor repeated.
 */
export function jaggaerWindowSource<R>(options: JaggaerWindowSourceOptions<R>): SyncSource<R> {
  const lookBackMs = options.lookBackMs ?? 120_000;
  const pageSize = options.pageSize ?? 100;
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new InvalidInputError(`pageSize must be a positive whole number, got ${pageSize}`, { field: 'pageSize' });
  const timeOf = (record: R) => {
    const text = options.modified(record);
    const ms = text === undefined ? 0 : Date.parse(text);
    return Number.isFinite(ms) ? ms : 0;
  };
  return {
    system: 'jaggaer',
    stream: options.stream,
    query: options.query,
    async *read(cursor, context): AsyncIterable<SourcePage<R>> {
      const state: WindowCursor = cursor === undefined ? { v: 1, hw: null, seen: [] } : decodeWindow(cursor, options.stream);
      const since = state.hw === null ? undefined : new Date(state.hw - lookBackMs);
      const seen = new Set(state.seen);
      const fresh: R[] = [];
      for await (const record of options.list(since, context.signal)) {
        if (seen.has(`${options.id(record)}@${timeOf(record)}`)) continue;
        fresh.push(record);
      }
      fresh.sort((a, b) => timeOf(a) - timeOf(b) || (options.id(a) < options.id(b) ? -1 : options.id(a) > options.id(b) ? 1 : 0));
      let hw = state.hw;
      if (fresh.length === 0) {
        yield { records: [], cursor: WINDOW_PREFIX + JSON.stringify(state) };
        return;
      }
      for (let start = 0; start < fresh.length; start += pageSize) {
        const page = fresh.slice(start, start + pageSize);
        for (const record of page) {
          seen.add(`${options.id(record)}@${timeOf(record)}`);
          hw = Math.max(hw ?? Number.NEGATIVE_INFINITY, timeOf(record));
        }
        const floor = (hw ?? 0) - lookBackMs;
        const kept = [...seen].filter((key) => Number(key.slice(key.lastIndexOf('@') + 1)) >= floor);
        const selected = options.filter ? page.filter((record) => options.filter!(record)) : page;
        const records = await withoutEchoes(selected, options.echo, options.flow, options.id, options.modified, context.logger);
        yield { records, cursor: WINDOW_PREFIX + JSON.stringify({ v: 1, hw, seen: kept } satisfies WindowCursor) };
      }
    },
    ...(options.fetch ? { fetch: (sourceId: string, context: { signal: AbortSignal }) => options.fetch!(sourceId, context.signal) } : {}),
    identify(record): SourceIdentity {
      return { id: options.id(record), version: options.version ? options.version(record) : (options.modified(record) ?? ''), businessIds: options.businessIds(record) };
    },
  };
}
