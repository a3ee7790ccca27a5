import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAdaptiveThrottle, createHttpClient, isNetworkError, isOutcomeUnknownError } from '@ml-connector/core';

// A real loopback socket: a body that stalls after its headers only exists on a real connection.
let server: Server | undefined;
const sockets = new Set<Socket>();
let requests = 0;
let fetchesStarted = 0;
let fetchesSettled = 0;
/** The global fetch, counting calls and calls whose headers (or failure) reached the client. */
const countingFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
  fetchesStarted++;
  try {
    return await fetch(input, init);
  } finally {
    fetchesSettled++;
  }
}) as typeof fetch;

beforeEach(async () => {
  requests = 0;
  fetchesStarted = 0;
  fetchesSettled = 0;
  server = createServer((_, res) => {
    requests++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"value":['); // then nothing: a trickling or stalled server
  });
  server.on('connection', (socket) => (sockets.add(socket), socket.on('close', () => sockets.delete(socket))));
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(async () => {
  vi.useRealTimers();
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((r) => server?.close(() => r()));
});
const baseUrl = () => `http://127.0.0.1:${(server?.address() as { port: number }).port}/`;

/** Settles `promise` while moving fake time forward timer by timer, letting real I/O run in between. */
async function settle<T>(promise: Promise<T>): Promise<{ error?: unknown; done: boolean; elapsedMs: number }> {
  const start = Date.now();
  const outcome: { error?: unknown; done: boolean; elapsedMs: number } = { done: false, elapsedMs: 0 };
  promise.then(
    () => Object.assign(outcome, { done: true, elapsedMs: Date.now() - start }),
    (e: unknown) => Object.assign(outcome, { error: e, done: true, elapsedMs: Date.now() - start }),
  );
  for (let i = 0; i < 20 && !outcome.done; i++) {
    // Real I/O runs on real time (only setTimeout and Date are faked): let the request reach the server and
    // its headers come back before jumping the clock, however loaded the machine is.
    const giveUp = performance.now() + 10_000;
    const waitingForHeaders = () => fetchesStarted > fetchesSettled || (fetchesStarted === 0 && requests === 0);
    while (!outcome.done && waitingForHeaders() && performance.now() < giveUp) await new Promise((r) => setImmediate(r));
    for (let k = 0; k < 20 && !outcome.done; k++) await new Promise((r) => setImmediate(r));
    if (!outcome.done) await vi.advanceTimersToNextTimerAsync();
  }
  return outcome;
}

describe('the attempt timeout covers the response body', () => {
  it('a stalled body on a GET ends as NetworkError TIMEOUT within timeoutMs, and the throttle permit is released', async () => {
    const throttle = createAdaptiveThrottle({ initialConcurrency: 1, maxConcurrency: 1 });
    const c = createHttpClient({
      baseUrl: baseUrl(),
      allowLoopback: true,
      throttle,
      timeoutMs: 1000,
      retry: { maxRetries: 1, random: () => 0 },
      fetch: countingFetch,
    });
    const r = await settle(c.get('trickle'));
    expect(r.done).toBe(true);
    expect(isNetworkError(r.error)).toBe(true);
    expect(r.error).toMatchObject({ code: 'TIMEOUT' });
    expect((r.error as Error).message).toMatch(/response body did not arrive within 1000 ms/);
    expect(requests).toBe(2); // retried once: a GET is safe to repeat
    expect(r.elapsedMs).toBe(2000);
    const [key] = [`127.0.0.1:${(server?.address() as { port: number }).port}|anonymous`];
    expect(throttle.state(key)).toMatchObject({ inFlight: 0, queued: 0 });
  });
  it('a stalled body on a POST is OutcomeUnknownError within timeoutMs, never retried', async () => {
    const c = createHttpClient({ baseUrl: baseUrl(), allowLoopback: true, throttle: false, timeoutMs: 500, fetch: countingFetch });
    const r = await settle(c.post('trickle', { json: { n: 1 } }));
    expect(isOutcomeUnknownError(r.error)).toBe(true);
    expect(r.elapsedMs).toBe(500);
    expect(requests).toBe(1);
  });
  it('an injected fetch whose body never ends and which ignores signals still times out', async () => {
    const stalled = () =>
      new ReadableStream<Uint8Array>({ start: (controller) => controller.enqueue(new TextEncoder().encode('{"value":[')) });
    const fetch = (async () => {
      requests++;
      return new Response(stalled(), { headers: { 'content-type': 'application/json' } });
    }) as typeof globalThis.fetch;
    const c = createHttpClient({ baseUrl: baseUrl(), allowLoopback: true, throttle: false, retry: false, timeoutMs: 250, fetch });
    const r = await settle(c.get('x'));
    expect(r.error).toMatchObject({ code: 'TIMEOUT' });
    expect(r.elapsedMs).toBe(250);
  });
});
