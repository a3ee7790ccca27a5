/**
 * Routes API requests (after authentication and limits) to entity sets, navigation properties, bound actions,
 * subscriptions and `$batch`. Produces plain {@link ApiResult}s so `$batch` can reuse it for inner requests.
 */
import { BcEmulatorError, JSON_HEADERS, bcErrors } from './errors.js';
import { DIMENSION_SET_LINE_FIELDS, ENTITY_DEFS, type EntityDef, type EntitySetName, type NavSpec } from './model.js';
import { compareTyped, parseQueryOptions, type ExpandItem, type QueryOptions, type QueryTarget } from './odata.js';
import type { EntityRecord } from './seed.js';
import type { BusinessCentralService } from './service.js';
import { type BusinessCentralStore, compareValues, dimsOf, etagOf } from './store.js';
import type { ResolvedLimits } from './limits.js';
import type { WebhookManager } from './webhooks.js';
import { WEBHOOK_ENABLED_SETS } from './webhooks.js';

/** Result of routing one API request. */
export interface ApiResult {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

/** One API request in routable form (from HTTP or from a `$batch` item). */
export interface ApiRequest {
  method: string;
  /** Segments after `/api/v2.0/` (already split, still URL-encoded). */
  segments: string[];
  query: URLSearchParams;
  headers: Headers;
  body: unknown;
  /** `https://host/v2.0/{tenant}/{env}/api/v2.0` — used for `@odata.context`, `Location` and next links. */
  serviceRoot: string;
  /** Client id of the caller (subscriptions' userId). */
  clientId: string;
}

/** Everything the router needs. */
export interface RouterContext {
  store: BusinessCentralStore;
  service: BusinessCentralService;
  webhooks: WebhookManager;
  limits: ResolvedLimits;
}

type Target =
  | { kind: 'service' }
  | { kind: 'collection'; def: EntityDef; path: string; list: () => EntityRecord[]; companyId?: string; parent?: EntityRecord }
  | { kind: 'entity'; def: EntityDef; path: string; record: EntityRecord }
  | { kind: 'dimensions'; path: string; ownerSet: EntitySetName; owner: EntityRecord }
  | { kind: 'dimension'; path: string; ownerSet: EntitySetName; owner: EntityRecord; dimensionId: string }
  | { kind: 'action'; name: string; def: EntityDef; record: EntityRecord };

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const DIMENSION_TARGET: QueryTarget = { type: 'dimensionSetLine', fields: DIMENSION_SET_LINE_FIELDS, nav: {} };

function parseSegment(raw: string): { name: string; key?: string } {
  const text = decodeURIComponent(raw);
  const m = /^([A-Za-z_$][\w.]*)(?:\((.*)\))?$/.exec(text);
  if (!m) throw bcErrors.querySyntax('Bad Request - Error in query syntax');
  let key = m[2];
  if (key !== undefined) {
    key = key.trim();
    if (key.startsWith("'") && key.endsWith("'") && key.length >= 2) key = key.slice(1, -1).replace(/''/g, "'");
    if (/^\w+=/.test(key)) key = key.replace(/^\w+=/, '').replace(/^'(.*)'$/, '$1');
  }
  return key === undefined ? { name: m[1] as string } : { name: m[1] as string, key };
}

/** Routes one API request. Throws {@link BcEmulatorError}s for BC errors. */
export async function routeApi(ctx: RouterContext, req: ApiRequest): Promise<ApiResult> {
  const target = resolveTarget(ctx, req);
  const method = req.method.toUpperCase();
  switch (target.kind) {
    case 'service':
      if (method !== 'GET') throw bcErrors.methodNotAllowed(method, 'service document');
      return ok(200, {
        '@odata.context': `${req.serviceRoot}/$metadata`,
        value: [
          { name: 'companies', kind: 'EntitySet', url: 'companies' },
          { name: 'subscriptions', kind: 'EntitySet', url: 'subscriptions' },
        ],
      });
    case 'collection':
      if (method === 'GET') return getCollection(ctx, req, target);
      if (method === 'POST') return postCollection(ctx, req, target);
      throw bcErrors.methodNotAllowed(method, target.def.set);
    case 'entity':
      return entityRequest(ctx, req, target, method);
    case 'dimensions': {
      if (method === 'GET') {
        const options = parseQueryOptions(req.query.entries(), DIMENSION_TARGET, () => DIMENSION_TARGET);
        let rows = ctx.service.dimensionSetLines(target.ownerSet, target.owner);
        if (options.filter) rows = rows.filter((r) => (options.filter as NonNullable<QueryOptions['filter']>)((f) => r[f]));
        return ok(200, { '@odata.context': `${req.serviceRoot}/$metadata#${target.path}`, value: rows.map((r) => selectFields(r, options.select)) });
      }
      if (method === 'POST') {
        const line = ctx.service.addDimensionSetLine(target.ownerSet, target.owner, req.body);
        const owner = ctx.store.get(target.ownerSet, target.owner.id as string) as EntityRecord;
        return ok(201, { '@odata.context': `${req.serviceRoot}/$metadata#${target.path}/$entity`, ...ctx.service.serializeDimensionSetLine(target.ownerSet, owner, line) });
      }
      throw bcErrors.methodNotAllowed(method, 'dimensionSetLines');
    }
    case 'dimension': {
      const line = dimsOf(target.owner).find((d) => d.id === target.dimensionId);
      if (!line) throw bcErrors.notFound();
      if (method === 'GET') {
        return ok(200, { '@odata.context': `${req.serviceRoot}/$metadata#${target.path}/$entity`, ...ctx.service.serializeDimensionSetLine(target.ownerSet, target.owner, line) });
      }
      if (method === 'DELETE') {
        checkIfMatch(req.headers, target.owner, false);
        ctx.service.removeDimensionSetLine(target.ownerSet, target.owner, target.dimensionId);
        return { status: 204, headers: {} };
      }
      if (method === 'PATCH') {
        checkIfMatch(req.headers, target.owner, true);
        const body = { ...(req.body as Record<string, unknown>), id: target.dimensionId };
        const updated = ctx.service.addDimensionSetLine(target.ownerSet, target.owner, body);
        const owner = ctx.store.get(target.ownerSet, target.owner.id as string) as EntityRecord;
        return ok(200, ctx.service.serializeDimensionSetLine(target.ownerSet, owner, updated));
      }
      throw bcErrors.methodNotAllowed(method, 'dimensionSetLines');
    }
    case 'action': {
      if (method !== 'POST') throw bcErrors.methodNotAllowed(method, target.name);
      if (target.def.set === 'purchaseInvoices' && target.name === 'Microsoft.NAV.post') {
        ctx.service.postInvoice(target.record);
        return { status: 204, headers: {} };
      }
      throw new BcEmulatorError(400, 'BadRequest_MethodNotImplemented', `The bound action '${target.name}' is not supported on '${target.def.set}' by the emulator`);
    }
  }
}

function ok(status: number, body: unknown, headers: Record<string, string> = {}): ApiResult {
  return { status, headers: { ...JSON_HEADERS, ...headers }, body };
}

function resolveTarget(ctx: RouterContext, req: ApiRequest): Target {
  const segments = req.segments.filter((s) => s.length > 0);
  if (segments.length === 0) return { kind: 'service' };
  let target: Target;
  const first = parseSegment(segments[0] as string);
  let rest = segments.slice(1);
  if (first.name === 'companies') {
    const def = ENTITY_DEFS.companies;
    target = { kind: 'collection', def, path: 'companies', list: () => ctx.store.sorted('companies') };
    if (first.key !== undefined) target = lookup(ctx, def, first.key, (r) => r !== undefined, `companies(${first.key})`);
  } else if (first.name === 'subscriptions') {
    const def = ENTITY_DEFS.subscriptions;
    target = { kind: 'collection', def, path: 'subscriptions', list: () => ctx.store.sorted('subscriptions') };
    if (first.key !== undefined) target = lookup(ctx, def, first.key, () => true, `subscriptions('${first.key}')`);
  } else {
    // Company from `?company=` (id) or a `Company` header (name or id), then the entity set segment.
    const companyRef = req.query.get('company') ?? req.headers.get('company');
    if (!companyRef || !(first.name in ENTITY_DEFS)) throw bcErrors.segmentNotFound(first.name);
    const company = ctx.store.get('companies', companyRef.toLowerCase()) ?? [...ctx.store.tables.companies.values()].find((c) => c.name === companyRef);
    if (!company) {
      throw new BcEmulatorError(400, 'Internal_CompanyNotFound', `Cannot process the request because the company '${companyRef}' cannot be found`);
    }
    target = { kind: 'entity', def: ENTITY_DEFS.companies, path: `companies(${company.id as string})`, record: company };
    rest = segments;
  }
  for (const raw of rest) {
    const seg = parseSegment(raw);
    target = step(ctx, target, seg);
  }
  return target;
}

function lookup(ctx: RouterContext, def: EntityDef, key: string, belongs: (r: EntityRecord) => boolean, path: string): Target {
  if (def.key === 'id' && !GUID.test(key)) throw bcErrors.querySyntax('Bad Request - Error in query syntax');
  const record = ctx.store.get(def.set, def.key === 'id' ? key.toLowerCase() : key);
  if (!record || !belongs(record)) throw bcErrors.notFound();
  return { kind: 'entity', def, path, record };
}

function step(ctx: RouterContext, target: Target, seg: { name: string; key?: string }): Target {
  if (target.kind === 'collection') {
    if (seg.key !== undefined) throw bcErrors.segmentNotFound(`${seg.name}(${seg.key})`);
    throw bcErrors.segmentNotFound(seg.name);
  }
  if (target.kind === 'dimensions') {
    if (seg.name !== 'dimensionSetLines' && seg.key === undefined) throw bcErrors.segmentNotFound(seg.name);
    throw bcErrors.segmentNotFound(seg.name);
  }
  if (target.kind !== 'entity') throw bcErrors.segmentNotFound(seg.name);
  const { def, record } = target;
  if (seg.name.startsWith('Microsoft.NAV.')) {
    if (seg.key !== undefined) throw bcErrors.segmentNotFound(seg.name);
    return { kind: 'action', name: seg.name, def, record };
  }
  const nav = def.nav[seg.name];
  if (!nav) throw bcErrors.segmentNotFound(seg.name);
  const path = `${target.path}/${seg.name}`;
  if (nav.kind === 'dimensionSetLines') {
    if (seg.key === undefined) return { kind: 'dimensions', path, ownerSet: def.set, owner: record };
    if (!GUID.test(seg.key)) throw bcErrors.querySyntax('Bad Request - Error in query syntax');
    return { kind: 'dimension', path: `${path}(${seg.key})`, ownerSet: def.set, owner: record, dimensionId: seg.key.toLowerCase() };
  }
  if (nav.kind === 'single') {
    const related = ctx.store.get(nav.set, record[nav.localField] as string);
    if (!related) throw bcErrors.notFound();
    return { kind: 'entity', def: ENTITY_DEFS[nav.set], path, record: related };
  }
  const childDef = ENTITY_DEFS[nav.set];
  const belongs = childBelongs(nav, record);
  const list = () => childrenOf(ctx, nav, record);
  if (seg.key !== undefined) return lookup(ctx, childDef, seg.key, belongs, `${path}(${seg.key})`);
  return {
    kind: 'collection',
    def: childDef,
    path,
    list,
    companyId: (record.$company as string | undefined) ?? (record.id as string),
    ...(def.set === 'companies' ? {} : { parent: record }),
  };
}

function childBelongs(nav: Extract<NavSpec, { kind: 'children' }>, parent: EntityRecord): (r: EntityRecord) => boolean {
  if (nav.foreignKey === '$company') return (r) => r.$company === parent.id;
  return (r) => r[nav.foreignKey] === parent.id;
}

function childrenOf(ctx: RouterContext, nav: Extract<NavSpec, { kind: 'children' }>, parent: EntityRecord): EntityRecord[] {
  if (nav.set === 'purchaseInvoiceLines' || nav.set === 'purchaseOrderLines') {
    if (nav.foreignKey === 'documentId') return ctx.store.linesOf(nav.set, parent.id as string);
  }
  const belongs = childBelongs(nav, parent);
  return ctx.store.sorted(nav.set).filter(belongs);
}

function queryTargetOf(def: EntityDef): QueryTarget {
  return { type: def.type, fields: def.fields, nav: def.nav };
}

function resolveNavTarget(nav: NavSpec): QueryTarget {
  if (nav.kind === 'dimensionSetLines') return DIMENSION_TARGET;
  return queryTargetOf(ENTITY_DEFS[nav.set]);
}

// ----------------------------------------------------------------------------------------------- reads

interface SkipToken {
  v: unknown[];
}

function encodeSkipToken(values: unknown[]): string {
  return Buffer.from(JSON.stringify({ v: values } satisfies SkipToken)).toString('base64url');
}

function decodeSkipToken(token: string): unknown[] {
  try {
    const parsed = JSON.parse(Buffer.from(token.replace(/^'|'$/g, ''), 'base64url').toString('utf8')) as SkipToken;
    if (!Array.isArray(parsed.v)) throw new Error('bad');
    return parsed.v;
  } catch {
    throw bcErrors.querySyntax(`The $skiptoken '${token}' is not valid. Use the @odata.nextLink exactly as returned`);
  }
}

function sortTuple(ctx: RouterContext, def: EntityDef, record: EntityRecord, options: QueryOptions): unknown[] {
  const values: unknown[] = [];
  for (const term of options.orderby ?? []) values.push(ctx.service.valueOf(def, record, term.field));
  for (const field of def.order) values.push(record[field] ?? null);
  values.push(record[def.key]);
  return values;
}

function compareTuples(def: EntityDef, options: QueryOptions, a: unknown[], b: unknown[]): number {
  const terms = options.orderby ?? [];
  for (let i = 0; i < a.length; i++) {
    const term = terms[i];
    const c = term ? compareTyped(term.type, a[i], b[i]) * (term.descending ? -1 : 1) : compareValues(a[i] ?? null, b[i] ?? null);
    if (c !== 0) return c;
  }
  return 0;
}

function applyQuery(ctx: RouterContext, def: EntityDef, records: EntityRecord[], options: QueryOptions): EntityRecord[] {
  let rows = records;
  if (options.filter) {
    const filter = options.filter;
    rows = rows.filter((r) => filter((f) => ctx.service.valueOf(def, r, f)));
  }
  if (options.orderby && options.orderby.length > 0) {
    const terms = options.orderby;
    rows = [...rows].sort((a, b) => {
      for (const term of terms) {
        const c = compareTyped(term.type, ctx.service.valueOf(def, a, term.field), ctx.service.valueOf(def, b, term.field));
        if (c !== 0) return term.descending ? -c : c;
      }
      return 0; // stable sort keeps default (primary key) order as tie-break
    });
  }
  return rows;
}

function preferredPageSize(headers: Headers): number | undefined {
  const prefer = headers.get('prefer');
  if (!prefer) return undefined;
  const m = /odata\.maxpagesize\s*=\s*(\d+)/i.exec(prefer);
  return m ? Number(m[1]) : undefined;
}

function getCollection(ctx: RouterContext, req: ApiRequest, target: Extract<Target, { kind: 'collection' }>): ApiResult {
  const { def } = target;
  const options = parseQueryOptions(req.query.entries(), queryTargetOf(def), resolveNavTarget);
  const rows = applyQuery(ctx, def, target.list(), options);
  let start = 0;
  if (options.skiptoken !== undefined) {
    const token = decodeSkipToken(options.skiptoken);
    // First row strictly after the token in the current ordering (robust to inserts/deletes between pages).
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareTuples(def, options, sortTuple(ctx, def, rows[mid] as EntityRecord, options), token) <= 0) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  } else if (options.skip) {
    start = options.skip;
  }
  const preferred = preferredPageSize(req.headers);
  const pageSize = Math.max(1, Math.min(preferred ?? ctx.limits.maxPageSize, ctx.limits.maxPageSize));
  const remainingTop = options.top ?? Number.POSITIVE_INFINITY;
  const take = Math.min(pageSize, remainingTop);
  const page = rows.slice(start, start + take);
  const headers: Record<string, string> = {};
  if (preferred !== undefined) headers['preference-applied'] = `odata.maxpagesize=${pageSize}`;
  const body: Record<string, unknown> = { '@odata.context': `${req.serviceRoot}/$metadata#${target.path}` };
  if (options.count) body['@odata.count'] = rows.length;
  body.value = page.map((r) => serializeWithExpand(ctx, def, r, options));
  const moreRows = start + page.length < rows.length;
  const moreTop = remainingTop - page.length > 0;
  if (moreRows && moreTop && page.length > 0) {
    const last = page[page.length - 1] as EntityRecord;
    const next: [string, string][] = [];
    for (const [k, v] of req.query) if (k !== '$skiptoken' && k !== '$skip' && k !== '$top') next.push([k, v]);
    if (options.top !== undefined) next.push(['$top', String(remainingTop - page.length)]);
    next.push(['$skiptoken', encodeSkipToken(sortTuple(ctx, def, last, options))]);
    // Like BC, keep `$` in option names literal and percent-encode values.
    const query = next.map(([k, v]) => `${encodeURIComponent(k).replace(/^%24/, '$')}=${encodeURIComponent(v)}`).join('&');
    body['@odata.nextLink'] = `${req.serviceRoot}/${target.path}?${query}`;
  }
  return ok(200, body, headers);
}

