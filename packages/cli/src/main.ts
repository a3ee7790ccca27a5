import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Table from 'cli-table3';
import { InvalidInputError, isConnectorError, redactText } from '@ml-connector/core';
import { createStoreCredentialVault, createSyncEngine, openSqliteSyncStore, resolveSecret, type AuditEvent, type ReviewState, type SyncStore } from '@ml-connector/core/sync';
import { runChecks, type CheckReport } from './check.js';
import { loadConnectorEnvironment, type ConnectorEnvironment, type Env } from './config.js';
import { ENV_GROUPS, type ConnectorSystem } from './environment.js';

const EVERY_SYSTEM = Object.keys(ENV_GROUPS) as ConnectorSystem[];
import { startConsole } from './console/server.js';
import { buildFlow, loadFlowRegistry } from './flows.js';
import { auditTrail, findReviewItem, keyOf, listReviewItems, listRuns, replayTarget } from './operations.js';
import { reconcileInvoices, renderReconciliationCsv, renderReconciliationHtml, renderReconciliationTable } from './reconcile.js';
import { resolveConnections, VAULT_SECRET_NAMES } from './systems.js';

/** Streams and surroundings of one command; tests pass their own. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Where secrets are read from (`credentials set`). Default `process.stdin`. */
  readonly stdin?: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  /** Environment variables. Default `process.env` after loading `./.env`. */
  readonly env?: Env;
  /** Working directory for relative paths. Default `process.cwd()`. */
  readonly cwd?: string;
  /** Resolves when the console should stop (tests); default: SIGINT or SIGTERM. */
  readonly until?: Promise<void>;
  /** Receives the console's URL once it listens (tests). */
  readonly onConsole?: (url: string) => void;
}

const USAGE = `Usage: ml-connector <command> [options]

Commands:
  check [--json]                          check every configured system (or the running emulators): Business
                                          Central, JAGGAER, NAV, Finance & Operations, Oracle Fusion, Jira
  credentials set <bc|jaggaer|name>       store a secret (read from stdin, not echoed) in the encrypted vault
  credentials list                        names of the stored secrets (never a value)
  credentials rotate-key --key-file <f>   re-encrypt the vault with a new key written to <f> (mode 600)
  audit <business id|record id>           audit trail (invoice, PO or vendor number, or source record id)
  review list|show|resolve|ignore [id]    the review queue
  replay <record id|reason> --flows <m>   replay review items (asks first; --yes to skip)
  runs                                    past runs, newest first
  reconcile --period YYYY-MM [--flow f]   source against target of one flow: invoices of bc-invoices (default),
                                          fo-invoices, nav-purchasing, oracle-to-jaggaer; vendors of nav-vendors,
                                          bc-master-data (--csv <file>, --html <file>, --status <JAGGAER status,
                                          default Approved | any>, --legal-entity <F&O ids, comma-separated>)
  console                                 local web console on 127.0.0.1 (token printed at start)

Common options: --flow <name>, --json, --limit <n>
Configuration: the examples' variables (examples/.env.example); state in ML_CONNECTOR_STATE_PATH.`;

/** A secret read from a TTY without echo, or from piped stdin. */
async function readSecret(io: CliIo, prompt: string): Promise<string> {
  const stdin = io.stdin ?? process.stdin;
  if (stdin.isTTY && stdin.setRawMode) {
    io.stderr.write(prompt);
    stdin.setRawMode(true);
    let value = '';
    try {
      for await (const chunk of stdin) {
        for (const char of String(chunk)) {
          if (char === '\r' || char === '\n') return value;
          if (char === '\u0003') throw new InvalidInputError('cancelled', { field: 'stdin' });
          value = char === '\u007f' ? value.slice(0, -1) : value + char;
        }
      }
    } finally {
      stdin.setRawMode(false);
      io.stderr.write('\n');
    }
    return value;
  }
  let text = '';
  for await (const chunk of stdin) text += String(chunk);
  return text.replace(/\r?\n$/, '');
}

async function confirm(io: CliIo, question: string): Promise<boolean> {
  const stdin = io.stdin ?? process.stdin;
  if (!stdin.isTTY) return false;
  io.stderr.write(`${question} [y/N] `);
  for await (const chunk of stdin) return /^y(es)?$/i.test(String(chunk).trim());
  return false;
}

