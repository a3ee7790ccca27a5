import { afterEach, describe, expect, it } from 'vitest';
import { serveOnLoopback, type LoopbackServer } from '@ml-connector/core/testing';
import type { WebhookNotification } from '@ml-connector/business-central/testing';
import { harness, json, type ErrorEnvelope, type Row } from './helpers.js';

interface Receiver {
  server: LoopbackServer;
  url: string;
  notifications: WebhookNotification[][];
  handshakes: number;
  /** Status to answer notifications with. */
  status: number;
  next(): Promise<WebhookNotification[]>;
}

const servers: LoopbackServer[] = [];
afterEach(async () => {
  while (servers.length > 0) await servers.pop()?.close();
});

async function receiver(options: { badHandshake?: boolean } = {}): Promise<Receiver> {
  const waiters: ((value: WebhookNotification[]) => void)[] = [];
  const state = { notifications: [] as WebhookNotification[][], handshakes: 0, status: 202 };
  const server = await serveOnLoopback(async (request) => {
    const token = new URL(request.url).searchParams.get('validationToken');
    if (token !== null) {
      state.handshakes++;
      return new Response(options.badHandshake ? 'wrong' : token, { status: 200, headers: { 'content-type': 'text/plain' } });
    }
    const body = (await request.json()) as { value: WebhookNotification[] };
    state.notifications.push(body.value);
    waiters.shift()?.(body.value);
    return new Response(null, { status: state.status });
  });
  servers.push(server);
  return Object.assign(state, {
    server,
    url: `${server.url}/hooks/bc`,
    next: () => new Promise<WebhookNotification[]>((resolve) => waiters.push(resolve)),
  }) as Receiver;
}

