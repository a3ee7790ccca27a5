import { describe, expect, it } from 'vitest';
import { JAGGAER_TO_ORACLE_FLOWS } from '../src/jaggaer-to-oracle/flows.ts';
import { ORACLE_TO_JAGGAER_FLOWS } from '../src/oracle-to-jaggaer/flows.ts';
import { createOracleWorld, flowNamed } from './oracle-world.ts';

const R = JAGGAER_TO_ORACLE_FLOWS;
const F = ORACLE_TO_JAGGAER_FLOWS;

/** A JAGGAER fetch that reports supplier acknowledgements on some POs (a tenant exposing the UNCONFIRMED field). */
function acknowledging(answers: Record<string, string>) {
  return (inner: typeof fetch): typeof fetch =>
    async (input, init) => {
      const response = await inner(input, init);
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (!/purchaseorders/i.test(url) || (init?.method ?? 'GET') !== 'GET' || !response.ok) return response;
      const body = (await response.json()) as { returnPurchaseOrderData?: Record<string, unknown>[] };
      for (const po of body.returnPurchaseOrderData ?? []) {
        const answer = answers[String(po.poNumber)];
        if (answer) po.acknowledgementStatus = answer;
      }
      return new Response(JSON.stringify(body), { status: response.status, headers: response.headers });
    };
}

