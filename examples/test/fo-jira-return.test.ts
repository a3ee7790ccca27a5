import { describe, expect, it } from 'vitest';
import { adf, jql } from '@ml-connector/jira';
import { createFoJiraWorld, type FoJiraWorldOptions } from './fo-jira.world.ts';

type World = Awaited<ReturnType<typeof createFoJiraWorld>>;
const MINUTE = 60_000;

/** The issue the forward flow created for a document key. */
function issueOf(world: World, documentKey: string) {
  const issue = world.issues().find((i) => i.fields[world.jira.customFields.documentKey.id] === documentKey);
  if (!issue) throw new Error(`no issue for ${documentKey}`);
  return issue.key;
}

const comment = (world: World, key: string, text: string) => world.jira.issues.addComment(key, adf.doc(adf.paragraph(text)));
const done = (world: World, key: string) => world.jira.issues.transition(key, { transition: 'Done', fields: { resolution: { name: 'Done' } } });

async function rejectedDocument(options: FoJiraWorldOptions = {}) {
  const world = await createFoJiraWorld(options);
  const workItemId = await world.foSandbox.rejectWorkflowDocument('usmf', { type: 'PurchaseRequisition', id: 'PR-9', comment: 'Budget exceeded' });
  expect((await world.engine.run(world.flow)).counts.created).toBe(1);
  const item = () => world.foSandbox.rows('WorkflowWorkItems').find((row) => row['WorkItemId'] === workItemId)!;
  return { world, key: issueOf(world, 'usmf/workflow/PurchaseRequisition/PR-9'), item, workItemId };
}

describe('fo-jira return flow (Jira → F&O)', () => {
  it('rejected document: a person\'s comment and Done complete the work item through the WorkflowWorkItems Complete action; the flow\'s own comment is never sent', async () => {
    const { world, key, item } = await rejectedDocument();
    const returnFlow = world.returnFlow();
    // The forward flow wrote the rejection comment; nothing a person did yet: nothing to send.
    expect(await world.jira.issues.listComments(key).toArray({ limit: 10 })).toHaveLength(1);
    expect((await world.engine.run(returnFlow)).counts.read).toBe(0);
    expect(item()).toMatchObject({ Status: 'Pending', OutcomeComment: '' });

    await comment(world, key, 'Budget raised, please resubmit');
    await done(world, key);
    const summary = await world.engine.run(returnFlow);
    expect(summary.counts.created).toBe(1);
    expect(item()).toMatchObject({ Status: 'Completed', Outcome: 'Resubmit', OutcomeComment: 'Budget raised, please resubmit' });

    // Nothing changed since: the look-back re-read is skipped by the ledger, nothing is called twice.
    const again = await world.engine.run(returnFlow);
    expect(again.counts.created + again.counts.updated).toBe(0);
    expect(world.foSandbox.documentOutcomes).toHaveLength(0);

    // A comment after the work item was completed is recorded through the comment action instead of being dropped.
    await comment(world, key, 'Resubmitted as PR-10');
    expect((await world.engine.run(returnFlow)).counts.updated).toBe(1);
    expect(world.foSandbox.documentOutcomes).toEqual([expect.objectContaining({ outcome: 'Comment', comment: 'Budget raised, please resubmit\nResubmitted as PR-10', reference: key })]);
    expect(item()).toMatchObject({ Status: 'Completed', OutcomeComment: 'Budget raised, please resubmit' });
  });

  it('every event kind: an invoice moved to Done and a comment on a purchase order are recorded through the custom service', async () => {
    const world = await createFoJiraWorld();
    const invoice = await world.postInvoice('V00002', 99);
    await world.foSandbox.confirmPurchaseOrder('usmf', 'PO-00004');
    await world.engine.run(world.flow);
    const invoiceKey = issueOf(world, invoice.key);
    const orderKey = world.issues().find((i) => String(i.fields[world.jira.customFields.documentKey.id]).includes('/purchase-order/'))!.key;
    await comment(world, invoiceKey, 'Paid on 1 Dec');
    await done(world, invoiceKey);
    await comment(world, orderKey, 'Vendor confirms delivery in week 50');
    const summary = await world.engine.run(world.returnFlow());
    expect(summary.counts.created).toBe(2);
    expect(world.foSandbox.documentOutcomes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ documentKey: invoice.key, outcome: 'Resolved', comment: 'Paid on 1 Dec', reference: invoiceKey }),
        expect.objectContaining({ outcome: 'Comment', comment: 'Vendor confirms delivery in week 50', reference: orderKey }),
      ]),
    );
    expect(world.foSandbox.documentOutcomes).toHaveLength(2);
  });

  it('the work item action is configurable: custom service completes it, entity write records it and leaves it open, unknown placeholders are refused', async () => {
    const viaService = await rejectedDocument();
    await done(viaService.world, viaService.key);
    await viaService.world.engine.run(viaService.world.returnFlow({ actions: { 'complete-work-item': { kind: 'work-item-service' } } }));
    expect(viaService.item()).toMatchObject({ Status: 'Completed', Outcome: 'Resubmit' });

    const viaEntity = await rejectedDocument();
    await viaEntity.world.jira.issues.transition(viaEntity.key, { transition: 'Reject', fields: { resolution: { name: "Won't Do" } } });
    await viaEntity.world.engine.run(viaEntity.world.returnFlow({ actions: { 'complete-work-item': { kind: 'work-item-entity' } } }));
    expect(viaEntity.item()).toMatchObject({ Status: 'Pending', Outcome: 'Reject' });

    expect(() =>
      viaEntity.world.returnFlow({ actions: { note: { kind: 'entity', entitySet: 'WorkflowWorkItems', key: { WorkItemId: '{workItem}' }, fields: {} } } }),
    ).toThrow(/uses \{workItem\}/);
  });

  it('first run after the forward flow: an issue not searchable yet (index lag) is read directly, so the work item completes in the same run', async () => {
    const { world, key, item } = await rejectedDocument({ jira: { indexLagMs: 10 * MINUTE } });
    expect(await world.jira.search.issues(jql`project = ${'FIN'}`).toArray({ limit: 10 })).toHaveLength(0);
    await done(world, key);
    const summary = await world.engine.run(world.returnFlow());
    expect(summary.counts.created).toBe(1);
    expect(item()).toMatchObject({ Status: 'Completed', Outcome: 'Resubmit' });
  });

  it('no echo: F&O rejecting the document again with the person\'s words does not bounce back and forth', async () => {
    const { world, key } = await rejectedDocument();
    const returnFlow = world.returnFlow();
    await comment(world, key, 'Split the requisition in two');
    await world.engine.run(returnFlow);
    expect(world.foSandbox.documentOutcomes.map((o) => o.comment)).toEqual(['Split the requisition in two']);
    for (let round = 0; round < 3; round++) {
      // F&O echoes the comment in a new rejection; the forward flow comments it on the issue; the return flow runs.
      await world.foSandbox.rejectWorkflowDocument('usmf', { type: 'PurchaseRequisition', id: 'PR-9', comment: 'Split the requisition in two' });
      await world.engine.run(world.flow);
      const back = await world.engine.run(returnFlow);
      expect(back.counts.created + back.counts.updated).toBe(0);
    }
    expect(world.foSandbox.documentOutcomes).toHaveLength(1);
    // One person's comment plus the flow's own rejection comments (the first and one per re-rejection), never more.
    expect(await world.jira.issues.listComments(key).toArray({ limit: 50 })).toHaveLength(1 + 1 + 3);
  });
});

