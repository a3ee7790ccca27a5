import { createBusinessCentralClient } from '@ml-connector/business-central';
import {
  SANDBOX_CLIENT_ID as BC_CLIENT_ID,
  SANDBOX_CLIENT_SECRET as BC_CLIENT_SECRET,
  createBusinessCentralSandbox,
  type BusinessCentralFaultOptions,
} from '@ml-connector/business-central/testing';
import { createMemorySyncStore, createSyncEngine, type SyncStore } from '@ml-connector/core/sync';
import { createJaggaerClient } from '@ml-connector/jaggaer-j1p';
import {
  SANDBOX_CLIENT_ID as JAGGAER_CLIENT_ID,
  SANDBOX_CLIENT_SECRET as JAGGAER_CLIENT_SECRET,
  createJaggaerSandbox,
  type JaggaerFaultOptions,
} from '@ml-connector/jaggaer-j1p/testing';
import { createBcInvoicesFlow } from '../src/bc-invoices/flow.ts';
import { invoiceNaturalKey } from '../src/bc-invoices/target.ts';
import type { MappingSet } from '@ml-connector/core/sync';

/** Retries without real waiting: the emulators answer `Retry-After: 0` in these tests. */
export const FAST_RETRY = { maxRetries: 6, baseDelayMs: 1, maxDelayMs: 4 };

/** Options of {@link createWorld}. */
export interface WorldOptions {
  readonly invoices: number;
  readonly bcFaults?: BusinessCentralFaultOptions;
  readonly jaggaerFaults?: JaggaerFaultOptions;
  /** The crosswalk tables (`loadInvoiceMappings()`). */
  readonly mappings: MappingSet;
}

/**
 * A JAGGAER and a Business Central sandbox in-process (no sockets, no latency, limits out of the way), clients on
 * them, a memory store and an engine: the bc-invoices flow as a test runs it.
 */
export function createWorld(options: WorldOptions) {
  const unlimited = { requestsPerWindow: 1_000_000_000, maxConcurrent: 100 };
  const jaggaerSandbox = createJaggaerSandbox({
    seed: 11,
    size: { suppliers: 25, invoices: options.invoices, purchaseOrders: 20 },
    limits: unlimited,
    ...(options.jaggaerFaults ? { faults: { retryAfterSeconds: 0, ...options.jaggaerFaults } } : {}),
  });
  const bcSandbox = createBusinessCentralSandbox({
    size: { vendors: 25, invoices: 0, purchaseOrders: 20 },
    limits: { ...unlimited, maxQueued: 1000 },
    ...(options.bcFaults ? { faults: { retryAfterSeconds: 0, ...options.bcFaults } } : {}),
  });
  const jaggaer = createJaggaerClient({
    host: jaggaerSandbox.baseUrl,
    clientId: JAGGAER_CLIENT_ID,
    clientSecret: JAGGAER_CLIENT_SECRET,
    fetch: jaggaerSandbox.fetch,
    retry: FAST_RETRY,
    throttle: false,
  });
  const businessCentral = createBusinessCentralClient({
    tenantId: bcSandbox.tenantId,
    environment: bcSandbox.environment,
    credentials: { clientId: BC_CLIENT_ID, clientSecret: BC_CLIENT_SECRET },
    fetch: bcSandbox.fetch,
    retry: FAST_RETRY,
    throttle: false,
  });
  const company = businessCentral.company(bcSandbox.companyId);
  const store: SyncStore = createMemorySyncStore();
  const engine = createSyncEngine({ store, concurrency: 5 });
  const flowWith = (mappings: MappingSet) =>
    createBcInvoicesFlow({ jaggaer, company, store, mappings, pageSize: 100, listPageSize: 500, since: '2024-12-01T00:00:00Z' });
  let flow = flowWith(options.mappings);

  /** BC purchase invoices by natural key (vendor + vendorInvoiceNumber): the duplicate check. */
  const bcInvoicesByKey = (): Map<string, Record<string, unknown>[]> => {
    const byKey = new Map<string, Record<string, unknown>[]>();
    for (const row of bcSandbox.db.purchaseInvoices.all()) {
      const key = invoiceNaturalKey({ vendorNumber: String(row['vendorNumber']), vendorInvoiceNumber: String(row['vendorInvoiceNumber']) });
      byKey.set(key, [...(byKey.get(key) ?? []), row]);
    }
    return byKey;
  };

  /** Runs until no record waits for an automatic retry (the engine leaves retryable failures for the next run). */
  const runUntilSettled = async (maxRuns = 8) => {
    const summaries = [];
    for (let i = 0; i < maxRuns; i++) {
      const summary = await engine.run(flow);
      summaries.push(summary);
      const retrying = await engine.reviews({ flow: flow.name, state: 'retrying' });
      if (summary.status === 'completed' && retrying.length === 0) break;
    }
    return summaries;
  };

  return {
    jaggaerSandbox,
    bcSandbox,
    jaggaer,
    company,
    store,
    engine,
    get flow() {
      return flow;
    },
    useMappings(mappings: MappingSet) {
      flow = flowWith(mappings);
    },
    bcInvoicesByKey,
    runUntilSettled,
    approvedInvoices: () => jaggaerSandbox.invoices().filter((invoice) => invoice.workflowStatus === 'Approved'),
  };
}
