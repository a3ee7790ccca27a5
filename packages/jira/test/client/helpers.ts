import { type JiraClient, type JiraClientOptions, connectJira } from '@ml-connector/jira';
import {
  SANDBOX_API_TOKEN,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
  SANDBOX_EMAIL,
  type JiraSandbox,
  type JiraSandboxOptions,
  createJiraSandbox,
} from '@ml-connector/jira/testing';
import type { RefreshTokenStore } from '@ml-connector/core';

/** A refresh token store in memory, counting writes. */
export function memoryStore(initial?: string): RefreshTokenStore & { value: string | undefined; writes: number } {
  const store = {
    value: initial,
    writes: 0,
    read: async () => store.value,
    write: async (token: string) => {
      store.value = token;
      store.writes++;
    },
  };
  return store;
}

export const CUSTOM_FIELDS = { documentKey: 'ML Document Key', vendor: 'Vendor', amount: 'Amount' } as const;

/** No per-second pacing: with fake or real timers, pacing would be a real wait. */
export const FAST_THROTTLE = { initialConcurrency: 5, maxConcurrency: 5, maxRequestsPerSecond: 100_000 };

/** A sandbox and an OAuth client wired to it in-process. */
export async function oauthHarness(
  sandboxOptions: JiraSandboxOptions = {},
  clientOptions: Partial<JiraClientOptions> = {},
): Promise<{ sandbox: JiraSandbox; jira: JiraClient<keyof typeof CUSTOM_FIELDS>; store: ReturnType<typeof memoryStore> }> {
  const sandbox = createJiraSandbox({ indexLagMs: 0, ...sandboxOptions });
  const store = memoryStore(sandbox.issueRefreshToken());
  const jira = await connectJira({
    auth: { kind: 'oauth', clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET, refreshTokenStore: store },
    customFields: CUSTOM_FIELDS,
    fetch: sandbox.fetch,
    throttle: FAST_THROTTLE,
    ...clientOptions,
  });
  return { sandbox, jira, store };
}

/** A sandbox and an API-token client wired to it in-process. */
export async function apiTokenHarness(
  sandboxOptions: JiraSandboxOptions = {},
  clientOptions: Partial<JiraClientOptions> = {},
): Promise<{ sandbox: JiraSandbox; jira: JiraClient<keyof typeof CUSTOM_FIELDS> }> {
  const sandbox = createJiraSandbox({ indexLagMs: 0, ...sandboxOptions });
  const jira = await connectJira({
    auth: { kind: 'api-token', siteUrl: sandbox.siteUrl(), email: SANDBOX_EMAIL, apiToken: SANDBOX_API_TOKEN },
    customFields: CUSTOM_FIELDS,
    fetch: sandbox.fetch,
    throttle: FAST_THROTTLE,
    ...clientOptions,
  });
  return { sandbox, jira };
}

/** Awaits `promise` while advancing fake timers. */
export async function settle<T>(promise: Promise<T>, vi: { advanceTimersByTimeAsync(ms: number): Promise<unknown> }, stepMs = 250): Promise<T> {
  let done = false;
  const tracked = promise.finally(() => {
    done = true;
  });
  tracked.catch(() => undefined);
  for (let i = 0; i < 100_000 && !done; i++) await vi.advanceTimersByTimeAsync(stepMs);
  return tracked;
}
