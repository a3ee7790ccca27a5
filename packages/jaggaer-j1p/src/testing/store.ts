import { CatalogItemStore } from './catalog.js';
import { badRequest, conflict, notFound } from './errors.js';
import type {
  CodingAssignment,
  CodingSegment,
  InvoicePaymentStatus,
  InvoiceWorkflowStatus,
  JaggaerCodingValue,
  JaggaerInvoice,
  JaggaerInvoiceLine,
  JaggaerPurchaseOrder,
  JaggaerPurchaseOrderLine,
  JaggaerSeed,
  JaggaerSupplier,
} from './model.js';

/** How a create/update request treats existing records (JAGGAER Advanced `operationCode`). */
export type OperationCode = 'CREATE' | 'UPDATE' | 'CREATEUPDATE';

/** Filters of the invoice list. */
export interface InvoiceQuery {
  /** Exact workflow status, case-insensitive. */
  workflowStatus?: string;
  /** Exact payment status, case-insensitive. */
  paymentStatus?: string;
  /** ERP supplier number. */
  supplierNumber?: string;
  /** Inclusive lower bound of `lastUpdate`, epoch ms. */
  lastUpdateFrom?: number;
  /** Inclusive upper bound of `lastUpdate`, epoch ms. */
  lastUpdateTo?: number;
}

/** Supplier fields a create/update request may carry. */
export interface SupplierInput {
  /** JAGGAER id of the company to update. */
  bravoId?: number;
  /** ERP supplier number (`extCode`), the natural key. */
  supplierNumber?: string;
  /** Company name; required to create. */
  companyName?: string;
  /** ERP number of the parent company; `null` or `''` removes the parent. */
  parentSupplierNumber?: string | null;
  /** Profile status. */
  status?: 'ACTIVE' | 'INACTIVE';
  /** DUNS number (`dAndBCode`). */
  duns?: string;
  /** ISO 3166 alpha-2 country. */
  isoCountry?: string;
  /** City. */
  city?: string;
  /** Tax / fiscal code. */
  fiscalCode?: string;
  /** Business e-mail. */
  bizEmail?: string;
  /** Business phone. */
  bizPhone?: string;
  /** Payment terms code. */
  paymentTermsCode?: string;
  /** Super-user fields to change (`''` clears one). */
  superUser?: { name?: string; surname?: string; email?: string; phone?: string; mobilePhone?: string };
}

/** Purchase-order fields a create/update request carries. */
export interface PurchaseOrderInput {
  /** ERP purchase-order number, the natural key. */
  poNumber: string;
  /** ERP supplier number; must exist. */
  supplierNumber: string;
  /** Business unit internal name; must exist. */
  businessUnit?: string;
  /** ISO currency code. */
  currency?: string;
  /** Order date, ISO date-time. */
  orderDate?: string;
  /** Order status. */
  status?: JaggaerPurchaseOrder['status'];
  /** Lines; replace the stored lines on update. A line without coding keeps the coding of the same line number. */
  lines: (Omit<JaggaerPurchaseOrderLine, 'coding'> & { coding?: CodingAssignment })[];
}

/** Fields an OCR import creates an invoice from. */
export interface OcrInvoiceInput {
  /** The supplier's invoice number; unique per supplier. */
  supplierInvoiceNumber: string;
  /** ERP supplier number; must exist. */
  supplierNumber: string;
  /** Document type. */
  invoiceType?: 'Invoice' | 'Credit memo';
  /** Invoice date, ISO date-time. */
  invoiceDate?: string;
  /** Business unit internal name; must exist. */
  businessUnit?: string;
  /** Payment terms code; its number of days sets the due date. */
  paymentTermsCode?: string;
  /** Free-text notes. */
  notes?: string;
  /** OCR batch id. */
  batchId?: string;
  /** ISO currency code of all lines. */
  currency?: string;
  /** Lines as read by OCR. */
  lines: { lineNumber?: number; description: string; quantity: number; unitPrice: number; unitOfMeasure?: string }[];
}

