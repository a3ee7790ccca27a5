import { BUSINESS_EVENT_IDS, isRecordNotReadableError, resolveBusinessEvent, type BusinessEvent, type FinanceOperationsClient, type ResolveOptions } from '@ml-connector/d365-fo';
import { CheckpointUnreadableError, DataError, contentHash, type SourceIdentity, type SourcePage, type SyncSource } from '@ml-connector/core/sync';
import type { EventInbox } from './inbox.ts';

/** The business event kinds this flow turns into Jira issues. */
export type FoDocumentKind = 'vendorInvoicePosted' | 'purchaseOrderConfirmed' | 'workflowDocumentRejected';

/** A business event resolved over OData to the document it is about. */
export interface FoDocumentEvent {
  readonly kind: FoDocumentKind;
  /** Legal entity (`dataAreaId`). */
  readonly legalEntity: string;
  /** Stable key of the document across events: `<legal entity>/<kind>/<vendor>/<number>`; the Jira key field holds it. */
  readonly documentKey: string;
  readonly documentNumber: string;
  readonly vendor: string;
  readonly amount?: number;
  readonly currency?: string;
  /** Link back to the record in the F&O client. */
  readonly link: string;
  /** Rejection comment (workflow document rejected). */
  readonly comment?: string;
  /** `ControlNumber` of the event that produced this record. */
  readonly controlNumber: string;
}

/** Options of {@link createBusinessEventSource}. */
export interface BusinessEventSourceOptions {
  readonly inbox: EventInbox;
  /** Events per page. @default 100 */
  readonly pageSize?: number;
  /** Event ids to recognise. @default the F&O client's `BUSINESS_EVENT_IDS` */
  readonly eventIds?: Partial<typeof BUSINESS_EVENT_IDS>;
}

const CURSOR_PREFIX = 'fo-jira:v1:';

/** Deep link into the F&O web client (`?cmp=<company>&mi=<menu item>`). The menu item names are the standard ones. */
export function foRecordLink(environmentUrl: string, legalEntity: string, menuItem: string, number: string): string {
  const url = new URL(environmentUrl.replace(/\/data\/?$/, '').replace(/\/$/, '') + '/');
  url.searchParams.set('cmp', legalEntity.toUpperCase());
  url.searchParams.set('mi', menuItem);
  url.searchParams.set('q', number);
  return url.toString();
}

/** Turns one event into its document over OData (with the F&O client's backoff); `undefined` for event kinds the flow ignores. */
export async function resolveDocumentEvent(fo: FinanceOperationsClient, event: BusinessEvent, environmentUrl: string, options: ResolveOptions = {}): Promise<FoDocumentEvent | undefined> {
  let resolved;
  try {
    resolved = await resolveBusinessEvent(fo, event, options);
  } catch (error) {
    // The record never became readable: a data problem for review (replay once it is there), not a crash.
    if (isRecordNotReadableError(error)) throw new DataError('record-not-readable', (error as Error).message, { cause: error });
    throw error;
  }
  const entity = event.legalEntity;
  switch (resolved.kind) {
    case 'vendorInvoicePosted': {
      const invoice = resolved.invoice as Record<string, unknown>;
      const number = String(invoice['InvoiceId'] ?? '');
      const vendor = String(invoice['InvoiceAccount'] ?? invoice['OrderAccount'] ?? '');
      return {
        kind: 'vendorInvoicePosted', legalEntity: entity, documentKey: `${entity}/vendor-invoice/${vendor}/${number}`, documentNumber: number, vendor,
        ...(typeof invoice['InvoiceAmount'] === 'number' ? { amount: invoice['InvoiceAmount'] } : {}),
        ...(invoice['CurrencyCode'] ? { currency: String(invoice['CurrencyCode']) } : {}),
        link: foRecordLink(environmentUrl, entity, 'VendInvoiceJournal', number), controlNumber: event.controlNumber,
      };
    }
    case 'purchaseOrderConfirmed': {
      const order = resolved.purchaseOrder as Record<string, unknown>;
      const number = String(order['PurchaseOrderNumber'] ?? '');
      const vendor = String(order['OrderVendorAccountNumber'] ?? '');
      return {
        kind: 'purchaseOrderConfirmed', legalEntity: entity, documentKey: `${entity}/purchase-order/${vendor}/${number}`, documentNumber: number, vendor,
        ...(order['CurrencyCode'] ? { currency: String(order['CurrencyCode']) } : {}),
        link: foRecordLink(environmentUrl, entity, 'PurchTableListPage', number), controlNumber: event.controlNumber,
      };
    }
    case 'workflowDocumentRejected': {
      const { type, id, comment } = resolved.document;
      return {
        kind: 'workflowDocumentRejected', legalEntity: entity, documentKey: `${entity}/workflow/${type}/${id}`, documentNumber: id, vendor: String(event.payload['VendorAccount'] ?? ''),
        ...(comment ? { comment } : {}), link: foRecordLink(environmentUrl, entity, 'WorkflowWorkItemsActive', id), controlNumber: event.controlNumber,
      };
    }
    default:
      return undefined;
  }
}

