import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectJira } from '@ml-connector/jira';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, createJiraSandbox } from '@ml-connector/jira/testing';
import { createFileRefreshLock, createFileRefreshTokenStore } from '../src/fo-jira/token-lock.ts';
import { FAST_RETRY, createFoJiraWorld, onFakeClock } from './fo-jira.world.ts';

const isIssueCreate = (request: Request) => request.method === 'POST' && /\/rest\/api\/3\/issue$/.test(new URL(request.url).pathname);

async function runUntilSettled(world: Awaited<ReturnType<typeof createFoJiraWorld>>, maxRuns = 6) {
  const summaries = [];
  for (let i = 0; i < maxRuns; i++) {
    const summary = await world.engine.run(world.flow);
    summaries.push(summary);
    const retrying = await world.engine.reviews({ flow: 'fo-jira', state: 'retrying' });
    if (summary.status === 'completed' && retrying.length === 0) break;
  }
  return summaries;
}

const keysOf = (world: Awaited<ReturnType<typeof createFoJiraWorld>>) => world.issues().map((issue) => String(issue.fields[world.jira.customFields.documentKey.id]));

describe('fo-jira under faults', () => {
  it('duplicate deliveries: F&O sends every event twice, a queue re-delivers one, and a later event about the same document updates its issue', async () => {
    const world = await createFoJiraWorld({ duplicateEvery: 1 });
    const invoices = [];
    for (let i = 0; i < 6; i++) invoices.push(await world.postInvoice(`V0000${(i % 5) + 1}`, 100 + i));
    await world.foSandbox.rejectWorkflowDocument('usmf', { type: 'PurchaseRequisition', id: 'PR-7', comment: 'first' });
    // 14 deliveries, 7 distinct ControlNumbers: the handler drops the re-deliveries.
    expect(world.foSandbox.businessEventDeliveries.filter((d) => d.duplicate)).toHaveLength(7);
    expect(world.inbox.events).toHaveLength(7);
    // A queue delivering at least once puts the same event in the inbox again (past the handler).
    await world.inbox.append(world.inbox.events[0]!);

    await runUntilSettled(world);
    expect(world.issues()).toHaveLength(7);
    expect(new Set(keysOf(world)).size).toBe(7);

    // The same document rejected again (new ControlNumber, new comment): the issue is updated, not duplicated.
    await world.foSandbox.rejectWorkflowDocument('usmf', { type: 'PurchaseRequisition', id: 'PR-7', comment: 'second' });
    const again = await world.engine.run(world.flow);
    expect(again.counts.created).toBe(0);
    expect(again.counts.updated).toBe(1);
    expect(world.issues()).toHaveLength(7);
  });

  it('429 bursts from Jira and F&O: every document ends as exactly one issue', async () => {
    const world = await createFoJiraWorld({
      jira: { faults: { seed: 3, statusRates: { 429: 0.3, 503: 0.05 }, retryAfterSeconds: 0 } },
      foFaults: { seed: 4, statusRates: { 429: 0.2 } },
    });
    for (let i = 0; i < 25; i++) await world.postInvoice(`V0000${(i % 5) + 1}`, 10 + i);
    await onFakeClock(() => runUntilSettled(world));
    expect(world.jiraSandbox.stats.faultsInjected).toBeGreaterThan(10);
    expect(world.issues()).toHaveLength(25);
    expect(new Set(keysOf(world)).size).toBe(25);
    const open = await world.engine.reviews({ flow: 'fo-jira', state: ['open', 'retrying'] });
    expect(open).toHaveLength(0);
  });

  it('unknown create outcome + index lag: the retry finds the issue once the index catches up instead of creating a twin', async () => {
    const world = await createFoJiraWorld({ jira: { indexLagMs: 300, faults: { appliesTo: isIssueCreate } }, indexLagMs: 3000 });
    await world.postInvoice('V00003', 42);
    // The create is processed, then the connection drops: the client cannot know it happened. The lag and the
    // repeated searches pass on the fake clock.
    world.jiraSandbox.faults.enqueue({ kind: 'reset-after' });
    await onFakeClock(() => runUntilSettled(world));
    expect(world.issues()).toHaveLength(1);
    const entry = await world.store.getLedgerEntry({ flow: 'fo-jira', sourceSystem: 'd365-fo', sourceId: 'usmf/vendor-invoice/V00003/SUP-0001' });
    expect(entry?.state).toBe('confirmed');
    expect(entry?.targetId).toBe(world.issues()[0]!.key);
  });

  it('without waiting for the index lag the same fault makes a twin (the check above can fail)', async () => {
    const world = await createFoJiraWorld({ jira: { indexLagMs: 60_000, faults: { appliesTo: isIssueCreate } }, indexLagMs: 0 });
    await world.postInvoice('V00003', 42);
    world.jiraSandbox.faults.enqueue({ kind: 'reset-after' });
    await onFakeClock(() => runUntilSettled(world));
    expect(world.issues().length).toBeGreaterThan(1);
  });
});

describe('Jira OAuth refresh token shared by two processes', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function twoProcesses(withLock: boolean) {
    dir = mkdtempSync(join(tmpdir(), 'fo-jira-lock-'));
    const sandbox = createJiraSandbox({ tokenLifetimeSeconds: 1, now: () => Date.now() });
    await createFileRefreshTokenStore(join(dir, 'refresh-token')).write(sandbox.issueRefreshToken());
    // Two "processes": separate stores, locks and token caches, one token file and one lock file.
    const connect = () =>
      connectJira({
        auth: {
          kind: 'oauth',
          clientId: SANDBOX_CLIENT_ID,
          clientSecret: SANDBOX_CLIENT_SECRET,
          refreshTokenStore: createFileRefreshTokenStore(join(dir, 'refresh-token')),
          ...(withLock ? { lock: createFileRefreshLock(join(dir, 'refresh.lock'), { retryMs: 2 }) } : {}),
        },
        fetch: sandbox.fetch,
        retry: FAST_RETRY,
        throttle: false,
      });
    // Lock waits and retry backoff pass on the fake clock.
    const results = await onFakeClock(() => Promise.allSettled(
      Array.from({ length: 2 }, async () => {
        const jira = await connect();
        for (let round = 0; round < 5; round++) {
          sandbox.revokeAccessTokens();
          await Promise.all([jira.metadata.listProjects(), jira.metadata.listFields()]);
        }
      }),
    ), 2);
    return { sandbox, results };
  }

  it('with the file lock: 0 invalid_grant, both succeed', async () => {
    const { sandbox, results } = await twoProcesses(true);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(sandbox.stats.invalidGrant).toBe(0);
    expect(sandbox.stats.refreshes).toBeGreaterThan(2);
  });

  it('without it the two spend the same token (invalid_grant): the lock is what prevents it', async () => {
    const { sandbox } = await twoProcesses(false);
    expect(sandbox.stats.invalidGrant).toBeGreaterThan(0);
  });
});
