import { afterEach, describe, expect, it } from 'vitest';
import { isWebhookVerificationError, isInvalidInputError } from '@ml-connector/core';
import { serveOnLoopback, type LoopbackServer } from '@ml-connector/core/testing';
import {
  WEBHOOK_ENABLED_RESOURCES,
  WebhookNotSupportedError,
  type WebhookSignal,
  handleValidationRequest,
  parseNotifications,
} from '@ml-connector/business-central';
import { type Harness, createHarness } from './helpers.js';

let h: Harness | undefined;
let subscriber: LoopbackServer | undefined;
afterEach(async () => {
  h?.sandbox.close();
  await subscriber?.close();
  subscriber = undefined;
});

const CLIENT_STATE = 'shared-secret-0123456789';

/** A real loopback subscriber endpoint built from the helpers, collecting signals. */
async function startSubscriber(signals: WebhookSignal[], clientState = CLIENT_STATE) {
  subscriber = await serveOnLoopback(async (request) => {
    const handshake = handleValidationRequest(request);
    if (handshake) return handshake;
    try {
      signals.push(...parseNotifications(await request.text(), { clientState }));
      return new Response(null, { status: 202 });
    } catch (error) {
      if (isWebhookVerificationError(error)) return new Response(null, { status: 401 });
      throw error;
    }
  });
  return `${subscriber.url}/bc-hook`;
}

