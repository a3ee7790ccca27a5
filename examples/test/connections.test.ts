import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isInvalidInputError } from '@ml-connector/core';
import { FO_SANDBOX_CLIENT_SECRET } from '@ml-connector/d365-fo/testing';
import { HEALTH_PATH, startEmulators } from '@ml-connector/emulators';
import { SANDBOX_CLIENT_SECRET as JAGGAER_SECRET } from '@ml-connector/jaggaer-j1p/testing';
import { connectFoExample, loadFoExampleEnvironment } from '../src/fo/connections.ts';
import { loadExampleEnvironment } from '../src/shared/config.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlc-connections-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('connectSystems (through the F&O examples)', () => {
  it('starts the emulators in this process without configuration, reuses running `pnpm emulators`, and counts requests', async () => {
    const cwd = tempDir();
    const env = loadFoExampleEnvironment({}, cwd);
    const local = await connectFoExample(env);
    try {
      expect(local.mode).toBe('emulators');
      expect(local.description).toMatch(/^emulators started here on .*\(Finance & Operations http:\/\/127\.0\.0\.1:\d+, JAGGAER http:\/\/127\.0\.0\.1:\d+\)/);
      await local.jaggaer.suppliers.list().toArray({ limit: 1 });
      await local.financeOperations.legalEntity('usmf').vendors.list().toArray({ limit: 1 });
      // Token and API requests of both clients, in one counter.
      expect(local.requestsUsed()).toBeGreaterThanOrEqual(4);
    } finally {
      await local.close();
    }

    const running = await startEmulators({ systems: ['d365fo', 'jaggaer'], ports: { d365fo: 0, jaggaer: 0 }, stateDir: join(env.stateDir, 'emulators') });
    try {
      const reused = await connectFoExample(env);
      expect(reused.description).toBe(`running emulators (pid ${process.pid}: Finance & Operations ${running.urls.d365fo}, JAGGAER ${running.urls.jaggaer})`);
      await reused.jaggaer.suppliers.list().toArray({ limit: 1 });
      await reused.close();
      // Closing the example leaves the running emulators up.
      expect((await fetch(`${running.urls.jaggaer}${HEALTH_PATH}`)).ok).toBe(true);
    } finally {
      await running.close();
    }
  });

  it('connects configured systems with secrets from the vault, read only when a token is needed', async () => {
    const cwd = tempDir();
    const emulators = await startEmulators({ systems: ['d365fo', 'jaggaer'], ports: { d365fo: 0, jaggaer: 0 }, stateDir: join(cwd, 'elsewhere') });
    try {
      const fo = emulators.clients.d365fo!;
      const vars = {
        FO_ENVIRONMENT_URL: fo.environmentUrl,
        FO_TENANT_ID: fo.tenantId,
        FO_CLIENT_ID: fo.credentials.clientId,
        FO_AUTHORITY_HOST: fo.authorityHost,
        FO_DEFAULT_LEGAL_ENTITY: 'usmf',
        JAGGAER_HOST: emulators.urls.jaggaer,
        JAGGAER_CLIENT_ID: emulators.clients.jaggaer!.clientId,
        ML_CONNECTOR_VAULT_KEY: 'a-passphrase',
      };
      const env = loadFoExampleEnvironment(vars, cwd);
      const asked: string[] = [];
      const secrets: Record<string, string> = { financeOperations: FO_SANDBOX_CLIENT_SECRET, jaggaer: JAGGAER_SECRET };
      const connected = await connectFoExample(env, { secret: async (system) => (asked.push(system), secrets[system]!) });
      try {
        expect(connected.mode).toBe('tenants');
        expect(connected.description).toBe(`Finance & Operations ${fo.environmentUrl} and JAGGAER ${emulators.urls.jaggaer}`);
        expect(asked).toEqual([]);
        await connected.jaggaer.suppliers.list().toArray({ limit: 1 });
        await connected.financeOperations.legalEntity('usmf').vendors.list().toArray({ limit: 1 });
        expect(asked.sort()).toEqual(['financeOperations', 'jaggaer']);
      } finally {
        await connected.close();
      }
      // Without a vault reader, the variable to set is named (the runner always passes one when the key is set).
      const error = await connectFoExample(env).catch((e: unknown) => e);
      expect(isInvalidInputError(error)).toBe(true);
      expect((error as Error).message).toMatch(/^FO_CLIENT_SECRET is neither in the environment nor in the vault/);
    } finally {
      await emulators.close();
    }
  });

  it('refuses a mix of real systems and emulators, naming the systems, never a value', () => {
    const run = () => loadExampleEnvironment({ JAGGAER_HOST: 'https://acme.api.jaggaer.com', JAGGAER_CLIENT_ID: 'id', JAGGAER_CLIENT_SECRET: 'jaggaer-secret-value' }, '/tmp', ['oracleFusion', 'jaggaer']);
    expect(run).toThrow(/^Only JAGGAER is configured\. .*configure Oracle Fusion too/);
    expect(run).not.toThrow(/jaggaer-secret-value/);
    // Systems not asked for are not read: a partial NAV configuration does not stop an F&O example.
    expect(loadFoExampleEnvironment({ NAV_URL: 'https://nav.local/x' }, '/tmp').nav).toBeUndefined();
  });
});
