/**
 * JAGGAER → Oracle Fusion: what Oracle needs for three-way matching (receipts for the invoiced quantities of PO
 * lines, supplier acknowledgements of purchase orders), and the other half of the two-way alignment of suppliers and
 * chart-of-accounts values (the first half is oracle-to-jaggaer), with a conflict policy and no echo loops.
 */
import { isNotFoundError, type Logger } from '@ml-connector/core';
import { contentHash, DataError, diffFields, type ReferenceStatus, type SyncFlow, type SyncStore, type TargetDocument } from '@ml-connector/core/sync';
import type { CodingValue, Invoice as JaggaerInvoice, JaggaerClient, PurchaseOrder as JaggaerPurchaseOrder, Supplier as JaggaerSupplier } from '@ml-connector/jaggaer-j1p';
import type { OracleFusionClient, OracleItem, PurchaseOrder, ReceiptCreate, Supplier, ValueSetValue } from '@ml-connector/oracle-fusion';
import type { AnySyncFlow } from '../shared/index.ts';
import { createApprovedInvoiceSource, invoiceBusinessIds } from '../bc-invoices/source.ts';
import { type ConflictOverride, type ConflictPolicy, keptDocument, resolveConflict } from '../oracle/conflicts.ts';
import { jaggaerWindowSource } from '../oracle/sources.ts';
import { DEFAULT_VALUE_SETS, JAGGAER_TO_ORACLE_ALIGNMENT_FLOWS, ORACLE_TO_JAGGAER_FLOWS, type ValueSetSegment } from '../oracle-to-jaggaer/flows.ts';

/** Flow names (they key the ledger, checkpoints and audit). */
export const JAGGAER_TO_ORACLE_FLOWS = {
  ...JAGGAER_TO_ORACLE_ALIGNMENT_FLOWS,
  receipts: 'jaggaer-receipts-to-oracle',
  acknowledgements: 'jaggaer-po-acknowledgements-to-oracle',
} as const;

/**
 * Receipt header attribute that carries the JAGGAER invoice reference (`J1P-<invoice id>`), the natural key a
 * receipt is found by after an interrupted attempt. UNCONFIRMED: `ShipmentNumber` is a documented receipt request
 * header attribute (ASN shipment number); whether a tenant's receipts may carry a free reference there, and whether
 * `q` can filter on it, is not documented. Configurable.
 */
export const DEFAULT_RECEIPT_REFERENCE_ATTRIBUTE = 'ShipmentNumber';

/**
 * JAGGAER purchase-order field holding the supplier's acknowledgement, and the values that mean accept and reject.
 * UNCONFIRMED: the J1P public API record shows no acknowledgement field on purchase orders; tenants that expose
 * one name it at onboarding. Configurable (`JAGGAER_PO_ACK_FIELD`).
 */
export const DEFAULT_ACKNOWLEDGEMENT = { field: 'acknowledgementStatus', accept: ['Accepted', 'ACCEPT', 'Acknowledged'], reject: ['Rejected', 'REJECT'] } as const;

/** Options of {@link createJaggaerToOracleFlows}. */
export interface JaggaerToOracleOptions {
  readonly oracle: OracleFusionClient;
  readonly jaggaer: JaggaerClient;
  readonly store: SyncStore;
  readonly logger: Logger;
  readonly valueSets?: readonly ValueSetSegment[];
  readonly conflictPolicy?: ConflictPolicy;
  /** Receiving organisation of the receipts (`OrganizationCode`). @default 'US01' */
  readonly receivingOrganization?: string;
  readonly receiptReferenceAttribute?: string;
  readonly acknowledgement?: { readonly field: string; readonly accept?: readonly string[]; readonly reject?: readonly string[] };
  /** First run only: JAGGAER invoices changed at or after this instant. */
  readonly since?: string;
  /** Records per page. @default 100 */
  readonly pageSize?: number;
  /** Look-back of the JAGGAER cursors. @default 2 minutes */
  readonly lookBackMs?: number;
}

