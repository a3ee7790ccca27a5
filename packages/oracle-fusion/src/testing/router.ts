import { OracleEmulatorError } from './errors.js';
import { RESOURCE_DEFS, type ResourceDef } from './model.js';
import { QSyntaxError, attributesOf, compareValues, evaluateQ, parseQ } from './q.js';
import { type OracleFusionStore, type StoredRecord, oracleTimestamp, record as newRecord } from './store.js';

/** What the router needs from the sandbox. */
export interface RouterContext {
  store: OracleFusionStore;
  now: () => number;
  /** Default page size (Oracle: 25). */
  defaultLimit: number;
  /** Largest page size honoured; larger `limit`s are clamped (UNCONFIRMED). */
  maxLimit: number;
}

/** One parsed API request. */
export interface ApiRequest {
  method: string;
  /** Path segments after `/fscmRestApi/resources/{version}/`. */
  segments: string[];
  query: URLSearchParams;
  headers: Headers;
  body: unknown;
  frameworkVersion: number;
  /** `https://host/fscmRestApi/resources/{version}` (no trailing slash). */
  root: string;
}

/** A router answer. */
export interface ApiResult {
  /** HTTP status. */
  status: number;
  /** JSON body. */
  body?: unknown;
  /** Response headers. */
  headers?: Record<string, string>;
}

interface CollectionTarget {
  kind: 'collection';
  def: ResourceDef;
  name: string;
  list: StoredRecord[];
  href: string;
  /** Key path used to hash child keys. */
  keyPath: string;
  parent?: StoredRecord;
}
interface ItemTarget {
  kind: 'item';
  def: ResourceDef;
  name: string;
  record: StoredRecord;
  list: StoredRecord[];
  href: string;
  keyPath: string;
  urlKey: string;
  parents: StoredRecord[];
}

const ITEM_TYPES = ['application/json', 'application/vnd.oracle.adf.resourceitem+json'];
const ACTION_TYPE = 'application/vnd.oracle.adf.action+json';

function bad(detail: string, code?: string): OracleEmulatorError {
  return new OracleEmulatorError(400, detail, code);
}

function resolve(ctx: RouterContext, req: ApiRequest): { target: CollectionTarget | ItemTarget; action?: string } {
  const [name, ...rest] = req.segments;
  const def = name === undefined ? undefined : RESOURCE_DEFS[name];
  if (name === undefined || !def) throw new OracleEmulatorError(404, `The requested resource ${name ?? ''} does not exist.`);
  let target: CollectionTarget | ItemTarget = { kind: 'collection', def, name, list: ctx.store.collections[name] as StoredRecord[], href: `${req.root}/${name}`, keyPath: name };
  const parents: StoredRecord[] = [];
  for (let i = 0; i < rest.length; i++) {
    const segment = decodeURIComponent(rest[i] as string);
    if (segment === 'action') {
      const action = rest[i + 1];
      if (action === undefined || i + 2 !== rest.length) throw new OracleEmulatorError(404, 'Malformed action URL.');
      return { target, action };
    }
    if (target.kind === 'collection') {
      const t: CollectionTarget = target;
      const found = t.list.find((r) => ctx.store.urlKeyOf(t.def, r, t.keyPath) === segment);
      if (!found) throw new OracleEmulatorError(404, `The requested resource item ${segment} in ${t.name} does not exist.`);
      target = { kind: 'item', def: t.def, name: t.name, record: found, list: t.list, href: `${t.href}/${segment}`, keyPath: `${t.keyPath}/${segment}`, urlKey: segment, parents: [...parents] };
      continue;
    }
    if (segment !== 'child') throw new OracleEmulatorError(404, `Unexpected path segment ${segment}.`);
    const childName = rest[++i];
    const item: ItemTarget = target;
    const childDef = childName === undefined ? undefined : item.def.children?.[childName];
    if (childName === undefined || !childDef) throw new OracleEmulatorError(404, `${item.name} has no child resource ${childName ?? ''}.`);
    parents.push(item.record);
    const list = (item.record.children[childName] ??= []);
    target = { kind: 'collection', def: childDef, name: childName, list, href: `${item.href}/child/${childName}`, keyPath: item.keyPath, parent: item.record };
  }
  return { target };
}

