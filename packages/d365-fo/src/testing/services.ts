/**
 * Custom service operations (`POST /api/services/{group}/{service}/{operation}`, JSON body of named parameters,
 * the operation's return value as JSON). F&O ships no standard "complete a workflow work item" service, so the one
 * emulated here is the custom service an integration deploys (X++ `WorkflowWorkItemActionManager::dispatchWorkItemAction`
 * behind it): group, service and operation names, parameter names and the error envelope are UNCONFIRMED.
 */
import type { FinanceOperationsStore } from './store.js';

/** Names of the emulated custom workflow service (override in `createFinanceOperationsSandbox({ workflowService })`). */
export interface WorkflowServiceNames {
  group: string;
  service: string;
  operation: string;
}

/** Default names of the custom workflow service. */
export const DEFAULT_WORKFLOW_SERVICE: Readonly<WorkflowServiceNames> = Object.freeze({
  group: 'MLConnectorWorkflowServices',
  service: 'MLConnectorWorkflowService',
  operation: 'completeWorkItem',
});

/** Outcomes the emulated service accepts (F&O's work item actions). */
export const WORK_ITEM_OUTCOMES = Object.freeze(['Approve', 'Reject', 'RequestChange', 'Resubmit', 'Complete', 'Return']);

/**
 * Error answer of a custom service. F&O answers an X++ exception in a service as `{ Message, ExceptionType,
 * ActivityId }`; the status used here (400) is UNCONFIRMED (some samples show 500).
 */
function serviceError(status: number, message: string): Response {
  return new Response(JSON.stringify({ Message: message, ExceptionType: 'XppServicesException', ActivityId: '00000000-0000-0000-0000-000000000000' }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
}

/** Handles `POST /api/services/…` for the custom workflow service. */
export async function handleServiceRequest(
  request: Request,
  path: readonly string[],
  context: { store: FinanceOperationsStore; names: WorkflowServiceNames; now: () => number; user: string },
): Promise<Response> {
  const [group, service, operation] = path;
  const { names } = context;
  if (group !== names.group || (service !== undefined && service !== names.service) || (operation !== undefined && operation !== names.operation)) {
    return serviceError(404, `Service ${path.join('/')} was not found.`);
  }
  if (operation === undefined) {
    if (request.method !== 'GET') return serviceError(405, 'Only GET lists a service group or service.');
    return Response.json(service === undefined ? { Services: [{ Name: names.service }] } : { Operations: [{ Name: names.operation }] });
  }
  if (request.method !== 'POST') return serviceError(405, `Operation ${operation} is invoked with POST.`);
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(await request.text()) as Record<string, unknown>;
  } catch {
    return serviceError(400, 'The request body is not valid JSON.');
  }
  const dataAreaId = String(body['_dataAreaId'] ?? '').toLowerCase();
  const workItemId = String(body['_workItemId'] ?? '');
  const outcome = String(body['_outcome'] ?? '');
  const comment = String(body['_comment'] ?? '');
  if (!dataAreaId || !workItemId) return serviceError(400, 'Parameters _dataAreaId and _workItemId are required.');
  if (!WORK_ITEM_OUTCOMES.includes(outcome)) return serviceError(400, `Outcome '${outcome}' is not a work item action; use one of ${WORK_ITEM_OUTCOMES.join(', ')}.`);
  const item = context.store.all('WorkflowWorkItems').find((row) => row.dataAreaId === dataAreaId && row.WorkItemId === workItemId);
  if (!item) return serviceError(400, `Work item ${workItemId} does not exist in company ${dataAreaId}.`);
  if (item.Status === 'Completed') {
    // Idempotent by design: the same outcome again answers the first completion, so a retried call is harmless.
    if (item.Outcome === outcome) return Response.json({ WorkItemId: workItemId, Status: 'Completed', Outcome: outcome, AlreadyCompleted: true });
    return serviceError(400, `Work item ${workItemId} was already completed with outcome ${String(item.Outcome)}.`);
  }
  Object.assign(item, { Status: 'Completed', Outcome: outcome, OutcomeComment: comment, CompletedBy: context.user, CompletedAt: new Date(context.now()).toISOString(), $version: context.store.nextVersion() });
  return Response.json({ WorkItemId: workItemId, Status: 'Completed', Outcome: outcome, AlreadyCompleted: false });
}
