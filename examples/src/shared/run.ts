import { hostname } from 'node:os';
import Table from 'cli-table3';
import { InvalidInputError, isConnectorError, isInvalidInputError, redactText, silentLogger, type Logger } from '@ml-connector/core';
import {
  createStoreCredentialVault,
  createSyncEngine,
  resolveSecret,
  type FieldChange,
  type ReplaySelection,
  type RunSummary,
  type SyncEngine,
  type SyncEvent,
  type SyncFlow,
  type SyncStore,
} from '@ml-connector/core/sync';
import { parseExampleArgs, usage, type ExampleArgs } from './args.ts';
import { loadExampleEnvironment, type ExampleEnvironment } from './config.ts';
import { VAULT_SECRET_NAMES } from '@ml-connector/cli';
import { connectExample, type ExampleConnections } from './connections.ts';
import type { ConnectedSystems, ConnectOptions } from './systems.ts';
import { acquireRunLock } from './lock.ts';
import { createRunProgress } from './progress.ts';
import { openExampleStore, runOnWorkers, serveFlows, sharedBusinessCentralThrottle } from './scale-out.ts';
import { followUpCommands, renderSummaryTable, summaryRecord, type SummaryRecord } from './summary.ts';
import { createExampleTelemetry, telemetryWanted } from './telemetry.ts';

/** Where an example writes (stdout for results, stderr for progress and warnings). */
export interface ExampleIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WriteStream | (NodeJS.WritableStream & { isTTY?: boolean });
}

export type { ConnectedSystems };
export { VAULT_SECRET_NAMES };

/** What an example's flow factory gets. */
export interface ExampleContext<C extends ConnectedSystems = ExampleConnections> {
  readonly args: ExampleArgs;
  readonly env: ExampleEnvironment;
  readonly connections: C;
  readonly store: SyncStore;
  readonly logger: Logger;
  /** Aborted by SIGINT/SIGTERM: the run finishes in-flight records and saves its checkpoint. */
  readonly signal: AbortSignal;
}

/** Records a run wrote, handed to {@link ExampleDefinition.afterRun}. */
export interface RunWrites {
  /** Target ids of documents created or updated in this run. */
  readonly targetIds: readonly string[];
}

/** One runnable example: its flow and how it presents itself. */
export interface ExampleDefinition<S, P, C extends ConnectedSystems = ExampleConnections> {
  /** Command users type (`pnpm example:bc-invoices`), shown in help and follow-up hints. */
  readonly command: string;
  /** Name in the progress bar and summary when the example runs several flows (default: their names). */
  readonly label?: string;
  /** One paragraph for `--help`. */
  readonly description: string;
  /**
   * Builds the flow over the connected systems, or several flows (one per source entity) that run one after the
   * other and share one summary.
   */
  flow(context: ExampleContext<C>): ExampleFlows<S, P> | Promise<ExampleFlows<S, P>>;
  /**
   * Reads the environment and connects the systems this example uses. Default: Business Central and JAGGAER
   * (`loadExampleEnvironment` + `connectExample`); the Oracle examples connect Oracle Fusion and JAGGAER, the NAV examples Dynamics NAV and JAGGAER.
   */
  readonly systems?: {
    environment(): ExampleEnvironment;
    connect(env: ExampleEnvironment, options: ConnectOptions): Promise<C>;
  };
  /** Client tuning (throttle, page sizes) for this flow. */
  readonly connect?: Pick<ConnectOptions, 'businessCentralOptions' | 'jaggaerOptions' | 'financeOperationsOptions' | 'navOptions' | 'oracleOptions'>;
  /** Runs after a run or replay that wrote (never after a dry run); returns lines to print (for example, posted invoices). */
  afterRun?(context: ExampleContext<C>, writes: RunWrites): Promise<readonly string[]>;
  /** Options handed to the engine (concurrency, batch size). */
  readonly engine?: Record<string, unknown>;
}

/** A flow of any record types, as one of several an example runs. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- flows of different record types run side by side
export type AnySyncFlow = SyncFlow<any, any>;

/** What an example's flow factory returns: one flow, or several run in order. */
export type ExampleFlows<S, P> = SyncFlow<S, P> | readonly AnySyncFlow[];

