import { type FinanceOperationsClient, type FinanceOperationsClientOptions, createFinanceOperationsClient } from '@ml-connector/d365-fo';
import { vi } from 'vitest';
import {
  FO_SANDBOX_CLIENT_ID,
  FO_SANDBOX_CLIENT_SECRET,
  type FinanceOperationsSandbox,
  type FinanceOperationsSandboxOptions,
  createFinanceOperationsSandbox,
} from '@ml-connector/d365-fo/testing';

/** One request seen by the recording fetch. */
export interface SeenRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: string;
}

/** A sandbox, a client on its in-process fetch, and every request the client sent. */
export interface Harness {
  sandbox: FinanceOperationsSandbox;
  client: FinanceOperationsClient;
  requests: SeenRequest[];
  apiRequests(): SeenRequest[];
}

export function createHarness(sandboxOptions: FinanceOperationsSandboxOptions = {}, clientOptions: Partial<FinanceOperationsClientOptions> = {}): Harness {
  const sandbox = createFinanceOperationsSandbox(sandboxOptions);
  const requests: SeenRequest[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    const request = new Request(input as RequestInfo, init);
    const body = request.method === 'GET' ? '' : await request.clone().text();
    requests.push({ method: request.method, url: new URL(request.url), headers: request.headers, body });
    return sandbox.fetch(request);
  };
  const client = createFinanceOperationsClient({
    environmentUrl: sandbox.environmentUrl(),
    tenantId: sandbox.tenantId,
    credentials: { clientId: FO_SANDBOX_CLIENT_ID, clientSecret: FO_SANDBOX_CLIENT_SECRET },
    fetch: recordingFetch,
    throttle: { initialConcurrency: 16, maxConcurrency: 16, maxRequestsPerSecond: 100_000 },
    ...clientOptions,
  });
  return { sandbox, client, requests, apiRequests: () => requests.filter((r) => !r.url.pathname.endsWith('/oauth2/v2.0/token')) };
}

/** Gets a token from the sandbox's Entra endpoint. */
export async function sandboxToken(sandbox: FinanceOperationsSandbox, clientId = FO_SANDBOX_CLIENT_ID, secret = FO_SANDBOX_CLIENT_SECRET): Promise<string> {
  const response = await sandbox.fetch(`${sandbox.authorityHost()}/${sandbox.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret, scope: `${sandbox.environmentUrl()}/.default` }),
  });
  if (response.status !== 200) throw new Error(`token failed ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** Raw API call with a token. */
export async function call(sandbox: FinanceOperationsSandbox, token: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return sandbox.fetch(`${sandbox.environmentUrl()}/data/${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined || Object.keys(headers).some((h) => h.toLowerCase() === 'content-type') ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

/** Awaits `promise` while advancing fake timers, so retries, polls and backoff complete without real sleeps. */
export async function settle<T>(promise: Promise<T>, stepMs = 250): Promise<T> {
  let done = false;
  const tracked = promise.finally(() => {
    done = true;
  });
  tracked.catch(() => undefined);
  for (let i = 0; i < 1000 && !done; i++) await vi.advanceTimersByTimeAsync(stepMs);
  return tracked;
}
