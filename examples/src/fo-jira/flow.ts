import type { BusinessEvent, FinanceOperationsClient, ResolveOptions } from '@ml-connector/d365-fo';
import type { MappingSet, SyncFlow, SyncStore } from '@ml-connector/core/sync';
import type { JiraClient } from '@ml-connector/jira';
import type { EventInbox } from './inbox.ts';
import { createEventMapper, type IssueDraft } from './mapper.ts';
import { createBusinessEventSource } from './source.ts';
import { createJiraIssueTarget, type FoJiraFieldAlias } from './target.ts';

/** Name of the flow: keys its ledger, checkpoints, audit and review queue. */
export const FO_JIRA_FLOW = 'fo-jira';

/** Options of {@link createFoJiraFlow}. */
export interface FoJiraFlowOptions {
  readonly fo: FinanceOperationsClient;
  readonly jira: JiraClient<FoJiraFieldAlias>;
  readonly inbox: EventInbox;
  readonly store: SyncStore;
  /** The crosswalk (`loadFoJiraMappings`). */
  readonly mappings: MappingSet;
  /** F&O web client origin for links back. */
  readonly environmentUrl: string;
  /** Backoff of the OData resolution of event stubs. */
  readonly resolve?: ResolveOptions;
  /** See `JiraIssueTargetOptions.indexLagMs`. */
  readonly indexLagMs?: number;
  readonly indexPollMs?: number;
}

/** F&O business events (vendor invoice posted, purchase order confirmed, workflow document rejected) → Jira issues. */
export function createFoJiraFlow(options: FoJiraFlowOptions): SyncFlow<BusinessEvent, IssueDraft> {
  const source = createBusinessEventSource({ inbox: options.inbox });
  return {
    name: FO_JIRA_FLOW,
    source,
    map: createEventMapper({ fo: options.fo, mappings: options.mappings, environmentUrl: options.environmentUrl, ...(options.resolve ? { resolve: options.resolve } : {}) }),
    target: createJiraIssueTarget({
      jira: options.jira,
      store: options.store,
      flow: FO_JIRA_FLOW,
      sourceSystem: source.system,
      ...(options.indexLagMs !== undefined ? { indexLagMs: options.indexLagMs } : {}),
      ...(options.indexPollMs !== undefined ? { indexPollMs: options.indexPollMs } : {}),
    }),
    mappingVersion: options.mappings.version,
  };
}
