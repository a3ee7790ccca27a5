/**
 * `@ml-connector/business-central/testing`: a faithful emulator of the Microsoft Dynamics 365 Business Central
 * online API v2.0 and its Microsoft Entra ID token endpoint, so clients can be built and tested without a tenant.
 * Start with {@link createBusinessCentralSandbox}.
 *
 * @packageDocumentation
 */
export {
  type BusinessCentralSandbox,
  type BusinessCentralSandboxOptions,
  type BusinessCentralSandboxStats,
  type BusinessCentralFaultOptions,
  type BusinessCentralDb,
  createBusinessCentralSandbox,
  SANDBOX_TENANT_ID,
  SANDBOX_ENVIRONMENT,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
  BC_AUDIENCE,
  BC_SCOPE,
} from './sandbox.js';
export {
  type BusinessCentralSeed,
  type BusinessCentralSeedOptions,
  type BusinessCentralNumberSeries,
  type EntityRecord,
  type DimensionSetLineRecord,
  generateBusinessCentralSeed,
  SEED_COMPANY_NAME,
  SEED_ACCOUNTS,
  SEED_DIMENSIONS,
  SEED_UNMAPPED_SUPPLIERS,
  SEED_BLOCKED_VENDORS,
  SEED_VENDOR_DEFAULT_DIMENSIONS,
  SEED_ITEMS,
  seedVendorName,
} from './seed.js';
export { AL_MESSAGES, GLOBAL_DIMENSION_CODES } from './service.js';
export { type BusinessCentralLimits } from './limits.js';
export { type FilterRules, DEFAULT_FILTER_RULES } from './odata.js';
export { type BusinessCentralStore, type TableView, type ChangeEvent, type LineSet } from './store.js';
export { type WebhookNotification, type WebhookDelivery, WEBHOOK_ENABLED_SETS } from './webhooks.js';
export { BC_ERROR_CODES, type BusinessCentralErrorCode } from './errors.js';
export { type EntitySetName, ENTITY_DEFS, type EntityDef, type FieldSpec, type FieldType, type NavSpec } from './model.js';