/** Which document an event is about, from its envelope alone (no OData): the key the ledger and Jira use. */
export function eventDocumentKey(event: BusinessEvent, eventIds: Partial<typeof BUSINESS_EVENT_IDS> = {}): string | undefined {
  const ids = { ...BUSINESS_EVENT_IDS, ...eventIds };
  const text = (name: string) => String(event.payload[name] ?? '');
  if (event.id === ids.vendorInvoicePosted) return `${event.legalEntity}/vendor-invoice/${text('VendorAccount')}/${text('InvoiceNumber')}`;
  if (event.id === ids.purchaseOrderConfirmed) return `${event.legalEntity}/purchase-order/${text('VendorAccount')}/${text('PurchaseOrderNumber')}`;
  if (event.id === ids.workflowDocumentRejected) return `${event.legalEntity}/workflow/${text('DocumentType')}/${text('DocumentId')}`;
  return undefined;
}

/**
 * Business events from the inbox as a sync source (records are the event stubs; the mapper resolves them over
 * OData). The cursor is the inbox offset. The source id is the document key, so a later event about the same
 * document, or a re-delivery under a new `ControlNumber`, updates its issue; an unchanged one is skipped by the
 * ledger. Events of other kinds are passed over.
 */
export function createBusinessEventSource(options: BusinessEventSourceOptions): SyncSource<BusinessEvent> {
  const pageSize = options.pageSize ?? 100;
  const byKey = new Map<string, BusinessEvent>();
  return {
    system: 'd365-fo',
    stream: 'business-events',
    query: { eventIds: { ...BUSINESS_EVENT_IDS, ...options.eventIds } },
    async *read(cursor): AsyncIterable<SourcePage<BusinessEvent>> {
      let offset = 0;
      if (cursor !== undefined) {
        offset = cursor.startsWith(CURSOR_PREFIX) ? Number(cursor.slice(CURSOR_PREFIX.length)) : Number.NaN;
        if (!Number.isInteger(offset) || offset < 0) throw new CheckpointUnreadableError('the saved fo-jira inbox offset cannot be read');
      }
      for (;;) {
        const events = await options.inbox.read(offset, pageSize);
        if (events.length === 0) return;
        const records = events.filter((event) => eventDocumentKey(event, options.eventIds) !== undefined);
        for (const event of records) byKey.set(eventDocumentKey(event, options.eventIds)!, event);
        offset += events.length;
        yield { records, cursor: `${CURSOR_PREFIX}${offset}` };
        if (events.length < pageSize) return;
      }
    },
    async fetch(sourceId) {
      // Replay: the latest event about the document (F&O has no read-back of events by key): this process's, else the inbox's.
      const seen = byKey.get(sourceId);
      if (seen) return seen;
      let latest: BusinessEvent | undefined;
      for (let offset = 0; ; offset += pageSize) {
        const events = await options.inbox.read(offset, pageSize);
        for (const event of events) if (eventDocumentKey(event, options.eventIds) === sourceId) latest = event;
        if (events.length < pageSize) return latest;
      }
    },
    identify(event): SourceIdentity {
      const key = eventDocumentKey(event, options.eventIds)!;
      // Delivery details (ControlNumber, EventId, time) left out: a re-delivery of the same content is "unchanged".
      const { ControlNumber: _c, EventId: _e, EventTime: _t, EventTimeIso8601: _i, ...content } = event.payload;
      return { id: key, version: contentHash({ id: event.id, content }), businessIds: [key.split('/').at(-1)!, event.controlNumber].filter(Boolean) };
    },
  };
}
