import { describe, expect, it } from 'vitest';
import { isOutcomeUnknownError } from '@ml-connector/core';
import { connectJira } from '@ml-connector/jira';
import { SANDBOX_API_TOKEN, SANDBOX_EMAIL } from '@ml-connector/jira/testing';
import { harness } from './helpers.js';

const doc = (...content: unknown[]) => ({ type: 'doc', version: 1, content });

describe('issues in the sandbox', () => {
  it('validates ADF: strings, wrong versions, empty text and unknown nodes are refused', async () => {
    const h = harness();
    expect((await h.create({ summary: 's', description: 'plain' })).body.errors?.description).toMatch(/Atlassian Document/);
    expect((await h.create({ summary: 's', description: { type: 'doc', version: 2, content: [] } })).body.errors?.description).toBe('INVALID_INPUT');
    expect((await h.create({ summary: 's', description: doc({ type: 'paragraph', content: [{ type: 'text', text: '' }] }) })).status).toBe(400);
    expect((await h.create({ summary: 's', description: doc({ type: 'script', content: [] }) })).status).toBe(400);
    expect((await h.create({ summary: 's', description: doc({ type: 'paragraph', content: [{ type: 'text', text: 'ok', marks: [{ type: 'strong' }] }] }) })).status).toBe(201);
  });

  it('validates create fields with per-field messages', async () => {
    const h = harness();
    expect((await h.create({})).body.errors).toEqual({ summary: 'You must specify a summary of the issue.' });
    expect((await h.create({ summary: 'x'.repeat(256) })).body.errors?.summary).toMatch(/less than 255/);
    expect((await h.create({ summary: 's', customfield_99999: 'x' })).body.errors?.customfield_99999).toMatch(/cannot be set/);
    expect((await h.create({ summary: 's', issuetype: { name: 'Epic' } })).body.errors).toEqual({ issuetype: 'Specify an issue type' });
  });

  it('enforces required transition fields server-side too', async () => {
    const h = harness();
    const { body } = await h.create({ summary: 't' });
    const r = await h.send('POST', `issue/${body.key}/transitions`, { transition: { id: '31' } });
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({ errorMessages: [], errors: { resolution: 'Resolution is required.' } });
    expect((await h.send('POST', `issue/${body.key}/transitions`, { transition: { id: '51' } })).status).toBe(400);
  });

  it('limits writes per issue (jira-per-issue-on-write)', async () => {
    const h = harness({ limits: { perIssueWritesPerSecond: 2 } });
    const { body } = await h.create({ summary: 't' });
    const statuses: number[] = [];
    let reason: string | null = null;
    for (let i = 0; i < 4; i++) {
      const r = await h.send('PUT', `issue/${body.key}`, { fields: { summary: `v${i}` } });
      statuses.push(r.status);
      reason ??= r.headers.get('ratelimit-reason');
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(reason).toBe('jira-per-issue-on-write');
  });
});

describe('fault injection', () => {
  it('a create whose connection drops after processing is OutcomeUnknown for the client, and the issue exists', async () => {
    const h = harness();
    const jira = await connectJira({ auth: { kind: 'api-token', siteUrl: h.sandbox.siteUrl(), email: SANDBOX_EMAIL, apiToken: SANDBOX_API_TOKEN }, fetch: h.sandbox.fetch, throttle: false });
    h.sandbox.faults.enqueue({ kind: 'reset-after' });
    const error = await jira.issues.create({ project: 'FIN', issueType: 'Task', summary: 'maybe' }).catch((e: unknown) => e);
    expect(isOutcomeUnknownError(error)).toBe(true);
    expect(h.sandbox.sites.get('acme')?.issues.size).toBe(1);
  });

  it('injected 503s carry Retry-After and the Jira envelope; reads are retried through them', async () => {
    const h = harness();
    h.sandbox.faults.enqueue({ kind: 'status', status: 503, retryAfterSeconds: 0 }, { kind: 'truncate' });
    const direct = await h.send('GET', 'field');
    expect(direct.status).toBe(503);
    expect(direct.headers.get('retry-after')).toBe('0');
    const jira = await connectJira({ auth: { kind: 'api-token', siteUrl: h.sandbox.siteUrl(), email: SANDBOX_EMAIL, apiToken: SANDBOX_API_TOKEN }, fetch: h.sandbox.fetch, throttle: false, retry: { baseDelayMs: 0, maxDelayMs: 0 } });
    h.sandbox.faults.enqueue({ kind: 'status', status: 429, retryAfterSeconds: 0 }, { kind: 'reset-before' });
    expect((await jira.metadata.listFields()).length).toBeGreaterThan(10);
    expect(h.sandbox.stats.faultsInjected).toBe(4);
  });
});
