/**
 * F&O business events: envelope parsing and validation, an HTTPS endpoint handler (framework-agnostic
 * `Request → Response`), a queue-message parser, deduplication by `ControlNumber`, and resolution of the
 * lightweight event to its full record over OData, waiting with backoff while the record is not readable yet.
 *
 * Facts (api-facts.md §1): the envelope carries `BusinessEventId`, `BusinessEventLegalEntity`, `ControlNumber`
 * (increasing but gappy, for dedupe), `EventId`, `EventTime` (`/Date(ms)/`), `MajorVersion`, `MinorVersion`;
 * payloads are intentionally small, so consumers re-read details over OData. The exact event ids and the
 * event-specific fields of the three events below are UNCONFIRMED (override {@link BUSINESS_EVENT_IDS}).
 */
import { timingSafeEqual } from 'node:crypto';
import { InvalidInputError, type SecretSource, hasErrorKind, pollUntil } from '@ml-connector/core';
import { z } from 'zod';
import type { FinanceOperationsClient } from './client.js';
import { RecordNotReadableError } from './errors.js';
import type { PostedVendorInvoice, PurchaseOrderHeader } from './schemas/purchasing.js';

/** BusinessEventIds of the events this package resolves (UNCONFIRMED; F&O names them `<Noun><Verb>BusinessEvent`). */
export const BUSINESS_EVENT_IDS = Object.freeze({
  purchaseOrderConfirmed: 'PurchaseOrderConfirmedBusinessEvent',
  vendorInvoicePosted: 'VendorInvoicePostedBusinessEvent',
  workflowDocumentRejected: 'WorkflowDocumentRejectedBusinessEvent',
});

const WCF_DATE = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/;

/** zod schema of the business event envelope; event-specific fields pass through. */
export const businessEventEnvelopeSchema = z.looseObject({
  BusinessEventId: z.string().min(1),
  BusinessEventLegalEntity: z.string(),
  ControlNumber: z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]),
  EventId: z.string().min(1),
  EventTime: z.string().regex(WCF_DATE, 'EventTime must be a WCF date like /Date(1700000000000)/'),
  MajorVersion: z.number().int().nonnegative(),
  MinorVersion: z.number().int().nonnegative(),
  ContextRecordSubject: z.string().optional(),
  EventTimeIso8601: z.string().optional(),
  InitiatingUserAADObjectId: z.string().optional(),
});

/** A validated business event. */
export interface BusinessEvent {
  /** `BusinessEventId`, e.g. `VendorInvoicePostedBusinessEvent`. */
  readonly id: string;
  /** `ControlNumber` as a decimal string (it can exceed 2^53 in principle). */
  readonly controlNumber: string;
  /** `EventId`. */
  readonly eventId: string;
  /** `EventTime` decoded. */
  readonly eventTime: Date;
  /** `BusinessEventLegalEntity`, lower-cased like `dataAreaId` (blank for events without one). */
  readonly legalEntity: string;
  /** `MajorVersion`.`MinorVersion`. */
  readonly version: { major: number; minor: number };
  /** The whole payload, including event-specific fields. */
  readonly payload: Readonly<Record<string, unknown>>;
}

/** Thrown for a payload that is not a valid business event; says which field is wrong. */
export class BusinessEventValidationError extends InvalidInputError {}

/** True for a {@link BusinessEventValidationError}. */
export function isBusinessEventValidationError(error: unknown): error is BusinessEventValidationError {
  return hasErrorKind(error, 'BusinessEventValidationError');
}

/** Parses and validates a business event payload (an object or its JSON text). */
export function parseBusinessEvent(input: unknown): BusinessEvent {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      throw new BusinessEventValidationError('The business event payload is not valid JSON', { field: 'payload' });
    }
  }
  const result = businessEventEnvelopeSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue?.path.join('.') || 'payload';
    throw new BusinessEventValidationError(`Invalid business event: ${field}: ${issue?.message ?? 'invalid'}`, { field });
  }
  const data = result.data;
  const [, ms] = WCF_DATE.exec(data.EventTime) as RegExpExecArray;
  return {
    id: data.BusinessEventId,
    controlNumber: String(data.ControlNumber),
    eventId: data.EventId,
    eventTime: new Date(Number(ms)),
    legalEntity: data.BusinessEventLegalEntity.toLowerCase(),
    version: { major: data.MajorVersion, minor: data.MinorVersion },
    payload: data,
  };
}

