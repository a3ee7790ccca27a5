/**
 * `pnpm example:bc-payment-status`: purchase invoices Business Central reports as Paid are reported to JAGGAER,
 * matched through the `bc-invoices` ledger (or vendor + vendor invoice number), each payment exactly once.
 */
import { InvalidInputError } from '@ml-connector/core';
import type { ExampleDefinition } from '../shared/index.ts';
import { exampleMain } from '../shared/index.ts';
import { type PaidInvoice, type PaymentReport, createPaymentStatusFlow } from './flow.ts';

/** `BC_PAYMENTS_SINCE`: where a first run starts (ISO 8601); undefined: the whole history. */
export function paymentsSince(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env.BC_PAYMENTS_SINCE?.trim();
  if (!value) return undefined;
  if (!Number.isFinite(Date.parse(value))) {
    throw new InvalidInputError(`BC_PAYMENTS_SINCE must be an ISO 8601 instant such as 2026-01-01T00:00:00Z, got "${value}"`, { field: 'BC_PAYMENTS_SINCE' });
  }
  return new Date(value).toISOString();
}

/** Command users type. */
export const PAYMENT_STATUS_COMMAND = 'pnpm example:bc-payment-status';

/** The example. */
export const paymentStatusExample: ExampleDefinition<PaidInvoice, PaymentReport> = {
  command: PAYMENT_STATUS_COMMAND,
  description:
    'Reports invoices Business Central has paid (status Paid) to JAGGAER as paid (date and BC invoice number as reference), once each. ' +
    'The JAGGAER invoice is found through the ledger of pnpm example:bc-invoices, else by vendor + vendor invoice number; ' +
    'paid BC invoices that match no JAGGAER invoice (entered in BC directly) are left alone.',
  flow: ({ connections, store }) => {
    const since = paymentsSince();
    return createPaymentStatusFlow({ company: connections.company, jaggaer: connections.jaggaer, store, ...(since ? { since } : {}) });
  },
};

/** Entry point. */
export function paymentStatusMain(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  return exampleMain(paymentStatusExample, argv);
}
