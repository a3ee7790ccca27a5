import type { HttpClient } from '@ml-connector/core';
import {
  type PurchaseOrder,
  type PurchaseOrderDistribution,
  type PurchaseOrderLine,
  type PurchaseOrderSchedule,
  poDistributionSchema,
  poLineSchema,
  poScheduleSchema,
  purchaseOrderSchema,
} from '../schemas/purchase-order.js';
import { type ItemRef, type ReadableCollection, callAction, childPath, collection, selfHref } from './collection.js';

/** Parameters of the PO `acknowledge` action. UNCONFIRMED: names follow the supplier-portal fields. */
export interface AcknowledgeOptions {
  /** `ACCEPT` or `REJECT`. */
  response: 'ACCEPT' | 'REJECT';
  /** Supplier's note. */
  note?: string;
  /** Supplier's order number. */
  supplierOrder?: string;
  /** Cancels the call. */
  signal?: AbortSignal;
}

/** `/purchaseOrders` (read and actions; creation goes through `draftPurchaseOrders`). */
export interface PurchaseOrdersResource extends ReadableCollection<PurchaseOrder> {
  /** Lines of a PO. */
  lines(po: ItemRef): ReadableCollection<PurchaseOrderLine>;
  /** Schedules of a PO line. */
  schedules(line: ItemRef): ReadableCollection<PurchaseOrderSchedule>;
  /** Distributions of a PO schedule. */
  distributions(schedule: ItemRef): ReadableCollection<PurchaseOrderDistribution>;
  /** Finds a PO by its order number. */
  findByNumber(orderNumber: string): ReturnType<ReadableCollection<PurchaseOrder>['findOne']>;
  /**
   * Records a supplier acknowledgement: `POST {po}/action/acknowledge` (the PO actions list acknowledge; its
   * parameter names are UNCONFIRMED). Returns the action's `result`.
   */
  acknowledge(po: ItemRef, options: AcknowledgeOptions): Promise<unknown>;
}

/** Creates the purchase orders resource. */
export function purchaseOrdersResource(http: HttpClient): PurchaseOrdersResource {
  const base = collection(http, 'purchaseOrders', purchaseOrderSchema, 'purchaseOrders');
  return {
    path: base.path,
    list: base.list,
    get: base.get,
    findOne: base.findOne,
    lines: (po) => collection(http, childPath(po, 'lines'), poLineSchema, 'purchaseOrders.lines'),
    schedules: (line) => collection(http, childPath(line, 'schedules'), poScheduleSchema, 'purchaseOrders.schedules'),
    distributions: (schedule) => collection(http, childPath(schedule, 'distributions'), poDistributionSchema, 'purchaseOrders.distributions'),
    findByNumber: (orderNumber) => base.findOne((q) => q.eq('OrderNumber', orderNumber)),
    acknowledge: (po, options) => {
      return callAction(
        http,
        selfHref(po),
        'acknowledge',
        { AcknowledgmentResponse: options.response, ...(options.note ? { Note: options.note } : {}), ...(options.supplierOrder ? { SupplierOrder: options.supplierOrder } : {}) },
        options.signal,
      );
    },
  };
}
