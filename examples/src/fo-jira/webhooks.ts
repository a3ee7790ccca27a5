import { isConnectorError, type SecretSource } from '@ml-connector/core';
import type { SyncEngine, SyncFlow } from '@ml-connector/core/sync';
import { createBusinessEventHandler, type BusinessEvent } from '@ml-connector/d365-fo';
import { DYNAMIC_WEBHOOK_EVENTS, jql, verifyJiraWebhook, type JiraClient, type JiraWebhookEvent } from '@ml-connector/jira';
import { createCoalescingRunner } from '../bc-master-data/webhooks.ts';
import type { EventInbox } from './inbox.ts';
import type { IssueDraft } from './mapper.ts';
import type { FoJiraReturnFlow } from './return-flow.ts';

/** Default: refresh webhooks expiring within a week (Jira's dynamic webhooks live 30 days). */
export const WEBHOOK_REFRESH_WITHIN_MS = 7 * 86_400_000;

/**
 * Keeps the return flow's dynamic webhook alive: registers it for the projects when it is missing (or expired,
 * which Jira drops) and refreshes every webhook expiring within `withinMs`. Run it at each start and daily.
 */
export async function ensureJiraWebhook(jira: JiraClient, url: string, projects: readonly string[], withinMs = WEBHOOK_REFRESH_WITHIN_MS) {
  const existing = (await jira.webhooks.list().toArray({ limit: 100 })) as Array<{ id: number }>;
  if (existing.length === 0) {
    const events = ['jira:issue_updated', 'comment_created'].filter((event) => (DYNAMIC_WEBHOOK_EVENTS as readonly string[]).includes(event));
    const outcome = await jira.webhooks.register(url, [{ events: events as never, jqlFilter: jql`project IN ${[...projects]}` }]);
    return { registered: outcome.length, refreshed: [] as number[] };
  }
  const { refreshed } = await jira.webhooks.refreshExpiring({ withinMs });
  return { registered: 0, refreshed };
}

/** Options of {@link createJiraWebhookReceiver}. */
export interface JiraWebhookReceiverOptions {
  /** The secret the webhook was registered with. */
  readonly secret: string;
  /** Called once per verified delivery (Jira's retries repeat the delivery id and are dropped). */
  onEvent(event: JiraWebhookEvent): Promise<void> | void;
  /** Delivery ids remembered for deduplication. @default 10000 */
  readonly maxRemembered?: number;
}

/**
 * A framework-agnostic `Request → Response` endpoint for Jira webhooks: POST only, `X-Hub-Signature` verified over
 * the raw body before anything is parsed (401 otherwise), duplicate deliveries dropped by
 * `X-Atlassian-Webhook-Identifier`. A verified event wakes the return flow (it re-reads the issue, so a lost
 * delivery costs latency, not data).
 */
export function createJiraWebhookReceiver(options: JiraWebhookReceiverOptions): (request: Request) => Promise<Response> {
  const seen = new Set<string>();
  const max = options.maxRemembered ?? 10_000;
  return async (request) => {
    if (request.method !== 'POST') return new Response(null, { status: 405 });
    const rawBody = new Uint8Array(await request.arrayBuffer());
    let verified;
    try {
      verified = verifyJiraWebhook({ rawBody, headers: request.headers, secret: options.secret });
    } catch (error) {
      return new Response(JSON.stringify({ error: isConnectorError(error) ? error.code : 'rejected' }), { status: 401, headers: { 'content-type': 'application/json' } });
    }
    if (verified.deliveryId) {
      if (seen.has(verified.deliveryId)) return new Response(null, { status: 204 });
      seen.add(verified.deliveryId);
      if (seen.size > max) seen.delete(seen.values().next().value as string);
    }
    await options.onEvent(verified.event);
    return new Response(null, { status: 204 });
  };
}

/** Options of {@link createFoJiraTriggers}. */
export interface FoJiraTriggersOptions {
  readonly engine: SyncEngine;
  /** The forward flow (F&O business events → Jira): a business event delivery runs it. */
  readonly forward: SyncFlow<BusinessEvent, IssueDraft>;
  /** The return flow (Jira → F&O): a Jira webhook delivery processes the affected issue through it. */
  readonly returnFlow: FoJiraReturnFlow;
  /** Where business events wait for the forward flow (its source reads it). */
  readonly inbox: EventInbox;
  /** The `?code=` secret of the F&O business event endpoint. */
  readonly foEventsSecret: SecretSource;
  /** The secret the Jira webhook was registered with (`X-Hub-Signature`). */
  readonly jiraWebhookSecret: string;
  /** Called when a triggered run fails (the next delivery or the polling fallback runs it again). Must not throw. */
  readonly onError?: (trigger: string, error: unknown) => void;
}

/** The two endpoints and the runs they start. */
export interface FoJiraTriggers {
  /** `POST` endpoint for F&O business events: the event is kept in the inbox and the forward flow runs. */
  readonly foEvents: (request: Request) => Promise<Response>;
  /** `POST` endpoint for Jira webhooks: a verified delivery runs the return flow for the affected issue. */
  readonly jiraWebhook: (request: Request) => Promise<Response>;
  /** Runs both flows in full: the polling fallback (lost deliveries, downtime, expired webhooks). */
  poll(): Promise<void>;
  /** Resolves when no triggered run is going (tests, shutdown). */
  idle(): Promise<void>;
}

/**
 * Deliveries start runs instead of waiting for the next scheduled one. Each endpoint answers as soon as the
 * delivery is verified and kept, then runs in the background: runs of one kind never overlap (a delivery during a
 * run schedules exactly one more). A Jira delivery is only a signal: the issue is re-read live (no search index)
 * and taken through the engine (`process`: ledger, audit, review queue as in a run), so a forged, late or repeated
 * delivery can send nothing to F&O that Jira does not hold. Polling ({@link FoJiraTriggers.poll}) stays the
 * fallback for whatever a delivery missed.
 */
export function createFoJiraTriggers(options: FoJiraTriggersOptions): FoJiraTriggers {
  const { engine, forward, returnFlow } = options;
  const runner = createCoalescingRunner<string>(
    async (trigger) => {
      if (trigger === 'forward') {
        await engine.run(forward);
      } else if (trigger === 'return') {
        await engine.run(returnFlow);
      } else {
        const activity = await returnFlow.activityOf(trigger.slice('issue:'.length));
        if (activity) await engine.process(returnFlow, [activity]);
      }
    },
    (trigger, error) => options.onError?.(trigger, error),
  );
  const foEvents = createBusinessEventHandler({
    secret: options.foEventsSecret,
    onEvent: async (event) => {
      await options.inbox.append(event);
      void runner.trigger('forward');
    },
  });
  const jiraWebhook = createJiraWebhookReceiver({
    secret: options.jiraWebhookSecret,
    onEvent: (event) => {
      if (event.issue?.key) void runner.trigger(`issue:${event.issue.key}`);
    },
  });
  return {
    foEvents,
    jiraWebhook,
    async poll() {
      await Promise.all([runner.trigger('forward'), runner.trigger('return')]);
    },
    idle: () => runner.idle(),
  };
}
