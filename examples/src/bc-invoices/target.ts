import { businessCentralReferenceResolvers, decodeEnumMember, vendorReferenceStatus, type BusinessCentralCompany, type PurchaseInvoice, type PurchaseInvoiceLineCreate } from '@ml-connector/business-central';
import { chunkedKeyFilters, rawFilter } from '@ml-connector/core';
import { DataError, contentHash, diffFields, type FieldChange, type ReadContext, type ReferenceRef, type ReferenceResolver, type ReferenceStatus, type SyncStore, type SyncTarget, type TargetDocument, type WriteResult } from '@ml-connector/core/sync';
import type { InvoiceDraft, InvoiceDraftLine } from './mapper.ts';

/** Options of {@link createPurchaseInvoiceTarget}. */
export interface PurchaseInvoiceTargetOptions {
  readonly company: BusinessCentralCompany;
  /** The engine's store and flow name: the duplicate check asks the ledger whether a found invoice is ours. */
  readonly store: SyncStore;
  readonly flow: string;
  readonly sourceSystem: string;
  /**
   * Codes of the company's global dimensions 1 and 2 (General Ledger Setup), the ones behind the header's
   * `shortcutDimension1Code`/`2Code`; `undefined` for one the company does not use. The API v2.0 does not expose
   * the General Ledger Setup, so this is configuration. @default ['DEPARTMENT', 'PROJECT'] (the CRONUS companies)
   */
  readonly globalDimensionCodes?: readonly [string | undefined, string | undefined];
  /**
   * The header's value of a global dimension the vendor has a default for, when every line of the invoice names one
   * other value: `'follow-lines'` puts that value on the header (one request per invoice); `'vendor-defaults'` keeps
   * the vendor's default on the header (two requests: the insert with the header dimension cleared, then the
   * default put back). A default whose posting validation is `Same Code` is always kept. @default 'follow-lines'
   */
  readonly headerDimensions?: 'follow-lines' | 'vendor-defaults';
  /** Clock, epoch ms (how long refused references are remembered). @default Date.now */
  readonly now?: () => number;
}

/** One dimension set line as the flow writes it. */
interface DimensionInput {
  code: string;
  valueCode: string;
}

/** Dimension code → value code of a vendor's default dimensions (BC copies them onto each new document). */
type DefaultDimensions = ReadonlyMap<string, string>;

/** Codes of global dimensions 1 and 2; `undefined` for one the company does not use. */
type GlobalCodes = readonly [string | undefined, string | undefined];

/** The draft's shape as compared for dry-run diffs and updates: header fields and lines with dimensions. */
interface ComparableInvoice {
  vendorNumber: string;
  vendorInvoiceNumber: string;
  invoiceDate?: string;
  dueDate?: string;
  currencyCode: string;
  /** The header's global dimensions (code → value, `''` for none), when known. */
  headerDimensions?: Record<string, string>;
  lines: {
    accountNumber: string;
    description: string;
    description2?: string;
    quantity: number;
    unitCost: number;
    unitOfMeasureCode?: string;
    dimensions: Record<string, string>;
  }[];
}

const LINE_EXPAND = { purchaseInvoiceLines: { expand: ['dimensionSetLines'] } } as const;
const HEADER_KEYS = ['vendorNumber', 'vendorInvoiceNumber', 'invoiceDate', 'dueDate', 'currencyCode'] as const;

/** Natural key of a draft in Business Central: vendor number + vendor invoice number. */
export const invoiceNaturalKey = (draft: Pick<InvoiceDraft, 'vendorNumber' | 'vendorInvoiceNumber'>): string =>
  `${draft.vendorNumber}/${draft.vendorInvoiceNumber}`;

/** Code → value of the header's global dimensions 1 and 2 (its shortcut dimension fields), for the codes in use. */
function headerDimensionsOf(invoice: PurchaseInvoice, globalCodes: GlobalCodes): Record<string, string> {
  const out: Record<string, string> = {};
  globalCodes.forEach((code, index) => {
    if (code !== undefined) out[code] = String(invoice[index === 0 ? 'shortcutDimension1Code' : 'shortcutDimension2Code'] ?? '');
  });
  return out;
}

