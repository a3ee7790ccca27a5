import type { HttpClient } from '@ml-connector/core';
import { type Receipt, type ReceiptCreate, type ReceiptLine, receiptLineSchema, receiptSchema } from '../schemas/receipt.js';
import { type ItemRef, type ReadableCollection, type WritableCollection, childPath, collection } from './collection.js';

/** `/receivingReceiptRequests`: create receipts against PO schedules (deep insert of lines) and read their status. */
export interface ReceiptsResource extends Omit<WritableCollection<Receipt, ReceiptCreate, never>, 'update'> {
  /** Lines of a receipt request. */
  lines(receipt: ItemRef): ReadableCollection<ReceiptLine>;
}

/** Creates the receipts resource. */
export function receiptsResource(http: HttpClient): ReceiptsResource {
  const { update: _update, ...base } = collection<typeof receiptSchema, ReceiptCreate, never>(http, 'receivingReceiptRequests', receiptSchema, 'receipts');
  return { ...base, lines: (receipt) => collection(http, childPath(receipt, 'lines'), receiptLineSchema, 'receipts.lines') };
}