/** Changes the store's test hook `updateInvoice` may apply. */
export interface InvoicePatch {
  /** New workflow status, e.g. `Approved`. */
  workflowStatus?: InvoiceWorkflowStatus;
  /** New payment status (the hook skips the approval rule of the payment-status route). */
  paymentStatus?: InvoicePaymentStatus;
  /** Payment date, `YYYY-MM-DD`. */
  paymentDate?: string;
  /** Payment reference. */
  paymentReference?: string;
  /** Due date, ISO date-time. */
  dueDate?: string;
  /** Notes. */
  notes?: string;
  /** Header-level coding. */
  headerCoding?: CodingAssignment;
  /** Replacement lines. */
  lines?: JaggaerInvoiceLine[];
}

/** How the invoice list orders and dates its entries (see the sandbox's `invoiceList` option). */
export interface InvoiceListing {
  /** Order of the entries. */
  order: 'invoiceId' | 'lastUpdate' | 'shuffled';
  /** Salt of the `shuffled` order. */
  salt: number;
  /** Precision of `lastUpdate` as listed, ms. */
  timestampPrecisionMs: number;
  /** Precision at which `lastUpdateFrom`/`lastUpdateTo` compare, ms. */
  filterPrecisionMs: number;
}

/** Invoice-id order at millisecond precision, as J1P's public list sample. */
export const DEFAULT_INVOICE_LISTING: Readonly<InvoiceListing> = Object.freeze({
  order: 'invoiceId',
  salt: 0,
  timestampPrecisionMs: 1,
  filterPrecisionMs: 1,
});

/** A stable pseudo-random rank of an id (FNV-1a over its digits). */
function scramble(id: number, salt: number): number {
  let h = (2166136261 ^ salt) >>> 0;
  for (const ch of String(id)) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return h;
}

const compareInvoices = (a: JaggaerInvoice, b: JaggaerInvoice) => a.lastUpdate - b.lastUpdate || a.invoiceId - b.invoiceId;
const normKey = (s: string) => s.trim().toUpperCase();
const DAY = 86_400_000;

/** In-memory state of one sandbox tenant. Mutations stamp records with a strictly increasing clock. */
export class JaggaerStore {
  /** Known business-unit internal names. */
  readonly businessUnits: Set<string>;
  private readonly suppliersByNumber = new Map<string, JaggaerSupplier>();
  private readonly suppliersByBravoId = new Map<number, JaggaerSupplier>();
  private readonly codingValuesByKey = new Map<string, JaggaerCodingValue>();
  private readonly posByNumber = new Map<string, JaggaerPurchaseOrder>();
  /** Catalog items (see `catalog.ts`). */
  readonly catalog: CatalogItemStore;
  private readonly invoicesById = new Map<number, JaggaerInvoice>();
  private readonly supplierInvoiceKeys = new Set<string>();
  /** Invoices sorted by (lastUpdate, invoiceId). */
  private readonly invoiceOrder: JaggaerInvoice[];
  private readonly listCache = new Map<string, JaggaerInvoice[]>();
  private lastStamp = 0;
  private nextBravoId: number;
  private nextInvoiceId: number;
  private nextInvoiceNumber: number;
  private nextLineId: number;
  private nextPoId: number;

  constructor(
    seed: JaggaerSeed,
    private readonly now: () => number,
  ) {
    this.businessUnits = new Set(seed.businessUnits);
    this.catalog = new CatalogItemStore(seed.catalogItems ?? [], (n) => this.supplier(n) !== undefined, now);
    let maxStamp = 0;
    let maxBravo = 1_000_000;
    for (const s of seed.suppliers) {
      this.suppliersByNumber.set(normKey(s.supplierNumber), s);
      this.suppliersByBravoId.set(s.bravoId, s);
      maxStamp = Math.max(maxStamp, s.lastModTime);
      maxBravo = Math.max(maxBravo, s.bravoId);
    }
    for (const c of seed.codingValues) {
      this.codingValuesByKey.set(`${c.segment}:${normKey(c.code)}`, c);
      maxStamp = Math.max(maxStamp, c.lastModTime);
    }
    let maxPo = 700_000;
    for (const p of seed.purchaseOrders) {
      this.posByNumber.set(normKey(p.poNumber), p);
      maxStamp = Math.max(maxStamp, p.lastModTime);
      maxPo = Math.max(maxPo, p.purchaseOrderId);
    }
    let maxInvoiceId = 2_500_000;
    let maxLineId = 9_000_000;
    for (const inv of seed.invoices) {
      this.invoicesById.set(inv.invoiceId, inv);
      this.supplierInvoiceKeys.add(this.supplierInvoiceKey(inv.supplierNumber, inv.supplierInvoiceNumber));
      maxStamp = Math.max(maxStamp, inv.lastUpdate);
      maxInvoiceId = Math.max(maxInvoiceId, inv.invoiceId);
      for (const line of inv.lines) maxLineId = Math.max(maxLineId, line.lineId);
    }
    this.invoiceOrder = [...seed.invoices].sort(compareInvoices);
    this.lastStamp = maxStamp;
    this.nextBravoId = maxBravo + 1;
    this.nextInvoiceId = maxInvoiceId + 1;
    this.nextInvoiceNumber = seed.invoices.length + 1;
    this.nextLineId = maxLineId + 1;
    this.nextPoId = maxPo + 1;
  }

