import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Logger, TokenProvider } from '@ml-connector/core';

/** Loopback base URL intercepted by msw; nothing leaves the process. */
export const BASE = 'http://127.0.0.1:7999/api/';

/** An msw server with unhandled requests fatal, reset between tests. */
export function useMswServer() {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}

/** A logger that records every call, for redaction and retry-reason assertions. */
export function captureLogger(): Logger & { lines: Array<{ level: string; fields: Record<string, unknown>; message?: string }> } {
  const lines: Array<{ level: string; fields: Record<string, unknown>; message?: string }> = [];
  const at = (level: string) => (fields: Record<string, unknown>, message?: string) => lines.push({ level, fields, message });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A token provider handing out `tokens` in order, moving to the next when the current one is invalidated. */
export function sequenceTokenProvider(tokens: string[]): TokenProvider & { invalidated: string[]; calls: number } {
  let i = 0;
  const provider = {
    identity: 'test-idp|client-1|scope',
    invalidated: [] as string[],
    calls: 0,
    async getToken() {
      provider.calls++;
      return { token: tokens[Math.min(i, tokens.length - 1)] as string, expiresAt: Date.now() + 3_600_000, tokenType: 'Bearer' };
    },
    invalidate(token?: string) {
      if (token) provider.invalidated.push(token);
      if (token === tokens[Math.min(i, tokens.length - 1)]) i++;
    },
  };
  return provider;
}
