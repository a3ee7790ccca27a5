import { InvalidInputError, type PagedAsyncIterable } from '@ml-connector/core';
import { type JaggaerDateInput, toEpochMs } from '../dates.js';
import { sendJaggaer } from '../request.js';
import { toText } from '../schemas/common.js';
import { type PurchaseOrder, purchaseOrderListResponseSchema, purchaseOrderUpsertResponseSchema, toPurchaseOrder } from '../schemas/purchase-order.js';
import {
  type CallOptions,
  type FilterCondition,
  type ResourceContext,
  type UpsertOptions,
  buildFilter,
  jaListing,
  modifiedSinceCondition,
  notFoundInList,
  operationOf,
  requireText,
} from './shared.js';

/** One purchase-order line to push. */
export interface PurchaseOrderLineInput {
  /** 1-based line number (unique in the order). */
  lineNumber: number;
  /** Item description. */
  description: string;
  /** Quantity (> 0). */
  quantity: number;
  /** Unit price (>= 0). */
  unitPrice: number;
  /** Unit of measure. Default on the server `EA`. */
  unitOfMeasure?: string;
  /** Coding `{segment: code}`, e.g. `{account:'8110', department:'ADM', project:'P-100'}`; must use existing, active values. */
  coding?: Record<string, string>;
}

/** A purchase order pushed from the ERP (UNCONFIRMED body shape). */
export interface PurchaseOrderInput {
  /** ERP purchase-order number (natural key). */
  poNumber: string;
  /** ERP supplier number; the supplier must exist. */
  supplierNumber: string;
  /** Business unit internal name. */
  businessUnit?: string;
  /** ISO 4217 currency. */
  currency?: string;
  /** Order date. */
  orderDate?: JaggaerDateInput;
  /** `Open`, `Closed` or `Cancelled`. */
  status?: 'Open' | 'Closed' | 'Cancelled';
  /** Lines (at least one). An update replaces all lines. */
  lines: PurchaseOrderLineInput[];
}

/** Answer of a purchase-order upsert. */
export interface PurchaseOrderUpsertResult {
  /** The purchase-order number. */
  poNumber: string;
  /** JAGGAER's id, when returned. */
  purchaseOrderId?: string;
  /** The answer as received. */
  raw: Record<string, unknown>;
}

/** Filters of {@link PurchaseOrdersResource.list}. */
export interface PurchaseOrderListOptions extends CallOptions {
  /** Only orders of this ERP supplier. */
  supplierNumber?: string;
  /** Only orders in this status. */
  status?: 'Open' | 'Closed' | 'Cancelled';
  /** Only orders modified at or after this instant. */
  modifiedSince?: JaggaerDateInput;
  /** Extra raw `flt` conditions. */
  filter?: string;
}

/** Purchase orders pushed from the ERP. Endpoint UNCONFIRMED. */
export interface PurchaseOrdersResource {
  /** Creates or replaces a purchase order (natural key `poNumber`). */
  upsert(purchaseOrder: PurchaseOrderInput, options?: UpsertOptions): Promise<PurchaseOrderUpsertResult>;
  /** Purchase orders matching the filters; resumable with `byPage({continuationToken})`. */
  list(options?: PurchaseOrderListOptions): PagedAsyncIterable<PurchaseOrder>;
  /** One purchase order by number. @throws NotFoundError when there is none. */
  get(poNumber: string, options?: CallOptions): Promise<PurchaseOrder>;
}

function purchaseOrderBody(po: PurchaseOrderInput): Record<string, unknown> {
  if (typeof po !== 'object' || po === null) throw new InvalidInputError('purchaseOrder is required', { field: 'purchaseOrder' });
  const body: Record<string, unknown> = {
    poNumber: requireText(po.poNumber, 'poNumber'),
    supplier: { supplierNumber: requireText(po.supplierNumber, 'supplierNumber') },
  };
  if (po.businessUnit !== undefined) body.businessUnit = { internalName: po.businessUnit };
  if (po.currency !== undefined) body.currency = po.currency;
  if (po.orderDate !== undefined) body.orderDate = new Date(toEpochMs(po.orderDate, 'orderDate')).toISOString();
  if (po.status !== undefined) body.status = po.status;
  if (!Array.isArray(po.lines) || po.lines.length === 0) throw new InvalidInputError('lines must list at least one purchase-order line', { field: 'lines' });
  body.lineList = {
    poLine: po.lines.map((l, i) => {
      const field = `lines[${i}]`;
      if (!Number.isSafeInteger(l?.lineNumber) || l.lineNumber < 1) throw new InvalidInputError(`${field}.lineNumber must be a positive whole number`, { field: `${field}.lineNumber` });
      if (!Number.isFinite(l.quantity)) throw new InvalidInputError(`${field}.quantity must be a finite number`, { field: `${field}.quantity` });
      if (!Number.isFinite(l.unitPrice)) throw new InvalidInputError(`${field}.unitPrice must be a finite number`, { field: `${field}.unitPrice` });
      const line: Record<string, unknown> = {
        lineNumber: l.lineNumber,
        description: requireText(l.description, `${field}.description`),
        quantity: l.quantity,
        unitPrice: l.unitPrice,
      };
      if (l.unitOfMeasure !== undefined) line.unitOfMeasure = l.unitOfMeasure;
      if (l.coding !== undefined) line.coding = { ...l.coding };
      return line;
    }),
  };
  return body;
}

/** Creates the purchase-orders resource. */
export function createPurchaseOrdersResource(ctx: ResourceContext): PurchaseOrdersResource {
  const list = (options: PurchaseOrderListOptions = {}): PagedAsyncIterable<PurchaseOrder> => {
    const conditions: FilterCondition[] = [...modifiedSinceCondition(options.modifiedSince, 'modifiedSince')];
    if (options.supplierNumber) conditions.push(['SUPPLIERNUMBER', '==', options.supplierNumber.trim()]);
    if (options.status) conditions.push(['STATUS', '==', options.status]);
    return jaListing(ctx, {
      path: ctx.paths.purchaseOrders,
      schema: purchaseOrderListResponseSchema,
      select: (body) => body.returnPurchaseOrderData,
      map: toPurchaseOrder,
      flt: buildFilter(conditions, options.filter),
      operation: 'purchaseOrders.list',
      ...(options.signal ? { signal: options.signal } : {}),
    });
  };
  return {
    async upsert(purchaseOrder, options = {}) {
      const operationCode = operationOf(options);
      const body = purchaseOrderBody(purchaseOrder);
      const { data } = await sendJaggaer(ctx.http, {
        method: 'POST',
        path: ctx.paths.purchaseOrders,
        json: { operationCode, purchaseOrder: body },
        schema: purchaseOrderUpsertResponseSchema,
        operation: 'purchaseOrders.upsert',
        idempotent: operationCode === 'CREATEUPDATE',
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const out: PurchaseOrderUpsertResult = { poNumber: body.poNumber as string, raw: data as Record<string, unknown> };
      const id = toText(data.purchaseOrderId);
      if (id !== undefined) out.purchaseOrderId = id;
      return out;
    },
    list,
    async get(poNumber, options = {}) {
      const number = requireText(poNumber, 'poNumber');
      const flt = buildFilter([['PONUMBER', '==', number]], undefined) as string;
      const [first] = await list({ ...options, filter: flt }).toArray({ limit: 1, ...(options.signal ? { signal: options.signal } : {}) });
      if (!first) throw notFoundInList(ctx, ctx.paths.purchaseOrders, flt, `Purchase order ${number}`);
      return first;
    },
  };
}
