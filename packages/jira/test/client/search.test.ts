import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isInvalidInputError, isNotFoundError } from '@ml-connector/core';
import { jql, jqlField, jqlPhrase } from '@ml-connector/jira';
import { apiTokenHarness } from './helpers.js';

describe('enhanced JQL search', () => {
  it('pages with nextPageToken until isLast and sends no startAt', async () => {
    const { jira } = await apiTokenHarness();
    const result = await jira.issues.createMany(Array.from({ length: 23 }, (_, i) => ({ project: 'FIN', issueType: 'Task', summary: `item ${i}` })));
    expect(result.failures).toEqual([]);
    const pages: number[] = [];
    const tokens: Array<string | undefined> = [];
    for await (const page of jira.search.issues(jql`project = ${'FIN'} ORDER BY key ASC`, { fields: ['summary'] }).byPage({ maxPageSize: 10 })) {
      pages.push(page.items.length);
      tokens.push(page.continuationToken);
    }
    expect(pages).toEqual([10, 10, 3]);
    expect(tokens[2]).toBeUndefined();
    const all = await jira.search.issues(jql`project = FIN ORDER BY key ASC`, { maxResults: 7 }).toArray({ limit: 100 });
    expect(all.map((i) => i.fields.summary)).toEqual(Array.from({ length: 23 }, (_, i) => `item ${i}`));
  });

  it('never calls the removed /search endpoint (it answers 410)', async () => {
    const { jira } = await apiTokenHarness();
    await expect(jira.http.get('rest/api/3/search', { query: { jql: 'project = FIN' } })).rejects.toSatisfy(isNotFoundError);
    await expect(jira.search.issues('project = FIN').toArray({ limit: 1 })).resolves.toEqual([]);
  });

  it('rejects empty JQL before sending', async () => {
    const { jira } = await apiTokenHarness();
    expect(() => jira.search.issues('  ')).toThrow(/JQL is required/);
  });

  it('escapes values so reserved words and characters cannot change the query', async () => {
    const { jira } = await apiTokenHarness();
    await jira.issues.create({ project: 'FIN', issueType: 'Task', summary: 'normal', customFields: { documentKey: 'A' } });
    const hostile = 'x" OR project = FIN OR summary ~ "y';
    const found = await jira.search.issues(jql`project = FIN AND ${jqlField(jira.customFields.vendor.id)} ~ ${hostile}`).toArray({ limit: 10 });
    expect(found).toEqual([]);
    await expect(jira.search.issues(jql`project = ${'order'}`).toArray({ limit: 1 })).rejects.toThrow(/does not exist for the field 'project'/);
  });
});

describe('index lag and exact text lookup', () => {
  // Only the clock is faked (the index lag is measured against Date.now); the client throttle is off because its
  // token bucket refills with the (frozen) clock.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a new issue is not searchable at once; reconcileIssues or waiting makes it visible', async () => {
    const { jira } = await apiTokenHarness({ indexLagMs: 5000 }, { throttle: false });
    const created = await jira.issues.create({ project: 'FIN', issueType: 'Task', summary: 'fresh', customFields: { documentKey: 'PO-77' } });
    expect(await jira.search.findByExactText('documentKey', 'PO-77')).toEqual([]);
    const reconciled = await jira.search.issues('project = FIN', { reconcileIssues: [Number(created.id)] }).toArray({ limit: 5 });
    expect(reconciled.map((i) => i.key)).toEqual([created.key]);
    vi.setSystemTime(Date.now() + 5000);
    expect((await jira.search.findByExactText('documentKey', 'PO-77')).map((i) => i.key)).toEqual([created.key]);
    // An update is also invisible until indexed: search still sees the old value.
    await jira.issues.update(created.key, { customFields: { documentKey: 'PO-78' } });
    expect((await jira.search.findByExactText('documentKey', 'PO-77')).map((i) => i.key)).toEqual([created.key]);
    vi.setSystemTime(Date.now() + 5000);
    expect(await jira.search.findByExactText('documentKey', 'PO-77')).toEqual([]);
  });

  it('confirms exact values client-side: a phrase match on other text is dropped', async () => {
    const { jira } = await apiTokenHarness({}, { throttle: false });
    const exact = await jira.issues.create({ project: 'FIN', issueType: 'Task', summary: 'a', customFields: { documentKey: 'INV-1' } });
    await jira.issues.create({ project: 'FIN', issueType: 'Task', summary: 'b', customFields: { documentKey: 'inv 1 (copy)' } });
    await jira.issues.create({ project: 'FIN', issueType: 'Task', summary: 'c', customFields: { documentKey: 'INV-10' } });
    const raw = await jira.search.issues(jql`${jqlField(jira.customFields.documentKey.id)} ~ ${jqlPhrase('INV-1')}`).toArray({ limit: 10 });
    expect(raw).toHaveLength(2);
    const found = await jira.search.findByExactText('documentKey', 'INV-1', { project: 'FIN' });
    expect(found.map((i) => i.key)).toEqual([exact.key]);
    await expect(jira.search.findByExactText('nope', 'x')).rejects.toSatisfy(isInvalidInputError);
  });
});
