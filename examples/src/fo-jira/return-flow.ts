import { InvalidInputError, isConnectorError } from '@ml-connector/core';
import {
  CheckpointUnreadableError,
  DataError,
  contentHash,
  type MappingSet,
  type ReadContext,
  type SourceIdentity,
  type SourcePage,
  type SyncFlow,
  type SyncStore,
  type SyncTarget,
  type TargetDocument,
  type WriteContext,
} from '@ml-connector/core/sync';
import type { CustomServiceOperation, FinanceOperationsClient } from '@ml-connector/d365-fo';
import { adfToPlainText, jql, jqlDateTime, type JiraClient, type JiraIssue } from '@ml-connector/jira';
import { FO_JIRA_FLOW } from './flow.ts';
import type { FoDocumentKind } from './source.ts';
import { ownCommentIds, type FoJiraFieldAlias } from './target.ts';

/** Name of the return flow (Jira → F&O). */
export const FO_JIRA_RETURN_FLOW = 'fo-jira-return';

/**
 * The crosswalk from what happened on an issue to the F&O action (`status-action.csv`: key, action, outcome). The
 * key is `<event kind>/<Jira status name>` (`workflowDocumentRejected/Done`), or `<event kind>/comment` for people's
 * comments on an issue whose status maps to nothing; `action` names an entry of {@link FoJiraReturnFlowOptions.actions}.
 */
export const STATUS_ACTION_TABLE = 'status-action';

/** The event kinds whose issues the return flow watches (all the forward flow creates issues for). */
export const RETURN_FLOW_KINDS: readonly FoDocumentKind[] = Object.freeze(['vendorInvoicePosted', 'purchaseOrderConfirmed', 'workflowDocumentRejected']);

/** What people did on an issue the forward flow created, read live from Jira. */
export interface JiraActivity {
  readonly issueKey: string;
  readonly documentKey: string;
  readonly kind: FoDocumentKind;
  readonly status: string;
  /** The issue's `updated` stamp (ISO). */
  readonly updated: string;
  /** People's comments, oldest first: the forward flow's own comments are left out through its ledger (no echo). */
  readonly comments: ReadonlyArray<{ readonly id: string; readonly text: string }>;
}

/** What the return flow sends to F&O for one issue. */
export interface FoOutcome {
  readonly documentKey: string;
  readonly kind: FoDocumentKind;
  readonly dataAreaId: string;
  /** Workflow documents: the document type (`PurchaseRequisition`); other kinds: the vendor account. */
  readonly documentType: string;
  /** Workflow documents: the document id; other kinds: the invoice or purchase order number. */
  readonly documentId: string;
  readonly issueKey: string;
  readonly status: string;
  /** Name of the action (`complete-work-item`, `record-outcome`, …) and its definition. */
  readonly action: string;
  readonly outcome: string;
  /** People's comments joined (at most 1,000 characters). */
  readonly comment: string;
  /**
   * The `<kind>/comment` action, for comments that arrive after the work item was completed: the work item action
   * has nothing left to do, so they are recorded this way instead of being dropped.
   */
  readonly commentAction?: { readonly action: string; readonly outcome: string };
}

/**
 * An F&O action the return flow can take. Templates (`{documentKey}`, `{dataAreaId}`, `{documentType}`,
 * `{documentId}`, `{issueKey}`, `{status}`, `{outcome}`, `{comment}`) are filled from the {@link FoOutcome}.
 *
 * - `work-item-action`: completes the document's workflow work item with the OData action `Complete` of the
 *   standard `WorkflowWorkItems` entity (documented by Microsoft for completing work items from Power Automate;
 *   its parameter names are UNCONFIRMED, default `Outcome`/`Comment`, configurable).
 * - `work-item-service`: completes it through a custom service (`completeWorkItem` of the F&O client; names
 *   UNCONFIRMED: a service the customer deploys).
 * - `work-item-entity`: writes `Outcome`/`OutcomeComment` on the work item and leaves it open for a person in F&O.
 * - `service`: calls any custom service operation with templated parameters (retried only when `idempotent`).
 * - `entity`: PATCHes any entity record (key and fields templated).
 */