  /**
   * A timestamp for a change: the clock, but never earlier than (or equal to) any existing timestamp, so a poller
   * that remembers the highest `lastUpdate` it saw always sees later changes.
   */
  stamp(): number {
    this.lastStamp = Math.max(this.now(), this.lastStamp + 1);
    return this.lastStamp;
  }

  private supplierInvoiceKey(supplierNumber: string, supplierInvoiceNumber: string): string {
    return `${normKey(supplierNumber)}\u0000${normKey(supplierInvoiceNumber)}`;
  }

  // ---- suppliers -------------------------------------------------------------------------------------------------

  /** All suppliers in `bravoId` order. */
  suppliers(): JaggaerSupplier[] {
    return [...this.suppliersByBravoId.values()].sort((a, b) => a.bravoId - b.bravoId);
  }

  /** One supplier by ERP number. */
  supplier(supplierNumber: string): JaggaerSupplier | undefined {
    return this.suppliersByNumber.get(normKey(supplierNumber));
  }

  /** One supplier by JAGGAER id. */
  supplierByBravoId(bravoId: number): JaggaerSupplier | undefined {
    return this.suppliersByBravoId.get(bravoId);
  }

  /** Creates or updates a supplier according to `operation`; validates the parent reference. */
  upsertSupplier(operation: OperationCode, input: SupplierInput): { supplier: JaggaerSupplier; created: boolean } {
    const byBravo = input.bravoId !== undefined ? this.suppliersByBravoId.get(input.bravoId) : undefined;
    if (input.bravoId !== undefined && !byBravo) throw notFound(`Company with bravoId ${input.bravoId} not found.`);
    const byNumber = input.supplierNumber ? this.supplier(input.supplierNumber) : undefined;
    if (byBravo && byNumber && byBravo !== byNumber) {
      throw conflict(`extCode ${input.supplierNumber} already belongs to company ${byNumber.bravoId}.`);
    }
    const existing = byBravo ?? byNumber;
    if (operation === 'CREATE' && existing) {
      throw conflict(`Company with extCode ${existing.supplierNumber} already exists (bravoId ${existing.bravoId}).`);
    }
    if (operation === 'UPDATE' && !existing) {
      throw notFound(`Company ${input.supplierNumber ?? input.bravoId ?? ''} not found; use operationCode CREATE or CREATEUPDATE.`);
    }
    if (!existing) {
      if (!input.supplierNumber) throw badRequest('companyInfo.extCode is required to create a company.');
      if (!input.companyName) throw badRequest('companyInfo.companyName is required to create a company.');
    }
    const selfNumber = existing?.supplierNumber ?? (input.supplierNumber as string);
    const parent = input.parentSupplierNumber;
    if (parent) {
      const parentRecord = this.supplier(parent);
      if (!parentRecord) throw badRequest(`Parent company ${parent} does not exist; create the parent first.`);
      input = { ...input, parentSupplierNumber: parentRecord.supplierNumber };
      for (let p: JaggaerSupplier | undefined = parentRecord, depth = 0; p && depth < 1000; depth++) {
        if (normKey(p.supplierNumber) === normKey(selfNumber)) {
          throw badRequest(`Parent company ${parent} would make ${selfNumber} its own ancestor.`);
        }
        p = p.parentSupplierNumber ? this.supplier(p.parentSupplierNumber) : undefined;
      }
    }
    const stamp = this.stamp();
    if (existing) {
      if (input.supplierNumber && normKey(input.supplierNumber) !== normKey(existing.supplierNumber)) {
        this.suppliersByNumber.delete(normKey(existing.supplierNumber));
        existing.supplierNumber = input.supplierNumber;
        this.suppliersByNumber.set(normKey(existing.supplierNumber), existing);
      }
      applySupplierFields(existing, input);
      existing.lastModTime = stamp;
      return { supplier: existing, created: false };
    }
    const supplier: JaggaerSupplier = {
      bravoId: this.nextBravoId++,
      supplierNumber: input.supplierNumber as string,
      companyName: input.companyName as string,
      status: 'ACTIVE',
      duns: 'DNP',
      isoCountry: 'US',
      city: '',
      lastModTime: stamp,
    };
    applySupplierFields(supplier, input);
    this.suppliersByNumber.set(normKey(supplier.supplierNumber), supplier);
    this.suppliersByBravoId.set(supplier.bravoId, supplier);
    return { supplier, created: true };
  }