describe('Business Central sandbox: webhooks', () => {
  it('performs the handshake, debounces changes into one notification POST and renews with If-Match', async () => {
    let clock = Date.now();
    const h = await harness({ webhookDebounceMs: 25, now: () => clock });
    const hook = await receiver();
    const resource = `/api/v2.0/companies(${h.sandbox.companyId})/vendors`;
    const created = await h.send('POST', `${h.base}/subscriptions`, { notificationUrl: hook.url, resource, clientState: 'shared-secret' });
    expect(created.status).toBe(201);
    const sub = await json<Row & { subscriptionId: string; expirationDateTime: string }>(created);
    expect(hook.handshakes).toBe(1);
    expect(Date.parse(sub.expirationDateTime) - clock).toBe(3 * 86_400_000);
    expect(created.headers.get('location')).toContain(`subscriptions('${sub.subscriptionId}')`);

    const arrived = hook.next();
    const vendors = h.sandbox.db.vendors.all();
    for (const v of vendors.slice(0, 2)) await h.send('PATCH', `/vendors(${String(v.id)})`, { phoneNumber: '555-1234' }, { 'if-match': '*' });
    const newVendor = await json<Row>(await h.send('POST', '/vendors', { displayName: 'Hooked' }));
    expect(hook.notifications).toHaveLength(0); // debounced
    const batch = await arrived;
    expect(hook.notifications).toHaveLength(1);
    expect(batch.map((n) => n.changeType).sort()).toEqual(['created', 'updated', 'updated']);
    expect(batch.find((n) => n.changeType === 'created')).toMatchObject({
      subscriptionId: sub.subscriptionId,
      clientState: 'shared-secret',
      resource: `api/v2.0/companies(${h.sandbox.companyId})/vendors(${newVendor.id})`,
      expirationDateTime: sub.expirationDateTime,
    });

    clock += 600_000;
    const noEtag = await h.send('PATCH', `${h.base}/subscriptions('${sub.subscriptionId}')`, { clientState: 'x' });
    expect((await json<ErrorEnvelope>(noEtag)).error.code).toBe('BadRequest_InvalidToken');
    const renewed = await h.send('PATCH', `${h.base}/subscriptions('${sub.subscriptionId}')`, { clientState: 'rotated' }, { 'if-match': sub['@odata.etag'] });
    expect(renewed.status).toBe(200);
    expect(Date.parse((await json<Row>(renewed)).expirationDateTime as string)).toBe(clock + 3 * 86_400_000);
    expect(hook.handshakes).toBe(2);
    expect((await h.send('DELETE', `${h.base}/subscriptions('${sub.subscriptionId}')`)).status).toBe(204);
    h.sandbox.close();
  });

  it('refuses failed handshakes, non-loopback URLs and resources that are not webhook-enabled', async () => {
    const h = await harness();
    const bad = await receiver({ badHandshake: true });
    const good = await receiver();
    const company = `/api/v2.0/companies(${h.sandbox.companyId})`;
    expect((await h.send('POST', `${h.base}/subscriptions`, { notificationUrl: bad.url, resource: `${company}/vendors` })).status).toBe(400);
    expect((await h.send('POST', `${h.base}/subscriptions`, { notificationUrl: 'https://example.com/hook', resource: `${company}/vendors` })).status).toBe(400);
    for (const set of ['purchaseOrders', 'dimensionValues']) {
      expect((await h.send('POST', `${h.base}/subscriptions`, { notificationUrl: good.url, resource: `${company}/${set}` })).status, set).toBe(400);
    }
    expect(h.sandbox.db.subscriptions.size).toBe(0);
    const supported = await json<{ value: { resource: string }[] }>(
      await h.get(`${h.base.replace('/api/v2.0', '')}/api/microsoft/runtime/beta/companies(${h.sandbox.companyId})/webhookSupportedResources`),
    );
    // Page 5460's shape: '{version}/{entitySet}'.
    expect(supported.value.map((r) => r.resource)).toEqual(
      ['vendors', 'accounts', 'dimensions', 'purchaseInvoices', 'currencies', 'paymentTerms', 'paymentMethods', 'unitsOfMeasure', 'items'].map((set) => `v2.0/${set}`),
    );
    h.sandbox.close();
  });

  it('notifies the invoice header for line changes and stops notifying expired subscriptions', async () => {
    let clock = Date.now();
    const h = await harness({ now: () => clock });
    const hook = await receiver();
    await h.send('POST', `${h.base}/subscriptions`, { notificationUrl: hook.url, resource: `/api/v2.0/companies(${h.sandbox.companyId})/purchaseInvoices` });
    const draft = h.sandbox.db.purchaseInvoices.all().find((i) => i.status === 'Draft') as Row;
    await h.send('POST', `/purchaseInvoices(${draft.id})/purchaseInvoiceLines`, { lineType: 'Account', lineObjectNumber: '8110', quantity: 1, unitCost: 1 });
    await h.sandbox.flushWebhooks();
    expect(hook.notifications.flat()).toEqual([expect.objectContaining({ changeType: 'updated', resource: expect.stringContaining(`purchaseInvoices(${draft.id})`) })]);

    clock += 3 * 86_400_000 + 1;
    await h.send('PATCH', `/purchaseInvoices(${draft.id})`, { vendorInvoiceNumber: 'late' }, { 'if-match': '*' });
    await h.sandbox.flushWebhooks();
    expect(hook.notifications).toHaveLength(1);
    h.sandbox.close();
  });

  it('deletes the subscription when the subscriber answers 4xx, keeps it (and retries) after 5xx', async () => {
    const h = await harness();
    const hook = await receiver();
    const sub = await json<Row & { subscriptionId: string }>(
      await h.send('POST', `${h.base}/subscriptions`, { notificationUrl: hook.url, resource: `/api/v2.0/companies(${h.sandbox.companyId})/vendors` }),
    );
    const vendor = h.sandbox.db.vendors.all()[0] as Row;
    hook.status = 503;
    await h.send('PATCH', `/vendors(${vendor.id})`, { city: 'Retry' }, { 'if-match': '*' });
    await h.sandbox.flushWebhooks();
    expect(h.sandbox.db.subscriptions.get(sub.subscriptionId)).toBeDefined();
    hook.status = 410;
    await h.sandbox.flushWebhooks(); // the retry
    expect(hook.notifications).toHaveLength(2);
    expect(h.sandbox.webhookDeliveries.map((d) => d.status)).toEqual([503, 410]);
    expect(h.sandbox.db.subscriptions.get(sub.subscriptionId)).toBeUndefined();
    await h.send('PATCH', `/vendors(${vendor.id})`, { city: 'Gone' }, { 'if-match': '*' });
    await h.sandbox.flushWebhooks();
    expect(hook.notifications).toHaveLength(2);
    h.sandbox.close();
  });

  it('collapses more than 1,000 changes into one collection notification', async () => {
    const h = await harness({ size: { vendors: 1005, invoices: 0, purchaseOrders: 0 } });
    const hook = await receiver();
    await h.send('POST', `${h.base}/subscriptions`, { notificationUrl: hook.url, resource: `/api/v2.0/companies(${h.sandbox.companyId})/vendors` });
    for (const v of h.sandbox.db.vendors.all()) h.sandbox.store.update('vendors', String(v.id), { city: 'Bulk' });
    await h.sandbox.flushWebhooks();
    expect(hook.notifications).toHaveLength(1);
    expect(hook.notifications[0]).toEqual([expect.objectContaining({ changeType: 'collection', resource: expect.stringMatching(/^api\/v2\.0\/companies\([0-9a-f-]+\)\/vendors\?\$filter=lastDateTimeModified%20gt%20/) })]);
    h.sandbox.close();
  });
});
