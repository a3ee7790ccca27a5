import { CheckpointUnreadableError, DataError, contentHash, type MappingSet, type SourcePage, type SyncFlow, type SyncSource, type SyncTarget } from '@ml-connector/core/sync';
import type { JaggaerClient, PurchaseOrder } from '@ml-connector/jaggaer-j1p';
import { navReferenceResolvers, type NavClient } from '@ml-connector/nav';
import {
  DEFAULT_SHORTCUT_DIMENSIONS,
  NAV_MAX,
  diffDocument,
  documentNaturalKey,
  draftReferences,
  navDocumentStore,
  shortcutFields,
  targetDocumentOf,
  type NavDocumentDraft,
  type NavDraftLine,
  type ShortcutDimensions,
} from './documents.ts';

/** Name of the purchase-order flow (ledger, checkpoints, audit, review queue). */
export const NAV_PURCHASE_ORDERS_FLOW = 'nav-purchasing.orders';

/** Value of `currency.csv` that stands for the company's local currency. */
export const LOCAL_CURRENCY = 'LCY';

const CURSOR_PREFIX = 'nav-po:v1:';

/** Options of {@link createPurchaseOrderSource}. */
export interface PurchaseOrderSourceOptions {
  readonly jaggaer: JaggaerClient;
  /** Orders handed to the engine per page. @default 100 */
  readonly pageSize?: number;
  /** Re-read window before the high-water mark (late commits, clock skew). @default 2 minutes */
  readonly lookbackMs?: number;
}

/** The fields of a JAGGAER order that reach NAV: its version is their hash, so a re-read is skipped. */
function orderContent(order: PurchaseOrder) {
  return {
    supplierNumber: order.supplierNumber,
    currency: order.currency,
    orderDate: order.orderDate,
    status: order.status,
    lines: order.lines.map((line) => ({ n: line.lineNumber, d: line.description, q: line.quantity, p: line.unitPrice, c: line.coding })),
  };
}

/**
 * JAGGAER purchase orders changed since the high-water mark (`modifiedSince`, minus a look-back window), in pages.
 * Every page but the last carries the previous cursor, so a stop in the middle re-reads (harmless: the ledger
 * skips what it wrote at the same version) instead of skipping what the listing had not reached.
 */
export function createPurchaseOrderSource(options: PurchaseOrderSourceOptions): SyncSource<PurchaseOrder> {
  const pageSize = options.pageSize ?? 100;
  const lookbackMs = options.lookbackMs ?? 120_000;
  return {
    system: 'jaggaer',
    stream: 'purchase-orders',
    query: { modifiedSince: 'high-water mark' },
    async *read(cursor, context): AsyncIterable<SourcePage<PurchaseOrder>> {
      let since: string | undefined;
      if (cursor !== undefined) {
        since = cursor.startsWith(CURSOR_PREFIX) ? cursor.slice(CURSOR_PREFIX.length) : undefined;
        if (!since || Number.isNaN(Date.parse(since))) throw new CheckpointUnreadableError('the saved nav-purchasing order cursor cannot be read');
      }
      let highWater = since ? Date.parse(since) + lookbackMs : 0;
      let page: PurchaseOrder[] = [];
      for await (const order of options.jaggaer.purchaseOrders.list({ ...(since ? { modifiedSince: since } : {}), signal: context.signal })) {
        if (order.lastModified) highWater = Math.max(highWater, Date.parse(order.lastModified));
        page.push(order);
        if (page.length === pageSize) {
          yield { records: page, cursor: cursor ?? `${CURSOR_PREFIX}${new Date(0).toISOString()}` };
          page = [];
        }
      }
      const next = `${CURSOR_PREFIX}${new Date(Math.max(0, highWater - lookbackMs)).toISOString()}`;
      yield { records: page, cursor: next };
    },
    async fetch(sourceId, context) {
      try {
        return await options.jaggaer.purchaseOrders.get(sourceId, { signal: context.signal });
      } catch {
        return undefined;
      }
    },
    identify: (order) => ({
      id: order.poNumber,
      version: contentHash(orderContent(order)),
      businessIds: [order.poNumber, ...(order.supplierNumber ? [order.supplierNumber] : [])],
    }),
  };
}

/** Maps the coding of a JAGGAER line: account → G/L account, every other segment → a shortcut dimension. */
export function mapCoding(coding: Readonly<Record<string, string>>, mappings: MappingSet, shortcuts: ShortcutDimensions, field: string) {
  const account = coding['account'];
  if (!account) throw new DataError('missing-coding', `${field} has no account segment`, { field: `${field}.account` });
  const accountNumber = mappings.lookupString('gl-account', account, { field: `${field}.account` });
  const dimensions: Record<string, string> = {};
  for (const [segment, value] of Object.entries(coding)) {
    if (segment === 'account' || value === '') continue;
    const mapped = mappings.lookupRecord('coding-dimension', `${segment}/${value}`, { field: `${field}.${segment}` });
    if (!mapped['dimension'] || !mapped['value']) {
      throw new DataError('invalid-mapping', `coding-dimension row ${segment}/${value} needs both a dimension and a value`, { field: `${field}.${segment}` });
    }
    dimensions[mapped['dimension']] = mapped['value'];
  }
  return { accountNumber, ...shortcutFields(dimensions, shortcuts, field) };
}

