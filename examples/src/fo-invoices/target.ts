import { chunkedKeyFilters, rawFilter } from '@ml-connector/core';
import { DataError, diffFields, type FieldChange, type ReadContext, type ReferenceRef, type ReferenceResolver, type ReferenceStatus, type SyncStore, type SyncTarget, type TargetDocument, type WriteResult } from '@ml-connector/core/sync';
import { isChangesetRolledBackError, type CodingProblem, type FinanceOperationsClient, type FinanceOperationsLegalEntity, type VendorInvoiceHeader, type VendorInvoiceLine } from '@ml-connector/d365-fo';
import { headerReferenceOf, type FoInvoiceDraft } from './mapper.ts';

/** Options of {@link createVendorInvoiceTarget}. */
export interface VendorInvoiceTargetOptions {
  readonly financeOperations: FinanceOperationsClient;
  readonly store: SyncStore;
  /** The flow name and source system (to tell this flow's invoices from others' in the duplicate check). */
  readonly flow: string;
  readonly sourceSystem: string;
}

/** Natural key of a pending invoice: legal entity, vendor account and the supplier's invoice number. */
export const foInvoiceNaturalKey = (draft: Pick<FoInvoiceDraft, 'legalEntity' | 'vendorAccount' | 'invoiceNumber'>): string =>
  `${draft.legalEntity}/${draft.vendorAccount}/${draft.invoiceNumber}`;

/** Key of a ledger coding reference: legal entity, main account and the dimensions in name order. */
export function codingKey(legalEntity: string, mainAccount: string, dimensions: Readonly<Record<string, string>>): string {
  const sorted = Object.fromEntries(Object.entries(dimensions).sort(([a], [b]) => a.localeCompare(b)));
  return JSON.stringify([legalEntity, mainAccount, sorted]);
}

/**
 * Target id of a pending invoice: `<legalEntity>/<headerReference>?vendor=…&invoice=…`. The vendor and invoice
 * number find the invoice in the posted journal once it has left `VendorInvoiceHeaders`.
 */
export const targetIdOf = (draft: Pick<FoInvoiceDraft, 'legalEntity' | 'vendorAccount' | 'invoiceNumber' | 'sourceId'>): string =>
  `${draft.legalEntity}/${headerReferenceOf(draft.sourceId)}?${new URLSearchParams({ vendor: draft.vendorAccount, invoice: draft.invoiceNumber })}`;

function parseTargetId(id: string): { legalEntity: string; headerReference: string; vendorAccount: string; invoiceNumber: string } {
  const [path = '', query = ''] = id.split('?');
  const params = new URLSearchParams(query);
  return { legalEntity: path.slice(0, path.indexOf('/')), headerReference: path.slice(path.indexOf('/') + 1), vendorAccount: params.get('vendor') ?? '', invoiceNumber: params.get('invoice') ?? '' };
}

const usable: ReferenceStatus = { exists: true, usable: true };
/** F&O's URL limit is not documented; Business Central's 2,048 characters is kept (UNCONFIRMED) with 20 values per chain. */
const CHUNKS = { baseUrlLength: 500, maxValuesPerChunk: 20 } as const;

/** Groups `<legalEntity>/<rest>` keys by legal entity. */
function byLegalEntity(keys: readonly string[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const key of keys) {
    const at = key.indexOf('/');
    const entity = key.slice(0, at);
    groups.set(entity, [...(groups.get(entity) ?? []), key.slice(at + 1)]);
  }
  return groups;
}

function describeProblem(problem: CodingProblem): string {
  switch (problem.kind) {
    case 'unknown-account': return `main account ${problem.mainAccount} does not exist`;
    case 'suspended-account': return `main account ${problem.mainAccount} is suspended`;
    case 'no-structure': return `main account ${problem.mainAccount} is in no account structure that takes dimensions`;
    case 'missing-dimension': return `the account structure requires a ${problem.dimension} value`;
    case 'unknown-value': return `${problem.dimension} value ${problem.value} does not exist`;
    case 'suspended-value': return `${problem.dimension} value ${problem.value} is suspended`;
    case 'value-not-allowed': return `${problem.dimension} value ${problem.value} is outside the allowed values ${problem.allowed}`;
    case 'dimension-not-in-structure': return `dimension ${problem.dimension} is not part of the account structure`;
  }
}

