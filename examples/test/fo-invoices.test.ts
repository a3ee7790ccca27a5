import { describe, expect, it } from 'vitest';
import { FO_SANDBOX_CLIENT_SECRET } from '@ml-connector/d365-fo/testing';
import { loadFoExampleEnvironment } from '../src/fo/connections.ts';
import { loadFoInvoiceMappings } from '../src/fo-invoices/mappings.ts';
import { FO_INVOICES_FLOW } from '../src/fo-invoices/flow.ts';
import { createFoWorld } from './fo-world.ts';

/** Review reasons seeded on purpose: unmapped supplier, blocked vendor, suspended (8190) and unknown (9999) accounts. */
const DATA_REASONS = new Set(['missing-mapping', 'blocked-vendor', 'unknown-mainAccount', 'blocked-mainAccount', 'blocked-ledgerCoding', 'unknown-ledgerCoding']);

/** Every approved invoice ends as exactly one complete pending F&O invoice or an open data review; returns how many were written. */
async function expectExactlyOnce(world: ReturnType<typeof createFoWorld>): Promise<number> {
  const byKey = world.pendingByKey();
  const reviews = new Map((await world.engine.reviews({ flow: FO_INVOICES_FLOW, state: ['open', 'retrying'] })).map((item) => [item.sourceId, item]));
  const lines = world.foSandbox.rows('VendorInvoiceLines');
  let written = 0;
  for (const invoice of world.approvedInvoices()) {
    const copies = byKey.get(`usmf/${invoice.supplierNumber}/${invoice.supplierInvoiceNumber}`) ?? [];
    const review = reviews.get(String(invoice.invoiceId));
    if (review) {
      expect(DATA_REASONS, `${invoice.invoiceId} in review for ${review.reason}: ${review.detail}`).toContain(review.reason);
      expect(copies).toHaveLength(0);
      continue;
    }
    expect(copies, `F&O copies of ${invoice.supplierInvoiceNumber}`).toHaveLength(1);
    const header = copies[0]!;
    expect(header['IsApproved']).toBe('Yes');
    expect(header['HeaderReference']).toBe(`JAG-${invoice.invoiceId}`);
    expect(lines.filter((line) => line['HeaderReference'] === header['HeaderReference']).length).toBeGreaterThan(0);
    written++;
  }
  expect([...byKey.values()].every((rows) => rows.length === 1)).toBe(true);
  return written;
}

