/**
 * State and behaviour of the emulated Jira sites: fields, projects, issues (with an index that lags writes),
 * transitions with required fields, comments and links. HTTP mapping lives in `router.ts`.
 */
import { adfProblem, adfText } from './adf.js';
import { JiraEmulatorError, jiraErrors } from './errors.js';
import { invalidDateMessage, parseJqlDate } from './jql-dates.js';
import { type FieldAccess, type FieldResolver, matches, parseJql, validateJql } from './jql.js';
import {
  type CustomFieldSeed,
  DEFAULT_CUSTOM_FIELDS,
  type JiraSiteData,
  type JiraSiteSeed,
  SEED_LINK_TYPES,
  SEED_RESOLUTIONS,
  SEED_STATUSES,
  SEED_TRANSITIONS,
  cloudIdFor,
} from './seed.js';

/** A field definition as `GET /rest/api/3/field` returns it. */
export interface FieldRecord {
  id: string;
  key: string;
  name: string;
  custom: boolean;
  orderable: boolean;
  navigable: boolean;
  searchable: boolean;
  clauseNames: string[];
  schema: { type: string; system?: string; custom?: string; customId?: number };
}

/** A comment. */
export interface CommentRecord {
  id: string;
  body: unknown;
  author: { accountId: string; displayName: string };
  created: string;
  updated: string;
  properties: Array<{ key: string; value: unknown }>;
}

/** An issue with its index snapshots. */
export interface IssueRecord {
  id: string;
  key: string;
  fields: Record<string, unknown>;
  comments: CommentRecord[];
  /** Index snapshots: what search sees from `visibleAt` on. */
  indexed: Array<{ visibleAt: number; fields: Record<string, unknown> }>;
}

/** One emulated site. */
export interface SiteState {
  id: string;
  name: string;
  url: string;
  fields: FieldRecord[];
  customFieldTypes: Map<string, CustomFieldSeed['type']>;
  projects: Array<{ id: string; key: string; name: string; issueTypes: Array<{ id: string; name: string; subtask: boolean }>; nextNumber: number }>;
  issues: Map<string, IssueRecord>;
  keys: Map<string, string>;
  links: Array<{ id: string; type: string; inward: string; outward: string }>;
  nextIssueId: number;
  nextCommentId: number;
  /** IANA time zone of the users' profiles: JQL absolute dates are read in it and `/myself` reports it. */
  timeZone: string;
}

/** The caller of a request, for authors and loop-prevention tests. */
export interface Actor {
  accountId: string;
  displayName: string;
}

const SYSTEM_FIELDS: Array<[string, string, string, boolean]> = [
  ['summary', 'Summary', 'string', true],
  ['description', 'Description', 'string', true],
  ['issuetype', 'Issue Type', 'issuetype', true],
  ['project', 'Project', 'project', true],
  ['status', 'Status', 'status', false],
  ['labels', 'Labels', 'array', true],
  ['resolution', 'Resolution', 'resolution', true],
  ['created', 'Created', 'datetime', false],
  ['updated', 'Updated', 'datetime', false],
  ['priority', 'Priority', 'priority', true],
  ['comment', 'Comment', 'comments-page', true],
  ['issuelinks', 'Linked Issues', 'array', true],
];