/** An Oracle value to write, with the replay override. */
export type ValuePayload = { Value: string; Description?: string; EnabledFlag: 'Y' | 'N' } & ConflictOverride;
/** An Oracle supplier change, with the replay override. */
export type SupplierPayload = { SupplierNumber: string; Supplier: string; DUNSNumber?: string } & ConflictOverride;
/** A receipt request with the JAGGAER reference. */
export type ReceiptPayload = ReceiptCreate & { readonly reference: string };
/** A PO acknowledgement to record in Oracle. */
export interface AcknowledgementPayload {
  readonly poNumber: string;
  readonly response: 'ACCEPT' | 'REJECT';
  readonly note?: string;
}

/** True when the document already holds every field of `fields` (an earlier write of this payload landed). */
export function landed(document: TargetDocument, fields: Readonly<Record<string, unknown>>): boolean {
  return diffFields(document.snapshot ?? {}, Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined))).length === 0;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

/** Builds the flows in the order they run: values, suppliers, receipts, acknowledgements. */
export function createJaggaerToOracleFlows(options: JaggaerToOracleOptions): AnySyncFlow[] {
  const { oracle, jaggaer, store, logger } = options;
  const policy = options.conflictPolicy ?? 'review';
  const windowCommon = { ...(options.lookBackMs !== undefined ? { lookBackMs: options.lookBackMs } : {}), pageSize: options.pageSize ?? 100 };

  // ── chart-of-accounts values ─────────────────────────────────────────────────────────────────────────────────
  const valueFlows = (options.valueSets ?? DEFAULT_VALUE_SETS).map(({ valueSetCode, segment }): SyncFlow<CodingValue, ValuePayload> => {
    const name = JAGGAER_TO_ORACLE_FLOWS.values(segment);
    const values = oracle.accounts.values(valueSetCode);
    const read = (code: string, signal: AbortSignal) => values.findOne((q) => q.eq('Value', code), { signal });
    const documentOf = (v: OracleItem<ValueSetValue>): TargetDocument => ({
      id: v.Value,
      ...(v.LastUpdateDate ? { version: v.LastUpdateDate } : {}),
      locked: false,
      snapshot: { Value: v.Value, Description: v.Description, EnabledFlag: v.EnabledFlag },
    });
    const conflict = { store, flow: name, sourceSystem: 'jaggaer' as const, oppositeFlow: ORACLE_TO_JAGGAER_FLOWS.values(segment), policy, logger };
    return {
      name,
      source: jaggaerWindowSource<CodingValue>({
        flow: name,
        stream: `coding-values-${segment}`,
        query: { segment },
        list: (since, signal) => jaggaer.codingValues.list({ segment, ...(since ? { modifiedSince: since } : {}), signal }),
        id: (v) => `${segment}/${v.code}`,
        modified: (v) => v.lastModified,
        businessIds: (v) => [v.code, `${segment}/${v.code}`],
        echo: { store, oppositeFlow: ORACLE_TO_JAGGAER_FLOWS.values(segment), oppositeSourceSystem: 'oracle-fusion' },
        ...windowCommon,
      }),
      map: (v) => ({ Value: v.code, ...(v.description ? { Description: v.description } : {}), EnabledFlag: v.active === false ? 'N' : 'Y' }),
      target: {
        system: 'oracle-fusion',
        naturalKey: (p) => `${valueSetCode}/${p.Value}`,
        // "Did an earlier attempt land?": only a value that already says what this payload says. The value itself
        // may exist from before (both charts hold it); create() then updates it under the conflict rules.
        async find(p, ctx) {
          const found = await read(p.Value, ctx.signal);
          const document = found ? documentOf(found) : undefined;
          return document && landed(document, { Description: p.Description, EnabledFlag: p.EnabledFlag }) ? document : undefined;
        },
        async get(id, ctx) {
          const found = await read(id, ctx.signal);
          return found ? documentOf(found) : undefined;
        },
        async create(p, ctx) {
          const { conflict: _c, Value: _v, ...changes } = p;
          // Never written by this flow, but both charts may already hold it (first alignment): update, not duplicate.
          const existing = await read(p.Value, ctx.signal);
          if (existing) {
            if ((await resolveConflict(conflict, ctx.identity.id, ctx.identity.version, documentOf(existing), p)) === 'keep') return { document: keptDocument(documentOf(existing)), unchanged: true };
            return { document: documentOf(await values.update(existing, changes, { signal: ctx.signal })) };
          }
          const { conflict: _c2, ...value } = p;
          return { document: documentOf(await values.create(value, { signal: ctx.signal })) };
        },
        async update(current, p, ctx) {
          if ((await resolveConflict(conflict, ctx.identity.id, ctx.identity.version, current, p)) === 'keep') return { document: keptDocument(current), unchanged: true };
          const item = await read(p.Value, ctx.signal);
          if (!item) throw new DataError('target-missing', `value ${p.Value} is gone from value set ${valueSetCode}`, { field: 'Value' });
          const { conflict: _c, Value: _v, ...changes } = p;
          return { document: documentOf(await values.update(item, changes, { signal: ctx.signal })) };
        },
        diff: (current, p) => diffFields(current?.snapshot ?? {}, { Value: p.Value, Description: p.Description, EnabledFlag: p.EnabledFlag }),
      },
    };
  });

  // ── suppliers ────────────────────────────────────────────────────────────────────────────────────────────────
  const findSupplier = (supplierNumber: string, signal: AbortSignal) => oracle.suppliers.findOne((q) => q.eq('SupplierNumber', supplierNumber), { signal });
  const supplierDocument = (s: OracleItem<Supplier>): TargetDocument => ({
    id: s.SupplierNumber,
    version: s.LastUpdateDate,
    locked: false,
    snapshot: { SupplierNumber: s.SupplierNumber, Supplier: s.Supplier, DUNSNumber: s.DUNSNumber },
  });
  const supplierConflict = { store, flow: JAGGAER_TO_ORACLE_FLOWS.suppliers, sourceSystem: 'jaggaer' as const, oppositeFlow: ORACLE_TO_JAGGAER_FLOWS.suppliers, policy, logger };
  const suppliersFlow: SyncFlow<JaggaerSupplier, SupplierPayload> = {
    name: JAGGAER_TO_ORACLE_FLOWS.suppliers,
    source: jaggaerWindowSource<JaggaerSupplier>({
      flow: JAGGAER_TO_ORACLE_FLOWS.suppliers,
      stream: 'suppliers',
      query: { type: 'company-profiles' },
      list: (since, signal) => jaggaer.suppliers.list({ ...(since ? { modifiedSince: since } : {}), signal }),
      // Profiles without an ERP number are not Oracle suppliers yet; they are not this flow's business.
      filter: (s) => text(s.supplierNumber) !== undefined,
      id: (s) => s.supplierNumber ?? s.bravoId,
      modified: (s) => s.lastModified,
      businessIds: (s) => [s.supplierNumber ?? s.bravoId, ...(s.companyName ? [s.companyName] : [])],
      echo: { store, oppositeFlow: ORACLE_TO_JAGGAER_FLOWS.suppliers, oppositeSourceSystem: 'oracle-fusion' },
      ...windowCommon,
    }),
    map(s) {
      if (!s.companyName) throw new DataError('missing-name', `JAGGAER supplier ${s.supplierNumber} has no company name`, { field: 'companyName' });
      return { SupplierNumber: s.supplierNumber!, Supplier: s.companyName, ...(s.duns && s.duns !== 'DNP' ? { DUNSNumber: s.duns } : {}) };
    },
    target: {
      system: 'oracle-fusion',
      naturalKey: (p) => p.SupplierNumber,
      // Only a supplier that already carries this payload counts as an earlier attempt that landed (see values).
      async find(p, ctx) {
        const found = await findSupplier(p.SupplierNumber, ctx.signal);
        const document = found ? supplierDocument(found) : undefined;
        return document && landed(document, { Supplier: p.Supplier, DUNSNumber: p.DUNSNumber }) ? document : undefined;
      },
      async get(id, ctx) {
        const found = await findSupplier(id, ctx.signal);
        return found ? supplierDocument(found) : undefined;
      },
      async create(p, ctx) {
        const { conflict: _c, ...supplier } = p;
        // Never written by this flow, but Oracle may hold the supplier already (first alignment): update, not duplicate.
        const existing = await findSupplier(p.SupplierNumber, ctx.signal);
        if (existing) {
          if ((await resolveConflict(supplierConflict, ctx.identity.id, ctx.identity.version, supplierDocument(existing), p)) === 'keep') return { document: keptDocument(supplierDocument(existing)), unchanged: true };
          const { SupplierNumber: _n, ...changes } = supplier;
          return { document: supplierDocument(await oracle.suppliers.update(existing, changes, { signal: ctx.signal })) };
        }
        // A JAGGAER supplier Oracle does not know: created with Oracle's documented defaults for a spend-authorised supplier.
        const created = await oracle.suppliers.create({ ...supplier, BusinessRelationship: 'SPEND_AUTHORIZED', TaxOrganizationType: 'CORPORATION' }, { signal: ctx.signal });
        return { document: supplierDocument(created) };
      },
      async update(current, p, ctx) {
        if ((await resolveConflict(supplierConflict, ctx.identity.id, ctx.identity.version, current, p)) === 'keep') return { document: keptDocument(current), unchanged: true };
        const item = await findSupplier(p.SupplierNumber, ctx.signal);
        if (!item) throw new DataError('target-missing', `Oracle supplier ${p.SupplierNumber} is gone`, { field: 'SupplierNumber' });
        const { conflict: _c, SupplierNumber: _n, ...changes } = p;
        return { document: supplierDocument(await oracle.suppliers.update(item, changes, { signal: ctx.signal })) };
      },
      diff: (current, p) => diffFields(current?.snapshot ?? {}, { SupplierNumber: p.SupplierNumber, Supplier: p.Supplier, DUNSNumber: p.DUNSNumber }),
    },
  };

  // ── receipts (three-way match) ───────────────────────────────────────────────────────────────────────────────
  const referenceAttribute = options.receiptReferenceAttribute ?? DEFAULT_RECEIPT_REFERENCE_ATTRIBUTE;
  const LOCKED_RECEIPT = 'a processed receipt; corrections go through receiving transactions, not this flow';
  const findReceipt = async (reference: string, signal: AbortSignal): Promise<TargetDocument | undefined> => {
    const found = await oracle.receipts.findOne((q) => q.eq(referenceAttribute as never, reference), { signal });
    return found ? { id: String(found.HeaderInterfaceId), ...(found.LastUpdateDate ? { version: found.LastUpdateDate } : {}), locked: true, lockedReason: LOCKED_RECEIPT } : undefined;
  };
  const invoices = createApprovedInvoiceSource({ jaggaer, pageSize: options.pageSize ?? 100, ...(options.since ? { since: options.since } : {}), ...(options.lookBackMs !== undefined ? { lookbackMs: options.lookBackMs } : {}) });
  const poCache = new Map<string, OracleItem<PurchaseOrder> | null>();
  const readPo = async (poNumber: string, signal: AbortSignal) => {
    if (!poCache.has(poNumber)) poCache.set(poNumber, (await oracle.purchaseOrders.findOne((q) => q.eq('OrderNumber', poNumber), { expand: ['lines', 'lines.schedules'], signal })) ?? null);
    return poCache.get(poNumber) ?? undefined;
  };
  const receiptsFlow: SyncFlow<JaggaerInvoice, ReceiptPayload> = {
    name: JAGGAER_TO_ORACLE_FLOWS.receipts,
    source: {
      ...invoices,
      stream: 'approved-invoices-with-po-lines',
      query: { ...(invoices.query as object), poLines: true },
      async *read(cursor, context) {
        // An invoice without PO lines needs no receipt (two-way match): it moves the cursor and nothing else.
        for await (const page of invoices.read(cursor, context)) yield { records: page.records.filter((i) => i.lines.some((l) => text(l.poNumber))), cursor: page.cursor };
      },
      identify: (invoice) => ({ id: invoice.invoiceId, version: contentHash(invoice.lines.map((l) => [l.poNumber, l.poLineNumber, l.quantity])), businessIds: invoiceBusinessIds(invoice) }),
    },
    map(invoice) {
      const lines = invoice.lines.filter((l) => text(l.poNumber));
      return {
        reference: `J1P-${invoice.invoiceId}`,
        ReceiptSourceCode: 'VENDOR',
        OrganizationCode: options.receivingOrganization ?? 'US01',
        ...(invoice.supplier?.supplierNumber ? { VendorNumber: invoice.supplier.supplierNumber } : {}),
        [referenceAttribute]: `J1P-${invoice.invoiceId}`,
        lines: lines.map((line, i) => {
          const lineNumber = Number(line.poLineNumber);
          if (!Number.isInteger(lineNumber) || lineNumber < 1) throw new DataError('invalid-po-line', `line ${line.lineNumber} refers to PO ${line.poNumber} line "${line.poLineNumber}"`, { field: `lines[${i}].poLineNumber` });
          if (!(typeof line.quantity === 'number' && line.quantity > 0)) throw new DataError('invalid-quantity', `line ${line.lineNumber} has no positive quantity to receive`, { field: `lines[${i}].quantity` });
          return { DocumentNumber: line.poNumber!, DocumentLineNumber: lineNumber, DocumentScheduleNumber: 1, Quantity: line.quantity, ...(line.unitOfMeasure ? { UnitOfMeasure: line.unitOfMeasure } : {}) };
        }),
      };
    },
    target: {
      system: 'oracle-fusion',
      naturalKey: (p) => p.reference,
      references: (p) => p.lines.map((line, i) => ({ kind: 'po-line', key: `${line.DocumentNumber}/${line.DocumentLineNumber}`, field: `lines[${i}]` })),
      resolvers: {
        'po-line': async (keys, ctx) => {
          const out = new Map<string, ReferenceStatus>();
          for (const key of keys) {
            const [poNumber, line] = [key.slice(0, key.lastIndexOf('/')), Number(key.slice(key.lastIndexOf('/') + 1))];
            const po = await readPo(poNumber, ctx.signal);
            const found = po?.lines?.find((l) => l.LineNumber === line);
            const open = po !== undefined && !/CLOSED|CANCEL/i.test(po.StatusCode ?? po.Status ?? '');
            out.set(key, { exists: found !== undefined, usable: found !== undefined && open, ...(found && !open ? { reason: `PO ${poNumber} is ${po?.Status}` } : {}) });
          }
          return out;
        },
      },
      find: (p, ctx) => findReceipt(p.reference, ctx.signal),
      async get(id, ctx) {
        try {
          const found = await oracle.receipts.get(new URL(`receivingReceiptRequests/${encodeURIComponent(id)}`, oracle.baseUrl).href, { signal: ctx.signal });
          return { id, ...(found.LastUpdateDate ? { version: found.LastUpdateDate } : {}), locked: true, lockedReason: LOCKED_RECEIPT };
        } catch (error) {
          if (isNotFoundError(error)) return undefined;
          throw error;
        }
      },
      async create(p, ctx) {
        const { reference: _r, ...receipt } = p;
        const created = await oracle.receipts.create(receipt, { signal: ctx.signal });
        for (const line of p.lines) poCache.delete(line.DocumentNumber);
        return { document: { id: String(created.HeaderInterfaceId), ...(created.LastUpdateDate ? { version: created.LastUpdateDate } : {}), locked: true, lockedReason: LOCKED_RECEIPT } };
      },
      update: (current) => Promise.resolve({ document: current }),
    },
  };

  // ── PO acknowledgements ──────────────────────────────────────────────────────────────────────────────────────
  const ack = { field: options.acknowledgement?.field ?? DEFAULT_ACKNOWLEDGEMENT.field, accept: options.acknowledgement?.accept ?? DEFAULT_ACKNOWLEDGEMENT.accept, reject: options.acknowledgement?.reject ?? DEFAULT_ACKNOWLEDGEMENT.reject };
  const answerOf = (po: JaggaerPurchaseOrder): 'ACCEPT' | 'REJECT' | undefined => {
    const value = text(po.raw[ack.field]);
    if (value === undefined) return undefined;
    if (ack.accept.some((a) => a.toUpperCase() === value.toUpperCase())) return 'ACCEPT';
    if (ack.reject.some((r) => r.toUpperCase() === value.toUpperCase())) return 'REJECT';
    return undefined;
  };
  const LOCKED_ACK = 'acknowledged in Oracle; an acknowledgement is recorded once';
  const ackDocument = (po: OracleItem<PurchaseOrder> | undefined): TargetDocument | undefined =>
    po && text(po.AcknowledgmentStatus) ? { id: po.OrderNumber, version: po.LastUpdateDate, locked: true, lockedReason: LOCKED_ACK, snapshot: { AcknowledgmentStatus: po.AcknowledgmentStatus } } : undefined;
  const findPo = (poNumber: string, signal: AbortSignal) => oracle.purchaseOrders.findOne((q) => q.eq('OrderNumber', poNumber), { signal });
  const acknowledgementsFlow: SyncFlow<JaggaerPurchaseOrder, AcknowledgementPayload> = {
    name: JAGGAER_TO_ORACLE_FLOWS.acknowledgements,
    source: jaggaerWindowSource<JaggaerPurchaseOrder>({
      flow: JAGGAER_TO_ORACLE_FLOWS.acknowledgements,
      stream: 'acknowledged-purchase-orders',
      query: { field: ack.field, accept: ack.accept, reject: ack.reject },
      list: (since, signal) => jaggaer.purchaseOrders.list({ ...(since ? { modifiedSince: since } : {}), signal }),
      filter: (po) => answerOf(po) !== undefined,
      id: (po) => po.poNumber,
      modified: (po) => po.lastModified,
      // The answer, not the PO's modification time: a later PO change does not make a second acknowledgement.
      version: (po) => `${answerOf(po)}`,
      businessIds: (po) => [po.poNumber, ...(po.supplierNumber ? [po.supplierNumber] : [])],
      ...windowCommon,
    }),
    map(po) {
      const note = text(po.raw.acknowledgementNote) ?? text(po.raw.supplierNote);
      return { poNumber: po.poNumber, response: answerOf(po)!, ...(note ? { note } : {}) };
    },
    target: {
      system: 'oracle-fusion',
      naturalKey: (p) => p.poNumber,
      references: (p) => [{ kind: 'purchase-order', key: p.poNumber, field: 'poNumber' }],
      resolvers: {
        'purchase-order': async (keys, ctx) => {
          const out = new Map<string, ReferenceStatus>();
          for (const key of keys) out.set(key, (await findPo(key, ctx.signal)) ? { exists: true, usable: true } : { exists: false, usable: false });
          return out;
        },
      },
      find: async (p, ctx) => ackDocument(await findPo(p.poNumber, ctx.signal)),
      get: async (id, ctx) => ackDocument(await findPo(id, ctx.signal)),
      async create(p, ctx) {
        const po = await findPo(p.poNumber, ctx.signal);
        if (!po) throw new DataError('unknown-purchase-order', `Oracle has no purchase order ${p.poNumber}`, { field: 'poNumber' });
        await oracle.purchaseOrders.acknowledge(po, { response: p.response, ...(p.note ? { note: p.note } : {}), signal: ctx.signal });
        const after = await findPo(p.poNumber, ctx.signal);
        return { document: ackDocument(after) ?? { id: p.poNumber, locked: true, lockedReason: LOCKED_ACK } };
      },
      update: (current) => Promise.resolve({ document: current }),
    },
  };

  return [...valueFlows, suppliersFlow, receiptsFlow, acknowledgementsFlow];
}
