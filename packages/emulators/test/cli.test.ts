import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBusinessCentralClient } from '@ml-connector/business-central';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, BC_SCOPE } from '@ml-connector/business-central/testing';
import { createFinanceOperationsClient } from '@ml-connector/d365-fo';
import { EMULATOR_SYSTEMS, type EmulatorClientOptions } from '@ml-connector/emulators';
import { createJaggaerClient } from '@ml-connector/jaggaer-j1p';
import { connectJira } from '@ml-connector/jira';
import { createNavClient } from '@ml-connector/nav';
import { createOracleFusionClient } from '@ml-connector/oracle-fusion';

const root = fileURLToPath(new URL('../../..', import.meta.url));
let work: string;
let cli: string;

// The CLI runs as a child process from a bundle of the sources (tsup's esbuild, resolving the workspace packages
// through tsconfig.test.json), so the test needs no prior `pnpm build`.
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'mlc-emulators-cli-'));
  cli = join(work, 'cli.cjs');
  execFileSync(
    join(root, 'node_modules/.bin/esbuild'),
    ['packages/emulators/src/cli.ts', '--bundle', '--platform=node', '--format=cjs', '--target=node22', `--outfile=${cli}`, '--tsconfig=tsconfig.test.json', '--log-level=error'],
    { cwd: root, stdio: 'pipe' },
  );
}, 60_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Child {
  process: ChildProcessWithoutNullStreams;
  firstLine: Promise<string>;
  exit: Promise<{ code: number | null; stderr: string }>;
}

function run(args: string[]): Child {
  const child = spawn(process.execPath, [cli, ...args], { cwd: work, stdio: 'pipe' });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
  const firstLine = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    void exit.then(({ code, stderr: text }) => reject(new Error(`CLI exited with ${code}: ${text}`)));
  });
  firstLine.catch(() => undefined); // awaited only by the tests that expect output
  return { process: child, firstLine, exit };
}

// Child processes start slowly on a loaded machine: generous timeouts, no timing assertions.
describe('ml-connector-emulators CLI', { timeout: 60_000 }, () => {
  it('--json prints one line of client options every client is built from; SIGINT saves state and exits 0; --reset reseeds', async () => {
    const stateDir = join(work, 'state-json');
    const first = run(['--json', '--port', '0', '--state-dir', stateDir]);
    const clients = JSON.parse(await first.firstLine) as EmulatorClientOptions;
    expect(Object.keys(clients)).toEqual([...EMULATOR_SYSTEMS]);

    const bc = createBusinessCentralClient(clients.businessCentral);
    const [company] = await bc.companies.list().toArray({ limit: 1 });
    const invoice = await bc.company(company?.id as string).purchaseInvoices.create({ vendorNumber: 'V00004', vendorInvoiceNumber: 'CLI-1' });
    expect(await createFinanceOperationsClient(clients.d365fo).legalEntity('usmf').vendors.list({ top: 1 }).toArray({ limit: 1 })).toHaveLength(1);
    expect(await createNavClient(clients.nav).checkMetadata()).toEqual([]);
    expect(await createOracleFusionClient(clients.oracleFusion).suppliers.list().toArray({ limit: 1 })).toHaveLength(1);
    expect((await (await connectJira(clients.jira)).metadata.listProjects().toArray({ limit: 5 })).map((p) => p.key)).toEqual(['FIN']);
    expect(JSON.parse(readFileSync(join(stateDir, 'running.json'), 'utf8'))).toMatchObject({ pid: first.process.pid, clients });

    // The last write right before SIGINT, well inside the save debounce: only the shutdown save can keep it.
    const jaggaer = createJaggaerClient(clients.jaggaer);
    await jaggaer.suppliers.upsert({ supplierNumber: 'V00910', companyName: 'Cli LLC' }, { operation: 'CREATE' });
    first.process.kill('SIGINT');
    expect((await first.exit).code).toBe(0);
    expect(existsSync(join(stateDir, 'running.json'))).toBe(false);
    expect(readFileSync(join(stateDir, 'jaggaer.json'), 'utf8')).toContain('Cli LLC');

    const second = run(['--json', '--port', '0', '--state-dir', stateDir, '--systems', 'bc,jaggaer']);
    const again = JSON.parse(await second.firstLine) as EmulatorClientOptions;
    expect(Object.keys(again)).toEqual(['businessCentral', 'jaggaer']);
    expect(await createJaggaerClient(again.jaggaer).suppliers.get('V00910')).toMatchObject({ companyName: 'Cli LLC' });
    expect(await createBusinessCentralClient(again.businessCentral).company(company?.id as string).purchaseInvoices.get(invoice.id)).toMatchObject({ vendorInvoiceNumber: 'CLI-1' });
    second.process.kill('SIGTERM');
    expect((await second.exit).code).toBe(0);

    const reset = run(['--json', '--port', '0', '--state-dir', stateDir, '--systems', 'jaggaer', '--reset']);
    const fresh = JSON.parse(await reset.firstLine) as EmulatorClientOptions;
    expect(await createJaggaerClient(fresh.jaggaer).suppliers.get('V00910').catch((e: unknown) => (e as Error).name)).toBe('NotFoundError');
    reset.process.kill('SIGINT');
    expect((await reset.exit).code).toBe(0);
  });

  it('--bc-limits reaches the Business Central sandbox', async () => {
    const child = run(['--json', '--port', '0', '--state-dir', join(work, 'state-limits'), '--systems', 'businessCentral', '--bc-limits', 'requestsPerWindow=2,windowMs=60000,maxConcurrent=1,serviceTimeMs=1']);
    const { businessCentral } = JSON.parse(await child.firstLine) as EmulatorClientOptions;
    const token = (await (
      await fetch(`${businessCentral.authorityHost}/${businessCentral.tenantId}/oauth2/v2.0/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: SANDBOX_CLIENT_ID, client_secret: SANDBOX_CLIENT_SECRET, scope: BC_SCOPE }),
      })
    ).json()) as { access_token: string };
    const companies = `${businessCentral.apiHost}/v2.0/${businessCentral.tenantId}/${businessCentral.environment}/api/v2.0/companies`;
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(companies, { headers: { authorization: `Bearer ${token.access_token}` } })).status);
    expect(statuses).toEqual([200, 200, 429]);
    child.process.kill('SIGINT');
    expect((await child.exit).code).toBe(0);
  });

  it('refuses unknown flags and bad values with exit code 2 and the usage', async () => {
    const cases = [['--frobnicate'], ['--bc-limits', 'requestsPerMinute=5'], ['--port', 'abc'], ['--systems', 'sap']];
    const results = await Promise.all(cases.map((args) => run(args).exit));
    results.forEach(({ code, stderr }, i) => {
      expect(code, cases[i]?.join(' ')).toBe(2);
      expect(stderr).toContain('Usage: ml-connector-emulators');
    });
    expect(results[1]?.stderr).toMatch(/"requestsPerMinute=5" is not key=value with a key of requestsPerWindow/);
  });
});
