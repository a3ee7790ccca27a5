import { describe, expect, it } from 'vitest';
import { isInvalidInputError, isValidationError } from '@ml-connector/core';
import {
  adf,
  adfToPlainText,
  connectJira,
  isMissingCustomFieldError,
  isTransitionFieldsError,
  type MissingCustomFieldError,
} from '@ml-connector/jira';
import { SANDBOX_API_TOKEN, SANDBOX_EMAIL, createJiraSandbox } from '@ml-connector/jira/testing';
import { CUSTOM_FIELDS, FAST_THROTTLE, apiTokenHarness, oauthHarness } from './helpers.js';

const description = adf.doc(adf.paragraph('Vendor invoice ', adf.text('INV-1001', { strong: true }), ' was posted.'), adf.bulletList(['Vendor: Contoso', 'Amount: 1250']));

describe('custom fields discovered at connect time', () => {
  it('resolves names to the site-specific ids (ids differ per site)', async () => {
    const sandbox = createJiraSandbox({ sites: [{ name: 'acme' }, { name: 'globex' }] });
    const connect = (site: string) =>
      connectJira({
        auth: { kind: 'api-token', siteUrl: sandbox.siteUrl(site), email: SANDBOX_EMAIL, apiToken: SANDBOX_API_TOKEN },
        customFields: CUSTOM_FIELDS,
        fetch: sandbox.fetch,
        throttle: FAST_THROTTLE,
      });
    const [acme, globex] = await Promise.all([connect('acme'), connect('globex')]);
    expect(acme.customFields.documentKey.name).toBe('ML Document Key');
    expect(acme.customFields.documentKey.id).toMatch(/^customfield_\d+$/);
    expect(acme.customFields.documentKey.id).not.toBe(globex.customFields.documentKey.id);
    expect(acme.customFields.documentKey.clause).toBe(`cf[${acme.customFields.documentKey.id.slice(12)}]`);
  });

  it('fails with a clear error naming every missing field and how to create it', async () => {
    const sandbox = createJiraSandbox();
    const error = await connectJira({
      auth: { kind: 'api-token', siteUrl: sandbox.siteUrl(), email: SANDBOX_EMAIL, apiToken: SANDBOX_API_TOKEN },
      customFields: { documentKey: 'ML Document Key', approval: 'Approval Ref', other: 'Nope' },
      fetch: sandbox.fetch,
    }).catch((e: unknown) => e);
    expect(isMissingCustomFieldError(error)).toBe(true);
    const e = error as MissingCustomFieldError;
    expect(e.problems.map((p) => p.alias)).toEqual(['approval', 'other']);
    expect(e.message).toContain('"Approval Ref" (for approval) does not exist');
    expect(e.message).toContain('Custom fields → Create custom field');
  });
});

