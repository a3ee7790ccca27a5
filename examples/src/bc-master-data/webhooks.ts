/**
 * Business Central webhooks for the master-data flows: a small `node:http` receiver (validation handshake,
 * `clientState` check, notifications turned into "run that entity's flow now" signals) and the subscriptions
 * behind it (created or adopted at start, renewed before BC's three-day expiry, re-created when BC dropped them).
 *
 * A notification is only a signal: the flow re-reads Business Central from its checkpoint, so a forged, late,
 * repeated or `collection` notification can never put data into JAGGAER that BC does not hold.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type BusinessCentralClient,
  type Entity,
  type SubscriptionFields,
  type WebhookSignal,
  handleValidationRequest,
  isWebhookEnabledResource,
  parseNotifications,
} from '@ml-connector/business-central';
import { InvalidInputError, type Logger, isWebhookVerificationError } from '@ml-connector/core';

/** Largest notification body accepted (BC batches notifications; 1,000 entries are far below this). */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Options of {@link startWebhookReceiver}. */
export interface WebhookReceiverOptions {
  /** Port to listen on (`0`: a free port). */
  readonly port: number;
  /** Interface to bind. Default `127.0.0.1`: put a reverse proxy or tunnel with the public URL in front. */
  readonly host?: string;
  /** The secret given when subscribing; notifications without it are answered 401 and ignored. */
  readonly clientState: string;
  /** Receives every verified notification, after the 202 answer has been sent. Must not throw. */
  readonly onSignal: (signal: WebhookSignal) => void;
  readonly logger?: Logger;
}

