import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusinessCentralClientOptions } from '@ml-connector/business-central';
import { explainTokenError, runChecks, type CheckReport } from '@ml-connector/cli';
import { startEmulators, type RunningEmulators } from '@ml-connector/emulators';
import { cli, tempWorkdir } from './helpers.js';

const SECRET = 'Sup3r-Secret-Value-That-Must-Not-Leak';

let work: Awaited<ReturnType<typeof tempWorkdir>>;
let emulators: RunningEmulators;
let bc: BusinessCentralClientOptions & { credentials: { clientId: string; clientSecret: string } };

beforeAll(async () => {
  work = await tempWorkdir();
  emulators = await startEmulators({
    // All six, as `pnpm emulators` runs them.
    systems: ['businessCentral', 'jaggaer', 'nav', 'd365fo', 'oracleFusion', 'jira'],
    ports: { businessCentral: 0, jaggaer: 0, nav: 0, d365fo: 0, oracleFusion: 0, jira: 0 },
    stateDir: join(work.stateDir, 'emulators'),
    reset: true,
  });
  bc = emulators.clients.businessCentral as typeof bc;
});

afterAll(async () => {
  await emulators?.close();
  await work?.cleanup();
});

/** Environment pointing at the emulators as if they were tenants. */
function tenantEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    BC_TENANT_ID: bc.tenantId,
    BC_ENVIRONMENT: bc.environment,
    BC_CLIENT_ID: bc.credentials.clientId,
    BC_CLIENT_SECRET: bc.credentials.clientSecret,
    BC_API_HOST: emulators.urls.businessCentral!,
    BC_AUTHORITY_HOST: emulators.urls.businessCentral!,
    JAGGAER_HOST: emulators.urls.jaggaer!,
    JAGGAER_CLIENT_ID: emulators.clients.jaggaer!.clientId,
    JAGGAER_CLIENT_SECRET: emulators.clients.jaggaer!.clientSecret as string,
    ...overrides,
  };
}

const checksOf = (report: CheckReport, system: string) => report.systems.find((s) => s.system === system)!.checks;