function known(list: StoredRecord[], def: ResourceDef): Set<string> {
  const names = new Set<string>([def.keyAttr]);
  for (const r of list.slice(0, 50)) for (const k of Object.keys(r.attrs)) names.add(k);
  return names;
}

function checkAttributes(names: Iterable<string>, list: StoredRecord[], def: ResourceDef, param: string): void {
  if (list.length === 0) return;
  const allowed = known(list, def);
  for (const name of names) {
    if (!allowed.has(name)) throw bad(`URL request parameter ${param} contains the attribute ${name}, which is not valid for this resource.`, '27009');
  }
}

interface Shape {
  fields?: string[];
  childFields: Map<string, string[]>;
  expand: Set<string>;
  onlyData: boolean;
}

function parseShape(query: URLSearchParams): Shape {
  const childFields = new Map<string, string[]>();
  let fields: string[] | undefined;
  const raw = query.get('fields');
  if (raw) {
    for (const [i, part] of raw.split(';').entries()) {
      const colon = part.indexOf(':');
      if (i === 0 && colon < 0) fields = part.split(',').filter(Boolean);
      else if (colon > 0) childFields.set(part.slice(0, colon), part.slice(colon + 1).split(',').filter(Boolean));
      else throw bad(`URL request parameter fields with value ${raw} is not valid.`);
    }
  }
  const expand = new Set((query.get('expand') ?? '').split(',').filter(Boolean));
  // Children named in fields are expanded too (documented `fields=A;lines:B` behaviour).
  for (const child of childFields.keys()) expand.add(child);
  return { ...(fields ? { fields } : {}), childFields, expand, onlyData: query.get('onlyData') === 'true' };
}

function serialize(ctx: RouterContext, def: ResourceDef, name: string, r: StoredRecord, href: string, keyPath: string, urlKey: string, shape: Shape, version: number, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const fields = prefix ? shape.childFields.get(prefix) : shape.fields;
  for (const [k, v] of Object.entries(r.attrs)) if (!fields || fields.includes(k)) out[k] = structuredClone(v);
  for (const [childName, childDef] of Object.entries(def.children ?? {})) {
    const path = prefix ? `${prefix}.${childName}` : childName;
    if (!(shape.expand.has('all') || shape.expand.has(path))) continue;
    const childKeyPath = `${keyPath}/${urlKey}`;
    const items = (r.children[childName] ?? []).map((c) => {
      const key = ctx.store.urlKeyOf(childDef, c, childKeyPath);
      return serialize(ctx, childDef, childName, c, `${href}/child/${childName}/${key}`, childKeyPath, key, shape, version, path);
    });
    // Framework version 3+ nests children as collections.
    out[childName] = version >= 3 ? { items, count: items.length, hasMore: false, limit: items.length, offset: 0 } : items;
  }
  if (!shape.onlyData) {
    const etag = ctx.store.etagOf(r, urlKey);
    out.links = [
      { rel: 'self', href, name, kind: 'item', properties: { changeIndicator: etag } },
      { rel: 'canonical', href, name, kind: 'item' },
      ...Object.keys(def.children ?? {}).map((c) => ({ rel: 'child', href: `${href}/child/${c}`, name: c, kind: 'collection' })),
    ];
  }
  return out;
}

function sortRecords(list: StoredRecord[], orderBy: string | null, def: ResourceDef): StoredRecord[] {
  const keys = (orderBy ?? '').split(',').filter(Boolean).map((part) => {
    const [attr, dir = 'asc'] = part.split(':');
    if (dir !== 'asc' && dir !== 'desc') throw bad(`URL request parameter orderBy with value ${orderBy} is not valid.`);
    return { attr: attr as string, sign: dir === 'desc' ? -1 : 1 };
  });
  checkAttributes(keys.map((k) => k.attr), list, def, 'orderBy');
  if (keys.length === 0) return list;
  return [...list].sort((a, b) => {
    for (const { attr, sign } of keys) {
      const av = a.attrs[attr];
      const bv = b.attrs[attr];
      if (av === bv) continue;
      if (av === null || av === undefined) return sign;
      if (bv === null || bv === undefined) return -sign;
      const c = compareValues(av, typeof bv === 'number' ? bv : String(bv)) ?? 0;
      if (c !== 0) return c * sign;
    }
    return 0;
  });
}

