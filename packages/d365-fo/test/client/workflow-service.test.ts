import { describe, expect, it } from 'vitest';
import { isCustomServiceError } from '@ml-connector/d365-fo';
import { isInvalidInputError } from '@ml-connector/core';
import { createHarness } from '../helpers.js';

describe('custom workflow service (work items)', () => {
  it('a rejected document opens a work item; completeWorkItem completes it once, idempotently, through /api/services', async () => {
    const { sandbox, client, apiRequests } = createHarness();
    const workItemId = await sandbox.rejectWorkflowDocument('USMF', { type: 'PurchaseRequisition', id: 'PR-1', comment: 'too high' });
    expect(sandbox.rows('WorkflowWorkItems')).toEqual([expect.objectContaining({ dataAreaId: 'usmf', WorkItemId: workItemId, Status: 'Pending', DocumentId: 'PR-1' })]);

    const done = await client.services.completeWorkItem({ dataAreaId: 'USMF', workItemId, outcome: 'Resubmit', comment: 'Fixed in Jira FIN-1' });
    expect(done).toMatchObject({ WorkItemId: workItemId, Status: 'Completed', Outcome: 'Resubmit', AlreadyCompleted: false });
    const call = apiRequests().at(-1)!;
    expect(call.method).toBe('POST');
    expect(call.url.pathname).toBe('/api/services/MLConnectorWorkflowServices/MLConnectorWorkflowService/completeWorkItem');
    expect(JSON.parse(call.body)).toEqual({ _dataAreaId: 'usmf', _workItemId: workItemId, _outcome: 'Resubmit', _comment: 'Fixed in Jira FIN-1' });
    expect(sandbox.rows('WorkflowWorkItems')[0]).toMatchObject({ Status: 'Completed', Outcome: 'Resubmit', OutcomeComment: 'Fixed in Jira FIN-1' });

    // A retry with the same outcome is harmless; a different outcome is refused with the service's message.
    expect(await client.services.completeWorkItem({ dataAreaId: 'usmf', workItemId, outcome: 'Resubmit' })).toMatchObject({ AlreadyCompleted: true });
    const refused = await client.services.completeWorkItem({ dataAreaId: 'usmf', workItemId, outcome: 'Reject' }).catch((error: unknown) => error);
    expect(isCustomServiceError(refused)).toBe(true);
    expect((refused as Error).message).toMatch(/already completed with outcome Resubmit/);
  });

  it('unknown work items, unknown outcomes and bad names are clear errors', async () => {
    const { client } = createHarness();
    const unknown = await client.services.completeWorkItem({ dataAreaId: 'usmf', workItemId: 'WI-999999', outcome: 'Approve' }).catch((e: unknown) => e);
    expect(isCustomServiceError(unknown)).toBe(true);
    expect((unknown as Error).message).toMatch(/WI-999999 does not exist/);
    const outcome = await client.services.completeWorkItem({ dataAreaId: 'usmf', workItemId: 'WI-000001', outcome: 'Maybe' }).catch((e: unknown) => e);
    expect((outcome as Error).message).toMatch(/not a work item action/);
    expect(() => client.services.completeWorkItem({ dataAreaId: 'usmf', workItemId: '', outcome: 'Approve' })).toThrow(/workItemId is required/);
    const badName = await client.services.call({ group: 'a/b', service: 's', operation: 'o' }, {}).catch((e: unknown) => e);
    expect(isInvalidInputError(badName)).toBe(true);
  });

  it('the work item entity is writable (an entity-write action records an outcome without completing it)', async () => {
    const { sandbox, client } = createHarness();
    const workItemId = sandbox.openWorkItem('usmf', { documentType: 'VendorInvoice', documentId: 'INV-1' });
    await client.http.request({ method: 'PATCH', path: `WorkflowWorkItems(dataAreaId='usmf',WorkItemId='${workItemId}')`, json: { Outcome: 'Approve', OutcomeComment: 'ok' }, headers: { 'if-match': '*' } } as never);
    expect(sandbox.rows('WorkflowWorkItems')[0]).toMatchObject({ Status: 'Pending', Outcome: 'Approve', OutcomeComment: 'ok' });
  });
});
