import { z } from 'zod';
import { childArray, itemMeta, optNumber, optString, whoColumns } from './common.js';

/** A PO distribution (`purchaseOrders/{id}/child/lines/{id}/child/schedules/{id}/child/distributions`). */
export const poDistributionSchema = z.looseObject({
  ...itemMeta,
  PODistributionId: z.number(),
  DistributionNumber: z.number(),
  Quantity: optNumber,
  Amount: optNumber,
  POChargeAccount: optString,
});
/** A PO distribution. */
export type PurchaseOrderDistribution = z.infer<typeof poDistributionSchema>;

/** A PO schedule (`…/child/lines/{id}/child/schedules`). */
export const poScheduleSchema = z.looseObject({
  ...itemMeta,
  LineLocationId: z.number(),
  ScheduleNumber: z.number(),
  Quantity: optNumber,
  QuantityReceived: optNumber,
  QuantityBilled: optNumber,
  RequestedDeliveryDate: optString,
  distributions: childArray(poDistributionSchema),
});
/** A PO schedule. */
export type PurchaseOrderSchedule = z.infer<typeof poScheduleSchema>;

/** A PO line (`purchaseOrders/{purchaseOrdersUniqID}/child/lines`). */
export const poLineSchema = z.looseObject({
  ...itemMeta,
  POLineId: z.number(),
  LineNumber: z.number(),
  Description: optString,
  Quantity: optNumber,
  Price: optNumber,
  UOM: optString,
  Amount: optNumber,
  schedules: childArray(poScheduleSchema),
});
/** A PO line. */
export type PurchaseOrderLine = z.infer<typeof poLineSchema>;

/** A purchase order (`/purchaseOrders`, read and actions; creation goes through `draftPurchaseOrders`). */
export const purchaseOrderSchema = z.looseObject({
  ...itemMeta,
  POHeaderId: z.number(),
  OrderNumber: z.string(),
  Supplier: z.string(),
  SupplierId: optNumber,
  SupplierSite: optString,
  ProcurementBU: optString,
  Currency: optString,
  Total: optNumber,
  Status: optString,
  StatusCode: optString,
  AcknowledgmentStatus: optString,
  ...whoColumns,
  lines: childArray(poLineSchema),
});
/** A purchase order. */
export type PurchaseOrder = z.infer<typeof purchaseOrderSchema>;
