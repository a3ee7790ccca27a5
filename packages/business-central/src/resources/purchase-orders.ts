import type { HttpClient } from '@ml-connector/core';
import { type PurchaseOrderFields, type PurchaseOrderLineFields, purchaseOrderLineSchema, purchaseOrderSchema } from '../schemas/purchase-order.js';
import { type DeltaReadableEntitySet, type ReadableEntitySet, readableEntitySet } from './entity-set.js';
import { keyPath } from './shared.js';

/** The `purchaseOrders` entity set (read access; BC does not send webhooks for it, so poll with `listModifiedSince`). */
export interface PurchaseOrdersResource extends DeltaReadableEntitySet<PurchaseOrderFields> {
  /** The lines of one order. */
  lines(orderId: string): ReadableEntitySet<PurchaseOrderLineFields>;
}

/** Builds the purchase orders resource of one company. */
export function purchaseOrdersResource(http: HttpClient, companyPath: string): PurchaseOrdersResource {
  const path = `${companyPath}/purchaseOrders`;
  return {
    ...readableEntitySet<PurchaseOrderFields>(http, path, purchaseOrderSchema, 'purchaseOrders'),
    lines: (orderId) => {
      const { listModifiedSince: _unused, readChanges: _none, ...read } = readableEntitySet<PurchaseOrderLineFields>(
        http,
        `${keyPath(path, orderId, 'orderId')}/purchaseOrderLines`,
        purchaseOrderLineSchema,
        'purchaseOrderLines',
      );
      return read;
    },
  };
}
