import { z } from 'zod';
import { childArray, itemMeta, optNumber, optString } from './common.js';

/** A line of a receipt request (`receivingReceiptRequests/{id}/child/lines`). Attribute set UNCONFIRMED beyond the documented examples. */
export const receiptLineSchema = z.looseObject({
  ...itemMeta,
  InterfaceTransactionId: optNumber,
  DocumentNumber: optString,
  DocumentLineNumber: optNumber,
  DocumentScheduleNumber: optNumber,
  Quantity: z.number(),
  UnitOfMeasure: optString,
  ProcessingStatusCode: optString,
});
/** A receipt request line. */
export type ReceiptLine = z.infer<typeof receiptLineSchema>;

/** A receipt request (`/receivingReceiptRequests`), the documented way to create receipts. */
export const receiptSchema = z.looseObject({
  ...itemMeta,
  HeaderInterfaceId: z.number(),
  ReceiptSourceCode: optString,
  OrganizationCode: optString,
  VendorNumber: optString,
  ReceiptNumber: optString,
  ProcessingStatusCode: optString,
  LastUpdateDate: z.string().nullish(),
  lines: childArray(receiptLineSchema),
});
/** A receipt request. */
export type Receipt = z.infer<typeof receiptSchema>;

/** Body of `POST /receivingReceiptRequests` (deep insert of lines). */
export interface ReceiptCreate {
  /** `VENDOR` for PO receipts. */
  ReceiptSourceCode: string;
  /** Receiving organisation. */
  OrganizationCode: string;
  /** Supplier number. */
  VendorNumber?: string;
  /** Lines to receive. */
  lines: { DocumentNumber: string; DocumentLineNumber: number; DocumentScheduleNumber?: number; Quantity: number; UnitOfMeasure?: string; [attribute: string]: unknown }[];
  /** Other attributes. */
  [attribute: string]: unknown;
}
