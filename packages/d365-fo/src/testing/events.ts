/**
 * Business event delivery to an HTTPS endpoint (loopback in tests). The envelope follows public payload samples
 * (api-facts.md §1): `BusinessEventId`, `BusinessEventLegalEntity`, `ContextRecordSubject`, `ControlNumber`
 * (increasing, gappy), `EventId` (upper-case GUID), `EventTime` (`/Date(ms)/`), `EventTimeIso8601`,
 * `InitiatingUserAADObjectId`, `MajorVersion`, `MinorVersion`, `ParentContextRecordSubjects`. The event ids and
 * event-specific fields are UNCONFIRMED. F&O retries a failed send 3 times, 1 s apart (FODOCS home-page.md).
 */
import { randomUUID } from 'node:crypto';

/** Business events the sandbox raises. */
export type BusinessEventKind = 'PurchaseOrderConfirmed' | 'VendorInvoicePosted' | 'WorkflowDocumentRejected';

/** Endpoint settings. */
export interface BusinessEventEndpointOptions {
  /** Endpoint URL, e.g. `http://127.0.0.1:4000/fo-events?code=secret` (the secret travels in the URL, as for Azure Functions). */
  url: string;
  /** `fetch` used to deliver (e.g. a handler's in-process fetch). Default global fetch. */
  fetch?: typeof fetch;
  /** Deliver every n-th event twice (at-least-once delivery). Default never. */
  duplicateEvery?: number;
  /** Attempts after a failed send. Default 3. */
  retries?: number;
  /** BusinessEventId per kind (UNCONFIRMED defaults `<Kind>BusinessEvent`). */
  eventIds?: Partial<Record<BusinessEventKind, string>>;
}

/** One delivery attempt. */
export interface BusinessEventDelivery {
  /** The envelope sent. */
  payload: Record<string, unknown>;
  /** HTTP status received, or `undefined` when the send failed. */
  status: number | undefined;
  /** True for a deliberate duplicate. */
  duplicate: boolean;
}

/** Raises and delivers business events. */
export class BusinessEventHub {
  /** Deliveries made so far. */
  readonly deliveries: BusinessEventDelivery[] = [];
  private controlNumber = 5_637_144_576;
  private count = 0;

  constructor(
    private readonly endpoint: BusinessEventEndpointOptions | undefined,
    private readonly now: () => number,
  ) {}

  /** Raises one event; resolves when delivered (or given up). Without an endpoint the event is only recorded. */
  async raise(kind: BusinessEventKind, legalEntity: string, fields: Record<string, unknown>): Promise<void> {
    this.controlNumber += 1 + (this.count % 3);
    this.count++;
    const time = this.now();
    const payload: Record<string, unknown> = {
      BusinessEventId: this.endpoint?.eventIds?.[kind] ?? `${kind}BusinessEvent`,
      BusinessEventLegalEntity: legalEntity.toUpperCase(),
      ContextRecordSubject: '',
      ControlNumber: this.controlNumber,
      EventId: randomUUID().toUpperCase(),
      EventTime: `/Date(${time})/`,
      EventTimeIso8601: new Date(time).toISOString(),
      InitiatingUserAADObjectId: `{${randomUUID().toUpperCase()}}`,
      MajorVersion: 0,
      MinorVersion: 0,
      ParentContextRecordSubjects: [],
      ...fields,
    };
    await this.deliver(payload, false);
    const every = this.endpoint?.duplicateEvery;
    if (every !== undefined && every > 0 && this.count % every === 0) await this.deliver(payload, true);
  }

  private async deliver(payload: Record<string, unknown>, duplicate: boolean): Promise<void> {
    const endpoint = this.endpoint;
    if (!endpoint) {
      this.deliveries.push({ payload, status: undefined, duplicate });
      return;
    }
    const send = endpoint.fetch ?? fetch;
    for (let attempt = 0; attempt <= (endpoint.retries ?? 3); attempt++) {
      let status: number | undefined;
      try {
        const response = await send(endpoint.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
        status = response.status;
        await response.arrayBuffer().catch(() => undefined);
      } catch {
        status = undefined;
      }
      this.deliveries.push({ payload, status, duplicate });
      if (status !== undefined && status >= 200 && status < 300) return;
    }
  }
}