/** A running receiver. */
export interface WebhookReceiver {
  /** `http://{host}:{port}/`. */
  readonly url: string;
  readonly port: number;
  /** Counters, for the summary and tests. */
  readonly stats: { handshakes: number; notifications: number; rejected: number };
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(undefined);
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function answer(response: ServerResponse, status: number, body = '', contentType = 'text/plain; charset=utf-8'): void {
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

/**
 * Starts the receiver. It answers the handshake (`?validationToken=…` → 200 with the token), checks every
 * notification's `clientState` in constant time (401 otherwise: BC does not retry a 401, so a forged request
 * costs nothing), answers 202 at once and only then hands the signals on, because BC treats a slow answer as a
 * failure and retries.
 */
export async function startWebhookReceiver(options: WebhookReceiverOptions): Promise<WebhookReceiver> {
  if (typeof options.clientState !== 'string' || options.clientState.length < 16) {
    throw new InvalidInputError('clientState must be a secret of at least 16 characters (set BC_WEBHOOK_CLIENT_STATE)', { field: 'clientState' });
  }
  const stats = { handshakes: 0, notifications: 0, rejected: 0 };
  const server: Server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://receiver.invalid');
      const handshake = handleValidationRequest(url);
      if (handshake) {
        stats.handshakes++;
        answer(response, handshake.status, await handshake.text());
        return;
      }
      if (request.method !== 'POST') {
        answer(response, 405, 'POST notifications here');
        return;
      }
      const body = await readBody(request);
      if (body === undefined) {
        stats.rejected++;
        answer(response, 413, 'notification body too large');
        return;
      }
      let signals: WebhookSignal[];
      try {
        signals = parseNotifications(body, { clientState: options.clientState });
      } catch (error) {
        stats.rejected++;
        if (isWebhookVerificationError(error)) {
          options.logger?.warn({}, 'webhook rejected: wrong or missing clientState');
          answer(response, 401, 'unauthorized');
        } else {
          options.logger?.warn({}, 'webhook rejected: not a notification body');
          answer(response, 400, 'not a Business Central notification body');
        }
        return;
      }
      stats.notifications += signals.length;
      answer(response, 202);
      for (const signal of signals) options.onSignal(signal);
    })().catch((error: unknown) => {
      options.logger?.error({ error: error instanceof Error ? error.message : String(error) }, 'webhook receiver failed');
      if (!response.headersSent) answer(response, 500, 'internal error');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/`,
    port: address.port,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Options of {@link createSubscriptionKeeper}. */
export interface SubscriptionKeeperOptions {
  readonly bc: BusinessCentralClient;
  readonly companyId: string;
  /** Webhook-enabled entity sets to watch (`vendors`, `accounts`). */
  readonly entitySets: readonly string[];
  /** Public URL BC posts to (reaches the receiver). */
  readonly notificationUrl: string;
  readonly clientState: string;
  /** Renew when a subscription expires within this. Default one day (they last three). */
  readonly renewWithinMs?: number;
  readonly logger?: Logger;
}

/** Keeps one subscription per entity set alive. */
export interface SubscriptionKeeper {
  /** Creates the subscriptions, or adopts ours that exist (same URL, resource and `clientState`). */
  ensure(signal?: AbortSignal): Promise<void>;
  /** Renews what expires within `renewWithinMs`; re-creates a subscription BC deleted. Call it periodically. */
  renewDue(signal?: AbortSignal): Promise<{ renewed: number; recreated: number }>;
  /** The subscriptions held, by entity set. */
  readonly subscriptions: ReadonlyMap<string, Entity<SubscriptionFields>>;
  /** Deletes the subscriptions (on shutdown, when asked to). */
  remove(): Promise<void>;
}

const sameUrl = (a: string, b: string) => {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return false;
  }
};

const isNotFound = (error: unknown): boolean => typeof error === 'object' && error !== null && (error as { status?: unknown }).status === 404;

/** Creates the subscription keeper. Entity sets BC sends no webhooks for are refused up front. */
export function createSubscriptionKeeper(options: SubscriptionKeeperOptions): SubscriptionKeeper {
  for (const set of options.entitySets) {
    if (!isWebhookEnabledResource(set)) throw new InvalidInputError(`Business Central sends no webhooks for ${set}; poll it instead`, { field: 'entitySets' });
  }
  const held = new Map<string, Entity<SubscriptionFields>>();
  const within = options.renewWithinMs ?? 24 * 3_600_000;
  const company = options.companyId.toLowerCase();
  const resourceOf = (sub: Entity<SubscriptionFields>) => sub.resource.toLowerCase();
  const matches = (sub: Entity<SubscriptionFields>, set: string) =>
    sameUrl(sub.notificationUrl, options.notificationUrl) && resourceOf(sub).includes(`companies(${company})/${set.toLowerCase()}`) && resourceOf(sub).endsWith(`/${set.toLowerCase()}`);
  const create = async (set: string, signal?: AbortSignal) => {
    const sub = await options.bc.webhooks.create({
      companyId: options.companyId,
      entitySet: set,
      notificationUrl: options.notificationUrl,
      clientState: options.clientState,
      ...(signal ? { signal } : {}),
    });
    held.set(set, sub);
    options.logger?.info({ entitySet: set, expires: sub.expirationDateTime }, 'webhook subscription created');
    return sub;
  };
  return {
    subscriptions: held,
    async ensure(signal) {
      const existing = await options.bc.webhooks.list().toArray({ limit: 1000 });
      for (const set of options.entitySets) {
        const ours = existing.filter((sub) => matches(sub, set));
        const keep = ours.find((sub) => sub.clientState === options.clientState);
        for (const stale of ours) if (stale !== keep) await options.bc.webhooks.delete(stale, signal ? { signal } : {});
        if (keep) {
          const { subscription } = await options.bc.webhooks.renewIfExpiring(keep, { within, ...(signal ? { signal } : {}) });
          held.set(set, subscription);
        } else {
          await create(set, signal);
        }
      }
    },
    async renewDue(signal) {
      let renewed = 0;
      let recreated = 0;
      for (const [set, sub] of held) {
        try {
          const result = await options.bc.webhooks.renewIfExpiring(sub, { within, ...(signal ? { signal } : {}) });
          if (result.renewed) renewed++;
          held.set(set, result.subscription);
        } catch (error) {
          // BC deletes a subscription after a delivery is answered with an error it does not retry.
          if (!isNotFound(error)) throw error;
          await create(set, signal);
          recreated++;
        }
      }
      return { renewed, recreated };
    },
    async remove() {
      for (const [set, sub] of held) {
        try {
          await options.bc.webhooks.delete(sub);
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
        held.delete(set);
      }
    },
  };
}

/**
 * Runs one task per key at a time: a trigger while the key's task runs asks for exactly one more run after it
 * (notifications that arrive during a run are covered by that next run, never lost, never piled up).
 */
export function createCoalescingRunner<K extends string>(run: (key: K) => Promise<void>, onError: (key: K, error: unknown) => void) {
  const running = new Map<K, Promise<void>>();
  const again = new Set<K>();
  const start = (key: K): Promise<void> => {
    const task = (async () => {
      do {
        again.delete(key);
        try {
          await run(key);
        } catch (error) {
          onError(key, error);
        }
      } while (again.has(key));
    })().finally(() => running.delete(key));
    running.set(key, task);
    return task;
  };
  return {
    /** Runs `key` now, or once more after its current run. */
    trigger(key: K): Promise<void> {
      const current = running.get(key);
      if (current) {
        again.add(key);
        return current;
      }
      return start(key);
    },
    /** Resolves when nothing runs. */
    async idle(): Promise<void> {
      while (running.size > 0) await Promise.all(running.values());
    },
  };
}
