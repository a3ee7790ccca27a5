import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ORACLE_SANDBOX_CLIENT_SECRET } from '@ml-connector/oracle-fusion/testing';
import { SANDBOX_CLIENT_SECRET as JAGGAER_SECRET } from '@ml-connector/jaggaer-j1p/testing';
import { runExample, type ExampleIo } from '../src/shared/index.ts';
import { oracleToJaggaerExample } from '../src/oracle-to-jaggaer/example.ts';
import { loadOracleFlowSettings } from '../src/oracle/settings.ts';
import type { OracleConnections } from '../src/oracle/connections.ts';
import { createOracleWorld } from './oracle-world.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function captured(): ExampleIo & { out: () => string } {
  const chunks: string[] = [];
  const sink = { isTTY: false, write: (chunk: string) => (chunks.push(String(chunk)), true) } as unknown as NodeJS.WritableStream & { isTTY?: boolean };
  return { stdout: sink, stderr: sink, out: () => chunks.join('') };
}

describe('oracle-to-jaggaer through the shared runner', () => {
  it('one summary for all flows, a second run writes 0, audit by business id, no secret in the output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlc-oracle-cli-'));
    dirs.push(dir);
    const world = createOracleWorld();
    const connections: OracleConnections = { mode: 'emulators', description: 'in-process sandboxes', oracle: world.oracle, jaggaer: world.jaggaer, requestsUsed: () => 0, close: async () => {} };
    const definition = {
      ...oracleToJaggaerExample(loadOracleFlowSettings({})),
      systems: { environment: () => ({ stateDir: dir, statePath: join(dir, 'state.sqlite') }), connect: async () => connections },
    };
    const first = captured();
    expect(await runExample(definition, ['--json'], first)).toBe(0);
    const summary = JSON.parse(first.out().trim().split('\n').at(-1)!) as { created: number; updated: number; review: number; failed: number };
    expect(summary.created).toBe(88);
    expect(summary.review + summary.failed).toBe(0);

    const second = captured();
    expect(await runExample(definition, ['--json'], second)).toBe(0);
    const again = JSON.parse(second.out().trim().split('\n').at(-1)!) as { created: number; updated: number; review: number; failed: number };
    expect(again.created + again.updated).toBe(0);

    const audit = captured();
    expect(await runExample(definition, ['--audit', 'PO-00003'], audit)).toBe(0);
    expect(audit.out()).toContain('oracle-purchase-orders-to-jaggaer');
    expect(audit.out()).toMatch(/written/);

    for (const output of [first.out(), second.out(), audit.out()]) {
      expect(output).not.toContain(ORACLE_SANDBOX_CLIENT_SECRET);
      expect(output).not.toContain(JAGGAER_SECRET);
    }
  });
});
