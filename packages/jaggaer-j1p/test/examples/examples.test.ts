import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const source = (name: string) => readFileSync(new URL(`./${name}`, import.meta.url), 'utf8').trim();
/** The ```ts block that follows `heading` in the README. */
const blockAfter = (heading: string) => {
  const at = readme.indexOf(heading);
  expect(at, `README has "${heading}"`).toBeGreaterThanOrEqual(0);
  const match = /```ts\n([\s\S]*?)```/.exec(readme.slice(at));
  return match?.[1]?.trim();
};

describe('README examples run as written', () => {
  it('the quick start is this typechecked file, and it runs', async () => {
    expect(blockAfter('## Quick start')).toBe(source('quick-start.ts'));
    const run = await import('./quick-start.js');
    expect(run.invoice.lines.length).toBeGreaterThan(0);
    expect(run.recent.length).toBe(10);
    expect(run.recentWithLines.every((i) => i.lines.length > 0)).toBe(true);
    expect(run.erpLines.length).toBeGreaterThan(100);
    expect(new Set(run.erpLines.map((l) => l.invoiceId)).size).toBeGreaterThan(50);
  });

  it('the real-socket example is this typechecked file, and it runs on loopback', async () => {
    expect(blockAfter('### A real socket')).toBe(source('real-socket.ts'));
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await import('./real-socket.js');
    expect(log.mock.calls[0]).toEqual([true]);
    expect(log.mock.calls[1]![0]).toHaveLength(5);
  });
});
