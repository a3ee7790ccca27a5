/**
 * The "Purchase order confirmed" business event pushes that order to JAGGAER at once, between scheduled runs.
 * F&O's event payload is a lightweight stub (business events are not a data export): the handler resolves it over
 * OData to the confirmed order and its lines, waiting with backoff while the order is not readable yet (events can
 * arrive before the transaction is visible), and hands the record to the engine through the same per-record path as
 * a run (ledger, audit, review). A duplicate delivery (same `ControlNumber`) is dropped by the handler; a second
 * event for the same unchanged order is skipped by the engine's ledger: one write either way.
 */
import type { SyncEngine, SyncFlow } from '@ml-connector/core/sync';
import {
  type BusinessEvent,
  type FinanceOperationsClient,
  type ProcessedEventStore,
  type ResolveOptions,
  createBusinessEventHandler,
  resolveBusinessEvent,
} from '@ml-connector/d365-fo';
import type { PurchaseOrderInput } from '@ml-connector/jaggaer-j1p';
import { purchaseOrderRecord } from './flows.ts';

/** Options of {@link createPurchaseOrderEventHandler}. */
export interface PurchaseOrderEventHandlerOptions {
  readonly financeOperations: FinanceOperationsClient;
  readonly engine: SyncEngine;
  /** The purchase order flow of `createFoMasterDataFlows` (the last one). */
  readonly flow: SyncFlow<Record<string, unknown>, PurchaseOrderInput>;
  /** The flow's legal entity: events of other companies are acknowledged and ignored. @default 'usmf' */
  readonly legalEntity?: string;
  /** The endpoint secret (`?code=` of the URL registered in F&O). */
  readonly secret?: string | (() => Promise<string>);
  /** Processed `ControlNumber`s (default in memory). */
  readonly store?: ProcessedEventStore;
  /** Backoff while the order is not readable yet. */
  readonly resolve?: ResolveOptions;
  /** Called with each event's outcome (logging). */
  readonly onOutcome?: (outcome: { event: BusinessEvent; purchaseOrder?: string; result: 'pushed' | 'ignored' }) => void;
}

/**
 * A `Request → Response` endpoint for F&O's HTTPS business event endpoint: validates and dedupes the event
 * (`createBusinessEventHandler`), resolves a "Purchase order confirmed" stub to the order over OData and pushes it
 * through the engine. Answers 500 (so F&O resends) when the order never became readable or the write did not settle.
 */
export function createPurchaseOrderEventHandler(options: PurchaseOrderEventHandlerOptions): (request: Request) => Promise<Response> {
  const legalEntity = (options.legalEntity ?? 'usmf').toLowerCase();
  return createBusinessEventHandler({
    ...(options.secret !== undefined ? { secret: options.secret } : {}),
    ...(options.store ? { store: options.store } : {}),
    async onEvent(event) {
      if (event.legalEntity.toLowerCase() !== legalEntity) return options.onOutcome?.({ event, result: 'ignored' });
      const resolved = await resolveBusinessEvent(options.financeOperations, event, options.resolve);
      if (resolved.kind !== 'purchaseOrderConfirmed') return options.onOutcome?.({ event, result: 'ignored' });
      const record = await purchaseOrderRecord(options.financeOperations.legalEntity(legalEntity), resolved.purchaseOrder as unknown as Record<string, unknown>, options.resolve?.signal);
      const summary = await options.engine.process(options.flow, [record]);
      if (summary.unsettled.length > 0) throw new Error(`purchase order ${String(record['PurchaseOrderNumber'])} was not settled; F&O resends the event`);
      options.onOutcome?.({ event, purchaseOrder: String(record['PurchaseOrderNumber']), result: 'pushed' });
    },
  });
}
