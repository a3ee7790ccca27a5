/**
 * `--watch`: keeps the master data in JAGGAER current. With a notification URL, Business Central webhooks
 * trigger an immediate run of the changed entity's flow (dimension values, which BC sends no webhooks for, are
 * polled); without one, every flow is polled on an interval. Runs of one flow never overlap, and a signal that
 * arrives during a run gets exactly one more run after it.
 */
import type { BusinessCentralClient } from '@ml-connector/business-central';
import { InvalidInputError, type Logger } from '@ml-connector/core';
import type { RunSummary, SyncEngine } from '@ml-connector/core/sync';
import type { AnySyncFlow } from '../shared/index.ts';
import { MASTER_DATA_ENTITIES, type MasterDataEntity, type MasterDataFlows } from './flows.ts';
import { createCoalescingRunner, createSubscriptionKeeper, startWebhookReceiver, type WebhookReceiver } from './webhooks.ts';

/** BC entity sets this example subscribes to (dimension values have no webhooks). */
export const WEBHOOK_ENTITIES: readonly MasterDataEntity[] = ['vendors', 'accounts'];

/** Webhook settings of {@link startMasterDataWatch}. */
export interface WatchWebhookOptions {
  /** Public URL BC posts to; it must reach the receiver. Omitted: the receiver's own loopback URL (emulators). */
  readonly notificationUrl?: string;
  /** Receiver port (`0`: a free one). */
  readonly port: number;
  /** Receiver interface. Default `127.0.0.1`. */
  readonly host?: string;
  /** Shared secret (at least 16 characters). */
  readonly clientState: string;
}

/** Options of {@link startMasterDataWatch}. */
export interface MasterDataWatchOptions {
  readonly engine: SyncEngine;
  readonly flows: MasterDataFlows;
  readonly businessCentral: BusinessCentralClient;
  readonly companyId: string;
  /** Poll interval of polled flows. */
  readonly intervalMs: number;
  /** With webhooks: how often the webhook-driven flows are polled anyway (a missed notification). Default 1 hour. */
  readonly safetyPollMs?: number;
  /** How often subscriptions are checked for renewal. Default 1 hour (they last three days, renewed within one). */
  readonly renewCheckMs?: number;
  readonly webhook?: WatchWebhookOptions;
  readonly logger: Logger;
  /** Told after every run. */
  readonly onRun?: (entity: MasterDataEntity, summary: RunSummary, trigger: 'start' | 'poll' | 'webhook') => void;
  /** Told about a run or renewal that failed (the watch goes on). */
  readonly onError?: (what: string, error: unknown) => void;
}

/** A running watch. */
export interface MasterDataWatch {
  /** The receiver's URL, with webhooks. */
  readonly receiverUrl?: string;
  /** Resolves when no run is in progress. */
  idle(): Promise<void>;
  /** Stops timers, lets running flows finish (they save their checkpoints), closes the receiver. */
  stop(): Promise<void>;
}

/** Starts watching: one catch-up run of every flow, then webhooks and/or polling. */
export async function startMasterDataWatch(options: MasterDataWatchOptions): Promise<MasterDataWatch> {
  if (!Number.isInteger(options.intervalMs) || options.intervalMs < 1000) {
    throw new InvalidInputError(`The poll interval must be at least 1000 ms, got ${options.intervalMs}`, { field: 'intervalMs' });
  }
  const controller = new AbortController();
  const triggers = new Map<MasterDataEntity, 'start' | 'poll' | 'webhook'>();
  const runner = createCoalescingRunner<MasterDataEntity>(
    async (entity) => {
      const trigger = triggers.get(entity) ?? 'poll';
      const flow: AnySyncFlow = options.flows[entity];
      const summary = await options.engine.run(flow, { signal: controller.signal });
      options.onRun?.(entity, summary, trigger);
    },
    (entity, error) => options.onError?.(`run of ${entity}`, error),
  );
  const trigger = (entity: MasterDataEntity, why: 'start' | 'poll' | 'webhook') => {
    if (controller.signal.aborted) return;
    triggers.set(entity, why);
    void runner.trigger(entity);
  };

  let receiver: WebhookReceiver | undefined;
  const timers: ReturnType<typeof setInterval>[] = [];
  let keeper: ReturnType<typeof createSubscriptionKeeper> | undefined;
  if (options.webhook) {
    const webhookSets = new Set<string>(WEBHOOK_ENTITIES);
    receiver = await startWebhookReceiver({
      port: options.webhook.port,
      ...(options.webhook.host ? { host: options.webhook.host } : {}),
      clientState: options.webhook.clientState,
      logger: options.logger,
      // The payload is never trusted: a notification only says "read this entity from your checkpoint now".
      onSignal: (signal) => {
        if (webhookSets.has(signal.entity) && (signal.companyId === undefined || signal.companyId.toLowerCase() === options.companyId.toLowerCase())) {
          trigger(signal.entity as MasterDataEntity, 'webhook');
        }
      },
    });
    keeper = createSubscriptionKeeper({
      bc: options.businessCentral,
      companyId: options.companyId,
      entitySets: WEBHOOK_ENTITIES,
      notificationUrl: options.webhook.notificationUrl ?? receiver.url,
      clientState: options.webhook.clientState,
      logger: options.logger,
    });
    try {
      await keeper.ensure(controller.signal);
    } catch (error) {
      await receiver.close();
      throw error;
    }
    const renew = keeper;
    timers.push(
      setInterval(() => {
        renew.renewDue(controller.signal).catch((error: unknown) => options.onError?.('subscription renewal', error));
      }, options.renewCheckMs ?? 3_600_000),
    );
    timers.push(
      setInterval(() => {
        for (const entity of WEBHOOK_ENTITIES) trigger(entity, 'poll');
      }, options.safetyPollMs ?? 3_600_000),
    );
  }
  const polled = MASTER_DATA_ENTITIES.filter((entity) => !(options.webhook && WEBHOOK_ENTITIES.includes(entity)));
  timers.push(
    setInterval(() => {
      for (const entity of polled) trigger(entity, 'poll');
    }, options.intervalMs),
  );
  for (const entity of MASTER_DATA_ENTITIES) trigger(entity, 'start');

  return {
    ...(receiver ? { receiverUrl: receiver.url } : {}),
    idle: () => runner.idle(),
    async stop() {
      for (const timer of timers) clearInterval(timer);
      controller.abort();
      await runner.idle();
      await receiver?.close();
    },
  };
}
