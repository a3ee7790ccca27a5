import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFoMasterDataFlows, FO_PURCHASE_ORDERS_FLOW } from '../src/fo-master-data/flows.ts';
import { createPurchaseOrderEventHandler } from '../src/fo-master-data/events.ts';
import { loadFoInvoiceMappings } from '../src/fo-invoices/mappings.ts';
import { createFoWorld } from './fo-world.ts';

const SECRET = 'fo-events-test-secret';

async function eventWorld(duplicateEvery?: number) {
  const deliver: { handler?: (request: Request) => Promise<Response> } = {};
  const world = createFoWorld({
    invoices: 1,
    mappings: await loadFoInvoiceMappings(),
    businessEvents: { url: `https://hooks.example.com/fo-events?code=${SECRET}`, deliver, ...(duplicateEvery !== undefined ? { duplicateEvery } : {}) },
  });
  const flow = createFoMasterDataFlows({ financeOperations: world.financeOperations, jaggaer: world.jaggaerClient }).at(-1)!;
  const reads: string[] = [];
  const handler = createPurchaseOrderEventHandler({
    financeOperations: world.financeOperations,
    engine: world.engine,
    flow: flow as never,
    secret: SECRET,
    resolve: { initialDelayMs: 1000, attempts: 6 },
    onOutcome: (outcome) => reads.push(`${outcome.result}:${outcome.purchaseOrder ?? ''}`),
  });
  deliver.handler = handler;
  const writes = async (poNumber: string) => (await world.engine.audit({ flow: FO_PURCHASE_ORDERS_FLOW, limit: 1000 })).filter((e) => e.sourceId === poNumber && e.step === 'written');
  return { world, handler, reads, writes };
}

describe('fo-master-data: purchase order confirmed business event', () => {
  afterEach(() => vi.useRealTimers());

  it('pushes the confirmed order at once with its coding; a duplicate delivery and a re-raised event write it once', async () => {
    const { world, handler, reads, writes } = await eventWorld(1);
    await world.foSandbox.confirmPurchaseOrder('usmf', 'PO-00004');
    const deliveries = world.foSandbox.businessEventDeliveries;
    expect(deliveries.map((d) => [d.duplicate, d.status])).toEqual([[false, 200], [true, 200]]);
    expect(reads).toEqual(['pushed:PO-00004']); // the duplicate was dropped by ControlNumber
    expect(await writes('PO-00004')).toHaveLength(1);
    const pushed = world.jaggaerSandbox.purchaseOrder('PO-00004')!;
    const foLines = world.foSandbox.rows('PurchaseOrderLinesV2').filter((line) => line['PurchaseOrderNumber'] === 'PO-00004');
    expect(pushed.lines.map((line) => line.coding?.account)).toEqual(foLines.map((line) => line['MainAccountIdDisplayValue']));

    // The same order announced again under a new ControlNumber (an event resent from F&O's error log): the handler
    // processes it, the ledger sees the same content and writes nothing.
    const again = { ...deliveries[0]!.payload, ControlNumber: Number(deliveries[0]!.payload['ControlNumber']) + 10 };
    const response = await handler(new Request(`https://hooks.example.com/fo-events?code=${SECRET}`, { method: 'POST', body: JSON.stringify(again) }));
    expect(response.status).toBe(200);
    expect(await writes('PO-00004')).toHaveLength(1);
    // A wrong secret is refused before anything is read.
    const refused = await handler(new Request('https://hooks.example.com/fo-events?code=wrong', { method: 'POST', body: JSON.stringify({ ...again, ControlNumber: 1 }) }));
    expect(refused.status).toBe(401);
  });

  it('waits with backoff when the event arrives before the order is readable, then pushes it once', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-06-01T08:00:00Z') });
    const { world, reads, writes } = await eventWorld();
    const confirmed = world.foSandbox.confirmPurchaseOrder('usmf', 'PO-00008', { visibleAfterMs: 5000 });
    let done = false;
    void confirmed.then(() => (done = true));
    const started = world.clock.now;
    for (let i = 0; i < 60 && !done; i++) {
      world.clock.now += 500; // the sandbox's clock: the order becomes readable 5 s after the event
      await vi.advanceTimersByTimeAsync(500);
    }
    await confirmed;
    expect(world.foSandbox.businessEventDeliveries.map((d) => d.status)).toEqual([200]);
    expect(reads).toEqual(['pushed:PO-00008']);
    expect(world.clock.now - started).toBeGreaterThanOrEqual(5000); // it waited for the order, not less
    expect(await writes('PO-00008')).toHaveLength(1);
    expect(world.jaggaerSandbox.purchaseOrder('PO-00008')?.lines.every((line) => line.coding?.project)).toBe(true);
  });
});
