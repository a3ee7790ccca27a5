import { describe, expect, it } from 'vitest';
import { isInvalidInputError } from '@ml-connector/core';
import { parseExampleArgs } from '../src/shared/args.ts';
import { loadExampleEnvironment } from '../src/shared/config.ts';
import { renderSummaryTable, summaryRecord } from '../src/shared/summary.ts';

const invalid = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(isInvalidInputError(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected an InvalidInputError');
};

describe('example command line', () => {
  it('takes --replay with or without a reason or record id, and an --override only with it', () => {
    expect(parseExampleArgs(['--replay']).replay).toEqual({});
    expect(parseExampleArgs(['--replay', '--dry-run'])).toMatchObject({ replay: {}, dryRun: true });
    expect(parseExampleArgs(['--replay', 'missing-mapping']).replay).toEqual({ target: 'missing-mapping' });
    expect(parseExampleArgs(['--replay', '2500044', '--override', '{"postingDate":"2026-01-31"}']).replay).toEqual({
      target: '2500044',
      override: { postingDate: '2026-01-31' },
    });
    expect(invalid(() => parseExampleArgs(['--override', '{}']))).toMatch(/only applies with --replay/);
    expect(invalid(() => parseExampleArgs(['--replay', 'x', '--override', '[1]']))).toMatch(/JSON object/);
  });

  it('refuses contradictions and bad values with a message that says what to fix', () => {
    expect(invalid(() => parseExampleArgs(['--dry-run', '--post']))).toMatch(/exclude each other/);
    expect(invalid(() => parseExampleArgs(['--limit', '0']))).toMatch(/--limit must be a positive whole number/);
    expect(invalid(() => parseExampleArgs(['--audit', 'INV-1', '--review']))).toMatch(/only one of/);
    expect(invalid(() => parseExampleArgs(['--bogus']))).toMatch(/--help/);
    expect(parseExampleArgs(['--audit', 'INV-0000044', '--limit', '5'])).toMatchObject({ audit: 'INV-0000044', limit: 5, post: false });
  });
});

describe('example configuration', () => {
  it('uses the emulators without configuration, and keeps state under .ml-connector', () => {
    const env = loadExampleEnvironment({}, '/repo');
    expect(env.businessCentral).toBeUndefined();
    expect(env.jaggaer).toBeUndefined();
    expect(env.statePath).toBe('/repo/.ml-connector/examples.sqlite');
  });

  it('names the missing variables of a partly configured system, never the values', () => {
    const message = invalid(() => loadExampleEnvironment({ BC_TENANT_ID: 'contoso', BC_CLIENT_SECRET: 'sup3r-secret' }, '/repo'));
    expect(message).toMatch(/BC_ENVIRONMENT, BC_CLIENT_ID are missing/);
    expect(message).not.toContain('sup3r-secret');
    const full = { BC_TENANT_ID: 't', BC_ENVIRONMENT: 'Production', BC_CLIENT_ID: 'c', BC_CLIENT_SECRET: 's' };
    expect(invalid(() => loadExampleEnvironment(full, '/repo'))).toMatch(/Only Business Central is configured/);
    const both = { ...full, JAGGAER_HOST: 'acme.api.jaggaer.com', JAGGAER_CLIENT_ID: 'j' };
    expect(invalid(() => loadExampleEnvironment(both, '/repo'))).toMatch(/JAGGAER_CLIENT_SECRET is missing/);
    // With a vault key the secrets may live in the vault instead of the environment.
    expect(loadExampleEnvironment({ ...both, BC_CLIENT_SECRET: '', ML_CONNECTOR_VAULT_KEY: 'k' }, '/repo').jaggaer?.host).toBe('acme.api.jaggaer.com');
  });
});

describe('summary table', () => {
  it('has the rows read, created, updated, skipped (duplicate), review, failed, requests used and throughput', () => {
    const record = summaryRecord(
      { runId: 'r1', flow: 'bc-invoices', status: 'completed', dryRun: false, durationMs: 2000, counts: { read: 10, created: 6, updated: 1, skipped: 1, review: 2, failed: 0 } },
      { requestsUsed: 12 },
    );
    expect(record.throughput).toBe(5);
    const table = renderSummaryTable(record);
    for (const row of ['read', 'created', 'updated', 'skipped (duplicate)', 'review', 'failed', 'requests used', 'throughput']) expect(table).toContain(row);
  });
});
