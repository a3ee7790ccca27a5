import { type HttpClient, InvalidInputError, type PagedAsyncIterable } from '@ml-connector/core';
import type { Entity } from '../schemas/common.js';
import { type AttachmentFields, type PdfDocumentFields, attachmentSchema, pdfDocumentSchema } from '../schemas/setup.js';
import { keyPath, listCollection, listQuery, toEntity } from './shared.js';
import { signal } from './vendors.js';

/** Attachments of one document (`attachments` or `documentAttachments` navigation). */
export interface AttachmentsResource {
  /** The document's attachments (metadata; content via {@link download}). */
  list(): PagedAsyncIterable<Entity<AttachmentFields>>;
  /** Creates the attachment record (`fileName`); its content is empty until {@link uploadContent}. */
  create(body: { fileName: string }, options?: { signal?: AbortSignal }): Promise<Entity<AttachmentFields>>;
  /**
   * Uploads the content (`PATCH …/attachmentContent` with the raw bytes and `If-Match: *`, as Microsoft's
   * examples do). Retried like any idempotent write: the same bytes replace the same content.
   */
  uploadContent(attachmentId: string, content: Uint8Array, options?: { contentType?: string; signal?: AbortSignal }): Promise<void>;
  /** Creates the attachment and uploads its content: two requests. Returns the attachment as re-read. */
  upload(fileName: string, content: Uint8Array, options?: { contentType?: string; signal?: AbortSignal }): Promise<Entity<AttachmentFields>>;
  /** Downloads the content of one attachment. */
  download(attachmentId: string, options?: { signal?: AbortSignal }): Promise<Uint8Array>;
  /** Deletes one attachment. */
  delete(attachmentId: string, options?: { signal?: AbortSignal }): Promise<void>;
}

/** The PDF of one posted document (`pdfDocument` navigation). */
export interface PdfDocumentResource {
  /** The PDF entry, or `undefined` when the document has none (drafts). */
  get(options?: { signal?: AbortSignal }): Promise<Entity<PdfDocumentFields> | undefined>;
  /** The PDF bytes; `undefined` when the document has none. */
  download(options?: { signal?: AbortSignal }): Promise<Uint8Array | undefined>;
}

/** Builds the attachments resource at `path` (e.g. `companies(…)/purchaseInvoices(…)/attachments`). */
export function attachmentsResource(http: HttpClient, path: string, name: string): AttachmentsResource {
  const get = async (attachmentId: string, options: { signal?: AbortSignal } = {}) =>
    toEntity<AttachmentFields>((await http.request({ path: keyPath(path, attachmentId, 'attachmentId'), schema: attachmentSchema, operation: `${name}.get`, ...signal(options) })).data);
  const uploadContent: AttachmentsResource['uploadContent'] = async (attachmentId, content, options = {}) => {
    if (!(content instanceof Uint8Array)) throw new InvalidInputError('content must be a Uint8Array of the file bytes', { field: 'content' });
    await http.request({
      method: 'PATCH',
      path: `${keyPath(path, attachmentId, 'attachmentId')}/attachmentContent`,
      body: content,
      headers: { 'content-type': options.contentType ?? 'application/octet-stream', 'If-Match': '*' },
      responseType: 'text',
      idempotent: true,
      operation: `${name}.uploadContent`,
      ...signal(options),
    });
  };
  const create: AttachmentsResource['create'] = async (body, options = {}) => {
    if (typeof body?.fileName !== 'string' || body.fileName === '') throw new InvalidInputError('fileName must be a non-empty string, e.g. "invoice.pdf"', { field: 'fileName' });
    const response = await http.request({ method: 'POST', path, json: { fileName: body.fileName }, schema: attachmentSchema, operation: `${name}.create`, ...signal(options) });
    return toEntity(response.data);
  };
  return {
    list: () => listCollection<AttachmentFields>(http, path, attachmentSchema, listQuery({}) as never, `${name}.list`),
    create,
    uploadContent,
    async upload(fileName, content, options = {}) {
      const created = await create({ fileName }, options);
      await uploadContent(created.id, content, options);
      return get(created.id, options);
    },
    async download(attachmentId, options = {}) {
      const response = await http.request({
        path: `${keyPath(path, attachmentId, 'attachmentId')}/attachmentContent`,
        responseType: 'bytes',
        operation: `${name}.download`,
        ...signal(options),
      });
      return response.data as Uint8Array;
    },
    async delete(attachmentId, options = {}) {
      await http.request({ method: 'DELETE', path: keyPath(path, attachmentId, 'attachmentId'), responseType: 'text', operation: `${name}.delete`, ...signal(options) });
    },
  };
}

/** Builds the PDF resource of the document at `documentPath`. */
export function pdfDocumentResource(http: HttpClient, documentPath: string): PdfDocumentResource {
  const path = `${documentPath}/pdfDocument`;
  const get: PdfDocumentResource['get'] = async (options = {}) => {
    const [entry] = await listCollection<PdfDocumentFields>(http, path, pdfDocumentSchema, listQuery({}) as never, 'pdfDocument.get', options.signal).toArray({ limit: 1 });
    return entry;
  };
  return {
    get,
    async download(options = {}) {
      const entry = await get(options);
      if (!entry) return undefined;
      const response = await http.request({ path: `${keyPath(path, entry.id, 'pdfDocumentId')}/pdfDocumentContent`, responseType: 'bytes', operation: 'pdfDocument.download', ...signal(options) });
      return response.data as Uint8Array;
    },
  };
}
