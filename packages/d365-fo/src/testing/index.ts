/**
 * `@ml-connector/d365-fo/testing`: an emulator of Dynamics 365 Finance & Operations OData with its Entra token
 * endpoint, business event delivery and the Data management package API. Start with
 * {@link createFinanceOperationsSandbox}.
 *
 * @packageDocumentation
 */
export {
  type FinanceOperationsSandbox,
  type FinanceOperationsSandboxOptions,
  type FinanceOperationsSandboxStats,
  type FinanceOperationsFaultOptions,
  type FinanceOperationsApp,
  createFinanceOperationsSandbox,
  FO_SANDBOX_TENANT_ID,
  FO_SANDBOX_ENVIRONMENT_URL,
  FO_SANDBOX_CLIENT_ID,
  FO_SANDBOX_CLIENT_SECRET,
} from './sandbox.js';
export {
  type FinanceOperationsSeed,
  type FinanceOperationsSeedOptions,
  type FinanceOperationsSnapshot,
  type FinanceOperationsNumberSequences,
  generateFinanceOperationsSeed,
  SEED_LEGAL_ENTITIES,
  SEED_CHART_OF_ACCOUNTS,
  SEED_ACCOUNTS,
  SEED_SUSPENDED_ACCOUNT,
  SEED_PAYABLES_ACCOUNT,
  SEED_DIMENSIONS,
  SEED_SUSPENDED_DEPARTMENT,
} from './seed.js';
export { type FinanceOperationsLimits, type ThrottleReason } from './limits.js';
export { type FinanceOperationsStore, type StoredRecord } from './store.js';
export { type BusinessEventKind, type BusinessEventEndpointOptions, type BusinessEventDelivery } from './events.js';
export { DataManagementEmulator, type DataManagementJob, type DataManagementSnapshot, type DefinitionGroup, type DefinitionGroupRefresh, DEFAULT_DEFINITION_GROUPS, DMF_ENTITY_NAMES } from './dmf.js';
export { ENTITY_DEFS, type EntityDef, type EntitySetName } from './model.js';
export type { ApiResult } from './router.js';
export { DEFAULT_WORKFLOW_SERVICE, WORK_ITEM_OUTCOMES, WORK_ITEM_COMPLETE_PARAMETERS, type WorkflowServiceNames, type RecordedDocumentOutcome } from './services.js';
