import type { WebhookSignal } from '@ml-connector/business-central';
import { afterEach, describe, expect, it } from 'vitest';
import { createSystems } from './bc-master-data.fixtures.ts';
import { createCoalescingRunner, createSubscriptionKeeper, startWebhookReceiver, type WebhookReceiver } from '../src/bc-master-data/webhooks.ts';

const CLIENT_STATE = 'a-long-shared-secret-for-tests-0123456789';
const DAY = 86_400_000;

function setup(options: { vendors?: number } = {}) {
  // A clock that runs (throttles and token caches need time to pass) and can jump ahead by days.
  let offset = 0;
  const systems = createSystems({ now: () => Date.now() + offset, ...options });
  return { sandbox: systems.bcSandbox, bc: systems.bc, company: systems.company, advance: (ms: number) => (offset += ms) };
}

let receiver: WebhookReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

describe('bc-master-data webhooks against the Business Central sandbox', () => {
  it('answers the handshake, receives notifications with the right clientState and turns them into signals', async () => {
    const { sandbox, bc, company } = setup();
    const signals: WebhookSignal[] = [];
    receiver = await startWebhookReceiver({ port: 0, clientState: CLIENT_STATE, onSignal: (s) => signals.push(s) });
    const keeper = createSubscriptionKeeper({ bc, companyId: sandbox.companyId, entitySets: ['vendors', 'accounts'], notificationUrl: receiver.url, clientState: CLIENT_STATE });
    await keeper.ensure();
    expect(receiver.stats.handshakes).toBe(2);
    expect(keeper.subscriptions.size).toBe(2);

    const [vendor] = await company.vendors.list({ top: 1 }).toArray({ limit: 1 });
    await company.vendors.update(vendor!.id, { displayName: 'Renamed Vendor' }, { etag: vendor!.etag! });
    sandbox.setAccountBlocked('8110', true);
    await sandbox.flushWebhooks();

    expect(sandbox.webhookDeliveries.at(-1)?.status).toBe(202);
    expect(signals.map((s) => [s.entity, s.changeType]).sort()).toEqual([
      ['accounts', 'updated'],
      ['vendors', 'updated'],
    ]);
    expect(signals.find((s) => s.entity === 'vendors')?.id).toBe(vendor!.id);
    sandbox.close();
  });

  it('refuses a notification with a wrong clientState (401, no signal) and a body that is not a notification (400)', async () => {
    const signals: WebhookSignal[] = [];
    receiver = await startWebhookReceiver({ port: 0, clientState: CLIENT_STATE, onSignal: (s) => signals.push(s) });
    const notification = {
      subscriptionId: 'x',
      clientState: 'forged-client-state-000000000000',
      expirationDateTime: '2026-03-05T09:00:00Z',
      resource: 'api/v2.0/companies(11111111-1111-1111-1111-111111111111)/vendors(22222222-2222-2222-2222-222222222222)',
      changeType: 'updated',
      lastModifiedDateTime: '2026-03-02T09:00:00Z',
    };
    const forged = await fetch(receiver.url, { method: 'POST', body: JSON.stringify({ value: [notification] }) });
    expect(forged.status).toBe(401);
    const garbage = await fetch(receiver.url, { method: 'POST', body: '{"nope":1}' });
    expect(garbage.status).toBe(400);
    const ok = await fetch(receiver.url, { method: 'POST', body: JSON.stringify({ value: [{ ...notification, clientState: CLIENT_STATE }] }) });
    expect(ok.status).toBe(202);
    expect(signals).toHaveLength(1);
    expect(receiver.stats.rejected).toBe(2);
  });

  it('never echoes or logs the clientState, right or wrong', async () => {
    const logged: string[] = [];
    const log = (fields: Record<string, unknown>, message?: string) => logged.push(`${message} ${JSON.stringify(fields)}`);
    receiver = await startWebhookReceiver({ port: 0, clientState: CLIENT_STATE, onSignal: () => {}, logger: { debug: log, info: log, warn: log, error: log } });
    const forgedState = 'forged-client-state-abcdefghijklmnop';
    const body = (clientState: string) =>
      JSON.stringify({
        value: [{ subscriptionId: 's', clientState, expirationDateTime: '2026-03-05T09:00:00Z', resource: 'api/v2.0/companies(c)/vendors(v)', changeType: 'updated' }],
      });
    const answers = [await fetch(receiver.url, { method: 'POST', body: body(forgedState) }), await fetch(receiver.url, { method: 'POST', body: body(CLIENT_STATE) })];
    const texts = await Promise.all(answers.map((answer) => answer.text()));
    const everything = [...texts, ...logged].join('\n');
    expect(logged.length).toBeGreaterThan(0);
    expect(everything).not.toContain(CLIENT_STATE);
    expect(everything).not.toContain(forgedState);
  });

  it('turns more than 1,000 changes into one collection signal carrying the instant to re-query from', async () => {
    const { sandbox, bc } = setup({ vendors: 1005 });
    const signals: WebhookSignal[] = [];
    receiver = await startWebhookReceiver({ port: 0, clientState: CLIENT_STATE, onSignal: (s) => signals.push(s) });
    await createSubscriptionKeeper({ bc, companyId: sandbox.companyId, entitySets: ['vendors'], notificationUrl: receiver.url, clientState: CLIENT_STATE }).ensure();
    for (const vendor of [...sandbox.store.tables.vendors.values()].slice(0, 1001)) sandbox.store.update('vendors', vendor.id as string, { phoneNumber: '555-0000' });
    await sandbox.flushWebhooks();
    expect(signals).toHaveLength(1);
    expect(signals[0]).toMatchObject({ entity: 'vendors', changeType: 'collection' });
    expect(Date.parse(signals[0]!.modifiedSince!)).toBeLessThanOrEqual(Date.now());
    sandbox.close();
  });

  it('renews subscriptions before the three-day expiry, and re-creates one Business Central dropped', async () => {
    const { sandbox, bc, advance } = setup();
    receiver = await startWebhookReceiver({ port: 0, clientState: CLIENT_STATE, onSignal: () => {} });
    const keeper = createSubscriptionKeeper({ bc, companyId: sandbox.companyId, entitySets: ['vendors', 'accounts'], notificationUrl: receiver.url, clientState: CLIENT_STATE });
    await keeper.ensure();
    const firstExpiry = keeper.subscriptions.get('vendors')!.expirationDateTime;

    advance(DAY);
    expect(await keeper.renewDue()).toEqual({ renewed: 0, recreated: 0 });
    advance(DAY + 3_600_000); // 2 days 1 hour: less than a day left
    expect(await keeper.renewDue()).toEqual({ renewed: 2, recreated: 0 });
    expect(receiver.stats.handshakes).toBe(4);
    expect(Date.parse(keeper.subscriptions.get('vendors')!.expirationDateTime)).toBeGreaterThan(Date.parse(firstExpiry));

    // BC deletes a subscription whose delivery got an answer it does not retry; the keeper makes a new one.
    sandbox.store.remove('subscriptions', keeper.subscriptions.get('accounts')!.subscriptionId);
    advance(2 * DAY + 3_600_000);
    expect(await keeper.renewDue()).toEqual({ renewed: 1, recreated: 1 });

    // A restart adopts the live subscriptions instead of piling up new ones.
    const restarted = createSubscriptionKeeper({ bc, companyId: sandbox.companyId, entitySets: ['vendors', 'accounts'], notificationUrl: receiver.url, clientState: CLIENT_STATE });
    await restarted.ensure();
    expect(sandbox.store.tables.subscriptions.size).toBe(2);
    // A new clientState replaces ours (the old secret may have leaked).
    await createSubscriptionKeeper({ bc, companyId: sandbox.companyId, entitySets: ['vendors'], notificationUrl: receiver.url, clientState: `${CLIENT_STATE}-rotated` }).ensure();
    expect(sandbox.store.tables.subscriptions.size).toBe(2);
    sandbox.close();
  });

  it('refuses entity sets BC sends no webhooks for (dimension values are polled)', () => {
    const { sandbox, bc } = setup();
    expect(() => createSubscriptionKeeper({ bc, companyId: sandbox.companyId, entitySets: ['dimensionValues'], notificationUrl: 'http://127.0.0.1:1/', clientState: CLIENT_STATE })).toThrow(
      /no webhooks for dimensionValues/,
    );
  });

  it('coalesces triggers: one run at a time per key, one more after a run that was triggered again', async () => {
    const runs: string[] = [];
    const gates: (() => void)[] = [];
    const runner = createCoalescingRunner<string>(
      (key) => {
        runs.push(key);
        return new Promise<void>((resolve) => gates.push(resolve));
      },
      () => {},
    );
    void runner.trigger('vendors');
    void runner.trigger('vendors');
    void runner.trigger('vendors');
    void runner.trigger('accounts');
    expect(runs).toEqual(['vendors', 'accounts']);
    gates.shift()!();
    await Promise.resolve();
    await Promise.resolve();
    await Promise.resolve();
    expect(runs).toEqual(['vendors', 'accounts', 'vendors']);
    for (const gate of gates.splice(0)) gate();
    await runner.idle();
    expect(runs).toHaveLength(3);
  });
});
