import {
  BC_SCOPE,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
  createBusinessCentralSandbox,
  type BusinessCentralSandbox,
  type BusinessCentralSandboxOptions,
} from '@ml-connector/business-central/testing';

/** A sandbox plus a token and small request helpers over its in-process fetch. */
export interface Harness {
  sandbox: BusinessCentralSandbox;
  base: string;
  company: string;
  token: string;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  send(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
}

export async function fetchToken(sandbox: BusinessCentralSandbox, scope = BC_SCOPE, doFetch: typeof fetch = sandbox.fetch, tokenUrl = sandbox.tokenUrl()): Promise<string> {
  const response = await doFetch(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: SANDBOX_CLIENT_ID, client_secret: SANDBOX_CLIENT_SECRET, scope }),
  });
  if (response.status !== 200) throw new Error(`token request failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

export async function harness(options: BusinessCentralSandboxOptions = {}): Promise<Harness> {
  const sandbox = createBusinessCentralSandbox(options);
  const token = await fetchToken(sandbox);
  const base = sandbox.baseUrl();
  const company = `${base}/companies(${sandbox.companyId})`;
  const url = (path: string) => (path.startsWith('http') ? path : `${company}${path}`);
  return {
    sandbox,
    base,
    company,
    token,
    get: (path, headers = {}) => sandbox.fetch(url(path), { headers: { authorization: `Bearer ${token}`, ...headers } }),
    send: (method, path, body, headers = {}) =>
      sandbox.fetch(url(path), {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
  };
}

export async function json<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

export type Row = Record<string, unknown> & { id: string; '@odata.etag': string };
export interface Collection {
  value: Row[];
  '@odata.nextLink'?: string;
  '@odata.context': string;
  '@odata.count'?: number;
}
export interface ErrorEnvelope {
  error: { code: string; message: string };
}