export type FoActionDefinition =
  | { readonly kind: 'work-item-action'; readonly parameters?: { readonly outcome: string; readonly comment: string } }
  | { readonly kind: 'work-item-service'; readonly operation?: Partial<CustomServiceOperation> }
  | { readonly kind: 'work-item-entity' }
  | { readonly kind: 'service'; readonly operation: CustomServiceOperation; readonly parameters: Readonly<Record<string, string>>; readonly idempotent?: boolean }
  | { readonly kind: 'entity'; readonly entitySet: string; readonly key: Readonly<Record<string, string>>; readonly fields: Readonly<Record<string, string>> };

/**
 * The custom service operation that records an outcome for a document without a work item (vendor invoices,
 * purchase orders) or a comment on one. UNCONFIRMED names: a service the customer deploys (the F&O emulator serves it).
 */
export const RECORD_OUTCOME_OPERATION: Readonly<CustomServiceOperation> = Object.freeze({
  group: 'MLConnectorWorkflowServices',
  service: 'MLConnectorWorkflowService',
  operation: 'recordDocumentOutcome',
});

/** The actions `status-action.csv` can name, by default. */
export const DEFAULT_FO_ACTIONS: Readonly<Record<string, FoActionDefinition>> = Object.freeze({
  'complete-work-item': { kind: 'work-item-action' },
  'record-outcome': {
    kind: 'service',
    operation: RECORD_OUTCOME_OPERATION,
    parameters: { _dataAreaId: '{dataAreaId}', _documentKey: '{documentKey}', _outcome: '{outcome}', _comment: '{comment}', _reference: '{issueKey}' },
    // The operation answers a repeated report without recording it twice.
    idempotent: true,
  },
});

/** Options of {@link createFoJiraReturnFlow}. */
export interface FoJiraReturnFlowOptions {
  readonly fo: FinanceOperationsClient;
  readonly jira: JiraClient<FoJiraFieldAlias>;
  /** The engine's store: the forward flow's ledger (own comments) and audit (issues it just wrote). */
  readonly store: SyncStore;
  readonly mappings: MappingSet;
  /** Jira projects to watch. */
  readonly projects: readonly string[];
  /** Actions by name, merged over {@link DEFAULT_FO_ACTIONS}. */
  readonly actions?: Readonly<Record<string, FoActionDefinition>>;
  /**
   * How far before the newest `updated` seen the next read starts, ms. JQL dates have minute precision and the
   * search index lags writes, so an issue updated just before the cursor can show up late; the ledger skips what
   * was already sent. Keep it above the index lag. @default 300000 (5 minutes)
   */
  readonly lookbackMs?: number;
  /**
   * Time zone Jira reads JQL dates in: the integration user's profile zone. @default read once from `GET /myself`
   * (OAuth apps need the `read:jira-user` scope for it; without it UTC with 14 hours of slack, and a warning)
   */
  readonly timeZone?: string;
  /** Issues per page handed to the engine. @default 50 */
  readonly pageSize?: number;
}

/** The return flow plus what webhook deliveries need: one issue read live, as the flow's source would. */
export interface FoJiraReturnFlow extends SyncFlow<JiraActivity, FoOutcome> {
  /** The activity of one issue read live (no search index involved); undefined when there is nothing to send. */
  activityOf(issueKey: string, context?: Partial<ReadContext>): Promise<JiraActivity | undefined>;
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

const CURSOR_PREFIX = 'fo-jira-return:v2:';
const KIND_SEGMENT: Record<FoDocumentKind, string> = { vendorInvoicePosted: 'vendor-invoice', purchaseOrderConfirmed: 'purchase-order', workflowDocumentRejected: 'workflow' };
const TEMPLATE_FIELDS = ['documentKey', 'dataAreaId', 'documentType', 'documentId', 'issueKey', 'status', 'outcome', 'comment'] as const;
const quote = (value: string) => `'${value.replaceAll("'", "''")}'`;

/** Fills `{field}` placeholders from the outcome. */
function fill(template: string, outcome: FoOutcome): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(outcome[name as (typeof TEMPLATE_FIELDS)[number]] ?? ''));
}

