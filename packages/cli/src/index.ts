/**
 * `@ml-connector/cli`: the operator tools of ml-connector. The `ml-connector` command checks connections (`check`),
 * keeps secrets in the encrypted vault (`credentials`), shows the audit trail, review queue and runs, replays review
 * items, reconciles JAGGAER against Business Central and serves a local console. The same functions are exported for
 * use in your own services; the configuration loader is shared with the examples.
 *
 * @packageDocumentation
 */
export { runCli, renderCheckTable, type CliIo } from './main.js';
export { loadConnectorEnvironment, loadDotEnv, type ConnectorEnvironment, type LoadConnectorEnvironmentOptions } from './config.js';
export {
  ENV_GROUPS,
  BUSINESS_CENTRAL_ENV,
  JAGGAER_ENV,
  FINANCE_OPERATIONS_ENV,
  NAV_ENV,
  ORACLE_FUSION_ENV,
  JIRA_ENV,
  readEnvGroup,
  readSystemEnvironment,
  isLoopbackUrl,
  businessCentralClientOptions,
  jaggaerClientOptions,
  type Env,
  type EnvGroup,
  type EnvGroupMode,
  type ConnectorSystem,
  type SystemEnvironments,
  type BusinessCentralEnvironment,
  type JaggaerEnvironment,
  type FinanceOperationsEnvironment,
  type NavEnvironment,
  type OracleFusionEnvironment,
  type JiraEnvironment,
} from './environment.js';
export { resolveConnections, VAULT_SECRET_NAMES, type OperatorConnections, type OperatorSystem } from './systems.js';
export { runChecks, type CheckReport, type CheckResult, type SystemCheckReport, type RunChecksOptions } from './check.js';
export { explainTokenError, type IdentityProvider, type IdpExplanation } from './idp-errors.js';
export { defineFlowRegistry, loadFlowRegistry, type FlowRegistry, type FlowFactory, type FlowFactoryContext, type BuiltFlow, type AnyFlow } from './flows.js';
export {
  reconcileInvoices,
  renderReconciliationTable,
  renderReconciliationCsv,
  renderReconciliationHtml,
  type ReconcileOptions,
  type ReconciliationReport,
  type ReconciliationSide,
  type FieldDifference,
} from './reconcile.js';
export { startConsole, type ConsoleOptions, type RunningConsole } from './console/server.js';
export { createConnectorTelemetry, type ConnectorTelemetry, type ConnectorTelemetryOptions } from './telemetry.js';
