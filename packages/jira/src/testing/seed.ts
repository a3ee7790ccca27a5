/** Seed data of the Jira sandbox: sites with their fields, projects, issue types, statuses and workflow. */
import type { IssueRecord } from './store.js';

/** A custom field to create on a site. */
export interface CustomFieldSeed {
  /** Field name, e.g. `ML Document Key`. */
  name: string;
  /** `string` (short text, searchable with `~`), `textarea` (paragraph, ADF), `number`, or `url`. */
  type: 'string' | 'textarea' | 'number' | 'url';
}

/** One emulated Jira site. */
export interface JiraSiteSeed {
  /** Site name; the URL is `https://{name}.atlassian.net`. */
  name: string;
  /** cloudId. Default: derived from the name. */
  cloudId?: string;
  /** First numeric id of the site's custom fields; ids differ per site as on real Jira. Default 10000 + 100 × site index + 50. */
  customFieldIdBase?: number;
  /** Custom fields. Default {@link DEFAULT_CUSTOM_FIELDS}. */
  customFields?: readonly CustomFieldSeed[];
  /** Projects. Default one project `FIN` (Finance exceptions) with Task and Bug. */
  projects?: readonly ProjectSeed[];
  /** Issues, links and id counters to start from: what the sandbox's `snapshot()` carries. Default none. */
  state?: JiraSiteData;
  /**
   * IANA time zone of the users' profiles (every caller of the site shares it here). Jira reads JQL absolute dates
   * (`updated >= "2026/11/30 09:15"`) in the searching user's time zone and reports it on `GET /myself`. Default UTC.
   */
  timeZone?: string;
}

/** The data of a site beyond its configuration, as `snapshot()` of the sandbox returns it (JSON-serialisable). */
export interface JiraSiteData {
  /** Issues with their comments and index snapshots. */
  issues: IssueRecord[];
  /** Issue links. */
  links: Array<{ id: string; type: string; inward: string; outward: string }>;
  /** Next numeric issue id. */
  nextIssueId: number;
  /** Next numeric comment id. */
  nextCommentId: number;
  /** Next issue number per project key (`FIN-7` → 7). */
  nextIssueNumbers: Record<string, number>;
}

/** A project to create. */
export interface ProjectSeed {
  key: string;
  name: string;
  /** Issue type names. Default `['Task', 'Bug']`. */
  issueTypes?: readonly string[];
}

/** Custom fields created on every site unless configured otherwise. */
export const DEFAULT_CUSTOM_FIELDS: readonly CustomFieldSeed[] = Object.freeze([
  { name: 'ML Document Key', type: 'string' },
  { name: 'Vendor', type: 'string' },
  { name: 'Amount', type: 'number' },
  { name: 'Record Link', type: 'url' },
  { name: 'Notes', type: 'textarea' },
]);

/** Statuses of the seeded workflow (ids as on a new Jira Cloud site, UNCONFIRMED beyond To Do/In Progress/Done). */
export const SEED_STATUSES = Object.freeze([
  { id: '10000', name: 'To Do', category: { id: 2, key: 'new', name: 'To Do' } },
  { id: '3', name: 'In Progress', category: { id: 4, key: 'indeterminate', name: 'In Progress' } },
  { id: '10001', name: 'Done', category: { id: 3, key: 'done', name: 'Done' } },
  { id: '10002', name: 'Rejected', category: { id: 3, key: 'done', name: 'Done' } },
]);

/** A workflow transition; `requires` lists field ids the transition screen marks required. */
export interface TransitionSeed {
  id: string;
  name: string;
  /** Status ids it is available from (empty = global). */
  from: readonly string[];
  to: string;
  requires: readonly string[];
}

/**
 * Transitions of the seeded workflow: Start progress (11), Done (31, screen requires `resolution`),
 * Reject (41, screen requires `resolution` and a comment is common), Reopen (51).
 */
export const SEED_TRANSITIONS: readonly TransitionSeed[] = Object.freeze([
  { id: '11', name: 'Start progress', from: ['10000'], to: '3', requires: [] },
  { id: '31', name: 'Done', from: ['10000', '3'], to: '10001', requires: ['resolution'] },
  { id: '41', name: 'Reject', from: ['10000', '3'], to: '10002', requires: ['resolution'] },
  { id: '51', name: 'Reopen', from: ['10001', '10002'], to: '10000', requires: [] },
]);

/** Resolutions offered on transition screens. */
export const SEED_RESOLUTIONS = Object.freeze([
  { id: '10000', name: 'Done' },
  { id: '10001', name: "Won't Do" },
  { id: '10002', name: 'Duplicate' },
]);

/** Link types present on every site. */
export const SEED_LINK_TYPES = Object.freeze([
  { id: '10000', name: 'Blocks', inward: 'is blocked by', outward: 'blocks' },
  { id: '10001', name: 'Cloners', inward: 'is cloned by', outward: 'clones' },
  { id: '10002', name: 'Duplicate', inward: 'is duplicated by', outward: 'duplicates' },
  { id: '10003', name: 'Relates', inward: 'relates to', outward: 'relates to' },
]);

/** Default sites: one site `acme`. */
export const DEFAULT_SITES: readonly JiraSiteSeed[] = Object.freeze([{ name: 'acme' }]);

/** Deterministic cloudId (UUID-shaped) for a site name. */
export function cloudIdFor(name: string): string {
  let h = 2166136261;
  const hex: string[] = [];
  for (let round = 0; round < 4; round++) {
    for (const ch of `${name}/${round}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    hex.push(h.toString(16).padStart(8, '0'));
  }
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-a${s.slice(17, 20)}-${s.slice(20, 32)}`;
}
