// Examples of the sync engine, included in the API docs with {@includeCode} and typechecked by
// `pnpm typecheck` (tsconfig.test.json), so they cannot drift from the API.
import { isRateLimitError } from '@ml-connector/core';
import {
  DataError,
  type SyncFlow,
  type SyncSource,
  type SyncTarget,
  classifyFailure,
  contentHash,
  createMemorySyncStore,
  createSyncEngine,
} from '@ml-connector/core/sync';

interface SupplierInvoice { id: string; updatedAt: string; supplier: string; number: string; glCode: string; amount: number }
interface DraftInvoice { vendorNumber: string; vendorInvoiceNumber: string; accountNumber: string; amount: number }
declare const approvedInvoices: SyncSource<SupplierInvoice>;
declare const purchaseInvoices: SyncTarget<DraftInvoice>;
declare const vendorOf: ReadonlyMap<string, string>;
declare const accountOf: ReadonlyMap<string, string>;

export async function createSyncEngineExample(): Promise<void> {
  // #region createSyncEngine
  const flow: SyncFlow<SupplierInvoice, DraftInvoice> = {
    name: 'bc-invoices',
    source: approvedInvoices, // pages + cursor; identify() gives id, version and business ids
    target: purchaseInvoices, // find by natural key, get, create, update; references + resolvers for the preflight
    map(invoice) {
      const vendorNumber = vendorOf.get(invoice.supplier);
      if (!vendorNumber) throw new DataError('missing-mapping', `supplier ${invoice.supplier} has no vendor`, { field: 'supplier' });
      const accountNumber = accountOf.get(invoice.glCode);
      if (!accountNumber) throw new DataError('missing-mapping', `GL code ${invoice.glCode} has no account`, { field: 'glCode' });
      return { vendorNumber, vendorInvoiceNumber: invoice.number, accountNumber, amount: invoice.amount };
    },
  };

  const engine = createSyncEngine({ store: createMemorySyncStore(), concurrency: 4 });
  const summary = await engine.run(flow, {
    signal: AbortSignal.timeout(10 * 60_000),
    onEvent: (event) => {
      if (event.type === 'warning') console.warn(event.code, event.message);
    },
  });
  console.log(summary.status, summary.counts); // completed { read, created, updated, skipped, review, failed }

  // After fixing the mapping: replay everything that was missing one, through the same ledger.
  for (const item of await engine.reviews({ flow: flow.name, state: 'open' })) console.log(item.sourceId, item.reason, item.detail);
  await engine.replay(flow, { reason: 'missing-mapping' });
  // #endregion createSyncEngine
}

export function contentHashExample(): boolean {
  // #region contentHash
  const same = contentHash({ status: 'approved', since: '2026-01-01' }) === contentHash({ since: '2026-01-01', status: 'approved' });
  // #endregion contentHash
  return same;
}

export function classifyFailureExample(error: unknown): string {
  // #region classifyFailure
  switch (classifyFailure(error)) {
    case 'retryable':
      return isRateLimitError(error) ? 'rate limited: the next run retries it' : 'retried by the next run';
    case 'data':
      return 'sent to review: fix the data or mapping, then replay';
    case 'fatal':
      return 'run stopped: check credentials and configuration';
  }
  // #endregion classifyFailure
}
