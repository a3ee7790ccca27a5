/**
 * Routes API requests (after authentication and limits) to entity sets, navigation properties, bound actions,
 * subscriptions and `$batch`. Produces plain {@link ApiResult}s so `$batch` can reuse it for inner requests.
 */
import { BcEmulatorError, JSON_HEADERS, bcErrors } from './errors.js';
import { DIMENSION_SET_LINE_FIELDS, ENTITY_DEFS, type EntityDef, type EntitySetName, type NavSpec, encodeEnumMember } from './model.js';
import { AL_MESSAGES } from './service.js';
import { compareTyped, parseQueryOptions, type ExpandItem, type FilterRules, type QueryOptions, type QueryTarget } from './odata.js';
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
  /** A binary body (attachment or PDF content) sent as is instead of JSON. */
  raw?: Uint8Array;
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
  /** How `$filter` treats `in` and how many nodes it may have. */
  filterRules: Readonly<FilterRules>;
}

type Target =
  | { kind: 'service' }
  | { kind: 'collection'; def: EntityDef; path: string; list: () => EntityRecord[]; companyId?: string; parent?: EntityRecord }
  | { kind: 'entity'; def: EntityDef; path: string; record: EntityRecord }
  | { kind: 'dimensions'; path: string; ownerSet: EntitySetName; owner: EntityRecord }
  | { kind: 'dimension'; path: string; ownerSet: EntitySetName; owner: EntityRecord; dimensionId: string }
  | { kind: 'action'; name: string; def: EntityDef; record: EntityRecord }
  | { kind: 'pdf'; path: string; invoice: EntityRecord; key?: string }
  | { kind: 'media'; path: string; attachment?: EntityRecord; pdfOf?: EntityRecord };

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
        const options = parseQueryOptions(req.query.entries(), DIMENSION_TARGET, () => DIMENSION_TARGET, false, ctx.filterRules);
        let rows = ctx.service.dimensionSetLines(target.ownerSet, target.owner);
        if (options.filter) rows = rows.filter((r) => (options.filter as NonNullable<QueryOptions['filter']>)((f) => r[f]));
        return ok(200, { '@odata.context': `${req.serviceRoot}/$metadata#${target.path}`, value: rows.map((r) => selectFields(r, options.select)) });
      }
      if (method === 'POST') {
        const line = ctx.service.addDimensionSetLine(target.ownerSet, target.owner, req.body, 'insert');
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
        const patch = (req.body ?? {}) as Record<string, unknown>;
        if ((patch.id !== undefined && String(patch.id).toLowerCase() !== target.dimensionId) || (patch.code !== undefined && patch.code !== line.code)) {
          throw bcErrors.dialog(AL_MESSAGES.dimensionIdAndCodeReadOnly);
        }
        const { id: _id, code: _code, ...value } = patch;
        const body = { ...value, id: target.dimensionId };
        const updated = ctx.service.addDimensionSetLine(target.ownerSet, target.owner, body, 'replace');
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
    case 'pdf': {
      if (method !== 'GET') throw bcErrors.methodNotAllowed(method, 'pdfDocument');
      const rows = pdfRows(req, target.invoice, target.path);
      if (target.key === undefined) return ok(200, { '@odata.context': `${req.serviceRoot}/$metadata#${target.path}`, value: rows });
      const row = rows.find((r) => r.id === target.key);
      if (!row) throw bcErrors.notFound();
      return ok(200, { '@odata.context': `${req.serviceRoot}/$metadata#${target.path}/$entity`, ...row });
    }
    case 'media': {
      if (target.pdfOf) {
        if (method !== 'GET') throw bcErrors.methodNotAllowed(method, 'pdfDocumentContent');
        return { status: 200, headers: { 'content-type': 'application/pdf' }, raw: pdfBytes(target.pdfOf) };
      }
      const attachment = target.attachment as EntityRecord;
      if (method === 'GET') {
        return { status: 200, headers: { 'content-type': 'application/octet-stream' }, raw: (attachment.$content as Uint8Array | undefined) ?? new Uint8Array(0) };
      }
      if (method === 'PATCH' || method === 'PUT') {
        // BCDOCS attachment examples send `If-Match: *` with the content; the page modifies the buffer record.
        checkIfMatch(req.headers, attachment, true);
        const content = req.body instanceof Uint8Array ? req.body : typeof req.body === 'string' ? new TextEncoder().encode(req.body) : new Uint8Array(0);
        ctx.service.setAttachmentContent(attachment, content);
        return { status: 204, headers: {} };
      }
      throw bcErrors.methodNotAllowed(method, 'attachmentContent');
    }
  }
}

/** `pdfDocument` of an invoice: one row for a posted invoice, none for a draft (UNCONFIRMED for drafts). */
function pdfRows(req: ApiRequest, invoice: EntityRecord, path: string): Record<string, unknown>[] {
  if (invoice.status === 'Draft' || invoice.status === 'In Review') return [];
  return [
    {
      id: invoice.id,
      parentId: invoice.id,
      parentType: encodeEnumMember('Purchase Invoice'),
      'pdfDocumentContent@odata.mediaReadLink': `${req.serviceRoot}/${path}(${invoice.id as string})/pdfDocumentContent`,
    },
  ];
}

