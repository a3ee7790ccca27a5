/**
 * `--watch` of the Oracle examples: runs the example's flows in order (so references exist before they are used),
 * waits the interval, and again, until SIGINT/SIGTERM. A stop lets the running flow finish its in-flight records
 * and save its checkpoint.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { isConnectorError, redactText } from '@ml-connector/core';
import { createSyncEngine, openSqliteSyncStore, type RunSummary, type SyncEngine } from '@ml-connector/core/sync';
import { exampleMain, loadDotEnv, type AnySyncFlow, type ExampleDefinition, type ExampleIo } from '../shared/index.ts';
import { parseExampleArgs } from '../shared/args.ts';
import type { OracleConnections } from './connections.ts';
import { loadOracleFlowSettings, type OracleFlowSettings } from './settings.ts';

/** Splits `--watch` off the command line (the shared parser knows only the common options). */
export function takeWatchFlag(argv: readonly string[]): { watch: boolean; rest: string[] } {
  const rest = argv.filter((arg) => arg !== '--watch');
  return { watch: rest.length !== argv.length, rest };
}

/** Runs `flows` in order every `intervalMs` until `signal` aborts; `onRun` hears every run. */
export async function watchFlows(engine: SyncEngine, flows: readonly AnySyncFlow[], intervalMs: number, signal: AbortSignal, onRun: (summary: RunSummary) => void): Promise<void> {
  while (!signal.aborted) {
    for (const flow of flows) {
      if (signal.aborted) break;
      const summary = await engine.run(flow, { signal });
      onRun(summary);
      // A flow that failed leaves its checkpoint; the later flows may depend on it, so the round stops here.
      if (summary.status !== 'completed') break;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, intervalMs);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      }, { once: true });
    });
  }
}

/** `--watch` for an Oracle example: resolves to the exit code after SIGINT/SIGTERM. */
export async function watchExample<S, P>(
  definition: ExampleDefinition<S, P, OracleConnections>,
  argv: readonly string[],
  intervalMs: number,
  io: ExampleIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const args = parseExampleArgs(argv);
  const env = definition.systems!.environment();
  mkdirSync(dirname(env.statePath), { recursive: true });
  const store = await openSqliteSyncStore({ path: env.statePath });
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let failures = 0;
  const logger = { debug: () => {}, info: () => {}, warn: (_f: unknown, m?: string) => io.stderr.write(`warning: ${m ?? ''}\n`), error: (_f: unknown, m?: string) => io.stderr.write(`error: ${m ?? ''}\n`) };
  const connections = await definition.systems!.connect(env, { logger, reset: args.reset });
  try {
    const built = await definition.flow({ args, env, connections, store, logger, signal: controller.signal });
    const flows: readonly AnySyncFlow[] = Array.isArray(built) ? built : [built as AnySyncFlow];
    const engine = createSyncEngine({ store, logger });
    io.stderr.write(`${definition.command} --watch: ${connections.description}; every ${intervalMs / 1000} s. Ctrl-C stops.\n`);
    await watchFlows(engine, flows, intervalMs, controller.signal, (summary) => {
      const c = summary.counts;
      if (summary.status === 'failed') failures++;
      io.stdout.write(
        `${new Date().toISOString()} ${summary.flow} (job ${summary.runId.slice(0, 8)}): ${summary.status}; read ${c.read}, created ${c.created}, updated ${c.updated}, skipped ${c.skipped}, review ${c.review}, failed ${c.failed}${summary.error ? ` — ${redactText(summary.error)}` : ''}\n`,
      );
    });
  } catch (error) {
    io.stderr.write(`${redactText(isConnectorError(error) ? `${error.name}: ${error.message}` : String(error))}\n`);
    failures++;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await connections.close();
    await store.close();
  }
  return failures > 0 ? 1 : 0;
}

/** Entry point of an Oracle example: `--watch` (every `ORACLE_POLL_INTERVAL_MS`) or one run with the shared options. */
export async function oracleExampleMain<S, P>(
  build: (settings: OracleFlowSettings) => ExampleDefinition<S, P, OracleConnections>,
  argv: readonly string[] = process.argv.slice(2),
): Promise<void> {
  const { watch, rest } = takeWatchFlag(argv);
  try {
    loadDotEnv();
    const settings = loadOracleFlowSettings();
    if (!watch) return await exampleMain(build(settings), rest);
    process.exitCode = await watchExample(build(settings), rest, settings.intervalMs);
  } catch (error) {
    process.stderr.write(`${redactText(isConnectorError(error) ? `${error.name}: ${error.message}` : String((error as Error)?.stack ?? error))}\n`);
    process.exitCode = isConnectorError(error) && error.name === 'InvalidInputError' ? 2 : 1;
  }
}
