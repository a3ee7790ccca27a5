import { fileURLToPath } from 'node:url';
import { loadMappingSet, type MappingSet } from '@ml-connector/core/sync';
import { PAYMENT_TERMS_TABLE } from './records.ts';

/** The crosswalk files shipped with the example (`examples/mappings/nav-vendors/`). */
export const NAV_VENDORS_MAPPINGS_DIR = fileURLToPath(new URL('../../mappings/nav-vendors/', import.meta.url));

/**
 * Loads the crosswalks of nav-vendors from `dir` (default: the ones shipped with the example): `payment-terms.csv`,
 * NAV payment terms code → JAGGAER payment terms code (`NET 30,Net 30`), used in both directions.
 */
export function loadNavVendorMappings(dir: string = NAV_VENDORS_MAPPINGS_DIR): Promise<MappingSet> {
  return loadMappingSet(dir, { require: [PAYMENT_TERMS_TABLE] });
}
