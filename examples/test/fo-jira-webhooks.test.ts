import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adf, connectJira, verifyJiraWebhook } from '@ml-connector/jira';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, SANDBOX_WEBHOOK_SECRET, createJiraSandbox } from '@ml-connector/jira/testing';
import { createFoJiraTriggers, createJiraWebhookReceiver, ensureJiraWebhook } from '../src/fo-jira/webhooks.ts';
import { EVENT_SECRET, FAST_RETRY, createFoJiraWorld } from './fo-jira.world.ts';

const SECRET = 'return-flow-webhook-secret';
const sign = (body: string | Uint8Array, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
const delivery = (body: string, headers: Record<string, string>) =>
  new Request('http://127.0.0.1/jira-webhook', { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
const validEvent = JSON.stringify({ timestamp: 1, webhookEvent: 'jira:issue_updated', issue: { id: '10000', key: 'FIN-1' } });

describe('Jira webhook receiver', () => {
  it('accepts a correctly signed delivery once (retries with the same delivery id are dropped)', async () => {
    const events: unknown[] = [];
    const receive = createJiraWebhookReceiver({ secret: SECRET, onEvent: (event) => void events.push(event) });
    const headers = { 'x-hub-signature': sign(validEvent), 'x-atlassian-webhook-identifier': 'd-1' };
    expect((await receive(delivery(validEvent, headers))).status).toBe(204);
    expect((await receive(delivery(validEvent, headers))).status).toBe(204);
    expect(events).toHaveLength(1);
  });

  it('fuzz: 10,000 malformed or forged deliveries through the verifier and 1,000 through the receiver, none accepted', async () => {
    let accepted = 0;
    let runs = 0;
    const receive = createJiraWebhookReceiver({ secret: SECRET, onEvent: () => void accepted++ });
    const body = fc.oneof(fc.string(), fc.constant(validEvent), fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')));
    const forged = fc.oneof(
      // No signature, or garbage.
      fc.record({ kind: fc.constant('none' as const) }),
      fc.record({ kind: fc.constant('garbage' as const), value: fc.string({ maxLength: 90 }).filter((s) => !/[\r\n\0]/.test(s) && s.trim() === s) }),
      // Right scheme, random digest.
      fc.record({ kind: fc.constant('random-hex' as const), value: fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => Buffer.from(bytes).toString('hex')) }),
      // Correct HMAC under another secret.
      fc.record({ kind: fc.constant('wrong-secret' as const), value: fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s !== SECRET) }),
      // Correct HMAC of another body (tampered payload).
      fc.record({ kind: fc.constant('tampered' as const), value: fc.string({ minLength: 1 }).map((s) => `${s}\u0000`) }),
      // Another algorithm's prefix or a truncated digest.
      fc.record({ kind: fc.constant('sha1' as const) }),
      fc.record({ kind: fc.constant('truncated' as const), value: fc.integer({ min: 1, max: 63 }) }),
    );
    await fc.assert(
      fc.asyncProperty(body, forged, async (text, forgery) => {
        const headers: Record<string, string> = {};
        switch (forgery.kind) {
          case 'none':
            break;
          case 'garbage':
            headers['x-hub-signature'] = forgery.value;
            break;
          case 'random-hex':
            headers['x-hub-signature'] = `sha256=${forgery.value}`;
            break;
          case 'wrong-secret':
            headers['x-hub-signature'] = sign(text, forgery.value);
            break;
          case 'tampered':
            headers['x-hub-signature'] = sign(forgery.value);
            break;
          case 'sha1':
            headers['x-hub-signature'] = `sha1=${createHmac('sha1', SECRET).update(text).digest('hex')}`;
            break;
          case 'truncated':
            headers['x-hub-signature'] = sign(text).slice(0, 7 + forgery.value);
            break;
        }
        expect(() => verifyJiraWebhook({ rawBody: text, headers, secret: SECRET })).toThrow();
        if (++runs % 10 === 0) expect((await receive(delivery(text, headers))).status).toBe(401);
      }),
      { numRuns: 10_000, seed: 20261130 },
    );
    expect(runs).toBeGreaterThanOrEqual(10_000);
    expect(accepted).toBe(0);
  }, 60_000);
});

describe('the return flow webhook: expiry and refresh', () => {
  it('registers, refreshes before the 30-day expiry so deliveries keep coming, and re-registers after a lapse', async () => {
    let now = Date.parse('2026-12-01T00:00:00Z');
    const received: string[] = [];
    const receive = createJiraWebhookReceiver({ secret: SANDBOX_WEBHOOK_SECRET, onEvent: (event) => void received.push(event.webhookEvent) });
    const sandbox = createJiraSandbox({ now: () => now, indexLagMs: 0, deliveryFetch: (input, init) => receive(new Request(input as string, init)) });
    let refreshToken = sandbox.issueRefreshToken();
    const jira = await connectJira({
      auth: { kind: 'oauth', clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET, refreshTokenStore: { read: async () => refreshToken, write: async (t) => void (refreshToken = t) } },
      fetch: sandbox.fetch,
      now: () => now,
      retry: FAST_RETRY,
      throttle: false,
    });
    const url = 'http://127.0.0.1:9/jira-webhook';
    expect(await ensureJiraWebhook(jira, url, ['FIN'])).toMatchObject({ registered: 1 });
    const issue = await jira.issues.create({ project: 'FIN', issueType: 'Task', summary: 'webhook check', description: adf.doc(adf.paragraph('x')) });
    let touches = 0;
    const touch = async () => {
      await jira.issues.update(issue.key, { summary: `webhook check ${++touches}` });
      await sandbox.flushWebhooks();
    };
    await touch();
    expect(received.length).toBeGreaterThan(0);

    // Day 25: the daily check refreshes it; day 50 it is still alive (30 days from the refresh).
    now += 25 * 86_400_000;
    expect((await ensureJiraWebhook(jira, url, ['FIN'])).refreshed).toHaveLength(1);
    now += 25 * 86_400_000;
    const before = received.length;
    await touch();
    expect(received.length).toBeGreaterThan(before);

    // Nobody refreshes for 31 days: Jira drops it and deliveries stop; the next check registers it again.
    now += 31 * 86_400_000;
    const lapsed = received.length;
    await touch();
    expect(received.length).toBe(lapsed);
    expect(await ensureJiraWebhook(jira, url, ['FIN'])).toMatchObject({ registered: 1 });
    await touch();
    expect(received.length).toBeGreaterThan(lapsed);
  });
});

describe('deliveries trigger runs (createFoJiraTriggers)', () => {
  it('an F&O business event runs the forward flow; a signed Jira delivery runs the return flow for its issue, while the search index still lags', async () => {
    let deliver: (request: Request) => Promise<Response> = async () => new Response(null, { status: 503 });
    // The index lags 10 minutes: only the deliveries (issues read live) can make these runs see anything.
    const world = await createFoJiraWorld({ jira: { indexLagMs: 600_000, deliveryFetch: (input, init) => deliver(new Request(input as string, init)) } });
    const errors: unknown[] = [];
    const returnFlow = world.returnFlow();
    const triggers = createFoJiraTriggers({
      engine: world.engine,
      forward: world.flow,
      returnFlow,
      inbox: world.inbox,
      foEventsSecret: EVENT_SECRET,
      jiraWebhookSecret: SANDBOX_WEBHOOK_SECRET,
      onError: (_trigger, error) => errors.push(error),
    });
    world.deliverEventsTo(triggers.foEvents);
    deliver = triggers.jiraWebhook;
    // Dynamic webhooks are registered by an OAuth app.
    let refreshToken = world.jiraSandbox.issueRefreshToken();
    const app = await connectJira({
      auth: { kind: 'oauth', clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET, refreshTokenStore: { read: async () => refreshToken, write: async (t) => void (refreshToken = t) } },
      fetch: world.jiraSandbox.fetch,
      retry: FAST_RETRY,
      throttle: false,
    });
    await ensureJiraWebhook(app, 'https://hooks.example.test/jira-webhook', ['FIN']);

    const workItemId = await world.foSandbox.rejectWorkflowDocument('usmf', { type: 'PurchaseRequisition', id: 'PR-77', comment: 'Over budget' });
    await triggers.idle();
    expect(world.issues()).toHaveLength(1);
    const key = world.issues()[0]!.key;
    const runs = async () => (await world.engine.runs({ limit: 50 })).length;
    await world.jiraSandbox.flushWebhooks();
    await triggers.idle();
    const afterOwnWrites = await runs();

    await world.jira.issues.addComment(key, adf.doc(adf.paragraph('Budget raised')));
    await world.jira.issues.transition(key, { transition: 'Done', fields: { resolution: { name: 'Done' } } });
    await world.jiraSandbox.flushWebhooks();
    await triggers.idle();
    expect(world.foSandbox.rows('WorkflowWorkItems').find((row) => row['WorkItemId'] === workItemId)).toMatchObject({ Status: 'Completed', Outcome: 'Resubmit', OutcomeComment: 'Budget raised' });
    expect(await runs()).toBeGreaterThan(afterOwnWrites);
    expect(errors).toEqual([]);

    // A forged delivery is refused before anything runs.
    const before = await runs();
    const body = JSON.stringify({ timestamp: 1, webhookEvent: 'jira:issue_updated', issue: { id: '1', key } });
    expect((await triggers.jiraWebhook(delivery(body, { 'x-hub-signature': sign(body, 'not-the-secret') }))).status).toBe(401);
    await triggers.idle();
    expect(await runs()).toBe(before);

    // Polling stays the fallback: both flows run in full, nothing new to write.
    await triggers.poll();
    const [last] = await world.engine.runs({ limit: 1 });
    expect(last?.counts.created).toBe(0);
  });
});