function comparable(invoice: PurchaseInvoice, defaults: DefaultDimensions | undefined, globalCodes: GlobalCodes): ComparableInvoice {
  const lines = (invoice.purchaseInvoiceLines ?? [])
    .slice()
    .sort((a, b) => Number(a['sequence'] ?? 0) - Number(b['sequence'] ?? 0))
    .map((line) => {
      const dimensions: Record<string, string> = {};
      for (const dim of line.dimensionSetLines ?? []) dimensions[dim.code] = dim.valueCode ?? '';
      // Vendor defaults the source does not name are inherited, not written by us: leave them out of the diff.
      for (const [code, value] of defaults ?? []) if (dimensions[code] === value) delete dimensions[code];
      return {
        accountNumber: line.lineObjectNumber ?? '',
        description: line.description ?? '',
        ...(line.description2 ? { description2: line.description2 } : {}),
        quantity: line.quantity ?? 0,
        unitCost: line.unitCost ?? 0,
        ...(line.unitOfMeasureCode ? { unitOfMeasureCode: line.unitOfMeasureCode } : {}),
        dimensions,
      };
    });
  return {
    vendorNumber: invoice.vendorNumber ?? '',
    vendorInvoiceNumber: invoice.vendorInvoiceNumber ?? '',
    ...(invoice.invoiceDate ? { invoiceDate: invoice.invoiceDate } : {}),
    ...(invoice.dueDate ? { dueDate: invoice.dueDate } : {}),
    // Business Central reads the local currency back as its code with an empty currencyId; the draft says ''.
    currencyCode: !invoice.currencyId || /^0{8}-0{4}-0{4}-0{4}-0{12}$/.test(invoice.currencyId) ? '' : (invoice.currencyCode ?? ''),
    // Only when the vendor's defaults are known: without them, what the header should hold cannot be told.
    ...(defaults ? { headerDimensions: headerDimensionsOf(invoice, globalCodes) } : {}),
    lines,
  };
}

/** How the header's global dimensions are planned: the company's codes, the header policy, the vendor's `Same Code` defaults. */
interface HeaderRules {
  readonly globalCodes: GlobalCodes;
  readonly followLines: boolean;
  readonly sameCode: ReadonlySet<string>;
}

function desired(draft: InvoiceDraft, defaults: DefaultDimensions | undefined, rules: HeaderRules): ComparableInvoice {
  return {
    vendorNumber: draft.vendorNumber,
    vendorInvoiceNumber: draft.vendorInvoiceNumber,
    ...(draft.invoiceDate ? { invoiceDate: draft.invoiceDate } : {}),
    ...(draft.dueDate ? { dueDate: draft.dueDate } : {}),
    currencyCode: draft.currencyCode,
    ...(defaults ? { headerDimensions: plannedHeaderDimensions(draft, defaults, rules) } : {}),
    lines: draft.lines.map((line) => {
      const dimensions = { ...line.dimensions };
      for (const [code, value] of defaults ?? []) if (dimensions[code] === value) delete dimensions[code];
      return { ...line, dimensions };
    }),
  };
}

function toDocument(invoice: PurchaseInvoice, defaults: DefaultDimensions | undefined, globalCodes: GlobalCodes): TargetDocument {
  const status = String(invoice.status);
  return {
    id: invoice.id,
    ...(invoice.etag ? { version: invoice.etag } : {}),
    locked: status !== 'Draft',
    ...(status !== 'Draft' ? { lockedReason: `${status === 'Open' || status === 'Paid' ? 'posted' : status} (status ${status}, number ${invoice.number})` } : {}),
    snapshot: { number: invoice.number, status, ...comparable(invoice, defaults, globalCodes) },
  };
}

