/**
 * `@ml-connector/core/sync`: the sync engine every flow shares: checkpointed reading, a write ledger that
 * prevents double posting, mapping tables with reference preflight, per-record audit, a review queue with
 * replay, and the stores that keep it all (memory, SQLite). Transport users never load it.
 *
 * @packageDocumentation
 */
export {
  type RecordKey, type Checkpoint, type LedgerState, type LedgerEntry, type LedgerEntryInput, type LedgerWrite,
  type AuditStep, type AuditEventInput, type AuditEvent, type AuditQuery, type ReviewState, type ReviewItem,
  type ReviewItemInput, type ReviewQuery, type RunStatus, type RunCounts, type RunRecord, type StoreChange,
  type ClaimResult, type SyncStore,
} from './store/types.js';
export {
  type ReadContext, type SourcePage, type SourceIdentity, type SyncSource, type MapContext, type ReferenceRef,
  type ReferenceStatus, type ReferenceResolver, type TargetDocument, type WriteResult, type WriteContext,
  type FieldChange, type SyncTarget, type SyncFlow, type RecordOutcome, type SyncEvent, type RunOptions,
  type ReplaySelection, type RunSummary, type ProcessSummary, type ScheduleOptions, type SyncEngine,
} from './flow.js';
export {
  DataError, isDataError, StoreConflictError, isStoreConflictError, CheckpointUnreadableError,
  isCheckpointUnreadableError,
} from './errors.js';
export { createMemorySyncStore } from './store/memory.js';
/**
 * The input checks and value helpers every store applies, for {@link SyncStore} implementations outside core
 * (`@ml-connector/postgres`), so all stores refuse the same input with the same `InvalidInputError` field.
 */
import * as syncStoreKit from './store/shared.js';
export { syncStoreKit };
export { createSyncEngine, type SyncEngineOptions, type FailureClass, classifyFailure, contentHash } from './engine/index.js';
export { openSqliteSyncStore, type SqliteSyncStoreOptions, SyncStoreOpenError, SQLITE_SCHEMA_VERSION } from './store/sqlite.js';
export {
  createStoreCredentialVault, type StoreCredentialVaultOptions, VaultKeyMissingError, VAULT_KEY_ENV, VAULT_NAMESPACE, resolveSecret,
  type ResolveSecretOptions, secretEnvVar,
} from './store/vault.js';
export {
  type CrosswalkValue, type CrosswalkFallback, type StandardCrosswalkName, STANDARD_CROSSWALK_NAMES, type CrosswalkEntry,
  type CrosswalkDefinition, type Crosswalk, defineCrosswalk, MissingMappingError, isMissingMappingError,
  type LookupOptions, type MappingSetOptions, type MappingSet, createMappingSet, type CrosswalkRules,
  type ParseCrosswalkJsonOptions, type ParseCrosswalkCsvOptions, type CrosswalkJson, parseCrosswalkJson,
  parseCrosswalkCsv, loadCrosswalkJson, loadCrosswalkCsv, type LoadMappingSetOptions, loadMappingSet, type DiffFieldsOptions, diffFields,
} from './mapping/index.js';