/** What the comparison and dry-run diff look at. */
interface ComparableInvoice {
  readonly legalEntity: string;
  readonly vendorAccount: string;
  readonly invoiceNumber: string;
  readonly invoiceDate: string;
  readonly dueDate?: string;
  readonly currency: string;
  readonly approved: boolean;
  readonly lines: readonly { lineNumber: number; mainAccount: string; description: string; quantity: number; unitPrice: number; amount: number }[];
}

const dateOnly = (value: string | undefined) => (value ? value.slice(0, 10) : undefined);

function comparable(header: VendorInvoiceHeader, lines: readonly VendorInvoiceLine[]): ComparableInvoice {
  const due = dateOnly(header.DueDate as string | undefined);
  return {
    legalEntity: String(header.dataAreaId),
    vendorAccount: header.VendorAccount,
    invoiceNumber: header.InvoiceNumber,
    invoiceDate: dateOnly(header.InvoiceDate as string) ?? '',
    ...(due && !due.startsWith('1900') ? { dueDate: due } : {}),
    currency: header.Currency,
    approved: header.IsApproved === 'Yes',
    lines: [...lines]
      .sort((a, b) => a.InvoiceLineNumber - b.InvoiceLineNumber)
      .map((line) => ({
        lineNumber: line.InvoiceLineNumber,
        mainAccount: String(line.MainAccountDisplayValue ?? ''),
        description: String(line.LineDescription ?? ''),
        quantity: Number(line.ReceiveNow),
        unitPrice: Number(line.UnitPrice),
        amount: Number(line.Amount),
      })),
  };
}

/**
 * F&O pending vendor invoices as a sync target: header + lines in one `$batch` changeset (atomic), the
 * deterministic header reference `JAG-<JAGGAER id>` as target id, `find` among pending invoices and the posted
 * invoice journal (posted ones are locked), and batched reference resolvers: vendors, main accounts and dimension
 * values (`or` chains from core's `chunkedKeyFilters`), the account-structure validity of each main account +
 * dimension combination (the client's `validateCoding`), and a duplicate check by supplier invoice number
 * against pending and posted invoices this flow did not write.
 */
