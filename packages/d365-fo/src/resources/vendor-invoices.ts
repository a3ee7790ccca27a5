import { type HttpClient, InvalidInputError, isNotFoundError } from '@ml-connector/core';
import { PostedInvoiceError } from '../errors.js';
import type { Entity } from '../schemas/common.js';
import {
  type PostedVendorInvoice,
  type PostedVendorInvoiceFields,
  type VendorInvoiceHeader,
  type VendorInvoiceHeaderCreate,
  type VendorInvoiceHeaderFields,
  type VendorInvoiceLine,
  type VendorInvoiceLineCreate,
  type VendorInvoiceLineFields,
} from '../schemas/purchasing.js';
import type { BatchResource, BatchResult } from './batch.js';
import { type ReadableEntitySet, type WritableEntitySet, readableEntitySet, writableEntitySet } from './entity-set.js';
import type { CompanyScope, EntitySetSpec, EtagOptions } from './shared.js';

/** Key of a pending invoice header. */
export type VendorInvoiceHeaderKey = { HeaderReference: string };
/** Key of a pending invoice line. */
export type VendorInvoiceLineKey = { HeaderReference: string; InvoiceLineNumber: number };

/** Where an invoice number was found. */
export type InvoiceLookup =
  | { state: 'pending'; header: VendorInvoiceHeader }
  | { state: 'posted'; invoice: PostedVendorInvoice }
  | { state: 'absent' };

/** Result of {@link VendorInvoicesResource.createWithLines}. */
export type CreateWithLinesResult =
  | { ok: true; header: VendorInvoiceHeader; lines: VendorInvoiceLine[] }
  | { ok: false; results: BatchResult[] };

/** Pending vendor invoices (`VendorInvoiceHeaders`/`VendorInvoiceLines`) and posted ones (read-only). */
export interface VendorInvoicesResource {
  /** Pending invoice headers. Prefer this resource's `update`/`delete`, which refuse posted invoices clearly. */
  readonly headers: WritableEntitySet<VendorInvoiceHeaderFields, VendorInvoiceHeaderKey, VendorInvoiceHeaderCreate>;
  /** Pending invoice lines. */
  readonly lines: WritableEntitySet<VendorInvoiceLineFields, VendorInvoiceLineKey, VendorInvoiceLineCreate & { HeaderReference: string }>;
  /** Posted invoices from the posted invoice journal (read-only). */
  readonly posted: Pick<ReadableEntitySet<PostedVendorInvoiceFields, { InvoiceId: string }>, 'list' | 'entitySet'>;
  /**
   * Looks an invoice number of a vendor up among pending and posted invoices (for deduplication before
   * creating one): pending first, then the posted invoice journal.
   */
  findByInvoiceNumber(vendorAccount: string, invoiceNumber: string, options?: { signal?: AbortSignal }): Promise<InvoiceLookup>;
  /**
   * Creates a pending invoice header and its lines in one changeset (atomic: a failing line leaves no header).
   * `header.HeaderReference` is required so the lines can name their header within the changeset.
   */
  createWithLines(header: VendorInvoiceHeaderCreate & { HeaderReference: string }, lines: readonly VendorInvoiceLineCreate[], options?: { signal?: AbortSignal }): Promise<CreateWithLinesResult>;
  /**
   * Changes a pending invoice read earlier. Refuses a posted invoice with {@link PostedInvoiceError} before
   * sending anything, and also when the invoice was posted since it was read (F&O answers 404: it left the entity).
   */
  update(invoice: VendorInvoiceHeader | PostedVendorInvoice, patch: Partial<Omit<VendorInvoiceHeaderFields, 'dataAreaId' | 'HeaderReference'>>, options?: Partial<EtagOptions>): Promise<VendorInvoiceHeader>;
  /** Deletes a pending invoice read earlier; refuses posted invoices like {@link VendorInvoicesResource.update}. */
  delete(invoice: VendorInvoiceHeader | PostedVendorInvoice, options?: Partial<EtagOptions>): Promise<void>;
}

function isPosted(invoice: VendorInvoiceHeader | PostedVendorInvoice): invoice is PostedVendorInvoice {
  return typeof (invoice as PostedVendorInvoice).LedgerVoucher === 'string' && (invoice as VendorInvoiceHeader).HeaderReference === undefined;
}

