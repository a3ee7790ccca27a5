import { SEED_BLOCKED_VENDORS } from '@ml-connector/business-central/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BC_INVOICES_FLOW } from '../src/bc-invoices/flow.ts';
import { PAYMENT_STATUS_FLOW_NAME, createPaymentStatusFlow, readInvoiceLedgerIndex } from '../src/bc-payment-status/flow.ts';
import { paymentsSince } from '../src/bc-payment-status/example.ts';
import { STORM, createSystems, drive, type Systems } from './bc-master-data.fixtures.ts';

interface Paid {
  jaggaerInvoiceId: number;
  bcInvoiceId: string;
  bcNumber: string;
}

/**
 * What the invoice flow and BC users leave behind: for each of `count` approved JAGGAER invoices a posted, paid BC
 * invoice of the same vendor and vendor invoice number. The first half is in the `bc-invoices` ledger (written by
 * that flow); the second half was keyed in BC by hand (found by vendor + vendor invoice number).
 */
async function paidInBc(systems: Systems, count: number, options: { unpaid?: number } = {}): Promise<Paid[]> {
  const vendors = new Map(systems.bcSandbox.db.vendors.all().map((v) => [v.number as string, v]));
  const candidates = systems.jgSandbox
    .invoices()
    .filter((i) => i.workflowStatus === 'Approved' && i.paymentStatus !== 'Paid' && vendors.has(i.supplierNumber) && !SEED_BLOCKED_VENDORS.includes(i.supplierNumber));
  const chosen = candidates.slice(0, count + (options.unpaid ?? 0));
  expect(chosen).toHaveLength(count + (options.unpaid ?? 0));
  const paid: Paid[] = [];
  for (const [index, invoice] of chosen.entries()) {
    const draft = await systems.company.purchaseInvoices.create({
      vendorId: vendors.get(invoice.supplierNumber)!.id as string,
      vendorInvoiceNumber: invoice.supplierInvoiceNumber,
      purchaseInvoiceLines: [{ lineType: 'Account', lineObjectNumber: '8110', quantity: 1, unitCost: 100 + index }],
    });
    await systems.company.purchaseInvoices.post(draft.id);
    if (index >= count) continue; // posted, not paid yet
    systems.bcSandbox.markPaid(draft.id);
    const posted = await systems.company.purchaseInvoices.get(draft.id);
    paid.push({ jaggaerInvoiceId: invoice.invoiceId, bcInvoiceId: draft.id, bcNumber: posted.number });
    if (index < count / 2) {
      await systems.store.commit(
        {
          ledger: [
            {
              entry: {
                flow: BC_INVOICES_FLOW,
                sourceSystem: 'jaggaer',
                sourceId: String(invoice.invoiceId),
                sourceVersion: 'v1',
                targetSystem: 'business-central',
                state: 'confirmed',
                targetId: draft.id,
                businessIds: [invoice.supplierInvoiceNumber],
                attempts: 1,
              },
            },
          ],
        },
        new Date().toISOString(),
      );
    }
  }
  return paid;
}

