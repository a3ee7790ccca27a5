/**
 * `pnpm example:bc-master-data`: Business Central vendors, posting G/L accounts and dimension values into JAGGAER,
 * once (default) or continuously with `--watch` (webhooks when `BC_WEBHOOK_NOTIFICATION_URL` is set, polling otherwise).
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { InvalidInputError, isConnectorError, redactText } from '@ml-connector/core';
import { createSyncEngine, openSqliteSyncStore } from '@ml-connector/core/sync';
import { type ExampleDefinition, type ExampleIo, connectExample, exampleMain, loadDotEnv, loadExampleEnvironment } from '../shared/index.ts';
import { acquireRunLock } from '../shared/lock.ts';
import { DEFAULT_DIMENSION_SEGMENTS, MASTER_DATA_ENTITIES, MASTER_DATA_FLOW_NAMES, createMasterDataFlows } from './flows.ts';
import { type WatchWebhookOptions, startMasterDataWatch } from './watch.ts';

/** Command users type. */
export const MASTER_DATA_COMMAND = 'pnpm example:bc-master-data';

/** Default receiver port of the webhook mode. */
export const DEFAULT_WEBHOOK_PORT = 8787;
/** Default poll interval of `--watch`. */
export const DEFAULT_POLL_INTERVAL_MS = 60_000;

/** Settings of this example read from the environment (see `examples/.env.example`). */
export interface MasterDataSettings {
  /** BC dimension code → JAGGAER segment (`BC_DIMENSION_SEGMENTS=DEPARTMENT=department,PROJECT=project`). */
  readonly dimensionSegments: Readonly<Record<string, string>>;
  /** Set when `BC_WEBHOOK_NOTIFICATION_URL` is: the webhook mode of `--watch`. */
  readonly webhook?: WatchWebhookOptions;
  /** `BC_POLL_INTERVAL_MS`. */
  readonly intervalMs: number;
}

function positiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidInputError(`${name} must be a whole number, got "${value}"`, { field: name });
  return parsed;
}

/** Reads this example's settings; a malformed value throws `InvalidInputError` naming the variable. */
export function loadMasterDataSettings(env: NodeJS.ProcessEnv = process.env): MasterDataSettings {
  let dimensionSegments: Record<string, string> = { ...DEFAULT_DIMENSION_SEGMENTS };
  const crosswalk = env.BC_DIMENSION_SEGMENTS?.trim();
  if (crosswalk) {
    dimensionSegments = {};
    for (const pair of crosswalk.split(',')) {
      const [code, segment, ...rest] = pair.split('=').map((part) => part.trim());
      if (!code || !segment || rest.length > 0) {
        throw new InvalidInputError(`BC_DIMENSION_SEGMENTS must look like DEPARTMENT=department,PROJECT=project; "${pair}" is not CODE=segment`, {
          field: 'BC_DIMENSION_SEGMENTS',
        });
      }
      dimensionSegments[code.toUpperCase()] = segment;
    }
  }
  const intervalMs = positiveInteger('BC_POLL_INTERVAL_MS', env.BC_POLL_INTERVAL_MS, DEFAULT_POLL_INTERVAL_MS);
  const notificationUrl = env.BC_WEBHOOK_NOTIFICATION_URL?.trim();
  if (!notificationUrl) return { dimensionSegments, intervalMs };
  let clientState = env.BC_WEBHOOK_CLIENT_STATE?.trim();
  if (clientState !== undefined && clientState !== '' && clientState.length < 16) {
    throw new InvalidInputError('BC_WEBHOOK_CLIENT_STATE must be at least 16 characters (it is the shared secret of the notifications)', {
      field: 'BC_WEBHOOK_CLIENT_STATE',
    });
  }
  // Without a configured secret each start makes a new one; the subscriptions are then replaced at start.
  if (!clientState) clientState = randomBytes(24).toString('base64url');
  return {
    dimensionSegments,
    intervalMs,
    webhook: {
      notificationUrl,
      port: positiveInteger('BC_WEBHOOK_PORT', env.BC_WEBHOOK_PORT, DEFAULT_WEBHOOK_PORT),
      ...(env.BC_WEBHOOK_HOST?.trim() ? { host: env.BC_WEBHOOK_HOST.trim() } : {}),
      clientState,
    },
  };
}

