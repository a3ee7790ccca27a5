/**
 * Completing workflow work items from outside F&O, two ways.
 *
 * **The standard entity** (confirmed: FODOCS `business-events/business-events-workflow.md`, 2026-04): the
 * `WorkflowWorkItems` entity has the OData actions `Validate` (is the work item ready for completion?) and
 * `Complete` (complete it with a response), used by Microsoft's Power Automate templates; the work item's action
 * manager must implement `IValidateWorkflowWorkItemAction` (the standard `WorkflowWorkItemActionManager` does).
 * Bound actions are posted to `…/data/WorkflowWorkItems(<key>)/Microsoft.Dynamics.DataEntities.<Action>` as for
 * every F&O entity action. UNCONFIRMED: the entity's key and field names, the actions' parameter names (emulated as
 * `Outcome`, `Comment`) and answers (`Validate` → `{ value: boolean }`, `Complete` → 204).
 *
 * **A custom service** (`POST /api/services/{group}/{service}/{operation}`, JSON body of named parameters, the
 * return value as JSON): what an integration deploys when it needs more than the entity offers, here
 * `completeWorkItem` (X++ `WorkflowWorkItemActionManager::dispatchWorkItemAction` behind it) and
 * `recordDocumentOutcome` (keeps an outcome reported for a document that has no work item). Group, service,
 * operation and parameter names and the error envelope are UNCONFIRMED: a customer's own service.
 */
import { FoEmulatorError, foErrors } from './errors.js';
import { parseKeyPredicate } from './router.js';
import type { FinanceOperationsStore, StoredRecord } from './store.js';

/** Names of the emulated custom workflow service (override in `createFinanceOperationsSandbox({ workflowService })`). */
export interface WorkflowServiceNames {
  group: string;
  service: string;
  /** Operation completing a work item. */
  operation: string;
  /** Operation recording an outcome reported for a document (`recordDocumentOutcome`). */
  outcomeOperation: string;
}

/** Default names of the custom workflow service. */
export const DEFAULT_WORKFLOW_SERVICE: Readonly<WorkflowServiceNames> = Object.freeze({
  group: 'MLConnectorWorkflowServices',
  service: 'MLConnectorWorkflowService',
  operation: 'completeWorkItem',
  outcomeOperation: 'recordDocumentOutcome',
});

/** An outcome recorded through the custom service's `recordDocumentOutcome` (kept in memory, not in snapshots). */
export interface RecordedDocumentOutcome {
  /** Legal entity, lower case. */
  dataAreaId: string;
  /** The caller's key of the document (`usmf/vendor-invoice/V00002/SUP-1`). */
  documentKey: string;
  /** What was decided (`Resolved`, `Disputed`, `Comment`, …). */
  outcome: string;
  /** Free text that came with it. */
  comment: string;
  /** The caller's reference (a Jira issue key). */
  reference: string;
  /** Client id of the caller. */
  recordedBy: string;
  /** When it was recorded (ISO, the sandbox clock). */
  recordedAt: string;
}

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
  context: { store: FinanceOperationsStore; names: WorkflowServiceNames; now: () => number; user: string; outcomes: RecordedDocumentOutcome[] },
): Promise<Response> {
  const [group, service, operation] = path;
  const { names } = context;
  const operations = [names.operation, names.outcomeOperation];
  if (group !== names.group || (service !== undefined && service !== names.service) || (operation !== undefined && !operations.includes(operation))) {
    return serviceError(404, `Service ${path.join('/')} was not found.`);
  }
  if (operation === undefined) {
    if (request.method !== 'GET') return serviceError(405, 'Only GET lists a service group or service.');
    return Response.json(service === undefined ? { Services: [{ Name: names.service }] } : { Operations: operations.map((name) => ({ Name: name })) });
  }
  if (request.method !== 'POST') return serviceError(405, `Operation ${operation} is invoked with POST.`);
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(await request.text()) as Record<string, unknown>;
  } catch {
    return serviceError(400, 'The request body is not valid JSON.');
  }
  if (operation === names.outcomeOperation) return recordDocumentOutcome(body, context);
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
  complete(item, outcome, comment, context);
  return Response.json({ WorkItemId: workItemId, Status: 'Completed', Outcome: outcome, AlreadyCompleted: false });
}

