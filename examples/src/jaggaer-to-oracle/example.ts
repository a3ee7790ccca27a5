/**
 * `pnpm example:jaggaer-to-oracle [--watch] [options]`: JAGGAER chart-of-accounts values and suppliers back into
 * Oracle Fusion (two-way alignment with oracle-to-jaggaer), receipts for invoiced PO lines and supplier PO
 * acknowledgements for three-way matching.
 */
import type { ExampleDefinition } from '../shared/index.ts';
import { connectOracleExample, loadOracleExampleEnvironment, type OracleConnections } from '../oracle/connections.ts';
import { loadOracleFlowSettings, type OracleFlowSettings } from '../oracle/settings.ts';
import { echoesSkipped } from '../oracle/sources.ts';
import { oracleExampleMain } from '../oracle/watch.ts';
import { createJaggaerToOracleFlows } from './flows.ts';

/** Command users type. */
export const JAGGAER_TO_ORACLE_COMMAND = 'pnpm example:jaggaer-to-oracle';

/** The example: its flows in order, one summary. */
export function jaggaerToOracleExample(settings: OracleFlowSettings = loadOracleFlowSettings()): ExampleDefinition<unknown, unknown, OracleConnections> {
  return {
    command: JAGGAER_TO_ORACLE_COMMAND,
    label: 'jaggaer-to-oracle (coding values, suppliers, receipts, PO acknowledgements)',
    description:
      'Aligns JAGGAER coding values and suppliers back into Oracle Fusion (conflict policy ORACLE_JAGGAER_CONFLICT_POLICY; our own writes read ' +
      'back are skipped), creates Oracle receipts for the PO lines of approved JAGGAER invoices and records supplier PO acknowledgements, ' +
      'so Oracle can match PO, receipt and invoice. --watch repeats every ORACLE_POLL_INTERVAL_MS.',
    systems: { environment: () => loadOracleExampleEnvironment(), connect: (env, options) => connectOracleExample(env, options) },
    flow: ({ connections, store, logger }) =>
      createJaggaerToOracleFlows({
        oracle: connections.oracle,
        jaggaer: connections.jaggaer,
        store,
        logger,
        valueSets: settings.valueSets,
        conflictPolicy: settings.conflictPolicy,
        receivingOrganization: settings.receivingOrganization,
        acknowledgement: { field: settings.acknowledgementField },
        ...(process.env.JAGGAER_INVOICES_SINCE ? { since: process.env.JAGGAER_INVOICES_SINCE } : {}),
      }),
    afterRun: async () => {
      const echoes = [...echoesSkipped].map(([flow, n]) => `${flow}: ${n}`);
      return echoes.length ? [`echoes of oracle-to-jaggaer's own writes skipped: ${echoes.join(', ')}`] : [];
    },
  };
}

/** Entry point: `--watch` or one run with the shared options. */
export function jaggaerToOracleMain(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  return oracleExampleMain(jaggaerToOracleExample, argv);
}
