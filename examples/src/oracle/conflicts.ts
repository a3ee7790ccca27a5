/**
 * Conflict policy of the flows that align suppliers and accounts both ways. A conflict is a write into a record the
 * other side changed since this flow last wrote it, with a change the opposite flow has not carried over yet.
 */
import { InvalidInputError, type Logger } from '@ml-connector/core';
import { DataError, type SyncStore, type TargetDocument } from '@ml-connector/core/sync';

/**
 * What to do when both systems changed a record since the last sync:
 * - `review` (default): the record goes to the review queue (`sync-conflict`); replay it with
 *   `--override '{"conflict":"apply"}'` to apply this side, or settle it to keep the other;
 * - `oracle-wins` / `jaggaer-wins`: that system's version is kept; the other change is not written (the opposite
 *   flow carries the winner over on its next run);
 * - `newest-wins`: the later modification time wins.
 */
export type ConflictPolicy = 'review' | 'oracle-wins' | 'jaggaer-wins' | 'newest-wins';

/** Every policy, for validation. */
export const CONFLICT_POLICIES: readonly ConflictPolicy[] = ['review', 'oracle-wins', 'jaggaer-wins', 'newest-wins'];

/** Reads `ORACLE_JAGGAER_CONFLICT_POLICY`; a bad value is an `InvalidInputError` listing the choices. */
export function parseConflictPolicy(text: string | undefined): ConflictPolicy {
  const value = text?.trim();
  if (!value) return 'review';
  if ((CONFLICT_POLICIES as readonly string[]).includes(value)) return value as ConflictPolicy;
  throw new InvalidInputError(`ORACLE_JAGGAER_CONFLICT_POLICY must be one of ${CONFLICT_POLICIES.join(', ')}, got "${value}"`, { field: 'ORACLE_JAGGAER_CONFLICT_POLICY' });
}

/** A payload field a replay may set (`--override '{"conflict":"apply"}'`) to apply this side of a conflict. */
export interface ConflictOverride {
  readonly conflict?: 'apply';
}

/** Where one side of a two-way alignment stands. */
export interface ConflictCheck {
  readonly store: SyncStore;
  /** This flow, its source system and the system it writes to. */
  readonly flow: string;
  readonly sourceSystem: 'oracle-fusion' | 'jaggaer';
  /** The flow writing the other way (its source system is this flow's target). */
  readonly oppositeFlow: string;
  readonly policy: ConflictPolicy;
  readonly logger: Logger;
}

/** Epoch ms of a version that is a timestamp, else NaN. */
const timeOf = (version: string | undefined) => (version === undefined ? Number.NaN : Date.parse(version));

/**
 * Decides whether this flow may write over `current`: `write` (no conflict, or this side wins), or `keep` (the
 * target's change wins: nothing is written). Under `review`, a conflict throws a `DataError` (`sync-conflict`).
 */
export async function resolveConflict(check: ConflictCheck, sourceId: string, sourceVersion: string | undefined, current: TargetDocument, payload: ConflictOverride): Promise<'write' | 'keep'> {
  const own = await check.store.getLedgerEntry({ flow: check.flow, sourceSystem: check.sourceSystem, sourceId });
  const targetSystem = check.sourceSystem === 'oracle-fusion' ? 'jaggaer' : 'oracle-fusion';
  const opposite = await check.store.getLedgerEntry({ flow: check.oppositeFlow, sourceSystem: targetSystem, sourceId });
  // The target versions both flows know: what this flow last wrote, and what the opposite flow last carried over.
  const known = [own?.targetVersion, opposite?.state === 'confirmed' ? opposite.sourceVersion : undefined].filter((v): v is string => v !== undefined);
  // Never synced by either flow: the first alignment, this side is applied.
  if (known.length === 0 || current.version === undefined) return 'write';
  if (known.includes(current.version)) return 'write';
  if (payload.conflict === 'apply') return 'write';
  const thisSide = check.sourceSystem === 'oracle-fusion' ? 'oracle-wins' : 'jaggaer-wins';
  const detail = `${targetSystem} record ${current.id} changed (version ${current.version}) since the last sync (${known.join(', ')}), and this source changed too`;
  switch (check.policy) {
    case 'review':
      throw new DataError('sync-conflict', `${detail}; replay with --override '{"conflict":"apply"}' to apply this side, or settle the item to keep the other`);
    case 'newest-wins': {
      const ours = timeOf(sourceVersion);
      const theirs = timeOf(current.version);
      if (Number.isFinite(ours) && Number.isFinite(theirs) && theirs > ours) {
        check.logger.warn({ flow: check.flow, sourceId }, `${detail}; newest-wins keeps the ${targetSystem} change`);
        return 'keep';
      }
      return 'write';
    }
    default:
      if (check.policy === thisSide) return 'write';
      check.logger.warn({ flow: check.flow, sourceId }, `${detail}; ${check.policy} keeps the ${targetSystem} change`);
      return 'keep';
  }
}

/**
 * The document to report when the target's change is kept (nothing written). Without its version: the ledger must
 * not record the kept change as this flow's own write, or the opposite flow would skip it as an echo.
 */
export function keptDocument(current: TargetDocument): TargetDocument {
  const { version: _version, ...rest } = current;
  return rest;
}
