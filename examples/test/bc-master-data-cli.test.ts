import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMasterDataSettings, masterDataExample } from '../src/bc-master-data/example.ts';
import { paymentStatusExample } from '../src/bc-payment-status/example.ts';
import { runExample } from '../src/shared/index.ts';

function capture() {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

async function cli(definition: Parameters<typeof runExample>[0], argv: string[]) {
  const stdout = capture();
  const stderr = capture();
  const code = await runExample(definition, argv, { stdout: stdout.stream, stderr: stderr.stream });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe('pnpm example:bc-master-data and example:bc-payment-status on the emulators (no configuration)', () => {
  let stateDir: string;
  const saved = process.env.ML_CONNECTOR_STATE_DIR;
  beforeAll(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'mlc-master-data-'));
    process.env.ML_CONNECTOR_STATE_DIR = stateDir;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.ML_CONNECTOR_STATE_DIR;
    else process.env.ML_CONNECTOR_STATE_DIR = saved;
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('runs the three flows under one summary; the second run creates 0; audit, dry run and review work', async () => {
    const example = masterDataExample(loadMasterDataSettings({}));
    const first = await cli(example, ['--json']);
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout);
    expect(summary).toMatchObject({ flow: 'bc-master-data (vendors, accounts, dimension values)', status: 'completed', failed: 0, review: 0 });
    expect(summary.created).toBeGreaterThan(30);

    const second = JSON.parse((await cli(example, ['--json'])).stdout);
    expect(second).toMatchObject({ created: 0, updated: 0, failed: 0 });

    const dry = await cli(example, ['--dry-run', '--json']);
    expect(JSON.parse(dry.stdout.trim().split('\n').at(-1)!)).toMatchObject({ dryRun: true, created: 0, updated: 0 });

    const audit = await cli(example, ['--audit', 'V00003']);
    expect(audit.code).toBe(0);
    expect(audit.stdout).toContain('bc-master-data.vendors');
    expect(audit.stdout).toContain('written');

    const review = await cli(example, ['--review']);
    expect(review.stdout).toContain('The review queue of bc-master-data.vendors is empty.');
  });

  it('bc-payment-status runs on the same state: nothing paid from JAGGAER yet, nothing reported', async () => {
    const run = await cli(paymentStatusExample, ['--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ flow: 'bc-payment-status', status: 'completed', created: 0, failed: 0 });
  });
});
