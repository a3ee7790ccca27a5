import { describe, expect, it } from 'vitest';
import { loadInvoiceMappings } from '../src/bc-invoices/mappings.ts';
import { createWorld } from './world.ts';

/** Review reasons that are data problems seeded on purpose (unmapped supplier, blocked vendor/account, unknown GL code). */
const DATA_REASONS = new Set(['missing-mapping', 'blocked-vendor', 'blocked-account', 'unknown-vendor', 'unknown-account']);

describe('bc-invoices flow', () => {
  it('moves thousands of approved invoices through 429 storms, 5xx, resets after processing and token revocation: none lost, none doubled, every record audited', async () => {
    const world = createWorld({
      invoices: 1500,
      bcFaults: { seed: 5, statusRates: { 429: 0.08, 503: 0.02, 500: 0.01 }, resetAfterRate: 0.03, resetBeforeRate: 0.01, tokenRevocationRate: 0.002 },
      jaggaerFaults: { seed: 6, statusRates: { 429: 0.05, 503: 0.02 }, resetAfterRate: 0.01, tokenRevocationRate: 0.002 },
    });
    const summaries = await world.runUntilSettled();
    const approved = world.approvedInvoices();
    expect(approved.length).toBeGreaterThan(1000);

    // Each approved invoice: either exactly one BC draft (ledger confirmed, pointing at it) or an open data review.
    const byKey = world.bcInvoicesByKey();
    const open = await world.engine.reviews({ flow: 'bc-invoices', state: ['open', 'retrying'] });
    const reviewed = new Map(open.map((item) => [item.sourceId, item]));
    let written = 0;
    for (const invoice of approved) {
      const key = `V${invoice.supplierNumber.slice(1)}/${invoice.supplierInvoiceNumber}`;
      const review = reviewed.get(String(invoice.invoiceId));
      const copies = byKey.get(key) ?? [];
      if (review) {
        expect(DATA_REASONS, `${invoice.invoiceId} in review for ${review.reason}: ${review.detail}`).toContain(review.reason);
        expect(copies).toHaveLength(0);
        continue;
      }
      expect(copies, `BC copies of ${key}`).toHaveLength(1);
      const entry = await world.store.getLedgerEntry({ flow: 'bc-invoices', sourceSystem: 'jaggaer', sourceId: String(invoice.invoiceId) });
      expect(entry?.state).toBe('confirmed');
      expect(entry?.targetId).toBe(copies[0]!['id']);
      written++;
    }
    expect(written).toBeGreaterThan(approved.length * 0.8);
    // Nothing in BC that is not one approved invoice exactly once.
    expect([...byKey.values()].every((rows) => rows.length === 1)).toBe(true);
    expect(world.bcSandbox.db.purchaseInvoices.size).toBe(written);
    expect(world.bcSandbox.stats.faultsInjected).toBeGreaterThan(100);

    // Audit: every approved invoice was received, and each ends written (or adopted) or sent to review.
    const events = [];
    for (let after = 0; ; ) {
      const page = await world.engine.audit({ flow: 'bc-invoices', afterSeq: after, limit: 5000 });
      if (page.length === 0) break;
      events.push(...page);
      after = page.at(-1)!.seq;
    }
    const steps = new Map<string, Set<string>>();
    for (const event of events) steps.set(event.sourceId, (steps.get(event.sourceId) ?? new Set()).add(event.step));
    for (const invoice of approved) {
      const seen = steps.get(String(invoice.invoiceId)) ?? new Set();
      expect(seen.has('received'), `${invoice.invoiceId} received`).toBe(true);
      expect(seen.has('written') || seen.has('sent-to-review') || seen.has('preflight-failed'), `${invoice.invoiceId}: ${[...seen].join(',')}`).toBe(true);
    }
    expect(summaries.reduce((sum, s) => sum + s.counts.created, 0)).toBeLessThanOrEqual(written);

    // A second run reads nothing new and writes nothing.
    const again = await world.engine.run(world.flow);
    expect(again.counts.created).toBe(0);
    expect(again.counts.updated).toBe(0);
    expect(world.bcSandbox.db.purchaseInvoices.size).toBe(written);
  }, 120_000);

  it('a later run picks up a newly approved invoice and a changed draft, and never touches a posted one', async () => {
    const world = createWorld({ invoices: 120 });
    const first = await world.engine.run(world.flow);
    expect(first.error).toBeUndefined();
    expect(first.counts.created).toBeGreaterThan(50);
    expect((await world.engine.run(world.flow)).counts.created).toBe(0);

    const pending = world.jaggaerSandbox.invoices().find((invoice) => invoice.workflowStatus !== 'Approved' && invoice.supplierNumber !== 'V00025' && invoice.supplierNumber !== 'V00024');
    world.jaggaerSandbox.approveInvoice(pending!.invoiceId);
    const second = await world.engine.run(world.flow);
    expect(second.counts.created + second.counts.review).toBe(1);

    // A changed draft is updated in place; a posted invoice is not modified, the change goes to review.
    const entries = await world.store.listLedger({ flow: 'bc-invoices', states: ['confirmed'] });
    const [draftEntry, postedEntry] = entries;
    await world.company.purchaseInvoices.post(postedEntry!.targetId!);
    for (const entry of [draftEntry!, postedEntry!]) {
      const invoice = world.jaggaerSandbox.invoice(Number(entry.sourceId))!;
      world.jaggaerSandbox.updateInvoice(invoice.invoiceId, { dueDate: '2026-02-27T00:00:00.000Z' });
    }
    const third = await world.engine.run(world.flow);
    expect(third.counts.updated).toBe(1);
    expect(third.counts.review).toBe(1);
    expect(world.bcSandbox.db.purchaseInvoices.get(draftEntry!.targetId!)!['dueDate']).toBe('2026-02-27');
    const posted = await world.engine.reviews({ flow: 'bc-invoices', reason: 'target-posted' });
    expect(posted.map((item) => item.sourceId)).toEqual([postedEntry!.sourceId]);
    expect(world.bcInvoicesByKey().size).toBe(world.bcSandbox.db.purchaseInvoices.size);
  }, 60_000);

  it('sends a record with a missing mapping to review while the rest go through; a replay after the fix writes it once', async () => {
    const world = createWorld({ invoices: 300 });
    const first = await world.engine.run(world.flow);
    expect(first.status).toBe('completed');
    const missing = await world.engine.reviews({ flow: 'bc-invoices', reason: 'missing-mapping' });
    const unmappedSupplier = missing.filter((item) => item.detail.includes('supplier V00025'));
    expect(unmappedSupplier.length).toBeGreaterThan(0);
    expect(first.counts.created).toBeGreaterThan(200);

    // The fix: V00025 is a vendor in BC under another number, and the crosswalk says so.
    await world.company.vendors.create({ number: 'V90025', displayName: 'Silverline Software Inc.' });
    const base = loadInvoiceMappings();
    world.useMappings({ ...base, version: `${base.version}+fix`, vendors: new Map([...base.vendors, ['V00025', 'V90025']]) });
    const replay = await world.engine.replay(world.flow, { reason: 'missing-mapping' });
    expect(replay.counts.created).toBe(unmappedSupplier.length);
    for (const item of unmappedSupplier) {
      const rows = world.bcSandbox.db.purchaseInvoices.all().filter((row) => row['vendorNumber'] === 'V90025');
      expect(rows.length).toBe(unmappedSupplier.length);
      const audit = await world.engine.audit({ record: item, flow: 'bc-invoices' });
      expect(audit.map((event) => event.step)).toEqual(expect.arrayContaining(['sent-to-review', 'replayed', 'written']));
    }
    // Replaying again finds nothing open for that supplier; a new run writes nothing.
    const again = await world.engine.replay(world.flow, { reason: 'missing-mapping' });
    expect(again.counts.created).toBe(0);
    expect((await world.engine.run(world.flow)).counts.created).toBe(0);
  }, 60_000);
});
