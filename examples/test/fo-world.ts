import type { AdaptiveThrottleOptions } from '@ml-connector/core';
import { createMemorySyncStore, createSyncEngine, type MappingSet, type SyncStore } from '@ml-connector/core/sync';
import { createFinanceOperationsClient } from '@ml-connector/d365-fo';
import { FO_SANDBOX_CLIENT_ID, FO_SANDBOX_CLIENT_SECRET, createFinanceOperationsSandbox, type FinanceOperationsLimits } from '@ml-connector/d365-fo/testing';
import { createJaggaerClient } from '@ml-connector/jaggaer-j1p';
import { SANDBOX_CLIENT_ID as JAGGAER_CLIENT_ID, SANDBOX_CLIENT_SECRET as JAGGAER_CLIENT_SECRET, createJaggaerSandbox } from '@ml-connector/jaggaer-j1p/testing';
import { createFoInvoicesFlow, FO_INVOICES_FLOW } from '../src/fo-invoices/flow.ts';
import { FAST_RETRY } from './world.ts';

/** Options of {@link createFoWorld}. */
export interface FoWorldOptions {
  readonly invoices: number;
  readonly mappings: MappingSet;
  /** F&O service protection limits (default: out of the way). */
  readonly foLimits?: FinanceOperationsLimits;
  /** Wraps the F&O client's fetch (request rewriting for faults the emulator cannot be told to make). */
  readonly wrapFetch?: (inner: typeof fetch) => typeof fetch;
  /** Largest `Retry-After` the F&O client sleeps through (0: a 429 goes back to the engine, which retries next run). */
  readonly maxRetryAfterMs?: number;
  /** The F&O client's adaptive throttle (default off). */
  readonly foThrottle?: AdaptiveThrottleOptions;
  /** Business events: delivered to `deliver` (set it once the handler exists), every `duplicateEvery`-th twice. */
  readonly businessEvents?: { url: string; deliver: { handler?: (request: Request) => Promise<Response> }; duplicateEvery?: number };
}

/**
 * JAGGAER and F&O sandboxes in-process on a virtual clock (the F&O limits' 5-minute window slides when the test
 * says), clients on them, a memory store and an engine: the fo-invoices flow as a test runs it.
 */
export function createFoWorld(options: FoWorldOptions) {
  const clock = { now: Date.parse('2026-06-01T08:00:00Z') };
  const jaggaerSandbox = createJaggaerSandbox({ seed: 11, size: { suppliers: 25, invoices: options.invoices, purchaseOrders: 20 }, limits: { requestsPerWindow: 1_000_000_000, maxConcurrent: 100 } });
  const foSandbox = createFinanceOperationsSandbox({
    now: () => clock.now,
    limits: options.foLimits ?? { requestsPerWindow: 1_000_000_000, executionMsPerWindow: 1_000_000_000, maxConcurrent: 1000 },
    ...(options.businessEvents
      ? {
          businessEvents: {
            url: options.businessEvents.url,
            ...(options.businessEvents.duplicateEvery !== undefined ? { duplicateEvery: options.businessEvents.duplicateEvery } : {}),
            fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
              const handler = options.businessEvents!.deliver.handler;
              return handler ? handler(new Request(input, init)) : new Response(null, { status: 503 });
            }) as typeof fetch,
          },
        }
      : {}),
  });
  const jaggaer = createJaggaerClient({ host: jaggaerSandbox.baseUrl, clientId: JAGGAER_CLIENT_ID, clientSecret: JAGGAER_CLIENT_SECRET, fetch: jaggaerSandbox.fetch, retry: FAST_RETRY, throttle: false });
  const financeOperations = createFinanceOperationsClient({
    environmentUrl: foSandbox.environmentUrl(),
    tenantId: foSandbox.tenantId,
    credentials: { clientId: FO_SANDBOX_CLIENT_ID, clientSecret: FO_SANDBOX_CLIENT_SECRET },
    defaultLegalEntity: 'usmf',
    fetch: options.wrapFetch ? options.wrapFetch(foSandbox.fetch) : foSandbox.fetch,
    retry: { ...FAST_RETRY, maxRetryAfterMs: options.maxRetryAfterMs ?? 0 },
    throttle: options.foThrottle ?? false,
    // The client's clock is the sandbox's: the throttle's pause after a 429 ends when the virtual window slides.
    now: () => clock.now,
  });
  const store: SyncStore = createMemorySyncStore();
  const engine = createSyncEngine({ store, concurrency: 5 });
  const flow = createFoInvoicesFlow({ jaggaer, financeOperations, store, mappings: options.mappings, pageSize: 100, listPageSize: 500, since: '2024-12-01T00:00:00Z' });

  /** Runs until no record waits for an automatic retry, moving the virtual clock past the F&O window between runs. */
  const runUntilSettled = async (maxRuns = 12) => {
    const summaries = [];
    for (let i = 0; i < maxRuns; i++) {
      const summary = await engine.run(flow);
      summaries.push(summary);
      const retrying = await engine.reviews({ flow: FO_INVOICES_FLOW, state: 'retrying' });
      if (summary.status === 'completed' && retrying.length === 0) break;
      clock.now += 301_000;
    }
    return summaries;
  };

  /** Pending F&O headers by natural key (legal entity / vendor / invoice number). */
  const pendingByKey = () => {
    const byKey = new Map<string, Record<string, unknown>[]>();
    for (const row of foSandbox.rows('VendorInvoiceHeaders')) {
      const key = `${String(row['dataAreaId'])}/${String(row['VendorAccount'])}/${String(row['InvoiceNumber'])}`;
      byKey.set(key, [...(byKey.get(key) ?? []), row]);
    }
    return byKey;
  };

  return {
    clock,
    jaggaerSandbox,
    foSandbox,
    financeOperations,
    jaggaerClient: jaggaer,
    store,
    engine,
    flow,
    runUntilSettled,
    pendingByKey,
    approvedInvoices: () => jaggaerSandbox.invoices().filter((invoice) => invoice.workflowStatus === 'Approved'),
  };
}
