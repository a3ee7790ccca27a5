import { describe, expect, it } from 'vitest';
import { createBusinessCentralSandbox, generateBusinessCentralSeed } from '@ml-connector/business-central/testing';
import { harness, json, type Collection, type Row } from './helpers.js';

describe('Business Central sandbox: fault injection', () => {
  it('reset-after really performs the write; reset-before does not', async () => {
    const h = await harness();
    const before = h.sandbox.db.vendors.size;
    h.sandbox.faults.enqueue({ kind: 'reset-before' });
    await expect(h.send('POST', '/vendors', { displayName: 'Never written' })).rejects.toMatchObject({ cause: { code: 'ECONNRESET' } });
    expect(h.sandbox.db.vendors.size).toBe(before);
    h.sandbox.faults.enqueue({ kind: 'reset-after' });
    await expect(h.send('POST', '/vendors', { displayName: 'Written anyway' })).rejects.toThrow(TypeError);
    expect(h.sandbox.db.vendors.size).toBe(before + 1);
    expect(h.sandbox.db.vendors.all().some((v) => v.displayName === 'Written anyway')).toBe(true);
  });

  it('injects statuses with BC envelopes and Retry-After, truncated bodies, and spares the token endpoint', async () => {
    const sandbox = createBusinessCentralSandbox({ faults: { seed: 7, statusRates: { 503: 1 }, retryAfterSeconds: 3 } });
    const { fetchToken } = await import('./helpers.js');
    const token = await fetchToken(sandbox); // not faulted
    const res = await sandbox.fetch(`${sandbox.baseUrl()}/companies`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(((await res.json()) as { error: { code: string } }).error.code).toMatch(/^Internal_/);

    const h = await harness();
    h.sandbox.faults.enqueue({ kind: 'truncate' });
    const truncated = await h.get('/vendors');
    expect(truncated.status).toBe(200);
    await expect(truncated.json()).rejects.toThrow();
    expect(h.sandbox.stats.faultsInjected).toBe(1);
  });

  it('is deterministic by fault seed', async () => {
    const run = async () => {
      const h = await harness({ faults: { seed: 'same', statusRates: { 500: 0.3, 429: 0.2 } } });
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) statuses.push((await h.get('/accounts?$top=1')).status);
      return statuses;
    };
    const a = await run();
    expect(a.some((s) => s !== 200)).toBe(true);
    expect(await run()).toEqual(a);
  });

  it('can revoke tokens randomly (token revocation fault)', async () => {
    const h = await harness({ faults: { tokenRevocationRate: 1 } });
    expect((await h.get('/vendors')).status).toBe(401);
  });

  it('validates options with InvalidInputError', () => {
    expect(() => createBusinessCentralSandbox({ limits: { maxConcurrent: 0 } })).toThrow(/maxConcurrent/);
    expect(() => createBusinessCentralSandbox({ faults: { resetAfterRate: 2 } })).toThrow(/probability/);
    expect(() => generateBusinessCentralSeed({ vendors: -1 })).toThrow(/vendors/);
  });
});

describe('Business Central seed data', () => {
  it('is deterministic and follows the shared conventions', () => {
    const a = generateBusinessCentralSeed({ seed: 42, vendors: 12, invoices: 40, purchaseOrders: 6 });
    const b = generateBusinessCentralSeed({ seed: 42, vendors: 12, invoices: 40, purchaseOrders: 6 });
    expect(b).toEqual(a);
    expect(generateBusinessCentralSeed({ seed: 43, vendors: 12, invoices: 40, purchaseOrders: 6 }).vendors[0]?.id).not.toBe(a.vendors[0]?.id);
    expect(a.company.name).toBe('CRONUS USA, Inc.');
    expect(a.vendors.map((v) => v.number)).toEqual(Array.from({ length: 12 }, (_, i) => `V${String(i + 1).padStart(5, '0')}`));
    expect(a.accounts.map((x) => [x.number, x.displayName])).toContainEqual(['8190', 'Legacy Expenses']);
    expect(a.accounts.find((x) => x.number === '8190')?.blocked).toBe(true);
    expect(a.accounts.find((x) => x.number === '8100')?.accountType).toBe('Heading');
    expect(a.purchaseOrders.map((p) => p.number)).toEqual(['PO-00001', 'PO-00002', 'PO-00003', 'PO-00004', 'PO-00005', 'PO-00006']);
    expect(new Set(a.purchaseInvoices.map((i) => i.status))).toEqual(new Set(['Draft', 'Open', 'Paid']));
    const postingNumbers = new Set(a.accounts.filter((x) => x.accountType === 'Posting' && !x.blocked && x.directPosting).map((x) => x.number));
    expect(a.purchaseInvoiceLines.every((l) => postingNumbers.has(l.lineObjectNumber as string))).toBe(true);
  });

  it('generates 100,000 invoices and the sandbox serves them', async () => {
    const started = performance.now();
    const seed = generateBusinessCentralSeed({ seed: 1, vendors: 500, invoices: 100_000, purchaseOrders: 1000 });
    const generatedMs = performance.now() - started;
    const loadStarted = performance.now();
    const h = await harness({ data: seed });
    const loadedMs = performance.now() - loadStarted;
    console.info(`[bc-emulator] seed of 100,000 invoices (${seed.purchaseInvoiceLines.length} lines) generated in ${generatedMs.toFixed(0)} ms, loaded in ${loadedMs.toFixed(0)} ms`);
    expect(seed.purchaseInvoices).toHaveLength(100_000);
    // No time bound here: speed figures belong in `pnpm bench` (timed assertions fail on a loaded machine).
    const first = await json<Collection>(await h.get('/purchaseInvoices?$select=number', { prefer: 'odata.maxpagesize=1000' }));
    expect(first.value).toHaveLength(1000);
    const delta = await json<Collection>(await h.get(`/purchaseInvoices?$filter=status eq 'Paid' and invoiceDate ge 2025-12-01&$count=true&$top=5`));
    expect(delta['@odata.count']).toBeGreaterThan(0);
    expect((delta.value[0] as Row).status).toBe('Paid');
  }, 120_000); // 100k records: seconds on an idle core, far more on a shared CI machine
});