  // ---- coding values ---------------------------------------------------------------------------------------------

  /** All coding values, by segment then code. */
  codingValues(): JaggaerCodingValue[] {
    const order: Record<CodingSegment, number> = { account: 0, department: 1, project: 2 };
    return [...this.codingValuesByKey.values()].sort((a, b) => order[a.segment] - order[b.segment] || a.code.localeCompare(b.code));
  }

  /** One coding value. */
  codingValue(segment: CodingSegment, code: string): JaggaerCodingValue | undefined {
    return this.codingValuesByKey.get(`${segment}:${normKey(code)}`);
  }

  /** Upserts a batch of coding values, all or nothing. */
  upsertCodingValues(
    operation: OperationCode,
    inputs: { segment: CodingSegment; code: string; description?: string; active?: boolean }[],
  ): { created: number; updated: number; unchanged: number } {
    const seen = new Set<string>();
    for (const v of inputs) {
      const key = `${v.segment}:${normKey(v.code)}`;
      if (seen.has(key)) throw badRequest(`Coding value ${v.segment} ${v.code} appears twice in the request.`);
      seen.add(key);
      const existing = this.codingValuesByKey.get(key);
      if (operation === 'CREATE' && existing) throw conflict(`Coding value ${v.segment} ${v.code} already exists.`);
      if (operation === 'UPDATE' && !existing) throw notFound(`Coding value ${v.segment} ${v.code} not found.`);
      if (!existing && !v.description) throw badRequest(`codingValues: description is required to create ${v.segment} ${v.code}.`);
    }
    let created = 0;
    let updated = 0;
    let unchanged = 0;
    for (const v of inputs) {
      const key = `${v.segment}:${normKey(v.code)}`;
      const existing = this.codingValuesByKey.get(key);
      if (existing) {
        const description = v.description ?? existing.description;
        const active = v.active ?? existing.active;
        if (description === existing.description && active === existing.active) {
          unchanged++;
          continue;
        }
        existing.description = description;
        existing.active = active;
        existing.lastModTime = this.stamp();
        updated++;
      } else {
        this.codingValuesByKey.set(key, {
          segment: v.segment,
          code: v.code.trim(),
          description: v.description as string,
          active: v.active ?? true,
          lastModTime: this.stamp(),
        });
        created++;
      }
    }
    return { created, updated, unchanged };
  }

  /** Checks that a coding assignment uses existing, active coding values. */
  checkCoding(where: string, coding: CodingAssignment): void {
    for (const segment of ['account', 'department', 'project'] as const) {
      const value = this.codingValue(segment, coding[segment]);
      if (!value) throw badRequest(`${where}: ${segment} ${coding[segment]} is not a known coding value.`);
      if (!value.active) throw badRequest(`${where}: ${segment} ${coding[segment]} is inactive.`);
    }
  }

  // ---- purchase orders -------------------------------------------------------------------------------------------

  /** All purchase orders by id. */
  purchaseOrders(): JaggaerPurchaseOrder[] {
    return [...this.posByNumber.values()].sort((a, b) => a.purchaseOrderId - b.purchaseOrderId);
  }

