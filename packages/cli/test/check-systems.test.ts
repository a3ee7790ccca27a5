import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChecks, type CheckReport } from '@ml-connector/cli';
import { createBusinessEventHandler, type FinanceOperationsClientOptions } from '@ml-connector/d365-fo';
import { FO_SANDBOX_CLIENT_ID } from '@ml-connector/d365-fo/testing';
import { startEmulators, type EmulatorSandboxOptions, type EmulatorSystem, type RunningEmulators } from '@ml-connector/emulators';
import type { JiraClientOptions } from '@ml-connector/jira';
import type { OracleFusionClientOptions } from '@ml-connector/oracle-fusion';
import { cli, tempWorkdir } from './helpers.js';

// A secret that must never appear in any output: planted in the configuration and in IdP error bodies.
const SECRET = 'Pl4nted-Secret-Value-Of-The-Check-Tests';

let work: Awaited<ReturnType<typeof tempWorkdir>>;
const started: RunningEmulators[] = [];
const servers: Server[] = [];

beforeAll(async () => {
  work = await tempWorkdir();
});

afterAll(async () => {
  for (const emulators of started) await emulators.close();
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await work?.cleanup();
});

/** Emulators of the given systems with sandbox options (faults, apps), on free ports. */
async function emulatorsOf(systems: EmulatorSystem[], sandboxes: EmulatorSandboxOptions = {}): Promise<RunningEmulators> {
  const emulators = await startEmulators({
    systems,
    ports: Object.fromEntries(systems.map((s) => [s, 0])),
    stateDir: join(work.stateDir, `emulators-${started.length}`),
    reset: true,
    sandboxes,
  });
  started.push(emulators);
  return emulators;
}

/** A loopback HTTP server answering every request with `answer`. */
async function serve(answer: (request: Request) => Promise<Response> | Response): Promise<string> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = new Request(`http://127.0.0.1${req.url ?? '/'}`, { method: req.method ?? 'GET', headers: req.headers as Record<string, string>, ...(chunks.length ? { body: Buffer.concat(chunks) } : {}) });
    const response = await answer(request);
    res.writeHead(response.status, Object.fromEntries(response.headers)).end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const checksOf = (report: CheckReport, system: string) => report.systems.find((s) => s.system === system)!.checks;
const check = (report: CheckReport, system: string, name: string) => checksOf(report, system).find((c) => c.name === name)!;
const noSecret = (report: CheckReport) => expect(JSON.stringify(report)).not.toContain(SECRET);

