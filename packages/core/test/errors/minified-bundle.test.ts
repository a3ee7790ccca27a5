import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Bundlers rename classes when minifying; error names, kinds and the retry policy must not depend on them.
type Core = typeof import('@ml-connector/core');
let core: Core;
let dir: string;
let bundle: string;

beforeAll(async () => {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('../../src/index.ts', import.meta.url))],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    write: false,
    logLevel: 'silent',
  });
  dir = mkdtempSync(join(tmpdir(), 'mlc-minified-'));
  const file = join(dir, 'core.min.mjs');
  bundle = result.outputFiles[0]!.text;
  writeFileSync(file, bundle);
  core = (await import(pathToFileURL(file).href)) as Core;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fetch that answers from a script of outcomes, recording each call. */
function scriptedFetch(outcomes: Array<number | 'reset'>) {
  const calls: string[] = [];
  const fetch: typeof globalThis.fetch = async (input: RequestInfo | URL) => {
    calls.push(String(input instanceof Request ? input.url : input));
    const next = outcomes.shift() ?? 200;
    if (next === 'reset') {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
    }
    return Response.json(next === 200 ? { ok: true } : { error: { code: 'E', message: `status ${next}` } }, { status: next });
  };
  return { fetch, calls };
}

const clientOf = (fetch: typeof globalThis.fetch) =>
  core.createHttpClient({ baseUrl: 'http://127.0.0.1:7999/api/', allowLoopback: true, throttle: false, fetch, retry: { random: () => 0 } });

describe('errors in a minified bundle', () => {
  it('the bundle really renames classes (otherwise this test proves nothing)', () => {
    expect(bundle).not.toMatch(/class NotFoundError\b/);
  });

  it('keeps literal names and kinds, so the is…Error guards hold', async () => {
    const error = await clientOf(scriptedFetch([404]).fetch)
      .get('thing')
      .catch((e: unknown) => e);
    expect(core.isNotFoundError(error)).toBe(true);
    expect(core.isHttpError(error)).toBe(true);
    expect(core.isConnectorError(error)).toBe(true);
    expect(core.isServerError(error)).toBe(false);
    expect((error as Error).name).toBe('NotFoundError');
    expect(String(error)).toMatch(/^NotFoundError: Not found/);
    expect((error as Error).stack).toMatch(/^NotFoundError: /);
    expect((error as { kinds: string[] }).kinds).toEqual(['NotFoundError', 'HttpError', 'ConnectorError']);
    expect(pino.stdSerializers.err(error as Error).type).toBe('NotFoundError');
    expect(core.isInvalidInputError(new core.InvalidInputError('x'))).toBe(true);
    expect(core.isPagingLoopError(new core.PagingLoopError('t', 2))).toBe(true);
  });

  it('the retry policy still classifies 5xx and network failures', async () => {
    const script = scriptedFetch([503, 'reset', 200]);
    expect(await clientOf(script.fetch).get('thing')).toEqual({ ok: true });
    expect(script.calls).toHaveLength(3);
  });

  it('a write reset after sending stays an OutcomeUnknownError', async () => {
    const error = await clientOf(scriptedFetch(['reset']).fetch)
      .post('thing', { json: {} })
      .catch((e: unknown) => e);
    expect(core.isOutcomeUnknownError(error)).toBe(true);
    expect((error as Error).name).toBe('OutcomeUnknownError');
  });
});
