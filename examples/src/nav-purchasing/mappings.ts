import { fileURLToPath } from 'node:url';
import { loadMappingSet, type MappingSet } from '@ml-connector/core/sync';

/** The mapping files shipped with the example (`examples/mappings/nav-purchasing/`). */
export const NAV_PURCHASING_MAPPINGS_DIR = fileURLToPath(new URL('../../mappings/nav-purchasing/', import.meta.url));

/**
 * The crosswalk tables nav-purchasing looks keys up in (core's standard names, the same files as bc-invoices):
 * `supplier-vendor.csv`, `gl-account.csv`, `coding-dimension.csv` (`<segment>/<value>` → `dimension`, `value`),
 * `currency.csv` (`LCY` = the company's local currency, sent blank) and `unit-of-measure.csv`.
 */
export const NAV_PURCHASING_MAPPING_TABLES = ['supplier-vendor', 'gl-account', 'coding-dimension', 'currency', 'unit-of-measure'] as const;

/** Loads the crosswalk files of `dir` (default: the ones shipped with the example); every table above is required. */
export function loadNavPurchasingMappings(dir: string = NAV_PURCHASING_MAPPINGS_DIR): Promise<MappingSet> {
  return loadMappingSet(dir, { require: NAV_PURCHASING_MAPPING_TABLES });
}
