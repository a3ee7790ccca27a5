import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HttpResponse, http } from 'msw';
import { type RetryEvent, connectorHttpClientOptions, createAdaptiveThrottle, createHttpClient } from '@ml-connector/core';
import { BASE, captureLogger, useMswServer } from './helpers.js';

beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }));
afterEach(() => vi.useRealTimers());

describe('connectorHttpClientOptions', () => {
  it('applies the connector defaults and leaves unset options to core', () => {
    expect(connectorHttpClientOptions({}, { timeoutMs: 60_000 })).toEqual({ allowLoopback: false, timeoutMs: 60_000 });
    const throttle = { maxRequestsPerSecond: 20 };
    expect(connectorHttpClientOptions({}, { timeoutMs: 1, throttle })).toEqual({ allowLoopback: false, timeoutMs: 1, throttle });
  });

  it("prefers the caller's options over the connector defaults, false included", () => {
    const limiter = createAdaptiveThrottle();
    expect(connectorHttpClientOptions({ timeoutMs: 5, throttle: false }, { timeoutMs: 60_000, throttle: { maxRequestsPerSecond: 20 } })).toEqual({
      allowLoopback: false,
      timeoutMs: 5,
      throttle: false,
    });
    expect(connectorHttpClientOptions({ throttle: limiter }, { timeoutMs: 1, throttle: false }).throttle).toBe(limiter);
    expect(connectorHttpClientOptions({ retry: false }, { timeoutMs: 1 }).retry).toBe(false);
  });

  it('passes every transport option through and keeps now out', () => {
    const options = {
      allowLoopback: true,
      retry: { maxRetries: 1 },
      onRetry: () => {},
      logger: captureLogger(),
      headers: { 'x-a': '1' },
      createRequestId: () => 'id',
      fetch: globalThis.fetch,
      now: () => 0,
    };
    const { now: _now, ...transport } = options;
    expect(connectorHttpClientOptions(options, { timeoutMs: 7 })).toEqual({ ...transport, timeoutMs: 7 });
  });

  describe('wired into createHttpClient', () => {
    const server = useMswServer();

    it('retries, reports and sends headers and request ids as given', async () => {
      let calls = 0;
      const seen: Array<string | null> = [];
      server.use(
        http.get(`${BASE}things`, ({ request }) => {
          seen.push(request.headers.get('x-tenant'), request.headers.get('x-request-id'));
          return ++calls === 1 ? new HttpResponse(null, { status: 503, headers: { 'retry-after': '1' } }) : HttpResponse.json({ ok: true });
        }),
      );
      const events: RetryEvent[] = [];
      const client = createHttpClient({
        baseUrl: BASE,
        ...connectorHttpClientOptions(
          { allowLoopback: true, onRetry: (e) => events.push(e), headers: { 'x-tenant': 't1' }, createRequestId: () => 'req-1', throttle: false },
          { timeoutMs: 10_000 },
        ),
      });
      const pending = client.request<{ ok: boolean }>({ path: 'things' });
      await vi.advanceTimersByTimeAsync(1_000);
      await expect(pending).resolves.toMatchObject({ data: { ok: true } });
      expect(calls).toBe(2);
      expect(events).toHaveLength(1);
      expect(seen.slice(0, 2)).toEqual(['t1', 'req-1']);
    });

    it('refuses a loopback base URL unless allowLoopback is given', () => {
      expect(() => createHttpClient({ baseUrl: BASE, ...connectorHttpClientOptions({}, { timeoutMs: 1 }) })).toThrow(/loopback/);
    });
  });
});
