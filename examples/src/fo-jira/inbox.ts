import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseBusinessEvent, type BusinessEvent } from '@ml-connector/d365-fo';

/**
 * Where the F&O business event handler leaves events for the flow: an append-only log read from an offset (the
 * source's cursor). The handler's `ControlNumber` claim drops exact re-deliveries before they reach it.
 */
export interface EventInbox {
  /** Appends one event (called by the handler's `onEvent`). */
  append(event: BusinessEvent): Promise<void>;
  /** Events from `offset` on, at most `limit`. */
  read(offset: number, limit: number): Promise<readonly BusinessEvent[]>;
}

/** An in-memory inbox (tests, one process). */
export function createMemoryEventInbox(): EventInbox & { readonly events: readonly BusinessEvent[] } {
  const events: BusinessEvent[] = [];
  return {
    events,
    async append(event) {
      events.push(event);
    },
    async read(offset, limit) {
      return events.slice(offset, offset + limit);
    },
  };
}

/** A JSON-lines file inbox: survives restarts, so an event received while no run is going is synced by the next run. */
export function createFileEventInbox(path: string): EventInbox {
  mkdirSync(dirname(path), { recursive: true });
  const readAll = (): BusinessEvent[] =>
    existsSync(path)
      ? readFileSync(path, 'utf8')
          .split('\n')
          .filter((line) => line.trim() !== '')
          .map((line) => parseBusinessEvent(JSON.parse(line)))
      : [];
  return {
    async append(event) {
      // The envelope as F&O sent it: parsed again on read (dates and all).
      appendFileSync(path, `${JSON.stringify(event.payload)}\n`);
    },
    async read(offset, limit) {
      return readAll().slice(offset, offset + limit);
    },
  };
}
