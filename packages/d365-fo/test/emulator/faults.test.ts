import { describe, expect, it } from 'vitest';
import { createHarness } from '../helpers.js';

describe('F&O sandbox: fault injection', () => {
  it('injects statuses and connection drops the client retries safely', async () => {
    const h = createHarness({}, { retry: { baseDelayMs: 1, maxDelayMs: 2 } });
    h.sandbox.faults.enqueue({ kind: 'status', status: 503, retryAfterSeconds: 0 }, { kind: 'reset-before' });
    const vendor = await h.client.legalEntity('usmf').vendors.get({ VendorAccountNumber: 'V00001' });
    expect(vendor.VendorAccountNumber).toBe('V00001');
    expect(h.sandbox.stats.faultsInjected).toBe(2);
    expect(h.apiRequests()).toHaveLength(3);
  });

  it('leaves the token endpoint alone unless asked', async () => {
    const h = createHarness({ faults: { statusRates: { 500: 1 } } }, { retry: false });
    await expect(h.client.legalEntity('usmf').vendors.get({ VendorAccountNumber: 'V00001' })).rejects.toThrow(/Server error/);
    expect(h.sandbox.stats.tokensIssued).toBe(1);
  });

  it('revokes tokens so the client refreshes once', async () => {
    const h = createHarness();
    const usmf = h.client.legalEntity('usmf');
    await usmf.vendors.get({ VendorAccountNumber: 'V00001' });
    h.sandbox.revokeTokens();
    await usmf.vendors.get({ VendorAccountNumber: 'V00002' });
    expect(h.sandbox.stats.tokensIssued).toBe(2);
  });
});
