import { InvalidInputError } from '@ml-connector/core';
import { loadConnectorEnvironment, loadDotEnv, type BusinessCentralEnvironment, type ConnectorEnvironment, type JaggaerEnvironment } from '@ml-connector/cli';

// The loader lives in @ml-connector/cli so the `ml-connector` command reads exactly the examples' variables.
export { loadDotEnv, type BusinessCentralEnvironment, type JaggaerEnvironment };

/** Everything an example reads from the environment. */
export type ExampleEnvironment = ConnectorEnvironment;

/**
 * Reads the examples' configuration from `env` (by default `process.env`, after loading `.env` from the current
 * directory when there is one). Partial configuration of a system is an error that names the missing variables, and
 * so is a mix of one real tenant and one emulator.
 */
export function loadExampleEnvironment(env: Parameters<typeof loadConnectorEnvironment>[0] = loadDotEnv(), cwd: string = process.cwd()): ExampleEnvironment {
  const loaded = loadConnectorEnvironment(env, cwd);
  const { businessCentral, jaggaer } = loaded;
  if ((businessCentral === undefined) !== (jaggaer === undefined)) {
    throw new InvalidInputError(
      `Only ${businessCentral ? 'Business Central' : 'JAGGAER'} is configured. The examples run against two real tenants or ` +
        'against the emulators, not a mix: configure both (see examples/.env.example) or neither.',
      { field: businessCentral ? 'JAGGAER_HOST' : 'BC_TENANT_ID' },
    );
  }
  return loaded;
}