/**
 * What the header of a new invoice says about the global dimensions, and what each new line then inherits.
 * Business Central copies the vendor's default dimensions onto the header and the header's dimension set onto each
 * new line (`Purchase Line`.`CreateDim`), and refuses a line dimension set line that is already there
 * (`APIV2 - Dimension Set Lines`, RecordAlreadyExistErr), so a line value that differs from an inherited one would
 * need a PATCH after the insert. The header's `shortcutDimension1Code`/`2Code` are validated before the lines are
 * inserted (`PurchInvAggregator.PropagateOnInsert`, then `ValidateShortcutDimCode`) and so decide what the lines
 * inherit: when every line names one value, the header takes it; when lines differ, the header's value is cleared
 * (each line inserts its own) and the vendor's default is put back on the header afterwards with one header
 * dimension set line, which Business Central does not copy onto existing lines (`SaveDimensions` sets the
 * header's Dimension Set ID directly). Dimensions other than global 1 and 2 still take the PATCH path.
 */
function planHeader(
  draft: InvoiceDraft,
  defaults: DefaultDimensions,
  { sameCode, globalCodes, followLines }: HeaderRules,
): { header: Record<string, string>; restore: DimensionInput[]; inherited: Map<string, string> } {
  const header: Record<string, string> = {};
  const restore: DimensionInput[] = [];
  const inherited = new Map(defaults);
  globalCodes.forEach((code, index) => {
    const vendorValue = code === undefined ? undefined : defaults.get(code);
    if (code === undefined || vendorValue === undefined) return;
    const wanted = draft.lines.map((line) => line.dimensions[code] ?? vendorValue);
    if (wanted.every((value) => value === vendorValue)) return;
    const field = index === 0 ? 'shortcutDimension1Code' : 'shortcutDimension2Code';
    const only = wanted[0] as string;
    if (followLines && !sameCode.has(code) && wanted.every((value) => value === only)) {
      header[field] = only;
      inherited.set(code, only);
    } else {
      header[field] = '';
      inherited.delete(code);
      restore.push({ code, valueCode: vendorValue });
    }
  });
  return { header, restore, inherited };
}

/** What the header's global dimensions hold once a new invoice is written as {@link planHeader} plans it. */
function plannedHeaderDimensions(draft: InvoiceDraft, defaults: DefaultDimensions, rules: HeaderRules): Record<string, string> {
  const plan = planHeader(draft, defaults, rules);
  const out: Record<string, string> = {};
  rules.globalCodes.forEach((code, index) => {
    if (code === undefined) return;
    const restored = plan.restore.find((dimension) => dimension.code === code)?.valueCode;
    out[code] = restored ?? plan.header[index === 0 ? 'shortcutDimension1Code' : 'shortcutDimension2Code'] ?? defaults.get(code) ?? '';
  });
  return out;
}

/**
 * Splits what a line must end with (its own dimensions over the vendor's defaults) into what the insert carries
 * (dimensions the line does not inherit) and what must be changed afterwards (inherited with another value).
 */
function splitDimensions(line: InvoiceDraftLine, defaults: DefaultDimensions, inherited: ReadonlyMap<string, string>) {
  const insert: DimensionInput[] = [];
  const fix: DimensionInput[] = [];
  const wanted = new Map(defaults);
  for (const [code, valueCode] of Object.entries(line.dimensions)) wanted.set(code, valueCode);
  for (const [code, valueCode] of wanted) {
    const has = inherited.get(code);
    if (has === undefined) insert.push({ code, valueCode });
    else if (has !== valueCode) fix.push({ code, valueCode });
  }
  return { insert, fix };
}

function lineBody(line: InvoiceDraftLine, sequence: number, dimensionSetLines: DimensionInput[]): PurchaseInvoiceLineCreate {
  return {
    sequence,
    lineType: 'Account',
    lineObjectNumber: line.accountNumber,
    description: line.description,
    ...(line.description2 ? { description2: line.description2 } : {}),
    quantity: line.quantity,
    unitCost: line.unitCost,
    ...(line.unitOfMeasureCode ? { unitOfMeasureCode: line.unitOfMeasureCode } : {}),
    ...(dimensionSetLines.length > 0 ? { dimensionSetLines } : {}),
  } as PurchaseInvoiceLineCreate;
}

const usable: ReferenceStatus = { exists: true, usable: true };

