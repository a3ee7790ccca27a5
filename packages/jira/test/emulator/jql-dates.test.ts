import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { connectJira, jql, jqlDateTime } from '@ml-connector/jira';
import { SANDBOX_API_TOKEN, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, SANDBOX_EMAIL, createJiraSandbox, parseJqlDate } from '@ml-connector/jira/testing';
import { harness } from './helpers.js';

const keys = (result: { body: { issues?: Array<{ key: string }> } }) => (result.body.issues ?? []).map((issue) => issue.key);

describe('JQL dates (created/updated) in the emulator', () => {
  it('reads absolute dates in the site time zone with minute precision, and periods relative to now', async () => {
    let t = Date.parse('2026-11-30T08:15:40Z');
    const h = harness({ now: () => t, sites: [{ name: 'acme', timeZone: 'Europe/Berlin' }] });
    const first = await h.create({ summary: 'first' });
    t = Date.parse('2026-11-30T08:20:05Z');
    const second = await h.create({ summary: 'second' });
    t = Date.parse('2026-11-30T10:00:00Z');
    // 08:15 UTC is 09:15 in Berlin: the minute literal names 09:15:00, so 08:15:40 matches too.
    expect(keys(await h.search('updated >= "2026/11/30 09:15" ORDER BY updated ASC'))).toEqual([first.body.key, second.body.key]);
    expect(keys(await h.search('updated >= "2026-11-30 09:16" ORDER BY updated ASC'))).toEqual([second.body.key]);
    // Read as UTC the same literal would match neither: the zone matters.
    expect(keys(await h.search('updated >= "2026/11/30 09:21"'))).toEqual([]);
    expect(keys(await h.search('updated >= "-100m" ORDER BY updated ASC'))).toEqual([second.body.key]);
    expect(keys(await h.search('created < "2026/11/30"'))).toEqual([]);
  });

  it('refuses a date it cannot read with Jira\'s message', async () => {
    const h = harness();
    const bad = await h.search('updated >= "30.11.2026"');
    expect(bad.status).toBe(400);
    expect(bad.body.errorMessages?.[0]).toMatch(/Date value '30.11.2026' for field 'updated' is invalid/);
  });

  it('GET /myself reports the profile time zone, and jqlDateTime in that zone never skips the instant (property)', async () => {
    const sandbox = createJiraSandbox({ indexLagMs: 0, sites: [{ name: 'acme', timeZone: 'America/New_York' }] });
    const jira = await connectJira({ auth: { kind: 'api-token', siteUrl: sandbox.siteUrl('acme'), email: SANDBOX_EMAIL, apiToken: SANDBOX_API_TOKEN }, fetch: sandbox.fetch, throttle: false });
    const me = await jira.metadata.myself();
    expect(me.timeZone).toBe('America/New_York');
    expect(() => jqlDateTime(0, 'Mars/Olympus')).toThrow(/IANA time zone/);
    // OAuth apps need read:jira-user for it, as on Jira Cloud (401: the scope does not match).
    let refreshToken = sandbox.issueRefreshToken();
    const app = await connectJira({
      auth: { kind: 'oauth', clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET, refreshTokenStore: { read: async () => refreshToken, write: async (t) => void (refreshToken = t) } },
      fetch: sandbox.fetch,
      throttle: false,
      retry: { maxRetries: 0 },
    });
    expect(await app.metadata.myself().catch((error: { status?: number }) => error.status)).toBe(401);
    // Any instant, formatted in a zone and read back in that zone: the start of its minute, never after the instant
    // (an hour earlier at most, where autumn's repeated wall-clock hour is ambiguous).
    fc.assert(
      fc.property(fc.integer({ min: Date.parse('2000-01-01'), max: Date.parse('2100-01-01') }), fc.constantFrom('UTC', 'Asia/Kolkata', 'America/New_York', 'Europe/Berlin'), (instant, zone) => {
        const literal = jqlDateTime(instant, zone).text.slice(1, -1);
        expect(literal).toMatch(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}$/);
        const read = parseJqlDate(literal, { timeZone: zone, now: 0 })!;
        expect(read).toBeLessThanOrEqual(instant);
        expect(instant - read).toBeLessThan(zone === 'UTC' || zone === 'Asia/Kolkata' ? 60_000 : 3_660_000);
        if (zone === 'UTC') expect(read).toBe(Math.floor(instant / 60_000) * 60_000);
      }),
      { numRuns: 500 },
    );
    // Round trip through the emulator's reading of the literal (same zone on both sides): floor to the minute.
    let t = Date.parse('2026-03-29T00:59:59Z');
    const around = harness({ now: () => t, sites: [{ name: 'acme', timeZone: 'Europe/Berlin' }] });
    const created = await around.create({ summary: 'dst' });
    t += 60_000;
    expect(keys(await around.search(jql`updated >= ${jqlDateTime(Date.parse('2026-03-29T00:59:59Z'), 'Europe/Berlin')}`))).toEqual([created.body.key]);
    expect(keys(await around.search(jql`updated >= ${jqlDateTime(Date.parse('2026-03-29T01:00:00Z'), 'Europe/Berlin')}`))).toEqual([]);
  });
});