describe('check: Dynamics 365 Finance & Operations', () => {
  let emulators: RunningEmulators;
  let fo: FinanceOperationsClientOptions & { credentials: { clientId: string; clientSecret: string } };

  beforeAll(async () => {
    emulators = await emulatorsOf(['d365fo']);
    fo = emulators.clients.d365fo as typeof fo;
  });

  it('passes every check on the emulator, reading each entity set the flows use', async () => {
    const report = await runChecks({ mode: 'emulators', financeOperations: fo });
    expect(checksOf(report, 'finance-operations').filter((c) => !c.ok)).toEqual([]);
    expect(checksOf(report, 'finance-operations').map((c) => c.name)).toEqual([
      'dns-tls', 'token', 'base-url',
      'read VendorsV2 (usmf)', 'read MainAccounts', 'read DimensionAttributes', 'read FinancialDimensionValues (usmf)', 'read account structure rules',
      'read VendorInvoiceHeaders (usmf)', 'read VendorInvoiceLines (usmf)', 'read posted vendor invoices (usmf)', 'read PurchaseOrderHeadersV2 (usmf)',
      'read PurchaseOrderLinesV2 (usmf)', 'read WorkflowWorkItems',
      'write permission', 'clock-skew', 'rate-limit', 'webhook',
    ]);
    expect(check(report, 'finance-operations', 'write permission').detail).toMatch(/^not provable without writing: F&O grants writes through the security roles/);
    expect(report.ok).toBe(true);
  });

  it('explains a wrong secret (Entra AADSTS7000215) and never prints it', async () => {
    const report = await runChecks({ mode: 'tenants', financeOperations: { ...fo, credentials: { clientId: fo.credentials.clientId, clientSecret: SECRET } } });
    expect(checksOf(report, 'finance-operations').map((c) => c.name)).toEqual(['dns-tls', 'token']);
    expect(check(report, 'finance-operations', 'token')).toMatchObject({ ok: false, detail: expect.stringMatching(/^wrong secret: .*\[AADSTS7000215\]$/) });
    expect(report.ok).toBe(false);
    noSecret(report);
  });

  it('explains missing consent from the IdP, and blanks a secret the IdP echoes in its error body', async () => {
    const consent = await serve(() => Response.json({ error: 'invalid_grant', error_codes: [65001], error_description: `AADSTS65001: The user or administrator has not consented. client_secret=${SECRET}` }, { status: 400 }));
    const report = await runChecks({ mode: 'tenants', financeOperations: { ...fo, authorityHost: consent, credentials: { clientId: fo.credentials.clientId, clientSecret: SECRET } } });
    expect(check(report, 'finance-operations', 'token').detail).toMatch(/^missing consent: an administrator has not granted consent .*\[AADSTS65001\]$/);
    // An unknown code is explained with the IdP's own first sentence: the planted secret in it is blanked out.
    const echo = await serve(() => Response.json({ error: 'invalid_request', error_codes: [9999999], error_description: `AADSTS9999999: Bad request for secret ${SECRET}` }, { status: 400 }));
    const echoed = await runChecks({ mode: 'tenants', financeOperations: { ...fo, authorityHost: echo, credentials: { clientId: fo.credentials.clientId, clientSecret: SECRET } } });
    expect(check(echoed, 'finance-operations', 'token').detail).toMatch(/Bad request for secret \[redacted\]/);
    noSecret(report);
    noSecret(echoed);
  });

  it('says the application is not registered in F&O when a valid token is refused', async () => {
    const unregistered = await emulatorsOf(['d365fo'], { d365fo: { apps: [{ clientId: FO_SANDBOX_CLIENT_ID, clientSecret: SECRET, registeredInFinanceOperations: false }] } });
    const options = unregistered.clients.d365fo as typeof fo;
    const report = await runChecks({ mode: 'tenants', financeOperations: { ...options, credentials: { clientId: FO_SANDBOX_CLIENT_ID, clientSecret: SECRET } } });
    expect(check(report, 'finance-operations', 'token').ok).toBe(true);
    expect(check(report, 'finance-operations', 'base-url')).toMatchObject({ ok: false, detail: expect.stringMatching(/Microsoft Entra applications/) });
    noSecret(report);
  });

  it('names the entity set answered 403 and the role to grant; the others stay readable', async () => {
    const denied = await emulatorsOf(['d365fo'], { d365fo: { faults: { statusRates: { 403: 1 }, appliesTo: (request) => new URL(request.url).pathname.endsWith('/data/VendorInvoiceHeaders') } } });
    const report = await runChecks({ mode: 'emulators', financeOperations: denied.clients.d365fo! });
    expect(check(report, 'finance-operations', 'read VendorInvoiceHeaders (usmf)')).toMatchObject({ ok: false, detail: expect.stringMatching(/^no read permission \(give the F&O user .* security role/) });
    expect(checksOf(report, 'finance-operations').filter((c) => !c.ok).map((c) => c.name)).toEqual(['read VendorInvoiceHeaders (usmf)']);
    expect(report.ok).toBe(false);
  });

  it('checks the business event endpoint with its secret', async () => {
    const handler = createBusinessEventHandler({ secret: SECRET, onEvent: () => {} });
    const endpoint = `${await serve(handler)}/fo-events`;
    const good = await runChecks({ mode: 'emulators', financeOperations: fo }, { targets: { financeOperations: { eventsUrl: endpoint, eventsSecret: SECRET } } });
    expect(check(good, 'finance-operations', 'webhook')).toMatchObject({ ok: true, detail: expect.stringMatching(/accepts the endpoint secret/) });
    const wrong = await runChecks({ mode: 'emulators', financeOperations: fo }, { targets: { financeOperations: { eventsUrl: endpoint, eventsSecret: `${SECRET}-old` } } });
    expect(check(wrong, 'finance-operations', 'webhook')).toMatchObject({ ok: false, detail: expect.stringMatching(/refuses the endpoint secret \(HTTP 401\)/) });
    const gone = await runChecks({ mode: 'emulators', financeOperations: fo }, { targets: { financeOperations: { eventsUrl: 'http://127.0.0.1:9/fo-events', eventsSecret: SECRET } } });
    expect(check(gone, 'finance-operations', 'webhook')).toMatchObject({ ok: false, detail: expect.stringMatching(/is not reachable/) });
    for (const report of [good, wrong, gone]) noSecret(report);
  });

  it('measures clock skew from the Date header', async () => {
    const report = await runChecks({ mode: 'emulators', financeOperations: fo }, { now: () => Date.now() + 10 * 60_000 });
    expect(check(report, 'finance-operations', 'clock-skew')).toMatchObject({ ok: false, detail: expect.stringMatching(/^server behind by (59\d|60\d)\.\d s/) });
  });
});

describe('check: Oracle Fusion', () => {
  let emulators: RunningEmulators;
  let oracle: OracleFusionClientOptions & { credentials: { clientId: string; clientSecret: string } };

  beforeAll(async () => {
    emulators = await emulatorsOf(['oracleFusion']);
    oracle = emulators.clients.oracleFusion as typeof oracle;
  });

  it('passes every check on the emulator, reading each resource the flows use', async () => {
    const report = await runChecks({ mode: 'emulators', oracleFusion: oracle });
    expect(checksOf(report, 'oracle-fusion').filter((c) => !c.ok)).toEqual([]);
    expect(checksOf(report, 'oracle-fusion').map((c) => c.name)).toEqual([
      'dns-tls', 'token', 'base-url', 'read suppliers', 'read purchaseOrders', 'read invoices', 'read receivingReceiptRequests', 'read accountCombinationsLOV',
      'read valueSets/XX_COST_CENTER/child/values', 'read valueSets/XX_ACCOUNT/child/values', 'write permission', 'clock-skew', 'rate-limit', 'webhook',
    ]);
    expect(report.ok).toBe(true);
  });

  it('explains a wrong client secret from the identity domain, and a wrong Basic password, without printing either', async () => {
    const oauth = await runChecks({ mode: 'tenants', oracleFusion: { ...oracle, credentials: { clientId: oracle.credentials.clientId, clientSecret: SECRET } } });
    expect(check(oauth, 'oracle-fusion', 'token')).toMatchObject({ ok: false, detail: expect.stringMatching(/^wrong client id or secret: .*\[invalid_client\]$/) });
    const { credentials: _unused, ...rest } = oracle;
    const basic = await runChecks({ mode: 'tenants', oracleFusion: { ...rest, credentials: { username: 'integration.user', password: SECRET } } as OracleFusionClientOptions });
    expect(checksOf(basic, 'oracle-fusion').map((c) => c.name)).toEqual(['dns-tls', 'token', 'token']);
    expect(checksOf(basic, 'oracle-fusion').at(-1)).toMatchObject({ ok: false, detail: expect.stringMatching(/^wrong user name or password/) });
    noSecret(oauth);
    noSecret(basic);
  });

  it('names a value set the flows need that the pod does not have', async () => {
    const report = await runChecks({ mode: 'emulators', oracleFusion: oracle }, { targets: { oracleFusion: { valueSets: ['XX_COST_CENTER', 'XX_NO_SUCH_SET'] } } });
    expect(check(report, 'oracle-fusion', 'read valueSets/XX_NO_SUCH_SET/child/values').ok).toBe(false);
    expect(check(report, 'oracle-fusion', 'read valueSets/XX_COST_CENTER/child/values').ok).toBe(true);
  });
});

describe('check: Jira Cloud', () => {
  let emulators: RunningEmulators;
  let jira: JiraClientOptions;

  beforeAll(async () => {
    emulators = await emulatorsOf(['jira']);
    jira = emulators.clients.jira!;
  });

  it('passes every check on the emulator: projects, fields, search, mypermissions, rate-limit headroom', async () => {
    const report = await runChecks({ mode: 'emulators', jira });
    expect(checksOf(report, 'jira').filter((c) => !c.ok)).toEqual([]);
    expect(checksOf(report, 'jira').map((c) => c.name)).toEqual([
      'dns-tls', 'token', 'base-url', 'read fields', 'read issue types (FIN)', 'read search (FIN)', 'write permission (FIN)', 'clock-skew', 'rate-limit', 'webhook',
    ]);
    expect(check(report, 'jira', 'write permission (FIN)').detail).toBe('CREATE_ISSUES, ADD_COMMENTS, EDIT_ISSUES, TRANSITION_ISSUES granted (mypermissions)');
    expect(check(report, 'jira', 'rate-limit').detail).toMatch(/^\d+ of \d+ requests left in the window \(resets /);
    expect(check(report, 'jira', 'webhook').detail).toMatch(/^dynamic webhooks need an OAuth app/);
  });

  it('explains a wrong API token and never prints it', async () => {
    const auth = jira.auth as Extract<JiraClientOptions['auth'], { kind: 'api-token' }>;
    const report = await runChecks({ mode: 'tenants', jira: { ...jira, auth: { ...auth, apiToken: SECRET } } });
    expect(checksOf(report, 'jira').map((c) => c.name)).toEqual(['dns-tls', 'token']);
    expect(check(report, 'jira', 'token')).toMatchObject({ ok: false, detail: expect.stringMatching(/^wrong e-mail or API token/) });
    noSecret(report);
  });

  it('proves a missing CREATE_ISSUES permission without writing', async () => {
    const denied = await emulatorsOf(['jira'], { jira: { deniedPermissions: ['CREATE_ISSUES'] } });
    const report = await runChecks({ mode: 'emulators', jira: denied.clients.jira! });
    expect(check(report, 'jira', 'write permission (FIN)')).toMatchObject({ ok: false, detail: expect.stringMatching(/^missing CREATE_ISSUES \(mypermissions\)/) });
    expect(report.ok).toBe(false);
  });

  it('fails the rate-limit headroom when Jira answers 429, and names a project the account cannot see', async () => {
    let probes = 0;
    // The second GET /myself is the header probe (the first proves the token).
    const limited = await emulatorsOf(['jira'], { jira: { faults: { statusRates: { 429: 1 }, appliesTo: (request) => new URL(request.url).pathname.endsWith('/myself') && ++probes === 2 } } });
    const report = await runChecks({ mode: 'emulators', jira: limited.clients.jira! }, { targets: { jira: { projects: ['FIN', 'NOPE'] } } });
    expect(check(report, 'jira', 'rate-limit')).toMatchObject({ ok: false, detail: expect.stringMatching(/429: no headroom left/) });
    expect(check(report, 'jira', 'base-url')).toMatchObject({ ok: false, detail: expect.stringMatching(/project NOPE is not visible to this account/) });
  });

  it('measures clock skew from the Date header', async () => {
    const report = await runChecks({ mode: 'emulators', jira }, { now: () => Date.now() - 10 * 60_000 });
    expect(check(report, 'jira', 'clock-skew')).toMatchObject({ ok: false, detail: expect.stringMatching(/^server ahead by (59\d|60\d)\.\d s: more than 300 s/) });
  });
});

describe('ml-connector check with FO_*, ORACLE_* and JIRA_* variables', () => {
  it('checks the configured systems, explains each wrong secret and prints none of them', async () => {
    const emulators = await emulatorsOf(['d365fo', 'oracleFusion', 'jira']);
    const fo = emulators.clients.d365fo as FinanceOperationsClientOptions & { credentials: { clientId: string } };
    const oracle = emulators.clients.oracleFusion as OracleFusionClientOptions & { credentials: { clientId: string; clientSecret: string } };
    const jira = emulators.clients.jira!.auth as Extract<JiraClientOptions['auth'], { kind: 'api-token' }>;
    const env = (secret: (right: string) => string) => ({
      FO_ENVIRONMENT_URL: fo.environmentUrl,
      FO_TENANT_ID: fo.tenantId,
      FO_CLIENT_ID: fo.credentials.clientId,
      FO_CLIENT_SECRET: secret('fo-sandbox-client-secret'),
      FO_AUTHORITY_HOST: fo.authorityHost!,
      ORACLE_HOST: oracle.host,
      ORACLE_IDENTITY_DOMAIN_URL: oracle.identityDomainUrl!,
      ORACLE_SCOPE: oracle.scope!,
      ORACLE_CLIENT_ID: oracle.credentials.clientId,
      ORACLE_CLIENT_SECRET: secret(oracle.credentials.clientSecret),
      JIRA_SITE_URL: String(jira.siteUrl),
      JIRA_EMAIL: jira.email,
      JIRA_API_TOKEN: secret(String(jira.apiToken)),
    });
    const good = await cli(['check', '--json'], { cwd: work.cwd, env: env((right) => right) });
    const goodReport = JSON.parse(good.stdout) as CheckReport;
    expect(goodReport.systems.map((s) => s.system)).toEqual(['finance-operations', 'oracle-fusion', 'jira']);
    expect(goodReport.systems.flatMap((s) => s.checks.filter((c) => !c.ok))).toEqual([]);
    expect(good.code).toBe(0);

    const bad = await cli(['check', '--json'], { cwd: work.cwd, env: env(() => SECRET) });
    const table = await cli(['check'], { cwd: work.cwd, env: env(() => SECRET) });
    const report = JSON.parse(bad.stdout) as CheckReport;
    expect(bad.code).toBe(1);
    expect(check(report, 'finance-operations', 'token').detail).toMatch(/^wrong secret/);
    expect(check(report, 'oracle-fusion', 'token').detail).toMatch(/^wrong client id or secret/);
    expect(check(report, 'jira', 'token').detail).toMatch(/^wrong e-mail or API token/);
    for (const output of [bad.stdout, bad.stderr, table.stdout, table.stderr]) expect(output).not.toContain(SECRET);
  });
});
