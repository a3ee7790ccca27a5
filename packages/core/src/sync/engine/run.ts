import { InvalidInputError, isAbortError } from '../../errors/index.js';
import { isCheckpointUnreadableError } from '../errors.js';
import type { ProcessSummary, ReplaySelection, RunOptions, RunSummary, SyncFlow } from '../flow.js';
import type { ReviewItem, RunStatus } from '../store/types.js';
import { loadQueued, processBatch } from './batch.js';
import { safeMessageOf } from './classify.js';
import { contentHash } from './content-hash.js';
import type { EngineConfig } from './options.js';
import type { ReferenceCache } from './preflight.js';
import { RunContext, type RunSettings } from './run-context.js';

/** Review items taken per batch when the queue is retried or replayed. */
const QUEUE_BATCH = 100;
/** Most `retrying` items one run takes from the queue; the rest wait for the next run. */
const QUEUE_LIMIT = 10_000;

/** The checkpoint key of a flow's stream. */
export const streamKeyOf = (flow: SyncFlow<unknown, unknown>): string => `${flow.name}/${flow.source.system}/${flow.source.stream}`;

function requireFunction(value: unknown, field: string): void {
  if (typeof value !== 'function') throw new InvalidInputError(`the flow needs ${field} (a function)`, { field });
}

/** Checks a flow's shape before anything runs, so a mistake is a clear error and not a half-done run. */
export function validateFlow(flow: SyncFlow<unknown, unknown>): void {
  if (!flow || typeof flow.name !== 'string' || flow.name.trim() === '') {
    throw new InvalidInputError('the flow needs a non-empty name: it keys the ledger, checkpoints and audit', { field: 'name' });
  }
  if (!flow.source || typeof flow.source.system !== 'string' || typeof flow.source.stream !== 'string') {
    throw new InvalidInputError(`flow ${flow.name} needs a source with a system and a stream name`, { field: 'source' });
  }
  if (!flow.target || typeof flow.target.system !== 'string') {
    throw new InvalidInputError(`flow ${flow.name} needs a target with a system name`, { field: 'target' });
  }
  requireFunction(flow.map, 'map');
  requireFunction(flow.source.read, 'source.read');
  requireFunction(flow.source.identify, 'source.identify');
  for (const method of ['naturalKey', 'find', 'get', 'create', 'update'] as const) requireFunction(flow.target[method], `target.${method}`);
}

async function processQueue(run: RunContext, items: readonly ReviewItem[], origin: 'retry' | 'replay', cache: ReferenceCache, override?: Readonly<Record<string, unknown>>): Promise<void> {
  for (let start = 0; start < items.length && run.mayWrite() && !run.signal.aborted; start += QUEUE_BATCH) {
    const inputs = await loadQueued(run, items.slice(start, start + QUEUE_BATCH), origin, override);
    await processBatch(run, inputs, cache);
  }
}

/** Reads pages from the saved cursor and saves the cursor after every fully settled page. */
async function readPages(run: RunContext, cache: ReferenceCache): Promise<void> {
  const { flow, config } = run;
  const stream = streamKeyOf(flow as SyncFlow<unknown, unknown>);
  const queryHash = contentHash(flow.source.query);
  const saved = await config.store.getCheckpoint(stream);
  let cursor = saved?.queryHash === queryHash ? saved.value : undefined;
  if (saved && cursor === undefined) {
    run.warn('checkpoint-query-changed', `the query of ${stream} changed; reading from the beginning instead of the saved cursor`);
  }
  let pages = 0;
  const readFrom = async (from: string | undefined): Promise<void> => {
    for await (const page of flow.source.read(from, { signal: run.signal, logger: config.logger })) {
      pages++;
      if (run.signal.aborted || run.stopReason) return;
      if (run.settings.beforePage && !(await run.settings.beforePage())) {
        run.stop('lease-lost', `another scheduler took over flow ${flow.name}; run stopped`);
        return;
      }
      run.emit({ type: 'page-read', runId: run.runId, records: page.records.length });
      const settled = await processBatch(run, page.records.map((record) => ({ record, origin: 'read' as const })), cache);
      if (!settled) return;
      if (!run.dryRun) {
        await run.commit({ checkpoint: { stream, queryHash, value: page.cursor } });
        run.emit({ type: 'checkpoint-saved', runId: run.runId, stream });
      }
    }
  };
  try {
    await readFrom(cursor);
  } catch (error) {
    if (!isCheckpointUnreadableError(error) || cursor === undefined || pages > 0) throw error;
    run.warn('checkpoint-unreadable', `the saved cursor of ${stream} is unreadable (${safeMessageOf(error)}); backfilling from the beginning`);
    cursor = undefined;
    await readFrom(undefined);
  }
}

