import { isNotFoundError } from '@ml-connector/core';
import { CheckpointUnreadableError, contentHash, type SourceIdentity, type SourcePage, type SyncSource } from '@ml-connector/core/sync';
import { decodePollCursor, type Invoice, type JaggaerClient } from '@ml-connector/jaggaer-j1p';

/** Options of {@link createApprovedInvoiceSource}. */
export interface ApprovedInvoiceSourceOptions {
  readonly jaggaer: JaggaerClient;
  /** Invoices per page handed to the engine (one poll with `maxInvoices`). @default 100 */
  readonly pageSize?: number;
  /** Records per JAGGAER list request (at least 2). @default 100 */
  readonly listPageSize?: number;
  /** First run only: start from invoices changed at or after this instant instead of the whole history. */
  readonly since?: string;
  /** Look-back window of the poll cursor (late commits, clock skew). @default the client's (2 min) */
  readonly lookbackMs?: number;
  /** Invoices fetched at once for their lines. @default the client's (4) */
  readonly lineConcurrency?: number;
}

/** The fields whose change must reach Business Central; `lastUpdate` and payment status are left out on purpose. */
function versionOf(invoice: Invoice): string {
  return contentHash({
    supplier: invoice.supplier?.supplierNumber,
    supplierInvoiceNumber: invoice.supplierInvoiceNumber,
    invoiceType: invoice.invoiceType,
    invoiceDate: invoice.invoiceDate,
    dueDate: invoice.dueDate,
    total: invoice.total,
    codingSplits: invoice.codingSplits,
    lines: invoice.lines.map(({ raw: _raw, matchStatus: _match, ...line }) => line),
  });
}

/** Business identifiers the audit is searchable by: JAGGAER invoice number and id, supplier invoice and number, PO numbers. */
export function invoiceBusinessIds(invoice: Invoice): string[] {
  const ids = [invoice.invoiceNumber, invoice.supplierInvoiceNumber, invoice.supplier?.supplierNumber, ...invoice.lines.map((line) => line.poNumber)];
  return [...new Set(ids.filter((id): id is string => typeof id === 'string' && id !== ''))];
}

/**
 * JAGGAER approved invoices as a sync source: `invoices.poll` with its cursor (high-water mark, look-back window
 * and the keys already delivered in it), `maxInvoices` per page and lines fetched for each invoice.
 */
export function createApprovedInvoiceSource(options: ApprovedInvoiceSourceOptions): SyncSource<Invoice> {
  const { jaggaer } = options;
  const pageSize = options.pageSize ?? 100;
  const query = { status: 'Approved', since: options.since ?? null };
  return {
    system: 'jaggaer',
    stream: 'approved-invoices',
    query,
    async *read(cursor, context): AsyncIterable<SourcePage<Invoice>> {
      if (cursor !== undefined) {
        try {
          decodePollCursor(cursor);
        } catch (error) {
          throw new CheckpointUnreadableError('the saved JAGGAER poll cursor cannot be read', { cause: error });
        }
      }
      let position = cursor;
      for (;;) {
        const result = await jaggaer.invoices.poll({
          status: 'Approved',
          ...(position !== undefined ? { cursor: position } : options.since ? { since: options.since } : {}),
          maxInvoices: pageSize,
          ...(options.listPageSize ? { pageSize: options.listPageSize } : {}),
          ...(options.lookbackMs !== undefined ? { lookbackMs: options.lookbackMs } : {}),
          ...(options.lineConcurrency ? { concurrency: options.lineConcurrency } : {}),
          withLines: true,
          signal: context.signal,
        });
        position = result.cursor;
        yield { records: result.invoices, cursor: position };
        if (result.complete) return;
      }
    },
    async fetch(sourceId, context) {
      try {
        return await jaggaer.invoices.get(sourceId, { signal: context.signal });
      } catch (error) {
        if (isNotFoundError(error)) return undefined;
        throw error;
      }
    },
    identify(invoice): SourceIdentity {
      return { id: invoice.invoiceId, version: versionOf(invoice), businessIds: invoiceBusinessIds(invoice) };
    },
  };
}
