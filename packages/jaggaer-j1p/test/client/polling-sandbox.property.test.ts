import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createJaggaerClient } from '@ml-connector/jaggaer-j1p';
import { createJaggaerSandbox, generateJaggaerSeed, SANDBOX_BASE_URL, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } from '@ml-connector/jaggaer-j1p/testing';

const BASE = Date.UTC(2025, 5, 1, 12);

describe('invoices.poll against the sandbox (property)', () => {
  it('delivers every invoice version exactly once across polls, in bounded requests, whatever the order, precision, page size and ties', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 1, maxLength: 30 }),
        fc.record({
          order: fc.constantFrom('invoiceId' as const, 'lastUpdate' as const, 'shuffled' as const),
          timestampPrecisionMs: fc.constantFrom(1, 1000),
          filterPrecision: fc.constantFrom('ms' as const, 'second' as const, 'day' as const),
        }),
        fc.integer({ min: 2, max: 15 }),
        fc.integer({ min: 2, max: 12 }),
        fc.array(fc.array(fc.record({ invoice: fc.nat(), advanceMs: fc.integer({ min: 0, max: 2500 }) }), { maxLength: 6 }), { maxLength: 4 }),
        fc.constantFrom(0, 1000, 120_000),
        fc.integer({ min: 1, max: 1000 }),
        async (stamps, invoiceList, serverMaxPage, pageSize, rounds, lookbackMs, seed) => {
          const data = generateJaggaerSeed({ seed, suppliers: 3, invoices: stamps.length, purchaseOrders: 0 });
          data.invoices.forEach((inv, i) => (inv.lastUpdate = BASE + stamps[i]! * 700)); // ties, and ties once cut to seconds
          let clock = BASE + 10_000;
          const sandbox = createJaggaerSandbox({
            seed,
            data,
            now: () => clock,
            invoiceList,
            paging: { invoicePageSize: Math.min(100, serverMaxPage), invoiceMaxPageSize: serverMaxPage },
          });
          const client = createJaggaerClient({
            host: SANDBOX_BASE_URL,
            clientId: SANDBOX_CLIENT_ID,
            clientSecret: SANDBOX_CLIENT_SECRET,
            fetch: sandbox.fetch,
            throttle: false,
          });
          const shown = (ms: number) => new Date(Math.floor(ms / invoiceList.timestampPrecisionMs) * invoiceList.timestampPrecisionMs).toISOString();
          const delivered: string[] = [];
          let cursor: string | undefined;
          const effective = Math.min(pageSize, serverMaxPage);
          const poll = async () => {
            const before = sandbox.stats().byRoute.invoices ?? 0;
            const result = await client.invoices.poll({ pageSize, lookbackMs, withLines: false, ...(cursor ? { cursor } : {}) });
            const listRequests = (sandbox.stats().byRoute.invoices ?? 0) - before;
            expect(listRequests).toBeLessThanOrEqual(Math.ceil(stamps.length / (effective - 1)) + 1);
            expect(result.complete && result.settled).toBe(true);
            delivered.push(...result.invoices.map((i) => `${i.invoiceId}@${i.lastUpdate}`));
            cursor = result.cursor;
          };
          const everyVersionDelivered = () => {
            for (const inv of sandbox.invoices()) expect(delivered).toContain(`${inv.invoiceId}@${shown(inv.lastUpdate)}`);
          };
          await poll();
          everyVersionDelivered();
          for (const edits of rounds) {
            for (const { invoice, advanceMs } of edits) {
              clock += advanceMs;
              sandbox.updateInvoice(data.invoices[invoice % data.invoices.length]!.invoiceId, { notes: `at ${clock}` });
            }
            await poll();
            everyVersionDelivered();
          }
          expect(new Set(delivered).size).toBe(delivered.length);
        },
      ),
      { numRuns: 30 },
    );
  });
});
