import { afterEach, describe, expect, it, vi } from 'vitest';
import { isInvalidInputError, silentLogger } from '@ml-connector/core';
import { isCheckpointUnreadableError, type RunSummary, type SourcePage, type SyncEngine } from '@ml-connector/core/sync';
import { parseConflictPolicy } from '../src/oracle/conflicts.ts';
import { loadOracleExampleEnvironment } from '../src/oracle/connections.ts';
import { jaggaerWindowSource, oracleModifiedSource } from '../src/oracle/sources.ts';
import { watchFlows } from '../src/oracle/watch.ts';
import { createOracleWorld } from './oracle-world.ts';

const context = () => ({ signal: new AbortController().signal, logger: silentLogger });
const JAGGAER = { JAGGAER_HOST: 'acme.api.jaggaer.com', JAGGAER_CLIENT_ID: 'id', JAGGAER_CLIENT_SECRET: 'jaggaer-secret-value' };
const ORACLE = { ORACLE_HOST: 'acme.fa.us2.oraclecloud.com', ORACLE_IDENTITY_DOMAIN_URL: 'https://idcs-1.identity.oraclecloud.com', ORACLE_SCOPE: 'urn:x', ORACLE_CLIENT_ID: 'app', ORACLE_CLIENT_SECRET: 'oracle-secret-value' };

async function pages<S>(iterable: AsyncIterable<SourcePage<S>>): Promise<SourcePage<S>[]> {
  const out: SourcePage<S>[] = [];
  for await (const page of iterable) out.push(page);
  return out;
}

describe('Oracle examples: configuration', () => {
  it('uses the emulators without ORACLE_* and JAGGAER_*; ignores BC_*', () => {
    const env = loadOracleExampleEnvironment({ BC_TENANT_ID: 't' }, '/tmp');
    expect(env.oracleFusion).toBeUndefined();
    expect(env.jaggaer).toBeUndefined();
  });

  it('reads an OAuth or a Basic pod paired with JAGGAER', () => {
    expect(loadOracleExampleEnvironment({ ...JAGGAER, ...ORACLE }, '/tmp').oracleFusion?.oauth?.clientId).toBe('app');
    const basic = loadOracleExampleEnvironment({ ...JAGGAER, ORACLE_HOST: 'acme.fa.us2.oraclecloud.com', ORACLE_USERNAME: 'u', ORACLE_PASSWORD: 'p' }, '/tmp');
    expect(basic.oracleFusion?.basic?.username).toBe('u');
  });

  it('refuses a partial pod, naming what is missing and never a secret; refuses a mix', () => {
    const partial = (() => {
      try {
        loadOracleExampleEnvironment({ ...JAGGAER, ORACLE_HOST: 'acme.fa.us2.oraclecloud.com', ORACLE_CLIENT_SECRET: 'oracle-secret-value' }, '/tmp');
      } catch (error) {
        return error;
      }
    })();
    expect(isInvalidInputError(partial)).toBe(true);
    expect(String((partial as Error).message)).toMatch(/ORACLE_IDENTITY_DOMAIN_URL, ORACLE_SCOPE, ORACLE_CLIENT_ID are missing/);
    expect(JSON.stringify(partial) + String((partial as Error).message)).not.toContain('oracle-secret-value');
    expect(() => loadOracleExampleEnvironment({ ...ORACLE }, '/tmp')).toThrow(/Only Oracle Fusion is configured/);
    expect(() => loadOracleExampleEnvironment({ ...JAGGAER }, '/tmp')).toThrow(/Only JAGGAER is configured/);
  });

  it('refuses an unknown conflict policy with the choices', () => {
    expect(parseConflictPolicy(undefined)).toBe('review');
    expect(() => parseConflictPolicy('last-wins')).toThrow(/review, oracle-wins, jaggaer-wins, newest-wins/);
  });
});

describe('Oracle examples: sources', () => {
  it('an Oracle cursor the source cannot read is CheckpointUnreadable (the engine backfills)', async () => {
    const world = createOracleWorld();
    const source = oracleModifiedSource({ flow: 'f', stream: 's', resource: world.oracle.suppliers, keyAttribute: 'SupplierId', id: (s) => s.SupplierNumber, businessIds: () => [] });
    const error = await pages(source.read('not-a-cursor', context())).catch((e: unknown) => e);
    expect(isCheckpointUnreadableError(error)).toBe(true);
  });

  it('a JAGGAER window delivers equal timestamps across pages once, resumes from its cursor, and skips what it delivered', async () => {
    const records = [
      { id: 'a', at: '2026-01-01T00:00:00Z' },
      { id: 'b', at: '2026-01-01T00:00:05Z' },
      { id: 'c', at: '2026-01-01T00:00:05Z' },
      { id: 'd', at: '2026-01-01T00:00:05Z' },
      { id: 'e', at: '2026-01-01T00:00:09Z' },
    ];
    const listed: (Date | undefined)[] = [];
    const source = jaggaerWindowSource({
      flow: 'f',
      stream: 's',
      query: {},
      pageSize: 2,
      lookBackMs: 60_000,
      list: async function* (since) {
        listed.push(since);
        for (const r of records) if (!since || Date.parse(r.at) >= since.getTime()) yield r;
      },
      id: (r) => r.id,
      modified: (r) => r.at,
      businessIds: (r) => [r.id],
    });
    const first = await pages(source.read(undefined, context()));
    expect(first.flatMap((p) => p.records.map((r) => r.id))).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(first).toHaveLength(3);
    // Resuming after the first page: the window is read again from high-water − look-back; a and b are not repeated.
    const resumed = await pages(source.read(first[0]!.cursor, context()));
    expect(resumed.flatMap((p) => p.records.map((r) => r.id))).toEqual(['c', 'd', 'e']);
    records.push({ id: 'b', at: '2026-01-01T00:00:20Z' });
    const later = await pages(source.read(first.at(-1)!.cursor, context()));
    expect(later.flatMap((p) => p.records.map((r) => r.id))).toEqual(['b']);
    expect(listed.at(-1)?.toISOString()).toBe('2025-12-31T23:59:09.000Z');
    expect(isCheckpointUnreadableError(await pages(source.read('{}', context())).catch((e: unknown) => e))).toBe(true);
  });
});

describe('Oracle examples: --watch', () => {
  afterEach(() => vi.useRealTimers());

  it('runs the flows in order every interval until aborted; a failed flow ends its round', async () => {
    vi.useFakeTimers();
    const order: string[] = [];
    const statusOf: Record<string, RunSummary['status']> = { a: 'completed', b: 'failed', c: 'completed' };
    const engine = {
      run: async (flow: { name: string }) => {
        order.push(flow.name);
        return { runId: 'r', flow: flow.name, status: statusOf[flow.name]!, counts: { read: 0, created: 0, updated: 0, skipped: 0, review: 0, failed: 0 }, durationMs: 1, dryRun: false };
      },
    } as unknown as SyncEngine;
    const controller = new AbortController();
    const heard: string[] = [];
    const done = watchFlows(engine, [{ name: 'a' }, { name: 'b' }, { name: 'c' }] as never, 30_000, controller.signal, (s) => heard.push(s.flow));
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual(['a', 'b']);
    await vi.advanceTimersByTimeAsync(29_000);
    expect(order).toEqual(['a', 'b']);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(order).toEqual(['a', 'b', 'a', 'b']);
    controller.abort();
    await done;
    expect(heard).toEqual(order);
  });
});