function selectFields(row: Record<string, unknown>, select: readonly string[] | undefined): Record<string, unknown> {
  if (!select || select.includes('*')) return row;
  const out: Record<string, unknown> = {};
  if ('@odata.etag' in row) out['@odata.etag'] = row['@odata.etag'];
  for (const f of select) if (f in row) out[f] = row[f];
  return out;
}

function serializeWithExpand(ctx: RouterContext, def: EntityDef, record: EntityRecord, options: QueryOptions): Record<string, unknown> {
  const out = ctx.service.serialize(def, record, options.select);
  for (const item of options.expand ?? []) out[item.nav] = expandNav(ctx, def, record, item);
  return out;
}

function expandNav(ctx: RouterContext, def: EntityDef, record: EntityRecord, item: ExpandItem): unknown {
  const nav = def.nav[item.nav] as NavSpec;
  const { options } = item;
  if (nav.kind === 'dimensionSetLines') {
    let rows = ctx.service.dimensionSetLines(def.set, record);
    if (options.filter) rows = rows.filter((r) => (options.filter as NonNullable<QueryOptions['filter']>)((f) => r[f]));
    return rows.map((r) => selectFields(r, options.select));
  }
  const childDef = ENTITY_DEFS[nav.set];
  if (nav.kind === 'single') {
    const related = ctx.store.get(nav.set, record[nav.localField] as string);
    return related ? serializeWithExpand(ctx, childDef, related, options) : null;
  }
  let rows = applyQuery(ctx, childDef, childrenOf(ctx, nav, record), options);
  if (options.skip) rows = rows.slice(options.skip);
  if (options.top !== undefined) rows = rows.slice(0, options.top);
  return rows.map((r) => serializeWithExpand(ctx, childDef, r, options));
}

