import { type HttpClient, InvalidInputError, edm, odataFilter } from '@ml-connector/core';
import type { Entity } from '../schemas/common.js';
import { DIMENSION_SET_LINE_READ_ONLY_FIELDS } from '../schemas/dimension.js';
import {
  PURCHASE_INVOICE_LINE_READ_ONLY_FIELDS,
  PURCHASE_INVOICE_READ_ONLY_FIELDS,
  type PurchaseInvoiceCreate,
  type PurchaseInvoiceFields,
  type PurchaseInvoiceLineCreate,
  type PurchaseInvoiceLineFields,
  type PurchaseInvoiceLineUpdate,
  type PurchaseInvoiceUpdate,
  purchaseInvoiceLineSchema,
  purchaseInvoiceSchema,
} from '../schemas/purchase-invoice.js';
import { type DeltaReadableEntitySet, type ReadableEntitySet, readableEntitySet } from './entity-set.js';
import { type EtagOptions, type ListOptions, ifMatch, keyPath, refuseDeepUpdate, requireEtag, toEntity, writableBody } from './shared.js';
import { type DeleteOptions, signal } from './vendors.js';
import { type AttachmentsResource, type PdfDocumentResource, attachmentsResource, pdfDocumentResource } from './attachments.js';
import { type DimensionSetLinesResource, dimensionSetLinesResource } from './dimension-set-lines.js';

/** Lines of one purchase invoice: read, create, update (If-Match) and delete. */
export interface PurchaseInvoiceLinesResource extends ReadableEntitySet<PurchaseInvoiceLineFields> {
  /** Adds a line (with optional `dimensionSetLines`, inserted in the same request). */
  create(body: PurchaseInvoiceLineCreate, options?: { signal?: AbortSignal }): Promise<Entity<PurchaseInvoiceLineFields>>;
  /** Changes a line with `If-Match: etag`. */
  update(lineId: string, patch: PurchaseInvoiceLineUpdate, options: EtagOptions): Promise<Entity<PurchaseInvoiceLineFields>>;
  /** Deletes a line. */
  delete(lineId: string, options?: DeleteOptions): Promise<void>;
  /** Dimension set lines of one line (a new line inherits the invoice's dimensions; see `upsert`). */
  dimensionSetLines(lineId: string): DimensionSetLinesResource;
}

/** Options of `findByVendorInvoiceNumber()`. */
export interface FindByVendorInvoiceNumberOptions extends Omit<ListOptions<PurchaseInvoiceFields>, 'filter' | 'modifiedSince'> {
  /** Only invoices of this vendor (GUID). */
  vendorId?: string;
  /** Only invoices of this vendor number. */
  vendorNumber?: string;
}

/** The `purchaseInvoices` entity set: drafts with deep insert, update, explicit posting, lines and paid status. */
export interface PurchaseInvoicesResource extends DeltaReadableEntitySet<PurchaseInvoiceFields> {
  /**
   * Creates a draft invoice. `purchaseInvoiceLines` and `dimensionSetLines` in the body are inserted in the
   * same request (deep insert). Read-only fields ({@link PURCHASE_INVOICE_READ_ONLY_FIELDS}, and the read-only
   * fields of lines and dimension set lines) are stripped first. Never posts the invoice.
   */
  create(body: PurchaseInvoiceCreate, options?: { signal?: AbortSignal }): Promise<Entity<PurchaseInvoiceFields>>;
  /** Changes a draft with `If-Match: etag` (required; `'*'` only when passed explicitly). 412 → `ConflictError`. */
  update(id: string, patch: PurchaseInvoiceUpdate, options: EtagOptions): Promise<Entity<PurchaseInvoiceFields>>;
  /** Deletes a draft invoice. */
  delete(id: string, options?: DeleteOptions): Promise<void>;
  /**
   * Posts the invoice (`POST purchaseInvoices({id})/Microsoft.NAV.post`, 204). An explicit call; nothing in
   * this client posts implicitly. A posted invoice keeps its API `id` but can no longer be changed.
   */
  post(id: string, options?: { signal?: AbortSignal }): Promise<void>;
  /**
   * Invoices whose `vendorInvoiceNumber` equals `vendorInvoiceNumber` exactly (for dedup before creating one).
   * The value is escaped as an OData string literal, so quotes, `&`, `#` and `%` are safe.
   */
  findByVendorInvoiceNumber(vendorInvoiceNumber: string, options?: FindByVendorInvoiceNumberOptions): Promise<Entity<PurchaseInvoiceFields>[]>;
  /** The lines of one invoice. */
  lines(invoiceId: string): PurchaseInvoiceLinesResource;
  /** Dimension set lines of the invoice header (vendor default dimensions are already there; see `upsert`). */
  dimensionSetLines(invoiceId: string): DimensionSetLinesResource;
  /** Attachments of the invoice (`attachments`), e.g. the scanned invoice image from JAGGAER. */
  attachments(invoiceId: string): AttachmentsResource;
  /** Document attachments of the invoice (`documentAttachments`, the newer attachment API). */
  documentAttachments(invoiceId: string): AttachmentsResource;
  /** The PDF of a posted invoice (`pdfDocument`). */
  pdfDocument(invoiceId: string): PdfDocumentResource;
}

