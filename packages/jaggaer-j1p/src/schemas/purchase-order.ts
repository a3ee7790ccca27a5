import { z } from 'zod';
import { normaliseTimestamp } from '../dates.js';
import { envelopeSchema, idLike, listOf, numberLike, pagedEnvelopeSchema, toNumber, toText } from './common.js';

/** Wire shape of one purchase-order line (UNCONFIRMED); loose. */
export const purchaseOrderLineSchema = z.looseObject({
  lineNumber: numberLike,
  description: z.string().nullish(),
  quantity: numberLike.nullish(),
  unitPrice: numberLike.nullish(),
  unitOfMeasure: z.string().nullish(),
  coding: z.record(z.string(), z.unknown()).nullish(),
});

/** Wire shape of a purchase order (UNCONFIRMED; mirrors the create body); loose. */
export const purchaseOrderSchema = z.looseObject({
  purchaseOrderId: idLike.nullish(),
  poNumber: z.string(),
  supplier: z.looseObject({ supplierNumber: z.string().nullish() }).nullish(),
  businessUnit: z.union([z.string(), z.looseObject({ internalName: z.string().nullish() })]).nullish(),
  currency: z.string().nullish(),
  orderDate: z.string().nullish(),
  status: z.string().nullish(),
  lastModTime: z.string().nullish(),
  lineList: z.looseObject({ poLine: listOf(purchaseOrderLineSchema) }).nullish(),
});

/** Wire shape of the purchase-order list (UNCONFIRMED). */
export const purchaseOrderListResponseSchema = pagedEnvelopeSchema.extend({ returnPurchaseOrderData: listOf(purchaseOrderSchema) });

/** Wire shape of the upsert answer (UNCONFIRMED). */
export const purchaseOrderUpsertResponseSchema = envelopeSchema.extend({ purchaseOrderId: idLike.nullish(), poNumber: z.string().nullish() });

/** One purchase-order line. */
export interface PurchaseOrderLine {
  /** 1-based line number. */
  lineNumber: number;
  /** Item description. */
  description?: string;
  /** Ordered quantity. */
  quantity?: number;
  /** Unit price. */
  unitPrice?: number;
  /** Unit of measure. */
  unitOfMeasure?: string;
  /** Accounting coding `{segment: code}`. */
  coding: Record<string, string>;
  /** The line as received. */
  raw: Record<string, unknown>;
}

/** A purchase order as JAGGAER holds it. */
export interface PurchaseOrder {
  /** JAGGAER's id. */
  purchaseOrderId?: string;
  /** ERP purchase-order number (natural key). */
  poNumber: string;
  /** ERP supplier number. */
  supplierNumber?: string;
  /** Business unit internal name. */
  businessUnit?: string;
  /** ISO 4217 currency. */
  currency?: string;
  /** Order date as sent. */
  orderDate?: string;
  /** `Open`, `Closed`, `Cancelled`. */
  status?: string;
  /** Last modification as ISO 8601. */
  lastModified?: string;
  /** Lines. */
  lines: PurchaseOrderLine[];
  /** The order as received, including fields this model does not name. */
  raw: Record<string, unknown>;
}

/** Maps a validated wire purchase order to {@link PurchaseOrder}. */
export function toPurchaseOrder(po: z.infer<typeof purchaseOrderSchema>): PurchaseOrder {
  const bu = po.businessUnit;
  const out: PurchaseOrder = {
    poNumber: po.poNumber,
    lines: (po.lineList?.poLine ?? []).map((l) => {
      const line: PurchaseOrderLine = {
        lineNumber: toNumber(l.lineNumber) ?? 0,
        coding: Object.fromEntries(Object.entries(l.coding ?? {}).flatMap(([k, v]) => (toText(v) === undefined ? [] : [[k, toText(v) as string]]))),
        raw: l as Record<string, unknown>,
      };
      const description = toText(l.description);
      const quantity = toNumber(l.quantity);
      const unitPrice = toNumber(l.unitPrice);
      const unitOfMeasure = toText(l.unitOfMeasure);
      if (description !== undefined) line.description = description;
      if (quantity !== undefined) line.quantity = quantity;
      if (unitPrice !== undefined) line.unitPrice = unitPrice;
      if (unitOfMeasure !== undefined) line.unitOfMeasure = unitOfMeasure;
      return line;
    }),
    raw: po as Record<string, unknown>,
  };
  const fields: [keyof PurchaseOrder, string | undefined][] = [
    ['purchaseOrderId', toText(po.purchaseOrderId)],
    ['supplierNumber', toText(po.supplier?.supplierNumber)],
    ['businessUnit', typeof bu === 'string' ? bu : toText(bu?.internalName)],
    ['currency', toText(po.currency)],
    ['orderDate', toText(po.orderDate)],
    ['status', toText(po.status)],
    ['lastModified', normaliseTimestamp(toText(po.lastModTime))],
  ];
  for (const [key, value] of fields) if (value !== undefined) (out as unknown as Record<string, unknown>)[key] = value;
  return out;
}
