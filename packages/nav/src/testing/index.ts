/**
 * `@ml-connector/nav/testing`: an emulator of Dynamics NAV / Business Central on-premises OData web services
 * (v4 and v3), the Business Central online OData endpoint and Entra, with configurable published pages, Basic
 * and OAuth auth, ETags, server-driven paging, composite keys, unposted journals and fault injection. Its seed
 * shares vendor numbers and names, G/L accounts and dimensions with the JAGGAER emulator's default seed.
 * Start with {@link createNavSandbox}.
 *
 * @packageDocumentation
 */
export {
  type NavSandbox,
  type NavSandboxOptions,
  type NavSandboxStats,
  createNavSandbox,
  NAV_SANDBOX_INSTANCE,
  NAV_SANDBOX_USER,
  NAV_SANDBOX_ACCESS_KEY,
  NAV_SANDBOX_TENANT_ID,
  NAV_SANDBOX_ENVIRONMENT,
  NAV_SANDBOX_CLIENT_ID,
  NAV_SANDBOX_CLIENT_SECRET,
  NAV_SANDBOX_ONPREM_AUDIENCE,
  NAV_SANDBOX_CLOUD_AUDIENCE,
} from './sandbox.js';
export {
  type NavSeed,
  type NavSeedOptions,
  type NavRecordData,
  generateNavSeed,
  navSeedVendorName,
  navSeedVendorNumber,
  NAV_SEED_COMPANY,
  NAV_SEED_ACCOUNTS,
  NAV_SEED_DIMENSIONS,
  NAV_SEED_PAYMENT_TERMS,
  NAV_SEED_JOURNAL_BATCHES,
} from './seed.js';
export {
  type NavFieldType,
  type NavFieldSpec,
  type NavTableName,
  type NavPageId,
  type NavPageSpec,
  type NavPagePublication,
  type NavPublications,
  type PublishedPage,
  NAV_PAGES,
  publishPages,
  generateMetadata,
  edmType,
} from './model.js';
export { NavStore, NavEmulatorError, NAV_DEFAULT_SHORTCUT_DIMENSIONS, type NavStoreSettings, type StoredRecord } from './store.js';
export {
  type NavWebhookNotification,
  type NavWebhookDelivery,
  NavWebhooks,
  NAV_SANDBOX_COMPANY_ID,
  NAV_WEBHOOK_RESOURCES,
} from './webhooks.js';