/** Status of a fully paid purchase invoice. */
export const PAID_STATUS = 'Paid';

/** True when the invoice's status is `Paid`. */
export function isPaid(invoice: Pick<PurchaseInvoiceFields, 'status'>): boolean {
  return invoice.status === PAID_STATUS;
}

const NESTED_ON_CREATE = {
  purchaseInvoiceLines: PURCHASE_INVOICE_LINE_READ_ONLY_FIELDS,
  dimensionSetLines: DIMENSION_SET_LINE_READ_ONLY_FIELDS,
} as const;

/** Strips read-only fields of a line, keeping its dimension set lines (deep insert). */
function lineCreateBody(body: unknown): Record<string, unknown> {
  return writableBody(body, PURCHASE_INVOICE_LINE_READ_ONLY_FIELDS, { dimensionSetLines: DIMENSION_SET_LINE_READ_ONLY_FIELDS });
}

/** Builds the purchase invoice lines resource under one invoice. */
export function purchaseInvoiceLinesResource(http: HttpClient, invoicePath: string): PurchaseInvoiceLinesResource {
  const path = `${invoicePath}/purchaseInvoiceLines`;
  return {
    ...readableEntitySet<PurchaseInvoiceLineFields>(http, path, purchaseInvoiceLineSchema, 'purchaseInvoiceLines'),
    async create(body, options = {}) {
      const json = lineCreateBody(body);
      const response = await http.request({
        method: 'POST',
        path,
        json,
        schema: purchaseInvoiceLineSchema,
        operation: 'purchaseInvoiceLines.create',
        ...signal(options),
      });
      return toEntity(response.data);
    },
    async update(lineId, patch, options) {
      const etag = requireEtag(options, 'purchaseInvoiceLines.update');
      const json = writableBody(patch, PURCHASE_INVOICE_LINE_READ_ONLY_FIELDS);
      refuseDeepUpdate(json, ['dimensionSetLines'], 'Change dimension set lines through their own endpoint.');
      const response = await http.request({
        method: 'PATCH',
        path: keyPath(path, lineId, 'lineId'),
        json,
        headers: ifMatch(etag),
        schema: purchaseInvoiceLineSchema,
        operation: 'purchaseInvoiceLines.update',
        ...signal(options),
      });
      return toEntity(response.data);
    },
    async delete(lineId, options = {}) {
      await http.request({
        method: 'DELETE',
        path: keyPath(path, lineId, 'lineId'),
        operation: 'purchaseInvoiceLines.delete',
        ...(options.etag !== undefined ? { headers: ifMatch(requireEtag({ etag: options.etag }, 'purchaseInvoiceLines.delete')) } : {}),
        ...signal(options),
      });
    },
    dimensionSetLines: (lineId) => dimensionSetLinesResource(http, keyPath(path, lineId, 'lineId')),
  };
}

/** Body of a purchase invoice create: header without read-only fields, nested lines and dimensions cleaned. */
export function purchaseInvoiceCreateBody(body: unknown): Record<string, unknown> {
  const json = writableBody(body, PURCHASE_INVOICE_READ_ONLY_FIELDS, { dimensionSetLines: DIMENSION_SET_LINE_READ_ONLY_FIELDS });
  if (Array.isArray(json.purchaseInvoiceLines)) {
    json.purchaseInvoiceLines = json.purchaseInvoiceLines.map((line) => lineCreateBody(line));
  } else if (json.purchaseInvoiceLines !== undefined) {
    throw new InvalidInputError('purchaseInvoiceLines must be an array of lines', { field: 'purchaseInvoiceLines' });
  }
  return json;
}