describe('issues', () => {
  it('creates with an ADF description and custom fields by alias, then reads them back', async () => {
    const { jira, sandbox } = await oauthHarness();
    const created = await jira.issues.create({
      project: 'FIN',
      issueType: 'Task',
      summary: 'Check vendor invoice INV-1001',
      description,
      labels: ['ml-connector'],
      customFields: { documentKey: 'INV-1001', vendor: 'Contoso', amount: 1250 },
    });
    expect(created.key).toBe('FIN-1');
    const issue = await jira.issues.get(created.key);
    expect(issue.fields[jira.customFields.documentKey.id]).toBe('INV-1001');
    expect(issue.fields[jira.customFields.amount.id]).toBe(1250);
    expect(adfToPlainText(issue.fields.description)).toContain('INV-1001');
    const stored = [...(sandbox.sites.get('acme')?.issues.values() ?? [])][0];
    expect(stored?.fields.description).toEqual(description);
  });

  it('refuses raw string bodies before sending, and the emulator refuses them too', async () => {
    const { jira } = await apiTokenHarness();
    const bad = { project: 'FIN', issueType: 'Task', summary: 'x', description: 'plain text' as never };
    await expect(jira.issues.create(bad)).rejects.toSatisfy(isInvalidInputError);
    const error = await jira.http
      .post('rest/api/3/issue', { json: { fields: { project: { key: 'FIN' }, issuetype: { name: 'Task' }, summary: 's', description: 'plain' } } })
      .catch((e: unknown) => e);
    expect(isValidationError(error)).toBe(true);
    expect((error as Error).message).toContain('Atlassian Document');
  });

  it('maps Jira field errors (unknown project, wrong custom field type) to ValidationError', async () => {
    const { jira } = await apiTokenHarness();
    await expect(jira.issues.create({ project: 'NOPE', issueType: 'Task', summary: 's' })).rejects.toThrow(/valid project/);
    await expect(jira.issues.create({ project: 'FIN', issueType: 'Task', summary: 's', customFields: { amount: 'many' } })).rejects.toThrow(/must be a number/);
    await expect(jira.issues.create({ project: 'FIN', issueType: 'Task', summary: 's', customFields: { nope: 1 } })).rejects.toThrow(/Unknown custom field alias "nope"/);
  });

  it('updates fields and keeps the rest', async () => {
    const { jira } = await apiTokenHarness();
    const { key } = await jira.issues.create({ project: 'FIN', issueType: 'Task', summary: 'before', customFields: { vendor: 'A' } });
    await jira.issues.update(key, { summary: 'after', customFields: { amount: 10 } });
    const issue = await jira.issues.get(key);
    expect(issue.fields.summary).toBe('after');
    expect(issue.fields[jira.customFields.vendor.id]).toBe('A');
    expect(issue.fields[jira.customFields.amount.id]).toBe(10);
    await expect(jira.issues.update(key, {})).rejects.toSatisfy(isInvalidInputError);
    await expect(jira.issues.get('../field')).rejects.toSatisfy(isInvalidInputError);
  });

  it('bulk-creates in chunks of 50 and reports per-item failures by input index', async () => {
    const { jira, sandbox } = await apiTokenHarness();
    const inputs = Array.from({ length: 60 }, (_, i) => ({
      project: 'FIN',
      issueType: 'Task',
      summary: `bulk ${i}`,
      customFields: { amount: i === 7 || i === 55 ? ('bad' as unknown as number) : i },
    }));
    const result = await jira.issues.createMany(inputs);
    expect(result.failures.map((f) => f.index)).toEqual([7, 55]);
    expect(result.failures[0]?.messages.join()).toMatch(/must be a number/);
    expect(result.created.filter(Boolean)).toHaveLength(58);
    expect(result.created[7]).toBeUndefined();
    expect(result.created[8]?.key).toBeDefined();
    const stored = sandbox.sites.get('acme')?.issues;
    const byKey = [...(stored?.values() ?? [])].find((i) => i.key === result.created[8]?.key);
    expect(byKey?.fields.summary).toBe('bulk 8');
  });

  it('lists transitions with screen fields and checks required fields before sending', async () => {
    const { jira, sandbox } = await apiTokenHarness();
    const { key } = await jira.issues.create({ project: 'FIN', issueType: 'Task', summary: 'to transition' });
    const transitions = await jira.issues.listTransitions(key);
    const done = transitions.find((t) => t.name === 'Done');
    expect(done?.fields?.resolution?.required).toBe(true);
    const before = sandbox.stats.apiRequests;
    const error = await jira.issues.transition(key, { transition: 'Done' }).catch((e: unknown) => e);
    expect(isTransitionFieldsError(error)).toBe(true);
    expect((error as Error).message).toContain('resolution (Resolution)');
    expect(sandbox.stats.apiRequests - before).toBe(1); // only the transitions lookup
    await jira.issues.transition(key, { transition: 'Done', fields: { resolution: { name: 'Done' } }, comment: adf.doc(adf.paragraph('closing')) });
    const issue = await jira.issues.get(key);
    expect((issue.fields.status as { name: string }).name).toBe('Done');
    expect((issue.fields.resolution as { name: string }).name).toBe('Done');
    await expect(jira.issues.transition(key, { transition: 'Start progress' })).rejects.toThrow(/not available.*Reopen/);
  });

  it('adds comments with properties and lists them; links issues', async () => {
    const { jira, sandbox } = await oauthHarness();
    const a = await jira.issues.create({ project: 'FIN', issueType: 'Task', summary: 'a' });
    const b = await jira.issues.create({ project: 'FIN', issueType: 'Bug', summary: 'b' });
    const comment = await jira.issues.addComment(a.key, adf.fromPlainText('first line\nsecond\n\nnew paragraph'), { properties: { 'ml-connector': { echo: true } } });
    expect(comment.properties?.[0]?.key).toBe('ml-connector');
    await jira.issues.addComment(a.key, adf.doc(adf.paragraph('second comment')));
    const comments = await jira.issues.listComments(a.key).toArray({ limit: 10 });
    expect(comments.map((c) => adfToPlainText(c.body))).toEqual(['first line\nsecond\n\nnew paragraph', 'second comment']);
    await jira.issues.link({ type: 'Blocks', outward: a.key, inward: b.key });
    expect(sandbox.sites.get('acme')?.links).toEqual([expect.objectContaining({ type: 'Blocks', outward: a.key, inward: b.key })]);
    await expect(jira.issues.link({ type: 'Nope', outward: a.key, inward: b.key })).rejects.toThrow(/No issue link type/);
  });

  it('lists projects and issue types', async () => {
    const { jira } = await apiTokenHarness({ sites: [{ name: 'acme', projects: [{ key: 'FIN', name: 'Finance' }, { key: 'OPS', name: 'Ops', issueTypes: ['Incident'] }] }] });
    expect((await jira.metadata.listProjects().toArray({ limit: 10 })).map((p) => p.key)).toEqual(['FIN', 'OPS']);
    expect((await jira.metadata.listIssueTypes('OPS')).map((t) => t.name)).toEqual(['Incident']);
  });
});
