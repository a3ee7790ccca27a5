import {
  type BusinessEvent,
  createBusinessEventHandler,
  isBusinessEventValidationError,
  isRecordNotReadableError,
  parseBusinessEvent,
  parseBusinessEventMessage,
  resolveBusinessEvent,
} from '@ml-connector/d365-fo';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHarness, settle } from '../helpers.js';

const ENDPOINT = 'http://127.0.0.1:7071/api/fo-events?code=s3cret';

function wire(onEvent: (event: BusinessEvent) => Promise<void> | void) {
  const handler = createBusinessEventHandler({ secret: 's3cret', onEvent });
  const endpointFetch: typeof fetch = async (input, init) => handler(new Request(input as RequestInfo, init));
  return { handler, endpointFetch };
}

const sample = { BusinessEventId: 'VendorInvoicePostedBusinessEvent', BusinessEventLegalEntity: 'USMF', ControlNumber: 5637144577, EventId: 'A1B2', EventTime: '/Date(1767225600000)/', MajorVersion: 0, MinorVersion: 0, VendorAccount: 'V00001', InvoiceNumber: 'X' };


describe('business events', () => {
  afterEach(() => vi.useRealTimers());

  it('parses the envelope, its /Date(ms)/ time and queue wrappers; rejects bad fields by name', () => {
    const event = parseBusinessEvent(JSON.stringify(sample));
    expect(event).toMatchObject({ id: 'VendorInvoicePostedBusinessEvent', controlNumber: '5637144577', legalEntity: 'usmf', version: { major: 0, minor: 0 } });
    expect(event.eventTime.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(parseBusinessEventMessage({ body: new TextEncoder().encode(JSON.stringify(sample)) }).controlNumber).toBe('5637144577');
    expect(parseBusinessEventMessage({ data: sample, eventType: 'x' }).eventId).toBe('A1B2');
    const bad = (() => {
      try {
        parseBusinessEvent({ ...sample, EventTime: '2026-01-01' });
      } catch (error) {
        return error;
      }
    })();
    expect(isBusinessEventValidationError(bad) && (bad as Error).message).toContain('EventTime');
  });

  it('round-trips any millisecond time through the WCF date form (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), (ms) => parseBusinessEvent({ ...sample, EventTime: `/Date(${ms})/` }).eventTime.getTime() === ms));
  });

  it('checks the endpoint secret, dedupes a duplicate delivery by ControlNumber and retries after a failure', async () => {
    const seen: string[] = [];
    let fail = true;
    const { handler } = wire((event) => {
      if (fail) {
        fail = false;
        throw new Error('downstream down');
      }
      seen.push(event.controlNumber);
    });
    const post = (url: string) => handler(new Request(url, { method: 'POST', body: JSON.stringify(sample) }));
    expect((await post('http://127.0.0.1/e?code=wrong')).status).toBe(401);
    expect((await post(ENDPOINT)).status).toBe(500);
    expect(await (await post(ENDPOINT)).json()).toMatchObject({ status: 'processed' });
    expect(await (await post(ENDPOINT)).json()).toMatchObject({ status: 'duplicate' });
    expect(seen).toEqual(['5637144577']);
    expect((await handler(new Request(ENDPOINT, { method: 'POST', body: '{' }))).status).toBe(400);
  });

  it('receives the sandbox duplicate deliveries once and resolves a posted invoice', async () => {
    const events: BusinessEvent[] = [];
    const { endpointFetch } = wire((event) => void events.push(event));
    const h = createHarness({ businessEvents: { url: ENDPOINT, fetch: endpointFetch, duplicateEvery: 1 } });
    const usmf = h.client.legalEntity('usmf');
    await usmf.vendorInvoices.createWithLines({ HeaderReference: 'E-1', InvoiceNumber: 'SUP-E1', VendorAccount: 'V00002', InvoiceDate: '2026-01-02T00:00:00Z', Currency: 'USD' }, [{ InvoiceLineNumber: 1, ReceiveNow: 1, UnitPrice: 3, Amount: 3, MainAccountDisplayValue: '8110-ADM' }]);
    await h.sandbox.postInvoice('usmf', 'E-1');
    expect(h.sandbox.businessEventDeliveries.filter((d) => d.duplicate)).toHaveLength(1);
    expect(events).toHaveLength(1);
    const resolved = await resolveBusinessEvent(h.client, events[0]!);
    expect(resolved.kind === 'vendorInvoicePosted' && resolved.invoice.InvoiceAmount).toBe(3);
  });

  it('waits with backoff for a record that is not readable yet when its event arrives', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 0, 1) });
    const events: BusinessEvent[] = [];
    const { endpointFetch } = wire((event) => void events.push(event));
    const h = createHarness({ businessEvents: { url: ENDPOINT, fetch: endpointFetch } });
    await settle(h.sandbox.confirmPurchaseOrder('usmf', 'PO-00004', { visibleAfterMs: 5_000 }));
    expect(events[0]?.id).toBe('PurchaseOrderConfirmedBusinessEvent');
    const resolved = await settle(resolveBusinessEvent(h.client, events[0]!, { initialDelayMs: 1000 }));
    expect(resolved.kind === 'purchaseOrderConfirmed' && resolved.purchaseOrder.PurchaseOrderNumber).toBe('PO-00004');
    const reads = h.apiRequests().filter((r) => r.url.pathname.includes('PurchaseOrderHeadersV2'));
    expect(reads.length).toBeGreaterThanOrEqual(3);
    await settle(h.sandbox.confirmPurchaseOrder('usmf', 'PO-00008', { visibleAfterMs: 10_000_000 }));
    const never = await settle(resolveBusinessEvent(h.client, events[1]!, { attempts: 3, initialDelayMs: 10 }).catch((e: unknown) => e));
    expect(isRecordNotReadableError(never)).toBe(true);
  });

  it('passes a rejected workflow document through', async () => {
    const events: BusinessEvent[] = [];
    const { endpointFetch } = wire((event) => void events.push(event));
    const h = createHarness({ businessEvents: { url: ENDPOINT, fetch: endpointFetch } });
    await h.sandbox.rejectWorkflowDocument('usmf', { type: 'VendorInvoice', id: 'VIH-000001', comment: 'Wrong account' });
    expect(await resolveBusinessEvent(h.client, events[0]!)).toMatchObject({ kind: 'workflowDocumentRejected', document: { id: 'VIH-000001', comment: 'Wrong account' } });
  });
});