// ---------------------------------------------------------------------------------------------- writes

function checkIfMatch(headers: Headers, record: EntityRecord, required: boolean): void {
  const ifMatch = headers.get('if-match');
  if (!ifMatch) {
    if (required) throw bcErrors.missingIfMatch();
    return;
  }
  if (ifMatch.trim() === '*') return;
  const current = etagOf(record);
  const strip = (tag: string) => tag.trim().replace(/^W\//, '');
  const matches = ifMatch.split(',').some((tag) => strip(tag) === strip(current));
  if (!matches) throw bcErrors.entityChanged();
}

function entityResult(ctx: RouterContext, req: ApiRequest, def: EntityDef, record: EntityRecord, path: string, status: number, extra: Record<string, string> = {}): ApiResult {
  const options = parseQueryOptions(req.query.entries(), queryTargetOf(def), resolveNavTarget);
  return ok(
    status,
    { '@odata.context': `${req.serviceRoot}/$metadata#${path}/$entity`, ...serializeWithExpand(ctx, def, record, options) },
    { etag: etagOf(record), ...extra },
  );
}

async function postCollection(ctx: RouterContext, req: ApiRequest, target: Extract<Target, { kind: 'collection' }>): Promise<ApiResult> {
  const { def } = target;
  if (!def.methods.post) throw bcErrors.methodNotAllowed('POST', def.set);
  let created: EntityRecord;
  if (def.set === 'subscriptions') {
    created = await ctx.webhooks.create(req.body, req.clientId);
  } else {
    const companyId = target.companyId as string;
    created = ctx.service.create(def.set, companyId, req.body, target.parent);
  }
  const key = created[def.key] as string;
  const keyText = def.key === 'id' ? key : `'${key}'`;
  const path = `${target.path}(${keyText})`;
  return entityResult(ctx, req, def, created, target.path, 201, { location: `${req.serviceRoot}/${path}` });
}

async function entityRequest(ctx: RouterContext, req: ApiRequest, target: Extract<Target, { kind: 'entity' }>, method: string): Promise<ApiResult> {
  const { def, record } = target;
  const collectionPath = target.path.replace(/\([^)]*\)$/, '');
  switch (method) {
    case 'GET':
      return entityResult(ctx, req, def, record, collectionPath, 200);
    case 'PATCH':
    case 'PUT': {
      if (!def.methods.patch) throw bcErrors.methodNotAllowed(method, def.set);
      if (method === 'PUT') throw bcErrors.methodNotAllowed('PUT', def.set);
      checkIfMatch(req.headers, record, true);
      const updated = def.set === 'subscriptions' ? await ctx.webhooks.renew(record, req.body) : ctx.service.patch(def.set, record, req.body);
      return entityResult(ctx, req, def, updated, collectionPath, 200);
    }
    case 'DELETE':
      if (!def.methods.delete) throw bcErrors.methodNotAllowed('DELETE', def.set);
      checkIfMatch(req.headers, record, false);
      if (def.set === 'subscriptions') ctx.store.remove('subscriptions', record.subscriptionId as string);
      else ctx.service.delete(def.set, record);
      return { status: 204, headers: {} };
    case 'POST':
      throw bcErrors.methodNotAllowed('POST', def.set);
    default:
      throw bcErrors.methodNotAllowed(method, def.set);
  }
}

/** `GET /api/microsoft/runtime/beta/companies({id})/webhookSupportedResources` (response shape UNCONFIRMED). */
export function webhookSupportedResources(ctx: RouterContext, companyId: string, serviceRoot: string): ApiResult {
  if (!ctx.store.get('companies', companyId.toLowerCase())) throw bcErrors.notFound();
  return ok(200, {
    '@odata.context': `${serviceRoot}/$metadata#companies(${companyId})/webhookSupportedResources`,
    value: WEBHOOK_ENABLED_SETS.map((set) => ({ resource: `api/v2.0/companies(${companyId})/${set}` })),
  });
}
