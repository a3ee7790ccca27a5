import { describe, expect, it } from 'vitest';
import { harness } from './helpers.js';

async function seeded() {
  const h = harness();
  const acmeDocKey = h.sandbox.sites.get('acme')?.fields.find((f) => f.name === 'ML Document Key')?.id as string;
  const amount = h.sandbox.sites.get('acme')?.fields.find((f) => f.name === 'Amount')?.id as string;
  await h.create({ summary: 'Invoice posted for Contoso', [acmeDocKey]: 'INV-1001', [amount]: 100, labels: ['ap'] });
  await h.create({ summary: 'Purchase order confirmed', [acmeDocKey]: 'PO-2002', [amount]: 250 });
  await h.create({ summary: 'Workflow document rejected', issuetype: { name: 'Bug' }, [acmeDocKey]: 'WF-3003', [amount]: 40 });
  return { ...h, acmeDocKey, amount, num: acmeDocKey.slice(12) };
}

const keys = (r: { body: { issues?: Array<{ key: string }> } }) => r.body.issues?.map((i) => i.key);

describe('JQL subset of the sandbox', () => {
  it('evaluates AND, OR, NOT, parentheses, IN and ORDER BY', async () => {
    const h = await seeded();
    expect(keys(await h.search('project = FIN AND issuetype = Task ORDER BY key ASC'))).toEqual(['FIN-1', 'FIN-2']);
    expect(keys(await h.search('issuetype = Bug OR key = FIN-1 ORDER BY key DESC'))).toEqual(['FIN-3', 'FIN-1']);
    expect(keys(await h.search('project = FIN AND NOT (issuetype = Bug OR key IN (FIN-1)) '))).toEqual(['FIN-2']);
    expect(keys(await h.search('status = "To Do" AND labels = ap'))).toEqual(['FIN-1']);
    expect(keys(await h.search(`cf[${h.num}] ~ "\\"PO-2002\\"" AND cf[${h.amount.slice(12)}] >= 200`))).toEqual(['FIN-2']);
    expect(keys(await h.search(`project = FIN ORDER BY cf[${h.amount.slice(12)}] DESC`))).toEqual(['FIN-2', 'FIN-1', 'FIN-3']);
  });

  it('text search: words in any order, phrases in order, case-insensitive, over text custom fields too', async () => {
    const h = await seeded();
    expect(keys(await h.search('summary ~ "contoso invoice"'))).toEqual(['FIN-1']);
    expect(keys(await h.search('summary ~ "\\"contoso invoice\\""'))).toEqual([]);
    expect(keys(await h.search('summary ~ "\\"invoice POSTED\\""'))).toEqual(['FIN-1']);
    expect(keys(await h.search('text ~ "WF-3003"'))).toEqual(['FIN-3']);
    expect(keys(await h.search('"ML Document Key" ~ "inv*"'))).toEqual(['FIN-1']);
    expect(keys(await h.search('summary !~ "purchase" ORDER BY key ASC'))).toEqual(['FIN-1', 'FIN-3']);
  });

  it("answers Jira's errors: = on a text field, unknown field or value, bad syntax, unbounded query, removed endpoint", async () => {
    const h = await seeded();
    const eq = await h.search(`cf[${h.num}] = "INV-1001"`);
    expect(eq.status).toBe(400);
    expect(eq.body.errorMessages?.[0]).toBe(`The operator '=' is not supported by the 'cf[${h.num}]' field.`);
    expect((await h.search('colour = red')).body.errorMessages?.[0]).toBe("Field 'colour' does not exist or you do not have permission to view it.");
    expect((await h.search('project = NOPE')).body.errorMessages?.[0]).toBe("The value 'NOPE' does not exist for the field 'project'.");
    expect((await h.search('summary ~ "open')).status).toBe(400);
    expect((await h.search('project = FIN status = Done')).status).toBe(400);
    expect((await h.search('ORDER BY created DESC')).body.errorMessages?.[0]).toMatch(/Unbounded JQL/);
    expect((await h.send('POST', 'search', { jql: 'project = FIN' })).status).toBe(410);
  });

  it('pages with nextPageToken (no total), tokens bound to their query, ids only by default', async () => {
    const h = await seeded();
    const first = await h.search('project = FIN ORDER BY key ASC', { maxResults: 2 });
    expect(first.body.isLast).toBe(false);
    expect(first.body).not.toHaveProperty('total');
    const second = await h.search('project = FIN ORDER BY key ASC', { maxResults: 2, nextPageToken: first.body.nextPageToken });
    expect(keys(second)).toEqual(['FIN-3']);
    expect(second.body.isLast).toBe(true);
    expect(second.body).not.toHaveProperty('nextPageToken');
    expect((await h.search('project = FIN', { nextPageToken: first.body.nextPageToken })).status).toBe(400);
    const idsOnly = (await (await h.send('POST', 'search/jql', { jql: 'project = FIN' })).json()) as { issues: unknown[] };
    expect(idsOnly.issues[0]).toEqual({ id: expect.any(String) });
  });

  it('index lag: writes become searchable only after the lag; reconcileIssues reads them live', async () => {
    let t = 1_000_000;
    const h = harness({ indexLagMs: 3000, now: () => t });
    const created = await h.create({ summary: 'lagging' });
    expect(keys(await h.search('summary ~ lagging'))).toEqual([]);
    expect(keys(await h.search('summary ~ lagging', { reconcileIssues: [Number(created.body.id)] }))).toEqual([created.body.key]);
    t += 3000;
    expect(keys(await h.search('summary ~ lagging'))).toEqual([created.body.key]);
  });
});
