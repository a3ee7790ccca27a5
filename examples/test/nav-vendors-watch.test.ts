import { afterEach, describe, expect, it, vi } from 'vitest';
import { createNavClient, handleNavValidationRequest } from '@ml-connector/nav';
import { NAV_SANDBOX_ACCESS_KEY, NAV_SANDBOX_USER } from '@ml-connector/nav/testing';
import { navVendorWatchSettings } from '../src/nav-vendors/main.ts';
import { DEFAULT_VENDOR_OWNERS } from '../src/nav-vendors/policy.ts';
import { serveNotifications, startNavVendorWatch, type NavVendorWatch } from '../src/nav-vendors/watch.ts';
import { vendorWorld } from './nav-vendors.world.ts';

const HOOK = 'https://hooks.example.com/nav-vendors';
const CLIENT_STATE = 'nav-vendors-client-state-0123456789';
const DAY = 86_400_000;

/** A vendor world whose NAV sandbox delivers webhooks to the watch (the handshake is answered before it exists). */
async function watchWorld(withApi: boolean) {
  let watch: NavVendorWatch | undefined;
  const calls = { handshakes: 0, notifications: [] as number[] };
  const webhookFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const handshake = handleNavValidationRequest(request);
    if (handshake) {
      calls.handshakes++;
      return handshake;
    }
    const response = await watch!.handle(request);
    calls.notifications.push(response.status);
    return response;
  }) as typeof fetch;
  const vendors = await vendorWorld({ kind: 'owner', owners: DEFAULT_VENDOR_OWNERS }, false, { nav: { webhookFetch } });
  const { world, flows } = vendors;
  // Business Central on-premises: the same instance with its API root (webhook subscriptions).
  const nav = withApi
    ? createNavClient({
        url: world.navSandbox.url(),
        apiUrl: world.navSandbox.apiUrl(),
        auth: { kind: 'basic', username: NAV_SANDBOX_USER, password: NAV_SANDBOX_ACCESS_KEY },
        services: { contacts: {}, contactBusinessRelations: {} },
        fetch: world.navSandbox.fetch,
        retry: false,
        throttle: false,
      })
    : world.nav;
  const runs: string[] = [];
  const start = async (pollIntervalMs?: number) => {
    watch = await startNavVendorWatch({
      engine: world.engine,
      flows,
      nav,
      webhook: { companyId: world.navSandbox.companyId, notificationUrl: HOOK, clientState: CLIENT_STATE },
      now: world.now,
      onRun: (flow, _summary, why) => runs.push(`${flow}:${why}`),
      ...(pollIntervalMs ? { pollIntervalMs } : {}),
    });
    return watch;
  };
  return { world, nav, calls, runs, start };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('nav-vendors watch: NAV webhooks when the instance offers them, polling otherwise', () => {
  it('subscribes after the handshake; a NAV change notified by webhook runs NAV → JAGGAER at once; forged or broken bodies are refused', async () => {
    const { world, calls, runs, start } = await watchWorld(true);
    const watch = await start();
    try {
      expect(watch.mode).toBe('webhooks');
      expect(calls.handshakes).toBe(1);
      expect(watch.subscription?.resource).toMatch(/\/vendors$/);
      expect(runs).toEqual(expect.arrayContaining(['nav-vendors.to-nav:start', 'nav-vendors.to-jaggaer:start']));
      await watch.idle();

      world.navSandbox.touchVendor('V00012', { Blocked: 'All' });
      await world.navSandbox.flushWebhooks();
      expect(calls.notifications).toEqual([202]);
      await watch.idle();
      expect(runs.at(-1)).toBe('nav-vendors.to-jaggaer:webhook');
      expect(world.jaggaerSandbox.supplier('V00012')?.status).toBe('INACTIVE');

      const forged = { value: [{ subscriptionId: 'x', clientState: 'wrong-state-wrong-state', resource: '/vendors(1)', changeType: 'updated' }] };
      expect((await watch.handle(new Request(HOOK, { method: 'POST', body: JSON.stringify(forged) }))).status).toBe(401);
      expect((await watch.handle(new Request(HOOK, { method: 'POST', body: 'not json' }))).status).toBe(400);
      await watch.idle();
      expect(runs.filter((run) => run.endsWith(':webhook'))).toHaveLength(1);
    } finally {
      await watch.stop();
    }
  });

  it('renews the subscription before its three-day expiry and re-creates it when Business Central dropped it', async () => {
    const { world, nav, calls, start } = await watchWorld(true);
    const watch = await start();
    try {
      const first = watch.subscription!;
      expect(await watch.maintain()).toEqual({ renewed: false, recreated: false });
      world.tick(2.5 * DAY);
      expect(await watch.maintain()).toEqual({ renewed: true, recreated: false });
      expect(Date.parse(watch.subscription!.expirationDateTime)).toBeGreaterThan(Date.parse(first.expirationDateTime));
      expect(calls.handshakes).toBe(2); // BC repeats the handshake on renewal

      await nav.webhooks.delete(watch.subscription!);
      world.tick(2.5 * DAY);
      expect(await watch.maintain()).toEqual({ renewed: false, recreated: true });
      expect(await nav.webhooks.list()).toHaveLength(1);
      await watch.idle();
      // The re-created subscription delivers again, and the run it triggers writes the change.
      world.navSandbox.touchVendor('V00013', { Blocked: 'All' });
      await world.navSandbox.flushWebhooks();
      expect(calls.notifications.at(-1)).toBe(202);
      await watch.idle();
      expect(world.jaggaerSandbox.supplier('V00013')?.status).toBe('INACTIVE');
    } finally {
      await watch.stop();
    }
  });

  it('falls back to polling when the client has no API root, and polls both directions on its interval', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { world, runs, start } = await watchWorld(false);
    const watch = await start(60_000);
    try {
      expect(watch.mode).toBe('polling');
      expect(watch.fallbackReason).toMatch(/apiUrl/);
      await watch.idle();
      world.navSandbox.touchVendor('V00014', { Blocked: 'All' });
      await world.jaggaer.suppliers.upsert({ supplierNumber: 'V00015', companyName: 'Polled Rename' });
      world.tick(1000);
      vi.advanceTimersByTime(60_000);
      await watch.idle();
      expect(runs).toEqual(expect.arrayContaining(['nav-vendors.to-nav:poll', 'nav-vendors.to-jaggaer:poll']));
      expect(world.jaggaerSandbox.supplier('V00014')?.status).toBe('INACTIVE');
      expect(world.navSandbox.table('Vendor').find((row) => row['No'] === 'V00015')?.['Name']).toBe('Polled Rename');
    } finally {
      await watch.stop();
    }
  });
});

