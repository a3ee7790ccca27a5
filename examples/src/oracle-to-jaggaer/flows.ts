/**
 * Oracle Fusion → JAGGAER: chart-of-accounts values (cost centers, natural accounts) as JAGGAER coding values,
 * suppliers as company profiles, purchase orders, and payables invoices (through JAGGAER's invoice import), each
 * read by `LastUpdateDate` with the Oracle client's `pollModified` cursor. The flows run in that order so every
 * reference a PO or invoice makes exists in JAGGAER before it is written.
 */
import { fileURLToPath } from 'node:url';
import { isNotFoundError, type Logger } from '@ml-connector/core';
import {
  contentHash,
  DataError,
  diffFields,
  loadMappingSet,
  type MappingSet,
  type ReferenceStatus,
  type SyncFlow,
  type SyncStore,
  type SyncTarget,
  type TargetDocument,
} from '@ml-connector/core/sync';
import type { CodingValue, CodingValueInput, JaggaerClient, OcrInvoiceImport, PurchaseOrderInput, SupplierInput } from '@ml-connector/jaggaer-j1p';
import type { Invoice, OracleFusionClient, OracleItem, PurchaseOrder, Supplier, ValueSetValue } from '@ml-connector/oracle-fusion';
import type { AnySyncFlow } from '../shared/index.ts';
import { type ConflictOverride, type ConflictPolicy, keptDocument, resolveConflict } from '../oracle/conflicts.ts';
import { oracleModifiedSource } from '../oracle/sources.ts';

/** The crosswalk files shipped with the example (`examples/mappings/oracle-to-jaggaer/`). */
export const ORACLE_TO_JAGGAER_MAPPINGS_DIR = fileURLToPath(new URL('../../mappings/oracle-to-jaggaer/', import.meta.url));

/**
 * Crosswalk tables: `unit-of-measure.csv` (Oracle UOM → JAGGAER unit) and `project.csv` (the Oracle segment
 * mapped to JAGGAER's `project` coding segment → project code).
 */
export const ORACLE_TO_JAGGAER_TABLES = ['unit-of-measure', 'project'] as const;

/** Loads the crosswalks of `dir` (default: the shipped ones); both tables are required. */
export function loadOracleToJaggaerMappings(dir: string = ORACLE_TO_JAGGAER_MAPPINGS_DIR): Promise<MappingSet> {
  return loadMappingSet(dir, { require: ORACLE_TO_JAGGAER_TABLES });
}

/** An Oracle value set carried to a JAGGAER coding segment. */
export interface ValueSetSegment {
  /** Oracle value set code, e.g. `XX_COST_CENTER`. */
  readonly valueSetCode: string;
  /** JAGGAER coding segment, e.g. `department`. */
  readonly segment: string;
}

/** Default value sets: cost centers → `department`, natural accounts → `account` (the emulators' charts). */
export const DEFAULT_VALUE_SETS: readonly ValueSetSegment[] = [
  { valueSetCode: 'XX_COST_CENTER', segment: 'department' },
  { valueSetCode: 'XX_ACCOUNT', segment: 'account' },
];

/**
 * Positions of the Oracle account combination (`101.ADM.8110.000`, 0-based) that become JAGGAER coding segments.
 * `project` goes through `project.csv`; the company segment is JAGGAER's business unit, not a coding segment.
 * Chosen for the emulators' chart of accounts; a customer's chart has its own layout.
 */
export const DEFAULT_COMBINATION_SEGMENTS: Readonly<Record<string, number>> = { department: 1, account: 2, project: 3 };

/** Flow names (they key the ledger, checkpoints and audit). */
export const ORACLE_TO_JAGGAER_FLOWS = {
  values: (segment: string) => `oracle-${segment}-values-to-jaggaer`,
  suppliers: 'oracle-suppliers-to-jaggaer',
  purchaseOrders: 'oracle-purchase-orders-to-jaggaer',
  invoices: 'oracle-invoices-to-jaggaer',
} as const;

/** Names of the opposite flows (jaggaer-to-oracle), for echo and conflict checks. */
export const JAGGAER_TO_ORACLE_ALIGNMENT_FLOWS = {
  values: (segment: string) => `jaggaer-${segment}-values-to-oracle`,
  suppliers: 'jaggaer-suppliers-to-oracle',
} as const;