/** A logger writing one line per entry to stderr (`--verbose`); fields are already redacted by the SDK. */
function stderrLogger(stream: NodeJS.WritableStream, minimum: 'debug' | 'info' | 'warn'): Logger {
  const levels = ['debug', 'info', 'warn', 'error'] as const;
  const write = (level: (typeof levels)[number]) => (fields: Record<string, unknown>, message?: string) => {
    if (levels.indexOf(level) < levels.indexOf(minimum)) return;
    stream.write(`${level}: ${message ?? ''} ${JSON.stringify(fields)}\n`);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

function formatValue(value: unknown): string {
  return value === undefined ? '∅' : JSON.stringify(value);
}

/** Field-level diff of one record for `--dry-run`. */
export function formatChanges(label: string, changes: readonly FieldChange[]): string {
  if (changes.length === 0) return `= ${label}: no change\n`;
  const lines = changes.map((change) => {
    if (change.before === undefined) return `    + ${change.path}: ${formatValue(change.after)}`;
    if (change.after === undefined) return `    - ${change.path}: ${formatValue(change.before)}`;
    return `    ~ ${change.path}: ${formatValue(change.before)} → ${formatValue(change.after)}`;
  });
  return `~ ${label}\n${lines.join('\n')}\n`;
}

async function printAudit(engine: SyncEngine, flow: string, businessId: string, io: ExampleIo, quietWhenEmpty = false): Promise<number> {
  const events = await engine.audit({ flow, businessId, limit: 10_000 });
  if (events.length === 0) {
    if (quietWhenEmpty) return 1;
    io.stdout.write(`No audit events for "${businessId}" in ${flow}. Business ids are invoice, PO and vendor numbers.\n`);
    return 1;
  }
  if (quietWhenEmpty) io.stdout.write(`${flow}\n`);
  const table = new Table({ head: ['seq', 'at', 'record', 'run', 'step', 'target id', 'request id', 'code', 'detail'], style: { head: [], border: [] }, wordWrap: true });
  for (const event of events) {
    table.push([event.seq, event.at, event.sourceId, event.runId.slice(0, 8), event.step, event.targetId ?? '', event.requestId ?? '', event.code ?? '', event.detail ?? '']);
  }
  io.stdout.write(`${table.toString()}\n`);
  return 0;
}

async function printReview(engine: SyncEngine, flow: string, command: string, io: ExampleIo): Promise<number> {
  const items = await engine.reviews({ flow, state: ['open', 'retrying'] });
  if (items.length === 0) {
    io.stdout.write(`The review queue of ${flow} is empty.\n`);
    return 0;
  }
  const table = new Table({ head: ['record', 'business ids', 'state', 'reason', 'attempts', 'what to fix'], style: { head: [], border: [] }, wordWrap: true, colWidths: [14, 24, 10, 18, 10, 60] });
  for (const item of items) table.push([item.sourceId, item.businessIds.join(' '), item.state, item.reason, item.attempts, item.detail]);
  io.stdout.write(`${table.toString()}\nFix the mapping or data, then: ${command} --replay <reason|record>\n`);
  return 0;
}

/** `--vault-set <name>`: reads the secret from stdin and stores it encrypted in the state file's vault. */
async function storeSecret(vault: ReturnType<typeof createStoreCredentialVault> | undefined, name: string, io: ExampleIo): Promise<number> {
  const names = Object.values(VAULT_SECRET_NAMES) as string[];
  if (!names.includes(name)) throw new InvalidInputError(`--vault-set takes one of ${names.join(', ')}, got "${name}"`, { field: 'vault-set' });
  if (!vault) throw new InvalidInputError('--vault-set needs ML_CONNECTOR_VAULT_KEY (the base64 of 32 random bytes)', { field: 'ML_CONNECTOR_VAULT_KEY' });
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  const secret = text.split(/\r?\n/)[0]?.trim() ?? '';
  if (!secret) throw new InvalidInputError('--vault-set reads the secret from stdin; it was empty', { field: 'stdin' });
  await vault.put(name, secret);
  io.stdout.write(`stored ${name} in the vault (encrypted)\n`);
  return 0;
}

/** Replay selections for `--replay [target]`: one record, one reason, or every reason with open items. */
async function replaySelections(engine: SyncEngine, flow: string, args: ExampleArgs): Promise<ReplaySelection[]> {
  const request = args.replay!;
  const override = request.override ? { override: request.override } : {};
  const items = await engine.reviews({ flow, state: ['open', 'retrying'] });
  if (request.target !== undefined) {
    if (items.some((item) => item.sourceId === request.target)) return [{ sourceId: request.target, ...override }];
    return [{ reason: request.target, ...override }];
  }
  return [...new Set(items.map((item) => item.reason))].map((reason) => ({ reason, ...override }));
}

const addCounts = (a: RunSummary | undefined, b: RunSummary): RunSummary =>
  a === undefined
    ? b
    : {
        ...b,
        durationMs: a.durationMs + b.durationMs,
        status: a.status === 'completed' ? b.status : a.status,
        counts: {
          read: a.counts.read + b.counts.read,
          created: a.counts.created + b.counts.created,
          updated: a.counts.updated + b.counts.updated,
          skipped: a.counts.skipped + b.counts.skipped,
          review: a.counts.review + b.counts.review,
          failed: a.counts.failed + b.counts.failed,
        },
      };

/**
 * Runs an example: parses the command line, loads configuration, connects (tenants or emulators), opens the
 * SQLite state, then runs, replays, or prints the audit trail or review queue. Resolves to the exit code.
 */
export async function runExample<S, P, C extends ConnectedSystems = ExampleConnections>(
  definition: ExampleDefinition<S, P, C>,
  argv: readonly string[] = process.argv.slice(2),
  io: ExampleIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const args = parseExampleArgs(argv);
  if (args.help) {
    io.stdout.write(`${usage(definition.command, definition.description)}\n`);
    return 0;
  }
  const env = definition.systems ? definition.systems.environment() : loadExampleEnvironment();
  const logger = args.verbose ? stderrLogger(io.stderr, 'info') : silentLogger;
  const store = await openExampleStore(env.statePath, args.workers ?? (args.worker ? 1 : undefined));
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    io.stderr.write(`\n${signal}: finishing in-flight records and saving the checkpoint (again to quit at once)…\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let connections: C | undefined;
  let releaseLock: (() => void) | undefined;
  let closeShared: (() => Promise<void>) | undefined;
  try {
    // Secrets missing from the environment come from the encrypted vault in the state file (key outside it).
    const vault = env.vaultKey ? createStoreCredentialVault(store) : undefined;
    if (args.vaultSet !== undefined) return await storeSecret(vault, args.vaultSet, io);
    // With --workers, every worker (here and on other machines) draws on one Business Central budget in Redis.
    const shared = args.workers !== undefined || args.worker ? sharedBusinessCentralThrottle(env.businessCentralRequestsPerSecond) : undefined;
    // OpenTelemetry: a span per HTTP attempt and per record, and the metrics, to whatever SDK the user registered.
    const telemetry = telemetryWanted(args.telemetry) ? createExampleTelemetry() : undefined;
    const connectOptions: ConnectOptions = {
      logger,
      reset: args.reset,
      ...(telemetry ? { telemetry: telemetry.clients } : {}),
      ...(vault ? { secret: (system: keyof typeof VAULT_SECRET_NAMES) => resolveSecret(VAULT_SECRET_NAMES[system], { vault }) } : {}),
      ...definition.connect,
      ...(shared ? { businessCentralOptions: { ...definition.connect?.businessCentralOptions, throttle: shared.limiter } } : {}),
    };
    closeShared = shared?.close;
    connections = definition.systems
      ? await definition.systems.connect(env, connectOptions)
      : ((await connectExample(env, connectOptions)) as unknown as C);
    const context: ExampleContext<C> = { args, env, connections, store, logger, signal: controller.signal };
    const built = await definition.flow(context);
    const flows: readonly AnySyncFlow[] = Array.isArray(built) ? built : [built as AnySyncFlow];
    const label = flows.length > 1 ? (definition.label ?? flows.map((flow) => flow.name).join(', ')) : flows[0]!.name;
    // One run per flow and state file (a lock file with the pid; a killed run's lock is taken over). The engine's
    // lease owner is stable per host and flows, so a restart after SIGKILL reclaims the records the killed run held
    // instead of waiting for their leases to expire.
    // A --worker process takes no run lock (the producer holds it) and owns leases under its pid.
    const locks = args.worker ? [] : flows.map((flow) => acquireRunLock(`${env.statePath}.${flow.name}.lock`, flow.name));
    releaseLock = () => locks.forEach((release) => release());
    const owner = `${hostname()}:${flows.map((flow) => flow.name).join('+')}${args.worker ? `:${process.pid}` : ''}`;
    const engine = createSyncEngine({ store, logger, owner, ...definition.engine });
    if (args.audit !== undefined) {
      let code = 1;
      for (const flow of flows) if ((await printAudit(engine, flow.name, args.audit, io, flows.length > 1)) === 0) code = 0;
      return code;
    }
    if (args.review) {
      for (const flow of flows) await printReview(engine, flow.name, definition.command, io);
      return 0;
    }

    const statePlace = process.env['DATABASE_URL']?.trim() ? 'PostgreSQL (DATABASE_URL)' : env.statePath;
    if (!args.json) io.stderr.write(`${label}: ${connections.description}; state ${statePlace}\n`);
    const progress = createRunProgress({ label, enabled: !args.json && !args.dryRun && io.stderr.isTTY === true });
    const targetIds = new Set<string>();
    let exampleBusinessId: string | undefined;
    const onEvent = (event: SyncEvent): void => {
      progress.onEvent(event);
      telemetry?.onEvent(event);
      if (event.type === 'record') {
        exampleBusinessId ??= event.businessIds[0];
        if ((event.outcome === 'created' || event.outcome === 'updated') && event.targetId) targetIds.add(event.targetId);
        if (event.outcome === 'dry-run' && event.changes) io.stdout.write(formatChanges(`${event.businessIds.join(' ') || event.key.sourceId}`, event.changes));
      } else if (event.type === 'warning' && !args.json) {
        io.stderr.write(`warning ${event.code}: ${event.message}\n`);
      }
    };
    const requestsBefore = connections.requestsUsed();
    /** Requests sent by --worker-processes workers, which count their own. */
    let workerRequests = 0;
    let summary: RunSummary | undefined;
    try {
      if (args.replay) {
        for (const flow of flows) {
          for (const selection of await replaySelections(engine, flow.name, args)) {
            summary = addCounts(summary, await engine.replay(flow, selection, { signal: controller.signal, dryRun: args.dryRun, onEvent }));
          }
        }
        if (!summary) {
          io.stdout.write(`Nothing to replay: the review queue of ${label} has no open item${args.replay.target ? ` for "${args.replay.target}"` : ''}.\n`);
          return 0;
        }
      } else if (args.worker) {
        if (!args.json) io.stderr.write(`${label}: serving the queues with ${args.workers ?? 1} worker(s) until Ctrl-C or SIGTERM\n`);
        summary = await serveFlows(flows, { workers: args.workers ?? 1, store, owner, engine: definition.engine, logger, signal: controller.signal, onEvent });
      } else {
        // --worker-processes: the workers are this command again with --worker, in processes of their own.
        const processes = args.workerProcesses
          ? { argv: [process.argv[1]!, '--worker', '--json', ...(args.post ? ['--post'] : []), ...(args.verbose ? ['--verbose'] : []), ...(args.telemetry ? ['--telemetry'] : [])] }
          : undefined;
        for (const flow of flows) {
          if (controller.signal.aborted) break;
          const onWorkers = args.workers !== undefined
            ? await runOnWorkers(flow, { workers: args.workers, store, owner, engine: definition.engine, logger, signal: controller.signal, onEvent, ...(processes ? { processes } : {}) })
            : undefined;
          workerRequests += onWorkers?.workerRequests ?? 0;
          summary = addCounts(
            summary,
            onWorkers ??
              (await engine.run(flow, {
                signal: controller.signal,
                dryRun: args.dryRun,
                onEvent,
                ...(args.limit !== undefined ? { maxRecords: args.limit } : {}),
              })),
          );
          if (summary.status !== 'completed') break;
        }
      }
      if (summary && flows.length > 1) summary = { ...summary, flow: label };
    } finally {
      progress.stop();
    }
    if (!summary) throw new Error('unreachable: a run or replay always resolves a summary');
    const extra: string[] = [];
    if (!args.dryRun && definition.afterRun) extra.push(...(await definition.afterRun(context, { targetIds: [...targetIds] })));
    const record: SummaryRecord = summaryRecord(summary, { requestsUsed: connections.requestsUsed() - requestsBefore + workerRequests });
    if (args.json) {
      io.stdout.write(`${JSON.stringify({ ...record, notes: extra })}\n`);
    } else {
      io.stdout.write(`${renderSummaryTable(record)}\n`);
      for (const line of extra) io.stdout.write(`${line}\n`);
      io.stdout.write(`${followUpCommands(definition.command, exampleBusinessId)}\n`);
    }
    return summary.status === 'completed' ? 0 : summary.status === 'aborted' ? 130 : 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    releaseLock?.();
    await connections?.close();
    await closeShared?.();
    await store.close();
  }
}

/** Entry point of an example script: runs it and sets the exit code; configuration errors print their message only. */
export async function exampleMain<S, P, C extends ConnectedSystems = ExampleConnections>(definition: ExampleDefinition<S, P, C>, argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  try {
    process.exitCode = await runExample(definition, argv);
  } catch (error) {
    if (isInvalidInputError(error)) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    const message = isConnectorError(error) ? `${error.name}: ${error.message}` : String((error as Error)?.stack ?? error);
    process.stderr.write(`${redactText(message)}\n`);
    process.exitCode = 1;
  }
}