describe('fo-invoices flow', () => {
  it('writes approved invoices once as pending F&O invoices with lines, sends invalid codings to review in the preflight, and writes nothing on a second run', async () => {
    const world = createFoWorld({ invoices: 120, mappings: await loadFoInvoiceMappings() });
    await world.runUntilSettled();
    const written = await expectExactlyOnce(world);
    expect(written).toBeGreaterThan(world.approvedInvoices().length * 0.7);
    expect(world.foSandbox.rows('VendorInvoiceHeaders')).toHaveLength(written);
    const reviews = await world.engine.reviews({ flow: FO_INVOICES_FLOW, state: 'open' });
    // The account-structure preflight stopped the suspended 8190 and the unknown 9999 before any write.
    expect(reviews.some((item) => /main account 8190 is suspended/.test(item.detail))).toBe(true);
    expect(reviews.some((item) => /main account 9999 does not exist/.test(item.detail))).toBe(true);
    // Lines carry the display value the account structure gives (main account first, then its dimensions).
    expect(world.foSandbox.rows('VendorInvoiceLines').every((line) => /^81[0-8]0-[A-Z]+/.test(String(line['MainAccountDisplayValue'])))).toBe(true);
    // Audited: every written record has a write event with its target id.
    const events = await world.engine.audit({ flow: FO_INVOICES_FLOW, limit: 100_000 });
    const writtenIds = new Set(events.filter((e) => e.step === 'written').map((e) => e.sourceId));
    expect(writtenIds.size).toBe(written);

    // No secret in the audit trail or the review queue.
    const stored = JSON.stringify([events, reviews]);
    expect(stored).not.toContain(FO_SANDBOX_CLIENT_SECRET);
    expect(stored).not.toMatch(/Bearer /);

    const again = await world.engine.run(world.flow);
    expect(again.counts.created + again.counts.updated).toBe(0);
    expect(world.foSandbox.rows('VendorInvoiceHeaders')).toHaveLength(written);
  });

  it.each([
    ['requests', { requestsPerWindow: 40 }],
    ['execution-time', { executionMsPerWindow: 3_000, executionCostMs: 100 }],
    ['concurrency', { maxConcurrent: 5 }],
  ] as const)('meets the %s limit (429 + Retry-After) and still writes every invoice exactly once', async (reason, limits) => {
    const world = createFoWorld({
      invoices: 40,
      mappings: await loadFoInvoiceMappings(),
      foLimits: { requestsPerWindow: 1_000_000, executionMsPerWindow: 1_000_000_000, maxConcurrent: 1000, executionCostMs: 1, ...limits },
    });
    await world.runUntilSettled(40);
    expect(world.foSandbox.stats.throttled[reason]).toBeGreaterThan(0);
    expect(await expectExactlyOnce(world)).toBeGreaterThan(10);
    expect(await world.engine.reviews({ flow: FO_INVOICES_FLOW, state: 'retrying' })).toHaveLength(0);
  });

  it('rolls a changeset that fails halfway back as a whole (no partial invoice), sends it to review, and a replay writes it complete', async () => {
    let sabotage = true;
    const world = createFoWorld({
      invoices: 30,
      mappings: await loadFoInvoiceMappings(),
      // The second line of every changeset names an unknown main account: F&O refuses that line after the header.
      wrapFetch: (inner) => async (input, init) => {
        const request = new Request(input, init);
        if (!sabotage || !request.url.endsWith('/$batch')) return inner(request);
        const body = (await request.text()).replace(/("InvoiceLineNumber":2,[^}]*"MainAccountDisplayValue":")[^"]*"/, '$19999"');
        return inner(new Request(request, { body }));
      },
    });
    await world.runUntilSettled();
    const failed = (await world.engine.reviews({ flow: FO_INVOICES_FLOW, state: 'open' })).filter((item) => /9999/.test(item.detail) && !/does not exist in the target/.test(item.detail));
    expect(failed.length).toBeGreaterThan(0);
    for (const item of failed) {
      expect(world.foSandbox.rows('VendorInvoiceHeaders').some((row) => row['HeaderReference'] === `JAG-${item.sourceId}`)).toBe(false);
      expect(world.foSandbox.rows('VendorInvoiceLines').some((row) => row['HeaderReference'] === `JAG-${item.sourceId}`)).toBe(false);
    }
    sabotage = false;
    for (const item of failed) await world.engine.replay(world.flow, { sourceId: item.sourceId });
    for (const item of failed) {
      const header = world.foSandbox.rows('VendorInvoiceHeaders').find((row) => row['HeaderReference'] === `JAG-${item.sourceId}`);
      expect(header, `replayed ${item.sourceId}`).toBeDefined();
    }
    await expectExactlyOnce(world);
  });

  it('refuses to twin an invoice number already pending or posted in F&O that this flow did not write, and finds its own invoice once posted', async () => {
    const world = createFoWorld({ invoices: 40, mappings: await loadFoInvoiceMappings() });
    const [a, b] = world.approvedInvoices().filter((invoice) => invoice.supplierNumber !== 'V00025' && invoice.supplierNumber !== 'V00007');
    world.foSandbox.store.insert('VendInvoiceJourBiEntities', { dataAreaId: 'usmf', InvoiceId: a!.supplierInvoiceNumber, InvoiceAccount: a!.supplierNumber, InvoiceDate: '2026-01-01T12:00:00Z', InvoiceAmount: 1, CurrencyCode: 'USD', LedgerVoucher: 'APINV-HAND-1', PurchId: '', OrderAccount: a!.supplierNumber });
    await world.financeOperations.legalEntity('usmf').vendorInvoices.headers.create({ HeaderReference: 'BY-HAND-1', InvoiceNumber: b!.supplierInvoiceNumber, VendorAccount: b!.supplierNumber, InvoiceDate: '2026-01-01T12:00:00Z', Currency: 'USD' } as never);
    await world.runUntilSettled();
    const reviews = new Map((await world.engine.reviews({ flow: FO_INVOICES_FLOW, state: 'open' })).map((item) => [item.sourceId, item]));
    expect(reviews.get(String(a!.invoiceId))?.detail).toMatch(/posted invoice \(voucher APINV-HAND-1\)/);
    expect(reviews.get(String(b!.invoiceId))?.detail).toMatch(/pending invoice BY-HAND-1/);
    expect(world.foSandbox.rows('VendorInvoiceHeaders').filter((row) => row['InvoiceNumber'] === b!.supplierInvoiceNumber)).toHaveLength(1);

    // One of ours is posted by an AP clerk; a changed JAGGAER record then goes to review (posted is read-only).
    const ours = world.foSandbox.rows('VendorInvoiceHeaders').find((row) => String(row['HeaderReference']).startsWith('JAG-'))!;
    const sourceId = String(ours['HeaderReference']).slice(4);
    await world.foSandbox.postInvoice('usmf', String(ours['HeaderReference']));
    world.jaggaerSandbox.updateInvoice(Number(sourceId), { dueDate: '2027-01-31T00:00:00Z' } as never);
    world.clock.now += 60_000;
    await world.runUntilSettled();
    const locked = (await world.engine.reviews({ flow: FO_INVOICES_FLOW, state: 'open' })).find((item) => item.sourceId === sourceId);
    expect(locked?.detail).toMatch(/posted/);
    expect(world.foSandbox.rows('VendorInvoiceHeaders').some((row) => row['HeaderReference'] === ours['HeaderReference'])).toBe(false);
  });

  it('reads FO_* with JAGGAER_* (both or neither) and names what a partial F&O configuration lacks', () => {
    const jaggaer = { JAGGAER_HOST: 'acme.api.jaggaer.com', JAGGAER_CLIENT_ID: 'j', JAGGAER_CLIENT_SECRET: 's' };
    const fo = { FO_ENVIRONMENT_URL: 'https://contoso.operations.dynamics.com', FO_TENANT_ID: 't', FO_CLIENT_ID: 'c', FO_CLIENT_SECRET: 'x' };
    const env = loadFoExampleEnvironment({ ...jaggaer, ...fo }, '/repo');
    expect(env.financeOperations?.environmentUrl).toBe(fo.FO_ENVIRONMENT_URL);
    expect(env.businessCentral).toBeUndefined();
    expect(() => loadFoExampleEnvironment({ ...jaggaer, FO_ENVIRONMENT_URL: fo.FO_ENVIRONMENT_URL }, '/repo')).toThrow(/FO_TENANT_ID, FO_CLIENT_ID, FO_CLIENT_SECRET are missing/);
    expect(() => loadFoExampleEnvironment(fo, '/repo')).toThrow(/Only Finance & Operations is configured/);
    // Business Central variables are not the F&O examples' concern: a lone BC tenant is neither read nor refused.
    expect(loadFoExampleEnvironment({ ...jaggaer, ...fo, BC_TENANT_ID: 'contoso' }, '/repo').financeOperations?.tenantId).toBe('t');
  });
});
