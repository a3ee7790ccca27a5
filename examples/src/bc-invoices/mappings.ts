import { fileURLToPath } from 'node:url';
import { loadMappingSet, type MappingSet } from '@ml-connector/core/sync';

/** The mapping files shipped with the example (`examples/mappings/bc-invoices/`). */
export const DEFAULT_MAPPINGS_DIR = fileURLToPath(new URL('../../mappings/bc-invoices/', import.meta.url));

/**
 * The crosswalk tables bc-invoices looks keys up in, one file each (core's standard names):
 * - `supplier-vendor.csv`: JAGGAER supplier number → Business Central vendor number;
 * - `gl-account.csv`: JAGGAER GL code (`account` segment) → G/L account number;
 * - `coding-dimension.csv`: `<segment>/<value>` → `dimension`, `value` (dimension code and value code);
 * - `currency.csv`: JAGGAER currency → BC currency code, `LCY` for the company's local currency (sent blank);
 * - `unit-of-measure.csv`: JAGGAER unit → BC unit of measure code.
 */
export const INVOICE_MAPPING_TABLES = ['supplier-vendor', 'gl-account', 'coding-dimension', 'currency', 'unit-of-measure'] as const;

/** Value of `currency.csv` that stands for the company's local currency. */
export const LOCAL_CURRENCY = 'LCY';

/** Loads the crosswalk files of `dir` (default: the ones shipped with the example); every table above is required. */
export function loadInvoiceMappings(dir: string = DEFAULT_MAPPINGS_DIR): Promise<MappingSet> {
  return loadMappingSet(dir, { require: INVOICE_MAPPING_TABLES });
}
