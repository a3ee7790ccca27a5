import type { BusinessEvent } from '@ml-connector/d365-fo';
import { InvalidInputError } from '@ml-connector/core';
import { exampleMain, type AnySyncFlow, type ExampleContext, type ExampleDefinition } from '../shared/index.ts';
import { foJiraSystems, type FoJiraConnections } from './connect.ts';
import { createFoJiraFlow } from './flow.ts';
import type { IssueDraft } from './mapper.ts';
import { loadFoJiraMappings } from './mappings.ts';
import { adf } from '@ml-connector/jira';
import { FO_JIRA_FLOW } from './flow.ts';
import { createFoJiraReturnFlow, type FoActionDefinition, type FoJiraReturnFlow } from './return-flow.ts';

/** What an AP clerk and an approver do in the emulated F&O on a first run: the events the example then syncs. */
async function raiseDemoEvents(connections: FoJiraConnections): Promise<void> {
  const sandbox = connections.foSandbox;
  if (!sandbox || (await connections.inbox.read(0, 1)).length > 0) return;
  const usmf = connections.fo.legalEntity('usmf');
  for (const [index, vendor] of ['V00002', 'V00003'].entries()) {
    const reference = `DEMO-${index + 1}`;
    const created = await usmf.vendorInvoices.createWithLines(
      { HeaderReference: reference, InvoiceNumber: `SUP-DEMO-${index + 1}`, VendorAccount: vendor, InvoiceDate: '2026-11-30T00:00:00Z', Currency: 'USD', IsApproved: 'Yes' } as never,
      [{ InvoiceLineNumber: 1, ReceiveNow: 2, UnitPrice: 125 * (index + 1), Amount: 250 * (index + 1), MainAccountDisplayValue: '8110' }] as never,
    );
    if (created.ok) await sandbox.postInvoice('usmf', reference);
  }
  for (const number of ['PO-00004', 'PO-00008']) await sandbox.confirmPurchaseOrder('usmf', number);
  await sandbox.rejectWorkflowDocument('usmf', { type: 'PurchaseRequisition', id: 'PR-000123', comment: 'Over budget for Q4' });
}

/** `FO_OUTCOME_ACTION`: how a Jira outcome completes an F&O work item (`action`: the `WorkflowWorkItems` entity's `Complete`). */
export function workItemActionFromEnv(value: string | undefined): FoActionDefinition {
  switch (value?.trim() || 'action') {
    case 'action':
      return { kind: 'work-item-action' };
    case 'service':
      return { kind: 'work-item-service' };
    case 'entity':
      return { kind: 'work-item-entity' };
    default:
      throw new InvalidInputError(`FO_OUTCOME_ACTION must be action, service or entity, got "${value}"`, { field: 'FO_OUTCOME_ACTION' });
  }
}

/**
 * What an approver does in the emulated Jira on a first run, right after the forward flow created the issues: comments
 * on the rejected document's issue and moves it to Done. The return flow of the same run sends it to F&O, although the
 * issue is not searchable yet (the emulator's index lags 1 s), because it reads the issues the forward flow just wrote
 * directly.
 */
function withDemoApprover(flow: FoJiraReturnFlow, connections: FoJiraConnections, store: ExampleContext<FoJiraConnections>['store']): FoJiraReturnFlow {
  if (!connections.foSandbox) return flow;
  const read = flow.source.read.bind(flow.source);
  return {
    ...flow,
    source: {
      ...flow.source,
      async *read(cursor, context) {
        const entry = (await store.listLedger({ flow: FO_JIRA_FLOW, states: ['confirmed'] })).find((e) => e.sourceId.includes('/workflow/'));
        if (cursor === undefined && entry?.targetId) {
          const issue = await connections.jira.issues.get(entry.targetId, { fields: ['status'] });
          if ((issue.fields['status'] as { name?: string } | undefined)?.name === 'To Do') {
            await connections.jira.issues.addComment(entry.targetId, adf.doc(adf.paragraph('Budget raised for Q4, please resubmit.')));
            await connections.jira.issues.transition(entry.targetId, { transition: 'Done', fields: { resolution: { name: 'Done' } } });
          }
        }
        yield* read(cursor, context);
      },
    },
  };
}

/**
 * `pnpm example:fo-jira`: F&O business events (vendor invoice posted, purchase order confirmed, workflow document
 * rejected) → Jira issues; then Jira transitions and comments on those issues → F&O (work item completed, outcome recorded).
 */
export const foJiraExample: ExampleDefinition<BusinessEvent, IssueDraft, FoJiraConnections> = {
  command: 'pnpm example:fo-jira',
  label: 'fo-jira',
  description:
    'F&O business events become Jira issues (project and issue type from examples/mappings/fo-jira/event-issue.csv) with document ' +
    'number, vendor, amount and a link back; Jira transitions and comments go back through examples/mappings/fo-jira/status-action.csv: ' +
    'they complete the F&O work item of a rejected document (FO_OUTCOME_ACTION=action|service|entity) or record the outcome of ' +
    'an invoice or order. Without FO_*/JIRA_* variables it runs on in-process emulators.',
  // F&O and Jira only: no Business Central or JAGGAER emulator starts, and "requests used" counts F&O and Jira.
  systems: foJiraSystems,
  engine: { concurrency: 4 },
  async flow({ connections, store }) {
    await raiseDemoEvents(connections);
    const mappings = await loadFoJiraMappings(process.env['ML_CONNECTOR_FO_JIRA_MAPPINGS_DIR'] || undefined);
    const forward = createFoJiraFlow({ fo: connections.fo, jira: connections.jira, inbox: connections.inbox, store, mappings, environmentUrl: connections.environmentUrl });
    const actions = { 'complete-work-item': workItemActionFromEnv(process.env['FO_OUTCOME_ACTION']) };
    const back = createFoJiraReturnFlow({ fo: connections.fo, jira: connections.jira, store, mappings, projects: connections.projects, actions });
    return [forward, withDemoApprover(back, connections, store)] as readonly AnySyncFlow[];
  },
};

if (import.meta.main) await exampleMain(foJiraExample);