describe('jaggaer-to-oracle', () => {
  it('creates receipts for invoiced PO lines and records PO acknowledgements once, under dropped writes; a second run writes 0', async () => {
    const world = createOracleWorld({
      oracleFaults: { seed: 8, resetAfterRate: 0.25, statusRates: { 503: 0.05 }, appliesTo: (request) => request.method === 'POST' && !request.url.includes('/oauth2/') },
      jaggaerFetch: acknowledging({ 'PO-00001': 'Accepted', 'PO-00002': 'Rejected', 'PO-00003': 'Maybe later' }),
    });
    const flows = world.reverse();
    const first = await world.runAll([flowNamed(flows, R.receipts), flowNamed(flows, R.acknowledgements)]);
    expect(first.every((s) => s.status === 'completed')).toBe(true);

    const pos = world.oracleSandbox.store.rows('purchaseOrders');
    expect(pos.find((p) => p.OrderNumber === 'PO-00001')!.AcknowledgmentStatus).toBe('Accepted');
    expect(pos.find((p) => p.OrderNumber === 'PO-00002')!.AcknowledgmentStatus).toBe('Rejected');
    expect(pos.find((p) => p.OrderNumber === 'PO-00003')!.AcknowledgmentStatus ?? null).toBeNull();

    // One receipt per JAGGAER invoice, never two, though a quarter of the POSTs lost their answer.
    const receipts = world.oracleSandbox.store.rows('receivingReceiptRequests');
    const references = receipts.map((r) => r.ShipmentNumber);
    expect(receipts.length).toBeGreaterThan(3);
    expect(new Set(references).size).toBe(references.length);
    const confirmed = await world.store.listLedger({ flow: R.receipts, states: ['confirmed'] });
    // Some receipt POSTs were processed but their answer lost: found by their reference and adopted, not posted again.
    const adopted = (await world.engine.audit({ flow: R.receipts, limit: 10_000 })).filter((e) => e.step === 'looked-up' && e.targetId);
    expect(adopted.length).toBeGreaterThan(0);
    expect(confirmed).toHaveLength(receipts.length);
    // Every invoice with PO lines is either received or in review with a reason (a PO line Oracle does not have).
    const reviews = await world.engine.reviews({ flow: R.receipts, state: ['open', 'retrying'] });
    expect(reviews.every((item) => item.state === 'open' && /^unknown-po-line|^blocked-po-line|target-rejected/.test(item.reason))).toBe(true);
    const withPoLines = world.jaggaerSandbox
      .invoices()
      .filter((i) => i.workflowStatus === 'Approved' && (typeof i.lastUpdate === 'number' ? i.lastUpdate : Date.parse(String(i.lastUpdate))) >= Date.parse('2025-06-01') && i.lines.some((l) => l.poNumber));
    expect(confirmed.length + reviews.length).toBe(withPoLines.length);

    const second = await world.runAll([flowNamed(world.reverse(), R.receipts), flowNamed(world.reverse(), R.acknowledgements)], 1);
    expect(world.writes(second)).toBe(0);
    expect(world.oracleSandbox.store.rows('receivingReceiptRequests')).toHaveLength(receipts.length);
  });

  it('suppliers both ways: our own writes read back are skipped, a user change crosses once, no echo loop', async () => {
    const world = createOracleWorld();
    const forward = flowNamed(world.forward(), F.suppliers);
    const reverse = flowNamed(world.reverse(), R.suppliers);
    const initial = await world.runAll([forward]);
    expect(initial[0]!.counts.created).toBe(25);
    const oracleBefore = JSON.stringify(world.oracleSandbox.store.rows('suppliers'));
    // Everything JAGGAER changed was our own write: nothing goes back to Oracle.
    expect(world.writes(await world.runAll([reverse], 1))).toBe(0);
    expect(JSON.stringify(world.oracleSandbox.store.rows('suppliers'))).toBe(oracleBefore);

    world.tick(5_000);
    await world.jaggaer.suppliers.upsert({ supplierNumber: 'V00005', companyName: 'Renamed in JAGGAER' });
    const back = await world.runAll([reverse], 1);
    expect(world.writes(back)).toBe(1);
    expect(world.oracleSandbox.store.rows('suppliers').find((s) => s.SupplierNumber === 'V00005')!.Supplier).toBe('Renamed in JAGGAER');
    // Oracle's change is the reverse flow's own write: the forward flow skips it, and the reverse flow has nothing.
    world.tick(5_000);
    expect(world.writes(await world.runAll([forward], 1))).toBe(0);
    expect(world.writes(await world.runAll([reverse], 1))).toBe(0);
  });

  it('a change on both sides goes to review (policy review); replay with the override applies it', async () => {
    const world = createOracleWorld();
    const forward = flowNamed(world.forward(), F.suppliers);
    const reverse = flowNamed(world.reverse(), R.suppliers);
    await world.runAll([forward]);
    await world.runAll([reverse], 1);
    world.tick(5_000);
    const id = world.oracleSandbox.store.rows('suppliers').find((s) => s.SupplierNumber === 'V00006')!.SupplierId as number;
    world.oracleSandbox.touch('suppliers', id, { Supplier: 'Oracle side' });
    world.tick(5_000);
    await world.jaggaer.suppliers.upsert({ supplierNumber: 'V00006', companyName: 'JAGGAER side' });

    const run = await world.engine.run(reverse);
    expect(run.counts.review).toBe(1);
    const [item] = await world.engine.reviews({ flow: R.suppliers, state: 'open' });
    expect(item!.reason).toBe('sync-conflict');
    expect(world.oracleSandbox.store.rows('suppliers').find((s) => s.SupplierNumber === 'V00006')!.Supplier).toBe('Oracle side');

    const replay = await world.engine.replay(reverse, { reason: 'sync-conflict', override: { conflict: 'apply' } });
    // Never written by this flow before: counted as created, applied as an update of the existing supplier.
    expect(replay.counts.created + replay.counts.updated).toBe(1);
    expect(world.oracleSandbox.store.rows('suppliers').find((s) => s.SupplierNumber === 'V00006')!.Supplier).toBe('JAGGAER side');
    // The forward flow reads Oracle's new version: the reverse flow's own write, skipped; JAGGAER keeps its side.
    world.tick(5_000);
    expect(world.writes(await world.runAll([forward], 1))).toBe(0);
    expect((await world.jaggaer.suppliers.get('V00006')).companyName).toBe('JAGGAER side');
  });

  it('oracle-wins keeps the Oracle change and carries it to JAGGAER; both systems converge', async () => {
    const world = createOracleWorld({ conflictPolicy: 'oracle-wins' });
    const forward = flowNamed(world.forward(), F.suppliers);
    const reverse = flowNamed(world.reverse(), R.suppliers);
    await world.runAll([forward]);
    await world.runAll([reverse], 1);
    world.tick(5_000);
    const id = world.oracleSandbox.store.rows('suppliers').find((s) => s.SupplierNumber === 'V00007')!.SupplierId as number;
    world.oracleSandbox.touch('suppliers', id, { Supplier: 'Oracle side' });
    world.tick(5_000);
    await world.jaggaer.suppliers.upsert({ supplierNumber: 'V00007', companyName: 'JAGGAER side' });
    // The losing JAGGAER change sends nothing: counted as skipped, not as a write.
    expect(world.writes(await world.runAll([reverse], 1))).toBe(0);
    expect(world.oracleSandbox.store.rows('suppliers').find((s) => s.SupplierNumber === 'V00007')!.Supplier).toBe('Oracle side');
    world.tick(5_000);
    await world.runAll([forward], 1);
    expect((await world.jaggaer.suppliers.get('V00007')).companyName).toBe('Oracle side');
    // Settled: neither direction has anything left.
    world.tick(5_000);
    expect(world.writes(await world.runAll([reverse, forward], 1))).toBe(0);
  });

  it('accounts both ways: a new JAGGAER GL account becomes an Oracle value once; echoes are skipped', async () => {
    const world = createOracleWorld();
    const forward = flowNamed(world.forward(), F.values('account'));
    const reverse = flowNamed(world.reverse(), R.values('account'));
    await world.runAll([forward]);
    expect(world.writes(await world.runAll([reverse], 1))).toBe(0);
    world.tick(5_000);
    await world.jaggaer.codingValues.upsert([{ segment: 'account', code: '8200', description: 'Training' }]);
    expect(world.writes(await world.runAll([reverse], 1))).toBe(1);
    const values = await world.oracle.accounts.values('XX_ACCOUNT').list().toArray({ limit: 100 });
    expect(values.filter((v) => v.Value === '8200').map((v) => v.Description)).toEqual(['Training']);
    world.tick(5_000);
    expect(world.writes(await world.runAll([forward], 1))).toBe(0);
    expect(world.writes(await world.runAll([reverse], 1))).toBe(0);
  });
});
