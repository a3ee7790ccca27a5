/**
 * `@ml-connector/postgres`: a PostgreSQL {@link SyncStore} for sync engines and workers on several machines.
 *
 * @packageDocumentation
 */
import type { SyncStore } from '@ml-connector/core/sync';

export { openPostgresSyncStore, type PostgresSyncStoreOptions, PostgresStoreOpenError } from './store.js';
export { POSTGRES_SCHEMA_VERSION } from './migrations.js';
export type { SyncStore };
