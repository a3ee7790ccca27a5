import { describe, expect, it } from 'vitest';
import { createNavClient, handleNavValidationRequest, parseNavNotifications } from '@ml-connector/nav';
import { NAV_SANDBOX_ACCESS_KEY, NAV_SANDBOX_USER, createNavSandbox } from '@ml-connector/nav/testing';

const HOOK = 'https://hooks.example.com/nav';

/** A subscriber endpoint: answers the handshake and records notification bodies (or fails with `status`). */
function subscriber() {
  const received: string[] = [];
  let status = 202;
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const handshake = handleNavValidationRequest(request);
    if (handshake) return handshake;
    received.push(await request.text());
    return new Response(null, { status });
  }) as typeof globalThis.fetch;
  return { fetch, received, fail: (code: number) => (status = code) };
}

function setup(hook = subscriber()) {
  const sandbox = createNavSandbox({ webhookFetch: hook.fetch });
  const nav = createNavClient({
    url: sandbox.url(),
    apiUrl: sandbox.apiUrl(),
    auth: { kind: 'basic', username: NAV_SANDBOX_USER, password: NAV_SANDBOX_ACCESS_KEY },
    fetch: sandbox.fetch,
    retry: false,
  });
  return { sandbox, nav, hook };
}

describe('Business Central on-premises webhook subscriptions', () => {
  it('subscribes after the handshake, is notified of vendor changes made through OData, renews and unsubscribes', async () => {
    const { sandbox, nav, hook } = setup();
    const subscription = await nav.webhooks.create({ companyId: sandbox.companyId, entitySet: 'vendors', notificationUrl: HOOK, clientState: 'state-123' });
    expect(subscription.resource).toBe(`/api/v2.0/companies(${sandbox.companyId})/vendors`);
    expect(Date.parse(subscription.expirationDateTime) - Date.now()).toBeGreaterThan(2.9 * 86_400_000);

    const vendor = await nav.vendors.get('V00003');
    await nav.vendors.update('V00003', { phone: '+1 555 3333' }, { etag: vendor.etag as string });
    await nav.vendors.create({ name: 'New Vendor' });
    await sandbox.flushWebhooks();
    expect(hook.received).toHaveLength(1);
    const notifications = parseNavNotifications(hook.received[0] as string, { clientState: 'state-123' });
    expect(notifications.map((n) => n.changeType)).toEqual(['updated', 'created']);
    expect(notifications[0]?.resource).toMatch(/\/vendors\([0-9a-f-]{36}\)$/);
    expect(() => parseNavNotifications(hook.received[0] as string, { clientState: 'other' })).toThrow(/clientState/);

    const renewed = await nav.webhooks.renew(subscription);
    expect(renewed['@odata.etag']).not.toBe(subscription['@odata.etag']);
    await expect(nav.webhooks.renew(subscription)).rejects.toMatchObject({ name: 'ConflictError', status: 412 });
    expect(await nav.webhooks.list()).toHaveLength(1);
    await nav.webhooks.delete(renewed);
    expect(await nav.webhooks.list()).toHaveLength(0);
  });

  it('keeps notifications after a 503 and drops the subscription after a 410', async () => {
    const { sandbox, nav, hook } = setup();
    await nav.webhooks.create({ companyId: sandbox.companyId, entitySet: 'vendors', notificationUrl: HOOK, clientState: 's' });
    sandbox.touchVendor('V00001', { Contact: 'x' });
    hook.fail(503);
    await sandbox.flushWebhooks();
    hook.fail(410);
    await sandbox.flushWebhooks();
    expect(sandbox.webhookDeliveries.map((d) => d.status)).toEqual([503, 410]);
    expect(await nav.webhooks.list()).toHaveLength(0);
  });

  it('refuses a failed handshake, entity sets without webhooks, and use without apiUrl', async () => {
    const silent = { fetch: (async () => new Response('nope')) as typeof fetch, received: [], fail: () => 0 };
    const { sandbox, nav } = setup(silent);
    await expect(nav.webhooks.create({ companyId: sandbox.companyId, entitySet: 'vendors', notificationUrl: HOOK })).rejects.toMatchObject({
      name: 'ValidationError',
      vendorMessage: expect.stringContaining('handshake'),
    });
    await expect(nav.webhooks.create({ companyId: sandbox.companyId, entitySet: 'purchaseOrders' as never, notificationUrl: HOOK })).rejects.toThrow(/sends no webhooks/);
    await expect(nav.webhooks.create({ companyId: 'CRONUS', entitySet: 'vendors', notificationUrl: HOOK })).rejects.toThrow(/GUID/);
    await expect(nav.webhooks.create({ companyId: sandbox.companyId, entitySet: 'vendors', notificationUrl: 'http://hooks.example.com/' })).rejects.toThrow(/https URL/);
    const withoutApi = createNavClient({ url: sandbox.url(), auth: { kind: 'basic', username: 'u', password: 'p' }, fetch: sandbox.fetch });
    await expect(withoutApi.webhooks.list()).rejects.toThrow(/apiUrl option/);
    expect(() => createNavClient({ url: sandbox.url(), apiUrl: 'https://bc.contoso.local:7048/BC/ODataV4/', auth: { kind: 'basic', username: 'u', password: 'p' } })).toThrow(/ending in \/api\/v2.0\//);
  });
});
