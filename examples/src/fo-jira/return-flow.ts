import { InvalidInputError } from '@ml-connector/core';
import { DataError, contentHash, type MappingSet, type SourceIdentity, type SyncFlow, type SyncStore, type SyncTarget, type TargetDocument, type WriteContext } from '@ml-connector/core/sync';
import type { CustomServiceOperation, FinanceOperationsClient } from '@ml-connector/d365-fo';
import { adfToPlainText, jql, type JiraClient } from '@ml-connector/jira';
import { FO_JIRA_FLOW } from './flow.ts';
import { ownCommentIds, type FoJiraFieldAlias } from './target.ts';

/** Name of the return flow (Jira → F&O). */
export const FO_JIRA_RETURN_FLOW = 'fo-jira-return';

/** The crosswalk table from a Jira status name to the F&O work item outcome (`status-outcome.csv`). */
export const STATUS_OUTCOME_TABLE = 'status-outcome';

/** What a person did on an issue of a rejected workflow document. */
export interface JiraActivity {
  readonly issueKey: string;
  readonly documentKey: string;
  readonly status: string;
  /** Human comments (this flow's own comments left out through the ledger), oldest first. */
  readonly comments: ReadonlyArray<{ readonly id: string; readonly text: string }>;
}

/** What the return flow writes to F&O. */
export interface WorkItemOutcome {
  readonly documentKey: string;
  readonly dataAreaId: string;
  readonly documentType: string;
  readonly documentId: string;
  /** Work item action, when the issue's status maps to one (`status-outcome.csv`); otherwise only comments are recorded. */
  readonly outcome?: string;
  readonly comment: string;
  readonly issueKey: string;
}

/**
 * How an outcome reaches F&O: `service` completes the work item through a custom service operation (default the
 * client's workflow service); `entity` writes `Outcome`/`OutcomeComment` on the work item entity (recorded, the
 * item stays open for a person in F&O).
 */
export type FoOutcomeAction = { readonly kind: 'service'; readonly operation?: Partial<CustomServiceOperation> } | { readonly kind: 'entity'; readonly entitySet?: string };

/** Options of {@link createFoJiraReturnFlow}. */
export interface FoJiraReturnFlowOptions {
  readonly fo: FinanceOperationsClient;
  readonly jira: JiraClient<FoJiraFieldAlias>;
  readonly store: SyncStore;
  readonly mappings: MappingSet;
  /** Jira projects to watch. */
  readonly projects: readonly string[];
  /** @default { kind: 'service' } */
  readonly action?: FoOutcomeAction;
}

interface WorkItemRow {
  dataAreaId: string;
  WorkItemId: string;
  DocumentType: string;
  DocumentId: string;
  Status: string;
  Outcome: string;
  OutcomeComment: string;
  '@odata.etag'?: string;
}

const quote = (value: string) => `'${value.replaceAll("'", "''")}'`;

/**
 * The return flow: issues of rejected workflow documents whose status or comments a person changed advance the
 * document's F&O work item. Comments the forward flow wrote are never sent back: their ids are in the forward
 * flow's ledger (target version), and the source leaves them out.
 */
