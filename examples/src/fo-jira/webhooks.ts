import { isConnectorError } from '@ml-connector/core';
import { DYNAMIC_WEBHOOK_EVENTS, jql, verifyJiraWebhook, type JiraClient, type JiraWebhookEvent } from '@ml-connector/jira';

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