describe('nav-vendors --watch settings and receiver', () => {
  it('reads the webhook settings and refuses incomplete or weak ones', () => {
    expect(navVendorWatchSettings({})).toEqual({ pollIntervalMs: 300_000 });
    const settings = navVendorWatchSettings({
      NAV_API_URL: 'https://bc.contoso.local:7048/BC/api/v2.0/', NAV_COMPANY_ID: 'c0ffee00-0000-0000-0000-000000000001',
      NAV_WEBHOOK_NOTIFICATION_URL: HOOK, NAV_WEBHOOK_CLIENT_STATE: CLIENT_STATE, NAV_POLL_INTERVAL_MS: '60000',
    });
    expect(settings).toMatchObject({ pollIntervalMs: 60_000, webhook: { notificationUrl: HOOK, clientState: CLIENT_STATE, port: 8788 } });
    expect(navVendorWatchSettings({ NAV_API_URL: 'https://x/api/v2.0/', NAV_COMPANY_ID: 'c', NAV_WEBHOOK_NOTIFICATION_URL: HOOK }).webhook?.clientState.length).toBeGreaterThanOrEqual(16);
    expect(() => navVendorWatchSettings({ NAV_WEBHOOK_NOTIFICATION_URL: HOOK })).toThrow(/NAV_API_URL/);
    expect(() => navVendorWatchSettings({ NAV_API_URL: 'https://x/api/v2.0/', NAV_COMPANY_ID: 'c', NAV_WEBHOOK_NOTIFICATION_URL: HOOK, NAV_WEBHOOK_CLIENT_STATE: 'short' })).toThrow(/16 characters/);
    expect(() => navVendorWatchSettings({ NAV_POLL_INTERVAL_MS: 'soon' })).toThrow(/whole number/);
  });

  it('serves the handler on loopback: handshake token back as text, notification body passed through', async () => {
    const bodies: string[] = [];
    const server = await serveNotifications(async (request) => {
      const token = new URL(request.url).searchParams.get('validationToken');
      if (token) return new Response(token, { status: 200 });
      bodies.push(await request.text());
      return new Response(null, { status: 202 });
    }, { port: 0 });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const handshake = await fetch(`${server.url}?validationToken=tok-123`);
      expect([handshake.status, await handshake.text()]).toEqual([200, 'tok-123']);
      const posted = await fetch(server.url, { method: 'POST', body: '{"value":[]}', headers: { 'content-type': 'application/json' } });
      expect(posted.status).toBe(202);
      expect(bodies).toEqual(['{"value":[]}']);
    } finally {
      await server.close();
    }
  });
});
