/**
 * `pnpm example:bc-payment-status`: purchase invoices Business Central reports as Paid are reported to JAGGAER,
 * matched through the `bc-invoices` ledger (or vendor + vendor invoice number), each payment exactly once.
 */
import type { ExampleDefinition } from '../shared/index.ts';
import { exampleMain } from '../shared/index.ts';
import { type PaidInvoice, type PaymentReport, createPaymentStatusFlow } from './flow.ts';

/** Command users type. */
export const PAYMENT_STATUS_COMMAND = 'pnpm example:bc-payment-status';

/** The example. */
export const paymentStatusExample: ExampleDefinition<PaidInvoice, PaymentReport> = {
  command: PAYMENT_STATUS_COMMAND,
  description:
    'Reports invoices Business Central has paid (status Paid) to JAGGAER as paid (date and BC invoice number as reference), once each. ' +
    'The JAGGAER invoice is found through the ledger of pnpm example:bc-invoices, else by vendor + vendor invoice number; ' +
    'paid BC invoices that match no JAGGAER invoice (entered in BC directly) are left alone.',
  flow: ({ connections, store }) => createPaymentStatusFlow({ company: connections.company, jaggaer: connections.jaggaer, store }),
};

/** Entry point. */
export function paymentStatusMain(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  return exampleMain(paymentStatusExample, argv);
}
