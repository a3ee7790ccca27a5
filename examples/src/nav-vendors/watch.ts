/**
 * Keeps the vendor flows running: NAV changes arrive through Business Central on-premises webhook subscriptions
 * (the API's `subscriptions`, when the client has `apiUrl` and a notification URL is configured) and trigger an
 * immediate NAV → JAGGAER run; without them (NAV, or an instance without API services) NAV is polled. JAGGAER has no
 * webhooks and is always polled.
 *
 * A notification is only a signal: the flow re-reads NAV from its checkpoint, so a forged, late, repeated or
 * `collection` notification can never put data into JAGGAER that NAV does not hold.
 */
import { InvalidInputError, type Logger, isNotFoundError } from '@ml-connector/core';
import type { RunSummary, SyncEngine, SyncFlow } from '@ml-connector/core/sync';
import { type NavClient, type NavSubscription, handleNavValidationRequest, parseNavNotifications } from '@ml-connector/nav';
import { createCoalescingRunner } from '../bc-master-data/webhooks.ts';

/** Webhook settings of {@link startNavVendorWatch}. */
export interface NavVendorWebhookOptions {
  /** The company's id in the Business Central API (`GET …/api/v2.0/companies`). */
  readonly companyId: string;
  /** Public URL Business Central posts to; it must reach {@link NavVendorWatch.handle}. */
  readonly notificationUrl: string;
  /** Secret sent with every notification (at least 16 characters); others are answered 401. */
  readonly clientState: string;
  /** Renew when the subscription expires within this. Default one day (subscriptions last three). */
  readonly renewWithinMs?: number;
}

/** Options of {@link startNavVendorWatch}. */
export interface NavVendorWatchOptions {
  readonly engine: SyncEngine;
  /** `[JAGGAER → NAV, NAV → JAGGAER]`, as `createNavVendorFlows` returns them. */
  readonly flows: readonly [SyncFlow<any, any>, SyncFlow<any, any>];
  /** The NAV client; webhooks need its `apiUrl` option. */
  readonly nav: NavClient;
  /** Use webhooks for NAV when possible. */
  readonly webhook?: NavVendorWebhookOptions;
  /** Poll interval of JAGGAER → NAV, and of NAV → JAGGAER without webhooks. Default 5 minutes. */
  readonly pollIntervalMs?: number;
  /** With webhooks: how often subscriptions are renewed if due and NAV is polled anyway (a missed notification). Default 1 hour. */
  readonly maintenanceIntervalMs?: number;
  /** Clock. Default `Date.now`. */
  readonly now?: () => number;
  readonly logger?: Logger;
  /** Called after each run. */
  readonly onRun?: (flow: string, summary: RunSummary, trigger: 'start' | 'poll' | 'webhook') => void;
  /** Called when a run or the maintenance fails (the watch goes on). */
  readonly onError?: (what: string, error: unknown) => void;
}

/** A running watch. */
export interface NavVendorWatch {
  /** `webhooks` when the subscription is in place, otherwise `polling`. */
  readonly mode: 'webhooks' | 'polling';
  /** Why webhooks are not used, in `polling` mode when they were asked for. */
  readonly fallbackReason?: string;
  /** The subscription held, in `webhooks` mode. */
  readonly subscription: NavSubscription | undefined;
  /**
   * The notification endpoint: answers the validation handshake, checks `clientState` (401 otherwise), answers 202
   * at once and then starts a NAV → JAGGAER run (one more after the current one when a run is going on).
   */
  handle(request: Request): Promise<Response>;
  /** Renews the subscription when due, re-creates it when Business Central dropped it; polls NAV in polling mode. */
  maintain(): Promise<{ renewed: boolean; recreated: boolean }>;
  /** Resolves when no run is going on. */
  idle(): Promise<void>;
  /** Stops the timers and waits for running flows. */
  stop(): Promise<void>;
}

const DEFAULT_POLL_MS = 5 * 60_000;
const DEFAULT_MAINTENANCE_MS = 3_600_000;
const DAY_MS = 86_400_000;