function complete(item: StoredRecord, outcome: string, comment: string, context: { store: FinanceOperationsStore; now: () => number; user: string }): void {
  Object.assign(item, { Status: 'Completed', Outcome: outcome, OutcomeComment: comment, CompletedBy: context.user, CompletedAt: new Date(context.now()).toISOString(), $version: context.store.nextVersion() });
}

function recordDocumentOutcome(body: Record<string, unknown>, context: { now: () => number; user: string; outcomes: RecordedDocumentOutcome[] }): Response {
  const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
  const entry = { dataAreaId: text('_dataAreaId').toLowerCase(), documentKey: text('_documentKey'), outcome: text('_outcome'), comment: text('_comment'), reference: text('_reference') };
  if (!entry.dataAreaId || !entry.documentKey || !entry.outcome) return serviceError(400, 'Parameters _dataAreaId, _documentKey and _outcome are required.');
  // Idempotent: the same report again (a retried call) is answered without a second record.
  const same = context.outcomes.find((o) => o.dataAreaId === entry.dataAreaId && o.documentKey === entry.documentKey && o.outcome === entry.outcome && o.comment === entry.comment && o.reference === entry.reference);
  if (!same) context.outcomes.push({ ...entry, recordedBy: context.user, recordedAt: new Date(context.now()).toISOString() });
  return Response.json({ DocumentKey: entry.documentKey, Outcome: entry.outcome, AlreadyRecorded: same !== undefined });
}

/** Parameter names of the `Complete` action as emulated (UNCONFIRMED). */
export const WORK_ITEM_COMPLETE_PARAMETERS = Object.freeze({ outcome: 'Outcome', comment: 'Comment' });

/**
 * `POST …/data/WorkflowWorkItems(<key>)/Microsoft.Dynamics.DataEntities.Validate|Complete`. `Validate` answers
 * whether the item can be completed now (pending); `Complete` completes it with an outcome of
 * {@link WORK_ITEM_OUTCOMES} (400 otherwise, or when it is no longer pending). Throws `FoEmulatorError`.
 */
export function handleWorkItemAction(
  request: { method: string; keyText: string; action: string; body: unknown; serviceRoot: string; crossCompany: boolean; defaultCompany: string },
  context: { store: FinanceOperationsStore; now: () => number; user: string },
): { status: number; body?: unknown; headers: Record<string, string> } {
  if (request.method !== 'POST') throw new FoEmulatorError(405, `The action ${request.action} is invoked with POST.`);
  const key = parseKeyPredicate('WorkflowWorkItems', request.keyText);
  const item = context.store.get('WorkflowWorkItems', key);
  const url = `${request.serviceRoot}/WorkflowWorkItems(${request.keyText})`;
  if (!item || (!request.crossCompany && String(item.dataAreaId) !== request.defaultCompany)) throw foErrors.notFound(url);
  if (request.action === 'Validate') {
    return { status: 200, body: { '@odata.context': `${request.serviceRoot}/$metadata#Edm.Boolean`, value: item.Status === 'Pending' }, headers: { 'content-type': 'application/json; odata.metadata=minimal' } };
  }
  if (request.action !== 'Complete') throw foErrors.badRequest(`The action '${request.action}' is not bound to WorkflowWorkItems; use Validate or Complete.`);
  const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<string, unknown>;
  const outcome = String(body[WORK_ITEM_COMPLETE_PARAMETERS.outcome] ?? '');
  const comment = String(body[WORK_ITEM_COMPLETE_PARAMETERS.comment] ?? '');
  if (!WORK_ITEM_OUTCOMES.includes(outcome)) throw foErrors.badRequest(`Outcome '${outcome}' is not a response of work item ${String(item.WorkItemId)}; use one of ${WORK_ITEM_OUTCOMES.join(', ')}.`);
  if (item.Status !== 'Pending') throw foErrors.badRequest(`Work item ${String(item.WorkItemId)} cannot be completed: its status is ${String(item.Status)}.`);
  complete(item, outcome, comment, context);
  return { status: 204, headers: {} };
}
