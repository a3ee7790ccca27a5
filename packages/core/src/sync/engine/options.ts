import { randomUUID } from 'node:crypto';
import { InvalidInputError, redactValue } from '../../errors/index.js';
import { type Logger, silentLogger } from '../../logging/index.js';
import type { SyncStore } from '../store/types.js';

/** Options of `createSyncEngine`. */
export interface SyncEngineOptions {
  /** Where checkpoints, the ledger, the audit trail, the review queue and runs are kept. */
  readonly store: SyncStore;
  /** Receives warnings and failures (redacted fields only). Default: silent. */
  readonly logger?: Logger;
  /** Lease owner id of this engine (process or worker). Default: a random UUID. */
  readonly owner?: string;
  /** Records in flight at once within a page. Keep it within the target connector's own concurrency. @default 4 */
  readonly concurrency?: number;
  /** How long a record's lease lasts; another engine takes a record over after it expires. @default 300000 (5 min) */
  readonly leaseMs?: number;
  /** Authentication or permission failures in a row that stop a run. @default 3 */
  readonly authFailureLimit?: number;
  /** Clock in epoch milliseconds (tests pass a fake one). @default Date.now */
  readonly now?: () => number;
  /**
   * Redacts a payload before it is stored in the audit trail or the review queue (source snapshots, mapped
   * documents, overrides). Default: core's `redactValue` (credential-like keys become `[REDACTED]`).
   */
  readonly redact?: (value: unknown) => unknown;
}

/** The options with their defaults applied. */
export interface EngineConfig {
  readonly store: SyncStore;
  readonly logger: Logger;
  readonly owner: string;
  readonly concurrency: number;
  readonly leaseMs: number;
  readonly authFailureLimit: number;
  readonly now: () => number;
  readonly redact: (value: unknown) => unknown;
}

function positiveInteger(value: number | undefined, fallback: number, field: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new InvalidInputError(`${field} must be a positive integer, got ${String(value)}`, { field });
  }
  return value;
}

/** Validates the options and applies the defaults. */
export function resolveEngineOptions(options: SyncEngineOptions): EngineConfig {
  if (!options || typeof options.store?.commit !== 'function') {
    throw new InvalidInputError('createSyncEngine needs a store: pass createMemorySyncStore() or openSqliteSyncStore({ path })', {
      field: 'store',
    });
  }
  if (options.owner !== undefined && (typeof options.owner !== 'string' || options.owner.trim() === '')) {
    throw new InvalidInputError('owner must be a non-empty string (a process or worker id)', { field: 'owner' });
  }
  return {
    store: options.store,
    logger: options.logger ?? silentLogger,
    owner: options.owner ?? randomUUID(),
    concurrency: positiveInteger(options.concurrency, 4, 'concurrency'),
    leaseMs: positiveInteger(options.leaseMs, 5 * 60_000, 'leaseMs'),
    authFailureLimit: positiveInteger(options.authFailureLimit, 3, 'authFailureLimit'),
    now: options.now ?? Date.now,
    redact: options.redact ?? ((value) => redactValue(value)),
  };
}
