import { vi } from 'vitest';

/** One request seen by {@link fakeTokenEndpoint}. */
export interface SeenTokenRequest {
  url: string;
  form: URLSearchParams;
  headers: Headers;
}

/** A JSON response as token endpoints send them. */
export function tokenJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/**
 * An injected `fetch` standing in for a token endpoint: records each form and answers with `respond`
 * (which may return a promise to hold the response back). Used where fake timers make msw impractical.
 */
export function fakeTokenEndpoint(respond: (request: SeenTokenRequest, call: number) => Response | Promise<Response>) {
  const requests: SeenTokenRequest[] = [];
  const fetch = vi.fn(async (input: string | URL | Request, init?: RequestInit) => {
    const request: SeenTokenRequest = {
      url: String(input),
      form: new URLSearchParams(String(init?.body ?? '')),
      headers: new Headers(init?.headers),
    };
    requests.push(request);
    return respond(request, requests.length);
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, requests };
}

/** A promise plus its resolve function, to hold a fake response until the test releases it. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
