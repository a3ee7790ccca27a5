import { pollUntil } from '@ml-connector/core';
import { diffFields, type FieldChange, type SyncStore, type SyncTarget, type TargetDocument, type WriteContext } from '@ml-connector/core/sync';
import { adf, type JiraClient, type JiraIssue } from '@ml-connector/jira';
import type { IssueDraft } from './mapper.ts';

/** Custom field aliases the flow needs, resolved by name when Jira connects (`connectJira({ customFields })`). */
export type FoJiraFieldAlias = 'documentKey' | 'vendor' | 'amount' | 'recordLink';

/** Default custom field names (override with `JIRA_FIELD_*`); create them in Jira as text/number/URL fields. */
export const FO_JIRA_FIELD_NAMES: Readonly<Record<FoJiraFieldAlias, string>> = Object.freeze({
  documentKey: 'ML Document Key',
  vendor: 'Vendor',
  amount: 'Amount',
  recordLink: 'Record Link',
});

/** Options of {@link createJiraIssueTarget}. */
export interface JiraIssueTargetOptions {
  readonly jira: JiraClient<FoJiraFieldAlias>;
  /** The engine's store and flow: `find` asks the ledger whether an earlier write's outcome is unknown or cut short. */
  readonly store: SyncStore;
  readonly flow: string;
  readonly sourceSystem: string;
  /**
   * How long a phrase search is repeated after an unknown outcome before the issue is concluded absent (Jira's
   * index is eventually consistent; the lag is not published). @default 5000
   */
  readonly indexLagMs?: number;
  /** First wait between the repeated searches. @default 250 */
  readonly indexPollMs?: number;
}

/** What is compared and kept in the ledger's snapshot. */
interface IssueShape {
  summary: string;
  documentKey: string;
  vendor: string;
  amount?: number;
  recordLink: string;
}

function wanted(draft: IssueDraft): IssueShape {
  return { summary: draft.summary, documentKey: draft.documentKey, vendor: draft.vendor, ...(draft.amount !== undefined ? { amount: draft.amount } : {}), recordLink: draft.link };
}

function description(draft: IssueDraft) {
  return adf.doc(
    adf.paragraph(adf.text(draft.summary, { strong: true })),
    adf.bulletList([
      ['Document: ', adf.text(draft.documentNumber, { code: true })],
      `Vendor: ${draft.vendor || '—'}`,
      `Amount: ${draft.amount === undefined ? '—' : `${draft.amount.toFixed(2)} ${draft.currency ?? ''}`.trim()}`,
      [adf.text('Open in Dynamics 365 Finance & Operations', { href: draft.link })],
    ]),
    ...(draft.comment ? [adf.paragraph(`Rejection comment: ${draft.comment}`)] : []),
  );
}

/**
 * Jira issues as a sync target. The natural key is the F&O document key, kept in a discovered text custom field:
 * `find` runs a phrase query (text fields have no `=`), keeps exact matches client-side and, when the ledger says
 * an earlier create's outcome is unknown, repeats the search for the index lag before concluding the issue is
 * absent. The issue's `updated` stamp is its version, kept by the ledger (the return flow uses it to tell its own
 * writes from people's).
 */
