import { SEED_BLOCKED_VENDORS } from '@ml-connector/business-central/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseDeltaCursor } from '../src/bc-master-data/delta-source.ts';
import { MASTER_DATA_ENTITIES, MASTER_DATA_FLOW_NAMES, createMasterDataFlows, vendorToSupplier } from '../src/bc-master-data/flows.ts';
import { loadMasterDataSettings, takeWatchFlag } from '../src/bc-master-data/example.ts';
import { STORM, createSystems, drive, runAll, written, type Systems } from './bc-master-data.fixtures.ts';

const flowsOf = (systems: Systems) => {
  const flows = createMasterDataFlows({ company: systems.company, jaggaer: systems.jaggaer, pageSize: 7 });
  return { flows, list: MASTER_DATA_ENTITIES.map((entity) => flows[entity]) };
};

/** What JAGGAER must hold after a complete sync: one supplier per vendor, one coding value per posting account and mapped dimension value. */
async function expectInSync(systems: Systems): Promise<void> {
  const vendors = systems.bcSandbox.db.vendors.all();
  for (const vendor of vendors) {
    const supplier = systems.jgSandbox.supplier(vendor.number as string);
    expect(supplier, `supplier ${vendor.number}`).toBeDefined();
    expect(supplier!.companyName).toBe(vendor.displayName);
    expect(supplier!.status).toBe(vendor.blocked === 'All' ? 'INACTIVE' : 'ACTIVE');
  }
  for (const account of systems.bcSandbox.db.accounts.all()) {
    const value = systems.jgSandbox.codingValue('account', account.number as string);
    if (account.accountType !== 'Posting') continue;
    expect(value, `account ${account.number}`).toBeDefined();
    expect(value!.description).toBe(account.displayName);
    expect(value!.active).toBe(account.blocked !== true && account.directPosting !== false);
  }
  const dimensions = new Map(systems.bcSandbox.db.dimensions.all().map((d) => [d.id, d.code]));
  for (const value of systems.bcSandbox.db.dimensionValues.all()) {
    const segment = ({ DEPARTMENT: 'department', PROJECT: 'project' } as Record<string, string>)[dimensions.get(value.dimensionId) as string];
    expect(systems.jgSandbox.codingValue(segment as 'department', value.code as string)?.description).toBe(value.displayName);
  }
}