function intParam(query: URLSearchParams, name: string, fallback: number, min: number): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min) throw bad(`URL request parameter ${name} with value ${raw} is not valid.`);
  return Number(raw);
}

function listCollection(ctx: RouterContext, req: ApiRequest, t: CollectionTarget): ApiResult {
  const shape = parseShape(req.query);
  let rows = t.list;
  const q = req.query.get('q');
  if (q) {
    if (req.frameworkVersion < 2) {
      // Version 1 reads q as query-by-example; the emulator only implements the expression syntax (UNCONFIRMED mismatch).
      throw bad('This emulator evaluates q expressions only with REST-Framework-Version 2 or later.');
    }
    let tree;
    try {
      tree = parseQ(q);
    } catch (error) {
      if (error instanceof QSyntaxError) throw bad(`URL request parameter q with value ${q} is not valid: ${error.message}.`, '27024');
      throw error;
    }
    checkAttributes(attributesOf(tree), t.list, t.def, 'q');
    rows = rows.filter((r) => evaluateQ(tree, r.attrs));
  }
  const finder = req.query.get('finder');
  if (finder) {
    const [name, vars = ''] = finder.split(';');
    if (name !== 'PrimaryKey') throw bad(`The finder ${name} is not defined for ${t.name}.`);
    const params = new Map(vars.split(',').filter(Boolean).map((kv) => kv.split('=') as [string, string]));
    const key = params.get(t.def.keyAttr);
    if (key === undefined) throw bad(`The finder PrimaryKey needs ${t.def.keyAttr}.`);
    rows = rows.filter((r) => String(r.attrs[t.def.keyAttr]) === key);
  }
  rows = sortRecords(rows, req.query.get('orderBy'), t.def);
  if (shape.fields) checkAttributes(shape.fields, t.list, t.def, 'fields');
  const limit = Math.min(intParam(req.query, 'limit', ctx.defaultLimit, 1), ctx.maxLimit);
  const offset = intParam(req.query, 'offset', 0, 0);
  const page = rows.slice(offset, offset + limit);
  const items = page.map((r) => {
    const key = ctx.store.urlKeyOf(t.def, r, t.keyPath);
    return serialize(ctx, t.def, t.name, r, `${t.href}/${key}`, t.keyPath, key, shape, req.frameworkVersion);
  });
  return {
    status: 200,
    headers: { 'content-type': 'application/vnd.oracle.adf.resourcecollection+json' },
    body: {
      items,
      count: items.length,
      hasMore: offset + items.length < rows.length,
      limit,
      offset,
      ...(req.query.get('totalResults') === 'true' ? { totalResults: rows.length } : {}),
      ...(shape.onlyData ? {} : { links: [{ rel: 'self', href: t.href, name: t.name, kind: 'collection' }] }),
    },
  };
}

function itemResult(ctx: RouterContext, req: ApiRequest, t: ItemTarget, status = 200): ApiResult {
  const shape = parseShape(req.query);
  const etag = ctx.store.etagOf(t.record, t.urlKey);
  return {
    status,
    headers: { 'content-type': 'application/vnd.oracle.adf.resourceitem+json', etag, ...(status === 201 ? { location: t.href } : {}) },
    body: serialize(ctx, t.def, t.name, t.record, t.href, t.keyPath.replace(/\/[^/]*$/, ''), t.urlKey, shape, req.frameworkVersion),
  };
}

function requireType(req: ApiRequest, allowed: string[]): void {
  const type = (req.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!allowed.includes(type)) throw new OracleEmulatorError(415, `The media type ${type || '(none)'} is not supported; use ${allowed.join(' or ')}.`);
}

function bodyObject(req: ApiRequest): Record<string, unknown> {
  if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) throw bad('The request body must be a JSON object.');
  return req.body as Record<string, unknown>;
}

