import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAdaptiveThrottle, isNotFoundError, isRateLimitError } from '@ml-connector/core';
import type { RetryEvent } from '@ml-connector/core';
import { type Harness, createHarness, settle } from './helpers.js';

let h: Harness | undefined;
afterEach(() => {
  h?.sandbox.close();
  vi.useRealTimers();
});

describe('transport behaviour against the emulator', () => {
  it('recovers from revoked tokens with exactly one new token', async () => {
    h = createHarness();
    const company = h.client.company(h.sandbox.companyId);
    await company.vendors.list().toArray({ limit: 1 });
    expect(h.sandbox.stats.tokensIssued).toBe(1);
    h.sandbox.revokeTokens();
    const results = await Promise.all(Array.from({ length: 8 }, () => company.accounts.list({ top: 1 }).toArray({ limit: 1 })));
    expect(results.every((r) => r.length === 1)).toBe(true);
    expect(h.sandbox.stats.tokensIssued).toBe(2);
  });

  it('completes every call through a 429 storm without exceeding BC concurrency, recording retry reasons', async () => {
    vi.useFakeTimers();
    const reasons: RetryEvent['reason'][] = [];
    h = createHarness(
      { limits: { requestsPerWindow: 10, windowMs: 2_000, maxConcurrent: 2, maxQueued: 0 } },
      { onRetry: (e) => reasons.push(e.reason), retry: { maxRetries: 30, maxRetryAfterMs: 60_000 } },
    );
    const company = h.client.company(h.sandbox.companyId);
    const work = Promise.all(Array.from({ length: 40 }, (_, i) => company.accounts.list({ top: 1, skip: i % 5 }).toArray({ limit: 1 })));
    const results = await settle(work, vi);
    expect(results).toHaveLength(40);
    expect(h.sandbox.stats.throttled).toBeGreaterThan(0);
    expect(reasons).toContain('rate-limited');
    expect(h.sandbox.stats.maxConcurrency).toBeLessThanOrEqual(5);
  });

  it('paces requests at 25 per second by default, within BC\'s window of 6,000 per 5 minutes', async () => {
    vi.useFakeTimers();
    h = createHarness({}, { throttle: undefined });
    const company = h.client.company(h.sandbox.companyId);
    const started = Date.now();
    await settle(Promise.all(Array.from({ length: 60 }, () => company.accounts.list({ top: 1 }).toArray({ limit: 1 }))), vi, 50);
    const elapsed = Date.now() - started;
    // 60 calls at 25 per second (the bucket starts with one token): about 2.4 s, against 2.95 s at 20 per second.
    expect(elapsed).toBeGreaterThanOrEqual(2_300);
    expect(elapsed).toBeLessThan(2_900);
    expect(h.sandbox.stats.maxConcurrency).toBeLessThanOrEqual(5);
  });

  it('gives up with RateLimitError carrying retries when 429s persist', async () => {
    vi.useFakeTimers();
    h = createHarness({}, { retry: { maxRetries: 2 } });
    const company = h.client.company(h.sandbox.companyId);
    await company.vendors.list({ top: 1 }).toArray({ limit: 1 });
    h.sandbox.faults.enqueue(
      { kind: 'status', status: 429, retryAfterSeconds: 1 },
      { kind: 'status', status: 429, retryAfterSeconds: 1 },
      { kind: 'status', status: 429, retryAfterSeconds: 1 },
    );
    const error = await settle(company.vendors.list({ top: 1 }).toArray({ limit: 1 }).catch((e: unknown) => e), vi);
    expect(isRateLimitError(error)).toBe(true);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 1000 });
    expect((error as { retries: unknown[] }).retries).toHaveLength(2);
  });

  it('accepts a shared RateLimiter so two clients share one budget', async () => {
    const limiter = createAdaptiveThrottle({ initialConcurrency: 1, maxConcurrency: 1 });
    h = createHarness({}, { throttle: limiter });
    const company = h.client.company(h.sandbox.companyId);
    await Promise.all(Array.from({ length: 6 }, () => company.vendors.list({ top: 1 }).toArray({ limit: 1 })));
    expect(h.sandbox.stats.maxConcurrency).toBe(1);
    // Two clients on one limiter: the second waits for the first's permits.
    const second = createHarness({}, { throttle: limiter });
    await Promise.all([company.vendors.list({ top: 1 }).toArray({ limit: 1 }), second.client.companies.list().toArray({ limit: 1 })]);
    second.sandbox.close();
  });

  it('serves the client over a real loopback socket', async () => {
    h = createHarness();
    const server = await h.sandbox.listen();
    try {
      const { createBusinessCentralClient } = await import('@ml-connector/business-central');
      const { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } = await import('@ml-connector/business-central/testing');
      const client = createBusinessCentralClient({
        tenantId: h.sandbox.tenantId,
        environment: h.sandbox.environment,
        credentials: { clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET },
        apiHost: server.url,
        authorityHost: server.url,
        allowLoopback: true,
      });
      const vendors = await client.company(h.sandbox.companyId).vendors.list().toArray({ limit: 100 });
      expect(vendors).toHaveLength(24); // V00001…V00025 without the unmapped V00025
      const missing = await client.company(h.sandbox.companyId).vendors.get('6f9619ff-8b86-d011-b42d-00c04fc964ff').catch((e: unknown) => e);
      expect(isNotFoundError(missing)).toBe(true);
    } finally {
      await server.close();
    }
  });
});
