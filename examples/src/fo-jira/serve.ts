import { createServer } from 'node:http';
import { InvalidInputError } from '@ml-connector/core';
import { createStoreCredentialVault, createSyncEngine, resolveSecret } from '@ml-connector/core/sync';
import { VAULT_SECRET_NAMES } from '../shared/index.ts';
import { openExampleStore } from '../shared/scale-out.ts';
import { connectFoJira, loadFoJiraEnvironment } from './connect.ts';
import { createFoJiraFlow } from './flow.ts';
import { workItemActionFromEnv } from './main.ts';
import { loadFoJiraMappings } from './mappings.ts';
import { createFoJiraReturnFlow } from './return-flow.ts';
import { createFoJiraTriggers, ensureJiraWebhook } from './webhooks.ts';

/** Default pause between the polling runs that back the deliveries up: 5 minutes. */
const DEFAULT_POLL_MS = 300_000;

/**
 * `node examples/src/fo-jira/serve.ts`: fo-jira as a service against real tenants (or the emulators). `POST
 * /fo-events?code=…` is the F&O business event endpoint (register its URL in F&O; put TLS in front): an event is
 * kept in the inbox and runs the forward flow at once. `POST /jira-webhook` verifies Jira deliveries
 * (`X-Hub-Signature`, `JIRA_WEBHOOK_SECRET`) and runs the return flow for the affected issue. Both flows also run
 * every `FO_JIRA_POLL_MS` (default 5 minutes): the fallback for lost deliveries and an expired webhook. With
 * `JIRA_WEBHOOK_URL` set, the dynamic webhook is registered or refreshed at start and daily.
 */
async function main(): Promise<void> {
  const foEventsSecret = process.env['FO_EVENTS_SECRET'];
  const jiraWebhookSecret = process.env['JIRA_WEBHOOK_SECRET'];
  if (!foEventsSecret) throw new InvalidInputError('set FO_EVENTS_SECRET (the ?code= of the F&O endpoint URL)', { field: 'FO_EVENTS_SECRET' });
  if (!jiraWebhookSecret) throw new InvalidInputError('set JIRA_WEBHOOK_SECRET (the secret the Jira webhook signs deliveries with)', { field: 'JIRA_WEBHOOK_SECRET' });
  const pollMs = Number(process.env['FO_JIRA_POLL_MS'] ?? DEFAULT_POLL_MS);
  if (!(Number.isFinite(pollMs) && pollMs >= 10_000)) throw new InvalidInputError(`FO_JIRA_POLL_MS must be at least 10000, got ${process.env['FO_JIRA_POLL_MS']}`, { field: 'FO_JIRA_POLL_MS' });
  const warn = (message: string) => void process.stderr.write(`warning: ${message}\n`);
  const env = loadFoJiraEnvironment();
  const store = await openExampleStore(env.statePath, undefined);
  const vault = env.vaultKey ? createStoreCredentialVault(store) : undefined;
  const connections = await connectFoJira(env, { ...(vault ? { secret: (system: keyof typeof VAULT_SECRET_NAMES) => resolveSecret(VAULT_SECRET_NAMES[system], { vault }) } : {}) });
  const mappings = await loadFoJiraMappings(process.env['ML_CONNECTOR_FO_JIRA_MAPPINGS_DIR'] || undefined);
  const engine = createSyncEngine({ store, concurrency: 4 });
  const forward = createFoJiraFlow({ fo: connections.fo, jira: connections.jira, inbox: connections.inbox, store, mappings, environmentUrl: connections.environmentUrl });
  const actions = { 'complete-work-item': workItemActionFromEnv(process.env['FO_OUTCOME_ACTION']) };
  const returnFlow = createFoJiraReturnFlow({ fo: connections.fo, jira: connections.jira, store, mappings, projects: connections.projects, actions });
  const triggers = createFoJiraTriggers({
    engine,
    forward,
    returnFlow,
    inbox: connections.inbox,
    foEventsSecret,
    jiraWebhookSecret,
    onError: (trigger, error) => warn(`fo-jira: the run for ${trigger} failed (${error instanceof Error ? error.message : String(error)}); the next delivery or poll retries it`),
  });
  const webhookUrl = process.env['JIRA_WEBHOOK_URL'];
  const keepWebhook = async () => {
    if (webhookUrl) await ensureJiraWebhook(connections.jira, webhookUrl, connections.projects).catch((error: unknown) => warn(`fo-jira: the Jira webhook could not be registered or refreshed (${String(error)})`));
  };
  await keepWebhook();
  const timers = [setInterval(() => void triggers.poll(), pollMs), setInterval(() => void keepWebhook(), 86_400_000)];
  void triggers.poll();

  const port = Number(process.env['FO_EVENTS_PORT'] ?? 8787);
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const request = new Request(url, { method: req.method ?? 'GET', headers: req.headers as Record<string, string>, ...(req.method === 'POST' ? { body: Buffer.concat(chunks) } : {}) });
    const handler = url.pathname === '/fo-events' ? triggers.foEvents : url.pathname === '/jira-webhook' ? triggers.jiraWebhook : undefined;
    const response = handler ? await handler(request) : new Response(null, { status: 404 });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  const stop = async () => {
    timers.forEach(clearInterval);
    server.close();
    await triggers.idle();
    await connections.close();
    await store.close();
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  server.listen(port, process.env['FO_EVENTS_HOST'] ?? '127.0.0.1', () => process.stderr.write(`fo-jira endpoints on port ${port}: POST /fo-events, POST /jira-webhook (polling every ${pollMs} ms)\n`));
}

if (import.meta.main) await main();