export function createVendorInvoiceTarget(options: VendorInvoiceTargetOptions): SyncTarget<FoInvoiceDraft> {
  const { financeOperations: fo, store } = options;
  const entities = new Map<string, FinanceOperationsLegalEntity>();
  const entity = (id: string) => {
    let found = entities.get(id);
    if (!found) entities.set(id, (found = fo.legalEntity(id)));
    return found;
  };
  const sourceIdsByKey = new Map<string, string>();
  const displayValues = new Map<string, string>();

  async function lookUp<T>(field: string, keys: readonly string[], list: (filter: string) => AsyncIterable<T>): Promise<T[]> {
    const found: T[] = [];
    for (const filter of chunkedKeyFilters(field, [...new Set(keys)], CHUNKS)) for await (const row of list(filter)) found.push(row);
    return found;
  }

  const resolvers: Record<string, ReferenceResolver> = {
    /** `<legalEntity>/<vendor account>`: exists in that company and is not on hold for invoices. */
    async vendor(keys, context) {
      const out = new Map<string, ReferenceStatus>();
      for (const [legalEntity, accounts] of byLegalEntity(keys)) {
        const rows = await lookUp('VendorAccountNumber', accounts, (filter) => entity(legalEntity).vendors.list({ filter: rawFilter(filter), signal: context.signal } as never));
        for (const vendor of rows) {
          const hold = String(vendor.OnHoldStatus ?? 'No');
          out.set(
            `${legalEntity}/${vendor.VendorAccountNumber}`,
            hold === 'All' || hold === 'Invoice' ? { exists: true, usable: false, reason: `vendor ${vendor.VendorAccountNumber} is on hold (${hold}) in ${legalEntity}` } : usable,
          );
        }
      }
      return out;
    },
    /** Main account ids (shared chart of accounts): exists and not suspended. */
    async mainAccount(keys, context) {
      const rows = await lookUp('MainAccountId', keys, (filter) => fo.mainAccounts.list({ filter: rawFilter(filter), signal: context.signal } as never));
      const out = new Map<string, ReferenceStatus>();
      for (const account of rows) {
        out.set(account.MainAccountId, account.IsSuspended === 'Yes' ? { exists: true, usable: false, reason: `main account ${account.MainAccountId} is suspended` } : usable);
      }
      return out;
    },
    /** `<legalEntity>/<dimension>/<value>`: the value exists for that company (shared or own) and is active. */
    async dimensionValue(keys, context) {
      const out = new Map<string, ReferenceStatus>();
      for (const [legalEntity, rest] of byLegalEntity(keys)) {
        const byDimension = byLegalEntity(rest);
        for (const [dimension, values] of byDimension) {
          const rows = await lookUp('DimensionValue', values, (filter) =>
            entity(legalEntity).financialDimensionValues.list({
              filter: rawFilter(`FinancialDimension eq '${dimension.replaceAll("'", "''")}' and (${filter}) and (LegalEntityId eq '' or LegalEntityId eq '${legalEntity}')`),
              signal: context.signal,
            } as never),
          );
          for (const row of rows) {
            out.set(`${legalEntity}/${dimension}/${row.DimensionValue}`, row.IsSuspended === 'Yes' ? { exists: true, usable: false, reason: `${dimension} value ${row.DimensionValue} is suspended` } : usable);
          }
        }
      }
      return out;
    },
    /** A main account + dimension combination, checked against the legal entity's account structures. */
    async ledgerCoding(keys) {
      const out = new Map<string, ReferenceStatus>();
      for (const key of keys) {
        const [legalEntity, mainAccount, dimensions] = JSON.parse(key) as [string, string, Record<string, string>];
        const result = await entity(legalEntity).validateCoding({ mainAccount, dimensions });
        if (result.valid && result.displayValue) displayValues.set(key, result.displayValue);
        out.set(key, result.valid ? usable : { exists: true, usable: false, reason: `not a valid combination in ${legalEntity}: ${result.problems.map(describeProblem).join('; ')}` });
      }
      return out;
    },
    /**
     * An invoice number of the vendor already pending or posted in F&O that this flow's ledger does not know
     * (keyed by hand, or by another tool) must not get a twin. Records this flow wrote pass (the engine adopts them).
     */
    async duplicateInvoice(keys, context) {
      const out = new Map<string, ReferenceStatus>();
      for (const [legalEntity, rest] of byLegalEntity(keys)) {
        const numbers = rest.map((r) => r.slice(r.indexOf('/') + 1));
        const company = entity(legalEntity);
        const pending = await lookUp('InvoiceNumber', numbers, (filter) => company.vendorInvoices.headers.list({ filter: rawFilter(filter), select: ['HeaderReference', 'InvoiceNumber', 'VendorAccount'], signal: context.signal } as never));
        const posted = await lookUp('InvoiceId', numbers, (filter) => company.vendorInvoices.posted.list({ filter: rawFilter(filter), signal: context.signal } as never));
        for (const r of rest) {
          const key = `${legalEntity}/${r}`;
          const [vendor, number] = [r.slice(0, r.indexOf('/')), r.slice(r.indexOf('/') + 1)];
          const twin =
            pending.find((h) => h.VendorAccount === vendor && h.InvoiceNumber === number && h.HeaderReference !== headerReferenceOf(sourceIdsByKey.get(key) ?? '')) ??
            posted.find((p) => p.InvoiceAccount === vendor && p.InvoiceId === number);
          const sourceId = sourceIdsByKey.get(key);
          if (!twin || sourceId === undefined) {
            out.set(key, usable);
            continue;
          }
          const entry = await store.getLedgerEntry({ flow: options.flow, sourceSystem: options.sourceSystem, sourceId });
          const where = 'HeaderReference' in twin ? `pending invoice ${twin.HeaderReference}` : `posted invoice (voucher ${twin.LedgerVoucher})`;
          out.set(key, entry && entry.state !== 'pending' ? usable : { exists: true, usable: false, reason: `F&O already has ${where} ${number} of vendor ${vendor} in ${legalEntity}, not written by this flow` });
        }
      }
      return out;
    },
  };

  const headerFilter = (headerReference: string) => rawFilter(`HeaderReference eq '${headerReference.replaceAll("'", "''")}'`);

  async function readPending(id: string, context: ReadContext): Promise<TargetDocument | undefined> {
    const { legalEntity, headerReference } = parseTargetId(id);
    const company = entity(legalEntity);
    const [header] = await company.vendorInvoices.headers.list({ filter: headerFilter(headerReference), top: 1, signal: context.signal } as never).toArray({ limit: 1 });
    if (!header) return undefined;
    const lines = await company.vendorInvoices.lines.list({ filter: headerFilter(headerReference), signal: context.signal } as never).toArray({ limit: 10_000 });
    return { id, ...(header.etag ? { version: header.etag } : {}), locked: false, snapshot: { ...comparable(header, lines) } };
  }

  async function readPosted(id: string, context: ReadContext): Promise<TargetDocument | undefined> {
    const { legalEntity, vendorAccount, invoiceNumber } = parseTargetId(id);
    if (!vendorAccount || !invoiceNumber) return undefined;
    const lookup = await entity(legalEntity).vendorInvoices.findByInvoiceNumber(vendorAccount, invoiceNumber, { signal: context.signal });
    if (lookup.state !== 'posted') return undefined;
    return { id, locked: true, lockedReason: `posted in F&O (voucher ${lookup.invoice.LedgerVoucher}); posted invoices are read-only`, snapshot: { posted: true, voucher: lookup.invoice.LedgerVoucher } };
  }

  function desired(draft: FoInvoiceDraft): ComparableInvoice {
    return {
      legalEntity: draft.legalEntity,
      vendorAccount: draft.vendorAccount,
      invoiceNumber: draft.invoiceNumber,
      invoiceDate: draft.invoiceDate,
      ...(draft.dueDate ? { dueDate: draft.dueDate } : {}),
      currency: draft.currency,
      approved: draft.approvalStatus === 'Approved',
      lines: draft.lines.map((line) => ({
        lineNumber: line.lineNumber,
        mainAccount: displayValues.get(codingKey(draft.legalEntity, line.mainAccount, line.dimensions)) ?? line.mainAccount,
        description: line.description,
        quantity: line.quantity,
        unitPrice: line.unitPrice,
        amount: line.amount,
      })),
    };
  }

  async function displayValueOf(draft: FoInvoiceDraft, line: FoInvoiceDraft['lines'][number]): Promise<string> {
    const key = codingKey(draft.legalEntity, line.mainAccount, line.dimensions);
    const known = displayValues.get(key);
    if (known) return known;
    // A replay after the preflight cache was lost: validate again rather than write an unchecked combination.
    const result = await entity(draft.legalEntity).validateCoding({ mainAccount: line.mainAccount, dimensions: line.dimensions });
    if (!result.valid || !result.displayValue) throw new DataError('invalid-coding', `line ${line.lineNumber}: ${result.problems.map(describeProblem).join('; ')}`, { field: `lines[${line.lineNumber - 1}]` });
    displayValues.set(key, result.displayValue);
    return result.displayValue;
  }

  async function write(draft: FoInvoiceDraft, context: ReadContext): Promise<WriteResult> {
    const headerReference = headerReferenceOf(draft.sourceId);
    const lines = [];
    for (const line of draft.lines) {
      lines.push({
        InvoiceLineNumber: line.lineNumber,
        LineDescription: line.description,
        ReceiveNow: line.quantity,
        UnitPrice: line.unitPrice,
        Amount: line.amount,
        MainAccountDisplayValue: await displayValueOf(draft, line),
      });
    }
    const result = await entity(draft.legalEntity).vendorInvoices.createWithLines(
      {
        HeaderReference: headerReference,
        InvoiceNumber: draft.invoiceNumber,
        VendorAccount: draft.vendorAccount,
        InvoiceDate: `${draft.invoiceDate}T12:00:00Z`,
        ...(draft.dueDate ? { DueDate: `${draft.dueDate}T12:00:00Z` } : {}),
        Currency: draft.currency,
        IsApproved: draft.approvalStatus === 'Approved' ? 'Yes' : 'No',
        InvoiceDescription: `JAGGAER ${draft.sourceId} (${draft.approvalStatus})`.slice(0, 60),
      } as never,
      lines,
      { signal: context.signal },
    );
    if (!result.ok) {
      // The changeset was rolled back as a whole: throw the failing operation's own error (the engine classifies it).
      const failing = result.results.find((r) => !r.ok && !isChangesetRolledBackError(r.error)) ?? result.results.find((r) => !r.ok);
      throw failing && !failing.ok ? failing.error : new Error('the changeset failed without a failing operation');
    }
    return { document: { id: targetIdOf(draft), ...(result.header.etag ? { version: result.header.etag } : {}), locked: false, snapshot: { ...comparable(result.header, result.lines) } } };
  }

  return {
    system: 'd365fo',
    naturalKey: foInvoiceNaturalKey,
    references(draft): ReferenceRef[] {
      const key = foInvoiceNaturalKey(draft);
      sourceIdsByKey.set(key, draft.sourceId);
      const refs: ReferenceRef[] = [
        { kind: 'vendor', key: `${draft.legalEntity}/${draft.vendorAccount}`, field: 'vendorAccount' },
        { kind: 'duplicateInvoice', key, field: 'invoiceNumber' },
      ];
      draft.lines.forEach((line, index) => {
        refs.push({ kind: 'mainAccount', key: line.mainAccount, field: `lines[${index}].mainAccount` });
        for (const [dimension, value] of Object.entries(line.dimensions)) refs.push({ kind: 'dimensionValue', key: `${draft.legalEntity}/${dimension}/${value}`, field: `lines[${index}].dimensions.${dimension}` });
        refs.push({ kind: 'ledgerCoding', key: codingKey(draft.legalEntity, line.mainAccount, line.dimensions), field: `lines[${index}]` });
      });
      return refs;
    },
    resolvers,
    async find(draft, context) {
      const id = targetIdOf(draft);
      return (await readPending(id, context)) ?? (await readPosted(id, context));
    },
    async get(targetId, context) {
      // Posted since the last write: it left the pending entity and is found in the journal (locked).
      return (await readPending(targetId, context)) ?? (await readPosted(targetId, context));
    },
    create: (draft, context) => write(draft, context),
    async update(current, draft, context) {
      // A pending invoice is replaced as a whole (header + lines in one changeset after deleting the old one):
      // its lines follow the coding splits, which may have changed.
      const { legalEntity, headerReference } = parseTargetId(current.id);
      const company = entity(legalEntity);
      const [header] = await company.vendorInvoices.headers.list({ filter: headerFilter(headerReference), top: 1, signal: context.signal } as never).toArray({ limit: 1 });
      if (header) await company.vendorInvoices.delete(header, { signal: context.signal });
      return write(draft, context);
    },
    diff(current, draft): readonly FieldChange[] {
      return diffFields(current?.snapshot, desired(draft));
    },
  };
}
