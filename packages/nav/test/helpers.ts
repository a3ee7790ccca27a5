import { type NavClient, type NavClientOptions, createNavClient } from '@ml-connector/nav';
import {
  NAV_SANDBOX_ACCESS_KEY,
  NAV_SANDBOX_USER,
  type NavSandbox,
  type NavSandboxOptions,
  createNavSandbox,
} from '@ml-connector/nav/testing';

/** A sandbox and a Basic-auth client wired to it in-process (no sockets, no retries waiting on real time). */
export function setup(
  sandboxOptions: NavSandboxOptions = {},
  clientOptions: Partial<NavClientOptions> & { version?: 'v4' | 'v3' } = {},
): { sandbox: NavSandbox; nav: NavClient } {
  const sandbox = createNavSandbox(sandboxOptions);
  const { version = 'v4', ...rest } = clientOptions;
  const nav = createNavClient({
    url: sandbox.url({ version }),
    auth: { kind: 'basic', username: NAV_SANDBOX_USER, password: NAV_SANDBOX_ACCESS_KEY },
    fetch: sandbox.fetch,
    retry: { maxRetries: 0 },
    throttle: false,
    ...rest,
  });
  return { sandbox, nav };
}

/** Reads a whole listing (bounded). */
export function all<T>(listing: { toArray(options: { limit: number }): Promise<T[]> }): Promise<T[]> {
  return listing.toArray({ limit: 100_000 });
}

/** Advances fake timers until `promise` settles (retries wait on timers). */
export async function settle<T>(promise: Promise<T>, vi: { advanceTimersByTimeAsync(ms: number): Promise<unknown> }, stepMs = 250): Promise<T> {
  let done = false;
  const tracked = promise.finally(() => {
    done = true;
  });
  tracked.catch(() => undefined);
  for (let i = 0; i < 10_000 && !done; i++) await vi.advanceTimersByTimeAsync(stepMs);
  return tracked;
}
