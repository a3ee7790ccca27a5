import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { inspect } from 'node:util';
import { isRateLimitError, isServerError, isValidationError } from '@ml-connector/core';
import {
  type JiraRateLimitError,
  connectJira,
  isJiraRateLimitError,
  isJiraServiceUnavailableError,
  readRateLimitHeaders,
} from '@ml-connector/jira';
import { createJiraSandbox } from '@ml-connector/jira/testing';
import { settle } from './helpers.js';

const SITE = 'https://acme.atlassian.net';
const ISSUE = `${SITE}/rest/api/3/issue/FIN-1`;
const API_TOKEN = 'msw-api-token-secret';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  server.resetHandlers();
  vi.useRealTimers();
});
afterAll(() => server.close());

const client = (extra: Record<string, unknown> = {}) =>
  connectJira({ auth: { kind: 'api-token', siteUrl: SITE, email: 'bot@example.com', apiToken: API_TOKEN }, retry: false, throttle: false, ...extra });

const rateLimited = (status: number, headers: Record<string, string>) =>
  HttpResponse.json({ errorMessages: ['Rate limit exceeded.'], errors: {} }, { status, headers });

describe('rate limits (msw)', () => {
  it('surfaces X-RateLimit-*, RateLimit-Reason and Retry-After on a 429 error and as client state', async () => {
    server.use(
      http.get(ISSUE, () =>
        rateLimited(429, {
          'retry-after': '7',
          'x-ratelimit-limit': '100',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': '2026-11-30T15:00:07Z',
          'ratelimit-reason': 'jira-per-issue-on-write',
        }),
      ),
    );
    const jira = await client();
    const error = await jira.issues.get('FIN-1').catch((e: unknown) => e);
    expect(isJiraRateLimitError(error)).toBe(true);
    expect(isRateLimitError(error)).toBe(true);
    const e = error as JiraRateLimitError;
    expect(e.rateLimit).toMatchObject({ status: 429, limit: 100, remaining: 0, resetAt: '2026-11-30T15:00:07Z', reason: 'jira-per-issue-on-write', retryAfterMs: 7000 });
    expect(e.retryAfterMs).toBe(7000);
    expect(e.message).toContain('RateLimit-Reason: jira-per-issue-on-write');
    expect(jira.rateLimit.last?.reason).toBe('jira-per-issue-on-write');
    expect(jira.rateLimit.throttled).toBe(1);
    expect(`${JSON.stringify(e)} ${inspect(e)}`).not.toContain(API_TOKEN);
    // A derived transport keeps the recorder.
    const extended = jira.http.extend({ timeoutMs: 5000 });
    const again = await extended.get('rest/api/3/issue/FIN-1').catch((x: unknown) => x);
    expect((again as JiraRateLimitError).rateLimit?.reason).toBe('jira-per-issue-on-write');
    expect(jira.rateLimit.throttled).toBe(2);
  });

  it('maps 503 with Retry-After to JiraServiceUnavailableError', async () => {
    server.use(http.get(ISSUE, () => rateLimited(503, { 'retry-after': '3' })));
    const jira = await client();
    const error = await jira.issues.get('FIN-1').catch((e: unknown) => e);
    expect(isJiraServiceUnavailableError(error)).toBe(true);
    expect(isServerError(error)).toBe(true);
    expect((error as JiraRateLimitError).rateLimit?.retryAfterMs).toBe(3000);
    expect(jira.rateLimit.unavailable).toBe(1);
  });

  it('waits Retry-After and retries (fake timers), keeping the state of the successful answer', async () => {
    vi.useFakeTimers();
    let calls = 0;
    server.use(
      http.get(ISSUE, () => {
        calls++;
        if (calls === 1) return rateLimited(429, { 'retry-after': '2', 'ratelimit-reason': 'jira-burst-based' });
        return HttpResponse.json({ id: '10000', key: 'FIN-1', fields: {} }, { headers: { 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '15', 'x-ratelimit-nearlimit': 'true' } });
      }),
    );
    const delays: number[] = [];
    const jira = await client({ retry: { maxRetries: 3 }, onRetry: (event: { delayMs: number }) => delays.push(event.delayMs) });
    const issue = await settle(jira.issues.get('FIN-1'), vi);
    expect(issue.key).toBe('FIN-1');
    expect(calls).toBe(2);
    expect(delays[0]).toBeGreaterThanOrEqual(2000);
    expect(jira.rateLimit.throttled).toBe(1);
    expect(jira.rateLimit.last).toMatchObject({ status: 200, remaining: 15, nearLimit: true });
  });

  it('parses only well-formed headers', () => {
    const h = new Headers({ 'x-ratelimit-limit': 'abc', 'x-ratelimit-remaining': '-1' });
    expect(readRateLimitHeaders(h, 200, 0)).toBeUndefined();
  });
});

describe('error envelope (msw)', () => {
  it('puts Jira field errors into the ValidationError message', async () => {
    server.use(
      http.post(`${SITE}/rest/api/3/issue`, () =>
        HttpResponse.json({ errorMessages: [], errors: { summary: 'You must specify a summary of the issue.' } }, { status: 400 }),
      ),
    );
    const jira = await client();
    const error = await jira.issues.create({ project: 'FIN', issueType: 'Task', summary: 'x' }).catch((e: unknown) => e);
    expect(isValidationError(error)).toBe(true);
    expect((error as { vendorMessage?: string }).vendorMessage).toBe('summary: You must specify a summary of the issue.');
  });
});

describe('burst limits of the sandbox', () => {
  it('answers bursts with 429 and the real headers; the client retries them with no failure and no duplicate', async () => {
    vi.useFakeTimers();
    const sandbox = createJiraSandbox({ indexLagMs: 0, limits: { burstPerSecond: 4 } });
    const jira = await connectJira({
      auth: { kind: 'api-token', siteUrl: sandbox.siteUrl(), email: 'integration@example.com', apiToken: 'jira-sandbox-api-token' },
      fetch: sandbox.fetch,
      throttle: false,
      retry: { maxRetries: 8 },
    });
    const results = await settle(
      Promise.allSettled(Array.from({ length: 12 }, (_, i) => jira.issues.create({ project: 'FIN', issueType: 'Task', summary: `burst ${i}` }))),
      vi,
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(sandbox.stats.throttled).toBeGreaterThan(0);
    expect(jira.rateLimit.throttled).toBe(sandbox.stats.throttled);
    expect(sandbox.sites.get('acme')?.issues.size).toBe(12);
  });
});