/** Checks writable attributes and splits out child collections. */
function splitBody(def: ResourceDef, body: Record<string, unknown>, creating: boolean): { attrs: Record<string, unknown>; children: Record<string, Record<string, unknown>[]> } {
  const attrs: Record<string, unknown> = {};
  const children: Record<string, Record<string, unknown>[]> = {};
  for (const [k, v] of Object.entries(body)) {
    if (def.children?.[k]) {
      if (!Array.isArray(v)) throw bad(`The child resource ${k} must be an array of items.`);
      children[k] = v as Record<string, unknown>[];
      continue;
    }
    if (def.readOnly?.includes(k)) {
      throw bad(`Attempt to set a value for the read-only attribute ${k}.`, '27008');
    }
    attrs[k] = v;
  }
  if (creating) {
    for (const name of def.required ?? []) {
      if (attrs[name] === undefined || attrs[name] === null || attrs[name] === '') throw bad(`The attribute ${name} is required.`, '27014');
    }
  }
  return { attrs, children };
}

function createRecord(ctx: RouterContext, def: ResourceDef, name: string, body: Record<string, unknown>, siblings: StoredRecord[], parents: StoredRecord[]): StoredRecord {
  const { attrs, children } = splitBody(def, body, true);
  const t = oracleTimestamp(ctx.now());
  if (attrs[def.keyAttr] === undefined) attrs[def.keyAttr] = ctx.store.nextId();
  if (siblings.some((s) => s.attrs[def.keyAttr] === attrs[def.keyAttr])) throw bad(`A ${name} item with ${def.keyAttr} ${String(attrs[def.keyAttr])} already exists.`, '27031');
  const r = newRecord({ ...attrs, CreationDate: t, CreatedBy: 'INTEGRATION.USER', LastUpdateDate: t, LastUpdatedBy: 'INTEGRATION.USER' });
  applyRules(ctx, name, r, parents, siblings);
  for (const [childName, items] of Object.entries(children)) {
    const childDef = def.children?.[childName] as ResourceDef;
    const list: StoredRecord[] = (r.children[childName] = []);
    for (const item of items) list.push(createRecord(ctx, childDef, childName, item, list, [...parents, r]));
  }
  return r;
}