const CUSTOM_TYPE: Record<CustomFieldSeed['type'], { schema: string; custom: string }> = {
  string: { schema: 'string', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:textfield' },
  textarea: { schema: 'string', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:textarea' },
  number: { schema: 'number', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:float' },
  url: { schema: 'string', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:url' },
};

/** Builds a site from its seed. */
export function createSite(seed: JiraSiteSeed, index: number): SiteState {
  const fields: FieldRecord[] = SYSTEM_FIELDS.map(([id, name, type, orderable]) => ({
    id,
    key: id,
    name,
    custom: false,
    orderable,
    navigable: true,
    searchable: true,
    clauseNames: [id],
    schema: { type, system: id },
  }));
  const customFieldTypes = new Map<string, CustomFieldSeed['type']>();
  const base = seed.customFieldIdBase ?? 10_050 + 100 * index;
  (seed.customFields ?? DEFAULT_CUSTOM_FIELDS).forEach((cf, i) => {
    const n = base + i;
    const id = `customfield_${n}`;
    customFieldTypes.set(id, cf.type);
    fields.push({
      id,
      key: id,
      name: cf.name,
      custom: true,
      orderable: true,
      navigable: true,
      searchable: true,
      clauseNames: [`cf[${n}]`, cf.name],
      schema: { type: CUSTOM_TYPE[cf.type].schema, custom: CUSTOM_TYPE[cf.type].custom, customId: n },
    });
  });
  let projectId = 10_000;
  let typeId = 10_001;
  const projects = (seed.projects ?? [{ key: 'FIN', name: 'Finance exceptions' }]).map((p) => ({
    id: String(projectId++),
    key: p.key,
    name: p.name,
    issueTypes: (p.issueTypes ?? ['Task', 'Bug']).map((name) => ({ id: String(typeId++), name, subtask: false })),
    nextNumber: seed.state?.nextIssueNumbers[p.key] ?? 1,
  }));
  const state = seed.state;
  return {
    id: seed.cloudId ?? cloudIdFor(seed.name),
    name: seed.name,
    url: `https://${seed.name}.atlassian.net`,
    fields,
    customFieldTypes,
    projects,
    issues: new Map(state?.issues.map((issue) => [issue.id, structuredClone(issue)])),
    keys: new Map(state?.issues.map((issue) => [issue.key, issue.id])),
    links: structuredClone(state?.links ?? []),
    nextIssueId: state?.nextIssueId ?? 10_000,
    nextCommentId: state?.nextCommentId ?? 10_000,
    timeZone: seed.timeZone ?? 'UTC',
  };
}

/** The site's issues, links and counters as JSON-serialisable data that `createSite` loads back (`seed.state`). */
export function siteData(site: SiteState): JiraSiteData {
  return structuredClone({
    issues: [...site.issues.values()],
    links: site.links,
    nextIssueId: site.nextIssueId,
    nextCommentId: site.nextCommentId,
    nextIssueNumbers: Object.fromEntries(site.projects.map((p) => [p.key, p.nextNumber])),
  });
}

const statusById = (id: string) => SEED_STATUSES.find((s) => s.id === id) as (typeof SEED_STATUSES)[number];
const statusJson = (id: string) => {
  const s = statusById(id);
  return { id: s.id, name: s.name, statusCategory: s.category };
};

/** Operations on one site. `now` drives timestamps and the index lag. */
export class SiteService {
  constructor(
    readonly site: SiteState,
    private readonly now: () => number,
    private readonly indexLagMs: () => number,
  ) {}

  private iso(): string {
    return new Date(this.now()).toISOString().replace('Z', '+0000');
  }

  /** Finds an issue by id or key, or throws 404. */
  issue(idOrKey: string): IssueRecord {
    const id = this.site.keys.get(idOrKey.toUpperCase()) ?? idOrKey;
    const issue = this.site.issues.get(id);
    if (!issue) throw jiraErrors.notFound();
    return issue;
  }

  private reindex(issue: IssueRecord): void {
    issue.indexed.push({ visibleAt: this.now() + this.indexLagMs(), fields: structuredClone(issue.fields) });
  }

  /** Validates and normalises writable fields; throws 400 with per-field errors like Jira. */
  private checkFields(input: Record<string, unknown>, creating: boolean): Record<string, unknown> {
    const errors: Record<string, string> = {};
    const out: Record<string, unknown> = {};
    for (const [id, value] of Object.entries(input)) {
      const field = this.site.fields.find((f) => f.id === id);
      if (!field || !field.orderable || id === 'project' || id === 'issuetype') {
        if (id !== 'project' && id !== 'issuetype') errors[id] = `Field '${id}' cannot be set. It is not on the appropriate screen, or unknown.`;
        continue;
      }
      if (id === 'summary') {
        if (typeof value !== 'string' || value.trim() === '') errors.summary = 'You must specify a summary of the issue.';
        else if (value.length > 255) errors.summary = 'Summary must be less than 255 characters.';
        else if (/[\r\n]/.test(value)) errors.summary = 'The summary is invalid because it contains newline characters.';
        else out.summary = value;
      } else if (id === 'description' || this.site.customFieldTypes.get(id) === 'textarea') {
        if (value === null) out[id] = null;
        else if (typeof value === 'string') errors[id] = 'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
        else if (adfProblem(value)) errors[id] = 'INVALID_INPUT';
        else out[id] = value;
      } else if (id === 'labels') {
        if (!Array.isArray(value) || value.some((l) => typeof l !== 'string' || /\s/.test(l))) errors.labels = 'The label must not contain spaces.';
        else out.labels = value;
      } else if (id === 'resolution') {
        const name = (value as { name?: unknown; id?: unknown } | null)?.name;
        const rid = (value as { id?: unknown } | null)?.id;
        const r = SEED_RESOLUTIONS.find((x) => x.name === name || x.id === rid);
        if (!r) errors.resolution = `Resolution '${String(name ?? rid)}' is not valid.`;
        else out.resolution = { id: r.id, name: r.name };
      } else if (id === 'priority') {
        out.priority = value;
      } else {
        const type = this.site.customFieldTypes.get(id);
        if (value === null) out[id] = null;
        else if (type === 'number' && typeof value !== 'number') errors[id] = 'Operation value must be a number';
        else if ((type === 'string' || type === 'url') && typeof value !== 'string') errors[id] = 'Operation value must be a string';
        else if (type === 'string' && (value as string).length > 255) errors[id] = 'The entered text is too long. It exceeds the allowed limit of 255 characters.';
        else out[id] = value;
      }
    }
    if (creating && out.summary === undefined && !errors.summary) errors.summary = 'You must specify a summary of the issue.';
    if (Object.keys(errors).length > 0) throw jiraErrors.fields(400, errors);
    return out;
  }

  /** Creates an issue from a `POST /issue` body. */
  create(body: unknown, actor: Actor): { id: string; key: string; self: string } {
    const fields = (body as { fields?: unknown } | null)?.fields;
    if (typeof fields !== 'object' || fields === null) throw jiraErrors.messages(400, 'The request body must contain fields.');
    const f = fields as Record<string, unknown>;
    const pref = f.project as { id?: unknown; key?: unknown } | undefined;
    const project = this.site.projects.find((p) => p.id === String(pref?.id) || p.key === pref?.key);
    if (!project) throw jiraErrors.fields(400, { project: 'Specify a valid project ID or key' });
    const tref = f.issuetype as { id?: unknown; name?: unknown } | undefined;
    const type = project.issueTypes.find((t) => t.id === String(tref?.id) || t.name === tref?.name);
    if (!type) throw jiraErrors.fields(400, { issuetype: 'Specify an issue type' });
    const { project: _p, issuetype: _t, ...rest } = f;
    const checked = this.checkFields(rest, true);
    const id = String(this.site.nextIssueId++);
    const key = `${project.key}-${project.nextNumber++}`;
    const ts = this.iso();
    const issue: IssueRecord = {
      id,
      key,
      fields: {
        summary: checked.summary,
        description: checked.description ?? null,
        labels: [],
        resolution: null,
        priority: { id: '3', name: 'Medium' },
        ...checked,
        project: { id: project.id, key: project.key, name: project.name },
        issuetype: { id: type.id, name: type.name, subtask: false },
        status: statusJson('10000'),
        created: ts,
        updated: ts,
        reporter: actor,
      },
      comments: [],
      indexed: [],
    };
    this.site.issues.set(id, issue);
    this.site.keys.set(key, id);
    this.reindex(issue);
    return { id, key, self: `${this.site.url}/rest/api/3/issue/${id}` };
  }

  /** Applies a `PUT /issue/{key}` body; returns the changelog items. */
  update(issue: IssueRecord, body: unknown): Array<{ field: string; fieldId: string; from: unknown; to: unknown }> {
    const b = body as { fields?: Record<string, unknown>; update?: Record<string, unknown> } | null;
    const checked = this.checkFields(b?.fields ?? {}, false);
    const changes = Object.entries(checked)
      .filter(([id, v]) => JSON.stringify(issue.fields[id]) !== JSON.stringify(v))
      .map(([id, v]) => ({ field: this.site.fields.find((f) => f.id === id)?.name ?? id, fieldId: id, from: issue.fields[id] ?? null, to: v }));
    Object.assign(issue.fields, checked, { updated: this.iso() });
    this.reindex(issue);
    return changes;
  }

  /** Transitions available from the issue's status, with their screen fields. */
  transitions(issue: IssueRecord, expandFields: boolean): unknown[] {
    const status = (issue.fields.status as { id: string }).id;
    return SEED_TRANSITIONS.filter((t) => t.from.length === 0 || t.from.includes(status)).map((t) => ({
      id: t.id,
      name: t.name,
      to: statusJson(t.to),
      hasScreen: t.requires.length > 0,
      isGlobal: t.from.length === 0,
      isInitial: false,
      isAvailable: true,
      isConditional: false,
      isLooped: false,
      ...(expandFields
        ? {
            fields: Object.fromEntries(
              t.requires.map((id) => [
                id,
                {
                  required: true,
                  name: id === 'resolution' ? 'Resolution' : id,
                  key: id,
                  schema: { type: id, system: id },
                  operations: ['set'],
                  hasDefaultValue: false,
                  ...(id === 'resolution' ? { allowedValues: SEED_RESOLUTIONS.map((r) => ({ ...r })) } : {}),
                },
              ]),
            ),
          }
        : {}),
    }));
  }

  /** Performs a transition from a `POST …/transitions` body. */
  transition(issue: IssueRecord, body: unknown, actor: Actor): { from: string; to: string; comment?: CommentRecord } {
    const b = body as { transition?: { id?: unknown }; fields?: Record<string, unknown>; update?: { comment?: Array<{ add?: { body?: unknown } }> } } | null;
    const id = String(b?.transition?.id ?? '');
    const status = (issue.fields.status as { id: string }).id;
    const t = SEED_TRANSITIONS.find((x) => x.id === id);
    if (!t || !(t.from.length === 0 || t.from.includes(status))) {
      throw jiraErrors.messages(400, `Transition id '${id}' is not valid for this issue.`);
    }
    const missing = t.requires.filter((f) => b?.fields?.[f] === undefined);
    if (missing.length) throw jiraErrors.fields(400, Object.fromEntries(missing.map((f) => [f, `${f === 'resolution' ? 'Resolution' : f} is required.`])));
    const screenFields = Object.fromEntries(Object.entries(b?.fields ?? {}));
    const checked = this.checkFields(screenFields, false);
    const commentBody = b?.update?.comment?.[0]?.add?.body;
    let comment: CommentRecord | undefined;
    if (commentBody !== undefined) comment = this.addComment(issue, { body: commentBody }, actor);
    Object.assign(issue.fields, checked, { status: statusJson(t.to), updated: this.iso() });
    if (statusById(t.to).category.key !== 'done') issue.fields.resolution = null;
    this.reindex(issue);
    return { from: statusById(status).name, to: statusById(t.to).name, ...(comment ? { comment } : {}) };
  }

  /** Adds a comment from a `POST …/comment` body. */
  addComment(issue: IssueRecord, body: unknown, actor: Actor): CommentRecord {
    const b = body as { body?: unknown; properties?: unknown } | null;
    if (b?.body === undefined) throw jiraErrors.fields(400, { comment: 'Comment body can not be empty!' });
    if (typeof b.body === 'string') throw jiraErrors.fields(400, { comment: 'Comment body is not valid!' });
    if (adfProblem(b.body)) throw jiraErrors.messages(400, 'INVALID_INPUT');
    const props = Array.isArray(b.properties) ? (b.properties as Array<{ key: string; value: unknown }>) : [];
    const ts = this.iso();
    const comment: CommentRecord = { id: String(this.site.nextCommentId++), body: b.body, author: actor, created: ts, updated: ts, properties: props };
    issue.comments.push(comment);
    issue.fields.updated = ts;
    this.reindex(issue);
    return comment;
  }

  /** Links two issues from a `POST /issueLink` body. */
  link(body: unknown): void {
    const b = body as { type?: { name?: unknown; id?: unknown }; inwardIssue?: { key?: unknown; id?: unknown }; outwardIssue?: { key?: unknown; id?: unknown } } | null;
    const type = SEED_LINK_TYPES.find((t) => t.name === b?.type?.name || t.id === b?.type?.id);
    if (!type) throw jiraErrors.messages(404, `No issue link type with name '${String(b?.type?.name)}' found.`);
    const inward = this.issue(String(b?.inwardIssue?.key ?? b?.inwardIssue?.id ?? ''));
    const outward = this.issue(String(b?.outwardIssue?.key ?? b?.outwardIssue?.id ?? ''));
    this.site.links.push({ id: String(10_000 + this.site.links.length), type: type.name, inward: inward.key, outward: outward.key });
  }

  /** Field accessors for JQL over a snapshot `{ key, id, fields }`. */
  resolver(): FieldResolver {
    type Snap = { id: string; key: string; fields: Record<string, unknown> };
    const site = this.site;
    const textOf = (v: unknown) => (typeof v === 'string' ? v : v && typeof v === 'object' ? adfText(v) : '');
    const exact = (name: string, get: (s: Snap) => Array<string | number>, check?: (v: string) => string | undefined) => (s: unknown): FieldAccess => ({
      kind: 'exact',
      name,
      values: () => get(s as Snap),
      ...(check ? { checkValue: check } : {}),
    });
    const customById = (id: string) => {
      const type = site.customFieldTypes.get(id);
      if (!type) return undefined;
      return (s: unknown): FieldAccess => {
        const v = (s as Snap).fields[id];
        const values = v === null || v === undefined ? [] : [type === 'number' ? (v as number) : textOf(v)];
        return { kind: type === 'number' ? 'number' : type === 'url' ? 'exact' : 'text', name: id, values: () => values };
      };
    };
    return (field) => {
      const f = field.toLowerCase();
      const cf = /^cf\[(\d+)\]$/.exec(f);
      if (cf) return customById(`customfield_${cf[1]}`);
      switch (f) {
        case 'project':
          return exact('project', (s) => {
            const p = s.fields.project as { id: string; key: string; name: string };
            return [p.id, p.key, p.name];
          }, (v) => (site.projects.some((p) => [p.id, p.key.toLowerCase(), p.name.toLowerCase()].includes(v.toLowerCase())) ? undefined : `The value '${v}' does not exist for the field 'project'.`));
        case 'issuetype':
        case 'type':
          return exact('issuetype', (s) => {
            const t = s.fields.issuetype as { id: string; name: string };
            return [t.id, t.name];
          });
        case 'status':
          return exact('status', (s) => {
            const t = s.fields.status as { id: string; name: string };
            return [t.id, t.name];
          }, (v) => (SEED_STATUSES.some((st) => st.id === v || st.name.toLowerCase() === v.toLowerCase()) ? undefined : `The value '${v}' does not exist for the field 'status'.`));
        case 'key':
        case 'issuekey':
        case 'id':
          return exact('key', (s) => [s.key, s.id]);
        case 'labels':
          return exact('labels', (s) => (s.fields.labels as string[]) ?? []);
        case 'resolution':
          return exact('resolution', (s) => {
            const r = s.fields.resolution as { id: string; name: string } | null;
            return r ? [r.id, r.name] : [];
          });
        case 'created':
        case 'updated':
          return (s: unknown): FieldAccess => ({
            kind: 'date',
            name: f,
            values: () => [String((s as Snap).fields[f]).replace('+0000', 'Z')],
            dateOf: (literal) => parseJqlDate(literal, { timeZone: site.timeZone, now: this.now() }),
            checkValue: (literal) => (parseJqlDate(literal, { timeZone: site.timeZone, now: this.now() }) === undefined ? invalidDateMessage(literal, f) : undefined),
          });
        case 'summary':
        case 'description':
          return (s: unknown): FieldAccess => {
            const t = textOf((s as Snap).fields[f]);
            return { kind: 'text', name: f, values: () => (t ? [t] : []) };
          };
        case 'text':
          return (s: unknown): FieldAccess => {
            const snap = s as Snap;
            const parts = [textOf(snap.fields.summary), textOf(snap.fields.description)];
            for (const [id, type] of site.customFieldTypes) if (type === 'string' || type === 'textarea') parts.push(textOf(snap.fields[id]));
            return { kind: 'text', name: 'text', values: () => [parts.filter(Boolean).join(' ')] };
          };
        default: {
          const byName = site.fields.filter((x) => x.custom && x.name.toLowerCase() === f);
          return byName.length === 1 ? customById((byName[0] as FieldRecord).id) : undefined;
        }
      }
    };
  }

  /**
   * Runs a JQL search over the index (snapshots visible at `now`); issues in `reconcile` are read live.
   * Returns matching snapshots in order.
   */
  search(query: string, reconcile: ReadonlySet<string>): Array<{ issue: IssueRecord; fields: Record<string, unknown> }> {
    const parsed = parseJql(query);
    const resolve = this.resolver();
    const sample = { id: '0', key: 'X-0', fields: { project: { id: '', key: '', name: '' }, issuetype: { id: '', name: '' }, status: { id: '', name: '' } } };
    validateJql(parsed, resolve, sample);
    const now = this.now();
    const rows: Array<{ issue: IssueRecord; fields: Record<string, unknown> }> = [];
    for (const issue of this.site.issues.values()) {
      const snapshot = reconcile.has(issue.id) ? issue.fields : [...issue.indexed].reverse().find((s) => s.visibleAt <= now)?.fields;
      if (!snapshot) continue;
      if (matches(parsed.where, { id: issue.id, key: issue.key, fields: snapshot }, resolve)) rows.push({ issue, fields: snapshot });
    }
    const order = parsed.orderBy.length ? parsed.orderBy : [{ field: 'created', desc: true }];
    const sortValue = (row: { issue: IssueRecord; fields: Record<string, unknown> }, field: string): string | number => {
      if (field === 'key' || field === 'issuekey') return Number(row.issue.id);
      const access = resolve(field);
      if (!access) throw new JiraEmulatorError(400, { errorMessages: [`Field '${field}' does not exist or you do not have permission to view it.`], errors: {} });
      const v = access({ id: row.issue.id, key: row.issue.key, fields: row.fields }).values()[0];
      return v ?? '';
    };
    rows.sort((a, b) => {
      for (const o of order) {
        const x = sortValue(a, o.field.toLowerCase());
        const y = sortValue(b, o.field.toLowerCase());
        const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
        if (c !== 0) return o.desc ? -c : c;
      }
      // Ties (same timestamp) follow creation order in the direction of the first sort key.
      const byId = Number(a.issue.id) - Number(b.issue.id);
      return order[0]?.desc ? -byId : byId;
    });
    return rows;
  }
}