  /** One purchase order by number. */
  purchaseOrder(poNumber: string): JaggaerPurchaseOrder | undefined {
    return this.posByNumber.get(normKey(poNumber));
  }

  /** Creates or replaces a purchase order (natural key `poNumber`). */
  upsertPurchaseOrder(operation: OperationCode, input: PurchaseOrderInput): { purchaseOrder: JaggaerPurchaseOrder; created: boolean } {
    const existing = this.purchaseOrder(input.poNumber);
    if (operation === 'CREATE' && existing) throw conflict(`Purchase order ${input.poNumber} already exists.`);
    if (operation === 'UPDATE' && !existing) throw notFound(`Purchase order ${input.poNumber} not found.`);
    if (!this.supplier(input.supplierNumber)) throw badRequest(`purchaseOrder.supplier: supplier ${input.supplierNumber} does not exist.`);
    const businessUnit = input.businessUnit ?? existing?.businessUnit ?? [...this.businessUnits][0] ?? 'US01';
    if (!this.businessUnits.has(businessUnit)) throw badRequest(`purchaseOrder.businessUnit: ${businessUnit} is not a business unit.`);
    const numbers = new Set<number>();
    const lines = input.lines.map((line, i) => {
      if (numbers.has(line.lineNumber)) throw badRequest(`purchaseOrder.lineList: line number ${line.lineNumber} appears twice.`);
      numbers.add(line.lineNumber);
      const coding = line.coding ?? existing?.lines.find((l) => l.lineNumber === line.lineNumber)?.coding;
      if (!coding) throw badRequest(`purchaseOrder.lineList.poLine[${i}]: coding (account, department, project) is required.`);
      this.checkCoding(`purchaseOrder.lineList.poLine[${i}]`, coding);
      return { ...line, unitOfMeasure: line.unitOfMeasure || 'EA', coding: { ...coding } };
    });
    const stamp = this.stamp();
    if (existing) {
      existing.supplierNumber = this.supplier(input.supplierNumber)?.supplierNumber ?? input.supplierNumber;
      existing.businessUnit = businessUnit;
      existing.currency = input.currency ?? existing.currency;
      existing.orderDate = input.orderDate ?? existing.orderDate;
      existing.status = input.status ?? existing.status;
      existing.lines = lines;
      existing.lastModTime = stamp;
      return { purchaseOrder: existing, created: false };
    }
    const po: JaggaerPurchaseOrder = {
      purchaseOrderId: this.nextPoId++,
      poNumber: input.poNumber.trim(),
      supplierNumber: this.supplier(input.supplierNumber)?.supplierNumber ?? input.supplierNumber,
      businessUnit,
      currency: input.currency ?? 'USD',
      orderDate: input.orderDate ?? new Date(Math.floor(stamp / DAY) * DAY).toISOString(),
      status: input.status ?? 'Open',
      lines,
      lastModTime: stamp,
    };
    this.posByNumber.set(normKey(po.poNumber), po);
    return { purchaseOrder: po, created: true };
  }

  // ---- invoices --------------------------------------------------------------------------------------------------

  /** Number of invoices. */
  get invoiceCount(): number {
    return this.invoicesById.size;
  }

  /** All invoices in (lastUpdate, invoiceId) order. */
  invoicesInOrder(): readonly JaggaerInvoice[] {
    return this.invoiceOrder;
  }

  /** One invoice by id. */
  invoice(invoiceId: number): JaggaerInvoice | undefined {
    return this.invoicesById.get(invoiceId);
  }

