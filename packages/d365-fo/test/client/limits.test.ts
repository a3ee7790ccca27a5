import { FINANCE_OPERATIONS_THROTTLE_DEFAULTS } from '@ml-connector/d365-fo';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHarness, settle } from '../helpers.js';

describe('client-side pacing against the service protection limits', () => {
  afterEach(() => vi.useRealTimers());

  it('keeps concurrency within the default throttle, so a burst never meets the concurrency limit', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 0, 1) });
    const h = createHarness({ limits: { maxConcurrent: FINANCE_OPERATIONS_THROTTLE_DEFAULTS.maxConcurrency as number }, faults: { latencyMs: 40 } }, { throttle: { ...FINANCE_OPERATIONS_THROTTLE_DEFAULTS } });
    const usmf = h.client.legalEntity('usmf');
    const reads = Array.from({ length: 60 }, (_, i) => usmf.vendors.get({ VendorAccountNumber: `V${String((i % 25) + 1).padStart(5, '0')}` }));
    const vendors = await settle(Promise.all(reads), 20);
    expect(vendors).toHaveLength(60);
    expect(h.sandbox.stats.throttled).toEqual({ requests: 0, 'execution-time': 0, concurrency: 0 });
    expect(h.sandbox.stats.maxConcurrency).toBeLessThanOrEqual(16);
  });

  it('without a throttle the same burst is answered 429 by the concurrency limit (and retried)', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 0, 1) });
    const h = createHarness({ limits: { maxConcurrent: 16 }, faults: { latencyMs: 40 } }, { throttle: false });
    const usmf = h.client.legalEntity('usmf');
    const reads = Array.from({ length: 60 }, (_, i) => usmf.vendors.get({ VendorAccountNumber: `V${String((i % 25) + 1).padStart(5, '0')}` }));
    expect(await settle(Promise.all(reads), 20)).toHaveLength(60);
    expect(h.sandbox.stats.throttled.concurrency).toBeGreaterThan(0);
  });
});