/** How long a reference found missing or unusable is answered from memory. */
const REFUSAL_TTL_MS = 60_000;

/**
 * Remembers the keys a resolver found missing or unusable for {@link REFUSAL_TTL_MS}: the engine keeps only usable
 * references between pages, so a blocked vendor or an unknown account would otherwise cost a lookup on every page of
 * the run. A minute later they are asked again, so a fix made in Business Central during a long run is seen.
 */
function rememberRefusals(resolver: ReferenceResolver, now: () => number): ReferenceResolver {
  const refused = new Map<string, { status: ReferenceStatus; at: number }>();
  return async (keys, context) => {
    const t = now();
    const out = new Map<string, ReferenceStatus>();
    const ask: string[] = [];
    for (const key of keys) {
      const hit = refused.get(key);
      if (hit && t - hit.at < REFUSAL_TTL_MS) out.set(key, hit.status);
      else ask.push(key);
    }
    if (ask.length === 0) return out;
    for (const [key, status] of await resolver(ask, context)) {
      out.set(key, status);
      if (status.exists && status.usable) refused.delete(key);
      else refused.set(key, { status, at: t });
    }
    return out;
  };
}

/**
 * Business Central draft purchase invoices as a sync target: one deep-insert POST per invoice (header, lines,
 * line dimension set lines), `find` by vendor + `vendorInvoiceNumber`, updates of drafts with the ETag, posted
 * invoices locked, and batched reference resolvers (vendors with their default dimensions, G/L accounts,
 * dimension values, currencies, and a duplicate check against invoices this flow did not write).
 */
