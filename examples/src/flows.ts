/**
 * Every example flow by name, for `ml-connector replay`, `audit`, `reconcile` and `console`:
 *   ml-connector replay <record|reason> --flows examples/src/flows.ts
 * Each factory reads the environment and connects exactly as its example does (same variables, tenants or emulators,
 * secrets from the vault when the environment leaves them out) and builds the flow with the example's own definition,
 * so a replay writes with the same mapping and target.
 */
import { defineFlowRegistry, type BuiltFlow, type FlowFactory, type FlowFactoryContext } from '@ml-connector/cli';
import { silentLogger } from '@ml-connector/core';
import { createStoreCredentialVault, resolveSecret } from '@ml-connector/core/sync';
import { bcInvoicesExample } from './bc-invoices/main.ts';
import { BC_INVOICES_FLOW } from './bc-invoices/flow.ts';
import { masterDataExample } from './bc-master-data/example.ts';
import { MASTER_DATA_FLOW_NAMES } from './bc-master-data/flows.ts';
import { paymentStatusExample } from './bc-payment-status/example.ts';
import { PAYMENT_STATUS_FLOW_NAME } from './bc-payment-status/flow.ts';
import { FO_INVOICES_FLOW } from './fo-invoices/flow.ts';
import { foInvoicesExample } from './fo-invoices/main.ts';
import { FO_JIRA_FLOW } from './fo-jira/flow.ts';
import { foJiraExample } from './fo-jira/main.ts';
import { FO_JIRA_RETURN_FLOW } from './fo-jira/return-flow.ts';
import { foMasterDataExample } from './fo-master-data/main.ts';
import { jaggaerToOracleExample } from './jaggaer-to-oracle/example.ts';
import { JAGGAER_TO_ORACLE_FLOWS } from './jaggaer-to-oracle/flows.ts';
import { NAV_PURCHASE_INVOICES_FLOW } from './nav-purchasing/invoices.ts';
import { navPurchasingExample } from './nav-purchasing/main.ts';
import { NAV_PURCHASE_ORDERS_FLOW } from './nav-purchasing/orders.ts';
import { NAV_VENDORS_TO_JAGGAER, NAV_VENDORS_TO_NAV } from './nav-vendors/flows.ts';
import { navVendorsExample } from './nav-vendors/main.ts';
import { loadOracleFlowSettings } from './oracle/settings.ts';
import { oracleToJaggaerExample } from './oracle-to-jaggaer/example.ts';
import { ORACLE_TO_JAGGAER_FLOWS } from './oracle-to-jaggaer/flows.ts';
import { connectExample, parseExampleArgs, VAULT_SECRET_NAMES, type AnySyncFlow, type ConnectedSystems, type ConnectOptions, type ExampleDefinition } from './shared/index.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- definitions of different record and connection types
type AnyDefinition = ExampleDefinition<any, any, any>;

/** Builds the flow `name` from an example definition (which may define several flows). */
function fromExample(definition: () => AnyDefinition, name: string): FlowFactory {
  return async ({ env, store }: FlowFactoryContext): Promise<BuiltFlow> => {
    const example = definition();
    // Examples on other systems (F&O, Oracle, NAV, Jira) read their own variables; the Business Central ones use the
    // CLI's. State (emulators, vault) is the command's, whatever the working directory.
    const exampleEnv = example.systems ? { ...example.systems.environment(), stateDir: env.stateDir, statePath: env.statePath } : env;
    const vault = exampleEnv.vaultKey ? createStoreCredentialVault(store, { key: exampleEnv.vaultKey }) : undefined;
    const options: ConnectOptions = {
      ...(example.connect ?? {}),
      ...(vault ? { secret: (system: keyof typeof VAULT_SECRET_NAMES) => resolveSecret(VAULT_SECRET_NAMES[system], { vault }) } : {}),
    };
    const connections: ConnectedSystems = example.systems ? await example.systems.connect(exampleEnv, options) : await connectExample(exampleEnv, options);
    try {
      const built = await example.flow({ args: parseExampleArgs([]), env: exampleEnv, connections, store, logger: silentLogger, signal: new AbortController().signal });
      const flow = (Array.isArray(built) ? built : [built]).find((candidate: AnySyncFlow) => candidate.name === name);
      if (!flow) throw new Error(`the example ${example.command} defines no flow named ${name}`);
      return { flow, close: () => connections.close() };
    } catch (error) {
      await connections.close();
      throw error;
    }
  };
}

/** One entry per flow name of an example. */
const entries = (definition: () => AnyDefinition, names: readonly string[]) => names.map((name) => [name, fromExample(definition, name)] as const);

// fo-master-data names its flows inline (examples/src/fo-master-data/flows.ts); a test builds each entry and compares.
const FO_MASTER_DATA_FLOWS = ['fo-master-data-accounts', 'fo-master-data-dimension-values', 'fo-master-data-vendors', 'fo-master-data-purchase-orders'];

// The Oracle value-set flows are named after the configured segments (ORACLE_VALUE_SETS).
const oracleSegments = loadOracleFlowSettings().valueSets.map((set) => set.segment);

export default defineFlowRegistry(
  Object.fromEntries([
    ...entries(() => bcInvoicesExample, [BC_INVOICES_FLOW]),
    ...entries(() => paymentStatusExample, [PAYMENT_STATUS_FLOW_NAME]),
    ...entries(() => masterDataExample(), Object.values(MASTER_DATA_FLOW_NAMES)),
    ...entries(() => foInvoicesExample, [FO_INVOICES_FLOW]),
    ...entries(() => foMasterDataExample, FO_MASTER_DATA_FLOWS),
    ...entries(() => foJiraExample, [FO_JIRA_FLOW, FO_JIRA_RETURN_FLOW]),
    ...entries(() => navPurchasingExample, [NAV_PURCHASE_ORDERS_FLOW, NAV_PURCHASE_INVOICES_FLOW]),
    ...entries(() => navVendorsExample, [NAV_VENDORS_TO_NAV, NAV_VENDORS_TO_JAGGAER]),
    ...entries(() => oracleToJaggaerExample(), [
      ...oracleSegments.map(ORACLE_TO_JAGGAER_FLOWS.values),
      ORACLE_TO_JAGGAER_FLOWS.suppliers,
      ORACLE_TO_JAGGAER_FLOWS.purchaseOrders,
      ORACLE_TO_JAGGAER_FLOWS.invoices,
    ]),
    ...entries(() => jaggaerToOracleExample(), [
      ...oracleSegments.map(JAGGAER_TO_ORACLE_FLOWS.values),
      JAGGAER_TO_ORACLE_FLOWS.suppliers,
      JAGGAER_TO_ORACLE_FLOWS.receipts,
      JAGGAER_TO_ORACLE_FLOWS.acknowledgements,
    ]),
  ]),
);
