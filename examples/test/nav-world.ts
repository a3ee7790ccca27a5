import { createMemorySyncStore, createSyncEngine, type SyncEngine, type SyncFlow, type SyncStore } from '@ml-connector/core/sync';
import type { FaultOptions } from '@ml-connector/core/testing';
import { createJaggaerClient } from '@ml-connector/jaggaer-j1p';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, createJaggaerSandbox, type JaggaerFaultOptions } from '@ml-connector/jaggaer-j1p/testing';
import { createNavClient, type NavClientOptions } from '@ml-connector/nav';
import { NAV_SANDBOX_ACCESS_KEY, NAV_SANDBOX_USER, createNavSandbox, type NavSandboxOptions } from '@ml-connector/nav/testing';

/** Retries without real waiting: the emulators answer `Retry-After: 0` in these tests. */
export const FAST_RETRY = { maxRetries: 6, baseDelayMs: 1, maxDelayMs: 4 };

/** Options of {@link createNavWorld}. */
export interface NavWorldOptions {
  readonly invoices?: number;
  readonly purchaseOrders?: number;
  readonly navFaults?: FaultOptions;
  readonly jaggaerFaults?: JaggaerFaultOptions;
  readonly nav?: Omit<NavSandboxOptions, 'faults' | 'now'>;
  /** Engine concurrency. @default 4 */
  readonly concurrency?: number;
  /** OData endpoint the NAV client uses. @default 'v4' */
  readonly version?: 'v4' | 'v3';
  /** Extra NAV client options (e.g. `services`, `apiUrl`). */
  readonly navClient?: Partial<NavClientOptions>;
}

/**
 * A JAGGAER and a NAV sandbox in-process (no sockets), clients on them, a memory store and an engine, with one
 * clock for both sandboxes that tests move forward (`tick`), so "which change is later" is under test control.
 */
export function createNavWorld(options: NavWorldOptions = {}) {
  let clock = Date.parse('2026-02-01T08:00:00Z');
  const now = () => clock;
  const jaggaerSandbox = createJaggaerSandbox({
    seed: 11,
    now,
    size: { suppliers: 25, invoices: options.invoices ?? 120, purchaseOrders: options.purchaseOrders ?? 20 },
    limits: { requestsPerWindow: 1_000_000_000, maxConcurrent: 100 },
    ...(options.jaggaerFaults ? { faults: { retryAfterSeconds: 0, ...options.jaggaerFaults } } : {}),
  });
  const navSandbox = createNavSandbox({
    now,
    ...options.nav,
    ...(options.navFaults ? { faults: { retryAfterSeconds: 0, ...options.navFaults } } : {}),
  });
  const requests = { nav: [] as string[], jaggaer: [] as string[] };
  const jaggaer = createJaggaerClient({
    host: jaggaerSandbox.baseUrl,
    clientId: SANDBOX_CLIENT_ID,
    clientSecret: SANDBOX_CLIENT_SECRET,
    fetch: (input, init) => {
      const request = input instanceof Request ? input : new Request(String(input), init);
      requests.jaggaer.push(`${request.method} ${new URL(request.url).pathname}`);
      return jaggaerSandbox.fetch(request);
    },
    retry: FAST_RETRY,
    throttle: false,
  });
  const nav = createNavClient({
    url: navSandbox.url({ version: options.version ?? 'v4' }),
    auth: { kind: 'basic', username: NAV_SANDBOX_USER, password: NAV_SANDBOX_ACCESS_KEY },
    ...options.navClient,
    fetch: (input, init) => {
      const request = input instanceof Request ? input : new Request(String(input), init);
      requests.nav.push(`${request.method} ${decodeURIComponent(new URL(request.url).pathname)}`);
      return navSandbox.fetch(request);
    },
    retry: FAST_RETRY,
    throttle: false,
  });
  const store: SyncStore = createMemorySyncStore();
  const engine: SyncEngine = createSyncEngine({ store, concurrency: options.concurrency ?? 4, now });

  /** Runs each flow until no record waits for an automatic retry; returns the summaries of the last round. */
  const runUntilSettled = async (flows: readonly SyncFlow<never, never>[] | readonly SyncFlow<any, any>[], maxRounds = 8) => {
    const all = [];
    for (const flow of flows) {
      for (let i = 0; i < maxRounds; i++) {
        const summary = await engine.run(flow);
        all.push(summary);
        const retrying = await engine.reviews({ flow: flow.name, state: 'retrying' });
        if (summary.status === 'completed' && retrying.length === 0) break;
      }
    }
    return all;
  };

  /** NAV writes (POST, PATCH, DELETE) sent since `from` (an index into the request log). */
  const navWritesSince = (from: number) => requests.nav.slice(from).filter((line) => !line.startsWith('GET'));
  /** JAGGAER writes (POST, PUT) sent since `from`, token requests left out. */
  const jaggaerWritesSince = (from: number) => requests.jaggaer.slice(from).filter((line) => !line.startsWith('GET') && !line.includes('/token'));

  return {
    jaggaerSandbox,
    navSandbox,
    jaggaer,
    nav,
    store,
    engine,
    requests,
    navWritesSince,
    jaggaerWritesSince,
    runUntilSettled,
    /** The sandboxes' clock (epoch ms). */
    now,
    /** Moves both sandboxes' clock forward. */
    tick(ms = 60_000) {
      clock += ms;
    },
  };
}