/** Business rules of the emulated objects (documented ones; texts UNCONFIRMED). */
function applyRules(ctx: RouterContext, name: string, r: StoredRecord, parents: StoredRecord[], siblings: StoredRecord[]): void {
  const a = r.attrs;
  if (name === 'invoices') {
    const supplier = ctx.store.collections.suppliers?.find((s) => s.attrs.Supplier === a.Supplier);
    if (!supplier) throw bad(`The value ${String(a.Supplier)} of Supplier is not valid.`, 'AP-810183');
    if (!supplier.children.sites?.some((s) => s.attrs.SupplierSite === a.SupplierSite)) throw bad(`The value ${String(a.SupplierSite)} of SupplierSite is not valid for the supplier.`, 'AP-810184');
    if (siblings.some((s) => s.attrs.Supplier === a.Supplier && s.attrs.InvoiceNumber === a.InvoiceNumber)) {
      throw bad(`The invoice number ${String(a.InvoiceNumber)} already exists for the supplier.`, 'AP-810275');
    }
    Object.assign(a, { SupplierNumber: supplier.attrs.SupplierNumber, ValidationStatus: 'Never Validated', ApprovalStatus: 'Required', PaidStatus: 'Unpaid', CanceledFlag: false, InvoiceType: a.InvoiceType ?? 'Standard', PaymentCurrency: a.PaymentCurrency ?? a.InvoiceCurrency });
  }
  if (name === 'invoiceLines' && a.PurchaseOrderNumber) {
    const po = ctx.store.collections.purchaseOrders?.find((p) => p.attrs.OrderNumber === a.PurchaseOrderNumber);
    if (!po) throw bad(`The purchase order ${String(a.PurchaseOrderNumber)} is not valid.`, 'AP-810290');
    const line = po.children.lines?.find((l) => l.attrs.LineNumber === a.PurchaseOrderLineNumber);
    if (!line) throw bad(`The purchase order line ${String(a.PurchaseOrderLineNumber)} is not valid.`, 'AP-810291');
    const schedule = line.children.schedules?.[0];
    if (schedule) schedule.attrs.QuantityBilled = Number(schedule.attrs.QuantityBilled ?? 0) + Number(a.Quantity ?? 0);
  }
  // A value-set value is unique by Value within its value set (text and code UNCONFIRMED).
  if (name === 'values' && parents[0] && 'ValueSetCode' in parents[0].attrs) {
    if (siblings.some((v) => v !== r && String(v.attrs.Value).toUpperCase() === String(a.Value).toUpperCase())) {
      throw bad(`The value ${String(a.Value)} already exists in value set ${String(parents[0].attrs.ValueSetCode)}.`, 'FND-2800');
    }
    a.EnabledFlag ??= 'Y';
    a.SummaryFlag ??= 'N';
  }
  if (name === 'receivingReceiptRequests') Object.assign(a, { ProcessingStatusCode: 'SUCCESS', ReceiptNumber: String(ctx.store.nextId() % 1_000_000) });
  // Receipt lines (deep insert: the parent is not stored yet, so recognise it by its key).
  if (name === 'lines' && parents[0] && 'HeaderInterfaceId' in parents[0].attrs) {
    const po = ctx.store.collections.purchaseOrders?.find((p) => p.attrs.OrderNumber === a.DocumentNumber);
    const line = po?.children.lines?.find((l) => l.attrs.LineNumber === a.DocumentLineNumber);
    const schedule = line?.children.schedules?.find((s) => s.attrs.ScheduleNumber === (a.DocumentScheduleNumber ?? 1));
    if (!po || !schedule) throw bad(`The document ${String(a.DocumentNumber)} line ${String(a.DocumentLineNumber)} is not valid for receiving.`, 'RCV-100');
    schedule.attrs.QuantityReceived = Number(schedule.attrs.QuantityReceived ?? 0) + Number(a.Quantity);
    ctx.store.touch(po, ctx.now());
    a.ProcessingStatusCode = 'SUCCESS';
  }
}

function checkIfMatch(ctx: RouterContext, req: ApiRequest, t: ItemTarget): void {
  const ifMatch = req.headers.get('if-match');
  if (ifMatch && ifMatch !== '*' && ifMatch !== ctx.store.etagOf(t.record, t.urlKey)) {
    throw new OracleEmulatorError(412, 'The resource item has been changed by another user (ETag mismatch); read it again.', '27010');
  }
}

function updateRecord(ctx: RouterContext, def: ResourceDef, r: StoredRecord, body: Record<string, unknown>, parents: StoredRecord[]): void {
  // The key identifies the record (upsert, nested lines); it is never changed.
  const { [def.keyAttr]: _key, ...changes } = body;
  const { attrs, children } = splitBody(def, changes, false);
  Object.assign(r.attrs, attrs);
  for (const [childName, items] of Object.entries(children)) {
    const childDef = def.children?.[childName] as ResourceDef;
    const list = (r.children[childName] ??= []);
    for (const item of items) {
      const existing = list.find((c) => c.attrs[childDef.keyAttr] === item[childDef.keyAttr]);
      if (existing) updateRecord(ctx, childDef, existing, item, [...parents, r]);
      else list.push(createRecord(ctx, childDef, childName, item, list, [...parents, r]));
    }
  }
  ctx.store.touch(r, ctx.now());
  for (const p of parents) ctx.store.touch(p, ctx.now());
}