describe('bc-master-data flows', () => {
  let systems: Systems;
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    systems?.close();
    vi.useRealTimers();
  });

  it('moves vendors, posting accounts and dimension values through 429 storms, 5xx and resets: nothing lost, nothing written twice', async () => {
    systems = createSystems({ faults: STORM });
    const { list } = flowsOf(systems);
    const records =
      systems.bcSandbox.db.vendors.size +
      systems.bcSandbox.db.accounts.all().filter((a) => a.accountType === 'Posting').length +
      systems.bcSandbox.db.dimensionValues.size;

    // Records that failed for good in one run are retried by the next; three runs settle everything here.
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(...(await drive(runAll(systems.engine, list))));
    expect(systems.bcSandbox.stats.faultsInjected + systems.jgSandbox.stats().faultsInjected).toBeGreaterThan(5);
    await expectInSync(systems);
    expect(runs.reduce((n, r) => n + r.counts.created, 0)).toBe(records);

    // Every record was written exactly once, and its audit trail says so.
    for (const name of Object.values(MASTER_DATA_FLOW_NAMES)) {
      const ledger = await systems.store.listLedger({ flow: name });
      expect(ledger.every((entry) => entry.state === 'confirmed')).toBe(true);
      const events = await systems.engine.audit({ flow: name, limit: 100_000 });
      for (const entry of ledger) {
        const mine = events.filter((e) => e.sourceId === entry.sourceId);
        expect(mine.some((e) => e.step === 'received')).toBe(true);
        expect(mine.filter((e) => e.step === 'written' || e.step === 'updated')).toHaveLength(1);
      }
    }
    expect(await systems.engine.reviews({ state: ['open', 'retrying'] })).toEqual([]);

    // Second run: nothing new, nothing written.
    const again = await drive(runAll(systems.engine, list));
    expect(written(again)).toBe(0);
  });

  it('writes only what changed, blocked vendors and accounts become inactive, and a re-read after a lost checkpoint writes nothing', async () => {
    systems = createSystems();
    const { list } = flowsOf(systems);
    await drive(runAll(systems.engine, list));
    expect(systems.jgSandbox.supplier(SEED_BLOCKED_VENDORS[0]!)?.status).toBe('INACTIVE');
    expect(systems.jgSandbox.codingValue('account', '8190')?.active).toBe(false); // blocked
    expect(systems.jgSandbox.codingValue('account', '2110')?.active).toBe(false); // no direct posting
    expect(systems.jgSandbox.codingValue('account', '8110')?.active).toBe(true);

    vi.advanceTimersByTime(1000); // a later lastModifiedDateTime
    const [vendor] = await systems.company.vendors.list({ filter: (f) => f.eq('number', 'V00003') }).toArray({ limit: 1 });
    await drive(systems.company.vendors.update(vendor!.id, { displayName: 'Granite Data Renamed', blocked: 'All' }, { etag: vendor!.etag! }));
    systems.bcSandbox.setAccountBlocked('8120', true);

    const changed = await drive(runAll(systems.engine, list));
    expect(changed.map((s) => [s.counts.read, s.counts.updated, s.counts.created])).toEqual([
      [1, 1, 0],
      [1, 1, 0],
      [0, 0, 0],
    ]);
    expect(systems.jgSandbox.supplier('V00003')).toMatchObject({ companyName: 'Granite Data Renamed', status: 'INACTIVE' });
    expect(systems.jgSandbox.codingValue('account', '8120')?.active).toBe(false);

    // Losing every checkpoint means a full re-read; the ledger turns it into skips.
    for (const flow of list) expect(await systems.store.deleteCheckpoint(`${flow.name}/${flow.source.system}/${flow.source.stream}`)).toBe(true);
    const reread = await drive(runAll(systems.engine, list));
    expect(written(reread)).toBe(0);
    expect(reread.reduce((n, s) => n + s.counts.skipped, 0)).toBe(reread.reduce((n, s) => n + s.counts.read, 0));
    expect(reread[0]!.counts.read).toBe(systems.bcSandbox.db.vendors.size);
  });

  it('a process killed after JAGGAER took a write resumes with a new engine: the record is adopted, nothing is written twice', async () => {
    systems = createSystems();
    const { flows } = flowsOf(systems);
    const upserts: string[] = [];
    let killAt = 10;
    const counting = (hangAfterWrite: boolean) => ({
      ...flows.vendors,
      target: {
        ...flows.vendors.target,
        create: async (payload: Parameters<typeof flows.vendors.target.create>[0], context: Parameters<typeof flows.vendors.target.create>[1]) => {
          upserts.push(payload.supplierNumber);
          const result = await flows.vendors.target.create(payload, context);
          // The process dies here: JAGGAER has the supplier, the ledger still says "sent".
          if (hangAfterWrite && --killAt === 0) return new Promise<never>(() => {});
          return result;
        },
      },
    });
    void systems.engine.run(counting(true));
    while (killAt > 0) await vi.advanceTimersByTimeAsync(10);
    const ledger = await systems.store.listLedger({ flow: flows.vendors.name, states: ['sent'] });
    expect(ledger).toHaveLength(1);

    // A new process (another lease owner), after the dead one's leases expired.
    const { createSyncEngine } = await import('@ml-connector/core/sync');
    const restarted = createSyncEngine({ store: systems.store, now: () => Date.now() + 10 * 60_000 });
    const summary = await drive(restarted.run(counting(false)));
    expect(summary.status).toBe('completed');
    expect(upserts.filter((n) => n === ledger[0]!.businessIds[0])).toHaveLength(1);
    expect(new Set(upserts).size).toBe(upserts.length);
    expect(new Set(upserts).size).toBe(systems.bcSandbox.db.vendors.size);
    expect((await systems.store.listLedger({ flow: flows.vendors.name })).every((e) => e.state === 'confirmed')).toBe(true);
    const trail = await restarted.audit({ record: { flow: flows.vendors.name, sourceSystem: 'business-central', sourceId: ledger[0]!.sourceId } });
    expect(trail.map((e) => e.step)).toContain('looked-up');
  });

  it('picks up a dimension created later when the crosswalk maps it, and leaves unmapped dimensions alone', async () => {
    systems = createSystems();
    const flows = createMasterDataFlows({ company: systems.company, jaggaer: systems.jaggaer, dimensionSegments: { DEPARTMENT: 'department', AREA: 'project' } });
    const first = await drive(systems.engine.run(flows.dimensionValues));
    expect(first.counts.created).toBe(4); // DEPARTMENT only: PROJECT is not in this crosswalk
    expect(systems.jgSandbox.codingValue('project', 'P-100')).toBeDefined(); // JAGGAER's own, untouched
    vi.advanceTimersByTime(1000);
    const area = crypto.randomUUID();
    const other = crypto.randomUUID();
    const $company = systems.bcSandbox.companyId; // the emulator scopes rows to a company
    systems.bcSandbox.store.insert('dimensions', { id: area, code: 'AREA', displayName: 'Area', $company });
    systems.bcSandbox.store.insert('dimensions', { id: other, code: 'CUSTOMERGROUP', displayName: 'Customer group', $company });
    systems.bcSandbox.store.insert('dimensionValues', { id: crypto.randomUUID(), code: 'NORTH', dimensionId: area, displayName: 'North region', $dimensionCode: 'AREA', $company });
    systems.bcSandbox.store.insert('dimensionValues', { id: crypto.randomUUID(), code: 'LARGE', dimensionId: other, displayName: 'Large accounts', $dimensionCode: 'CUSTOMERGROUP', $company });
    const second = await drive(systems.engine.run(flows.dimensionValues));
    expect(second.counts).toMatchObject({ read: 1, created: 1 });
    expect(systems.jgSandbox.codingValue('project', 'NORTH')).toMatchObject({ description: 'North region', active: true });
    expect(systems.jgSandbox.codingValues().some((value) => value.code === 'LARGE')).toBe(false);
  });

  it('a dry run shows field-level changes and writes nothing anywhere', async () => {
    systems = createSystems();
    const { flows } = flowsOf(systems);
    const before = systems.jgSandbox.supplier('V00001');
    const changes: unknown[] = [];
    const summary = await drive(
      systems.engine.run(flows.vendors, { dryRun: true, onEvent: (e) => e.type === 'record' && e.businessIds[0] === 'V00001' && changes.push(e.changes) }),
    );
    expect(summary.dryRun).toBe(true);
    expect(systems.jgSandbox.supplier('V00001')).toEqual(before);
    expect(await systems.store.listLedger({ flow: flows.vendors.name })).toEqual([]);
    expect(changes).toHaveLength(1);
    // The seeded JAGGAER supplier exists but differs (city, e-mail): the diff shows the real before → after.
    const fieldChanges = changes[0] as { path: string; before?: unknown; after?: unknown }[];
    expect(fieldChanges.length).toBeGreaterThan(0);
    expect(fieldChanges.some((c) => c.before !== undefined)).toBe(true);
  });

  it('maps vendors to suppliers: INACTIVE only for the configured blocked values, a non-ISO country goes to review', () => {
    const vendor = { id: 'x', number: 'V1', displayName: 'Acme', blocked: 'Payment', country: 'us', city: ' Austin ', email: '', taxRegistrationNumber: 'T1' } as never;
    expect(vendorToSupplier(vendor)).toEqual({ supplierNumber: 'V1', companyName: 'Acme', status: 'ACTIVE', isoCountry: 'US', city: 'Austin', fiscalCode: 'T1' });
    expect(vendorToSupplier(vendor, ['All', 'Payment']).status).toBe('INACTIVE');
    expect(() => vendorToSupplier({ ...(vendor as object), country: 'USA' } as never)).toThrow(expect.objectContaining({ reason: 'invalid-country' }));
  });

  it('reads settings from the environment and refuses malformed ones', () => {
    expect(loadMasterDataSettings({})).toEqual({ dimensionSegments: { DEPARTMENT: 'department', PROJECT: 'project' }, intervalMs: 60_000 });
    const settings = loadMasterDataSettings({
      BC_DIMENSION_SEGMENTS: 'area=department',
      BC_WEBHOOK_NOTIFICATION_URL: 'https://bc-hooks.example.com/bc',
      BC_WEBHOOK_PORT: '9000',
      BC_WEBHOOK_CLIENT_STATE: 'x'.repeat(20),
    });
    expect(settings).toMatchObject({ dimensionSegments: { AREA: 'department' }, webhook: { notificationUrl: 'https://bc-hooks.example.com/bc', port: 9000, clientState: 'x'.repeat(20) } });
    expect(loadMasterDataSettings({ BC_WEBHOOK_NOTIFICATION_URL: 'https://h.example.com/' }).webhook?.clientState.length).toBeGreaterThanOrEqual(16);
    expect(() => loadMasterDataSettings({ BC_DIMENSION_SEGMENTS: 'DEPARTMENT' })).toThrow(/BC_DIMENSION_SEGMENTS/);
    expect(() => loadMasterDataSettings({ BC_WEBHOOK_NOTIFICATION_URL: 'https://h.example.com/', BC_WEBHOOK_CLIENT_STATE: 'short' })).toThrow(/at least 16/);
    expect(takeWatchFlag(['--watch', '--dry-run'])).toEqual({ watch: true, rest: ['--dry-run'] });
  });

  it('a cursor it cannot read is reported as unreadable (the engine then backfills)', () => {
    expect(() => parseDeltaCursor('not json')).toThrow(expect.objectContaining({ code: 'CHECKPOINT_UNREADABLE' }));
    expect(() => parseDeltaCursor('{"highWater":"yesterday","seen":[]}')).toThrow(expect.objectContaining({ code: 'CHECKPOINT_UNREADABLE' }));
    expect(() => parseDeltaCursor('{"highWater":"2026-01-01T00:00:00.000Z","seen":[]}')).toThrow(expect.objectContaining({ code: 'CHECKPOINT_UNREADABLE' }));
    expect(parseDeltaCursor('{"highWater":"2026-01-01T00:00:00.000Z","lookBackMs":300000,"seen":[]}').highWater).toBe('2026-01-01T00:00:00.000Z');
  });
});