function table(head: string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const t = new Table({ head, style: { head: [], border: [] }, wordWrap: true });
  for (const row of rows) t.push([...row]);
  return `${t.toString()}\n`;
}

/** Renders a check report as the default table. */
export function renderCheckTable(report: CheckReport): string {
  const rows = report.systems.flatMap((s) => s.checks.map((c) => [s.system, c.name, c.ok ? 'ok' : 'FAIL', c.detail]));
  return `${table(['system', 'check', 'result', 'detail'], rows)}${report.ok ? 'All checks passed.' : 'Some checks failed.'}\n`;
}

function auditRows(events: readonly AuditEvent[]) {
  return events.map((e) => [e.seq, e.at, e.flow, e.sourceId, e.runId.slice(0, 8), e.step, e.targetId ?? '', e.requestId ?? '', e.code ?? '', e.detail ?? '']);
}

interface Parsed {
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
}

function parse(argv: readonly string[]): Parsed {
  const { positionals, values } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      flow: { type: 'string' },
      flows: { type: 'string' },
      limit: { type: 'string' },
      state: { type: 'string' },
      status: { type: 'string' },
      reason: { type: 'string' },
      note: { type: 'string' },
      yes: { type: 'boolean', short: 'y' },
      period: { type: 'string' },
      csv: { type: 'string' },
      html: { type: 'string' },
      'key-file': { type: 'string' },
      'legal-entity': { type: 'string' },
      port: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  return { positionals, values };
}

/** Everything a store command needs, closed after the command. */
interface Session {
  readonly env: ConnectorEnvironment;
  readonly store: SyncStore;
  readonly cwd: string;
}

async function withStore<T>(io: CliIo, run: (session: Session) => Promise<T>, systems?: readonly ConnectorSystem[]): Promise<T> {
  const cwd = io.cwd ?? process.cwd();
  const env = loadConnectorEnvironment(io.env, cwd, systems ? { systems } : {});
  const store = await openSqliteSyncStore({ path: env.statePath });
  try {
    return await run({ env, store, cwd });
  } finally {
    await store.close();
  }
}

function vaultOf(session: Session) {
  if (!session.env.vaultKey) throw new InvalidInputError('the vault needs ML_CONNECTOR_VAULT_KEY (the base64 of 32 random bytes: openssl rand -base64 32)', { field: 'ML_CONNECTOR_VAULT_KEY' });
  return createStoreCredentialVault(session.store, { key: session.env.vaultKey });
}

function secretName(system: string): string {
  if (system === 'bc' || system === 'business-central' || system === 'businessCentral') return VAULT_SECRET_NAMES.businessCentral;
  if (system === 'jaggaer') return VAULT_SECRET_NAMES.jaggaer;
  if (/^[a-z0-9][a-z0-9._/-]*$/i.test(system)) return system;
  throw new InvalidInputError(`credentials set takes bc, jaggaer or a secret name such as bc/client-secret, got "${system}"`, { field: 'system' });
}

async function credentials(args: Parsed, io: CliIo): Promise<number> {
  const [, action, system] = args.positionals;
  return withStore(io, async (session) => {
    const vault = vaultOf(session);
    if (action === 'list') {
      const names = await vault.list();
      io.stdout.write(names.length === 0 ? 'The vault is empty.\n' : `${names.join('\n')}\n`);
      return 0;
    }
    if (action === 'set') {
      if (!system) throw new InvalidInputError('credentials set needs a system: bc or jaggaer', { field: 'system' });
      const name = secretName(system);
      const secret = await readSecret(io, `Secret for ${name} (not shown): `);
      if (!secret) throw new InvalidInputError('the secret was empty; nothing stored', { field: 'stdin' });
      await vault.put(name, secret);
      io.stdout.write(`Stored ${name} (encrypted in ${session.env.statePath}).\n`);
      return 0;
    }
    if (action === 'rotate-key') {
      const keyFile = args.values['key-file'];
      if (typeof keyFile !== 'string') throw new InvalidInputError('credentials rotate-key needs --key-file <path>: the new key is written there (mode 600), never printed', { field: 'key-file' });
      const newKey = randomBytes(32).toString('base64');
      const path = resolve(session.cwd, keyFile);
      // The key file first: a crash after it leaves the old key working and the new one saved.
      await writeFile(path, `${newKey}\n`, { mode: 0o600, flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
        throw new InvalidInputError(error.code === 'EEXIST' ? `${keyFile} exists; choose a new file` : `cannot write ${keyFile}: ${error.code ?? error.message}`, { field: 'key-file' });
      });
      const count = await vault.rotate(newKey);
      io.stdout.write(`Re-encrypted ${count} secret(s). The new key is in ${keyFile}: set ML_CONNECTOR_VAULT_KEY to its content, then delete the file.\n`);
      return 0;
    }
    throw new InvalidInputError(`credentials takes set, list or rotate-key, got "${action ?? ''}"`, { field: 'action' });
  });
}

