// In-memory fakes for the sync engine tests: a change-feed source with a numeric cursor and a target that keeps
// documents in a Map, finds them by natural key, and fails on demand.
import {
  AuthenticationError,
  type HttpErrorInit,
  OutcomeUnknownError,
  RateLimitError,
  ValidationError,
} from '@ml-connector/core';
import {
  CheckpointUnreadableError,
  DataError,
  contentHash,
  type FieldChange,
  type ReferenceStatus,
  type SourcePage,
  type SyncFlow,
  type SyncSource,
  type SyncTarget,
  type TargetDocument,
  type WriteResult,
} from '@ml-connector/core/sync';

export interface Invoice {
  readonly id: string;
  readonly version: number;
  readonly vendor: string;
  readonly number: string;
  readonly amount: number;
  /** Source GL code; the flow maps it to a target account. */
  readonly gl: string;
  readonly apiPassword?: string;
}

export interface InvoiceDoc {
  readonly vendor: string;
  readonly number: string;
  readonly amount: number;
  readonly account: string;
  readonly [field: string]: unknown;
}

const init = (method = 'POST'): HttpErrorInit => ({ method, url: 'http://127.0.0.1/api/invoices' });
export const rateLimited = () => new RateLimitError('Too many requests', { ...init(), status: 429 });
export const outcomeUnknown = () => new OutcomeUnknownError('Connection reset after the request was sent', init());
export const unauthorized = () => new AuthenticationError('Unauthorized', { ...init(), status: 401 });
export const rejected = () => new ValidationError('Amount must be positive', { ...init(), status: 400 });

export const invoice = (id: string, fields: Partial<Invoice> = {}): Invoice => ({
  id, version: 1, vendor: 'V1', number: `INV-${id}`, amount: 100, gl: '6000', ...fields,
});

/** A change feed: every put appends; the cursor is the position after the last entry read. */
export class FakeSource implements SyncSource<Invoice> {
  readonly system = 'jaggaer';
  readonly stream = 'approved-invoices';
  query: unknown = { status: 'approved' };
  pageSize = 2;
  readonly log: Invoice[] = [];
  readonly reads: (string | undefined)[] = [];
  /** Called before each page is yielded (tests abort from here). */
  onPage: ((index: number) => void) | undefined;

  constructor(records: readonly Invoice[] = []) {
    for (const record of records) this.put(record);
  }

  put(record: Invoice): void {
    this.log.push(record);
  }

  latest(id: string): Invoice | undefined {
    return this.log.findLast((record) => record.id === id);
  }

  async *read(cursor: string | undefined): AsyncIterable<SourcePage<Invoice>> {
    this.reads.push(cursor);
    if (cursor !== undefined && !/^\d+$/.test(cursor)) throw new CheckpointUnreadableError(`cursor ${cursor} is not a position`);
    let position = cursor === undefined ? 0 : Number(cursor);
    let index = 0;
    while (position < this.log.length) {
      const records = this.log.slice(position, position + this.pageSize);
      position += records.length;
      this.onPage?.(index++);
      yield { records, cursor: String(position) };
    }
  }

  async fetch(id: string): Promise<Invoice | undefined> {
    return this.latest(id);
  }

  identify(record: Invoice) {
    return { id: record.id, version: String(record.version), businessIds: [record.number, record.vendor] };
  }
}

interface StoredDoc {
  payload: InvoiceDoc;
  version: number;
  locked: boolean;
}

/** A failure the target throws on its next matching write. `afterWrite`: the document is stored first. */
export interface InjectedFailure {
  readonly op: 'create' | 'update';
  readonly error: () => unknown;
  readonly afterWrite?: boolean;
  /** Only for this document number. */
  readonly number?: string;
  /** A write that never answers: the process dies while waiting (with `afterWrite`, after the target stored it). */
  readonly hang?: boolean;
  /** With `afterWrite`: the fields the target stored differently (a write of several requests that landed in part). */
  readonly landed?: Partial<InvoiceDoc>;
}

export class FakeTarget implements SyncTarget<InvoiceDoc> {
  readonly system = 'business-central';
  readonly docs = new Map<string, StoredDoc>();
  readonly failures: InjectedFailure[] = [];
  readonly calls = { create: 0, update: 0, find: 0, get: 0 };
  readonly resolverCalls: { kind: string; keys: readonly string[] }[] = [];
  readonly vendors = new Map<string, ReferenceStatus>([['V1', { exists: true, usable: true }], ['V2', { exists: true, usable: true }]]);
  readonly accounts = new Map<string, ReferenceStatus>([['A-6000', { exists: true, usable: true }], ['A-7000', { exists: true, usable: true }]]);
  /** Writes that never answered. */
  hangs = 0;
  /** When true, an update whose payload the document already holds sends nothing and says `unchanged`. */
  reportUnchanged = false;
  private nextId = 1;