describe('fo-jira return flow: incremental reads by `updated`', () => {
  /**
   * X's change lags in the index while Y, changed later, is already searchable: the run after Y moves the cursor past
   * X's change. The look-back window finds X on a later run; Y, read again in that window, is skipped by the ledger.
   */
  async function lateIndexedChange(lookbackMs: number) {
    let now = Date.parse('2026-11-30T09:00:00Z');
    let lag = 0;
    const world = await createFoJiraWorld({ jira: { now: () => now, indexLagMs: () => lag } });
    const invoices = [await world.postInvoice('V00001', 1), await world.postInvoice('V00002', 2), await world.postInvoice('V00003', 3)];
    await world.engine.run(world.flow);
    const [x, y, z] = invoices.map((invoice) => issueOf(world, invoice.key)) as [string, string, string];
    const returnFlow = world.returnFlow({ lookbackMs, timeZone: 'UTC' });
    await world.engine.run(returnFlow);

    now += 15 * MINUTE;
    await comment(world, z, 'z: checked');
    expect((await world.engine.run(returnFlow)).counts.created).toBe(1);

    now += 5 * MINUTE;
    lag = 4 * MINUTE;
    await done(world, x);
    now += 3 * MINUTE;
    lag = 0;
    await done(world, y);
    now += 1000;
    const beforeX = await world.engine.run(returnFlow);
    expect(beforeX.counts.created).toBe(1);

    now += 2 * MINUTE;
    const later = await world.engine.run(returnFlow);
    const recorded = world.foSandbox.documentOutcomes.map((o) => o.reference);
    return { later, recorded, x, y };
  }

  it('the look-back window catches a change the index showed late; what it reads again is skipped', async () => {
    const { later, recorded, x } = await lateIndexedChange(5 * MINUTE);
    expect(later.counts.created).toBe(1);
    expect(later.counts.skipped).toBeGreaterThanOrEqual(1);
    expect(recorded).toContain(x);
    expect(recorded).toHaveLength(3);
  });

  it('without enough look-back that change is lost (the check above can fail)', async () => {
    const { later, recorded, x } = await lateIndexedChange(MINUTE);
    expect(later.counts.created).toBe(0);
    expect(recorded).not.toContain(x);
  });

  it('a run stopped after its first page resumes without skipping the rest (the page cursor follows the search order)', async () => {
    let now = Date.parse('2026-11-30T09:00:00Z');
    let lag = 0;
    const world = await createFoJiraWorld({ jira: { now: () => now, indexLagMs: () => lag } });
    const invoices = [await world.postInvoice('V00001', 1), await world.postInvoice('V00002', 2), await world.postInvoice('V00003', 3)];
    await world.engine.run(world.flow);
    const [a, b, c] = invoices.map((invoice) => issueOf(world, invoice.key)) as [string, string, string];
    const returnFlow = world.returnFlow({ timeZone: 'UTC', pageSize: 1 });
    await world.engine.run(returnFlow);
    now += 15 * MINUTE;
    for (const key of [a, b, c]) await comment(world, key, `${key}: seen`);
    // A changes again much later; the index has not caught up, so the search still orders A first by its old stamp.
    now += 20 * MINUTE;
    lag = 30 * MINUTE;
    await comment(world, a, `${a}: and again`);
    const first = await world.engine.run(returnFlow, { maxRecords: 1 });
    expect(first.counts.created).toBe(1);
    const rest = await world.engine.run(returnFlow);
    expect(rest.counts.created).toBe(2);
    expect(world.foSandbox.documentOutcomes.map((o) => o.reference).sort()).toEqual([a, b, c].sort());
  });

  it('a cursor it cannot read is refused so the engine backfills', async () => {
    const world = await createFoJiraWorld();
    const returnFlow = world.returnFlow();
    const pages = returnFlow.source.read('something-else', { signal: new AbortController().signal, logger: undefined as never });
    await expect(pages[Symbol.asyncIterator]().next()).rejects.toThrow(/cursor cannot be read/);
  });
});