function checkTemplates(name: string, templates: Readonly<Record<string, string>>): void {
  for (const [field, template] of Object.entries(templates)) {
    for (const [, placeholder] of template.matchAll(/\{(\w+)\}/g)) {
      if (!(TEMPLATE_FIELDS as readonly string[]).includes(placeholder!)) {
        throw new InvalidInputError(`action "${name}": ${field} uses {${placeholder}}; use one of ${TEMPLATE_FIELDS.map((f) => `{${f}}`).join(', ')}`, { field: `actions.${name}` });
      }
    }
  }
}

interface CursorState {
  /** Newest `updated` seen, epoch ms. */
  updated?: number;
  /** Last audit sequence of the forward flow looked at. */
  auditSeq: number;
}

function readCursor(cursor: string | undefined): CursorState {
  if (cursor === undefined) return { auditSeq: 0 };
  const [updated, seq] = cursor.startsWith(CURSOR_PREFIX) ? cursor.slice(CURSOR_PREFIX.length).split('|') : [];
  const state = { ...(updated ? { updated: Date.parse(updated) } : {}), auditSeq: Number(seq) };
  if ((updated && Number.isNaN(state.updated)) || !Number.isInteger(state.auditSeq) || state.auditSeq < 0) throw new CheckpointUnreadableError('the saved fo-jira-return cursor cannot be read');
  return state;
}

const writeCursor = (state: CursorState) => `${CURSOR_PREFIX}${state.updated === undefined ? '' : new Date(state.updated).toISOString()}|${state.auditSeq}`;

/**
 * The return flow: what people do on the issues the forward flow created (a transition, a comment) reaches F&O
 * through a configurable action: the work item of a rejected workflow document is completed, an outcome on a
 * vendor invoice or purchase order is recorded (`status-action.csv`).
 *
 * It reads incrementally: JQL `updated >= <cursor − look-back>` in the user's time zone, ordered by `updated`, plus
 * the issues the forward flow wrote since the last read (from its audit), read directly so a fresh issue counts
 * before the search index has it. Every candidate is re-read live (the index may hold an older status). Re-reads of
 * the look-back window are skipped by the ledger (the record version is the status and the people's comment ids).
 * Comments the forward flow wrote are never sent back: their ids are in its ledger.
 */
