import { describe, expect, it } from 'vitest';
import { ORACLE_TO_JAGGAER_FLOWS } from '../src/oracle-to-jaggaer/flows.ts';
import { createOracleWorld, flowNamed, oracleMappings } from './oracle-world.ts';

const F = ORACLE_TO_JAGGAER_FLOWS;

describe('oracle-to-jaggaer', () => {
  it('moves coding values, suppliers, POs and invoices once under faults; a second run writes 0', async () => {
    const world = createOracleWorld({
      oracleFaults: { seed: 3, statusRates: { 503: 0.05, 429: 0.03 }, resetBeforeRate: 0.02, resetAfterRate: 0.02 },
      jaggaerFaults: { seed: 4, statusRates: { 503: 0.04 }, resetAfterRate: 0.03 },
    });
    const first = await world.runAll(world.forward());
    expect(first.every((s) => s.status === 'completed')).toBe(true);

    // Every Oracle supplier is a JAGGAER profile under its number, with Oracle's name.
    for (const row of world.oracleSandbox.store.rows('suppliers')) {
      const profile = await world.jaggaer.suppliers.get(String(row.SupplierNumber));
      expect(profile.companyName).toBe(row.Supplier);
    }
    // Every PO is in JAGGAER once with its lines and mapped coding.
    for (const row of world.oracleSandbox.store.rows('purchaseOrders')) {
      const po = await world.jaggaer.purchaseOrders.get(String(row.OrderNumber));
      expect(po.lines.length).toBeGreaterThan(0);
      expect(po.lines[0]!.coding.project).toBe('P-100');
      expect(po.lines[0]!.unitOfMeasure).toBe('EA');
    }
    // Every invoice imported exactly once (no duplicate supplier invoice number).
    const imported = world.jaggaerSandbox.invoices().filter((i) => String(i.supplierInvoiceNumber).startsWith('ORA-'));
    const numbers = imported.map((i) => i.supplierInvoiceNumber);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(numbers.length).toBe(world.oracleSandbox.store.rows('invoices').length);
    // Cost centers reached JAGGAER as department coding values.
    const departments = await world.jaggaer.codingValues.list({ segment: 'department' }).toArray({ limit: 100 });
    expect(departments.map((d) => d.code)).toEqual(expect.arrayContaining(['ADM', 'PROD', 'SALES', 'IT']));

    const second = await world.runAll(world.forward(), 1);
    expect(world.writes(second)).toBe(0);
    expect(second.reduce((n, s) => n + s.counts.review + s.counts.failed, 0)).toBe(0);
  });

  it('every record has a job id and an audit trail', async () => {
    const world = createOracleWorld();
    const summaries = await world.runAll(world.forward());
    const supplierRun = summaries.find((s) => s.flow === F.suppliers)!;
    const events = await world.engine.audit({ flow: F.suppliers, businessId: 'V00003' });
    expect(events.map((e) => e.step)).toEqual(['received', 'mapped', 'written']);
    expect(new Set(events.map((e) => e.runId))).toEqual(new Set([supplierRun.runId]));
    expect(events.at(-1)!.targetId).toBe('V00003');
    const poEvents = await world.engine.audit({ flow: F.purchaseOrders, businessId: 'PO-00001' });
    expect(poEvents.at(-1)!.step).toBe('written');
  });

  it('records sharing one LastUpdateDate across a page boundary and a record updated during the poll: none lost, none written twice', async () => {
    let touched = false;
    let supplierPages = 0;
    const world = createOracleWorld({
      pageSize: 4,
      // After the first page of suppliers is read, a user renames V00002 (already delivered) and V00020 (not yet).
      oracleFetch: (inner) => async (input, init) => {
        const response = await inner(input, init);
        const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
        if (url.pathname.endsWith('/suppliers') && (init?.method ?? 'GET') === 'GET' && ++supplierPages === 1 && !touched) {
          touched = true;
          world.tick(60_000);
          world.oracleSandbox.touch('suppliers', supplierId('V00002'), { Supplier: 'Renamed During Poll 2' });
          world.oracleSandbox.touch('suppliers', supplierId('V00020'), { Supplier: 'Renamed During Poll 20' });
        }
        return response;
      },
    });
    const supplierId = (n: string) => world.oracleSandbox.store.rows('suppliers').find((r) => r.SupplierNumber === n)!.SupplierId as number;
    // Ten suppliers share one timestamp older than every other record: they fill the first 4-record pages and
    // straddle their boundaries.
    const same = Date.UTC(2024, 11, 1, 12, 0, 0);
    world.setClock(same);
    for (let n = 1; n <= 10; n++) world.oracleSandbox.touch('suppliers', supplierId(`V${String(n).padStart(5, '0')}`));
    world.setClock(same + 1_800_000);

    const flows = world.forward();
    const suppliers = flowNamed(flows, F.suppliers);
    const first = await world.runAll([suppliers]);
    const created = first.reduce((n, s) => n + s.counts.created, 0);
    const updated = first.reduce((n, s) => n + s.counts.updated, 0);
    expect(created).toBe(25);
    // V00002 was delivered on the first page, then renamed: delivered again with its new timestamp (one update);
    // V00020 was not read yet: delivered once, renamed.
    expect(updated).toBe(1);
    const v2 = await world.engine.audit({ flow: F.suppliers, businessId: 'V00002' });
    expect(v2.filter((e) => e.step === 'written' || e.step === 'updated').map((e) => e.step)).toEqual(['written', 'updated']);
    expect((await world.jaggaer.suppliers.get('V00002')).companyName).toBe('Renamed During Poll 2');
    expect((await world.jaggaer.suppliers.get('V00020')).companyName).toBe('Renamed During Poll 20');
    for (let n = 3; n <= 10; n++) {
      const events = await world.engine.audit({ flow: F.suppliers, businessId: `V${String(n).padStart(5, '0')}` });
      expect(events.filter((e) => e.step === 'written')).toHaveLength(1);
    }
    // Nothing is left: the next run reads the look-back window again and writes nothing.
    const second = await world.runAll([suppliers], 1);
    expect(world.writes(second)).toBe(0);
    expect(touched).toBe(true);
  });

  it('a PO with a unit the crosswalk lacks goes to review; replay after the fix writes it once', async () => {
    const world = createOracleWorld({ mappings: oracleMappings({}) });
    await world.runAll(world.forward());
    const reviews = await world.engine.reviews({ flow: F.purchaseOrders, state: 'open' });
    expect(reviews.length).toBe(world.oracleSandbox.store.rows('purchaseOrders').length);
    expect(reviews[0]!.reason).toBe('missing-mapping');
    expect(reviews[0]!.detail).toContain('Each');

    world.useMappings(oracleMappings({ Each: 'EA' }));
    const flow = flowNamed(world.forward(), F.purchaseOrders);
    const replay = await world.engine.replay(flow, { reason: 'missing-mapping' });
    expect(replay.counts.created).toBe(reviews.length);
    expect(await world.engine.reviews({ flow: F.purchaseOrders, state: ['open', 'retrying'] })).toHaveLength(0);
    const again = await world.engine.replay(flow, { reason: 'missing-mapping' });
    expect(again.counts.created + again.counts.updated).toBe(0);
    const second = await world.engine.run(flow);
    expect(second.counts.created + second.counts.updated).toBe(0);
  });

  it('an invoice changed in Oracle after its import goes to review, never imported twice', async () => {
    const world = createOracleWorld();
    await world.runAll(world.forward());
    const invoice = world.oracleSandbox.store.rows('invoices')[0]!;
    world.tick(60_000);
    world.oracleSandbox.touch('invoices', invoice.InvoiceId as number, { InvoiceAmount: 1234.5 });
    const flow = flowNamed(world.forward(), F.invoices);
    const run = await world.engine.run(flow);
    expect(run.counts.review).toBe(1);
    const [item] = await world.engine.reviews({ flow: F.invoices, state: 'open' });
    expect(item!.reason).toBe('target-posted');
    const copies = world.jaggaerSandbox.invoices().filter((i) => i.supplierInvoiceNumber === invoice.InvoiceNumber);
    expect(copies).toHaveLength(1);
  });
});
