import { InvalidInputError } from '@ml-connector/core';
import { mergeOverrides } from './overrides.js';

/**
 * Query parameter names of the invoice list (`GET paths.invoices`). The response shape is confirmed by the public
 * UCLALibrary/jaggaer-api sample; the parameter names are **UNCONFIRMED** (no public request sample), so each can be
 * renamed with the client's `invoiceListParameters` option, as the paths can.
 */
export interface InvoiceListParameterNames {
  /** 1-based position of the first record (the response echoes `startAt`). */
  startAt: string;
  /** Records per page. */
  maxRecords: string;
  /** Workflow status filter, e.g. `Approved`. */
  workflowStatus: string;
  /** Payment status filter. */
  paymentStatus: string;
  /** ERP supplier number filter. */
  supplierNumber: string;
  /** Inclusive lower bound of `lastUpdate` (ISO 8601). */
  lastUpdateFrom: string;
  /** Inclusive upper bound of `lastUpdate` (ISO 8601). */
  lastUpdateTo: string;
}

/** Default {@link InvoiceListParameterNames} (all UNCONFIRMED); the sandbox serves the same names. */
export const DEFAULT_INVOICE_LIST_PARAMETERS: Readonly<InvoiceListParameterNames> = Object.freeze({
  startAt: 'startAt',
  maxRecords: 'maxRecords',
  workflowStatus: 'workflowStatus',
  paymentStatus: 'paymentStatus',
  supplierNumber: 'supplierNumber',
  lastUpdateFrom: 'lastUpdateFrom',
  lastUpdateTo: 'lastUpdateTo',
});

/**
 * Merges `overrides` over {@link DEFAULT_INVOICE_LIST_PARAMETERS}. Unknown keys, empty or unsafe names and two
 * parameters sharing one name are rejected.
 *
 * @throws InvalidInputError naming `invoiceListParameters.<key>`.
 */
export function resolveInvoiceListParameters(overrides?: Partial<InvoiceListParameterNames>): InvoiceListParameterNames {
  const names = mergeOverrides(
    DEFAULT_INVOICE_LIST_PARAMETERS as InvoiceListParameterNames,
    overrides,
    'invoiceListParameters',
    '{ maxRecords: "pageSize" }',
    (value) =>
      typeof value !== 'string' || !/^[A-Za-z0-9_.$-]+$/.test(value)
        ? `must be a query parameter name of letters, digits, "_", ".", "$" or "-", got ${JSON.stringify(value)}`
        : undefined,
  );
  const byName = new Map<string, string>();
  for (const [key, name] of Object.entries(names)) {
    const other = byName.get(name);
    if (other !== undefined) {
      throw new InvalidInputError(`invoiceListParameters.${key} and invoiceListParameters.${other} both use the name "${name}"`, { field: `invoiceListParameters.${key}` });
    }
    byName.set(name, key);
  }
  return names;
}
