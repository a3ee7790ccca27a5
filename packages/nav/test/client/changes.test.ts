import { afterEach, describe, expect, it, vi } from 'vitest';
import { setup } from '../helpers.js';

afterEach(() => {
  vi.useRealTimers();
});

describe.each(['v4', 'v3'] as const)('change polling by last-modified field (OData %s)', (version) => {
  it('reports each change once, catches late commits inside the look-back, and survives a bad checkpoint', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-02-01T12:00:00Z') });
    const { sandbox, nav } = setup({ maxPageSize: 4 }, { version });
    const first = await nav.changes.poll('vendors');
    expect(first.changes).toHaveLength(25);

    const again = await nav.changes.poll('vendors', { checkpoint: first.checkpoint });
    expect(again.changes).toEqual([]);

    vi.setSystemTime(Date.parse('2026-02-01T12:10:00Z'));
    sandbox.touchVendor('V00004', { Phone_No: '+1 555 4444' });
    const late = sandbox.store.find('Vendor', { No: 'V00005' });
    // A change stamped before the newest one seen, but committed late (inside the look-back window).
    sandbox.touchVendor('V00005', { Contact: 'Late Committer' });
    if (late) late.data['Last_Modified_Date_Time'] = '2026-02-01T12:08:00.000Z';
    const second = await nav.changes.poll('vendors', { checkpoint: again.checkpoint, lookBackMs: 5 * 60_000 });
    expect(second.changes.map((v) => v.number).sort()).toEqual(['V00004', 'V00005']);
    expect(second.changes.find((v) => v.number === 'V00004')?.phone).toBe('+1 555 4444');

    const third = await nav.changes.poll('vendors', { checkpoint: second.checkpoint });
    expect(third.changes).toEqual([]);

    const reset = await nav.changes.poll('vendors', { checkpoint: { since: 'yesterday' } });
    expect(reset.changes).toHaveLength(25);
  });

  it('refuses services without a last-modified field', async () => {
    const { nav } = setup({}, { version });
    await expect(nav.changes.poll('glAccounts')).rejects.toThrow(/publishes no last-modified field/);
  });
});
