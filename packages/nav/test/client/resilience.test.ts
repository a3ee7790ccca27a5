import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RetryEvent } from '@ml-connector/core';
import { all, settle, setup } from '../helpers.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('faults from the emulator', () => {
  it('retries a 503 with Retry-After and a dropped connection on reads, and finishes the listing', async () => {
    vi.useFakeTimers();
    const reasons: RetryEvent['reason'][] = [];
    const { sandbox, nav } = setup({ maxPageSize: 10 }, { retry: { maxRetries: 4 }, onRetry: (e) => reasons.push(e.reason) });
    await settle(nav.connect(), vi);
    sandbox.faults.enqueue({ kind: 'status', status: 503, retryAfterSeconds: 2 }, { kind: 'reset-before' }, { kind: 'truncate' });
    const vendors = await settle(all(nav.vendors.list()), vi);
    expect(vendors).toHaveLength(25);
    expect(reasons.length).toBeGreaterThanOrEqual(3);
    expect(sandbox.stats.faultsInjected).toBe(3);
  });

  it('does not repeat a create whose outcome is unknown: OutcomeUnknownError, and the record exists once', async () => {
    vi.useFakeTimers();
    const { sandbox, nav } = setup({}, { retry: { maxRetries: 3 } });
    await settle(nav.connect(), vi);
    sandbox.faults.enqueue({ kind: 'reset-after' });
    const line = { journalTemplateName: 'GENERAL', journalBatchName: 'DEFAULT', lineNumber: 10000, accountType: 'G/L Account', accountNumber: '8110', amount: 5 };
    await expect(settle(nav.generalJournalLines.create(line), vi)).rejects.toMatchObject({ name: 'OutcomeUnknownError' });
    expect(sandbox.table('GenJournalLine')).toHaveLength(1);
    // Looking it up settles the question; creating again would fail on the key.
    expect((await settle(nav.generalJournalLines.get(line), vi)).amount).toBe(5);
    await expect(settle(nav.generalJournalLines.create(line), vi)).rejects.toMatchObject({ name: 'ValidationError', vendorCode: 'Internal_EntityWithSameKeyExists' });
  });

  it('retries a POST refused with 429 before processing, creating the line once', async () => {
    vi.useFakeTimers();
    const { sandbox, nav } = setup({}, { retry: { maxRetries: 3 } });
    await settle(nav.connect(), vi);
    sandbox.faults.enqueue({ kind: 'status', status: 429, retryAfterSeconds: 1 });
    await settle(nav.generalJournalLines.create({ journalTemplateName: 'GENERAL', journalBatchName: 'DEFAULT', lineNumber: 20000, accountType: 'G/L Account', accountNumber: '8120', amount: 7 }), vi);
    expect(sandbox.table('GenJournalLine')).toHaveLength(1);
  });

  it('re-checks $metadata after a failed connect instead of caching the failure', async () => {
    vi.useFakeTimers();
    const { sandbox, nav } = setup({}, { retry: false });
    sandbox.faults.enqueue({ kind: 'status', status: 500 });
    await expect(settle(nav.connect(), vi)).rejects.toMatchObject({ name: 'ServerError' });
    await expect(settle(nav.connect(), vi)).resolves.toMatchObject({ version: 'v4' });
    expect(sandbox.stats.requests).toBe(2);
    expect(sandbox.stats.metadataRequests).toBe(1);
  });
});

describe('NAV business rules surface as typed errors', () => {
  it('refuses a blocked or heading account, an unknown vendor and changes to a released order', async () => {
    const { sandbox, nav } = setup();
    const base = { journalTemplateName: 'GENERAL', journalBatchName: 'DEFAULT', accountType: 'G/L Account', amount: 1 };
    await expect(nav.generalJournalLines.create({ ...base, lineNumber: 10000, accountNumber: '8190' })).rejects.toMatchObject({
      name: 'ValidationError',
      vendorMessage: expect.stringContaining("Blocked must be equal to 'No'  in G/L Account: No.=8190"),
    });
    await expect(nav.generalJournalLines.create({ ...base, lineNumber: 10000, accountNumber: '9999' })).rejects.toMatchObject({
      vendorMessage: expect.stringContaining('cannot be found in the related table (G/L Account)'),
    });
    await expect(nav.purchaseInvoices.create({ vendorNumber: 'V99999' })).rejects.toMatchObject({
      vendorMessage: expect.stringContaining('Buy-from Vendor No.'),
    });
    await expect(nav.purchaseInvoices.create({ vendorNumber: 'V00007' })).rejects.toMatchObject({ vendorMessage: expect.stringContaining('blocked with type All') });
    sandbox.setDocumentStatus('Order', '106001', 'Released');
    await expect(nav.purchaseOrders.lines.create('106001', { type: 'G/L Account', number: '8110', quantity: 1, directUnitCost: 1 })).rejects.toMatchObject({
      vendorMessage: expect.stringContaining("Status must be equal to 'Open'"),
    });
  });

  it('rejects bad input before sending: unknown fields, wrong value types, missing ETag', async () => {
    const { sandbox, nav } = setup();
    await expect(nav.vendors.create({ nmae: 'x' } as never)).rejects.toThrow(/no published field "nmae"/);
    await expect(nav.vendors.create({ name: 5 } as never)).rejects.toThrow(/vendors.create.name must be a string/);
    await expect(nav.purchaseInvoices.create({ vendorNumber: 'V00001', postingDate: '31.01.2026' })).rejects.toThrow(/YYYY-MM-DD/);
    await expect(nav.vendors.update('V00001', { name: 'x' }, {} as never)).rejects.toThrow(/needs \{ etag \}/);
    await expect(nav.vendors.update('V00001', { number: 'V2' } as never, { etag: '*' })).rejects.toThrow(/cannot be set here/);
    expect(sandbox.stats.requests).toBe(0);
  });
});