describe('ml-connector check', () => {
  it('with no configuration checks the running emulators, every check passing, as the documented JSON', async () => {
    const { code, stdout } = await cli(['check', '--json'], { cwd: work.cwd });
    const report = JSON.parse(stdout) as CheckReport;
    expect(Object.keys(report)).toEqual(['ok', 'systems']);
    expect(report.systems.map((s) => s.system)).toEqual(['business-central', 'jaggaer', 'nav', 'finance-operations', 'oracle-fusion', 'jira']);
    for (const system of report.systems) for (const check of system.checks) expect(Object.keys(check)).toEqual(['name', 'ok', 'detail']);
    expect(report.systems.flatMap((s) => s.checks.filter((c) => !c.ok))).toEqual([]);
    expect(report.ok).toBe(true);
    expect(code).toBe(0);
    expect(checksOf(report, 'business-central').map((c) => c.name)).toEqual([
      'dns-tls', 'token', 'base-url', 'read vendors', 'read accounts', 'read dimensions', 'read dimensionValues', 'read currencies',
      'read purchaseInvoices', 'read purchaseOrders', 'write permission', 'clock-skew', 'rate-limit', 'webhook',
    ]);
    expect(checksOf(report, 'nav').map((c) => c.name)).toContain('entity paths ($metadata)');
  });

  it('prints a table by default', async () => {
    const { code, stdout } = await cli(['check'], { cwd: work.cwd });
    expect(code).toBe(0);
    expect(stdout).toContain('Checking the running emulators.');
    expect(stdout).toMatch(/business-central\s*│\s*token\s*│\s*ok/);
    expect(stdout).toMatch(/jira\s*│\s*write permission \(FIN\)\s*│\s*ok/);
    expect(stdout).toContain('All checks passed.');
  });

  it('explains a wrong secret in plain words, exits non-zero and never prints the secret', async () => {
    const env = tenantEnv({ BC_CLIENT_SECRET: SECRET, JAGGAER_CLIENT_SECRET: `${SECRET}-jg` });
    const json = await cli(['check', '--json'], { cwd: work.cwd, env });
    const table = await cli(['check'], { cwd: work.cwd, env });
    expect(json.code).toBe(1);
    expect(table.code).toBe(1);
    const report = JSON.parse(json.stdout) as CheckReport;
    expect(report.ok).toBe(false);
    const token = checksOf(report, 'business-central').find((c) => c.name === 'token')!;
    expect(token).toMatchObject({ ok: false });
    expect(token.detail).toMatch(/^wrong secret: .*\[AADSTS7000215\]$/);
    // The list stops at the token: nothing after it could pass.
    expect(checksOf(report, 'business-central').map((c) => c.name)).toEqual(['dns-tls', 'token']);
    expect(checksOf(report, 'jaggaer').find((c) => c.name === 'token')!.detail).toMatch(/^wrong client id or secret/);
    for (const output of [json.stdout, json.stderr, table.stdout, table.stderr]) expect(output).not.toContain(SECRET);
  });

  it('reads a secret the environment leaves out from the vault, and checks a system configured alone', async () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const { BC_CLIENT_SECRET: secret, ...bcOnly } = Object.fromEntries(Object.entries(tenantEnv()).filter(([name]) => name.startsWith('BC_')));
    const env = { ...bcOnly, ML_CONNECTOR_VAULT_KEY: key };
    expect((await cli(['credentials', 'set', 'bc'], { cwd: work.cwd, env, stdin: secret })).code).toBe(0);
    const { code, stdout } = await cli(['check', '--json'], { cwd: work.cwd, env });
    const report = JSON.parse(stdout) as CheckReport;
    expect(report.systems.map((s) => s.system)).toEqual(['business-central']);
    expect(checksOf(report, 'business-central').find((c) => c.name === 'token')!.ok).toBe(true);
    expect(code).toBe(0);
    expect(stdout).not.toContain(secret!);
  });

  it('names a wrong tenant', async () => {
    const { code, stdout } = await cli(['check', '--json'], { cwd: work.cwd, env: tenantEnv({ BC_TENANT_ID: 'no-such-tenant.onmicrosoft.com' }) });
    expect(code).toBe(1);
    expect(checksOf(JSON.parse(stdout) as CheckReport, 'business-central').find((c) => c.name === 'token')!.detail).toMatch(/^wrong tenant/);
  });

  it('fails the base URL on a wrong environment name and the company check on a wrong BC_COMPANY_ID', async () => {
    const wrongEnv = JSON.parse((await cli(['check', '--json'], { cwd: work.cwd, env: tenantEnv({ BC_ENVIRONMENT: 'NoSuchEnvironment' }) })).stdout) as CheckReport;
    expect(checksOf(wrongEnv, 'business-central').at(-1)).toMatchObject({ name: 'base-url', ok: false });
    const wrongCompany = JSON.parse((await cli(['check', '--json'], { cwd: work.cwd, env: tenantEnv({ BC_COMPANY_ID: '00000000-0000-0000-0000-000000000000' }) })).stdout) as CheckReport;
    expect(checksOf(wrongCompany, 'business-central').at(-1)!.detail).toMatch(/^BC_COMPANY_ID 00000000-0000-0000-0000-000000000000 is not a company/);
  });

  it('measures clock skew from the Date header', async () => {
    const report = await runChecks({ mode: 'emulators', businessCentral: bc }, { now: () => Date.now() - 10 * 60_000 });
    const skew = checksOf(report, 'business-central').find((c) => c.name === 'clock-skew')!;
    expect(skew.ok).toBe(false);
    expect(skew.detail).toMatch(/^server ahead by (59\d|60\d)\.\d s: more than 300 s/);
    expect(report.ok).toBe(false);
  });

  it('checks webhook reachability with the Business Central validation handshake', async () => {
    const echo = createServer((request, response) => {
      const token = new URL(request.url ?? '/', 'http://127.0.0.1').searchParams.get('validationToken');
      response.writeHead(200, { 'content-type': 'text/plain' }).end(request.url?.startsWith('/good') ? (token ?? '') : 'nope');
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    const port = (echo.address() as AddressInfo).port;
    try {
      const good = await runChecks({ mode: 'emulators', businessCentral: bc, webhookUrl: `http://127.0.0.1:${port}/good` });
      expect(checksOf(good, 'business-central').at(-1)).toMatchObject({ name: 'webhook', ok: true });
      const bad = await runChecks({ mode: 'emulators', businessCentral: bc, webhookUrl: `http://127.0.0.1:${port}/bad` });
      expect(checksOf(bad, 'business-central').at(-1)).toMatchObject({ name: 'webhook', ok: false });
      expect(checksOf(bad, 'business-central').at(-1)!.detail).toMatch(/without echoing the validation token/);
    } finally {
      echo.closeAllConnections();
      await new Promise((resolve) => echo.close(resolve));
    }
  });

  it('reports the rate-limit headroom a vendor sends, and fails when it is exhausted', async () => {
    let remaining = '5400';
    // A proxy in front of the Business Central emulator that adds the rate-limit headers some vendors send.
    const proxy = createServer(async (request, response) => {
      const upstream = await fetch(`${emulators.urls.businessCentral!}${request.url ?? '/'}`, { headers: { authorization: request.headers.authorization ?? '' } });
      const headers = Object.fromEntries(upstream.headers);
      delete headers['content-encoding'];
      delete headers['content-length'];
      response.writeHead(upstream.status, { ...headers, 'x-ratelimit-remaining': remaining, 'x-ratelimit-limit': '6000' }).end(Buffer.from(await upstream.arrayBuffer()));
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const apiHost = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      const fine = await runChecks({ mode: 'emulators', businessCentral: { ...bc, apiHost } });
      expect(checksOf(fine, 'business-central').find((c) => c.name === 'rate-limit')).toEqual({ name: 'rate-limit', ok: true, detail: '5400 of 6000 requests left in the window' });
      remaining = '0';
      const exhausted = await runChecks({ mode: 'emulators', businessCentral: { ...bc, apiHost } });
      expect(checksOf(exhausted, 'business-central').find((c) => c.name === 'rate-limit')).toMatchObject({ ok: false, detail: expect.stringMatching(/exhausted/) });
      const plain = await runChecks({ mode: 'emulators', businessCentral: bc });
      expect(checksOf(plain, 'business-central').find((c) => c.name === 'rate-limit')!.detail).toMatch(/^headroom not reported by the vendor/);
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it('fails the NAV entity paths when a configured page is not published in $metadata', async () => {
    const nav = { ...emulators.clients.nav!, services: { vendors: { entitySet: 'MLVendorsNotPublished' } } };
    const report = await runChecks({ mode: 'emulators', nav });
    const paths = checksOf(report, 'nav').find((c) => c.name === 'entity paths ($metadata)')!;
    expect(paths.ok).toBe(false);
    expect(paths.detail).toMatch(/^1 problem\(s\): .*MLVendorsNotPublished/);
    expect(report.ok).toBe(false);
  });

  it('without configuration and without emulators says what to do', async () => {
    const empty = await tempWorkdir();
    try {
      const { code, stderr } = await cli(['check'], { cwd: empty.cwd });
      expect(code).toBe(2);
      expect(stderr).toMatch(/no BC_\*, JAGGAER_\*, FO_\*, NAV_\*, ORACLE_\* or JIRA_\* variable is set and no emulators run/);
    } finally {
      await empty.cleanup();
    }
  });
});

describe('explainTokenError', () => {
  it.each([
    ['entra', 400, { error: 'invalid_request', error_codes: [90002] }, /^wrong tenant/],
    ['entra', 400, { error: 'unauthorized_client', error_description: 'AADSTS700016: Application not found' }, /^wrong tenant or client id/],
    ['entra', 401, { error: 'invalid_client', error_codes: [7000215] }, /^wrong secret/],
    ['entra', 401, { error: 'invalid_client', error_codes: [7000222] }, /^expired secret/],
    ['entra', 400, { error: 'invalid_grant', error_codes: [65001] }, /^missing consent/],
    ['entra', 400, { error: 'invalid_resource', error_codes: [500011] }, /^missing consent or wrong scope/],
    ['keycloak', 401, { error: 'invalid_client', error_description: 'Invalid client or Invalid client credentials' }, /^wrong client id or secret/],
    ['keycloak', 404, { error: 'Realm does not exist' }, /^wrong tenant or realm/],
    ['keycloak', 400, { error: 'unauthorized_client', error_description: 'Client not enabled to retrieve service account' }, /service accounts/],
    ['idcs', 401, { error: 'invalid_client', error_description: 'Client authentication failed.' }, /^wrong client id or secret/],
    ['idcs', 400, { error: 'invalid_scope' }, /^missing consent or wrong scope/],
  ] as const)('%s %i %j', (provider, status, body, expected) => {
    expect(explainTokenError(provider, status, body).explanation).toMatch(expected);
  });
});