/** Runs `body` as one recorded run: run record, events, status and summary. Errors inside stop the run. */
async function recordedRun(config: EngineConfig, flow: SyncFlow<unknown, unknown>, settings: RunSettings, body: (run: RunContext, cache: ReferenceCache) => Promise<void>): Promise<RunSummary> {
  validateFlow(flow);
  const run = new RunContext(config, flow, settings);
  run.emit({ type: 'run-started', runId: run.runId, flow: flow.name, dryRun: run.dryRun });
  try {
    await run.commit({ run: run.runRecord('running') });
    await body(run, new Map());
  } catch (error) {
    if (!(run.signal.aborted && isAbortError(error))) run.stop('run-failed', `flow ${flow.name} stopped: ${safeMessageOf(error)}`);
  }
  const status: RunStatus = run.stopReason ? 'failed' : run.signal.aborted ? 'aborted' : 'completed';
  try {
    await run.commit({ run: run.runRecord(status) });
  } catch (error) {
    config.logger.error({ err: error, runId: run.runId }, 'sync run record could not be saved');
  }
  const summary: RunSummary = {
    runId: run.runId,
    flow: flow.name,
    status,
    counts: { ...run.counts },
    durationMs: config.now() - run.startedAtMs,
    dryRun: run.dryRun,
    ...(run.stopReason ? { error: run.stopReason.message } : {}),
  };
  run.emit({ type: 'run-finished', summary });
  return summary;
}

/** One run: the `retrying` review items first, then new pages from the checkpoint. */
export function runFlow(config: EngineConfig, flow: SyncFlow<unknown, unknown>, settings: RunSettings): Promise<RunSummary> {
  return recordedRun(config, flow, settings, async (run, cache) => {
    if (!run.dryRun) {
      const retrying = await config.store.listReview({ flow: flow.name, state: 'retrying', limit: QUEUE_LIMIT });
      await processQueue(run, retrying.filter((item) => item.sourceSystem === flow.source.system), 'retry', cache);
    }
    if (run.mayWrite()) await readPages(run, cache);
  });
}

/** A replay of review items chosen by source id or reason, through the same ledger path as a run. */
export async function replayFlow(config: EngineConfig, flow: SyncFlow<unknown, unknown>, selection: ReplaySelection, settings: RunSettings): Promise<RunSummary> {
  validateFlow(flow);
  if (!selection || (selection.sourceId === undefined) === (selection.reason === undefined)) {
    throw new InvalidInputError('replay needs exactly one of sourceId (one record) or reason (every open or retrying item with it)', { field: 'selection' });
  }
  let items: ReviewItem[];
  if (selection.sourceId !== undefined) {
    const key = { flow: flow.name, sourceSystem: flow.source.system, sourceId: selection.sourceId };
    const item = await config.store.getReview(key);
    if (!item) throw new InvalidInputError(`no review item for ${flow.name}/${flow.source.system}/${selection.sourceId}`, { field: 'sourceId' });
    items = [item];
  } else {
    items = (await config.store.listReview({ flow: flow.name, reason: selection.reason, state: ['open', 'retrying'], limit: QUEUE_LIMIT }))
      .filter((item) => item.sourceSystem === flow.source.system);
  }
  return recordedRun(config, flow, settings, (run, cache) => processQueue(run, items, 'replay', cache, selection.override));
}

/**
 * Takes the given source records through the per-record path (receive, map, preflight, write through the ledger)
 * as one recorded run, without reading the source or touching its checkpoint: a queue worker's entry point.
 */
export async function processRecords(config: EngineConfig, flow: SyncFlow<unknown, unknown>, records: readonly unknown[], settings: Omit<RunOptions, 'maxRecords'>): Promise<ProcessSummary> {
  if (!Array.isArray(records)) throw new InvalidInputError('process takes an array of source records', { field: 'records' });
  const unsettled: string[] = [];
  const summary = await recordedRun(config, flow, settings, async (run, cache) => {
    await processBatch(run, records.map((record) => ({ record, origin: 'read' as const })), cache, unsettled);
  });
  return { ...summary, unsettled };
}
