/**
 * `pnpm example:oracle-to-jaggaer [--watch] [options]`: Oracle Fusion chart-of-accounts values, suppliers, purchase
 * orders and payables invoices into JAGGAER, once (default) or on an interval with `--watch`.
 */
import type { ExampleDefinition } from '../shared/index.ts';
import { connectOracleExample, loadOracleExampleEnvironment, type OracleConnections } from '../oracle/connections.ts';
import { loadOracleFlowSettings, type OracleFlowSettings } from '../oracle/settings.ts';
import { echoesSkipped } from '../oracle/sources.ts';
import { oracleExampleMain } from '../oracle/watch.ts';
import { createOracleToJaggaerFlows, loadOracleToJaggaerMappings } from './flows.ts';

/** Command users type. */
export const ORACLE_TO_JAGGAER_COMMAND = 'pnpm example:oracle-to-jaggaer';

/** The example: its flows in order (coding values first), one summary. */
export function oracleToJaggaerExample(settings: OracleFlowSettings = loadOracleFlowSettings()): ExampleDefinition<unknown, unknown, OracleConnections> {
  return {
    command: ORACLE_TO_JAGGAER_COMMAND,
    label: 'oracle-to-jaggaer (coding values, suppliers, purchase orders, invoices)',
    description:
      'Moves Oracle Fusion chart-of-accounts values (→ JAGGAER coding values, first), suppliers (→ company profiles), purchase orders and ' +
      'payables invoices (→ JAGGAER invoice import) changed since the last run, read by LastUpdateDate with a look-back window. ' +
      '--watch repeats every ORACLE_POLL_INTERVAL_MS.',
    systems: { environment: () => loadOracleExampleEnvironment(), connect: (env, options) => connectOracleExample(env, options) },
    async flow({ connections, store, logger }) {
      const mappings = await loadOracleToJaggaerMappings(process.env.ML_CONNECTOR_MAPPINGS_DIR || undefined);
      return createOracleToJaggaerFlows({
        oracle: connections.oracle,
        jaggaer: connections.jaggaer,
        store,
        mappings,
        logger,
        valueSets: settings.valueSets,
        conflictPolicy: settings.conflictPolicy,
        ...(settings.lookBackMs !== undefined ? { lookBackMs: settings.lookBackMs } : {}),
        ...(settings.since ? { since: settings.since } : {}),
      });
    },
    afterRun: async () => {
      const echoes = [...echoesSkipped].map(([flow, n]) => `${flow}: ${n}`);
      return echoes.length ? [`echoes of jaggaer-to-oracle's own writes skipped: ${echoes.join(', ')}`] : [];
    },
  };
}

/** Entry point: `--watch` or one run with the shared options. */
export function oracleToJaggaerMain(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  return oracleExampleMain(oracleToJaggaerExample, argv);
}