/**
 * Parses a queue message (Service Bus queue/topic, Event Grid, Event Hub): the body as text, bytes, a parsed
 * object, or a `{ body }` / Event Grid `{ data }` wrapper.
 */
export function parseBusinessEventMessage(message: unknown): BusinessEvent {
  let body = message;
  if (typeof body === 'object' && body !== null && !(body instanceof Uint8Array)) {
    const record = body as Record<string, unknown>;
    if ('body' in record) body = record.body;
    else if ('data' in record && !('BusinessEventId' in record)) body = record.data;
  }
  if (body instanceof Uint8Array) body = new TextDecoder().decode(body);
  return parseBusinessEvent(body);
}

/** Remembers processed `ControlNumber`s. Implement it over a database for several processes. */
export interface ProcessedEventStore {
  /** Claims a control number; false when it was claimed (processed or in progress) before. */
  claim(controlNumber: string): Promise<boolean>;
  /** Releases a claim after a failure, so a redelivery is processed again. */
  release(controlNumber: string): Promise<void>;
}

/** An in-memory {@link ProcessedEventStore} (one process; forgets on restart). Keeps at most `maxEntries`. */
export function createMemoryEventStore(maxEntries = 100_000): ProcessedEventStore {
  const seen = new Set<string>();
  return {
    async claim(controlNumber) {
      if (seen.has(controlNumber)) return false;
      seen.add(controlNumber);
      if (seen.size > maxEntries) seen.delete(seen.values().next().value as string);
      return true;
    },
    async release(controlNumber) {
      seen.delete(controlNumber);
    },
  };
}

/** Options of {@link createBusinessEventHandler}. */
export interface BusinessEventHandlerOptions {
  /**
   * The endpoint secret. F&O's HTTPS endpoint posts to a URL kept in Key Vault, so the secret travels in that
   * URL (e.g. an Azure Functions `?code=`); the handler compares it in constant time. Omit only behind another
   * authentication layer.
   */
  secret?: SecretSource;
  /** Query parameter carrying the secret. Default `code`. */
  secretParameter?: string;
  /** Header carrying the secret instead (checked when present). */
  secretHeader?: string;
  /** Dedupe store. Default {@link createMemoryEventStore}. */
  store?: ProcessedEventStore;
  /** Largest accepted body in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Handles a new (not duplicate) event; throwing answers 500 so F&O retries. */
  onEvent(event: BusinessEvent): Promise<void> | void;
}