  /**
   * Invoices matching `query` in the listing's order. `lastUpdate` is compared as the listing shows it (cut to
   * `timestampPrecisionMs`), and the bounds are cut to `filterPrecisionMs` first, as a date-typed filter would.
   * Results are cached until the next change.
   */
  queryInvoices(query: InvoiceQuery, listing: InvoiceListing = DEFAULT_INVOICE_LISTING): readonly JaggaerInvoice[] {
    const key = JSON.stringify([query, listing]);
    const cached = this.listCache.get(key);
    if (cached) return cached;
    const cut = (ms: number, precision: number) => Math.floor(ms / precision) * precision;
    const shown = (inv: JaggaerInvoice) => cut(inv.lastUpdate, listing.timestampPrecisionMs);
    const from = query.lastUpdateFrom === undefined ? undefined : cut(query.lastUpdateFrom, listing.filterPrecisionMs);
    const to = query.lastUpdateTo === undefined ? undefined : cut(query.lastUpdateTo, listing.filterPrecisionMs);
    const status = query.workflowStatus?.toLowerCase();
    const payment = query.paymentStatus?.toLowerCase();
    const supplier = query.supplierNumber ? normKey(query.supplierNumber) : undefined;
    const result: JaggaerInvoice[] = [];
    for (const inv of this.invoicesById.values()) {
      const at = cut(shown(inv), listing.filterPrecisionMs);
      if (from !== undefined && at < from) continue;
      if (to !== undefined && at > to) continue;
      if (status && inv.workflowStatus.toLowerCase() !== status) continue;
      if (payment && inv.paymentStatus.toLowerCase() !== payment) continue;
      if (supplier && normKey(inv.supplierNumber) !== supplier) continue;
      result.push(inv);
    }
    const byId = (a: JaggaerInvoice, b: JaggaerInvoice) => a.invoiceId - b.invoiceId;
    if (listing.order === 'lastUpdate') result.sort((a, b) => shown(a) - shown(b) || byId(a, b));
    else if (listing.order === 'shuffled') result.sort((a, b) => scramble(a.invoiceId, listing.salt) - scramble(b.invoiceId, listing.salt) || byId(a, b));
    else result.sort(byId);
    if (this.listCache.size >= 16) this.listCache.delete(this.listCache.keys().next().value as string);
    this.listCache.set(key, result);
    return result;
  }

  /** Re-stamps an invoice after `mutate` and moves it to the end of the update order. */
  private touchInvoice(invoice: JaggaerInvoice, mutate: () => void): void {
    const index = this.indexOfInvoice(invoice);
    mutate();
    invoice.lastUpdate = this.stamp();
    if (index >= 0) this.invoiceOrder.splice(index, 1);
    this.invoiceOrder.push(invoice);
    this.listCache.clear();
  }