function runAction(ctx: RouterContext, req: ApiRequest, target: CollectionTarget | ItemTarget, action: string): ApiResult {
  requireType(req, [ACTION_TYPE]);
  const params = bodyObject(req);
  const result = (value: unknown): ApiResult => ({ status: 200, headers: { 'content-type': 'application/vnd.oracle.adf.actionresult+json' }, body: { result: value } });
  if (target.kind === 'collection' && target.name === 'invoices' && action === 'validateInvoice') {
    const invoice = target.list.find((r) => r.attrs.InvoiceNumber === params.InvoiceNumber && r.attrs.BusinessUnit === params.BusinessUnit);
    if (!invoice) throw bad(`No invoice ${String(params.InvoiceNumber)} exists in business unit ${String(params.BusinessUnit)}.`, 'AP-810500');
    invoice.attrs.ValidationStatus = 'Validated';
    ctx.store.touch(invoice, ctx.now());
    return result('SUCCESS');
  }
  if (target.kind === 'item' && target.name === 'purchaseOrders' && action === 'acknowledge') {
    const response = params.AcknowledgmentResponse;
    if (response !== 'ACCEPT' && response !== 'REJECT') throw bad('AcknowledgmentResponse must be ACCEPT or REJECT.', 'PO-2055');
    if (target.record.attrs.AcknowledgmentStatus) throw bad('The purchase order has already been acknowledged.', 'PO-2056');
    target.record.attrs.AcknowledgmentStatus = response === 'ACCEPT' ? 'Accepted' : 'Rejected';
    if (params.Note !== undefined) target.record.attrs.AcknowledgmentNote = params.Note;
    ctx.store.touch(target.record, ctx.now());
    return result('SUCCESS');
  }
  throw new OracleEmulatorError(404, `The action ${action} does not exist on ${target.name}.`);
}

/** Routes one API request against the store. */
export function routeApi(ctx: RouterContext, req: ApiRequest): ApiResult {
  const { target, action } = resolve(ctx, req);
  if (action !== undefined) {
    if (req.method !== 'POST') throw new OracleEmulatorError(405, 'Actions are invoked with POST.');
    return runAction(ctx, req, target, action);
  }
  if (req.method === 'GET') return target.kind === 'collection' ? listCollection(ctx, req, target) : itemResult(ctx, req, target);
  if (!target.def.writable) throw new OracleEmulatorError(405, `The method ${req.method} is not allowed on ${target.name}.`);
  if (req.method === 'POST' && target.kind === 'collection') {
    requireType(req, ITEM_TYPES);
    const parents = target.parent ? [target.parent] : [];
    const created = createRecord(ctx, target.def, target.name, bodyObject(req), target.list, parents);
    target.list.push(created);
    for (const p of parents) ctx.store.touch(p, ctx.now());
    const urlKey = ctx.store.urlKeyOf(target.def, created, target.keyPath);
    return itemResult(ctx, req, { kind: 'item', def: target.def, name: target.name, record: created, list: target.list, href: `${target.href}/${urlKey}`, keyPath: `${target.keyPath}/${urlKey}`, urlKey, parents }, 201);
  }
  if (req.method === 'PATCH' && target.kind === 'item') {
    requireType(req, ITEM_TYPES);
    checkIfMatch(ctx, req, target);
    updateRecord(ctx, target.def, target.record, bodyObject(req), target.parents);
    return itemResult(ctx, req, target);
  }
  if (req.method === 'PATCH' && target.kind === 'collection' && req.headers.get('upsert-mode') === 'true') {
    requireType(req, ITEM_TYPES);
    const body = bodyObject(req);
    const key = body[target.def.keyAttr];
    const existing = key === undefined ? undefined : target.list.find((r) => r.attrs[target.def.keyAttr] === key);
    if (!existing) {
      const { [target.def.keyAttr]: _key, ...rest } = body;
      const created = createRecord(ctx, target.def, target.name, rest, target.list, []);
      target.list.push(created);
      const urlKey = ctx.store.urlKeyOf(target.def, created, target.keyPath);
      return itemResult(ctx, req, { kind: 'item', def: target.def, name: target.name, record: created, list: target.list, href: `${target.href}/${urlKey}`, keyPath: `${target.keyPath}/${urlKey}`, urlKey, parents: [] }, 201);
    }
    updateRecord(ctx, target.def, existing, body, []);
    const urlKey = ctx.store.urlKeyOf(target.def, existing, target.keyPath);
    return itemResult(ctx, req, { kind: 'item', def: target.def, name: target.name, record: existing, list: target.list, href: `${target.href}/${urlKey}`, keyPath: `${target.keyPath}/${urlKey}`, urlKey, parents: [] });
  }
  throw new OracleEmulatorError(405, `The method ${req.method} is not allowed on this ${target.kind}.`);
}
