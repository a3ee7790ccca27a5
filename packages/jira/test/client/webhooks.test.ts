import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isInvalidInputError, isWebhookVerificationError } from '@ml-connector/core';
import { adf, connectJira, jql, verifyJiraWebhook } from '@ml-connector/jira';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, SANDBOX_WEBHOOK_SECRET, createJiraSandbox, type JiraSandboxOptions } from '@ml-connector/jira/testing';
import { FAST_THROTTLE, memoryStore, settle } from './helpers.js';

const DAY = 24 * 60 * 60_000;

async function setup(options: JiraSandboxOptions = {}) {
  const clock = { t: Date.UTC(2026, 10, 1) };
  const now = () => clock.t;
  const sandbox = createJiraSandbox({ indexLagMs: 0, now, ...options });
  const jira = await connectJira({
    auth: { kind: 'oauth', clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET, refreshTokenStore: memoryStore(sandbox.issueRefreshToken()) },
    fetch: sandbox.fetch,
    throttle: FAST_THROTTLE,
    now,
  });
  return { sandbox, jira, clock };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('dynamic webhooks', () => {
  it('registers with a JQL filter, lists with expiry, refreshes and deletes', async () => {
    const { jira, clock } = await setup();
    const outcomes = await jira.webhooks.register('https://hooks.example.com/jira', [
      { events: ['jira:issue_created', 'jira:issue_updated'], jqlFilter: jql`project = ${'FIN'}` },
      { events: ['comment_created'], jqlFilter: 'summary ~ "x"' },
    ]);
    expect(outcomes[0]).toEqual({ ok: true, id: expect.any(Number) });
    expect(outcomes[1]).toEqual({ ok: false, errors: [expect.stringMatching(/not supported for webhooks/)] });
    const [hook] = await jira.webhooks.list().toArray({ limit: 10 });
    expect(hook?.expiresAt).toBe(clock.t + 30 * DAY);
    clock.t += 20 * DAY;
    expect(await jira.webhooks.refreshExpiring({ withinMs: 7 * DAY })).toEqual({ refreshed: [] });
    clock.t += 5 * DAY;
    const refreshed = await jira.webhooks.refreshExpiring({ withinMs: 7 * DAY });
    expect(refreshed).toEqual({ refreshed: [hook?.id], expiresAt: clock.t + 30 * DAY });
    clock.t += 20 * DAY; // 45 days after registration: alive because it was refreshed
    expect((await jira.webhooks.list().toArray({ limit: 10 })).map((w) => w.id)).toEqual([hook?.id]);
    await jira.webhooks.delete([hook?.id as number]);
    expect(await jira.webhooks.list().toArray({ limit: 10 })).toEqual([]);
  });

  it('an unrefreshed webhook expires after 30 days and stops delivering', async () => {
    const deliveries: string[] = [];
    const { jira, clock, sandbox } = await setup({
      deliveryFetch: async (_url, init) => {
        deliveries.push(String(init?.body));
        return new Response(null, { status: 200 });
      },
    });
    await jira.webhooks.register('https://hooks.example.com/jira', [{ events: ['jira:issue_created'], jqlFilter: 'project = FIN' }]);
    await jira.issues.create({ project: 'FIN', issueType: 'Task', summary: 'day 0' });
    await sandbox.flushWebhooks();
    expect(deliveries).toHaveLength(1);
    clock.t += 30 * DAY + 1;
    await jira.issues.create({ project: 'FIN', issueType: 'Task', summary: 'day 30' });
    await sandbox.flushWebhooks();
    expect(deliveries).toHaveLength(1);
    expect(await jira.webhooks.list().toArray({ limit: 10 })).toEqual([]);
  });

  it('validates registrations before sending', async () => {
    const { jira } = await setup();
    await expect(jira.webhooks.register('http://hooks.example.com/jira', [{ events: ['jira:issue_created'], jqlFilter: 'project = FIN' }])).rejects.toThrow(/https/);
    await expect(jira.webhooks.register('https://h.example.com', [{ events: ['jira:issue_created'], jqlFilter: ' ' }])).rejects.toThrow(/jqlFilter is required/);
    await expect(jira.webhooks.register('https://h.example.com', [{ events: ['issue_moved' as never], jqlFilter: 'project = FIN' }])).rejects.toSatisfy(isInvalidInputError);
    await expect(jira.webhooks.refresh([])).rejects.toSatisfy(isInvalidInputError);
  });
});

describe('signed delivery', () => {
  it('delivers HMAC-signed events to a loopback receiver that verifies them with the raw body', async () => {
    const received: Array<{ body: string; headers: Record<string, string | string[] | undefined> }> = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jira`;
      const { jira, sandbox } = await setup();
      await jira.webhooks.register(url, [{ events: ['jira:issue_created', 'comment_created'], jqlFilter: 'project = FIN AND issuetype = Task' }]);
      const { key } = await jira.issues.create({ project: 'FIN', issueType: 'Task', summary: 'hello' });
      await jira.issues.create({ project: 'FIN', issueType: 'Bug', summary: 'filtered out' });
      await jira.issues.addComment(key, adf.doc(adf.paragraph('a comment')));
      await sandbox.flushWebhooks();
      expect(received).toHaveLength(2);
      const events = received.map((r) => verifyJiraWebhook({ rawBody: r.body, headers: r.headers as Record<string, string>, secret: SANDBOX_WEBHOOK_SECRET }));
      expect(events.map((e) => e.event.webhookEvent)).toEqual(['jira:issue_created', 'comment_created']);
      expect(events[0]?.event.issue?.key).toBe(key);
      expect(events[0]?.deliveryId).toMatch(/^[0-9a-f-]{36}$/);
      expect(() => verifyJiraWebhook({ rawBody: received[0]?.body ?? '', headers: received[0]?.headers as Record<string, string>, secret: 'other-secret' })).toThrow(
        /does not match/,
      );
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('retries failed deliveries with the same delivery id (fake timers)', async () => {
    vi.useFakeTimers();
    const attempts: Array<{ id: string | null; retry: string | null }> = [];
    const { jira, sandbox } = await setup({
      webhookRetryDelaysMs: [1000, 2000],
      deliveryFetch: async (_url, init) => {
        const headers = new Headers(init?.headers);
        attempts.push({ id: headers.get('x-atlassian-webhook-identifier'), retry: headers.get('x-atlassian-webhook-retry') });
        return new Response(null, { status: attempts.length < 3 ? 503 : 200 });
      },
    });
    await settle(jira.webhooks.register('https://hooks.example.com/jira', [{ events: ['jira:issue_created'], jqlFilter: 'project = FIN' }]), vi);
    await settle(jira.issues.create({ project: 'FIN', issueType: 'Task', summary: 'retry me' }), vi);
    await settle(sandbox.flushWebhooks(), vi);
    expect(attempts.map((a) => a.retry)).toEqual([null, '1', '2']);
    expect(new Set(attempts.map((a) => a.id)).size).toBe(1);
    expect(sandbox.webhookDeliveries.map((d) => d.status)).toEqual([503, 503, 200]);
  });
});

describe('JWT-signed delivery (optional, UNCONFIRMED scheme)', () => {
  it('adds an HS256 JWT signed with the app client secret when webhookJwt is on', async () => {
    const headers: Headers[] = [];
    const { jira, sandbox } = await setup({
      webhookJwt: true,
      webhookSecret: null,
      deliveryFetch: async (_url, init) => {
        headers.push(new Headers(init?.headers));
        return new Response(null, { status: 200 });
      },
    });
    await jira.webhooks.register('https://hooks.example.com/jira', [{ events: ['jira:issue_created'], jqlFilter: 'project = FIN' }]);
    await jira.issues.create({ project: 'FIN', issueType: 'Task', summary: 'jwt' });
    await sandbox.flushWebhooks();
    expect(headers[0]?.has('x-hub-signature')).toBe(false);
    const [head, claims, signature] = (headers[0]?.get('authorization') ?? '').replace('Bearer ', '').split('.');
    expect(createHmac('sha256', SANDBOX_CLIENT_SECRET).update(`${head}.${claims}`).digest('base64url')).toBe(signature);
    expect(JSON.parse(Buffer.from(claims ?? '', 'base64url').toString())).toMatchObject({ iss: `jira:${sandbox.cloudId()}`, sub: SANDBOX_CLIENT_ID });
  });
});

describe('verifyJiraWebhook', () => {
  const body = JSON.stringify({ timestamp: 1, webhookEvent: 'jira:issue_updated', issue: { id: '1', key: 'FIN-1', fields: {} } });
  const sign = (b: string, secret = SANDBOX_WEBHOOK_SECRET) => `sha256=${createHmac('sha256', secret).update(b).digest('hex')}`;

  it('accepts a correct signature and refuses parsed bodies, missing and duplicated headers', () => {
    expect(verifyJiraWebhook({ rawBody: Buffer.from(body), headers: new Headers({ 'X-Hub-Signature': sign(body) }), secret: SANDBOX_WEBHOOK_SECRET }).event.issue?.key).toBe('FIN-1');
    const parsed = () => verifyJiraWebhook({ rawBody: JSON.parse(body) as never, headers: { 'x-hub-signature': sign(body) }, secret: SANDBOX_WEBHOOK_SECRET });
    expect(parsed).toThrow(/raw request body/);
    expect(() => verifyJiraWebhook({ rawBody: body, headers: {}, secret: SANDBOX_WEBHOOK_SECRET })).toThrow(/no signature/);
    const twice = () => verifyJiraWebhook({ rawBody: body, headers: { 'x-hub-signature': [sign(body), sign(body)] }, secret: SANDBOX_WEBHOOK_SECRET });
    expect(twice).toThrow();
    try {
      twice();
    } catch (e) {
      expect(isWebhookVerificationError(e)).toBe(true);
    }
  });

  it('refuses a correctly signed body that is not a Jira event', () => {
    expect(() => verifyJiraWebhook({ rawBody: '{"hello":1}', headers: { 'x-hub-signature': sign('{"hello":1}') }, secret: SANDBOX_WEBHOOK_SECRET })).toThrow(/not a Jira webhook event/);
  });
});