  naturalKey(payload: InvoiceDoc): string {
    return `${payload.vendor}/${payload.number}`;
  }

  references(payload: InvoiceDoc) {
    return [
      { kind: 'vendor', key: payload.vendor, field: 'vendor' },
      { kind: 'account', key: payload.account, field: 'account' },
    ];
  }

  readonly resolvers = {
    vendor: async (keys: readonly string[]) => this.resolve('vendor', keys, this.vendors),
    account: async (keys: readonly string[]) => this.resolve('account', keys, this.accounts),
  };

  private resolve(kind: string, keys: readonly string[], table: Map<string, ReferenceStatus>): ReadonlyMap<string, ReferenceStatus> {
    this.resolverCalls.push({ kind, keys: [...keys] });
    return new Map(keys.flatMap((key) => (table.has(key) ? [[key, table.get(key) as ReferenceStatus] as const] : [])));
  }

  byNumber(number: string): [string, StoredDoc][] {
    return [...this.docs].filter(([, doc]) => doc.payload.number === number);
  }

  lock(number: string): void {
    for (const [, doc] of this.byNumber(number)) doc.locked = true;
  }

  private view(id: string, doc: StoredDoc): TargetDocument {
    return { id, version: `W/"${doc.version}"`, locked: doc.locked, lockedReason: doc.locked ? 'posted' : undefined, snapshot: { ...doc.payload } };
  }

  private async maybeFail(op: 'create' | 'update', payload: InvoiceDoc, write: (landed?: Partial<InvoiceDoc>) => void): Promise<void> {
    const index = this.failures.findIndex((f) => f.op === op && (f.number === undefined || f.number === payload.number));
    const failure = index >= 0 ? this.failures.splice(index, 1)[0] : undefined;
    if (!failure) return write();
    if (failure.afterWrite) write(failure.landed);
    if (failure.hang) {
      this.hangs++;
      await new Promise(() => {});
    }
    throw failure.error();
  }

  async find(payload: InvoiceDoc): Promise<TargetDocument | undefined> {
    this.calls.find++;
    const key = this.naturalKey(payload);
    const found = [...this.docs].find(([, doc]) => this.naturalKey(doc.payload) === key);
    return found && this.view(...found);
  }

  async get(id: string): Promise<TargetDocument | undefined> {
    this.calls.get++;
    const doc = this.docs.get(id);
    return doc && this.view(id, doc);
  }

  async create(payload: InvoiceDoc): Promise<WriteResult> {
    this.calls.create++;
    const id = `doc-${this.nextId++}`;
    await this.maybeFail('create', payload, (landed) => void this.docs.set(id, { payload: { ...payload, ...landed }, version: 1, locked: false }));
    return { document: this.view(id, this.docs.get(id) as StoredDoc), requestId: `req-${id}` };
  }

  async update(current: TargetDocument, payload: InvoiceDoc): Promise<WriteResult> {
    this.calls.update++;
    const doc = this.docs.get(current.id);
    if (!doc) throw new Error(`no document ${current.id}`);
    if (doc.locked) throw new Error(`document ${current.id} is posted: the engine must never update it`);
    if (this.reportUnchanged && contentHash(doc.payload) === contentHash(payload)) return { document: this.view(current.id, doc), unchanged: true };
    await this.maybeFail('update', payload, () => {
      doc.payload = { ...payload };
      doc.version++;
    });
    return { document: this.view(current.id, doc), requestId: `req-${current.id}-v${doc.version}` };
  }

  diff(current: TargetDocument | undefined, payload: InvoiceDoc): FieldChange[] {
    const before = current?.snapshot ?? {};
    return Object.keys(payload)
      .filter((path) => before[path] !== payload[path])
      .map((path) => ({ path, before: before[path], after: payload[path] }));
  }
}

/** GL code → account, editable by tests (a missing entry is a missing mapping). */
export type AccountMapping = Map<string, string>;

export function invoiceFlow(source: FakeSource, target: FakeTarget, accounts: AccountMapping = new Map([['6000', 'A-6000'], ['7000', 'A-7000']])): SyncFlow<Invoice, InvoiceDoc> {
  return {
    name: 'bc-invoices',
    source,
    target,
    mappingVersion: 'v1',
    map(record) {
      const account = accounts.get(record.gl);
      if (!account) throw new DataError('missing-mapping', `GL code ${record.gl} has no account mapping`, { field: 'gl' });
      return { vendor: record.vendor, number: record.number, amount: record.amount, account };
    },
  };
}

/** A controllable clock. */
export function fakeClock(start = Date.parse('2026-01-01T00:00:00Z')) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}