/** Maps a currency through `currency.csv` (`LCY` → blank, NAV's local currency). */
export function mapCurrency(currency: string | undefined, mappings: MappingSet, field: string): string {
  if (!currency) return '';
  const mapped = mappings.lookupString('currency', currency, { field });
  return mapped === LOCAL_CURRENCY ? '' : mapped;
}

/** Maps an open JAGGAER purchase order to a NAV purchase order (`Vendor_Order_No` = the JAGGAER PO number). */
export function mapPurchaseOrder(order: PurchaseOrder, mappings: MappingSet, shortcuts: ShortcutDimensions = DEFAULT_SHORTCUT_DIMENSIONS): NavDocumentDraft {
  if (order.status !== undefined && order.status !== 'Open') {
    throw new DataError('po-not-open', `purchase order ${order.poNumber} is ${order.status}; only open orders are created in NAV (close or cancel it there by hand)`, { field: 'status' });
  }
  if (!order.supplierNumber) throw new DataError('missing-supplier', 'the purchase order names no supplier number', { field: 'supplierNumber' });
  if (order.poNumber.length > NAV_MAX.reference) {
    throw new DataError('field-too-long', `PO number "${order.poNumber}" is longer than NAV's ${NAV_MAX.reference} characters (Vendor Order No.)`, { field: 'poNumber' });
  }
  if (order.lines.length === 0) throw new DataError('no-lines', 'the purchase order has no lines', { field: 'lines' });
  const vendorNumber = mappings.lookupString('supplier-vendor', order.supplierNumber, { field: 'supplierNumber' });
  const lines: NavDraftLine[] = order.lines.map((line, index) => ({
    ...mapCoding(line.coding, mappings, shortcuts, `lines[${index}]`),
    description: (line.description ?? `Line ${line.lineNumber}`).slice(0, NAV_MAX.description),
    quantity: line.quantity ?? 0,
    directUnitCost: line.unitPrice ?? 0,
  }));
  return {
    vendorNumber,
    reference: order.poNumber,
    ...(order.orderDate ? { documentDate: order.orderDate.slice(0, 10) } : {}),
    currencyCode: mapCurrency(order.currency, mappings, 'currency'),
    lines,
  };
}

/** Options of {@link createPurchaseOrderTarget}. */
export interface NavDocumentTargetOptions {
  readonly nav: NavClient;
  readonly shortcuts?: ShortcutDimensions;
}

/**
 * NAV purchase orders as a sync target: natural key vendor + `Vendor_Order_No`, a create that resumes an
 * interrupted one (header found by natural key: its lines are completed, not duplicated), updates of open orders
 * only (a released order is locked: review `target-posted`), preflight of vendors, accounts and dimension values.
 */
export function createPurchaseOrderTarget(options: NavDocumentTargetOptions): SyncTarget<NavDocumentDraft> {
  const shortcuts = options.shortcuts ?? DEFAULT_SHORTCUT_DIMENSIONS;
  const documents = navDocumentStore(options.nav, 'order');
  const { vendor, account, dimensionValue } = navReferenceResolvers(options.nav);
  return {
    system: 'nav',
    naturalKey: documentNaturalKey,
    references: (draft) => draftReferences(draft, shortcuts),
    resolvers: { vendor, account, dimensionValue },
    async find(draft, context) {
      const found = await documents.find(draft, context.signal);
      // An interrupted create may have left the header without all its lines: not adopted, create() completes it.
      return found && found.lines.length === draft.lines.length ? targetDocumentOf(found) : undefined;
    },
    async get(number, context) {
      const state = await documents.get(number, context.signal);
      return state ? targetDocumentOf(state) : undefined;
    },
    async create(draft, context) {
      const partial = await documents.find(draft, context.signal);
      const state = partial ? await documents.update(partial, draft, context.signal) : await documents.create(draft, context.signal);
      return { document: targetDocumentOf(state) };
    },
    async update(current, draft, context) {
      const state = await documents.get(current.id, context.signal);
      if (!state) throw new DataError('target-missing', `NAV purchase order ${current.id} no longer exists`);
      return { document: targetDocumentOf(await documents.update(state, draft, context.signal)) };
    },
    diff: (current, draft) => diffDocument('order', current, draft),
  };
}

/** JAGGAER purchase orders → NAV purchase orders. */
export function createPurchaseOrdersFlow(options: { jaggaer: JaggaerClient; nav: NavClient; mappings: MappingSet; shortcuts?: ShortcutDimensions; pageSize?: number }): SyncFlow<PurchaseOrder, NavDocumentDraft> {
  const shortcuts = options.shortcuts ?? DEFAULT_SHORTCUT_DIMENSIONS;
  return {
    name: NAV_PURCHASE_ORDERS_FLOW,
    source: createPurchaseOrderSource({ jaggaer: options.jaggaer, ...(options.pageSize ? { pageSize: options.pageSize } : {}) }),
    map: (order) => mapPurchaseOrder(order, options.mappings, shortcuts),
    target: createPurchaseOrderTarget({ nav: options.nav, shortcuts }),
    mappingVersion: options.mappings.version,
  };
}