/** Options of {@link createOracleToJaggaerFlows}. */
export interface OracleToJaggaerOptions {
  readonly oracle: OracleFusionClient;
  readonly jaggaer: JaggaerClient;
  /** The engine's store: echo and conflict checks read the opposite flows' ledger. */
  readonly store: SyncStore;
  readonly mappings: MappingSet;
  readonly logger: Logger;
  readonly valueSets?: readonly ValueSetSegment[];
  readonly combinationSegments?: Readonly<Record<string, number>>;
  readonly conflictPolicy?: ConflictPolicy;
  /** Look-back window of the Oracle cursors. @default 5 minutes */
  readonly lookBackMs?: number;
  /** Records per page. @default 100 */
  readonly pageSize?: number;
  /** First run only: records changed at or after this instant (`ORACLE_SINCE`). */
  readonly since?: string;
}

/** A JAGGAER coding value to write, with the replay override. */
export type CodingValuePayload = CodingValueInput & ConflictOverride;
/** A JAGGAER supplier profile to write, with the replay override. */
export type SupplierPayload = SupplierInput & ConflictOverride;

/** True when the document already holds every field of `fields` (an earlier write of this payload landed). */
function landed(document: TargetDocument, fields: Readonly<Record<string, unknown>>): boolean {
  return diffFields(document.snapshot ?? {}, Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined))).length === 0;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

