import type { Logger, RetryEvent } from '@ml-connector/core';
import { type JaggaerClientOptions, createJaggaerClient } from '@ml-connector/jaggaer-j1p';
import {
  type JaggaerSandbox,
  type JaggaerSandboxOptions,
  SANDBOX_BASE_URL,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
  createJaggaerSandbox,
} from '@ml-connector/jaggaer-j1p/testing';

/** A sandbox plus a client wired to its in-process fetch, recording retries. */
export function setup(sandboxOptions: JaggaerSandboxOptions = {}, clientOptions: Partial<JaggaerClientOptions> = {}) {
  const sandbox: JaggaerSandbox = createJaggaerSandbox({ seed: 7, ...sandboxOptions });
  const retries: RetryEvent[] = [];
  const client = createJaggaerClient({
    host: SANDBOX_BASE_URL,
    clientId: SANDBOX_CLIENT_ID,
    clientSecret: SANDBOX_CLIENT_SECRET,
    fetch: sandbox.fetch,
    retry: { random: () => 0 },
    throttle: false,
    onRetry: (event) => retries.push(event),
    ...(sandboxOptions.paths ? { paths: sandboxOptions.paths } : {}),
    ...clientOptions,
  });
  return { sandbox, client, retries };
}

/** A logger that serialises everything it is given, as a JSON log sink would. */
export function capturingLogger(lines: string[]): Logger {
  const log = (level: string) => (fields: Record<string, unknown>, message?: string) => lines.push(JSON.stringify({ level, message, ...fields }));
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** Captures a rejection as a value. */
export async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}
