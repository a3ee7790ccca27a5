import { describe, expect, it } from 'vitest';
import { isCustomServiceError } from '@ml-connector/d365-fo';
import { createHarness } from '../helpers.js';

const action = (workItemId: string, name: string, company = 'usmf') => `WorkflowWorkItems(dataAreaId='${company}',WorkItemId='${workItemId}')/Microsoft.Dynamics.DataEntities.${name}`;

describe('WorkflowWorkItems entity actions (Validate, Complete) and the custom recordDocumentOutcome operation', () => {
  it('Validate says whether the item can be completed; Complete completes it once with a valid outcome', async () => {
    const { sandbox, client } = createHarness();
    const workItemId = await sandbox.rejectWorkflowDocument('usmf', { type: 'PurchaseRequisition', id: 'PR-5', comment: 'no budget' });
    expect(await client.http.post(action(workItemId, 'Validate'), { json: {} } as never)).toMatchObject({ value: true });

    const bad = await client.http.post(action(workItemId, 'Complete'), { json: { Outcome: 'Maybe' } } as never).catch((error: unknown) => error);
    expect((bad as { status?: number }).status).toBe(400);
    expect(String((bad as Error).message)).toMatch(/not a response of work item/);

    await client.http.post(action(workItemId, 'Complete'), { json: { Outcome: 'Resubmit', Comment: 'budget raised' } } as never);
    expect(sandbox.rows('WorkflowWorkItems')[0]).toMatchObject({ Status: 'Completed', Outcome: 'Resubmit', OutcomeComment: 'budget raised' });
    expect(await client.http.post(action(workItemId, 'Validate'), { json: {} } as never)).toMatchObject({ value: false });
    const again = await client.http.post(action(workItemId, 'Complete'), { json: { Outcome: 'Resubmit' } } as never).catch((error: unknown) => error);
    expect(String((again as Error).message)).toMatch(/cannot be completed: its status is Completed/);
  });

  it('another company\'s item needs cross-company; an unknown item or action is refused', async () => {
    const { sandbox, client } = createHarness();
    const workItemId = sandbox.openWorkItem('demf', { documentType: 'PurchaseRequisition', documentId: 'PR-9' });
    const hidden = await client.http.post(action(workItemId, 'Validate', 'demf'), { json: {} } as never).catch((error: unknown) => error);
    expect((hidden as { status?: number }).status).toBe(404);
    expect(await client.http.post(`${action(workItemId, 'Validate', 'demf')}?cross-company=true`, { json: {} } as never)).toMatchObject({ value: true });
    const unknown = await client.http.post(action('WI-999999', 'Complete'), { json: { Outcome: 'Approve' } } as never).catch((error: unknown) => error);
    expect((unknown as { status?: number }).status).toBe(404);
    const wrong = await client.http.post(`${action(workItemId, 'Delegate', 'demf')}?cross-company=true`, { json: {} } as never).catch((error: unknown) => error);
    expect((wrong as { status?: number }).status).toBe(400);
  });

  it('recordDocumentOutcome keeps one record per report (a retried call is answered AlreadyRecorded) and needs its parameters', async () => {
    const { sandbox, client } = createHarness();
    const operation = { group: 'MLConnectorWorkflowServices', service: 'MLConnectorWorkflowService', operation: 'recordDocumentOutcome' };
    const parameters = { _dataAreaId: 'USMF', _documentKey: 'usmf/vendor-invoice/V1/INV-1', _outcome: 'Resolved', _comment: 'paid', _reference: 'FIN-3' };
    expect(await client.services.call(operation, parameters)).toMatchObject({ AlreadyRecorded: false });
    expect(await client.services.call(operation, parameters)).toMatchObject({ AlreadyRecorded: true });
    expect(sandbox.documentOutcomes).toEqual([expect.objectContaining({ dataAreaId: 'usmf', documentKey: 'usmf/vendor-invoice/V1/INV-1', outcome: 'Resolved', reference: 'FIN-3' })]);
    const missing = await client.services.call(operation, { _dataAreaId: 'usmf' }).catch((error: unknown) => error);
    expect(isCustomServiceError(missing)).toBe(true);
  });
});