/** A minimal valid one-page PDF naming the invoice (the emulator does not render reports). */
function pdfBytes(invoice: EntityRecord): Uint8Array {
  const text = `Purchase Invoice ${String(invoice.number)}`.replace(/[()\\]/g, '');
  const stream = `BT /F1 12 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(pdf);
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
  if (target.kind === 'pdf' && target.key !== undefined && seg.name === 'pdfDocumentContent' && seg.key === undefined) {
    if (!pdfRowsExist(target.invoice, target.key)) throw bcErrors.notFound();
    return { kind: 'media', path: `${target.path}/pdfDocumentContent`, pdfOf: target.invoice };
  }
  if (target.kind !== 'entity') throw bcErrors.segmentNotFound(seg.name);
  const { def, record } = target;
  if (def.set === 'attachments' && seg.name === 'attachmentContent' && seg.key === undefined) {
    return { kind: 'media', path: `${target.path}/attachmentContent`, attachment: record };
  }
  if (seg.name.startsWith('Microsoft.NAV.')) {
    if (seg.key !== undefined) throw bcErrors.segmentNotFound(seg.name);
    return { kind: 'action', name: seg.name, def, record };
  }
  const nav = def.nav[seg.name];
  if (!nav) throw bcErrors.segmentNotFound(seg.name);
  const path = `${target.path}/${seg.name}`;
  if (nav.kind === 'pdfDocument') {
    if (seg.key !== undefined && !GUID.test(seg.key)) throw bcErrors.querySyntax('Bad Request - Error in query syntax');
    return { kind: 'pdf', path, invoice: record, ...(seg.key !== undefined ? { key: seg.key.toLowerCase() } : {}) };
  }
  if (nav.kind === 'attachments') {
    const attachmentsDef = ENTITY_DEFS.attachments;
    const belongs = (r: EntityRecord) => r.parentId === record.id;
    if (seg.key !== undefined) return lookup(ctx, attachmentsDef, seg.key, belongs, `${path}(${seg.key})`);
    return {
      kind: 'collection',
      def: attachmentsDef,
      path,
      list: () => ctx.store.sorted('attachments').filter(belongs),
      companyId: record.$company as string,
      parent: record,
    };
  }
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

function pdfRowsExist(invoice: EntityRecord, key: string): boolean {
  return invoice.id === key && invoice.status !== 'Draft' && invoice.status !== 'In Review';
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
  if (nav.kind === 'attachments') return queryTargetOf(ENTITY_DEFS.attachments);
  if (nav.kind === 'pdfDocument') return { type: 'pdfDocument', fields: {}, nav: {} };
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

/** True when `$filter` pins `documentId` or `id` with `eq`, as the line pages' OnFindRecord requires. */
function pinsParent(filter: string | null): boolean {
  return filter !== null && /(^|[\s(])(documentId|id)\s+eq\s+/i.test(filter);
}

function getCollection(ctx: RouterContext, req: ApiRequest, target: Extract<Target, { kind: 'collection' }>): ApiResult {
  const { def } = target;
  if ((def.set === 'purchaseInvoiceLines' || def.set === 'purchaseOrderLines') && !target.parent && !pinsParent(req.query.get('$filter'))) {
    throw bcErrors.dialog(AL_MESSAGES.linesNeedParent);
  }
  const options = parseQueryOptions(req.query.entries(), queryTargetOf(def), resolveNavTarget, false, ctx.filterRules);
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
  if (nav.kind === 'pdfDocument') throw bcErrors.badRequest(`$expand of '${item.nav}' is not supported by the emulator; GET it directly`);
  if (nav.kind === 'attachments') {
    const attachmentsDef = ENTITY_DEFS.attachments;
    return applyQuery(ctx, attachmentsDef, ctx.store.sorted('attachments').filter((r) => r.parentId === record.id), options).map((r) =>
      serializeWithExpand(ctx, attachmentsDef, r, options),
    );
  }
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
  const options = parseQueryOptions(req.query.entries(), queryTargetOf(def), resolveNavTarget, false, ctx.filterRules);
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

/**
 * `GET /api/microsoft/runtime/beta/companies({id})/webhookSupportedResources`: one `{ resource }` per entity,
 * `'{version}/{entitySet}'` for Microsoft's standard APIs, as page 5460 builds it (microsoft/BCApps
 * `src/Layers/W1/BaseApp/WebhookSupportedResources.Page.al`, GetResourceUri).
 */
export function webhookSupportedResources(ctx: RouterContext, companyId: string, serviceRoot: string): ApiResult {
  if (!ctx.store.get('companies', companyId.toLowerCase())) throw bcErrors.notFound();
  return ok(200, {
    '@odata.context': `${serviceRoot}/$metadata#webhookSupportedResources`,
    value: WEBHOOK_ENABLED_SETS.map((set) => ({ resource: `v2.0/${set}` })),
  });
}