const sameUrl = (a: string, b: string) => {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return false;
  }
};

/** Starts watching: a catch-up run of both flows, then webhooks for NAV when they can be had, polling otherwise. */
export async function startNavVendorWatch(options: NavVendorWatchOptions): Promise<NavVendorWatch> {
  const now = options.now ?? Date.now;
  const [toNav, toJaggaer] = options.flows;
  const webhook = options.webhook;
  if (webhook && (typeof webhook.clientState !== 'string' || webhook.clientState.length < 16)) {
    throw new InvalidInputError('the webhook clientState must be a secret of at least 16 characters (set NAV_WEBHOOK_CLIENT_STATE)', { field: 'clientState' });
  }
  const triggers = new Map<string, 'start' | 'poll' | 'webhook'>();
  // One flow at a time: both directions write vendors, and each must see the other's last write in the ledger.
  let queue: Promise<unknown> = Promise.resolve();
  const runner = createCoalescingRunner<string>(
    async (name) => {
      const flow = name === toNav.name ? toNav : toJaggaer;
      const run = queue.then(() => options.engine.run(flow));
      queue = run.catch(() => undefined);
      const summary = await run;
      options.onRun?.(name, summary, triggers.get(name) ?? 'poll');
    },
    (name, error) => options.onError?.(name, error),
  );
  const trigger = (flow: SyncFlow<any, any>, why: 'start' | 'poll' | 'webhook') => {
    triggers.set(flow.name, why);
    return runner.trigger(flow.name);
  };

  let subscription: NavSubscription | undefined;
  let fallbackReason: string | undefined;
  const within = webhook?.renewWithinMs ?? DAY_MS;
  const isOurs = (sub: NavSubscription) =>
    webhook !== undefined &&
    sameUrl(sub.notificationUrl, webhook.notificationUrl) &&
    sub.resource.toLowerCase().endsWith(`companies(${webhook.companyId.toLowerCase()})/vendors`);
  const create = async () => {
    subscription = await options.nav.webhooks.create({ companyId: webhook!.companyId, entitySet: 'vendors', notificationUrl: webhook!.notificationUrl, clientState: webhook!.clientState });
    options.logger?.info({ expires: subscription.expirationDateTime }, 'NAV webhook subscription created');
  };
  if (webhook) {
    try {
      // Adopt ours when it is there (same URL, resource and secret); stale ones of ours are removed.
      const existing = (await options.nav.webhooks.list()).filter(isOurs);
      const keep = existing.find((sub) => sub.clientState === webhook.clientState);
      for (const stale of existing) if (stale !== keep) await options.nav.webhooks.delete(stale);
      if (keep) subscription = Date.parse(keep.expirationDateTime) - now() < within ? await options.nav.webhooks.renew(keep) : keep;
      else await create();
    } catch (error) {
      // No API root (NAV), API services disabled (404), or the handshake failed: NAV is polled instead.
      fallbackReason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      subscription = undefined;
      options.logger?.warn({ reason: fallbackReason }, 'NAV webhooks unavailable; polling NAV');
    }
  }
  const mode: 'webhooks' | 'polling' = subscription ? 'webhooks' : 'polling';

  const maintain = async (): Promise<{ renewed: boolean; recreated: boolean }> => {
    if (mode === 'polling') {
      await trigger(toJaggaer, 'poll');
      return { renewed: false, recreated: false };
    }
    let renewed = false;
    let recreated = false;
    const current = subscription as NavSubscription;
    if (Date.parse(current.expirationDateTime) - now() < within) {
      try {
        subscription = await options.nav.webhooks.renew(current);
        renewed = true;
      } catch (error) {
        // Business Central deletes a subscription that expired or whose deliveries kept failing.
        if (!isNotFoundError(error)) throw error;
        await create();
        recreated = true;
      }
    }
    // A notification may have been lost (receiver down, subscription re-created): poll NAV once anyway.
    await trigger(toJaggaer, 'poll');
    return { renewed, recreated };
  };

  const handle = async (request: Request): Promise<Response> => {
    const handshake = handleNavValidationRequest(request);
    if (handshake) return handshake;
    if (request.method !== 'POST') return new Response('POST notifications here', { status: 405 });
    if (!webhook) return new Response('webhooks are not configured', { status: 404 });
    let notifications;
    try {
      notifications = parseNavNotifications(await request.text(), { clientState: webhook.clientState });
    } catch (error) {
      // Business Central does not retry a 401: a forged request costs nothing.
      const unauthorized = error instanceof Error && /clientState/.test(error.message);
      options.logger?.warn({}, unauthorized ? 'NAV webhook rejected: wrong clientState' : 'NAV webhook rejected: not a notification body');
      return new Response(unauthorized ? 'unauthorized' : 'not a notification batch', { status: unauthorized ? 401 : 400 });
    }
    if (notifications.some((n) => /\/vendors(\(|$)/i.test(n.resource) || n.changeType === 'collection')) {
      // Not awaited: the answer goes out at once (Business Central counts a slow answer as a failed delivery).
      void trigger(toJaggaer, 'webhook');
    }
    return new Response(null, { status: 202 });
  };

  await Promise.all([trigger(toNav, 'start'), trigger(toJaggaer, 'start')]);
  const timers = [setInterval(() => void trigger(toNav, 'poll'), options.pollIntervalMs ?? DEFAULT_POLL_MS)];
  timers.push(
    mode === 'webhooks'
      ? setInterval(() => void maintain().catch((error: unknown) => options.onError?.('maintenance', error)), options.maintenanceIntervalMs ?? DEFAULT_MAINTENANCE_MS)
      : setInterval(() => void trigger(toJaggaer, 'poll'), options.pollIntervalMs ?? DEFAULT_POLL_MS),
  );

  return {
    mode,
    ...(fallbackReason !== undefined ? { fallbackReason } : {}),
    get subscription() {
      return subscription;
    },
    handle,
    maintain,
    idle: () => runner.idle(),
    async stop() {
      for (const timer of timers) clearInterval(timer);
      await runner.idle();
    },
  };
}

/** A loopback-or-proxy HTTP server in front of {@link NavVendorWatch.handle}. */
export interface NotificationServer {
  /** `http://{host}:{port}/`. */
  readonly url: string;
  close(): Promise<void>;
}

/** Largest notification body accepted (Business Central batches notifications; far below this). */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * Serves a fetch-style handler with `node:http` (the receiver of `--watch`); binds 127.0.0.1 by default: put a
 * reverse proxy or tunnel with the public notification URL in front.
 */
export async function serveNotifications(handle: (request: Request) => Promise<Response>, options: { port: number; host?: string }): Promise<NotificationServer> {
  const { createServer } = await import('node:http');
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    let size = 0;
    incoming.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    incoming.on('end', () => {
      void (async () => {
        const response =
          size > MAX_BODY_BYTES
            ? new Response('notification body too large', { status: 413 })
            : await handle(
                new Request(new URL(incoming.url ?? '/', 'http://receiver.invalid'), {
                  method: incoming.method ?? 'GET',
                  headers: Object.entries(incoming.headers).flatMap(([name, value]) => (typeof value === 'string' ? [[name, value] as [string, string]] : [])),
                  ...(incoming.method === 'POST' ? { body: Buffer.concat(chunks) } : {}),
                }),
              );
        outgoing.writeHead(response.status, Object.fromEntries(response.headers));
        outgoing.end(Buffer.from(await response.arrayBuffer()));
      })().catch(() => {
        if (!outgoing.headersSent) outgoing.writeHead(500);
        outgoing.end();
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as { address: string; port: number; family: string };
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Waits for SIGINT or SIGTERM, then stops the watch (running flows finish and save their checkpoints). */
export async function stopOnSignal(watch: Pick<NavVendorWatch, 'stop'>, say: (line: string) => void): Promise<void> {
  const signal = await new Promise<string>((resolve) => {
    for (const name of ['SIGINT', 'SIGTERM'] as const) process.once(name, () => resolve(name));
  });
  say(`${signal}: finishing running flows and saving checkpoints…\n`);
  await watch.stop();
}
