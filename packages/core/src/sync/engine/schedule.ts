import { InvalidInputError } from '../../errors/index.js';
import { sleep } from '../../http/sleep.js';
import type { RunSummary, ScheduleOptions, SyncFlow } from '../flow.js';
import type { EngineConfig } from './options.js';
import type { RunSettings } from './run-context.js';
import { validateFlow } from './run.js';

/** Name of the store lease that keeps a flow to one scheduler at a time. */
export const flowLeaseName = (flow: SyncFlow<unknown, unknown>): string => `flow:${flow.name}`;

/**
 * Runs a flow every `intervalMs` until `signal` aborts. A run starts only while this engine holds the flow's
 * store lease (renewed before every page), so two schedulers on one store never run the same flow at once.
 */
export async function scheduleFlow(
  config: EngineConfig,
  flow: SyncFlow<unknown, unknown>,
  options: ScheduleOptions,
  runOnce: (settings: RunSettings) => Promise<RunSummary>,
): Promise<void> {
  validateFlow(flow);
  const { intervalMs, signal } = options ?? {};
  if (typeof intervalMs !== 'number' || !Number.isFinite(intervalMs) || intervalMs <= 0) {
    throw new InvalidInputError(`schedule needs intervalMs > 0 (the pause between runs), got ${String(intervalMs)}`, { field: 'intervalMs' });
  }
  const lease = flowLeaseName(flow);
  // The lease outlives the pause, so this scheduler keeps the flow from one run to the next.
  const holdLease = () => config.store.acquireLease(lease, config.owner, config.leaseMs + intervalMs, config.now());
  try {
    while (!signal?.aborted) {
      if (await holdLease()) {
        await runOnce({ signal, onEvent: options.onEvent, beforePage: holdLease });
      } else {
        config.logger.info({ flow: flow.name, lease }, 'another scheduler holds the flow; waiting for the next interval');
      }
      await sleep(intervalMs, signal).catch(() => undefined);
    }
  } finally {
    await config.store.releaseLease(lease, config.owner);
  }
}