const reply = (status: number, body: Record<string, unknown>) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function sameSecret(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A framework-agnostic business event endpoint: `POST` only, checks the endpoint secret, validates the
 * envelope (400 with the field at fault), drops duplicates by `ControlNumber` (200 `duplicate`), and calls
 * `onEvent` for new events (200 `processed`; 500 when it throws, releasing the claim so a retry is processed).
 */
export function createBusinessEventHandler(options: BusinessEventHandlerOptions): (request: Request) => Promise<Response> {
  if (typeof options?.onEvent !== 'function') throw new InvalidInputError('createBusinessEventHandler needs onEvent(event)', { field: 'onEvent' });
  const store = options.store ?? createMemoryEventStore();
  const maxBodyBytes = options.maxBodyBytes ?? 1_048_576;
  return async (request) => {
    if (request.method !== 'POST') return reply(405, { error: 'method not allowed' });
    if (options.secret !== undefined) {
      const expected = typeof options.secret === 'function' ? await options.secret() : options.secret;
      const given = options.secretHeader ? request.headers.get(options.secretHeader) : new URL(request.url).searchParams.get(options.secretParameter ?? 'code');
      if (!sameSecret(given, expected)) return reply(401, { error: 'invalid endpoint secret' });
    }
    const text = await request.text();
    if (Buffer.byteLength(text) > maxBodyBytes) return reply(413, { error: 'payload too large' });
    let event: BusinessEvent;
    try {
      event = parseBusinessEvent(text);
    } catch (error) {
      return reply(400, { error: (error as Error).message });
    }
    if (!(await store.claim(event.controlNumber))) return reply(200, { status: 'duplicate', controlNumber: event.controlNumber });
    try {
      await options.onEvent(event);
    } catch {
      await store.release(event.controlNumber);
      return reply(500, { error: 'event handling failed; retry', controlNumber: event.controlNumber });
    }
    return reply(200, { status: 'processed', controlNumber: event.controlNumber });
  };
}

/** Backoff settings of {@link resolveBusinessEvent}. */
export interface ResolveOptions {
  /** Attempts before giving up with {@link RecordNotReadableError}. Default 6. */
  attempts?: number;
  /** First wait in ms, doubled each time. Default 1000. */
  initialDelayMs?: number;
  /** Largest wait in ms. Default 30000. */
  maxDelayMs?: number;
  /** Cancels the waiting. */
  signal?: AbortSignal;
  /** Event ids to recognise. Default {@link BUSINESS_EVENT_IDS}. */
  eventIds?: Partial<typeof BUSINESS_EVENT_IDS>;
}

/** A business event resolved to its record. */
export type ResolvedBusinessEvent =
  | { kind: 'purchaseOrderConfirmed'; event: BusinessEvent; purchaseOrder: PurchaseOrderHeader }
  | { kind: 'vendorInvoicePosted'; event: BusinessEvent; invoice: PostedVendorInvoice }
  | { kind: 'workflowDocumentRejected'; event: BusinessEvent; document: { type: string; id: string; comment: string } }
  | { kind: 'other'; event: BusinessEvent };

function field(event: BusinessEvent, name: string): string {
  const value = event.payload[name];
  if (typeof value !== 'string' || value === '') throw new BusinessEventValidationError(`${event.id} needs a ${name} field to resolve its record`, { field: name });
  return value;
}

/**
 * Resolves an event to its full record over OData. A record that is not readable yet (the event can arrive
 * before the transaction is visible) is read again with exponential backoff.
 */
export async function resolveBusinessEvent(client: FinanceOperationsClient, event: BusinessEvent, options: ResolveOptions = {}): Promise<ResolvedBusinessEvent> {
  const ids = { ...BUSINESS_EVENT_IDS, ...options.eventIds };
  const attempts = options.attempts ?? 6;
  const wait = async <T>(what: string, read: () => Promise<T | undefined>): Promise<T> => {
    const polled = await pollUntil(read, {
      intervalMs: options.initialDelayMs ?? 1000,
      backoffFactor: 2,
      maxIntervalMs: options.maxDelayMs ?? 30_000,
      maxAttempts: attempts,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (polled.done) return polled.value;
    throw new RecordNotReadableError(what, attempts);
  };
  if (event.id === ids.purchaseOrderConfirmed) {
    const number = field(event, 'PurchaseOrderNumber');
    const orders = client.legalEntity(event.legalEntity).purchaseOrderHeaders;
    const purchaseOrder = await wait(`Purchase order ${number}`, async () => {
      const order = await orders.find({ PurchaseOrderNumber: number });
      return order?.DocumentApprovalStatus === 'Confirmed' ? order : undefined;
    });
    return { kind: 'purchaseOrderConfirmed', event, purchaseOrder };
  }
  if (event.id === ids.vendorInvoicePosted) {
    const vendor = field(event, 'VendorAccount');
    const number = field(event, 'InvoiceNumber');
    const invoices = client.legalEntity(event.legalEntity).vendorInvoices;
    const invoice = await wait(`Posted vendor invoice ${number}`, async () => {
      const lookup = await invoices.findByInvoiceNumber(vendor, number);
      return lookup.state === 'posted' ? lookup.invoice : undefined;
    });
    return { kind: 'vendorInvoicePosted', event, invoice };
  }
  if (event.id === ids.workflowDocumentRejected) {
    return { kind: 'workflowDocumentRejected', event, document: { type: field(event, 'DocumentType'), id: field(event, 'DocumentId'), comment: String(event.payload.Comment ?? '') } };
  }
  return { kind: 'other', event };
}
