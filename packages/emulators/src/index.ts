/**
 * `@ml-connector/emulators`: the ml-connector emulators (Business Central, JAGGAER ONE, Dynamics 365 F&O, NAV,
 * Oracle Fusion, Jira) as local loopback services with persisted state, like LocalStack or stripe-mock. Start them
 * with {@link startEmulators} or the `ml-connector-emulators` command (`pnpm emulators` in the repository); find
 * running ones with {@link findRunningEmulators}.
 *
 * @packageDocumentation
 */
export {
  startEmulators,
  findRunningEmulators,
  type StartEmulatorsOptions,
  type RunningEmulators,
  type RunningEmulatorsInfo,
  type RunningClientOptions,
  DEFAULT_STATE_DIR,
  HEALTH_PATH,
} from './emulators.js';
export {
  type EmulatorSystem,
  type EmulatorClientOptions,
  type EmulatorSandboxes,
  type EmulatorSandboxOptions,
  EMULATOR_SYSTEMS,
  DEFAULT_EMULATOR_PORTS,
} from './systems.js';
