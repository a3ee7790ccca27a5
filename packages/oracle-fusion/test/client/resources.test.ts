import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isConflictError, isInvalidInputError, isOutcomeUnknownError, isValidationError } from '@ml-connector/core';
import { oracleErrorDetails } from '@ml-connector/oracle-fusion';
import { ORACLE_SANDBOX_USER, SEED_COST_CENTER_VALUE_SET, seedPoNumber, seedSupplierNumber } from '@ml-connector/oracle-fusion/testing';
import { createHarness, settle } from '../helpers.js';

describe('resources against the sandbox', () => {
  it('reads suppliers with children by reference, never building a UniqID', async () => {
    const { client } = createHarness();
    const supplier = await client.suppliers.findOne((q) => q.eq('SupplierNumber', seedSupplierNumber(2)), { expand: ['sites'] });
    expect(supplier?.sites?.[0]).toMatchObject({ SupplierSite: 'US01-MAIN', ProcurementBU: 'US01' });
    const contacts = await client.suppliers.contacts(supplier ?? '').list().toArray({ limit: 10 });
    expect(contacts).toHaveLength(1);
    const addresses = await client.suppliers.addresses(supplier ?? '').list().toArray({ limit: 10 });
    expect(addresses[0]?.CountryCode).toBe('US');
  });

  it('reads PO lines, schedules and distributions, records a receipt and an acknowledgement', async () => {
    const { client } = createHarness();
    const po = await client.purchaseOrders.findByNumber(seedPoNumber(1));
    if (!po) throw new Error('seeded PO missing');
    const [line] = await client.purchaseOrders.lines(po).list().toArray({ limit: 1 });
    const [schedule] = await client.purchaseOrders.schedules(line ?? '').list().toArray({ limit: 1 });
    const [distribution] = await client.purchaseOrders.distributions(schedule ?? '').list().toArray({ limit: 1 });
    expect(distribution?.POChargeAccount).toMatch(/^101\.[A-Z]+\.81\d0\.000$/);
    const receipt = await client.receipts.create({ ReceiptSourceCode: 'VENDOR', OrganizationCode: 'US01', lines: [{ DocumentNumber: po.OrderNumber, DocumentLineNumber: line?.LineNumber ?? 1, Quantity: 1 }] });
    expect(receipt.ProcessingStatusCode).toBe('SUCCESS');
    const [after] = await client.purchaseOrders.schedules(line ?? '').list().toArray({ limit: 1 });
    expect(after?.QuantityReceived).toBe(1);
    expect(await client.purchaseOrders.acknowledge(po, { response: 'ACCEPT', note: 'ok' })).toBe('SUCCESS');
    expect((await client.purchaseOrders.get(po)).AcknowledgmentStatus).toBe('Accepted');
  });

  it('creates, updates (ETag) and validates an invoice; a stale ETag is a ConflictError; Oracle details are readable', async () => {
    const { client, sandbox } = createHarness();
    const supplier = await client.suppliers.findOne((q) => q.eq('SupplierNumber', seedSupplierNumber(4)));
    const created = await client.invoices.create({ InvoiceNumber: 'JAG-1', InvoiceCurrency: 'USD', InvoiceAmount: 21, InvoiceDate: '2026-01-15', BusinessUnit: 'US01', Supplier: supplier?.Supplier ?? '', SupplierSite: 'US01-MAIN', invoiceLines: [{ LineNumber: 1, LineType: 'Item', LineAmount: 21, DistributionCombination: '101.ADM.8110.000' }] });
    const updated = await client.invoices.update(created, { Description: 'from JAGGAER' });
    expect(updated.Description).toBe('from JAGGAER');
    const stale = await client.invoices.update(created, { Description: 'again' }).catch((e: unknown) => e);
    expect(isConflictError(stale)).toBe(true);
    const lines = await client.invoices.lines(updated).list().toArray({ limit: 5 });
    expect(lines.map((l) => l.LineAmount)).toEqual([21]);
    expect(await client.invoices.validate('JAG-1', 'US01')).toBe('SUCCESS');
    const duplicate = await client.invoices.create({ InvoiceNumber: 'JAG-1', InvoiceCurrency: 'USD', InvoiceAmount: 21, InvoiceDate: '2026-01-15', BusinessUnit: 'US01', Supplier: supplier?.Supplier ?? '', SupplierSite: 'US01-MAIN' }).catch((e: unknown) => e);
    expect(isValidationError(duplicate)).toBe(true);
    expect(oracleErrorDetails(duplicate)[0]).toMatchObject({ code: 'AP-810275' });
    expect(sandbox.store.rows('invoices').filter((i) => i.InvoiceNumber === 'JAG-1')).toHaveLength(1);
  });

  it('reads account combinations and cost center values', async () => {
    const { client } = createHarness();
    const disabled = await client.accounts.combinations.list({ q: (q) => q.and(q.eq('Segment3', '8190'), q.eq('EnabledFlag', false)) }).toArray({ limit: 10 });
    expect(disabled).toHaveLength(4);
    const centers = await client.accounts.values(SEED_COST_CENTER_VALUE_SET).list().toArray({ limit: 10 });
    expect(centers.map((c) => c.Value)).toEqual(['ADM', 'PROD', 'SALES', 'IT']);
  });

  it('creates and updates chart-of-accounts values; a duplicate Value is refused; touchValue moves LastUpdateDate', async () => {
    let clock = Date.UTC(2026, 2, 1);
    const { client, sandbox } = createHarness({ now: () => clock });
    const values = client.accounts.values(SEED_COST_CENTER_VALUE_SET);
    const created = await values.create({ Value: 'ENG', Description: 'Engineering' });
    expect(created).toMatchObject({ Value: 'ENG', Description: 'Engineering', EnabledFlag: 'Y' });
    const duplicate = await values.create({ Value: 'eng' }).catch((e: unknown) => e);
    expect(isValidationError(duplicate)).toBe(true);
    clock += 60_000;
    const read = await values.get((await values.findOne((q) => q.eq('Value', 'ENG')))!);
    const updated = await values.update(read, { EnabledFlag: 'N' });
    expect(updated.EnabledFlag).toBe('N');
    expect(Date.parse(String(updated.LastUpdateDate))).toBe(clock);
    // The ETag read before the update is stale now.
    expect(isConflictError(await values.update(read, { Description: 'x' }).catch((e: unknown) => e))).toBe(true);
    clock += 60_000;
    expect(Date.parse(sandbox.touchValue(SEED_COST_CENTER_VALUE_SET, 'ADM', { Description: 'Admin' }))).toBe(clock);
    expect((await values.findOne((q) => q.eq('Value', 'ADM')))?.Description).toBe('Admin');
    expect(() => sandbox.touchValue(SEED_COST_CENTER_VALUE_SET, 'NOPE')).toThrow(/no value NOPE/);
  });

  it('reads nested children the same way under REST-Framework-Version 3 (collections) and 2 (arrays)', async () => {
    for (const frameworkVersion of ['2', '3']) {
      const { client } = createHarness({}, { frameworkVersion });
      const [po] = await client.purchaseOrders.list({ expand: ['lines', 'lines.schedules'], pageSize: 1 }).toArray({ limit: 1 });
      expect(Array.isArray(po?.lines), frameworkVersion).toBe(true);
      expect(po?.lines?.[0]?.schedules?.[0]?.ScheduleNumber).toBe(1);
    }
  });

  it('an item read with onlyData has no self link, so it cannot be updated by reference', async () => {
    const { client, apiRequests } = createHarness();
    const [invoice] = await client.invoices.list({ onlyData: true, pageSize: 1 }).toArray({ limit: 1 });
    const before = apiRequests().length;
    const error = await client.invoices.update(invoice ?? '', { Description: 'x' }).catch((e: unknown) => e);
    expect(isInvalidInputError(error)).toBe(true);
    expect(apiRequests()).toHaveLength(before);
  });

  it('works with Basic auth against the sandbox', async () => {
    const { client, requests } = createHarness({}, { credentials: ORACLE_SANDBOX_USER });
    expect(await client.suppliers.getById(300_000_001_000_001)).toMatchObject({ SupplierNumber: 'V00001' });
    expect(requests.filter((r) => r.url.pathname === '/oauth2/v1/token')).toHaveLength(0);
  });
});