  private indexOfInvoice(invoice: JaggaerInvoice): number {
    const order = this.invoiceOrder;
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareInvoices(order[mid] as JaggaerInvoice, invoice) < 0) lo = mid + 1;
      else hi = mid;
    }
    return order[lo] === invoice ? lo : order.indexOf(invoice);
  }

  /** Creates an invoice from an OCR import; `supplierInvoiceNumber` must be unique per supplier. */
  importInvoice(input: OcrInvoiceInput): JaggaerInvoice {
    const supplier = this.supplier(input.supplierNumber);
    if (!supplier) throw badRequest(`invoiceOcrHeader.supplier: supplier ${input.supplierNumber} does not exist.`);
    const businessUnit = input.businessUnit ?? [...this.businessUnits][0] ?? 'US01';
    if (!this.businessUnits.has(businessUnit)) throw badRequest(`invoiceOcrHeader.businessUnit: ${businessUnit} is not a business unit.`);
    const key = this.supplierInvoiceKey(supplier.supplierNumber, input.supplierInvoiceNumber);
    if (this.supplierInvoiceKeys.has(key)) {
      throw conflict(`Supplier invoice number ${input.supplierInvoiceNumber} already exists for supplier ${supplier.supplierNumber}.`);
    }
    const stamp = this.stamp();
    const invoiceDate = input.invoiceDate ?? new Date(Math.floor(stamp / DAY) * DAY).toISOString();
    const termsDays = /(\d+)/.exec(input.paymentTermsCode ?? 'Net 30')?.[1];
    const due = new Date(Date.parse(invoiceDate) + Number(termsDays ?? 30) * DAY).toISOString();
    const n = this.nextInvoiceNumber++;
    const invoice: JaggaerInvoice = {
      invoiceId: this.nextInvoiceId++,
      invoiceNumber: `INV-${String(n).padStart(7, '0')}`,
      supplierInvoiceNumber: input.supplierInvoiceNumber.trim(),
      supplierNumber: supplier.supplierNumber,
      invoiceType: input.invoiceType ?? 'Invoice',
      invoiceSource: 'OCR',
      invoiceDate,
      dueDate: due,
      paymentTermsCode: input.paymentTermsCode ?? 'Net 30',
      businessUnit,
      currency: input.currency ?? 'USD',
      workflowStatus: 'Pending Approval',
      paymentStatus: 'Unpaid',
      lines: input.lines.map((line, i) => ({
        lineId: this.nextLineId++,
        lineNumber: line.lineNumber ?? i + 1,
        description: line.description,
        quantity: line.quantity,
        unitPrice: line.unitPrice,
        unitOfMeasure: line.unitOfMeasure || 'EA',
      })),
      lastUpdate: stamp,
    };
    if (input.notes !== undefined) invoice.notes = input.notes;
    if (input.batchId !== undefined) invoice.batchId = input.batchId;
    this.invoicesById.set(invoice.invoiceId, invoice);
    this.supplierInvoiceKeys.add(key);
    this.invoiceOrder.push(invoice);
    this.listCache.clear();
    return invoice;
  }

  /** Sets the payment status; `Paid`/`Partially Paid` need an approved invoice. Unchanged values do not re-stamp. */
  setPaymentStatus(
    invoiceId: number,
    update: { paymentStatus: InvoicePaymentStatus; paymentDate?: string; paymentReference?: string },
  ): { invoice: JaggaerInvoice; changed: boolean } {
    const invoice = this.invoice(invoiceId);
    if (!invoice) throw notFound(`Invoice ${invoiceId} not found.`);
    if ((update.paymentStatus === 'Paid' || update.paymentStatus === 'Partially Paid') && !['Approved', 'Completed'].includes(invoice.workflowStatus)) {
      throw conflict(`Invoice ${invoiceId} is ${invoice.workflowStatus}; only approved invoices can be marked ${update.paymentStatus}.`);
    }
    const changed =
      invoice.paymentStatus !== update.paymentStatus ||
      (update.paymentDate !== undefined && update.paymentDate !== invoice.paymentDate) ||
      (update.paymentReference !== undefined && update.paymentReference !== invoice.paymentReference);
    if (changed) {
      this.touchInvoice(invoice, () => {
        invoice.paymentStatus = update.paymentStatus;
        if (update.paymentDate !== undefined) invoice.paymentDate = update.paymentDate;
        if (update.paymentReference !== undefined) invoice.paymentReference = update.paymentReference;
      });
    }
    return { invoice, changed };
  }

  /** Test hook: applies `patch` and re-stamps `lastUpdate` (always, even for an empty patch). */
  updateInvoice(invoiceId: number, patch: InvoicePatch): JaggaerInvoice {
    const invoice = this.invoice(invoiceId);
    if (!invoice) throw notFound(`Invoice ${invoiceId} not found.`);
    this.touchInvoice(invoice, () => {
      const { lines, headerCoding, ...rest } = patch;
      Object.assign(invoice, rest);
      if (headerCoding) invoice.headerCoding = { ...headerCoding };
      if (lines) invoice.lines = structuredClone(lines);
    });
    return invoice;
  }
}

function applySupplierFields(target: JaggaerSupplier, input: SupplierInput): void {
  if (input.companyName !== undefined) target.companyName = input.companyName;
  if (input.status !== undefined) target.status = input.status;
  if (input.duns !== undefined) target.duns = input.duns;
  if (input.isoCountry !== undefined) target.isoCountry = input.isoCountry;
  if (input.city !== undefined) target.city = input.city;
  if (input.fiscalCode !== undefined) target.fiscalCode = input.fiscalCode;
  if (input.bizEmail !== undefined) target.bizEmail = input.bizEmail;
  if (input.bizPhone !== undefined) target.bizPhone = input.bizPhone;
  if (input.paymentTermsCode !== undefined) target.paymentTermsCode = input.paymentTermsCode;
  if (input.superUser) {
    const user: Record<string, string | undefined> = { ...target.superUser };
    for (const [key, value] of Object.entries(input.superUser)) {
      if (value === undefined) continue;
      if (value === '') delete user[key];
      else user[key] = value;
    }
    target.superUser = user;
  }
  if (input.parentSupplierNumber === null || input.parentSupplierNumber === '') delete target.parentSupplierNumber;
  else if (input.parentSupplierNumber !== undefined) target.parentSupplierNumber = input.parentSupplierNumber;
}
