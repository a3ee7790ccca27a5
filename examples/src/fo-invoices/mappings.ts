import { fileURLToPath } from 'node:url';
import { loadMappingSet, type MappingSet } from '@ml-connector/core/sync';

/** The mapping files shipped with the example (`examples/mappings/fo-invoices/`). */
export const DEFAULT_FO_MAPPINGS_DIR = fileURLToPath(new URL('../../mappings/fo-invoices/', import.meta.url));

/**
 * The crosswalk tables fo-invoices looks keys up in, one file each:
 * - `business-unit-legal-entity.csv`: JAGGAER business unit → F&O legal entity (`dataAreaId`);
 * - `supplier-vendor.csv`: JAGGAER supplier number → F&O vendor account;
 * - `gl-account.csv`: JAGGAER GL code (`account` segment) → F&O main account;
 * - `coding-dimension.csv`: `<segment>/<value>` → `dimension` (F&O financial dimension name), `value`;
 * - `currency.csv`: JAGGAER currency → F&O currency code;
 * - `unit-of-measure.csv`: JAGGAER unit → unit code (kept for the shared mapper; F&O ledger lines carry none).
 */
export const FO_INVOICE_MAPPING_TABLES = ['business-unit-legal-entity', 'supplier-vendor', 'gl-account', 'coding-dimension', 'currency', 'unit-of-measure'] as const;

/** Loads the crosswalk files of `dir` (default: the ones shipped with the example); every table above is required. */
export function loadFoInvoiceMappings(dir: string = DEFAULT_FO_MAPPINGS_DIR): Promise<MappingSet> {
  return loadMappingSet(dir, { require: FO_INVOICE_MAPPING_TABLES });
}
