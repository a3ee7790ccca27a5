import { describe, expect, it } from 'vitest';
import { createFoJiraFlow } from '../src/fo-jira/flow.ts';
import { loadFoJiraMappings } from '../src/fo-jira/mappings.ts';
import { createFoJiraWorld } from './fo-jira.world.ts';

const documentKeyOf = (world: Awaited<ReturnType<typeof createFoJiraWorld>>, issue: { fields: Record<string, unknown> }) =>
  String(issue.fields[world.jira.customFields.documentKey.id] ?? '');

describe('fo-jira flow', () => {
  it('turns the three business events into Jira issues in the mapped project and type, with number, vendor, amount and link', async () => {
    const world = await createFoJiraWorld();
    const invoice = await world.postInvoice('V00002', 250.75);
    await world.foSandbox.confirmPurchaseOrder('usmf', 'PO-00004');
    await world.foSandbox.rejectWorkflowDocument('usmf', { type: 'PurchaseRequisition', id: 'PR-0042', comment: 'Budget exceeded' });
    expect(world.inbox.events).toHaveLength(3);

    const summary = await world.engine.run(world.flow);
    expect(summary.error).toBeUndefined();
    expect(summary.counts.created).toBe(3);
    const issues = world.issues();
    expect(issues).toHaveLength(3);
    const ids = world.jira.customFields;
    const byKey = new Map(issues.map((issue) => [documentKeyOf(world, issue), issue]));
    const inv = byKey.get(invoice.key)!;
    expect(inv.fields[ids.vendor.id]).toBe('V00002');
    expect(inv.fields[ids.amount.id]).toBe(250.75);
    expect(String(inv.fields[ids.recordLink.id])).toMatch(/cmp=USMF/);
    expect(String(inv.fields['summary'])).toContain(invoice.number);
    expect((inv.fields['issuetype'] as { name: string }).name).toBe('Task');
    const rejected = byKey.get('usmf/workflow/PurchaseRequisition/PR-0042')!;
    expect((rejected.fields['issuetype'] as { name: string }).name).toBe('Bug');
    expect(byKey.has('usmf/purchase-order/' + String((await world.fo.legalEntity('usmf').purchaseOrderHeaders.find({ PurchaseOrderNumber: 'PO-00004' }))?.OrderVendorAccountNumber) + '/PO-00004')).toBe(true);

    // Replay in a later process reads the event back from the inbox (a fresh flow has seen nothing yet).
    const fresh = createFoJiraFlow({ fo: world.fo, jira: world.jira, inbox: world.inbox, store: world.store, mappings: await loadFoJiraMappings(), environmentUrl: world.foSandbox.environmentUrl() });
    expect(await fresh.source.fetch!(invoice.key, {} as never)).toMatchObject({ controlNumber: world.inbox.events[0]!.controlNumber });
    expect(await fresh.source.fetch!('usmf/vendor-invoice/V00002/NOPE', {} as never)).toBeUndefined();

    // Every record audited from received to written.
    const audit = await world.engine.audit({ flow: 'fo-jira', limit: 1000 });
    for (const key of byKey.keys()) expect(audit.filter((event) => event.sourceId === key).map((event) => event.step)).toContain('written');
  });
});