/** Body of a purchase invoice update: read-only fields stripped, navigation properties refused. */
export function purchaseInvoiceUpdateBody(patch: unknown): Record<string, unknown> {
  const json = writableBody(patch, PURCHASE_INVOICE_READ_ONLY_FIELDS);
  refuseDeepUpdate(json, Object.keys(NESTED_ON_CREATE), 'Change lines with lines(invoiceId).create/update/delete.');
  return json;
}

/** Builds the purchase invoices resource of one company. */
export function purchaseInvoicesResource(http: HttpClient, companyPath: string): PurchaseInvoicesResource {
  const path = `${companyPath}/purchaseInvoices`;
  const readable = readableEntitySet<PurchaseInvoiceFields>(http, path, purchaseInvoiceSchema, 'purchaseInvoices');
  return {
    ...readable,
    async create(body, options = {}) {
      const json = purchaseInvoiceCreateBody(body);
      const response = await http.request({
        method: 'POST',
        path,
        json,
        schema: purchaseInvoiceSchema,
        operation: 'purchaseInvoices.create',
        ...signal(options),
      });
      return toEntity(response.data);
    },
    async update(id, patch, options) {
      const etag = requireEtag(options, 'purchaseInvoices.update');
      const json = purchaseInvoiceUpdateBody(patch);
      const response = await http.request({
        method: 'PATCH',
        path: keyPath(path, id),
        json,
        headers: ifMatch(etag),
        schema: purchaseInvoiceSchema,
        operation: 'purchaseInvoices.update',
        ...signal(options),
      });
      return toEntity(response.data);
    },
    async delete(id, options = {}) {
      await http.request({
        method: 'DELETE',
        path: keyPath(path, id),
        operation: 'purchaseInvoices.delete',
        ...(options.etag !== undefined ? { headers: ifMatch(requireEtag({ etag: options.etag }, 'purchaseInvoices.delete')) } : {}),
        ...signal(options),
      });
    },
    async post(id, options = {}) {
      await http.request({
        method: 'POST',
        path: `${keyPath(path, id)}/Microsoft.NAV.post`,
        operation: 'purchaseInvoices.post',
        ...signal(options),
      });
    },
    async findByVendorInvoiceNumber(vendorInvoiceNumber, options = {}) {
      if (typeof vendorInvoiceNumber !== 'string' || vendorInvoiceNumber === '') {
        throw new InvalidInputError('vendorInvoiceNumber must be a non-empty string', { field: 'vendorInvoiceNumber' });
      }
      const { vendorId, vendorNumber, ...rest } = options;
      const filter = odataFilter<PurchaseInvoiceFields>((f) =>
        f.and(
          f.eq('vendorInvoiceNumber', vendorInvoiceNumber),
          ...(vendorId !== undefined ? [f.eq('vendorId', vendorIdLiteral(vendorId))] : []),
          ...(vendorNumber !== undefined ? [f.eq('vendorNumber', vendorNumber)] : []),
        ),
      );
      const found: Entity<PurchaseInvoiceFields>[] = [];
      for await (const invoice of readable.list({ ...rest, filter } as ListOptions<PurchaseInvoiceFields>)) found.push(invoice);
      return found;
    },
    lines: (invoiceId) => purchaseInvoiceLinesResource(http, keyPath(path, invoiceId, 'invoiceId')),
    dimensionSetLines: (invoiceId) => dimensionSetLinesResource(http, keyPath(path, invoiceId, 'invoiceId')),
    attachments: (invoiceId) => attachmentsResource(http, `${keyPath(path, invoiceId, 'invoiceId')}/attachments`, 'attachments'),
    documentAttachments: (invoiceId) => attachmentsResource(http, `${keyPath(path, invoiceId, 'invoiceId')}/documentAttachments`, 'documentAttachments'),
    pdfDocument: (invoiceId) => pdfDocumentResource(http, keyPath(path, invoiceId, 'invoiceId')),
  };
}

function vendorIdLiteral(vendorId: string) {
  keyPath('vendors', vendorId, 'vendorId'); // throws InvalidInputError naming the field for a non-GUID
  return edm.guid(vendorId);
}
