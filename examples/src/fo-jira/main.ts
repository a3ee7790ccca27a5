import type { BusinessEvent } from '@ml-connector/d365-fo';
import { exampleMain, type AnySyncFlow, type ExampleDefinition } from '../shared/index.ts';
import { foJiraSystems, type FoJiraConnections } from './connect.ts';
import { createFoJiraFlow } from './flow.ts';
import type { IssueDraft } from './mapper.ts';
import { loadFoJiraMappings } from './mappings.ts';
import { createFoJiraReturnFlow } from './return-flow.ts';

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

/**
 * `pnpm example:fo-jira`: F&O business events (vendor invoice posted, purchase order confirmed, workflow document
 * rejected) → Jira issues; then Jira transitions and comments on rejected documents → the F&O work item.
 */
export const foJiraExample: ExampleDefinition<BusinessEvent, IssueDraft, FoJiraConnections> = {
  command: 'pnpm example:fo-jira',
  label: 'fo-jira',
  description:
    'F&O business events become Jira issues (project and issue type from examples/mappings/fo-jira/event-issue.csv) with document ' +
    'number, vendor, amount and a link back; Jira transitions and comments on rejected workflow documents complete or annotate ' +
    'the F&O work item (FO_OUTCOME_ACTION=service|entity). Without FO_*/JIRA_* variables it runs on in-process emulators.',
  // F&O and Jira only: no Business Central or JAGGAER emulator starts, and "requests used" counts F&O and Jira.
  systems: foJiraSystems,
  engine: { concurrency: 4 },
  async flow({ connections, store }) {
    await raiseDemoEvents(connections);
    const mappings = await loadFoJiraMappings(process.env['ML_CONNECTOR_FO_JIRA_MAPPINGS_DIR'] || undefined);
    const forward = createFoJiraFlow({ fo: connections.fo, jira: connections.jira, inbox: connections.inbox, store, mappings, environmentUrl: connections.environmentUrl });
    const action = process.env['FO_OUTCOME_ACTION'] === 'entity' ? { kind: 'entity' as const } : { kind: 'service' as const };
    const back = createFoJiraReturnFlow({ fo: connections.fo, jira: connections.jira, store, mappings, projects: connections.projects, action });
    return [forward, back] as readonly AnySyncFlow[];
  },
};

if (import.meta.main) await exampleMain(foJiraExample);