export function createJiraIssueTarget(options: JiraIssueTargetOptions): SyncTarget<IssueDraft> {
  const { jira } = options;
  const ids = {
    documentKey: jira.customFields.documentKey.id,
    vendor: jira.customFields.vendor.id,
    amount: jira.customFields.amount.id,
    recordLink: jira.customFields.recordLink.id,
  };
  const fields = ['summary', 'status', 'updated', ...Object.values(ids)];

  const toDocument = (issue: JiraIssue): TargetDocument => {
    const f = issue.fields;
    const amount = f[ids.amount];
    const shape: IssueShape = {
      summary: String(f['summary'] ?? ''),
      documentKey: String(f[ids.documentKey] ?? ''),
      vendor: String(f[ids.vendor] ?? ''),
      ...(typeof amount === 'number' ? { amount } : {}),
      recordLink: String(f[ids.recordLink] ?? ''),
    };
    const status = (f['status'] as { name?: string } | undefined)?.name;
    return { id: issue.key, ...(f['updated'] ? { version: String(f['updated']) } : {}), locked: false, snapshot: { ...shape, ...(status ? { status } : {}) } };
  };

  const search = async (draft: IssueDraft) => {
    const [found] = await jira.search.findByExactText('documentKey', draft.documentKey, { project: draft.project, fields });
    return found;
  };

  const read = async (key: string, context: WriteContext) => toDocument(await jira.issues.get(key, { fields, signal: context.signal }));

  /** Comment ids this flow wrote on the issue so far, from the ledger (see {@link ownCommentIds}). */
  const writtenComments = async (context: WriteContext) =>
    ownCommentIds((await options.store.getLedgerEntry({ flow: options.flow, sourceSystem: options.sourceSystem, sourceId: context.identity.id }))?.targetVersion);

  /** Adds the rejection comment (when there is one) and returns the document with every own comment id in its version. */
  async function withComment(document: TargetDocument, draft: IssueDraft, earlier: readonly string[], context: WriteContext): Promise<TargetDocument> {
    const ids = [...earlier];
    if (draft.comment) {
      const comment = await jira.issues.addComment(document.id, adf.doc(adf.paragraph(`F&O: ${draft.comment}`)), { signal: context.signal });
      ids.push(comment.id);
    }
    return ids.length === 0 ? document : { ...document, version: versionWithComments(document.version, ids) };
  }

  return {
    system: 'jira',
    naturalKey: (draft) => draft.documentKey,
    async find(draft, context) {
      const found = await search(draft);
      if (found) return toDocument(found);
      // Nothing found: either absent, or written by an attempt whose outcome was unknown and not indexed yet.
      const entry = await options.store.getLedgerEntry({ flow: options.flow, sourceSystem: options.sourceSystem, sourceId: context.identity.id });
      // The engine asks after a `sent` (crash mid-write) or `unknown` (connection lost) attempt: the issue may exist unindexed.
      if (entry?.state !== 'unknown' && entry?.state !== 'sent') return undefined;
      const polled = await pollUntil(async () => (await search(draft)) ?? undefined, {
        intervalMs: options.indexPollMs ?? 250,
        backoffFactor: 2,
        timeoutMs: options.indexLagMs ?? 5000,
        ...(context.signal ? { signal: context.signal } : {}),
      });
      return polled.done ? toDocument(polled.value) : undefined;
    },
    async get(targetId, context) {
      try {
        return await read(targetId, context);
      } catch (error) {
        if ((error as { status?: number }).status === 404) return undefined;
        throw error;
      }
    },
    async create(draft, context) {
      // The ledger knows no issue for this document; one may still exist (a lost state file, another tool): search first.
      const existing = await search(draft);
      if (existing) return updateIssue(toDocument(existing), draft, context);
      const shape = wanted(draft);
      const created = await jira.issues.create(
        {
          project: draft.project,
          issueType: draft.issueType,
          summary: draft.summary,
          description: description(draft),
          labels: ['ml-connector', `fo-${draft.kind}`],
          customFields: { documentKey: shape.documentKey, vendor: shape.vendor, recordLink: shape.recordLink, ...(shape.amount !== undefined ? { amount: shape.amount } : {}) },
        },
        { signal: context.signal },
      );
      return { document: await withComment(await read(created.key, context), draft, [], context) };
    },
    update: (current, draft, context) => updateIssue(current, draft, context),
    diff(current, draft): readonly FieldChange[] {
      const before = current?.snapshot ? (({ status: _s, ...rest }) => rest)(current.snapshot as Record<string, unknown>) : undefined;
      return diffFields(before, wanted(draft));
    },
  };

  /** Brings the issue in line with the draft; the engine calls it only when the source record changed. */
  async function updateIssue(current: TargetDocument, draft: IssueDraft, context: WriteContext) {
      const before = current.snapshot as unknown as IssueShape;
      const after = wanted(draft);
      const changed = diffFields({ ...before, status: undefined }, after).length > 0;
      if (changed) {
        await jira.issues.update(
          current.id,
          {
            summary: draft.summary,
            description: description(draft),
            customFields: { vendor: after.vendor, recordLink: after.recordLink, ...(after.amount !== undefined ? { amount: after.amount } : {}) },
          },
          { notifyUsers: false, signal: context.signal },
        );
      }
      return { document: await withComment(changed ? await read(current.id, context) : current, draft, await writtenComments(context), context) };
  }
}

const COMMENTS_MARK = '#own-comments=';

/** The target version the ledger keeps: the issue's `updated` stamp plus the ids of the comments this flow wrote. */
export function versionWithComments(updated: string | undefined, commentIds: readonly string[]): string {
  return `${updated ?? ''}${COMMENTS_MARK}${commentIds.join(',')}`;
}

/** Comment ids this flow wrote, read back from a ledger target version (the return flow skips them: no echo). */
export function ownCommentIds(targetVersion: string | undefined): string[] {
  const at = targetVersion?.indexOf(COMMENTS_MARK) ?? -1;
  if (!targetVersion || at < 0) return [];
  return targetVersion.slice(at + COMMENTS_MARK.length).split(',').filter(Boolean);
}