/** Builds the flows in the order they must run: coding values, suppliers, purchase orders, invoices. */
export function createOracleToJaggaerFlows(options: OracleToJaggaerOptions): AnySyncFlow[] {
  const { oracle, jaggaer, store, mappings, logger } = options;
  const policy = options.conflictPolicy ?? 'review';
  const common = { ...(options.lookBackMs !== undefined ? { lookBackMs: options.lookBackMs } : {}), pageSize: options.pageSize ?? 100, ...(options.since ? { since: options.since } : {}) };
  const segments = options.combinationSegments ?? DEFAULT_COMBINATION_SEGMENTS;

  // ── coding values ────────────────────────────────────────────────────────────────────────────────────────────
  const codingDocument = (value: CodingValue): TargetDocument => ({
    id: `${value.segment}/${value.code}`,
    ...(value.lastModified ? { version: value.lastModified } : {}),
    locked: false,
    snapshot: { segment: value.segment, code: value.code, description: value.description, active: value.active },
  });
  const readCodingValue = async (segment: string, code: string, signal: AbortSignal): Promise<TargetDocument | undefined> => {
    for await (const value of jaggaer.codingValues.list({ segment, signal })) {
      if (value.code.toUpperCase() === code.toUpperCase()) return codingDocument(value);
    }
    return undefined;
  };
  const valueFlows = (options.valueSets ?? DEFAULT_VALUE_SETS).map(({ valueSetCode, segment }): SyncFlow<OracleItem<ValueSetValue>, CodingValuePayload> => {
    const name = ORACLE_TO_JAGGAER_FLOWS.values(segment);
    const conflict = { store, flow: name, sourceSystem: 'oracle-fusion' as const, oppositeFlow: JAGGAER_TO_ORACLE_ALIGNMENT_FLOWS.values(segment), policy, logger };
    const target: SyncTarget<CodingValuePayload> = {
      system: 'jaggaer',
      naturalKey: (p) => `${p.segment}/${p.code}`,
      // Only a value that already says what this payload says counts as an earlier attempt that landed.
      async find(p, ctx) {
        const document = await readCodingValue(p.segment, p.code, ctx.signal);
        return document && landed(document, { description: p.description, active: p.active }) ? document : undefined;
      },
      get: (id, ctx) => readCodingValue(id.slice(0, id.indexOf('/')), id.slice(id.indexOf('/') + 1), ctx.signal),
      async create(p, ctx) {
        // Never written by this flow, but JAGGAER may hold the value already (first alignment): the conflict rules apply.
        const existing = await readCodingValue(p.segment, p.code, ctx.signal);
        if (existing && (await resolveConflict(conflict, ctx.identity.id, ctx.identity.version, existing, p)) === 'keep') return { document: keptDocument(existing), unchanged: true };
        const { conflict: _c, ...value } = p;
        await jaggaer.codingValues.upsert([value], { signal: ctx.signal });
        return { document: (await readCodingValue(p.segment, p.code, ctx.signal)) ?? { id: `${p.segment}/${p.code}`, locked: false } };
      },
      update: (_current, p, ctx) => target.create(p, ctx),
      diff: (current, p) => diffFields(current?.snapshot ?? {}, { segment: p.segment, code: p.code, description: p.description, active: p.active }),
    };
    return {
      name,
      source: oracleModifiedSource<ValueSetValue>({
        flow: name,
        stream: `values-${valueSetCode}`,
        resource: oracle.accounts.values(valueSetCode),
        keyAttribute: 'ValueId',
        id: (v) => `${segment}/${v.Value}`,
        businessIds: (v) => [v.Value, `${segment}/${v.Value}`],
        echo: { store, oppositeFlow: JAGGAER_TO_ORACLE_ALIGNMENT_FLOWS.values(segment), oppositeSourceSystem: 'jaggaer' },
        ...common,
      }),
      map: (v) => ({ segment, code: v.Value, ...(text(v.Description) ? { description: v.Description! } : {}), active: v.EnabledFlag !== 'N' }),
      target,
    };
  });

  // ── suppliers ────────────────────────────────────────────────────────────────────────────────────────────────
  const supplierDocument = async (supplierNumber: string, signal: AbortSignal): Promise<TargetDocument | undefined> => {
    try {
      const s = await jaggaer.suppliers.get(supplierNumber, { signal });
      return {
        id: s.supplierNumber ?? supplierNumber,
        ...(s.lastModified ? { version: s.lastModified } : {}),
        locked: false,
        snapshot: { supplierNumber: s.supplierNumber, companyName: s.companyName, status: s.status, duns: s.duns },
      };
    } catch (error) {
      if (isNotFoundError(error)) return undefined;
      throw error;
    }
  };
  const supplierConflict = { store, flow: ORACLE_TO_JAGGAER_FLOWS.suppliers, sourceSystem: 'oracle-fusion' as const, oppositeFlow: JAGGAER_TO_ORACLE_ALIGNMENT_FLOWS.suppliers, policy, logger };
  const suppliersFlow: SyncFlow<OracleItem<Supplier>, SupplierPayload> = {
    name: ORACLE_TO_JAGGAER_FLOWS.suppliers,
    source: oracleModifiedSource<Supplier>({
      flow: ORACLE_TO_JAGGAER_FLOWS.suppliers,
      stream: 'suppliers',
      resource: oracle.suppliers,
      keyAttribute: 'SupplierId',
      // The supplier number is the key both systems share (JAGGAER's extCode).
      id: (s) => s.SupplierNumber,
      businessIds: (s) => [s.SupplierNumber, s.Supplier],
      echo: { store, oppositeFlow: JAGGAER_TO_ORACLE_ALIGNMENT_FLOWS.suppliers, oppositeSourceSystem: 'jaggaer' },
      ...common,
    }),
    map: (s) => ({
      supplierNumber: s.SupplierNumber,
      companyName: s.Supplier,
      status: s.Status === 'INACTIVE' || text(s.InactiveDate) ? 'INACTIVE' : 'ACTIVE',
      ...(text(s.DUNSNumber) ? { duns: s.DUNSNumber! } : {}),
    }),
    target: {
      system: 'jaggaer',
      naturalKey: (p) => p.supplierNumber,
      async find(p, ctx) {
        const document = await supplierDocument(p.supplierNumber, ctx.signal);
        return document && landed(document, { companyName: p.companyName, status: p.status, duns: p.duns }) ? document : undefined;
      },
      get: (id, ctx) => supplierDocument(id, ctx.signal),
      async create(p, ctx) {
        const existing = await supplierDocument(p.supplierNumber, ctx.signal);
        if (existing && (await resolveConflict(supplierConflict, ctx.identity.id, ctx.identity.version, existing, p)) === 'keep') return { document: keptDocument(existing), unchanged: true };
        const { conflict: _c, ...supplier } = p;
        await jaggaer.suppliers.upsert(supplier, { signal: ctx.signal });
        return { document: (await supplierDocument(p.supplierNumber, ctx.signal)) ?? { id: p.supplierNumber, locked: false } };
      },
      update: (_current, p, ctx) => suppliersFlow.target.create(p, ctx),
      diff: (current, p) => diffFields(current?.snapshot ?? {}, { supplierNumber: p.supplierNumber, companyName: p.companyName, status: p.status, duns: p.duns }),
    },
  };

  // ── references shared by POs and invoices ────────────────────────────────────────────────────────────────────
  const supplierResolver = async (keys: readonly string[], ctx: { signal: AbortSignal }) => {
    const out = new Map<string, ReferenceStatus>();
    for (const key of keys) {
      const doc = await supplierDocument(key, ctx.signal);
      const inactive = doc?.snapshot?.status === 'INACTIVE';
      out.set(key, { exists: doc !== undefined, usable: doc !== undefined && !inactive, ...(inactive ? { reason: 'the JAGGAER supplier is inactive' } : {}) });
    }
    return out;
  };
  const codingResolver = async (keys: readonly string[], ctx: { signal: AbortSignal }) => {
    const out = new Map<string, ReferenceStatus>();
    const bySegment = new Map<string, Map<string, CodingValue>>();
    for (const key of keys) {
      const [segment, code] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
      let values = bySegment.get(segment);
      if (!values) {
        values = new Map();
        for await (const value of jaggaer.codingValues.list({ segment, signal: ctx.signal })) values.set(value.code.toUpperCase(), value);
        bySegment.set(segment, values);
      }
      const value = values.get(code.toUpperCase());
      out.set(key, { exists: value !== undefined, usable: value?.active !== false, ...(value?.active === false ? { reason: 'the coding value is inactive in JAGGAER' } : {}) });
    }
    return out;
  };

  // ── purchase orders ──────────────────────────────────────────────────────────────────────────────────────────
  const supplierNumbers = new Map<number, string>();
  const supplierNumberOf = async (po: OracleItem<PurchaseOrder>, signal: AbortSignal): Promise<string> => {
    const id = po.SupplierId;
    if (typeof id !== 'number') throw new DataError('missing-supplier', `purchase order ${po.OrderNumber} has no SupplierId`, { field: 'SupplierId' });
    const known = supplierNumbers.get(id);
    if (known) return known;
    const supplier = await oracle.suppliers.getById(id, { fields: ['SupplierId', 'SupplierNumber', 'Supplier'], signal });
    supplierNumbers.set(id, supplier.SupplierNumber);
    return supplier.SupplierNumber;
  };
  const codingOf = (combination: string | null | undefined, field: string): Record<string, string> => {
    if (!combination) throw new DataError('missing-coding', `${field} has no charge account`, { field });
    const parts = combination.split('.');
    const coding: Record<string, string> = {};
    for (const [segment, position] of Object.entries(segments)) {
      const value = parts[position];
      if (value === undefined || value === '') throw new DataError('invalid-coding', `${field} ${combination} has no segment ${position + 1} for ${segment}`, { field });
      coding[segment] = segment === 'project' ? mappings.lookupString('project', value, { field }) : value;
    }
    return coding;
  };
  const poDocument = async (poNumber: string, signal: AbortSignal): Promise<TargetDocument | undefined> => {
    try {
      const po = await jaggaer.purchaseOrders.get(poNumber, { signal });
      return { id: po.poNumber, ...(po.lastModified ? { version: po.lastModified } : {}), locked: po.status === 'Closed' || po.status === 'Cancelled', lockedReason: `${po.status ?? ''} in JAGGAER`.trim(), snapshot: { ...po, raw: undefined } };
    } catch (error) {
      if (isNotFoundError(error)) return undefined;
      throw error;
    }
  };
  const STATUS: Record<string, PurchaseOrderInput['status']> = { OPEN: 'Open', CLOSED: 'Closed', FINALLY_CLOSED: 'Closed', CANCELED: 'Cancelled', CANCELLED: 'Cancelled' };
  const purchaseOrdersFlow: SyncFlow<OracleItem<PurchaseOrder>, PurchaseOrderInput> = {
    name: ORACLE_TO_JAGGAER_FLOWS.purchaseOrders,
    mappingVersion: mappings.version,
    source: oracleModifiedSource<PurchaseOrder>({
      flow: ORACLE_TO_JAGGAER_FLOWS.purchaseOrders,
      stream: 'purchase-orders',
      resource: oracle.purchaseOrders,
      keyAttribute: 'POHeaderId',
      expand: ['lines', 'lines.schedules', 'lines.schedules.distributions'],
      id: (po) => String(po.POHeaderId),
      // What reaches JAGGAER, not LastUpdateDate: receipts and billing touch the PO without changing it for JAGGAER.
      version: (po) =>
        contentHash({
          n: po.OrderNumber, s: po.SupplierId, st: po.StatusCode ?? po.Status, c: po.Currency, bu: po.ProcurementBU,
          l: (po.lines ?? []).map((l) => [l.LineNumber, l.Description, l.Quantity, l.Price, l.UOM, (l.schedules ?? []).flatMap((s) => (s.distributions ?? []).map((d) => d.POChargeAccount))]),
        }),
      businessIds: (po) => [po.OrderNumber],
      ...common,
    }),
    async map(po, ctx) {
      const supplierNumber = await supplierNumberOf(po, ctx.signal);
      const lines = po.lines ?? [];
      if (lines.length === 0) throw new DataError('no-lines', `purchase order ${po.OrderNumber} has no lines`, { field: 'lines' });
      return {
        poNumber: po.OrderNumber,
        supplierNumber,
        ...(po.ProcurementBU ? { businessUnit: po.ProcurementBU } : {}),
        ...(po.Currency ? { currency: po.Currency } : {}),
        ...(text(po.CreationDate) ? { orderDate: po.CreationDate!.slice(0, 10) } : {}),
        status: STATUS[(po.StatusCode ?? po.Status ?? 'OPEN').toUpperCase()] ?? 'Open',
        lines: lines.map((line, i) => {
          const field = `lines[${i}]`;
          const charge = line.schedules?.[0]?.distributions?.[0]?.POChargeAccount;
          return {
            lineNumber: line.LineNumber,
            description: line.Description ?? `Line ${line.LineNumber}`,
            quantity: line.Quantity ?? 1,
            unitPrice: line.Price ?? line.Amount ?? 0,
            ...(line.UOM ? { unitOfMeasure: mappings.lookupString('unit-of-measure', line.UOM, { field: `${field}.UOM` }) } : {}),
            coding: codingOf(charge, `${field}.schedules[0].distributions[0].POChargeAccount`),
          };
        }),
      };
    },
    target: {
      system: 'jaggaer',
      naturalKey: (p) => p.poNumber,
      references: (p) => [
        { kind: 'supplier', key: p.supplierNumber, field: 'supplierNumber' },
        ...p.lines.flatMap((line, i) => Object.entries(line.coding ?? {}).map(([segment, code]) => ({ kind: 'coding', key: `${segment}/${code}`, field: `lines[${i}].coding.${segment}` }))),
      ],
      resolvers: { supplier: supplierResolver, coding: codingResolver },
      find: (p, ctx) => poDocument(p.poNumber, ctx.signal),
      get: (id, ctx) => poDocument(id, ctx.signal),
      async create(p, ctx) {
        await jaggaer.purchaseOrders.upsert(p, { signal: ctx.signal });
        return { document: (await poDocument(p.poNumber, ctx.signal)) ?? { id: p.poNumber, locked: false } };
      },
      update: (_current, p, ctx) => purchaseOrdersFlow.target.create(p, ctx),
      diff: (current, p) => diffFields(current?.snapshot ?? {}, p),
    },
  };

  // ── invoices ─────────────────────────────────────────────────────────────────────────────────────────────────
  const IMMUTABLE = 'imported into JAGGAER; the public API offers no invoice update, so a change goes to review';
  const invoiceDocument = async (supplierNumber: string, supplierInvoiceNumber: string, signal: AbortSignal): Promise<TargetDocument | undefined> => {
    for await (const invoice of jaggaer.invoices.list({ supplierNumber, signal })) {
      if (invoice.supplierInvoiceNumber === supplierInvoiceNumber) {
        return { id: invoice.invoiceId, ...(invoice.lastUpdate ? { version: invoice.lastUpdate } : {}), locked: true, lockedReason: IMMUTABLE, snapshot: { supplierInvoiceNumber, supplierNumber, total: invoice.total } };
      }
    }
    return undefined;
  };
  const invoicesFlow: SyncFlow<OracleItem<Invoice>, OcrInvoiceImport> = {
    name: ORACLE_TO_JAGGAER_FLOWS.invoices,
    mappingVersion: mappings.version,
    source: oracleModifiedSource<Invoice>({
      flow: ORACLE_TO_JAGGAER_FLOWS.invoices,
      stream: 'invoices',
      resource: oracle.invoices,
      keyAttribute: 'InvoiceId',
      expand: ['invoiceLines'],
      id: (invoice) => String(invoice.InvoiceId),
      // The fields JAGGAER receives: validation, approval or payment in Oracle is not a change for JAGGAER.
      version: (invoice) =>
        contentHash({ n: invoice.InvoiceNumber, s: invoice.SupplierNumber, a: invoice.InvoiceAmount, c: invoice.InvoiceCurrency, d: invoice.InvoiceDate, x: invoice.CanceledFlag, l: (invoice.invoiceLines ?? []).map((l) => [l.LineNumber, l.Description, l.Quantity, l.UnitPrice, l.LineAmount]) }),
      businessIds: (invoice) => [invoice.InvoiceNumber, ...(invoice.SupplierNumber ? [invoice.SupplierNumber] : []), ...new Set((invoice.invoiceLines ?? []).map((l) => l.PurchaseOrderNumber).filter((n): n is string => typeof n === 'string'))],
      ...common,
    }),
    map(invoice) {
      if (invoice.CanceledFlag) throw new DataError('invoice-canceled', `invoice ${invoice.InvoiceNumber} is canceled in Oracle; it is not imported`, { field: 'CanceledFlag' });
      if (!invoice.SupplierNumber) throw new DataError('missing-supplier', `invoice ${invoice.InvoiceNumber} has no SupplierNumber`, { field: 'SupplierNumber' });
      const lines = (invoice.invoiceLines ?? []).filter((l) => l.LineType === undefined || l.LineType === null || l.LineType === 'Item');
      if (lines.length === 0) throw new DataError('no-lines', `invoice ${invoice.InvoiceNumber} has no item lines`, { field: 'invoiceLines' });
      return {
        supplierInvoiceNumber: invoice.InvoiceNumber,
        supplierNumber: invoice.SupplierNumber,
        invoiceType: Number(invoice.InvoiceAmount) < 0 ? 'Credit memo' : 'Invoice',
        ...(invoice.InvoiceDate ? { invoiceDate: invoice.InvoiceDate } : {}),
        ...(invoice.BusinessUnit ? { businessUnit: invoice.BusinessUnit } : {}),
        currency: invoice.InvoiceCurrency,
        lines: lines.map((line) => ({
          lineNumber: line.LineNumber,
          description: line.Description ?? `Line ${line.LineNumber}`,
          quantity: line.Quantity ?? 1,
          unitPrice: line.UnitPrice ?? line.LineAmount,
        })),
      };
    },
    target: {
      system: 'jaggaer',
      naturalKey: (p) => `${p.supplierNumber}/${p.supplierInvoiceNumber}`,
      references: (p) => [{ kind: 'supplier', key: p.supplierNumber, field: 'supplierNumber' }],
      resolvers: { supplier: supplierResolver },
      find: (p, ctx) => invoiceDocument(p.supplierNumber, p.supplierInvoiceNumber, ctx.signal),
      async get(id, ctx) {
        try {
          const invoice = await jaggaer.invoices.get(id, { signal: ctx.signal });
          return { id: invoice.invoiceId, ...(invoice.lastUpdate ? { version: invoice.lastUpdate } : {}), locked: true, lockedReason: IMMUTABLE };
        } catch (error) {
          if (isNotFoundError(error)) return undefined;
          throw error;
        }
      },
      async create(p, ctx) {
        const result = await jaggaer.invoices.importOcr(p, { signal: ctx.signal });
        const document = result.invoiceId ? { id: result.invoiceId, locked: true, lockedReason: IMMUTABLE } : await invoiceDocument(p.supplierNumber, p.supplierInvoiceNumber, ctx.signal);
        return { document: document ?? { id: `${p.supplierNumber}/${p.supplierInvoiceNumber}`, locked: true, lockedReason: IMMUTABLE } };
      },
      update(current) {
        // Unreachable: every imported invoice is locked, so the engine sends a change to review instead.
        return Promise.resolve({ document: current });
      },
      diff: (current, p) => diffFields(current?.snapshot ?? {}, { supplierInvoiceNumber: p.supplierInvoiceNumber, supplierNumber: p.supplierNumber }),
    },
  };

  return [...valueFlows, suppliersFlow, purchaseOrdersFlow, invoicesFlow];
}
