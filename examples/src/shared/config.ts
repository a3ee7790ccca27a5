import { loadConnectorEnvironment, loadDotEnv, type ConnectorEnvironment, type ConnectorSystem, type Env } from '@ml-connector/cli';
import { requireAllOrNone } from './systems.ts';

// The loader and the variable groups live in @ml-connector/cli so the `ml-connector` command reads exactly the
// examples' variables.
export { loadDotEnv };
export type { BusinessCentralEnvironment, JaggaerEnvironment } from '@ml-connector/cli';

/** Everything an example reads from the environment. */
export type ExampleEnvironment = ConnectorEnvironment;

/**
 * Reads an example's configuration from `env` (by default `process.env`, after loading `.env` from the current
 * directory when there is one): state paths, vault key and the variable groups of `systems` (default Business Central
 * and JAGGAER; other systems' variables are not looked at). Partial configuration of a system is an error that names
 * the missing variables, and so is a mix of real systems and emulators.
 */
export function loadExampleEnvironment(
  env: Env = loadDotEnv(),
  cwd: string = process.cwd(),
  systems: readonly ConnectorSystem[] = ['businessCentral', 'jaggaer'],
): ExampleEnvironment {
  const loaded = loadConnectorEnvironment(env, cwd, { systems });
  requireAllOrNone(loaded, systems);
  return loaded;
}
