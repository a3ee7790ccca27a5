import {
  type BusinessCentralSandbox,
  type BusinessCentralSandboxOptions,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
  createBusinessCentralSandbox,
} from '@ml-connector/business-central/testing';
import {
  BUSINESS_CENTRAL_THROTTLE_DEFAULTS,
  type BusinessCentralClient,
  type BusinessCentralClientOptions,
  createBusinessCentralClient,
} from '@ml-connector/business-central';

/** One request seen by the recording fetch. */
export interface SeenRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: string;
}

/** A sandbox, a client wired to it in-process, and a log of every request the client sent. */
export interface Harness {
  sandbox: BusinessCentralSandbox;
  client: BusinessCentralClient;
  requests: SeenRequest[];
  /** Requests to the API (not the token endpoint). */
  apiRequests(): SeenRequest[];
}

/** Creates a sandbox and a client using its in-process fetch (real BC/Entra host names). */
export function createHarness(
  sandboxOptions: BusinessCentralSandboxOptions = {},
  clientOptions: Partial<BusinessCentralClientOptions> = {},
): Harness {
  const sandbox = createBusinessCentralSandbox(sandboxOptions);
  const requests: SeenRequest[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    const request = new Request(input as RequestInfo, init);
    const body = request.method === 'GET' ? '' : await request.clone().text();
    requests.push({ method: request.method, url: new URL(request.url), headers: request.headers, body });
    return sandbox.fetch(request);
  };
  const client = createBusinessCentralClient({
    tenantId: sandbox.tenantId,
    environment: sandbox.environment,
    credentials: { clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET },
    fetch: recordingFetch,
    // BC's concurrency cap, but no per-second pacing: with real timers pacing would be a real sleep.
    throttle: { ...BUSINESS_CENTRAL_THROTTLE_DEFAULTS, maxRequestsPerSecond: 10_000 },
    ...clientOptions,
  });
  return { sandbox, client, requests, apiRequests: () => requests.filter((r) => !r.url.pathname.endsWith('/oauth2/v2.0/token')) };
}

/** Awaits `promise` while advancing fake timers, so retries and throttle waits complete without real sleeps. */
export async function settle<T>(promise: Promise<T>, vi: { advanceTimersByTimeAsync(ms: number): Promise<unknown> }, stepMs = 250): Promise<T> {
  let done = false;
  const tracked = promise.finally(() => {
    done = true;
  });
  tracked.catch(() => undefined);
  for (let i = 0; i < 100_000 && !done; i++) await vi.advanceTimersByTimeAsync(stepMs);
  return tracked;
}