const json = (io: CliIo, value: unknown) => io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

async function review(args: Parsed, io: CliIo): Promise<number> {
  const [, action = 'list', id] = args.positionals;
  const flow = typeof args.values.flow === 'string' ? args.values.flow : undefined;
  return withStore(io, async ({ store }) => {
    if (action === 'list') {
      const states = (typeof args.values.state === 'string' ? args.values.state.split(',') : ['open', 'retrying']) as ReviewState[];
      const items = await listReviewItems(store, { ...(flow ? { flow } : {}), state: states, ...(typeof args.values.reason === 'string' ? { reason: args.values.reason } : {}) });
      if (args.values.json) return json(io, items), 0;
      if (items.length === 0) return io.stdout.write('The review queue is empty.\n'), 0;
      io.stdout.write(table(['flow', 'record', 'business ids', 'state', 'reason', 'attempts', 'detail'], items.map((i) => [i.flow, i.sourceId, i.businessIds.join(', '), i.state, i.reason, i.attempts, i.detail])));
      io.stdout.write('Fix the data or mapping, then: ml-connector replay <record|reason> --flows <registry>\n');
      return 0;
    }
    if (!id) throw new InvalidInputError(`review ${action} needs a record id or business id`, { field: 'id' });
    const item = await findReviewItem(store, id, flow);
    if (action === 'show') {
      if (args.values.json) return json(io, item), 0;
      io.stdout.write(table(['field', 'value'], [
        ['flow', item.flow], ['record', `${item.sourceSystem}/${item.sourceId}`], ['business ids', item.businessIds.join(', ')], ['state', item.state],
        ['reason', item.reason], ['detail', item.detail], ['attempts', item.attempts], ['since', item.createdAt], ['updated', item.updatedAt],
        ['override', item.override ? JSON.stringify(item.override) : ''],
      ]));
      const events = await store.queryAudit({ record: keyOf(item), limit: 1000 });
      io.stdout.write(table(['seq', 'at', 'flow', 'record', 'run', 'step', 'target id', 'request id', 'code', 'detail'], auditRows(events)));
      return 0;
    }
    if (action === 'resolve' || action === 'ignore') {
      const engine = createSyncEngine({ store });
      await engine.settleReview(keyOf(item), action === 'resolve' ? 'resolved' : 'ignored', typeof args.values.note === 'string' ? args.values.note : undefined);
      io.stdout.write(`${item.flow}/${item.sourceId} ${action === 'resolve' ? 'resolved' : 'ignored'}.\n`);
      return 0;
    }
    throw new InvalidInputError(`review takes list, show, resolve or ignore, got "${action}"`, { field: 'action' });
  });
}

