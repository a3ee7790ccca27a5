/**
 * Both systems in-process for the master-data and payment-status tests: the Business Central and JAGGAER
 * sandboxes (optionally with faults), clients over their in-process fetch, a memory store and an engine.
 */
import { createBusinessCentralClient } from '@ml-connector/business-central';
import { SANDBOX_CLIENT_ID as BC_CLIENT_ID, SANDBOX_CLIENT_SECRET as BC_CLIENT_SECRET, createBusinessCentralSandbox, type BusinessCentralFaultOptions } from '@ml-connector/business-central/testing';
import { createMemorySyncStore, createSyncEngine, type RunSummary, type SyncEngine, type SyncStore } from '@ml-connector/core/sync';
import { createJaggaerClient } from '@ml-connector/jaggaer-j1p';
import { SANDBOX_CLIENT_ID as JG_CLIENT_ID, SANDBOX_CLIENT_SECRET as JG_CLIENT_SECRET, createJaggaerSandbox, type JaggaerFaultOptions } from '@ml-connector/jaggaer-j1p/testing';
import { vi } from 'vitest';
import type { AnySyncFlow } from '../src/shared/index.ts';

/** Faults of both sandboxes: 429 storms, 5xx, connection resets before and after processing. */
export const STORM: BusinessCentralFaultOptions & JaggaerFaultOptions = {
  seed: 11,
  statusRates: { 429: 0.15, 500: 0.04, 503: 0.04 },
  resetBeforeRate: 0.03,
  resetAfterRate: 0.03,
  retryAfterSeconds: 1,
  tokenRevocationRate: 0.02,
};

export interface Systems {
  readonly bcSandbox: ReturnType<typeof createBusinessCentralSandbox>;
  readonly jgSandbox: ReturnType<typeof createJaggaerSandbox>;
  readonly bc: ReturnType<typeof createBusinessCentralClient>;
  readonly company: ReturnType<ReturnType<typeof createBusinessCentralClient>['company']>;
  readonly jaggaer: ReturnType<typeof createJaggaerClient>;
  readonly store: SyncStore;
  readonly engine: SyncEngine;
  /** Turns the configured faults on or off (they start on unless `faultsOff`). */
  faults(on: boolean): void;
  close(): void;
}

/** Creates both systems; `faults` applies to both sandboxes (never to token endpoints). */
export function createSystems(
  options: { faults?: BusinessCentralFaultOptions & JaggaerFaultOptions; faultsOff?: boolean; vendors?: number; now?: () => number } = {},
): Systems {
  let faultsOn = options.faultsOff !== true;
  const faults = options.faults ? { ...options.faults, appliesTo: () => faultsOn } : undefined;
  const bcSandbox = createBusinessCentralSandbox({
    ...(faults ? { faults } : {}),
    ...(options.vendors ? { size: { vendors: options.vendors } } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const jgSandbox = createJaggaerSandbox(faults ? { faults } : {});
  const bc = createBusinessCentralClient({
    tenantId: bcSandbox.tenantId,
    environment: bcSandbox.environment,
    credentials: { clientId: BC_CLIENT_ID, clientSecret: BC_CLIENT_SECRET },
    fetch: bcSandbox.fetch,
    allowLoopback: true,
    ...(options.now ? { now: options.now } : {}),
  });
  const jaggaer = createJaggaerClient({ host: jgSandbox.baseUrl, clientId: JG_CLIENT_ID, clientSecret: JG_CLIENT_SECRET, fetch: jgSandbox.fetch });
  const store = createMemorySyncStore();
  const engine = createSyncEngine({ store, concurrency: 4 });
  return {
    bcSandbox,
    jgSandbox,
    bc,
    company: bc.company(bcSandbox.companyId),
    jaggaer,
    store,
    engine,
    faults: (on) => {
      faultsOn = on;
    },
    close: () => bcSandbox.close(),
  };
}

/** Settles a promise while fake timers drive every wait (retries, Retry-After, throttles). */
export async function drive<T>(promise: Promise<T>): Promise<T> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  while (!settled) await vi.advanceTimersByTimeAsync(200);
  return promise;
}

/** Runs the flows in order, as the example does; one summary per flow. */
export async function runAll(engine: SyncEngine, flows: readonly AnySyncFlow[], options: { dryRun?: boolean } = {}): Promise<RunSummary[]> {
  const summaries: RunSummary[] = [];
  for (const flow of flows) {
    const summary = await engine.run(flow, options);
    if (summary.status !== 'completed') throw new Error(`${flow.name} did not complete: ${summary.error}`);
    summaries.push(summary);
  }
  return summaries;
}

/** Sum of the written outcomes of runs. */
export const written = (summaries: readonly RunSummary[]) => summaries.reduce((n, s) => n + s.counts.created + s.counts.updated, 0);
