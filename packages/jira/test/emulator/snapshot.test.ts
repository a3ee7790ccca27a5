import { describe, expect, it } from 'vitest';
import { harness } from './helpers.js';

const doc = (text: string) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

describe('Jira sandbox: snapshot and restore', () => {
  it('restores issues, comments and links; keys and ids continue after the restored ones', async () => {
    const first = harness();
    const a = (await first.create({ summary: 'Invoice INV-1 blocked' })).body;
    const b = (await first.create({ summary: 'Invoice INV-2 blocked' })).body;
    expect((await first.send('POST', `issue/${a.key}/comment`, { body: doc('checked') })).status).toBe(201);
    expect((await first.send('POST', 'issueLink', { type: { name: 'Relates' }, inwardIssue: { key: a.key }, outwardIssue: { key: b.key } })).status).toBe(201);

    const second = harness({ sites: JSON.parse(JSON.stringify(first.sandbox.snapshot())) });
    expect(second.sandbox.cloudId()).toBe(first.sandbox.cloudId());
    const restored = await second.send('GET', `issue/${a.key}?fields=summary,comment`);
    expect(restored.status).toBe(200);
    const body = (await restored.json()) as { id: string; fields: { summary: string; comment: { comments: unknown[] } } };
    expect(body).toMatchObject({ id: a.id, fields: { summary: 'Invoice INV-1 blocked' } });
    expect(body.fields.comment.comments).toHaveLength(1);
    expect(second.sandbox.snapshot()[0]?.state?.links).toEqual([expect.objectContaining({ inward: a.key, outward: b.key })]);
    expect((await second.search('summary ~ "INV-2"')).body.issues?.map((i) => i.key)).toEqual([b.key]);
    const c = (await second.create({ summary: 'after restart' })).body;
    expect([a.key, b.key]).not.toContain(c.key);
    expect(Number(c.id)).toBeGreaterThan(Number(b.id));
  });
});