export function createFoJiraReturnFlow(options: FoJiraReturnFlowOptions): SyncFlow<JiraActivity, WorkItemOutcome> {
  const { fo, jira, store } = options;
  if (options.projects.length === 0) throw new InvalidInputError('the return flow needs at least one Jira project to watch', { field: 'projects' });
  const action = options.action ?? { kind: 'service' };
  const entitySet = action.kind === 'entity' ? (action.entitySet ?? 'WorkflowWorkItems') : 'WorkflowWorkItems';
  const keyField = jira.customFields.documentKey.id;

  async function workItem(payload: WorkItemOutcome, signal?: AbortSignal): Promise<WorkItemRow | undefined> {
    const filter = `dataAreaId eq ${quote(payload.dataAreaId)} and DocumentType eq ${quote(payload.documentType)} and DocumentId eq ${quote(payload.documentId)}`;
    const page = await fo.http.get<{ value: WorkItemRow[] }>(`${entitySet}`, { query: { $filter: filter, 'cross-company': 'true' }, ...(signal ? { signal } : {}) } as never);
    // The latest work item of the document (a document rejected twice has two).
    return page.value.sort((a, b) => a.WorkItemId.localeCompare(b.WorkItemId)).at(-1);
  }
  const toDocument = (row: WorkItemRow): TargetDocument => ({
    id: `${row.dataAreaId}/${row.WorkItemId}`,
    ...(row['@odata.etag'] ? { version: row['@odata.etag'] } : {}),
    locked: false,
    snapshot: { status: row.Status, outcome: row.Outcome, comment: row.OutcomeComment },
  });

  async function apply(row: WorkItemRow, payload: WorkItemOutcome, context: WriteContext) {
    const path = `${entitySet}(dataAreaId=${quote(row.dataAreaId)},WorkItemId=${quote(row.WorkItemId)})`;
    if (payload.comment && payload.comment !== row.OutcomeComment) {
      await fo.http.request({ method: 'PATCH', path, json: { OutcomeComment: payload.comment }, headers: { 'if-match': '*' }, signal: context.signal } as never);
    }
    if (payload.outcome && row.Status !== 'Completed') {
      if (action.kind === 'service') {
        await fo.services.completeWorkItem({ dataAreaId: row.dataAreaId, workItemId: row.WorkItemId, outcome: payload.outcome, comment: payload.comment, ...(action.operation ? { operation: action.operation } : {}), signal: context.signal });
      } else {
        await fo.http.request({ method: 'PATCH', path, json: { Outcome: payload.outcome }, headers: { 'if-match': '*' }, signal: context.signal } as never);
      }
    }
    const after = await workItem(payload, context.signal);
    return { document: toDocument(after ?? row) };
  }

  const target: SyncTarget<WorkItemOutcome> = {
    system: 'd365-fo',
    naturalKey: (payload) => payload.documentKey,
    async find(payload, context) {
      const row = await workItem(payload, context.signal);
      return row ? toDocument(row) : undefined;
    },
    async get(targetId, context) {
      const [dataAreaId, workItemId] = targetId.split('/');
      const page = await fo.http.get<{ value: WorkItemRow[] }>(entitySet, { query: { $filter: `dataAreaId eq ${quote(dataAreaId!)} and WorkItemId eq ${quote(workItemId!)}`, 'cross-company': 'true' }, signal: context.signal } as never);
      return page.value[0] ? toDocument(page.value[0]) : undefined;
    },
    async create(payload, context) {
      // Work items are made by F&O's workflow: "create" adopts the document's work item or sends the record to review.
      const row = await workItem(payload, context.signal);
      if (!row) throw new DataError('no-work-item', `F&O has no workflow work item for ${payload.documentType} ${payload.documentId} in ${payload.dataAreaId}`);
      return apply(row, payload, context);
    },
    async update(current, payload, context) {
      const row = await workItem(payload, context.signal);
      if (!row) throw new DataError('no-work-item', `the work item ${current.id} of ${payload.documentKey} is gone`);
      return apply(row, payload, context);
    },
  };

  return {
    name: FO_JIRA_RETURN_FLOW,
    source: {
      system: 'jira',
      stream: 'rejected-document-issues',
      query: { projects: options.projects },
      async *read(_cursor, context) {
        // A small, bounded set (open issues of rejected documents): read whole each run; the ledger skips unchanged ones.
        const query = jql`project IN ${[...options.projects]} AND labels = ${'fo-workflowDocumentRejected'} ORDER BY created ASC`;
        const records: JiraActivity[] = [];
        for await (const issue of jira.search.issues(query, { fields: ['status', 'updated', keyField] })) {
          const documentKey = String(issue.fields[keyField] ?? '');
          if (!documentKey) continue;
          const forward = await store.getLedgerEntry({ flow: FO_JIRA_FLOW, sourceSystem: 'd365-fo', sourceId: documentKey });
          const own = new Set(ownCommentIds(forward?.targetVersion));
          const comments: { id: string; text: string }[] = [];
          for await (const comment of jira.issues.listComments(issue.key)) {
            if (!own.has(comment.id)) comments.push({ id: comment.id, text: adfToPlainText(comment.body).trim() });
          }
          records.push({ issueKey: issue.key, documentKey, status: String((issue.fields['status'] as { name?: string } | undefined)?.name ?? ''), comments });
          if (context.signal?.aborted) break;
        }
        yield { records, cursor: `fo-jira-return:v1:${records.length}` };
      },
      async fetch() {
        return undefined;
      },
      identify(activity): SourceIdentity {
        return { id: activity.issueKey, version: contentHash({ status: activity.status, comments: activity.comments.map((c) => c.id) }), businessIds: [activity.issueKey, activity.documentKey] };
      },
    },
    map(activity): WorkItemOutcome {
      const [dataAreaId, kind, documentType, ...rest] = activity.documentKey.split('/');
      if (kind !== 'workflow' || !dataAreaId || !documentType || rest.length === 0) throw new DataError('not-a-workflow-document', `${activity.issueKey} holds ${activity.documentKey}, not a workflow document key`);
      const outcome = options.mappings.find(STATUS_OUTCOME_TABLE, activity.status);
      return {
        documentKey: activity.documentKey,
        dataAreaId,
        documentType,
        documentId: rest.join('/'),
        ...(typeof outcome === 'string' && outcome !== '' ? { outcome } : {}),
        comment: activity.comments.map((c) => c.text).join('\n').slice(0, 1000),
        issueKey: activity.issueKey,
      };
    },
    target,
    mappingVersion: options.mappings.version,
  };
}
