import { fileURLToPath } from 'node:url';
import { loadMappingSet, type MappingSet } from '@ml-connector/core/sync';
import { EVENT_ISSUE_TABLE } from './mapper.ts';
import { STATUS_ACTION_TABLE } from './return-flow.ts';

/** The mapping files shipped with the example (`examples/mappings/fo-jira/`). */
export const DEFAULT_FO_JIRA_MAPPINGS_DIR = fileURLToPath(new URL('../../mappings/fo-jira/', import.meta.url));

/**
 * Loads `event-issue.csv` (event kind → Jira project and issue type) and `status-action.csv` (event kind and Jira
 * status, or `comment` → the F&O action and outcome of the return flow) from `dir`.
 */
export function loadFoJiraMappings(dir: string = DEFAULT_FO_JIRA_MAPPINGS_DIR): Promise<MappingSet> {
  return loadMappingSet(dir, { require: [EVENT_ISSUE_TABLE, STATUS_ACTION_TABLE] });
}
