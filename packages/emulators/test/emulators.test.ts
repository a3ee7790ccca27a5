import { mkdtempSync, readFileSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBusinessCentralClient } from '@ml-connector/business-central';
import { createFinanceOperationsClient } from '@ml-connector/d365-fo';
import { DEFAULT_EMULATOR_PORTS, EMULATOR_SYSTEMS, findRunningEmulators, startEmulators, type EmulatorClientOptions, type RunningEmulators } from '@ml-connector/emulators';
import { createJaggaerClient } from '@ml-connector/jaggaer-j1p';
import { connectJira } from '@ml-connector/jira';
import { createNavClient } from '@ml-connector/nav';
import { createOracleFusionClient } from '@ml-connector/oracle-fusion';

const ANY_PORT = Object.fromEntries(EMULATOR_SYSTEMS.map((s) => [s, 0]));
const dirs: string[] = [];
const running: RunningEmulators[] = [];

function tempStateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mlc-emulators-'));
  dirs.push(dir);
  return dir;
}

async function start(stateDir: string, options: Parameters<typeof startEmulators>[0] = {}): Promise<RunningEmulators> {
  const emulators = await startEmulators({ stateDir, ports: ANY_PORT, systems: ['businessCentral', 'jaggaer'], ...options });
  running.push(emulators);
  return emulators;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Builds every system's client from the options exactly as given and makes one call with it. */
async function callEveryClient(clients: Partial<EmulatorClientOptions>): Promise<Record<string, unknown>> {
  const results: Record<string, unknown> = {};
  const bc = createBusinessCentralClient(clients.businessCentral as EmulatorClientOptions['businessCentral']);
  results.businessCentral = (await bc.companies.list().toArray({ limit: 10 })).map((c) => c.name);
  const jaggaer = createJaggaerClient(clients.jaggaer as EmulatorClientOptions['jaggaer']);
  results.jaggaer = (await jaggaer.suppliers.get('V00002')).supplierNumber;
  const fo = createFinanceOperationsClient(clients.d365fo as EmulatorClientOptions['d365fo']);
  results.d365fo = (await fo.legalEntity('usmf').vendors.list({ top: 3 }).toArray({ limit: 3 })).length;
  const nav = createNavClient(clients.nav as EmulatorClientOptions['nav']);
  results.nav = await nav.checkMetadata();
  const oracle = createOracleFusionClient(clients.oracleFusion as EmulatorClientOptions['oracleFusion']);
  results.oracleFusion = (await oracle.suppliers.list().toArray({ limit: 3 })).length;
  const jira = await connectJira(clients.jira as EmulatorClientOptions['jira']);
  results.jira = (await jira.metadata.listProjects().toArray({ limit: 5 })).map((p) => p.key);
  return results;
}

describe('startEmulators', () => {
  it('serves every system on loopback; each client is built from its options as they are and answers', async () => {
    const emulators = await start(tempStateDir(), { systems: [...EMULATOR_SYSTEMS] });
    expect(Object.keys(emulators.clients)).toEqual([...EMULATOR_SYSTEMS]);
    for (const url of Object.values(emulators.urls)) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // JSON-serialisable: what --json prints and running.json holds is the same object.
    const clients = JSON.parse(JSON.stringify(emulators.clients)) as EmulatorClientOptions;
    expect(clients).toEqual(emulators.clients);
    expect(await callEveryClient(clients)).toEqual({ businessCentral: ['CRONUS USA, Inc.'], jaggaer: 'V00002', d365fo: 3, nav: [], oracleFusion: 3, jira: ['FIN'] });
  });

  it('persists records created through the clients: a second start on the same state dir sees them', async () => {
    const stateDir = tempStateDir();
    const first = await start(stateDir);
    const bc = createBusinessCentralClient(first.clients.businessCentral as EmulatorClientOptions['businessCentral']);
    const [company] = await bc.companies.list().toArray({ limit: 1 });
    const cronus = bc.company(company?.id as string);
    const vendor = await cronus.vendors.create({ displayName: 'Persisted Supplies' });
    const invoice = await cronus.purchaseInvoices.create({
      vendorNumber: 'V00004',
      vendorInvoiceNumber: 'PERSIST-1',
      purchaseInvoiceLines: [{ lineType: 'Account', lineObjectNumber: '8110', quantity: 2, unitCost: 10 }],
    });
    await cronus.purchaseInvoices.post(invoice.id);
    const jaggaer = createJaggaerClient(first.clients.jaggaer as EmulatorClientOptions['jaggaer']);
    await jaggaer.suppliers.upsert({ supplierNumber: 'V00900', companyName: 'Persisted LLC' }, { operation: 'CREATE' });
    await first.close();

    const second = await start(stateDir);
    const bc2 = createBusinessCentralClient(second.clients.businessCentral as EmulatorClientOptions['businessCentral']);
    const cronus2 = bc2.company(company?.id as string);
    expect(await cronus2.vendors.get(vendor.id)).toMatchObject({ displayName: 'Persisted Supplies', number: vendor.number });
    expect(await cronus2.purchaseInvoices.get(invoice.id)).toMatchObject({ vendorInvoiceNumber: 'PERSIST-1', status: 'Open' });
    const jaggaer2 = createJaggaerClient(second.clients.jaggaer as EmulatorClientOptions['jaggaer']);
    expect(await jaggaer2.suppliers.get('V00900')).toMatchObject({ companyName: 'Persisted LLC' });
    // Number series continue: the next vendor does not reuse the persisted vendor's number.
    expect((await cronus2.vendors.create({ displayName: 'Next' })).number).not.toBe(vendor.number);
  });

  it('saves writes on its own shortly after they happen, atomically (no temporary files left)', async () => {
    const stateDir = tempStateDir();
    const emulators = await start(stateDir, { saveDebounceMs: 10 });
    const jaggaer = createJaggaerClient(emulators.clients.jaggaer as EmulatorClientOptions['jaggaer']);
    await jaggaer.suppliers.upsert({ supplierNumber: 'V00901', companyName: 'Debounced LLC' }, { operation: 'CREATE' });
    await expect.poll(() => readFileSync(join(stateDir, 'jaggaer.json'), 'utf8'), { interval: 20, timeout: 5000 }).toContain('Debounced LLC');
    await emulators.save();
    expect(readFileSync(join(stateDir, 'jaggaer.json'), 'utf8')).toContain('Debounced LLC');
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(stateDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('close() saves writes the debounce has not saved yet', async () => {
    const stateDir = tempStateDir();
    const emulators = await start(stateDir, { saveDebounceMs: 60_000 });
    const jaggaer = createJaggaerClient(emulators.clients.jaggaer as EmulatorClientOptions['jaggaer']);
    await jaggaer.suppliers.upsert({ supplierNumber: 'V00903', companyName: 'Closing LLC' }, { operation: 'CREATE' });
    expect(readFileSync(join(stateDir, 'jaggaer.json'), 'utf8')).not.toContain('Closing LLC');
    await emulators.close();
    expect(readFileSync(join(stateDir, 'jaggaer.json'), 'utf8')).toContain('Closing LLC');
  });

  it('durableWrites: a write is on disk before its response arrives, so a crash after the acknowledgement loses nothing', async () => {
    const stateDir = tempStateDir();
    const emulators = await start(stateDir, { durableWrites: true, saveDebounceMs: 60_000 });
    const jaggaer = createJaggaerClient(emulators.clients.jaggaer as EmulatorClientOptions['jaggaer']);
    await jaggaer.suppliers.upsert({ supplierNumber: 'V00904', companyName: 'Durable LLC' }, { operation: 'CREATE' });
    expect(readFileSync(join(stateDir, 'jaggaer.json'), 'utf8')).toContain('Durable LLC');
  });

  it('reset reseeds: records written before are gone', async () => {
    const stateDir = tempStateDir();
    const first = await start(stateDir);
    const jaggaer = createJaggaerClient(first.clients.jaggaer as EmulatorClientOptions['jaggaer']);
    await jaggaer.suppliers.upsert({ supplierNumber: 'V00902', companyName: 'Reset LLC' }, { operation: 'CREATE' });
    await first.close();
    const second = await start(stateDir, { reset: true });
    expect(second.sandboxes.jaggaer?.supplier('V00902')).toBeUndefined();
    expect(second.sandboxes.jaggaer?.supplier('V00002')).toBeDefined();
  });

  it('publishes running.json while running, found by findRunningEmulators; refuses a second process on the same state dir', async () => {
    const stateDir = tempStateDir();
    expect(await findRunningEmulators({ stateDir })).toBeUndefined();
    const emulators = await start(stateDir);
    const found = await findRunningEmulators({ stateDir });
    expect(found).toMatchObject({ pid: process.pid, stateDir, urls: emulators.urls, ports: emulators.ports });
    expect(found?.clients).toEqual(emulators.clients);
    await expect(start(stateDir)).rejects.toThrow(/already serve the state directory/);
    await emulators.close();
    expect(existsSync(join(stateDir, 'running.json'))).toBe(false);
    expect(await findRunningEmulators({ stateDir })).toBeUndefined();
  });

  it('takes over a running.json left by a dead process; ignores one whose servers do not answer', async () => {
    const stateDir = tempStateDir();
    writeFileSync(join(stateDir, 'running.json'), JSON.stringify({ pid: 2 ** 22 + 12345, urls: { jaggaer: 'http://127.0.0.1:1' }, clients: {} }));
    expect(await findRunningEmulators({ stateDir })).toBeUndefined();
    const emulators = await start(stateDir);
    expect(emulators.sandboxes.businessCentral).toBeDefined();
    await emulators.close();
    // Alive pid (this one) but nothing listening: not running.
    writeFileSync(join(stateDir, 'running.json'), JSON.stringify({ pid: process.pid, urls: { jaggaer: 'http://127.0.0.1:1' }, clients: {} }));
    expect(await findRunningEmulators({ stateDir, timeoutMs: 500 })).toBeUndefined();
  });

  it('refuses bad options with a message that says what to fix', async () => {
    await expect(startEmulators({ systems: ['sap' as never], stateDir: tempStateDir() })).rejects.toThrow(/Unknown system "sap"; use one of businessCentral/);
    await expect(startEmulators({ ports: { jaggaer: 70_000 }, stateDir: tempStateDir() })).rejects.toThrow(/ports.jaggaer must be a port number/);
    const stateDir = tempStateDir();
    writeFileSync(join(stateDir, 'jaggaer.json'), '{not json');
    await expect(start(stateDir)).rejects.toThrow(/jaggaer.json is not valid JSON; start with --reset/);
    expect(existsSync(join(stateDir, 'running.json'))).toBe(false);
  });

  it('documents the default port block 4010–4015', () => {
    expect(EMULATOR_SYSTEMS.map((s) => DEFAULT_EMULATOR_PORTS[s])).toEqual([4010, 4011, 4012, 4013, 4014, 4015]);
  });
});