export function createFoJiraReturnFlow(options: FoJiraReturnFlowOptions): FoJiraReturnFlow {
  const { fo, jira, store, mappings } = options;
  if (options.projects.length === 0) throw new InvalidInputError('the return flow needs at least one Jira project to watch', { field: 'projects' });
  const lookbackMs = options.lookbackMs ?? 300_000;
  if (!(Number.isFinite(lookbackMs) && lookbackMs >= 60_000)) throw new InvalidInputError(`lookbackMs must be at least 60000 (JQL dates have minute precision), got ${lookbackMs}`, { field: 'lookbackMs' });
  const pageSize = options.pageSize ?? 50;
  const actions: Record<string, FoActionDefinition> = { ...DEFAULT_FO_ACTIONS, ...options.actions };
  for (const [name, action] of Object.entries(actions)) {
    if (action.kind === 'service') checkTemplates(name, action.parameters);
    if (action.kind === 'entity') checkTemplates(name, { ...action.key, ...action.fields });
  }
  const keyField = jira.customFields.documentKey.id;

  /** The mapping row for an issue, or undefined when nothing is to be sent. */
  const rowFor = (kind: FoDocumentKind, status: string, hasComments: boolean) => {
    const row = mappings.find(STATUS_ACTION_TABLE, `${kind}/${status}`) ?? (hasComments ? mappings.find(STATUS_ACTION_TABLE, `${kind}/comment`) : undefined);
    return typeof row === 'object' ? row : undefined;
  };

  async function activityFrom(issue: JiraIssue, signal?: AbortSignal): Promise<JiraActivity | undefined> {
    const documentKey = String(issue.fields[keyField] ?? '');
    const labels = (issue.fields['labels'] as string[] | undefined) ?? [];
    const kind = RETURN_FLOW_KINDS.find((k) => labels.includes(`fo-${k}`));
    if (!documentKey || !kind) return undefined;
    const forward = await store.getLedgerEntry({ flow: FO_JIRA_FLOW, sourceSystem: 'd365-fo', sourceId: documentKey });
    const own = new Set(ownCommentIds(forward?.targetVersion));
    const comments: { id: string; text: string }[] = [];
    for await (const comment of jira.issues.listComments(issue.key)) {
      if (!own.has(comment.id)) comments.push({ id: comment.id, text: adfToPlainText(comment.body).trim() });
      if (signal?.aborted) break;
    }
    const status = String((issue.fields['status'] as { name?: string } | undefined)?.name ?? '');
    if (!rowFor(kind, status, comments.length > 0)) return undefined;
    return { issueKey: issue.key, documentKey, kind, status, updated: String(issue.fields['updated'] ?? ''), comments };
  }

  const liveFields = ['status', 'updated', 'labels', keyField];
  async function readLive(issueKey: string, signal?: AbortSignal): Promise<JiraIssue | undefined> {
    try {
      return await jira.issues.get(issueKey, { fields: liveFields, ...(signal ? { signal } : {}) });
    } catch (error) {
      if ((error as { status?: number }).status === 404) return undefined;
      throw error;
    }
  }

  /** Issue keys the forward flow wrote after `afterSeq`, and the last sequence read. */
  async function writtenByForwardFlow(afterSeq: number): Promise<{ keys: string[]; lastSeq: number }> {
    const keys = new Set<string>();
    let lastSeq = afterSeq;
    for (;;) {
      const events = await store.queryAudit({ flow: FO_JIRA_FLOW, afterSeq: lastSeq, limit: 500 });
      for (const event of events) if (event.step === 'written' && event.targetId) keys.add(event.targetId);
      if (events.length > 0) lastSeq = events.at(-1)!.seq;
      if (events.length < 500) return { keys: [...keys], lastSeq };
    }
  }

  /**
   * The zone JQL dates are written in, and how much earlier to start when it is unknown: when `/myself` is refused
   * (OAuth apps need `read:jira-user`), UTC with 14 hours of slack, so that whatever the profile zone (UTC−12 to
   * UTC+14) the window starts no later than intended; the ledger skips what the wider window reads again.
   */
  let zone: { name: string; slackMs: number } | undefined = options.timeZone ? { name: options.timeZone, slackMs: 0 } : undefined;
  async function profileZone(context: ReadContext): Promise<{ name: string; slackMs: number }> {
    try {
      const found = (await jira.metadata.myself({ signal: context.signal })).timeZone;
      return found ? { name: found, slackMs: 0 } : { name: 'UTC', slackMs: 14 * 3_600_000 };
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (!isConnectorError(error) || (status !== 401 && status !== 403)) throw error;
      context.logger.warn({ status }, 'fo-jira-return: GET /myself refused (OAuth apps need read:jira-user); JQL dates in UTC with 14 h of slack. Set timeZone to the Jira profile zone.');
      return { name: 'UTC', slackMs: 14 * 3_600_000 };
    }
  }

  async function* read(cursor: string | undefined, context: ReadContext): AsyncIterable<SourcePage<JiraActivity>> {
    const state = readCursor(cursor);
    zone ??= await profileZone(context);
    const labels = RETURN_FLOW_KINDS.map((kind) => `fo-${kind}`);
    const since = state.updated === undefined ? '' : jql` AND updated >= ${jqlDateTime(state.updated - lookbackMs - zone.slackMs, zone.name)}`;
    const query = `${jql`project IN ${[...options.projects]} AND labels IN ${labels}`}${since} ORDER BY updated ASC, key ASC`;
    // Issues the forward flow just wrote may not be searchable yet (index lag): read them directly as well.
    const written = await writtenByForwardFlow(state.auditSeq);
    // The final cursor: the newest live `updated` seen and the audit read. Pages before it resume more cautiously (the
    // old audit position, the newest `updated` of the search order so far), so a run stopped midway loses nothing.
    const next: CursorState = { ...state, auditSeq: written.lastSeq };
    let searched: number | undefined;
    const seen = new Set<string>();
    let page: JiraActivity[] = [];
    const candidates = async function* () {
      for (const key of written.keys) yield key;
      for await (const issue of jira.search.issues(query, { fields: ['updated'], maxResults: 100 })) {
        const updated = Date.parse(String(issue.fields['updated'] ?? ''));
        if (!Number.isNaN(updated)) searched = Math.max(searched ?? updated, updated);
        yield issue.key;
      }
    };
    for await (const key of candidates()) {
      if (seen.has(key) || context.signal.aborted) continue;
      seen.add(key);
      const issue = await readLive(key, context.signal);
      if (!issue) continue;
      const updated = Date.parse(String(issue.fields['updated'] ?? ''));
      if (!Number.isNaN(updated) && (next.updated === undefined || updated > next.updated)) next.updated = updated;
      const activity = await activityFrom(issue, context.signal);
      if (activity) page.push(activity);
      if (page.length >= pageSize) {
        yield { records: page, cursor: writeCursor({ auditSeq: state.auditSeq, ...((searched ?? state.updated) !== undefined ? { updated: searched ?? state.updated } : {}) }) };
        page = [];
      }
    }
    if (!context.signal.aborted) yield { records: page, cursor: writeCursor(next) };
  }

  // ---- F&O side ----

  async function workItem(payload: FoOutcome, signal?: AbortSignal): Promise<WorkItemRow | undefined> {
    const filter = `dataAreaId eq ${quote(payload.dataAreaId)} and DocumentType eq ${quote(payload.documentType)} and DocumentId eq ${quote(payload.documentId)}`;
    const page = await fo.http.get<{ value: WorkItemRow[] }>('WorkflowWorkItems', { query: { $filter: filter, 'cross-company': 'true' }, ...(signal ? { signal } : {}) } as never);
    // The latest work item of the document (a document rejected twice has two).
    return page.value.sort((a, b) => a.WorkItemId.localeCompare(b.WorkItemId)).at(-1);
  }
  const workItemPath = (row: WorkItemRow) => `WorkflowWorkItems(dataAreaId=${quote(row.dataAreaId)},WorkItemId=${quote(row.WorkItemId)})`;
  const workItemDocument = (row: WorkItemRow): TargetDocument => ({
    id: `${row.dataAreaId}/${row.WorkItemId}`,
    ...(row['@odata.etag'] ? { version: row['@odata.etag'] } : {}),
    locked: false,
    snapshot: { status: row.Status, outcome: row.Outcome, comment: row.OutcomeComment },
  });
  const isWorkItemAction = (definition: FoActionDefinition) => definition.kind.startsWith('work-item');
  const definitionOf = (payload: FoOutcome) => actions[payload.action]!;

  async function apply(payload: FoOutcome, context: WriteContext) {
    const definition = definitionOf(payload);
    const signal = context.signal;
    switch (definition.kind) {
      case 'work-item-action':
      case 'work-item-service':
      case 'work-item-entity': {
        const row = await workItem(payload, signal);
        if (!row) throw new DataError('no-work-item', `F&O has no workflow work item for ${payload.documentType} ${payload.documentId} in ${payload.dataAreaId}`);
        // A work item completed already (by a person in F&O, or an earlier attempt whose answer was lost) is left alone;
        // comments that came later go through the comment action, when there is one that is not a work item action.
        const later = payload.commentAction;
        if (row.Status !== 'Pending' && payload.comment && later && actions[later.action] && !isWorkItemAction(actions[later.action]!)) {
          return apply({ ...payload, action: later.action, outcome: later.outcome, commentAction: undefined }, context);
        }
        if (row.Status === 'Pending') {
          if (definition.kind === 'work-item-action') {
            const names = definition.parameters ?? { outcome: 'Outcome', comment: 'Comment' };
            await fo.http.post(`${workItemPath(row)}/Microsoft.Dynamics.DataEntities.Complete`, { query: { 'cross-company': 'true' }, json: { [names.outcome]: payload.outcome, [names.comment]: payload.comment }, signal } as never);
          } else if (definition.kind === 'work-item-service') {
            await fo.services.completeWorkItem({ dataAreaId: row.dataAreaId, workItemId: row.WorkItemId, outcome: payload.outcome, comment: payload.comment, ...(definition.operation ? { operation: definition.operation } : {}), signal });
          } else {
            await fo.http.request({ method: 'PATCH', path: workItemPath(row), query: { 'cross-company': 'true' }, json: { Outcome: payload.outcome, OutcomeComment: payload.comment }, headers: { 'if-match': row['@odata.etag'] ?? '*' }, signal } as never);
          }
        }
        return { document: workItemDocument((await workItem(payload, signal)) ?? row) };
      }
      case 'service': {
        const parameters = Object.fromEntries(Object.entries(definition.parameters).map(([name, template]) => [name, fill(template, payload)]));
        await fo.services.call(definition.operation, parameters, { idempotent: definition.idempotent ?? false, signal });
        return { document: { id: payload.documentKey, version: contentHash(parameters), locked: false, snapshot: parameters } };
      }
      case 'entity': {
        const key = Object.entries(definition.key).map(([name, template]) => `${name}=${quote(fill(template, payload))}`).join(',');
        const fields = Object.fromEntries(Object.entries(definition.fields).map(([name, template]) => [name, fill(template, payload)]));
        await fo.http.request({ method: 'PATCH', path: `${definition.entitySet}(${key})`, query: { 'cross-company': 'true' }, json: fields, headers: { 'if-match': '*' }, signal } as never);
        return { document: { id: payload.documentKey, version: contentHash(fields), locked: false, snapshot: fields } };
      }
    }
  }

  const target: SyncTarget<FoOutcome> = {
    system: 'd365-fo',
    naturalKey: (payload) => payload.documentKey,
    async find(payload, context) {
      // Only work items can be read back; the custom service and entity actions are safe to repeat.
      if (!isWorkItemAction(definitionOf(payload))) return undefined;
      const row = await workItem(payload, context.signal);
      return row ? workItemDocument(row) : undefined;
    },
    async get(targetId) {
      // The engine re-applies every changed activity through `update`, which re-reads the work item itself.
      return { id: targetId, locked: false };
    },
    create: (payload, context) => apply(payload, context),
    update: (_current, payload, context) => apply(payload, context),
  };

  return {
    name: FO_JIRA_RETURN_FLOW,
    source: {
      system: 'jira',
      stream: 'issue-activity',
      query: { projects: [...options.projects].sort(), kinds: RETURN_FLOW_KINDS, lookbackMs },
      read,
      async fetch(issueKey, context) {
        const issue = await readLive(issueKey, context.signal);
        return issue ? activityFrom(issue, context.signal) : undefined;
      },
      identify(activity): SourceIdentity {
        return { id: activity.issueKey, version: contentHash({ status: activity.status, comments: activity.comments.map((c) => c.id) }), businessIds: [activity.issueKey, activity.documentKey.split('/').at(-1)!] };
      },
    },
    map(activity): FoOutcome {
      const [dataAreaId, segment, documentType, ...rest] = activity.documentKey.split('/');
      if (segment !== KIND_SEGMENT[activity.kind] || !dataAreaId || !documentType || rest.length === 0) {
        throw new DataError('not-a-document-key', `${activity.issueKey} holds ${activity.documentKey}, not a ${activity.kind} document key`);
      }
      const row = rowFor(activity.kind, activity.status, activity.comments.length > 0);
      if (!row) throw new DataError('no-action', `${activity.issueKey}: status ${activity.status} of a ${activity.kind} maps to no F&O action in ${STATUS_ACTION_TABLE}.csv`);
      const action = String(row['action'] ?? '');
      if (!actions[action]) throw new DataError('unknown-action', `${STATUS_ACTION_TABLE}.csv names the action "${action}", which is not configured (known: ${Object.keys(actions).join(', ')})`);
      const commentRow = activity.comments.length > 0 ? mappings.find(STATUS_ACTION_TABLE, `${activity.kind}/comment`) : undefined;
      return {
        documentKey: activity.documentKey,
        kind: activity.kind,
        dataAreaId,
        documentType,
        documentId: rest.join('/'),
        issueKey: activity.issueKey,
        status: activity.status,
        action,
        outcome: String(row['outcome'] ?? ''),
        comment: activity.comments.map((c) => c.text).join('\n').slice(0, 1000),
        ...(typeof commentRow === 'object' && commentRow !== row ? { commentAction: { action: String(commentRow['action'] ?? ''), outcome: String(commentRow['outcome'] ?? '') } } : {}),
      };
    },
    target,
    mappingVersion: mappings.version,
    async activityOf(issueKey, context = {}) {
      const issue = await readLive(issueKey, context.signal);
      return issue ? activityFrom(issue, context.signal) : undefined;
    },
  };
}