describe('resilience against the sandbox', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('retries injected 503s and dropped reads, and fetches a new token after revocation', async () => {
    const { client, sandbox } = createHarness();
    await client.suppliers.getById(300_000_001_000_001);
    sandbox.faults.enqueue({ kind: 'status', status: 503, retryAfterSeconds: 1 }, { kind: 'reset-before' });
    expect(await settle(client.suppliers.getById(300_000_001_000_002))).toMatchObject({ SupplierNumber: 'V00002' });
    sandbox.revokeTokens();
    expect(await settle(client.suppliers.getById(300_000_001_000_003))).toMatchObject({ SupplierNumber: 'V00003' });
    expect(sandbox.stats.tokensIssued).toBe(2);
  });

  it('a create whose connection drops after processing is OutcomeUnknown, not retried into a duplicate', async () => {
    const { client, sandbox } = createHarness();
    const supplier = await client.suppliers.findOne((q) => q.eq('SupplierNumber', seedSupplierNumber(5)));
    sandbox.faults.enqueue({ kind: 'reset-after' });
    const error = await settle(
      client.invoices.create({ InvoiceNumber: 'DROP-1', InvoiceCurrency: 'USD', InvoiceAmount: 1, InvoiceDate: '2026-01-15', BusinessUnit: 'US01', Supplier: supplier?.Supplier ?? '', SupplierSite: 'US01-MAIN' }).catch((e: unknown) => e),
    );
    expect(isOutcomeUnknownError(error)).toBe(true);
    // The natural-key lookup the error message recommends finds the record the server did create.
    expect(await client.invoices.findByNumber(seedSupplierNumber(5), 'DROP-1')).toBeDefined();
    expect(sandbox.store.rows('invoices').filter((i) => i.InvoiceNumber === 'DROP-1')).toHaveLength(1);
  });
});
