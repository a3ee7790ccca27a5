import { InvalidInputError } from '@ml-connector/core';
import { z } from 'zod';
import { NAV_DEFAULTS } from './options.js';
import type { NavContext } from './resources/entity-set.js';
import { entitySet } from './resources/entity-set.js';
import type { NavRecord } from './schemas/records.js';
import type { ServiceName } from './services.js';

/**
 * Where change polling stands: the newest last-modified instant seen, and the ETags of records at or after
 * `since − lookBack` (so a record seen again inside the look-back window is not reported twice).
 */
export interface NavPollCheckpoint {
  /** Newest last-modified instant seen (ISO 8601). */
  since: string;
  /** Record key → ETag of records inside the look-back window. */
  seen: Record<string, string>;
}

/** zod schema of {@link NavPollCheckpoint}; an invalid stored checkpoint means a clean start, not a crash. */
export const navPollCheckpointSchema = z.object({ since: z.string().datetime({ offset: true }), seen: z.record(z.string(), z.string()) });

/** Options of `changes.poll()`. */
export interface NavPollOptions {
  /** The checkpoint of the previous poll; omit (or pass an invalid one) to start from `startAt`. */
  checkpoint?: unknown;
  /** Where a first poll starts. Default: the beginning (every record). */
  startAt?: Date | string;
  /** How far before `since` to read again, in ms. Default 5 minutes (NAV stamps before commit; long transactions commit late). */
  lookBackMs?: number;
  /** Cancels the poll. */
  signal?: AbortSignal;
}

/** Result of one poll. */
export interface NavPollResult<S extends ServiceName> {
  /** Records created or changed since the checkpoint, oldest change first, each once. */
  changes: NavRecord<S>[];
  /** Checkpoint to store and pass next time. */
  checkpoint: NavPollCheckpoint;
}

/** Polling for changes of services that publish a last-modified field (vendors by default). */
export interface NavChangesResource {
  /**
   * Reads records whose last-modified instant is at or after `since − lookBack`, drops those already reported
   * with the same ETag, and returns the rest with a new checkpoint. Store the checkpoint only after handling
   * the changes (at-least-once).
   */
  poll<S extends ServiceName>(service: S, options?: NavPollOptions): Promise<NavPollResult<S>>;
}

/** Builds the change-polling resource. */
export function changesResource(context: NavContext): NavChangesResource {
  return {
    async poll(service, options = {}) {
      const set = entitySet(context, service);
      const resolved = set.service();
      const lastModified = resolved.lastModified;
      if (!lastModified) {
        throw new InvalidInputError(
          `${service} publishes no last-modified field, so its changes cannot be polled; publish one (e.g. Last_Modified_Date_Time) and map it in services.${service}.fields`,
          { field: 'service' },
        );
      }
      const lookBackMs = options.lookBackMs ?? NAV_DEFAULTS.pollLookBackMs;
      if (!Number.isSafeInteger(lookBackMs) || lookBackMs < 0) {
        throw new InvalidInputError('lookBackMs must be a non-negative whole number of milliseconds', { field: 'lookBackMs' });
      }
      const stored = navPollCheckpointSchema.safeParse(options.checkpoint);
      const checkpoint: NavPollCheckpoint = stored.success ? stored.data : { since: new Date(options.startAt ?? 0).toISOString(), seen: {} };
      const from = new Date(Date.parse(checkpoint.since) - lookBackMs);
      const keyOf = (record: Record<string, unknown>) => JSON.stringify(resolved.keys.map((k) => record[k.logical]));
      const changes: NavRecord<typeof service>[] = [];
      let newest = Date.parse(checkpoint.since);
      const window: { key: string; etag: string; at: number }[] = [];
      const listing = set.list(
        { modifiedSince: from, orderBy: [lastModified.logical] as never, ...(options.signal ? { signal: options.signal } : {}) },
        `${service}.poll`,
      );
      for await (const record of listing) {
        const raw = record as Record<string, unknown>;
        const at = Date.parse(String(raw[lastModified.logical] ?? ''));
        const key = keyOf(raw);
        const etag = typeof raw['etag'] === 'string' ? raw['etag'] : JSON.stringify(raw);
        if (!Number.isNaN(at)) {
          newest = Math.max(newest, at);
          window.push({ key, etag, at });
        }
        if (checkpoint.seen[key] === etag) continue;
        changes.push(record);
      }
      const horizon = newest - lookBackMs;
      const seen: Record<string, string> = {};
      for (const entry of window) if (entry.at >= horizon) seen[entry.key] = entry.etag;
      return { changes, checkpoint: { since: new Date(newest).toISOString(), seen } };
    },
  };
}
