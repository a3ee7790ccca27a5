import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStoreCredentialVault, createSyncEngine, openSqliteSyncStore } from '@ml-connector/core/sync';
import { createFixtureFlow, fixtureState } from './fixtures/flows.js';
import { cli, tempWorkdir } from './helpers.js';

const registry = fileURLToPath(new URL('./fixtures/flows.ts', import.meta.url));
let work: Awaited<ReturnType<typeof tempWorkdir>>;
let statePath: string;

beforeAll(async () => {
  work = await tempWorkdir();
  statePath = join(work.stateDir, 'examples.sqlite');
  const store = await openSqliteSyncStore({ path: statePath });
  await createSyncEngine({ store }).run(createFixtureFlow());
  await store.close();
});

afterAll(async () => {
  await work?.cleanup();
});

describe('runs, audit and review', () => {
  it('runs lists the run with its counts', async () => {
    const { code, stdout } = await cli(['runs'], { cwd: work.cwd });
    expect(code).toBe(0);
    expect(stdout).toMatch(/test-invoices\s*│\s*completed/);
    const runs = JSON.parse((await cli(['runs', '--json'], { cwd: work.cwd })).stdout) as Array<{ counts: { created: number; review: number } }>;
    expect(runs[0]!.counts).toMatchObject({ created: 2, review: 1 });
  });

  it('audit finds a record by business id and by record id', async () => {
    const byNumber = await cli(['audit', 'INV-1001'], { cwd: work.cwd });
    expect(byNumber.code).toBe(0);
    expect(byNumber.stdout).toMatch(/S-1\s*│.*│\s*written\s*│\s*PI-1\s*│\s*req-PI-1/);
    const byRecord = JSON.parse((await cli(['audit', 'S-2', '--json'], { cwd: work.cwd })).stdout) as Array<{ step: string; code?: string }>;
    expect(byRecord.map((e) => e.step)).toContain('sent-to-review');
    expect(byRecord.find((e) => e.step === 'sent-to-review')!.code).toBe('unknown-vendor');
    const none = await cli(['audit', 'INV-404'], { cwd: work.cwd });
    expect(none.code).toBe(1);
    expect(none.stdout).toContain('No audit events for "INV-404"');
  });

  it('review list and show explain what to fix', async () => {
    const list = await cli(['review', 'list'], { cwd: work.cwd });
    expect(list.stdout).toMatch(/S-2\s*│\s*INV-1002, V-UNKNOWN\s*│\s*open\s*│\s*unknown-vendor/);
    const show = await cli(['review', 'show', 'INV-1002'], { cwd: work.cwd });
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('add it to the supplier-vendor crosswalk');
    expect(show.stdout).toContain('sent-to-review');
  });

  it('replay asks first: without confirmation nothing is written', async () => {
    const { code, stderr } = await cli(['replay', 'S-2', '--flows', registry], { cwd: work.cwd });
    expect(code).toBe(1);
    expect(stderr).toContain('Not replayed');
    expect(fixtureState().documents.size).toBe(2);
  });

  it('replay by reason after the fix writes the record once, and the queue empties', async () => {
    fixtureState().knownVendors.add('V-UNKNOWN');
    const { code, stdout, stderr } = await cli(['replay', 'unknown-vendor', '--flows', registry, '--yes'], { cwd: work.cwd });
    expect(stderr).toBe('');
    expect(stdout).toContain('Replay completed: 1 created');
    expect(code).toBe(0);
    expect(fixtureState().documents.size).toBe(3);
    expect((await cli(['review', 'list'], { cwd: work.cwd })).stdout).toContain('The review queue is empty.');
    const trail = JSON.parse((await cli(['audit', 'INV-1002', '--json'], { cwd: work.cwd })).stdout) as Array<{ step: string }>;
    expect(trail.map((e) => e.step)).toEqual(expect.arrayContaining(['replayed', 'written']));
  });

  it('review resolve and ignore settle items with an audit event', async () => {
    const store = await openSqliteSyncStore({ path: statePath });
    const now = new Date().toISOString();
    for (const id of ['S-8', 'S-9']) {
      await store.commit({ review: [{ flow: 'test-invoices', sourceSystem: 'jaggaer', sourceId: id, state: 'open', reason: 'blocked-account', detail: 'account 5000 is blocked', businessIds: [`INV-${id}`], attempts: 0 }] }, now);
    }
    await store.close();
    expect((await cli(['review', 'resolve', 'S-8', '--note', 'fixed in BC'], { cwd: work.cwd })).stdout).toContain('test-invoices/S-8 resolved.');
    expect((await cli(['review', 'ignore', 'INV-S-9'], { cwd: work.cwd })).stdout).toContain('test-invoices/S-9 ignored.');
    const resolved = JSON.parse((await cli(['review', 'list', '--state', 'resolved,ignored', '--json'], { cwd: work.cwd })).stdout) as Array<{ sourceId: string; state: string }>;
    // S-2 was resolved by the replay before.
    expect(resolved.map((i) => [i.sourceId, i.state])).toEqual([['S-2', 'resolved'], ['S-8', 'resolved'], ['S-9', 'ignored']]);
    const missing = await cli(['review', 'resolve', 'S-404'], { cwd: work.cwd });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no review item for "S-404"');
  });

  it('replay with no registry says how to give one', async () => {
    const { code, stderr } = await cli(['replay', 'S-2'], { cwd: work.cwd });
    expect(code).toBe(2);
    expect(stderr).toContain('--flows <module> or ML_CONNECTOR_FLOWS');
  });
});

describe('credentials', () => {
  const secret = 'client-secret-Value-9f8e7d';

  it('set reads the secret from stdin, list shows names only, rotate-key re-encrypts under a key written to a file', async () => {
    const key = randomBytes(32).toString('base64');
    const env = { ML_CONNECTOR_VAULT_KEY: key };
    const set = await cli(['credentials', 'set', 'bc'], { cwd: work.cwd, env, stdin: `${secret}\n` });
    expect(set.code).toBe(0);
    expect(set.stdout).toMatch(/^Stored bc\/client-secret \(encrypted/);
    const list = await cli(['credentials', 'list'], { cwd: work.cwd, env });
    expect(list.stdout).toBe('bc/client-secret\n');
    const rotate = await cli(['credentials', 'rotate-key', '--key-file', 'new.key'], { cwd: work.cwd, env });
    expect(rotate.stdout).toContain('Re-encrypted 1 secret(s)');
    const newKey = (await readFile(join(work.cwd, 'new.key'), 'utf8')).trim();
    expect((await stat(join(work.cwd, 'new.key'))).mode & 0o777).toBe(0o600);
    for (const output of [set, list, rotate]) {
      expect(output.stdout + output.stderr).not.toContain(secret);
      expect(output.stdout + output.stderr).not.toContain(newKey);
    }
    const store = await openSqliteSyncStore({ path: statePath });
    try {
      expect(await createStoreCredentialVault(store, { key: newKey }).get('bc/client-secret')).toBe(secret);
      await expect(createStoreCredentialVault(store, { key }).get('bc/client-secret')).rejects.toThrow();
    } finally {
      await store.close();
    }
  });

  it('refuses without a vault key and names the variable', async () => {
    const { code, stderr } = await cli(['credentials', 'list'], { cwd: work.cwd });
    expect(code).toBe(2);
    expect(stderr).toContain('ML_CONNECTOR_VAULT_KEY');
  });
});