async function replay(args: Parsed, io: CliIo): Promise<number> {
  const target = args.positionals[1];
  if (!target) throw new InvalidInputError('replay needs a record id, business id or review reason', { field: 'target' });
  const cwd = io.cwd ?? process.cwd();
  const env: Env = io.env ?? process.env;
  const flowsModule = typeof args.values.flows === 'string' ? args.values.flows : env['ML_CONNECTOR_FLOWS'];
  if (!flowsModule) throw new InvalidInputError('replay needs the flow definitions: --flows <module> or ML_CONNECTOR_FLOWS (a module default-exporting defineFlowRegistry({...}))', { field: 'flows' });
  const registry = await loadFlowRegistry(flowsModule, cwd);
  return withStore(io, async (session) => {
    const selection = await replayTarget(session.store, target, typeof args.values.flow === 'string' ? args.values.flow : undefined);
    const what = selection.sourceId ? `record ${selection.sourceId}` : `${selection.count} item(s) with reason ${selection.reason}`;
    if (!args.values.yes && !(await confirm(io, `Replay ${what} of ${selection.flow}? It writes to the target system.`))) {
      io.stderr.write('Not replayed (confirm, or pass --yes).\n');
      return 1;
    }
    const built = await buildFlow(registry, selection.flow, { env: session.env, store: session.store });
    try {
      const engine = createSyncEngine({ store: session.store });
      const summary = await engine.replay(built.flow, selection.sourceId ? { sourceId: selection.sourceId } : { reason: selection.reason! });
      if (args.values.json) return json(io, summary), 0;
      const c = summary.counts;
      io.stdout.write(`Replay ${summary.status}: ${c.created} created, ${c.updated} updated, ${c.skipped} skipped, ${c.review} back to review, ${c.failed} failed.\n`);
      return summary.status === 'completed' && c.failed === 0 && c.review === 0 ? 0 : 1;
    } finally {
      await built.close?.();
    }
  });
}

async function check(args: Parsed, io: CliIo): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const variables = io.env;
  const env = loadConnectorEnvironment(variables, cwd, { systems: EVERY_SYSTEM });
  const raw: Env = variables ?? process.env;
  let store: SyncStore | undefined;
  try {
    const secret = env.vaultKey
      ? async (system: ConnectorSystem) => {
          store ??= await openSqliteSyncStore({ path: env.statePath });
          return resolveSecret(VAULT_SECRET_NAMES[system], { vault: createStoreCredentialVault(store, { key: env.vaultKey! }), env: {} });
        }
      : undefined;
    const connections = await resolveConnections(env, { ...(secret ? { secret } : {}), ...(raw['BC_WEBHOOK_NOTIFICATION_URL']?.trim() ? { webhookUrl: raw['BC_WEBHOOK_NOTIFICATION_URL'].trim() } : {}) });
    const text = (name: string) => raw[name]?.trim() || undefined;
    const list = (name: string) => text(name)?.split(',').map((item) => item.trim()).filter(Boolean);
    const report = await runChecks(connections, {
      targets: {
        financeOperations: {
          ...(text('FO_DEFAULT_LEGAL_ENTITY') ? { legalEntity: text('FO_DEFAULT_LEGAL_ENTITY')! } : {}),
          ...(text('FO_EVENTS_URL') ? { eventsUrl: text('FO_EVENTS_URL')! } : {}),
          ...(text('FO_EVENTS_SECRET') ? { eventsSecret: text('FO_EVENTS_SECRET')! } : {}),
        },
        // ORACLE_VALUE_SETS=XX_COST_CENTER=department,XX_ACCOUNT=account: the codes before each "=".
        oracleFusion: list('ORACLE_VALUE_SETS') ? { valueSets: list('ORACLE_VALUE_SETS')!.map((pair) => pair.split('=')[0]!.trim()) } : {},
        jira: list('JIRA_PROJECTS') ? { projects: list('JIRA_PROJECTS')! } : {},
      },
    });
    if (args.values.json) io.stdout.write(`${JSON.stringify(report)}\n`);
    else io.stdout.write(`Checking ${connections.mode === 'emulators' ? 'the running emulators' : 'the configured tenants'}.\n${renderCheckTable(report)}`);
    return report.ok ? 0 : 1;
  } finally {
    await store?.close();
  }
}