/** Builds the vendor invoice resource of one legal entity. */
export function vendorInvoicesResource(
  http: HttpClient,
  scope: CompanyScope,
  specs: { headers: EntitySetSpec; lines: EntitySetSpec; posted: EntitySetSpec },
  batch: BatchResource,
): VendorInvoicesResource {
  const headers = writableEntitySet<VendorInvoiceHeaderFields, VendorInvoiceHeaderKey, VendorInvoiceHeaderCreate>(http, specs.headers, scope);
  const lines = writableEntitySet<VendorInvoiceLineFields, VendorInvoiceLineKey, VendorInvoiceLineCreate & { HeaderReference: string }>(http, specs.lines, scope);
  const posted = readableEntitySet<PostedVendorInvoiceFields, { InvoiceId: string }>(http, specs.posted, scope);

  const findPosted = async (vendorAccount: string, invoiceNumber: string, signal?: AbortSignal) => {
    const [hit] = await posted
      .list({ filter: (f) => f.and(f.eq('InvoiceId', invoiceNumber), f.eq('InvoiceAccount', vendorAccount)), top: 1, ...(signal ? { signal } : {}) })
      .toArray({ limit: 1 });
    return hit;
  };
  const refusePosted = (invoice: { dataAreaId?: string; InvoiceId?: string; InvoiceNumber?: string; LedgerVoucher?: string }, operation: string) =>
    new PostedInvoiceError({
      dataAreaId: invoice.dataAreaId ?? scope.dataAreaId ?? '',
      invoiceNumber: invoice.InvoiceId ?? invoice.InvoiceNumber ?? '',
      ...(invoice.LedgerVoucher ? { ledgerVoucher: invoice.LedgerVoucher } : {}),
      operation,
    });
  const guard = async <T>(invoice: VendorInvoiceHeader | PostedVendorInvoice, operation: string, work: (header: VendorInvoiceHeader) => Promise<T>): Promise<T> => {
    if (typeof invoice !== 'object' || invoice === null) throw new InvalidInputError(`${operation} needs the invoice record read earlier`, { field: 'invoice' });
    if (isPosted(invoice)) throw refusePosted(invoice, operation);
    try {
      return await work(invoice);
    } catch (error) {
      if (!isNotFoundError(error)) throw error;
      const hit = await findPosted(invoice.VendorAccount, invoice.InvoiceNumber);
      if (hit) throw refusePosted(hit, operation);
      throw error;
    }
  };

  return {
    headers,
    lines,
    posted: { list: posted.list, entitySet: posted.entitySet },
    async findByInvoiceNumber(vendorAccount, invoiceNumber, options = {}) {
      if (typeof vendorAccount !== 'string' || vendorAccount === '' || typeof invoiceNumber !== 'string' || invoiceNumber === '') {
        throw new InvalidInputError('findByInvoiceNumber needs a vendor account and an invoice number', { field: 'invoiceNumber' });
      }
      const [pending] = await headers
        .list({ filter: (f) => f.and(f.eq('VendorAccount', vendorAccount), f.eq('InvoiceNumber', invoiceNumber)), top: 1, ...(options.signal ? { signal: options.signal } : {}) })
        .toArray({ limit: 1 });
      if (pending) return { state: 'pending', header: pending };
      const hit = await findPosted(vendorAccount, invoiceNumber, options.signal);
      return hit ? { state: 'posted', invoice: hit } : { state: 'absent' };
    },
    async createWithLines(header, invoiceLines, options = {}) {
      if (typeof header?.HeaderReference !== 'string' || header.HeaderReference === '') {
        throw new InvalidInputError('createWithLines needs header.HeaderReference so the lines can reference their header', { field: 'header.HeaderReference' });
      }
      if (!Array.isArray(invoiceLines)) throw new InvalidInputError('lines must be an array', { field: 'lines' });
      const results = await batch.run(
        [
          {
            changeset: [
              { kind: 'create', entitySet: specs.headers.name, body: header as Record<string, unknown> },
              ...invoiceLines.map((line) => ({ kind: 'create' as const, entitySet: specs.lines.name, body: { ...line, HeaderReference: header.HeaderReference } })),
            ],
          },
        ],
        options,
      );
      if (!results.every((r) => r.ok)) return { ok: false, results };
      const [first, ...rest] = results as Extract<BatchResult, { ok: true }>[];
      return { ok: true, header: first?.data as unknown as VendorInvoiceHeader, lines: rest.map((r) => r.data as unknown as VendorInvoiceLine) };
    },
    update: (invoice, patch, options = {}) =>
      guard(invoice, 'update', (header) =>
        headers.update({ HeaderReference: header.HeaderReference }, patch, { etag: options.etag ?? header.etag ?? '*', ...(options.signal ? { signal: options.signal } : {}) }),
      ),
    delete: (invoice, options = {}) =>
      guard(invoice, 'delete', (header) =>
        headers.delete({ HeaderReference: header.HeaderReference }, { ...(options.etag ?? header.etag ? { etag: (options.etag ?? header.etag) as string } : {}), ...(options.signal ? { signal: options.signal } : {}) }),
      ),
  };
}

/** Entity type re-export for convenience. */
export type { Entity };