export function createPurchaseInvoiceTarget(options: PurchaseInvoiceTargetOptions): SyncTarget<InvoiceDraft> {
  const { company, store } = options;
  const globalCodes: GlobalCodes = options.globalDimensionCodes ?? ['DEPARTMENT', 'PROJECT'];
  const followLines = (options.headerDimensions ?? 'follow-lines') === 'follow-lines';
  const defaultsByVendor = new Map<string, DefaultDimensions>();
  /** Default dimensions whose posting validation is `Same Code`: the header must keep the vendor's value. */
  const sameCodeByVendor = new Map<string, Set<string>>();
  const sourceIdsByKey = new Map<string, string>();
  const rulesFor = (vendorNumber: string): HeaderRules => ({ globalCodes, followLines, sameCode: sameCodeByVendor.get(vendorNumber) ?? new Set() });

  /**
   * Lists an entity set for many keys with `or` chains within Business Central's URL limit and its 100-node $filter
   * limit (MaxNodeCount: 20 terms), the chunks at once: the page's writes wait for this preflight.
   */
  async function lookUp<T>(field: string, keys: readonly string[], list: (filter: string) => AsyncIterable<T>): Promise<T[]> {
    const chunks = [...chunkedKeyFilters(field, keys, { baseUrlLength: 400, maxValuesPerChunk: 20 })];
    const pages = await Promise.all(
      chunks.map(async (filter) => {
        const rows: T[] = [];
        for await (const row of list(filter)) rows.push(row);
        return rows;
      }),
    );
    return pages.flat();
  }

  async function vendorDefaults(vendorNumber: string, context: ReadContext): Promise<DefaultDimensions> {
    const cached = defaultsByVendor.get(vendorNumber);
    if (cached) return cached;
    await vendorResolver([vendorNumber], context);
    return defaultsByVendor.get(vendorNumber) ?? new Map();
  }

  /** Vendors with their default dimensions (`$expand`), one request per 20 numbers: the dimensions each new document inherits. */
  const vendorResolver: ReferenceResolver = async (keys, context) => {
      const rows = await lookUp('number', keys, (filter) =>
        company.vendors.list({ filter: rawFilter(filter), expand: ['defaultDimensions'], signal: context.signal } as never),
      );
      const out = new Map<string, ReferenceStatus>();
      for (const vendor of rows) {
        const defaults = new Map<string, string>();
        const sameCode = new Set<string>();
        for (const dim of (vendor['defaultDimensions'] as { dimensionCode?: string; dimensionValueCode?: string; postingValidation?: string }[] | undefined) ?? []) {
          if (dim.dimensionCode && dim.dimensionValueCode) defaults.set(dim.dimensionCode, dim.dimensionValueCode);
          if (dim.dimensionCode && decodeEnumMember(String(dim.postingValidation ?? '')) === 'Same Code') sameCode.add(dim.dimensionCode);
        }
        defaultsByVendor.set(vendor.number, defaults);
        sameCodeByVendor.set(vendor.number, sameCode);
        out.set(vendor.number, vendorReferenceStatus(vendor, { use: 'purchase' }));
      }
      return out;
    };

  const now = options.now ?? Date.now;
  const bcResolvers = businessCentralReferenceResolvers(company, { vendorUse: 'purchase' });
  const resolvers: Record<string, ReferenceResolver> = {
    vendor: rememberRefusals(vendorResolver, now),
    account: rememberRefusals(bcResolvers.account, now),
    dimensionValue: rememberRefusals(bcResolvers.dimensionValue, now),
    currency: rememberRefusals(bcResolvers.currency, now),
    /**
     * An invoice with the same vendor and vendor invoice number already in Business Central that this flow's
     * ledger does not know (entered by hand, or by another tool) must not get a twin: it is refused as a duplicate.
     * Records with a ledger entry pass; the engine's own lookup adopts what an interrupted attempt wrote.
     */
    async 'duplicate-invoice'(keys, context) {
      const numbers = keys.map((key) => key.slice(key.indexOf('/') + 1));
      const rows = await lookUp('vendorInvoiceNumber', numbers, (filter) =>
        company.purchaseInvoices.list({ filter: rawFilter(filter), select: ['id', 'number', 'vendorNumber', 'vendorInvoiceNumber'], signal: context.signal } as never),
      );
      const out = new Map<string, ReferenceStatus>();
      for (const key of keys) {
        const twin = rows.find((row) => invoiceNaturalKey({ vendorNumber: row.vendorNumber ?? '', vendorInvoiceNumber: row.vendorInvoiceNumber ?? '' }) === key);
        const sourceId = sourceIdsByKey.get(key);
        if (!twin || sourceId === undefined) {
          out.set(key, usable);
          continue;
        }
        const entry = await store.getLedgerEntry({ flow: options.flow, sourceSystem: options.sourceSystem, sourceId });
        out.set(
          key,
          entry && entry.state !== 'pending'
            ? usable
            : { exists: true, usable: false, reason: `Business Central already has invoice ${twin.number} (${twin.id}) with this vendor and vendor invoice number, not written by this flow` },
        );
      }
      return out;
    },
  };

  async function readInvoice(id: string, context: ReadContext): Promise<PurchaseInvoice | undefined> {
    try {
      return await company.purchaseInvoices.get(id, { expand: LINE_EXPAND, signal: context.signal } as never);
    } catch (error) {
      if ((error as { status?: number }).status === 404) return undefined;
      throw error;
    }
  }

  const dimensionIds = new Map<string, string>();

  /**
   * Sets the line dimensions that differ from inherited ones (see {@link splitDimensions}): one list of the lines,
   * then one PATCH per dimension, addressed by the dimension's id (`If-Match: *`: the line was written by this
   * write a moment ago). No request when nothing differs. Returns whether anything was written.
   */
  async function fixLineDimensions(invoiceId: string, fixes: readonly DimensionInput[][], context: ReadContext): Promise<boolean> {
    if (fixes.every((fix) => fix.length === 0)) return false;
    const unknown = [...new Set(fixes.flat().map((fix) => fix.code))].filter((code) => !dimensionIds.has(code));
    if (unknown.length > 0) {
      for (const [code, dimension] of await company.dimensions.findByCodes(unknown, { signal: context.signal })) dimensionIds.set(code, dimension.id);
    }
    const lines = await company.purchaseInvoices.lines(invoiceId).list({ signal: context.signal } as never).toArray({ limit: 10_000 });
    lines.sort((a, b) => Number(a['sequence'] ?? 0) - Number(b['sequence'] ?? 0));
    for (const [index, fix] of fixes.entries()) {
      const line = lines[index];
      if (!line) continue;
      const dimensionSetLines = company.purchaseInvoices.lines(invoiceId).dimensionSetLines(line.id);
      for (const dimension of fix) {
        const id = dimensionIds.get(dimension.code);
        if (id) await dimensionSetLines.update(id, { valueCode: dimension.valueCode }, { etag: '*', signal: context.signal });
        else await dimensionSetLines.upsert(dimension, { signal: context.signal });
      }
    }
    return true;
  }

  /** The snapshot of what was written; without a version when later requests changed the invoice after the one that returned it. */
  function written(invoice: PurchaseInvoice, defaults: DefaultDimensions, changedSince: boolean): WriteResult {
    const document = toDocument({ ...invoice, purchaseInvoiceLines: invoice.purchaseInvoiceLines ?? [] } as PurchaseInvoice, defaults, globalCodes);
    if (!changedSince) return { document };
    const { version: _stale, ...rest } = document;
    return { document: rest };
  }

  return {
    system: 'business-central',
    naturalKey: invoiceNaturalKey,
    references(draft): ReferenceRef[] {
      const key = invoiceNaturalKey(draft);
      sourceIdsByKey.set(key, draft.sourceId);
      const refs: ReferenceRef[] = [
        { kind: 'vendor', key: draft.vendorNumber, field: 'vendorNumber' },
        { kind: 'duplicate-invoice', key, field: 'vendorInvoiceNumber' },
      ];
      if (draft.currencyCode) refs.push({ kind: 'currency', key: draft.currencyCode, field: 'currencyCode' });
      draft.lines.forEach((line, index) => {
        refs.push({ kind: 'account', key: line.accountNumber, field: `lines[${index}].accountNumber` });
        for (const [code, value] of Object.entries(line.dimensions)) refs.push({ kind: 'dimensionValue', key: `${code}/${value}`, field: `lines[${index}].dimensions.${code}` });
      });
      return refs;
    },
    resolvers,
    async find(draft, context) {
      const [found] = await company.purchaseInvoices.findByVendorInvoiceNumber(draft.vendorInvoiceNumber, {
        vendorNumber: draft.vendorNumber,
        expand: LINE_EXPAND,
        signal: context.signal,
      } as never);
      return found ? toDocument(found, await vendorDefaults(draft.vendorNumber, context), globalCodes) : undefined;
    },
    async get(targetId, context) {
      const invoice = await readInvoice(targetId, context);
      if (!invoice) return undefined;
      return toDocument(invoice, invoice.vendorNumber ? await vendorDefaults(invoice.vendorNumber, context) : undefined, globalCodes);
    },
    async create(draft, context) {
      const defaults = await vendorDefaults(draft.vendorNumber, context);
      const plan = planHeader(draft, defaults, rulesFor(draft.vendorNumber));
      const splits = draft.lines.map((line) => splitDimensions(line, defaults, plan.inherited));
      const created = await company.purchaseInvoices.create(
        {
          // The vendor first: its default dimensions land on the header before the shortcut dimensions change them.
          vendorNumber: draft.vendorNumber,
          vendorInvoiceNumber: draft.vendorInvoiceNumber,
          ...(draft.invoiceDate ? { invoiceDate: draft.invoiceDate } : {}),
          ...(draft.dueDate ? { dueDate: draft.dueDate } : {}),
          currencyCode: draft.currencyCode,
          ...plan.header,
          purchaseInvoiceLines: draft.lines.map((line, index) => lineBody(line, (index + 1) * 10_000, splits[index]!.insert)),
        },
        { signal: context.signal },
      );
      const headerDimensions = company.purchaseInvoices.dimensionSetLines(created.id);
      for (const dimension of plan.restore) await headerDimensions.create(dimension, { signal: context.signal });
      const fixed = await fixLineDimensions(created.id, splits.map((split) => split.fix), context);
      return written({ ...created, purchaseInvoiceLines: [] } as PurchaseInvoice, defaults, fixed || plan.restore.length > 0);
    },
    async update(current, draft, context) {
      const defaults = await vendorDefaults(draft.vendorNumber, context);
      const before = current.snapshot as unknown as ComparableInvoice;
      const patch: Record<string, unknown> = {};
      for (const key of HEADER_KEYS) if ((before as unknown as Record<string, unknown>)[key] !== (draft as unknown as Record<string, unknown>)[key] && draft[key] !== undefined) patch[key] = draft[key];
      let header: PurchaseInvoice | undefined;
      if (Object.keys(patch).length > 0) {
        header = await company.purchaseInvoices.update(current.id, patch, { etag: current.version ?? '*', signal: context.signal });
      }
      const want = desired(draft, defaults, rulesFor(draft.vendorNumber));
      let fixed = false;
      const headerDimensions = company.purchaseInvoices.dimensionSetLines(current.id);
      const readHeaderDimensions = async () => new Map((await headerDimensions.list().toArray({ limit: 1_000 })).map((dim) => [dim.code, dim] as const));
      let held: Awaited<ReturnType<typeof readHeaderDimensions>> | undefined;
      if (patch['vendorNumber'] !== undefined || contentHash(before.headerDimensions ?? {}) !== contentHash(want.headerDimensions ?? {})) {
        // Set through the header's dimension set lines, which Business Central does not push onto existing lines
        // (`SaveDimensions`), unlike the shortcut fields (`UpdateAllLineDim`). Read first: a new vendor brings its
        // own defaults.
        held = await readHeaderDimensions();
        for (const [code, valueCode] of Object.entries(want.headerDimensions ?? {})) {
          const has = held.get(code);
          if ((has?.valueCode ?? '') === valueCode) continue;
          if (!valueCode) await headerDimensions.delete((has as { id: string }).id, { etag: '*', signal: context.signal });
          else if (has) await headerDimensions.update(has.id, { valueCode }, { etag: '*', signal: context.signal });
          else await headerDimensions.create({ code, valueCode }, { signal: context.signal });
          fixed = true;
        }
        if (fixed) held = undefined;
      }
      if (contentHash(before.lines) !== contentHash(want.lines)) {
        // Lines are replaced as a whole: their number and order follow the coding splits, which may have changed.
        // New lines inherit the header's dimensions as they are now, so they are read first.
        const inherited = new Map<string, string>();
        for (const dim of (held ?? (await readHeaderDimensions())).values()) inherited.set(dim.code, dim.valueCode ?? '');
        const splits = draft.lines.map((line) => splitDimensions(line, defaults, inherited));
        const lines = company.purchaseInvoices.lines(current.id);
        for (const line of await lines.list({ signal: context.signal } as never).toArray({ limit: 10_000 })) await lines.delete(line.id, { signal: context.signal } as never);
        for (const [index, line] of draft.lines.entries()) await lines.create(lineBody(line, (index + 1) * 10_000, splits[index]!.insert), { signal: context.signal });
        await fixLineDimensions(current.id, splits.map((split) => split.fix), context);
        fixed = true;
      }
      const latest = header ?? (await readInvoice(current.id, context));
      if (!latest) throw new DataError('target-missing', `purchase invoice ${current.id} was deleted in Business Central during the update`);
      return written(latest, defaults, fixed && header !== undefined);
    },
    diff(current, draft): readonly FieldChange[] {
      const defaults = defaultsByVendor.get(draft.vendorNumber);
      const before = current?.snapshot ? (({ number: _n, status: _s, ...rest }) => rest)(current.snapshot as Record<string, unknown>) : undefined;
      const after = desired(draft, defaults, rulesFor(draft.vendorNumber));
      // A document read before the vendor's defaults were known carries no header dimensions to compare.
      if (before && !('headerDimensions' in before)) delete after.headerDimensions;
      const changes = diffFields(before, after);
      // diffFields compares what a write sends; lines the draft no longer has would be deleted: say so.
      const lineCount = (before as { lines?: unknown[] } | undefined)?.lines?.length;
      if (lineCount !== undefined && lineCount > after.lines.length) changes.push({ path: 'lines.length', before: lineCount, after: after.lines.length });
      return changes;
    },
  };
}