/** The one-shot example: the three flows in order, one summary. */
export function masterDataExample(settings: MasterDataSettings = loadMasterDataSettings()): ExampleDefinition<unknown, unknown> {
  return {
    command: MASTER_DATA_COMMAND,
    label: 'bc-master-data (vendors, accounts, dimension values)',
    description:
      'Moves Business Central vendors (→ JAGGAER suppliers), posting G/L accounts and dimension values (→ read-only JAGGAER coding values) incrementally. ' +
      'Blocked vendors and accounts become inactive. --watch keeps going: BC webhooks when BC_WEBHOOK_NOTIFICATION_URL is set, polling every BC_POLL_INTERVAL_MS otherwise.',
    flow: ({ connections }) => {
      const flows = createMasterDataFlows({ company: connections.company, jaggaer: connections.jaggaer, dimensionSegments: settings.dimensionSegments });
      return MASTER_DATA_ENTITIES.map((entity) => flows[entity]);
    },
  };
}

/** Splits `--watch` off the command line (the shared parser knows only the common options). */
export function takeWatchFlag(argv: readonly string[]): { watch: boolean; rest: string[] } {
  const rest = argv.filter((arg) => arg !== '--watch');
  return { watch: rest.length !== argv.length, rest };
}

/** `--watch`: runs until SIGINT/SIGTERM, printing one line per run. Resolves to the exit code. */
export async function watchMasterData(settings: MasterDataSettings, io: ExampleIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const env = loadExampleEnvironment();
  mkdirSync(dirname(env.statePath), { recursive: true });
  const store = await openSqliteSyncStore({ path: env.statePath });
  // The same run locks and stable lease owner as one-shot runs: a one-shot run and a watch never overlap.
  const names = MASTER_DATA_ENTITIES.map((entity) => MASTER_DATA_FLOW_NAMES[entity]);
  const locks = names.map((name) => acquireRunLock(`${env.statePath}.${name}.lock`, name));
  const release = () => locks.forEach((unlock) => unlock());
  let connections: Awaited<ReturnType<typeof connectExample>> | undefined;
  try {
    connections = await connectExample(env, {});
    const engine = createSyncEngine({ store, owner: `${hostname()}:${names.join('+')}` });
    const flows = createMasterDataFlows({ company: connections.company, jaggaer: connections.jaggaer, dimensionSegments: settings.dimensionSegments });
    let failures = 0;
    const watch = await startMasterDataWatch({
      engine,
      flows,
      businessCentral: connections.businessCentral,
      companyId: connections.companyId,
      intervalMs: settings.intervalMs,
      ...(settings.webhook ? { webhook: settings.webhook } : {}),
      logger: { debug: () => {}, info: () => {}, warn: (_f, m) => io.stderr.write(`warning: ${m ?? ''}\n`), error: (_f, m) => io.stderr.write(`error: ${m ?? ''}\n`) },
      onRun: (entity, summary, trigger) => {
        const c = summary.counts;
        io.stdout.write(
          `${new Date().toISOString()} ${entity} (${trigger}): read ${c.read}, created ${c.created}, updated ${c.updated}, skipped ${c.skipped}, review ${c.review}, failed ${c.failed}\n`,
        );
      },
      onError: (what, error) => {
        failures++;
        const message = isConnectorError(error) ? `${error.name}: ${error.message}` : String(error);
        io.stderr.write(`${what} failed: ${redactText(message)}\n`);
      },
    });
    io.stderr.write(
      `${MASTER_DATA_COMMAND} --watch: ${connections.description}; ${
        settings.webhook ? `webhooks to ${settings.webhook.notificationUrl} (receiver ${watch.receiverUrl}), dimension values polled` : 'polling'
      } every ${settings.intervalMs / 1000} s. Ctrl-C stops.\n`,
    );
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    io.stderr.write('stopping: finishing running flows and saving checkpoints…\n');
    await watch.stop();
    return failures > 0 ? 1 : 0;
  } finally {
    await connections?.close();
    await store.close();
    release();
  }
}

/** Entry point: `--watch` or one run with the shared options. */
export async function masterDataMain(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const { watch, rest } = takeWatchFlag(argv);
  try {
    loadDotEnv();
    const settings = loadMasterDataSettings();
    if (!watch) return await exampleMain(masterDataExample(settings), rest);
    process.exitCode = await watchMasterData(settings);
  } catch (error) {
    process.stderr.write(`${redactText(isConnectorError(error) ? `${error.name}: ${error.message}` : String((error as Error)?.stack ?? error))}\n`);
    process.exitCode = isConnectorError(error) && error.name === 'InvalidInputError' ? 2 : 1;
  }
}
