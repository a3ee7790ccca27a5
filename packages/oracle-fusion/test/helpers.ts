import { type OracleFusionClient, type OracleFusionClientOptions, createOracleFusionClient } from '@ml-connector/oracle-fusion';
import {
  ORACLE_SANDBOX_CLIENT_ID,
  ORACLE_SANDBOX_CLIENT_SECRET,
  type OracleFusionSandbox,
  type OracleFusionSandboxOptions,
  createOracleFusionSandbox,
} from '@ml-connector/oracle-fusion/testing';
import { vi } from 'vitest';

/** One request seen by the recording fetch. */
export interface SeenRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: string;
}

/** A sandbox, a client on its in-process fetch, and every request sent. */
export interface Harness {
  sandbox: OracleFusionSandbox;
  client: OracleFusionClient;
  requests: SeenRequest[];
  apiRequests(): SeenRequest[];
  /** Runs after each API response (e.g. to change data between pages). */
  afterResponse?: (request: SeenRequest) => void;
}

export function createHarness(sandboxOptions: OracleFusionSandboxOptions = {}, clientOptions: Partial<OracleFusionClientOptions> = {}): Harness {
  const sandbox = createOracleFusionSandbox(sandboxOptions);
  const requests: SeenRequest[] = [];
  const harness: Harness = {
    sandbox,
    requests,
    apiRequests: () => requests.filter((r) => r.url.pathname !== '/oauth2/v1/token'),
    client: undefined as unknown as OracleFusionClient,
  };
  const recordingFetch: typeof fetch = async (input, init) => {
    const request = new Request(input as RequestInfo, init);
    const body = request.method === 'GET' ? '' : await request.clone().text();
    const seen = { method: request.method, url: new URL(request.url), headers: request.headers, body };
    requests.push(seen);
    const response = await sandbox.fetch(request);
    harness.afterResponse?.(seen);
    return response;
  };
  harness.client = createOracleFusionClient({
    host: sandbox.host,
    identityDomainUrl: sandbox.identityDomainUrl,
    scope: sandbox.scope,
    credentials: { clientId: ORACLE_SANDBOX_CLIENT_ID, clientSecret: ORACLE_SANDBOX_CLIENT_SECRET },
    fetch: recordingFetch,
    throttle: false,
    ...clientOptions,
  });
  return harness;
}

/** Awaits `promise` while advancing fake timers, so polls and backoff complete without real sleeps. */
export async function settle<T>(promise: Promise<T>, stepMs = 250): Promise<T> {
  let done = false;
  const tracked = promise.finally(() => {
    done = true;
  });
  tracked.catch(() => undefined);
  for (let i = 0; i < 2000 && !done; i++) await vi.advanceTimersByTimeAsync(stepMs);
  return tracked;
}

/** Gets a token from the sandbox's Identity Domain with the client secret in a Basic header. */
export async function sandboxToken(sandbox: OracleFusionSandbox, secret = ORACLE_SANDBOX_CLIENT_SECRET): Promise<Response> {
  return sandbox.fetch(`${sandbox.identityDomainUrl}/oauth2/v1/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${ORACLE_SANDBOX_CLIENT_ID}:${secret}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: sandbox.scope }),
  });
}

/** Raw API call. */
export async function call(sandbox: OracleFusionSandbox, token: string, method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; version?: string } = {}): Promise<Response> {
  return sandbox.fetch(`${sandbox.host}/fscmRestApi/resources/11.13.18.05/${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      'rest-framework-version': options.version ?? '2',
      ...(options.body === undefined ? {} : { 'content-type': 'application/vnd.oracle.adf.resourceitem+json' }),
      ...options.headers,
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
}

/** A token string for raw calls. */
export async function token(sandbox: OracleFusionSandbox): Promise<string> {
  const response = await sandboxToken(sandbox);
  if (response.status !== 200) throw new Error(`token failed ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}
