import { HttpResponse, http } from 'msw';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClientCredentialsProvider, createHttpClient } from '@ml-connector/core';
import { fakeTokenEndpoint, tokenJson } from '../auth/token-endpoint-fake.js';
import { BASE, useMswServer } from './helpers.js';

const server = useMswServer();

beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }));
afterEach(() => vi.useRealTimers());

describe('auth policy with a caching token provider', () => {
  it('10 concurrent 401s after one revocation cause exactly one token request', async () => {
    const revoked = new Set<string>();
    const { fetch, requests } = fakeTokenEndpoint((_, call) => tokenJson({ access_token: `at-${call}`, expires_in: 3600 }));
    const auth = createClientCredentialsProvider({ tokenUrl: 'https://login.example.test/t/oauth2/v2.0/token', clientId: 'c', clientSecret: 's', fetch });
    let arrival = 0;
    server.use(
      http.get(new URL('orders', BASE).href, async ({ request }) => {
        const token = (request.headers.get('authorization') ?? '').replace('Bearer ', '');
        if (!revoked.has(token)) return HttpResponse.json({ ok: token });
        // The 401s come back spread out, so a refresh finishes between them.
        await new Promise((r) => setTimeout(r, 10 * ++arrival));
        return HttpResponse.json({ error: 'invalid_token' }, { status: 401 });
      }),
    );
    const c = createHttpClient({ baseUrl: BASE, allowLoopback: true, auth, throttle: false });
    await c.get('orders');
    expect(requests).toHaveLength(1);
    revoked.add('at-1');
    let settled = 0;
    const calls = Array.from({ length: 10 }, () => c.get('orders').finally(() => settled++));
    for (let i = 0; i < 500 && settled < 10; i++) {
      for (let k = 0; k < 20; k++) await new Promise((r) => setImmediate(r));
      await vi.advanceTimersToNextTimerAsync();
    }
    expect(await Promise.all(calls)).toEqual(Array(10).fill({ ok: 'at-2' }));
    expect(requests).toHaveLength(2);
  });
});
