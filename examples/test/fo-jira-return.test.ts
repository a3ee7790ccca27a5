import { describe, expect, it } from 'vitest';
import { adf } from '@ml-connector/jira';
import { createFoJiraReturnFlow, type FoOutcomeAction } from '../src/fo-jira/return-flow.ts';
import { loadFoJiraMappings } from '../src/fo-jira/mappings.ts';
import { createFoJiraWorld } from './fo-jira.world.ts';

async function rejectedDocumentWorld(action?: FoOutcomeAction) {
  const world = await createFoJiraWorld();
  const workItemId = await world.foSandbox.rejectWorkflowDocument('usmf', { type: 'PurchaseRequisition', id: 'PR-9', comment: 'Budget exceeded' });
  expect((await world.engine.run(world.flow)).counts.created).toBe(1);
  const issue = world.issues()[0]!;
  const returnFlow = createFoJiraReturnFlow({ fo: world.fo, jira: world.jira, store: world.store, mappings: await loadFoJiraMappings(), projects: ['FIN'], ...(action ? { action } : {}) });
  const item = () => world.foSandbox.rows('WorkflowWorkItems').find((row) => row['WorkItemId'] === workItemId)!;
  return { world, issue, returnFlow, item, workItemId };
}

describe('fo-jira return flow (Jira → F&O work item)', () => {
  it('a transition to Done and a person\'s comment complete the work item through the custom service; the flow\'s own comment is never echoed', async () => {
    const { world, issue, returnFlow, item } = await rejectedDocumentWorld();
    // The forward flow wrote the rejection comment and kept its id in the ledger.
    const comments = await world.jira.issues.listComments(issue.key).toArray({ limit: 10 });
    expect(comments).toHaveLength(1);

    // Nothing done by a person yet: the work item is adopted, nothing is written to it (no echo of "Budget exceeded").
    await world.engine.run(returnFlow);
    expect(item()).toMatchObject({ Status: 'Pending', Outcome: '', OutcomeComment: '' });

    await world.jira.issues.addComment(issue.key, adf.doc(adf.paragraph('Budget raised, please resubmit')));
    await world.jira.issues.transition(issue.key, { transition: 'Done', fields: { resolution: { name: 'Done' } } });
    const summary = await world.engine.run(returnFlow);
    expect(summary.counts.updated + summary.counts.created).toBe(1);
    expect(item()).toMatchObject({ Status: 'Completed', Outcome: 'Resubmit', OutcomeComment: 'Budget raised, please resubmit' });

    // Nothing changed since: skipped, no second call.
    const again = await world.engine.run(returnFlow);
    expect(again.counts.updated + again.counts.created).toBe(0);
  });

  it('the entity-write action records the outcome on the work item and leaves it open for F&O', async () => {
    const { world, issue, returnFlow, item } = await rejectedDocumentWorld({ kind: 'entity' });
    await world.jira.issues.transition(issue.key, { transition: 'Reject', fields: { resolution: { name: "Won't Do" } } });
    await world.engine.run(returnFlow);
    expect(item()).toMatchObject({ Status: 'Pending', Outcome: 'Reject' });
  });
});
