/**
 * Scaffolding shared by the examples: command line, configuration, connections (tenants or emulators), progress
 * bar, summary table and the runner that ties them to the sync engine.
 */
export { parseExampleArgs, usage, type ExampleArgs, type ReplayRequest } from './args.ts';
export { loadExampleEnvironment, loadDotEnv, type ExampleEnvironment, type BusinessCentralEnvironment, type JaggaerEnvironment } from './config.ts';
export { connectExample, BUSINESS_CENTRAL_SYSTEM, JAGGAER_SYSTEM, type ExampleConnections } from './connections.ts';
export {
  connectSystems,
  countingFetch,
  requireAllOrNone,
  type ConnectOptions,
  type ConnectedSystems,
  type ConnectedClients,
  type ExampleSystem,
  type AnyExampleSystem,
  type ClientInstrumentation,
  type VaultSecretReader,
} from './systems.ts';
export { useLocalEmulators, type EmulatorEndpoints, type LocalEmulatorOptions } from './emulators.ts';
export { createRunProgress, type RunProgress } from './progress.ts';
export { renderSummaryTable, summaryRecord, followUpCommands, type SummaryFigures, type SummaryRecord } from './summary.ts';
export { runExample, exampleMain, formatChanges, VAULT_SECRET_NAMES, type AnySyncFlow, type ExampleContext, type ExampleDefinition, type ExampleFlows, type ExampleIo, type RunWrites } from './run.ts';
