export {
  type CrosswalkValue,
  type CrosswalkFallback,
  type StandardCrosswalkName,
  STANDARD_CROSSWALK_NAMES,
  type CrosswalkEntry,
  type CrosswalkDefinition,
  type Crosswalk,
  defineCrosswalk,
} from './crosswalk.js';
export {
  MissingMappingError,
  isMissingMappingError,
  type LookupOptions,
  type MappingSetOptions,
  type MappingSet,
  createMappingSet,
} from './mapping-set.js';
export {
  type CrosswalkRules,
  type ParseCrosswalkJsonOptions,
  type ParseCrosswalkCsvOptions,
  type CrosswalkJson,
  parseCrosswalkJson,
  parseCrosswalkCsv,
  loadCrosswalkJson,
  loadCrosswalkCsv,
  type LoadMappingSetOptions,
  loadMappingSet,
} from './loaders.js';
export { type DiffFieldsOptions, diffFields } from './diff.js';