async function reconcile(args: Parsed, io: CliIo): Promise<number> {
  const period = args.values.period;
  if (typeof period !== 'string') throw new InvalidInputError('reconcile needs --period YYYY-MM (or YYYY-MM-DD..YYYY-MM-DD)', { field: 'period' });
  return withStore(io, async (session) => {
    const connections = await resolveConnections(session.env);
    const report = await reconcileInvoices({
      connections,
      store: session.store,
      period,
      ...(typeof args.values.flow === 'string' ? { flow: args.values.flow } : {}),
      ...(typeof args.values.status === 'string' ? { sourceStatus: args.values.status } : {}),
      ...(typeof args.values['legal-entity'] === 'string' ? { legalEntities: args.values['legal-entity'].split(',').map((e) => e.trim()).filter(Boolean) } : {}),
    });
    if (typeof args.values.csv === 'string') await writeFile(resolve(session.cwd, args.values.csv), renderReconciliationCsv(report));
    if (typeof args.values.html === 'string') await writeFile(resolve(session.cwd, args.values.html), renderReconciliationHtml(report));
    if (args.values.json) json(io, report);
    else io.stdout.write(renderReconciliationTable(report));
    return report.balanced ? 0 : 1;
  }, EVERY_SYSTEM);
}

async function consoleCommand(args: Parsed, io: CliIo): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const env: Env = io.env ?? process.env;
  const flowsModule = typeof args.values.flows === 'string' ? args.values.flows : env['ML_CONNECTOR_FLOWS'];
  const registry = flowsModule ? await loadFlowRegistry(flowsModule, cwd) : undefined;
  return withStore(io, async (session) => {
    const server = await startConsole({ store: session.store, env: session.env, ...(registry ? { registry } : {}), port: typeof args.values.port === 'string' ? Number(args.values.port) : 0 });
    io.stdout.write(`Console on ${server.url} (loopback only; the token in the URL is required)\nCtrl-C stops it.\n`);
    io.onConsole?.(server.url);
    await (io.until ??
      new Promise<void>((resolveStop) => {
        process.once('SIGINT', () => resolveStop());
        process.once('SIGTERM', () => resolveStop());
      }));
    await server.close();
    return 0;
  });
}

/**
 * Runs one `ml-connector` command and resolves to its exit code (0 ok, 1 a check or step failed, 2 bad usage). Errors
 * are printed redacted, never with a secret.
 */
export async function runCli(argv: readonly string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let args: Parsed;
  try {
    args = parse(argv);
  } catch (error) {
    io.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    return 2;
  }
  const command = args.positionals[0];
  if (!command || args.values.help) {
    io.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  try {
    switch (command) {
      case 'check':
        return await check(args, io);
      case 'credentials':
        return await credentials(args, io);
      case 'audit': {
        const id = args.positionals[1];
        if (!id) throw new InvalidInputError('audit needs a business id (invoice, PO or vendor number) or a record id', { field: 'id' });
        return await withStore(io, async ({ store }) => {
          const events = await auditTrail(store, id, typeof args.values.flow === 'string' ? args.values.flow : undefined);
          if (args.values.json) return json(io, events), events.length > 0 ? 0 : 1;
          if (events.length === 0) return io.stdout.write(`No audit events for "${id}".\n`), 1;
          io.stdout.write(table(['seq', 'at', 'flow', 'record', 'run', 'step', 'target id', 'request id', 'code', 'detail'], auditRows(events)));
          return 0;
        });
      }
      case 'review':
        return await review(args, io);
      case 'replay':
        return await replay(args, io);
      case 'runs':
        return await withStore(io, async ({ store }) => {
          const runs = await listRuns(store, { ...(typeof args.values.flow === 'string' ? { flow: args.values.flow } : {}), limit: Number(args.values.limit ?? 20) });
          if (args.values.json) return json(io, runs), 0;
          if (runs.length === 0) return io.stdout.write('No runs yet.\n'), 0;
          io.stdout.write(table(['run', 'flow', 'status', 'started', 'finished', 'read', 'created', 'updated', 'skipped', 'review', 'failed'], runs.map((r) => [
            r.id.slice(0, 8), r.flow, r.status, r.startedAt, r.finishedAt ?? '', r.counts.read, r.counts.created, r.counts.updated, r.counts.skipped, r.counts.review, r.counts.failed,
          ])));
          return 0;
        });
      case 'reconcile':
        return await reconcile(args, io);
      case 'console':
        return await consoleCommand(args, io);
      default:
        io.stderr.write(`Unknown command "${command}".\n\n${USAGE}\n`);
        return 2;
    }
  } catch (error) {
    const text = isConnectorError(error) ? error.message : redactText(error instanceof Error ? error.message : String(error));
    io.stderr.write(`ml-connector ${command}: ${text}\n`);
    return 2;
  }
}