describe('bc-payment-status flow', () => {
  let systems: Systems;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
  });
  afterEach(() => {
    systems?.close();
    vi.useRealTimers();
  });

  it('reports each payment once, matched by the bc-invoices ledger or by vendor invoice number, through faults', async () => {
    systems = createSystems({ faults: STORM, faultsOff: true });
    const paid = await drive(paidInBc(systems, 8, { unpaid: 2 }));
    const unpaidIds = systems.jgSandbox
      .invoices()
      .filter((i) => i.paymentStatus !== 'Paid')
      .map((i) => i.invoiceId);
    // Posted invoices not paid yet, and the paid ones the BC seed keyed in directly, are not reported.
    const unmatched: string[] = [];
    const flow = createPaymentStatusFlow({
      company: systems.company,
      jaggaer: systems.jaggaer,
      store: systems.store,
      pageSize: 3,
      onUnmatched: (invoices) => unmatched.push(...invoices.map((i) => i.number)),
    });
    systems.faults(true);

    let created = 0;
    for (let i = 0; i < 3; i++) created += (await drive(systems.engine.run(flow))).counts.created;
    systems.faults(false);
    expect(created).toBe(paid.length);
    for (const p of paid) {
      const invoice = systems.jgSandbox.invoice(p.jaggaerInvoiceId)!;
      expect(invoice.paymentStatus).toBe('Paid');
      expect(invoice.paymentReference).toBe(p.bcNumber);
      expect(invoice.paymentDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    const paidIds = new Set(paid.map((p) => p.jaggaerInvoiceId));
    expect(systems.jgSandbox.invoices().filter((i) => i.paymentStatus === 'Paid' && unpaidIds.includes(i.invoiceId) && !paidIds.has(i.invoiceId))).toEqual([]);
    const seededPaid = systems.bcSandbox.db.purchaseInvoices.all().filter((i) => i.status === 'Paid').length - paid.length;
    expect(seededPaid).toBeGreaterThan(0);
    expect(new Set(unmatched).size).toBe(seededPaid);
    const ledger = await systems.store.listLedger({ flow: PAYMENT_STATUS_FLOW_NAME });
    expect(ledger.map((e) => e.sourceId).sort()).toEqual(paid.map((p) => p.bcInvoiceId).sort());
    expect(ledger.every((e) => e.state === 'confirmed')).toBe(true);
    // The audit of a payment is found by the BC invoice number.
    const trail = await systems.engine.audit({ businessId: paid[5]!.bcNumber });
    expect(trail.filter((e) => e.step === 'written')).toHaveLength(1);
    expect(trail.find((e) => e.step === 'written')?.payload).toMatchObject({ paymentStatus: 'Paid', amount: 105, jaggaerInvoiceId: String(paid[5]!.jaggaerInvoiceId) });

    // Second run: nothing new.
    const again = await drive(systems.engine.run(flow));
    expect(again.counts).toMatchObject({ created: 0, updated: 0 });
  });

  it('never reports a payment twice: a full re-read after a lost checkpoint writes nothing', async () => {
    systems = createSystems();
    const paid = await drive(paidInBc(systems, 4));
    const flow = createPaymentStatusFlow({ company: systems.company, jaggaer: systems.jaggaer, store: systems.store });
    expect((await drive(systems.engine.run(flow))).counts.created).toBe(4);
    const puts = systems.jgSandbox.stats().byRoute.invoicePaymentStatus;
    expect(puts).toBe(4);

    expect(await systems.store.deleteCheckpoint(`${flow.name}/${flow.source.system}/${flow.source.stream}`)).toBe(true);
    const reread = await drive(systems.engine.run(flow));
    expect(reread.counts).toMatchObject({ read: 4, skipped: 4, created: 0, updated: 0 });
    expect(systems.jgSandbox.stats().byRoute.invoicePaymentStatus).toBe(puts);
    expect(paid).toHaveLength(4);
  });

  it('an invoice JAGGAER refuses to mark paid goes to review; after the fix a replay reports it once', async () => {
    systems = createSystems();
    const [refused, accepted] = await drive(paidInBc(systems, 2));
    systems.jgSandbox.updateInvoice(refused!.jaggaerInvoiceId, { workflowStatus: 'Pending Approval' });
    const flow = createPaymentStatusFlow({ company: systems.company, jaggaer: systems.jaggaer, store: systems.store });

    const first = await drive(systems.engine.run(flow));
    expect(first.counts).toMatchObject({ created: 1, review: 1 });
    expect(systems.jgSandbox.invoice(accepted!.jaggaerInvoiceId)?.paymentStatus).toBe('Paid');
    const [item] = await systems.engine.reviews({ flow: flow.name, state: ['open', 'retrying'] });
    expect(item).toMatchObject({ sourceId: refused!.bcInvoiceId, reason: 'invoice-not-approved' });

    systems.jgSandbox.approveInvoice(refused!.jaggaerInvoiceId);
    const replay = await drive(systems.engine.replay(flow, { reason: 'invoice-not-approved' }));
    expect(replay.counts.created).toBe(1);
    expect(systems.jgSandbox.invoice(refused!.jaggaerInvoiceId)?.paymentStatus).toBe('Paid');
    expect((await drive(systems.engine.run(flow))).counts).toMatchObject({ created: 0, updated: 0, review: 0 });
    expect(await systems.engine.reviews({ flow: flow.name, state: ['open', 'retrying'] })).toEqual([]);
  });

  it('BC_PAYMENTS_SINCE makes a first run start at that instant; a malformed value is refused', async () => {
    systems = createSystems();
    await drive(paidInBc(systems, 2));
    const later = createPaymentStatusFlow({ company: systems.company, jaggaer: systems.jaggaer, store: systems.store, since: new Date(Date.now() + 60_000) });
    expect((await drive(systems.engine.run(later))).counts).toMatchObject({ read: 0, created: 0 });
    expect(paymentsSince({ BC_PAYMENTS_SINCE: '2026-01-31' })).toBe('2026-01-31T00:00:00.000Z');
    expect(paymentsSince({})).toBeUndefined();
    expect(() => paymentsSince({ BC_PAYMENTS_SINCE: 'last week' })).toThrow(/BC_PAYMENTS_SINCE/);
  });

  it('reads the bc-invoices ledger into a BC id → JAGGAER id index across ledger pages', async () => {
    systems = createSystems();
    const entries = Array.from({ length: 2503 }, (_, i) => ({
      entry: {
        flow: BC_INVOICES_FLOW,
        sourceSystem: 'jaggaer',
        sourceId: String(100_000 + i),
        sourceVersion: 'v',
        targetSystem: 'business-central',
        state: i % 10 === 0 ? ('failed' as const) : ('confirmed' as const),
        ...(i % 10 === 0 ? {} : { targetId: `BC-${i}` }),
        businessIds: [],
        attempts: 1,
      },
    }));
    await systems.store.commit({ ledger: entries }, new Date().toISOString());
    const index = await readInvoiceLedgerIndex(systems.store);
    expect(index.size).toBe(2503 - 251);
    expect(index.get('bc-2502')).toBe('102502');
    expect(index.has('bc-2500')).toBe(false);
  });
});
