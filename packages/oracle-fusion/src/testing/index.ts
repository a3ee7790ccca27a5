/**
 * `@ml-connector/oracle-fusion/testing`: an emulator of Oracle Fusion Cloud ERP REST with its OCI IAM Identity Domain
 * token endpoint, ADF `q` evaluation, child resources, paging, ETags, error bodies, the ERP integrations import job
 * lifecycle, optional throttling and fault injection. Start with {@link createOracleFusionSandbox}.
 *
 * @packageDocumentation
 */
export {
  type OracleFusionSandbox,
  type OracleFusionSandboxOptions,
  type OracleFusionSandboxStats,
  type OracleFusionThrottleOptions,
  type OracleFusionFaultOptions,
  createOracleFusionSandbox,
  ORACLE_SANDBOX_HOST,
  ORACLE_SANDBOX_IDENTITY_DOMAIN,
  ORACLE_SANDBOX_SCOPE,
  ORACLE_SANDBOX_CLIENT_ID,
  ORACLE_SANDBOX_CLIENT_SECRET,
  ORACLE_SANDBOX_USER,
} from './sandbox.js';
export {
  type OracleFusionSeedOptions,
  generateOracleFusionSeed,
  seedSupplierNumber,
  seedSupplierId,
  seedPoNumber,
  SEED_NATURAL_ACCOUNTS,
  SEED_DISABLED_ACCOUNT,
  SEED_COST_CENTERS,
  SEED_COMPANY_SEGMENT,
  SEED_COST_CENTER_VALUE_SET,
  SEED_ACCOUNT_VALUE_SET,
  SEED_BUSINESS_UNIT,
  SEED_SUPPLIER_SITE,
  SEED_UNTIL,
} from './seed.js';
export { type OracleFusionData, type StoredRecord, OracleFusionStore, oracleTimestamp, record } from './store.js';
export { type ImportJobOptions, type EmulatedImportJob, ImportJobsEmulator } from './imports.js';
export { type QNode, type Literal, QSyntaxError, parseQ, evaluateQ } from './q.js';
export { RESOURCE_DEFS, type ResourceDef, type CollectionName } from './model.js';
export { OracleEmulatorError } from './errors.js';
export type { ApiResult } from './router.js';
