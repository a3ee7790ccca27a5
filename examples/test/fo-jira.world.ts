import { vi } from 'vitest';
import { createMemorySyncStore, createSyncEngine, type SyncStore } from '@ml-connector/core/sync';
import { createBusinessEventHandler, createFinanceOperationsClient } from '@ml-connector/d365-fo';
import { FO_SANDBOX_CLIENT_ID, FO_SANDBOX_CLIENT_SECRET, createFinanceOperationsSandbox, type FinanceOperationsFaultOptions } from '@ml-connector/d365-fo/testing';
import { connectJira } from '@ml-connector/jira';
import { SANDBOX_API_TOKEN, SANDBOX_EMAIL, createJiraSandbox, type JiraSandboxOptions } from '@ml-connector/jira/testing';
import { createFoJiraFlow } from '../src/fo-jira/flow.ts';
import { createMemoryEventInbox } from '../src/fo-jira/inbox.ts';
import { loadFoJiraMappings } from '../src/fo-jira/mappings.ts';
import { createFoJiraReturnFlow, type FoJiraReturnFlowOptions } from '../src/fo-jira/return-flow.ts';
import { FO_JIRA_FIELD_NAMES } from '../src/fo-jira/target.ts';

/**
 * Runs `work` on vitest's fake clock (timers and `Date`), moving it `stepMs` at a time until the work settles: the
 * waits of retries, backoff and index-lag polling pass without real sleeping, and the Jira sandbox (default clock
 * `Date.now`) sees the time pass.
 */
export async function onFakeClock<T>(work: () => Promise<T>, stepMs = 50): Promise<T> {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  try {
    let settled = false;
    const running = work().finally(() => {
      settled = true;
    });
    while (!settled) await vi.advanceTimersByTimeAsync(stepMs);
    return await running;
  } finally {
    vi.useRealTimers();
  }
}

/** Retries without real waiting (the sandboxes answer `Retry-After: 0` here). */
export const FAST_RETRY = { maxRetries: 8, baseDelayMs: 1, maxDelayMs: 4 };

/** The endpoint secret of the business event handler in these tests. */
export const EVENT_SECRET = 'fo-events-endpoint-secret';

/** Options of {@link createFoJiraWorld}. */
export interface FoJiraWorldOptions {
  readonly jira?: JiraSandboxOptions;
  readonly foFaults?: FinanceOperationsFaultOptions;
  /** F&O delivers every n-th event twice. */
  readonly duplicateEvery?: number;
  readonly indexLagMs?: number;
}

/**
 * An F&O and a Jira sandbox in-process, the F&O business event handler (the framework-agnostic `Request →
 * Response` one) wired as the F&O endpoint, its inbox, clients, a memory store and an engine.
 */
export async function createFoJiraWorld(options: FoJiraWorldOptions = {}) {
  const inbox = createMemoryEventInbox();
  const handler = createBusinessEventHandler({ secret: EVENT_SECRET, onEvent: (event) => inbox.append(event) });
  // Where F&O delivers business events: the plain handler, or another endpoint a test puts in its place.
  let endpoint: (request: Request) => Promise<Response> = handler;
  const foSandbox = createFinanceOperationsSandbox({
    limits: { requestsPerWindow: 1_000_000, maxConcurrent: 100 } as never,
    ...(options.foFaults ? { faults: { retryAfterSeconds: 0, ...options.foFaults } as never } : {}),
    businessEvents: {
      url: `https://events.example.test/fo-events?code=${EVENT_SECRET}`,
      fetch: async (input, init) => endpoint(new Request(input as string, init)),
      ...(options.duplicateEvery ? { duplicateEvery: options.duplicateEvery } : {}),
    },
  });
  const fo = createFinanceOperationsClient({
    environmentUrl: foSandbox.environmentUrl(),
    tenantId: foSandbox.tenantId,
    credentials: { clientId: FO_SANDBOX_CLIENT_ID, clientSecret: FO_SANDBOX_CLIENT_SECRET },
    defaultLegalEntity: 'usmf',
    fetch: foSandbox.fetch,
    retry: FAST_RETRY,
    throttle: false,
  });
  // `Date.now` looked up at each call, so a fake clock (`onFakeClock`) moves the sandbox's time too.
  const jiraSandbox = createJiraSandbox({ indexLagMs: 0, now: () => Date.now(), ...options.jira });
  const jira = await connectJira({
    auth: { kind: 'api-token', siteUrl: jiraSandbox.siteUrl('acme'), email: SANDBOX_EMAIL, apiToken: SANDBOX_API_TOKEN },
    customFields: { ...FO_JIRA_FIELD_NAMES },
    fetch: jiraSandbox.fetch,
    retry: FAST_RETRY,
    throttle: false,
  });
  const store: SyncStore = createMemorySyncStore();
  const engine = createSyncEngine({ store, concurrency: 4 });
  const flow = createFoJiraFlow({
    fo,
    jira,
    inbox,
    store,
    mappings: await loadFoJiraMappings(),
    environmentUrl: foSandbox.environmentUrl(),
    resolve: { initialDelayMs: 1, maxDelayMs: 4, attempts: 4 },
    indexLagMs: options.indexLagMs ?? 2000,
    indexPollMs: 50,
  });
  let invoiceSeq = 0;
  const mappings = await loadFoJiraMappings();
  return {
    mappings,
    /** Puts another business event endpoint in place of the plain handler. */
    deliverEventsTo(next: (request: Request) => Promise<Response>) {
      endpoint = next;
    },
    /** The return flow over this world (project FIN), with optional actions and options. */
    returnFlow(extra: Partial<FoJiraReturnFlowOptions> = {}) {
      return createFoJiraReturnFlow({ fo, jira, store, mappings, projects: ['FIN'], ...extra });
    },
    inbox,
    handler,
    foSandbox,
    fo,
    jiraSandbox,
    jira,
    store,
    engine,
    flow,
    /** Creates a pending invoice through the client and posts it in the sandbox (raises VendorInvoicePosted). */
    async postInvoice(vendor = 'V00002', amount = 125.5) {
      invoiceSeq++;
      const number = `SUP-${String(invoiceSeq).padStart(4, '0')}`;
      const reference = `JAG-${invoiceSeq}`;
      const created = await fo.legalEntity('usmf').vendorInvoices.createWithLines(
        { HeaderReference: reference, InvoiceNumber: number, VendorAccount: vendor, InvoiceDate: '2026-01-15T00:00:00Z', Currency: 'USD', IsApproved: 'Yes' } as never,
        [{ InvoiceLineNumber: 1, ReceiveNow: 1, UnitPrice: amount, Amount: amount, MainAccountDisplayValue: '8110' }] as never,
      );
      if (!created.ok) throw new Error('invoice not created in the F&O sandbox');
      await foSandbox.postInvoice('usmf', reference);
      return { number, vendor, key: `usmf/vendor-invoice/${vendor}/${number}` };
    },
    /** Jira issues of the site (all projects), read from the sandbox's state. */
    issues: () => [...jiraSandbox.sites.get('acme')!.issues.values()] as Array<{ key: string; fields: Record<string, unknown> }>,
  };
}