describe('webhooks', () => {
  it('answers the validation handshake and ignores other requests', async () => {
    const response = handleValidationRequest(new Request('https://hook.example/x?validationToken=abc%20123'))!;
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('abc 123');
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(handleValidationRequest('https://hook.example/x')).toBeUndefined();
  });

  it('parses notifications into fetch signals, including collection changes', () => {
    const company = '6f9619ff-8b86-d011-b42d-00c04fc964ff';
    const body = `\uFEFF${JSON.stringify({
      value: [
        { subscriptionId: 's1', clientState: CLIENT_STATE, resource: `/api/v2.0/companies(${company})/vendors(11111111-2222-3333-4444-555555555555)`, changeType: 'updated', lastModifiedDateTime: '2024-01-01T00:00:00Z', expirationDateTime: '2024-01-03T00:00:00Z' },
        { subscriptionId: 's1', clientState: CLIENT_STATE, resource: `/api/v2.0/companies(${company})/vendors?$filter=lastModifiedDateTime%20gt%202024-01-01T00:00:00Z`, changeType: 'collection' },
        // The form BCDOCS shows: no leading slash, `lastDateTimeModified`.
        { subscriptionId: 's1', clientState: CLIENT_STATE, resource: `api/v2.0/companies(${company})/vendors(22222222-2222-3333-4444-555555555555)`, changeType: 'created' },
        { subscriptionId: 's1', clientState: CLIENT_STATE, resource: `api/v2.0/companies(${company})/vendors?$filter=lastDateTimeModified%20gt%202024-02-01T00:00:00Z`, changeType: 'collection' },
      ],
    })}`;
    const signals = parseNotifications(body, { clientState: (id) => (id === 's1' ? CLIENT_STATE : undefined) });
    expect(signals[0]).toMatchObject({ subscriptionId: 's1', entity: 'vendors', id: '11111111-2222-3333-4444-555555555555', companyId: company, changeType: 'updated' });
    expect(signals[1]).toMatchObject({ entity: 'vendors', changeType: 'collection', filter: 'lastModifiedDateTime gt 2024-01-01T00:00:00Z', companyId: company });
    expect(signals[1]!.id).toBeUndefined();
    expect(signals[1]!.modifiedSince).toBe('2024-01-01T00:00:00Z');
    expect(signals[2]).toMatchObject({ entity: 'vendors', id: '22222222-2222-3333-4444-555555555555', companyId: company, changeType: 'created' });
    expect(signals[3]).toMatchObject({ entity: 'vendors', changeType: 'collection', filter: 'lastModifiedDateTime gt 2024-02-01T00:00:00Z', modifiedSince: '2024-02-01T00:00:00Z', companyId: company });
  });

  it('rejects a wrong or missing clientState and malformed bodies', () => {
    const one = (clientState?: string) => ({ value: [{ subscriptionId: 's', resource: '/api/v2.0/companies(x)/vendors(y)', changeType: 'created', ...(clientState ? { clientState } : {}) }] });
    expect(() => parseNotifications(one('wrong'), { clientState: CLIENT_STATE })).toThrow(expect.objectContaining({ reason: 'mismatch' }));
    expect(() => parseNotifications(one(), { clientState: CLIENT_STATE })).toThrow(expect.objectContaining({ reason: 'missing-signature' }));
    expect(() => parseNotifications(one(CLIENT_STATE), { clientState: () => undefined })).toThrow(expect.objectContaining({ code: 'WEBHOOK_VERIFICATION_FAILED' }));
    expect(() => parseNotifications('not json', { clientState: CLIENT_STATE })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => parseNotifications({ nope: 1 }, { clientState: CLIENT_STATE })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    try {
      parseNotifications(one('wrong'), { clientState: CLIENT_STATE });
    } catch (e) {
      expect(JSON.stringify(e)).not.toContain(CLIENT_STATE);
    }
  });

  it('creates, receives, renews and deletes a subscription end to end', async () => {
    const signals: WebhookSignal[] = [];
    h = createHarness({ webhookDebounceMs: 0 }, { allowLoopback: true });
    const url = await startSubscriber(signals);
    const company = h.client.company(h.sandbox.companyId);
    const sub = await h.client.webhooks.create({ companyId: h.sandbox.companyId, entitySet: 'vendors', notificationUrl: url, clientState: CLIENT_STATE });
    expect(sub).toMatchObject({ resource: `/api/v2.0/companies(${h.sandbox.companyId})/vendors`, clientState: CLIENT_STATE });
    expect((await h.client.webhooks.list().toArray({ limit: 10 })).map((s) => s.subscriptionId)).toEqual([sub.subscriptionId]);
    expect(await h.client.webhooks.get(sub.subscriptionId)).toMatchObject({ subscriptionId: sub.subscriptionId });

    const [vendor] = await company.vendors.list().toArray({ limit: 1 });
    await company.vendors.update(vendor!.id, { displayName: 'Notify me' }, { etag: vendor!.etag! });
    await h.sandbox.flushWebhooks();
    expect(signals).toEqual([expect.objectContaining({ subscriptionId: sub.subscriptionId, entity: 'vendors', id: vendor!.id, changeType: 'updated' })]);

    const notYet = await h.client.webhooks.renewIfExpiring(sub, { within: 60_000 });
    expect(notYet).toEqual({ renewed: false, subscription: sub });
    const renewed = await h.client.webhooks.renewIfExpiring(sub, { within: 3 * 24 * 3_600_000 });
    expect(renewed.renewed).toBe(true);
    expect(Date.parse(renewed.subscription.expirationDateTime)).toBeGreaterThanOrEqual(Date.parse(sub.expirationDateTime));
    const patch = h.apiRequests().find((r) => r.method === 'PATCH' && r.url.pathname.includes('/subscriptions('))!;
    expect(patch.headers.get('if-match')).toBe(sub.etag);

    await h.client.webhooks.delete(renewed.subscription);
    expect(await h.client.webhooks.list().toArray({ limit: 10 })).toEqual([]);
  });

  it('refuses subscriptions for resources without webhooks, client-side', async () => {
    h = createHarness({}, { allowLoopback: true });
    expect(WEBHOOK_ENABLED_RESOURCES).toContain('vendors');
    expect(WEBHOOK_ENABLED_RESOURCES).not.toContain('purchaseOrders');
    expect(WEBHOOK_ENABLED_RESOURCES).not.toContain('dimensionValues');
    for (const entitySet of ['purchaseOrders', 'dimensionValues']) {
      const error = await h.client.webhooks
        .create({ companyId: h.sandbox.companyId, entitySet, notificationUrl: 'https://hooks.example.com/bc', clientState: CLIENT_STATE })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WebhookNotSupportedError);
      expect((error as Error).message).toMatch(/listModifiedSince/);
    }
    await expect(
      h.client.webhooks.create({ companyId: h.sandbox.companyId, entitySet: 'vendors', notificationUrl: 'http://hooks.example.com/bc' }),
    ).rejects.toSatisfy(isInvalidInputError);
    expect(h.requests).toHaveLength(0);
  });
});
