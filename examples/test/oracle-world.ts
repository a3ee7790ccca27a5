import { silentLogger } from '@ml-connector/core';
import { createMemorySyncStore, createSyncEngine, defineCrosswalk, createMappingSet, type MappingSet, type RunSummary, type SyncStore } from '@ml-connector/core/sync';
import { createJaggaerClient } from '@ml-connector/jaggaer-j1p';
import { SANDBOX_CLIENT_ID as JAGGAER_CLIENT_ID, SANDBOX_CLIENT_SECRET as JAGGAER_CLIENT_SECRET, createJaggaerSandbox, type JaggaerFaultOptions } from '@ml-connector/jaggaer-j1p/testing';
import { createOracleFusionClient } from '@ml-connector/oracle-fusion';
import { ORACLE_SANDBOX_CLIENT_ID, ORACLE_SANDBOX_CLIENT_SECRET, createOracleFusionSandbox, type OracleFusionFaultOptions, type OracleFusionSeedOptions } from '@ml-connector/oracle-fusion/testing';
import type { AnySyncFlow } from '../src/shared/index.ts';
import { createJaggaerToOracleFlows, type JaggaerToOracleOptions } from '../src/jaggaer-to-oracle/flows.ts';
import type { ConflictPolicy } from '../src/oracle/conflicts.ts';
import { createOracleToJaggaerFlows } from '../src/oracle-to-jaggaer/flows.ts';
import { FAST_RETRY } from './world.ts';

/** The shipped crosswalks, in code (the same rows as `examples/mappings/oracle-to-jaggaer/`). */
export function oracleMappings(units: Record<string, string> = { Each: 'EA' }): MappingSet {
  return createMappingSet({
    tables: [
      defineCrosswalk({ name: 'unit-of-measure', version: 'test', caseSensitive: false, entries: Object.entries(units).map(([key, value]) => ({ key, value })) }),
      defineCrosswalk({ name: 'project', version: 'test', entries: [{ key: '000', value: 'P-100' }] }),
    ],
  });
}

/** Options of {@link createOracleWorld}. */
export interface OracleWorldOptions {
  readonly seed?: OracleFusionSeedOptions;
  readonly oracleFaults?: OracleFusionFaultOptions;
  readonly jaggaerFaults?: JaggaerFaultOptions;
  readonly mappings?: MappingSet;
  readonly pageSize?: number;
  readonly conflictPolicy?: ConflictPolicy;
  /** Wraps the Oracle fetch (a test's hook into the wire). */
  readonly oracleFetch?: (inner: typeof fetch) => typeof fetch;
  /** Wraps the JAGGAER fetch. */
  readonly jaggaerFetch?: (inner: typeof fetch) => typeof fetch;
  readonly reverse?: Partial<JaggaerToOracleOptions>;
}

/** Oracle and JAGGAER sandboxes in-process, clients on them, a memory store and an engine, both examples' flows. */
export function createOracleWorld(options: OracleWorldOptions = {}) {
  let clock = Date.UTC(2026, 2, 1, 9, 0, 0);
  const now = () => clock;
  const oracleSandbox = createOracleFusionSandbox({
    seed: { suppliers: 25, purchaseOrders: 20, invoices: 30, ...options.seed },
    now,
    ...(options.oracleFaults ? { faults: { retryAfterSeconds: 0, ...options.oracleFaults } } : {}),
  });
  const jaggaerSandbox = createJaggaerSandbox({
    seed: 11,
    now,
    size: { suppliers: 25, invoices: 300, purchaseOrders: 20 },
    limits: { requestsPerWindow: 1_000_000_000, maxConcurrent: 100 },
    ...(options.jaggaerFaults ? { faults: { retryAfterSeconds: 0, ...options.jaggaerFaults } } : {}),
  });
  const oracle = createOracleFusionClient({
    host: oracleSandbox.host,
    identityDomainUrl: oracleSandbox.identityDomainUrl,
    scope: oracleSandbox.scope,
    credentials: { clientId: ORACLE_SANDBOX_CLIENT_ID, clientSecret: ORACLE_SANDBOX_CLIENT_SECRET },
    fetch: options.oracleFetch ? options.oracleFetch(oracleSandbox.fetch) : oracleSandbox.fetch,
    retry: FAST_RETRY,
    throttle: false,
  });
  const jaggaer = createJaggaerClient({
    host: jaggaerSandbox.baseUrl,
    clientId: JAGGAER_CLIENT_ID,
    clientSecret: JAGGAER_CLIENT_SECRET,
    fetch: options.jaggaerFetch ? options.jaggaerFetch(jaggaerSandbox.fetch) : jaggaerSandbox.fetch,
    retry: FAST_RETRY,
    throttle: false,
  });
  const store: SyncStore = createMemorySyncStore();
  const engine = createSyncEngine({ store, concurrency: 4 });
  let mappings = options.mappings ?? oracleMappings();
  const forward = () =>
    createOracleToJaggaerFlows({ oracle, jaggaer, store, mappings, logger: silentLogger, pageSize: options.pageSize ?? 10, ...(options.conflictPolicy ? { conflictPolicy: options.conflictPolicy } : {}) });
  const reverse = () =>
    createJaggaerToOracleFlows({ oracle, jaggaer, store, logger: silentLogger, pageSize: options.pageSize ?? 10, since: '2025-06-01T00:00:00Z', ...(options.conflictPolicy ? { conflictPolicy: options.conflictPolicy } : {}), ...options.reverse });

  /** Runs flows in order, each until nothing waits for an automatic retry. */
  const runAll = async (flows: readonly AnySyncFlow[], maxRuns = 8): Promise<RunSummary[]> => {
    const summaries: RunSummary[] = [];
    for (const flow of flows) {
      for (let i = 0; i < maxRuns; i++) {
        const summary = await engine.run(flow);
        summaries.push(summary);
        const retrying = await engine.reviews({ flow: flow.name, state: 'retrying' });
        if (summary.status === 'completed' && retrying.length === 0) break;
      }
    }
    return summaries;
  };
  const writes = (summaries: readonly RunSummary[]) => summaries.reduce((n, s) => n + s.counts.created + s.counts.updated, 0);

  return {
    oracleSandbox,
    jaggaerSandbox,
    oracle,
    jaggaer,
    store,
    engine,
    forward,
    reverse,
    runAll,
    writes,
    useMappings(next: MappingSet) {
      mappings = next;
    },
    /** Moves the Oracle sandbox's clock (its LastUpdateDate stamps). */
    setClock(ms: number) {
      clock = ms;
    },
    tick(ms = 1000) {
      clock += ms;
      return clock;
    },
  };
}

/** One flow by name. */
export function flowNamed(flows: readonly AnySyncFlow[], name: string): AnySyncFlow {
  const flow = flows.find((f) => f.name === name);
  if (!flow) throw new Error(`no flow ${name} in ${flows.map((f) => f.name).join(', ')}`);
  return flow;
}
