import {
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
  createJaggaerSandbox,
  type JaggaerSandbox,
  type JaggaerSandboxOptions,
} from '@ml-connector/jaggaer-j1p/testing';

/** Requests a token with the default sandbox credentials. */
export async function getToken(sandbox: JaggaerSandbox, fetchFn: typeof fetch = sandbox.fetch, tokenUrl = sandbox.tokenUrl): Promise<string> {
  const response = await fetchFn(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: SANDBOX_CLIENT_ID, client_secret: SANDBOX_CLIENT_SECRET }),
  });
  if (response.status !== 200) throw new Error(`token request failed: ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** A tiny authenticated client over the sandbox's in-process fetch. */
export interface TestApi {
  sandbox: JaggaerSandbox;
  token: string;
  get(path: string, query?: Record<string, string | number>): Promise<Response>;
  send(method: string, path: string, body: unknown): Promise<Response>;
  json<T = any>(response: Response): Promise<T>;
}

/** Creates a sandbox and a token for it. */
export async function setup(options: JaggaerSandboxOptions = {}): Promise<TestApi> {
  const sandbox = createJaggaerSandbox(options);
  const token = await getToken(sandbox);
  const headers = () => ({ authorization: `Bearer ${token}`, accept: 'application/json' });
  return {
    sandbox,
    token,
    get(path, query = {}) {
      const url = new URL(sandbox.baseUrl + path);
      for (const [k, v] of Object.entries(query)) url.searchParams.set(k, String(v));
      return sandbox.fetch(url, { headers: headers() });
    },
    send(method, path, body) {
      return sandbox.fetch(sandbox.baseUrl + path, {
        method,
        headers: { ...headers(), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    },
    json: async (response) => (await response.json()) as any,
  };
}

/** Default paths, re-exported for brevity. */
export { DEFAULT_JAGGAER_PATHS as P } from '@ml-connector/jaggaer-j1p/testing';

/** The invoice path for an id. */
export const invoicePath = (id: number | string) => `/j1p/api/public/ji/v1/invoices/${id}`;
