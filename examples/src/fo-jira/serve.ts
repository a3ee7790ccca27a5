import { createServer } from 'node:http';
import { join, resolve } from 'node:path';
import { InvalidInputError } from '@ml-connector/core';
import { createBusinessEventHandler } from '@ml-connector/d365-fo';
import { createFileEventInbox } from './inbox.ts';
import { createJiraWebhookReceiver } from './webhooks.ts';

/**
 * `node examples/src/fo-jira/serve.ts`: the HTTP endpoints of fo-jira against real tenants. `POST /fo-events?code=…`
 * is the F&O client's business event handler (register its URL as the HTTPS business event endpoint in F&O; put
 * TLS in front): new events go to the inbox file the next `pnpm example:fo-jira` run reads. `POST /jira-webhook`
 * verifies Jira deliveries (`X-Hub-Signature`) and runs nothing itself: schedule the example (or run it on the
 * delivery) to apply them.
 */
async function main(): Promise<void> {
  const secret = process.env['FO_EVENTS_SECRET'];
  if (!secret) throw new InvalidInputError('set FO_EVENTS_SECRET (the ?code= of the F&O endpoint URL)', { field: 'FO_EVENTS_SECRET' });
  const stateDir = resolve(process.env['ML_CONNECTOR_STATE_DIR'] ?? '.ml-connector');
  const inbox = createFileEventInbox(join(stateDir, 'fo-jira', 'events.jsonl'));
  const foEvents = createBusinessEventHandler({ secret, onEvent: (event) => inbox.append(event) });
  const jiraSecret = process.env['JIRA_WEBHOOK_SECRET'];
  const jiraWebhook = jiraSecret ? createJiraWebhookReceiver({ secret: jiraSecret, onEvent: (event) => void process.stdout.write(`jira ${event.webhookEvent} ${event.issue?.key ?? ''}\n`) }) : undefined;
  const port = Number(process.env['FO_EVENTS_PORT'] ?? 8787);
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const request = new Request(url, { method: req.method ?? 'GET', headers: req.headers as Record<string, string>, ...(req.method === 'POST' ? { body: Buffer.concat(chunks) } : {}) });
    const handler = url.pathname === '/fo-events' ? foEvents : url.pathname === '/jira-webhook' ? jiraWebhook : undefined;
    const response = handler ? await handler(request) : new Response(null, { status: 404 });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  server.listen(port, process.env['FO_EVENTS_HOST'] ?? '127.0.0.1', () => process.stderr.write(`fo-jira endpoints on port ${port}: POST /fo-events, POST /jira-webhook\n`));
}

if (import.meta.main) await main();
