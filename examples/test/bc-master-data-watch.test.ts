import type { RunSummary } from '@ml-connector/core/sync';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMasterDataFlows, type MasterDataEntity } from '../src/bc-master-data/flows.ts';
import { type MasterDataWatch, startMasterDataWatch } from '../src/bc-master-data/watch.ts';
import { createSystems, type Systems } from './bc-master-data.fixtures.ts';

const CLIENT_STATE = 'watch-test-client-state-0123456789';

describe('bc-master-data --watch', () => {
  let systems: Systems;
  let watch: MasterDataWatch | undefined;
  afterEach(async () => {
    await watch?.stop();
    watch = undefined;
    systems?.close();
    vi.useRealTimers();
  });

  async function start(webhook: boolean) {
    systems = createSystems();
    const runs: [MasterDataEntity, string, RunSummary][] = [];
    const errors: unknown[] = [];
    watch = await startMasterDataWatch({
      engine: systems.engine,
      flows: createMasterDataFlows({ company: systems.company, jaggaer: systems.jaggaer }),
      businessCentral: systems.bc,
      companyId: systems.bcSandbox.companyId,
      intervalMs: 60_000,
      ...(webhook ? { webhook: { port: 0, clientState: CLIENT_STATE } } : {}),
      logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
      onRun: (entity, summary, trigger) => runs.push([entity, trigger, summary]),
      onError: (_what, error) => errors.push(error),
    });
    await watch.idle();
    return { runs, errors };
  }

  async function renameVendor(number: string, name: string) {
    const [vendor] = await systems.company.vendors.list({ filter: (f) => f.eq('number', number) }).toArray({ limit: 1 });
    await systems.company.vendors.update(vendor!.id, { displayName: name }, { etag: vendor!.etag! });
  }

  /** Posts one notification with the right clientState, as BC would. */
  const notify = (resource: string, changeType: string) =>
    fetch(watch!.receiverUrl!, {
      method: 'POST',
      body: JSON.stringify({
        value: [
          {
            subscriptionId: 'any',
            clientState: CLIENT_STATE,
            expirationDateTime: new Date(Date.now() + 86_400_000).toISOString(),
            resource,
            changeType,
            lastModifiedDateTime: new Date().toISOString(),
          },
        ],
      }),
    });

  it('polls every flow on the interval when no notification URL is configured', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { runs, errors } = await start(false);
    expect(runs.map(([entity, trigger]) => `${entity}:${trigger}`).sort()).toEqual(['accounts:start', 'dimensionValues:start', 'vendors:start']);
    expect(systems.bcSandbox.store.tables.subscriptions.size).toBe(0);

    await renameVendor('V00002', 'Polled Rename LLC');
    vi.advanceTimersByTime(59_999);
    await watch!.idle();
    expect(runs).toHaveLength(3);
    vi.advanceTimersByTime(1);
    await watch!.idle();
    const polled = runs.slice(3);
    expect(polled.map(([entity, trigger]) => `${entity}:${trigger}`).sort()).toEqual(['accounts:poll', 'dimensionValues:poll', 'vendors:poll']);
    expect(polled.find(([entity]) => entity === 'vendors')![2].counts.updated).toBe(1);
    expect(systems.jgSandbox.supplier('V00002')?.companyName).toBe('Polled Rename LLC');
    expect(errors).toEqual([]);
  });

  it('with webhooks: subscribes to vendors and accounts, runs the changed flow at once on a notification, polls dimension values', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { runs, errors } = await start(true);
    expect(watch!.receiverUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const subscriptions = [...systems.bcSandbox.store.tables.subscriptions.values()].map((s) => String(s.resource).split('/').at(-1)).sort();
    expect(subscriptions).toEqual(['accounts', 'vendors']);
    runs.length = 0;

    await renameVendor('V00005', 'Webhook Rename Inc.');
    await systems.bcSandbox.flushWebhooks(); // BC's ~30 s debounce, now
    await watch!.idle();
    expect(runs.map(([entity, trigger]) => `${entity}:${trigger}`)).toEqual(['vendors:webhook']);
    expect(runs[0]![2].counts.updated).toBe(1);
    expect(systems.jgSandbox.supplier('V00005')?.companyName).toBe('Webhook Rename Inc.');

    // A notification whose payload lies changes nothing: the flow re-reads BC and finds no change.
    const forged = await notify(`api/v2.0/companies(${systems.bcSandbox.companyId})/vendors(00000000-0000-0000-0000-000000000001)`, 'updated');
    expect(forged.status).toBe(202);
    await watch!.idle();
    expect(runs.at(-1)![2].counts).toMatchObject({ created: 0, updated: 0 });

    // A `collection` notification (more than 1,000 changes) names no record: the flow re-queries from its cursor.
    runs.length = 0;
    const since = new Date(Date.now() - 1).toISOString();
    for (const number of ['V00006', 'V00007', 'V00008']) await renameVendor(number, `Bulk ${number}`);
    const collection = await notify(`api/v2.0/companies(${systems.bcSandbox.companyId})/vendors?$filter=lastDateTimeModified%20gt%20${since}`, 'collection');
    expect(collection.status).toBe(202);
    await watch!.idle();
    expect(runs.map(([entity, trigger]) => `${entity}:${trigger}`)).toEqual(['vendors:webhook']);
    expect(runs[0]![2].counts.updated).toBe(3);
    expect(systems.jgSandbox.supplier('V00007')?.companyName).toBe('Bulk V00007');

    // Dimension values have no webhooks: the interval polls them (and only them).
    runs.length = 0;
    vi.advanceTimersByTime(60_000);
    await watch!.idle();
    expect(runs.map(([entity, trigger]) => `${entity}:${trigger}`)).toEqual(['dimensionValues:poll']);
    expect(errors).toEqual([]);
  });
});
