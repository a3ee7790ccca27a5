import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { EmulatedConnectionDrop, TRUNCATE_HEADER, serveOnLoopback, type LoopbackServer } from '@ml-connector/core/testing';
import { createHttpClient, isNetworkError, isOutcomeUnknownError } from '@ml-connector/core';

// Real sockets on 127.0.0.1: these failure modes only exist on a real connection.
let server: LoopbackServer | undefined;
afterEach(async () => server?.close());

const client = (url: string) =>
  createHttpClient({ baseUrl: `${url}/`, allowLoopback: true, throttle: false, retry: { maxRetries: 2, baseDelayMs: 1, random: () => 0 } });

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('ky transport over real loopback sockets', () => {
  it('a refused connection is safe to retry even for POST, and ends as NetworkError CONNECTION_FAILED', async () => {
    const events: string[] = [];
    const c = createHttpClient({
      baseUrl: `http://127.0.0.1:${await closedPort()}/`,
      allowLoopback: true,
      throttle: false,
      retry: { maxRetries: 2, baseDelayMs: 1, random: () => 0 },
      onRetry: (e) => events.push(e.reason),
    });
    const error = await c.post('x', { json: {} }).catch((e: unknown) => e);
    expect(isNetworkError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'CONNECTION_FAILED' });
    expect(events).toEqual(['connection-failed', 'connection-failed']);
  });
  it('a connection dropped after the server processed a POST is OutcomeUnknownError, never retried', async () => {
    let processed = 0;
    server = await serveOnLoopback(async () => {
      processed++;
      throw new EmulatedConnectionDrop('after');
    });
    const error = await client(server.url).post('invoices', { json: { n: 1 } }).catch((e: unknown) => e);
    expect(isOutcomeUnknownError(error)).toBe(true);
    expect(processed).toBe(1);
  });
  it('a truncated body: GET retries and succeeds, POST is OutcomeUnknownError', async () => {
    let n = 0;
    server = await serveOnLoopback(async () => {
      n++;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (n % 2 === 1) headers[TRUNCATE_HEADER] = '1';
      return new Response(JSON.stringify({ value: 'x'.repeat(2000) }), { headers });
    });
    const c = client(server.url);
    await expect(c.get('list')).resolves.toMatchObject({ value: expect.any(String) });
    n = 0;
    const error = await c.post('invoices', { json: {} }).catch((e: unknown) => e);
    expect(isOutcomeUnknownError(error)).toBe(true);
    expect((error as Error).message).toMatch(/response body/);
  });
});
